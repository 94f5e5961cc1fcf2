import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { businessAccountField, returnAllOrLimit } from '../../descriptions/common';
import type { FlowCategory, FlowStatus } from '../../helpers/flows/management';
import type { GraphFlow } from '../../transport/flows';
import { listFlows } from '../../transport/flows';
import { requireBusinessAccountId } from '../../transport/graph';
import type { ItemOperation } from '../node.type';
import { flowCategoryOptions, flowStatusOptions } from './fields';

const PAGE_SIZE = 100;
/** Meta's default fields of the list, asked for by name. */
const LIST_FIELDS = ['id', 'name', 'status', 'categories', 'validation_errors'];

const fields: INodeProperties[] = [
	businessAccountField,
	...returnAllOrLimit(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Category',
				name: 'categories',
				type: 'multiOptions',
				default: [],
				options: flowCategoryOptions,
				description: 'Only Flows with one of these categories',
			},
			{
				displayName: 'Name Contains',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. booking',
				description: 'Only Flows whose name contains this text (case-insensitive)',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				default: [],
				options: flowStatusOptions,
				description: 'Only Flows in these states',
			},
		],
	},
];

export interface FlowListFilters {
	categories?: FlowCategory[];
	name?: string;
	status?: FlowStatus[];
}

/** Graph's Flow list takes no filters; they apply here, page by page. */
export function matchesFlowListFilters(flow: GraphFlow, filters: FlowListFilters): boolean {
	const name = (filters.name ?? '').trim().toLowerCase();
	return (
		(!filters.status?.length ||
			(flow.status !== undefined && filters.status.includes(flow.status))) &&
		(!filters.categories?.length ||
			(flow.categories ?? []).some((category) => filters.categories!.includes(category))) &&
		(name === '' || (flow.name ?? '').toLowerCase().includes(name))
	);
}

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as FlowListFilters;
	const wabaId = await requireBusinessAccountId.call(this, itemIndex);
	const flows: GraphFlow[] = [];
	let after: string | undefined;
	do {
		const page = await listFlows.call(
			this,
			wabaId,
			{ limit: PAGE_SIZE, after, fields: LIST_FIELDS },
			itemIndex,
		);
		flows.push(...page.flows.filter((flow) => matchesFlowListFilters(flow, filters)));
		after = page.after;
	} while (after && flows.length < limit);
	return flows.slice(0, limit).map((flow) => ({ json: flow as IDataObject }));
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'List',
		value: 'list',
		description: 'List the Flows of the business account with their status',
		action: 'List flows',
	},
	properties: fields,
	execute,
};
