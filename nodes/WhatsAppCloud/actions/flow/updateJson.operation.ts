import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { uploadFlowJson } from '../../transport/flows';
import type { ItemOperation } from '../node.type';
import { flowFields, flowJsonFields, readFlowId, readFlowJson } from './fields';

const fields: INodeProperties[] = [
	...flowFields('The draft Flow whose Flow JSON is replaced'),
	...flowJsonFields(false),
];

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const flowId = readFlowId(this, itemIndex);
	const flowJson = (await readFlowJson(this, itemIndex)) as string;
	const answer = await uploadFlowJson.call(this, flowId, flowJson, itemIndex);
	const json: IDataObject = {
		id: flowId,
		success: answer.success ?? true,
		validation_errors: answer.validation_errors ?? [],
	};
	return [{ json }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Update JSON',
		value: 'updateJson',
		description: "Replace a draft Flow's Flow JSON and get Meta's validation errors",
		action: 'Update the JSON of a flow',
	},
	properties: fields,
	execute,
};
