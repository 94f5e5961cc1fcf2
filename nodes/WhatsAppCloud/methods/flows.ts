/**
 * The Flow picker: the Flows of the node's Business Account, else of the credential's (value = Flow
 * ID).
 */
import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';
import type { GraphFlow } from '../transport/flows';
import { listFlows } from '../transport/flows';
import { pickerBusinessAccountId } from '../transport/graph';

const PAGE_SIZE = 100;
const PICKER_FIELDS = ['id', 'name', 'status', 'categories'];

/** "Booking (DRAFT)". */
export function flowLabel(flow: GraphFlow): string {
	const name = flow.name ?? flow.id;
	return flow.status ? `${name} (${flow.status})` : name;
}

/** Whether the typed filter matches a Flow's name, status or ID (case-insensitive). */
export function matchesFlowFilter(flow: GraphFlow, filter: string): boolean {
	const needle = filter.trim().toLowerCase();
	return needle === '' || flowLabel(flow).toLowerCase().includes(needle) || flow.id === needle;
}

export async function searchFlows(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const wabaId = await pickerBusinessAccountId.call(this, 'pick a Flow from a list');
	const page = await listFlows.call(this, wabaId, {
		limit: PAGE_SIZE,
		after: paginationToken,
		fields: PICKER_FIELDS,
	});
	const results: INodeListSearchItems[] = page.flows
		.filter((flow) => matchesFlowFilter(flow, filter ?? ''))
		.map((flow) => ({
			name: flowLabel(flow),
			value: flow.id,
			...(flow.categories?.length ? { description: flow.categories.join(', ') } : {}),
		}));
	return { results, paginationToken: page.after };
}

export const flowListSearch = { searchFlows };
