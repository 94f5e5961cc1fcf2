import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { getFlow, getFlowAssets } from '../../transport/flows';
import type { ItemOperation } from '../node.type';
import { flowFields, readFlowId } from './fields';

const fields: INodeProperties[] = [
	...flowFields('The Flow to get'),
	{
		displayName: 'Options',
		name: 'getOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Flow JSON URL',
				name: 'includeJsonUrl',
				type: 'boolean',
				default: false,
				description:
					"Whether to add flow_json_url, a link to download the Flow's current Flow JSON (one more request)",
			},
			{
				displayName: 'Renew Preview URL',
				name: 'renewPreview',
				type: 'boolean',
				default: false,
				description:
					'Whether to ask Meta for a new preview link (the old one stops working); otherwise the current one is returned',
			},
		],
	},
];

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const flowId = readFlowId(this, itemIndex);
	const options = this.getNodeParameter('getOptions', itemIndex, {}) as {
		includeJsonUrl?: boolean;
		renewPreview?: boolean;
	};
	const flow = await getFlow.call(
		this,
		flowId,
		{ invalidatePreview: options.renewPreview === true },
		itemIndex,
	);
	const json: IDataObject = { ...flow, validation_errors: flow.validation_errors ?? [] };
	if (options.includeJsonUrl === true) {
		const assets = await getFlowAssets.call(this, flowId, itemIndex);
		json.flow_json_url =
			assets.find((asset) => asset.asset_type === 'FLOW_JSON')?.download_url ?? null;
	}
	return [{ json }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Get',
		value: 'get',
		description: 'Get a Flow with its status, validation errors, health and preview URL',
		action: 'Get a flow',
	},
	properties: fields,
	execute,
};
