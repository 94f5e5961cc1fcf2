import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { deleteFlow } from '../../transport/flows';
import type { ItemOperation } from '../node.type';
import { flowFields, readFlowId } from './fields';

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const flowId = readFlowId(this, itemIndex);
	const answer = await deleteFlow.call(this, flowId, itemIndex);
	return [{ json: { id: flowId, success: answer.success ?? true, deleted: true } }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Delete',
		value: 'delete',
		description: 'Delete a draft Flow (published Flows are deprecated instead)',
		action: 'Delete a flow',
	},
	properties: flowFields('The draft Flow to delete'),
	execute,
};
