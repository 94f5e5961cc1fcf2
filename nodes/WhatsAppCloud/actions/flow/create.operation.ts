import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import {
	checkEndpointUri,
	checkFlowCategories,
	checkFlowId,
	checkFlowName,
} from '../../helpers/flows/management';
import { businessAccountField } from '../../descriptions/common';
import { createFlow } from '../../transport/flows';
import { requireBusinessAccountId } from '../../transport/graph';
import { forItem } from '../errors';
import type { ItemOperation } from '../node.type';
import { flowCategoryOptions, flowJsonFields, readFlowJson } from './fields';

const fields: INodeProperties[] = [
	businessAccountField,
	{
		displayName: 'Name',
		name: 'flowName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Appointment booking',
		description: 'Unique among the Flows of the business account',
	},
	{
		displayName: 'Categories',
		name: 'categories',
		type: 'multiOptions',
		default: [],
		required: true,
		options: flowCategoryOptions,
		description: 'What the Flow is for (at least one)',
	},
	...flowJsonFields(true),
	{
		displayName: 'Endpoint URI',
		name: 'endpointUri',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://n8n.example.com/webhook/0b5c…/flow',
		description:
			"Where the Flow's data exchange requests go: the Production URL of a WhatsApp Cloud API Flow Trigger. Empty for a Flow without an endpoint.",
	},
	{
		displayName: 'Options',
		name: 'createOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Clone Flow ID',
				name: 'cloneFlowId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1592000000007919',
				description:
					'Start from a copy of this Flow (e.g. to change a published Flow, which Meta keeps unchanged)',
			},
			{
				displayName: 'Publish',
				name: 'publish',
				type: 'boolean',
				default: false,
				description:
					'Whether to publish the Flow at once when its Flow JSON has no validation errors (published Flows cannot be changed)',
			},
		],
	},
];

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('createOptions', itemIndex, {}) as {
		cloneFlowId?: string;
		publish?: boolean;
	};
	const { name, categories, endpointUri, cloneFlowId } = forItem(this, itemIndex, () => ({
		name: checkFlowName('Name', this.getNodeParameter('flowName', itemIndex, '')),
		categories: checkFlowCategories('Categories', this.getNodeParameter('categories', itemIndex)),
		endpointUri: checkEndpointUri(
			'Endpoint URI',
			this.getNodeParameter('endpointUri', itemIndex, ''),
		),
		cloneFlowId:
			String(options.cloneFlowId ?? '').trim() === ''
				? undefined
				: checkFlowId('Clone Flow ID', options.cloneFlowId),
	}));
	const flowJson = await readFlowJson(this, itemIndex);
	const wabaId = await requireBusinessAccountId.call(this, itemIndex);
	const answer = await createFlow.call(
		this,
		wabaId,
		{ name, categories, flowJson, endpointUri, cloneFlowId, publish: options.publish === true },
		itemIndex,
	);
	const json: IDataObject = {
		...answer,
		id: answer.id,
		name,
		categories,
		...(endpointUri ? { endpoint_uri: endpointUri } : {}),
	};
	return [{ json }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Create',
		value: 'create',
		description: 'Create a Flow as a draft, with its Flow JSON and endpoint',
		action: 'Create a flow',
	},
	properties: fields,
	execute,
};
