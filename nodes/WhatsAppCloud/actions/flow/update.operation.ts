import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	checkEndpointUri,
	checkFlowCategories,
	checkFlowName,
} from '../../helpers/flows/management';
import type { UpdateFlowInput } from '../../transport/flows';
import { updateFlowMetadata } from '../../transport/flows';
import { forItem } from '../errors';
import type { ItemOperation } from '../node.type';
import { flowCategoryOptions, flowFields, readFlowId } from './fields';
import { quoteInput } from '../../helpers/errors';

const fields: INodeProperties[] = [
	...flowFields('The draft Flow to change (Meta keeps published Flows as they are)'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Application ID',
				name: 'applicationId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1234567890123456',
				description:
					"Link this Meta app to the Flow: Meta then signs every endpoint request with the app's secret (the credential's App Secret)",
			},
			{
				displayName: 'Categories',
				name: 'categories',
				type: 'multiOptions',
				default: [],
				options: flowCategoryOptions,
				description: 'Replace the categories (at least one)',
			},
			{
				displayName: 'Endpoint URI',
				name: 'endpointUri',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://n8n.example.com/webhook/0b5c…/flow',
				description:
					'The Production URL of the WhatsApp Cloud API Flow Trigger that serves this Flow',
			},
			{
				displayName: 'Name',
				name: 'flowName',
				type: 'string',
				default: '',
				description: 'A new name, unique among the Flows of the business account',
			},
		],
	},
];

interface UpdateFields {
	applicationId?: string;
	categories?: unknown;
	endpointUri?: string;
	flowName?: unknown;
}

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const flowId = readFlowId(this, itemIndex);
	const given = this.getNodeParameter('updateFields', itemIndex, {}) as UpdateFields;
	const input = forItem(this, itemIndex, (): UpdateFlowInput => {
		const update: UpdateFlowInput = {};
		if (given.flowName !== undefined) update.name = checkFlowName('Name', given.flowName);
		if (given.categories !== undefined)
			update.categories = checkFlowCategories('Categories', given.categories);
		if (given.endpointUri !== undefined) {
			const uri = checkEndpointUri('Endpoint URI', given.endpointUri);
			if (uri === undefined) {
				throw new NodeOperationError(this.getNode(), 'Endpoint URI is empty', {
					itemIndex,
					description:
						'Give the Production URL of a Flow Trigger, or remove the field to keep the current endpoint.',
				});
			}
			update.endpointUri = uri;
		}
		const applicationId = String(given.applicationId ?? '').trim();
		if (given.applicationId !== undefined) {
			if (!/^\d+$/.test(applicationId)) {
				throw new NodeOperationError(
					this.getNode(),
					`Application ID ${quoteInput(applicationId)} is not an app ID (only digits)`,
					{ itemIndex, description: 'App Dashboard → App settings → Basic shows the App ID.' },
				);
			}
			update.applicationId = applicationId;
		}
		return update;
	});
	if (Object.keys(input).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update: add a field to change', {
			itemIndex,
			description: 'Add Name, Categories, Endpoint URI or Application ID under Update Fields.',
		});
	}
	const answer = await updateFlowMetadata.call(this, flowId, input, itemIndex);
	const json: IDataObject = {
		id: flowId,
		success: answer.success ?? true,
		...(input.name !== undefined ? { name: input.name } : {}),
		...(input.categories !== undefined ? { categories: input.categories } : {}),
		...(input.endpointUri !== undefined ? { endpoint_uri: input.endpointUri } : {}),
		...(input.applicationId !== undefined ? { application_id: input.applicationId } : {}),
	};
	return [{ json }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Update',
		value: 'update',
		description: "Change a draft Flow's name, categories, endpoint URI or linked app",
		action: 'Update a flow',
	},
	properties: fields,
	execute,
};
