/**
 * The Flow picker: the Flows of the node's Business Account, else of the credential's (value = Flow
 * ID).
 */
import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIALS_NAME } from '../helpers/constants';
import type { GraphFlow } from '../transport/flows';
import { listFlows } from '../transport/flows';
import { chosenBusinessAccountId } from '../transport/graph';

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
	const credentials = await this.getCredentials(CREDENTIALS_NAME);
	const wabaId =
		chosenBusinessAccountId.call(this) || String(credentials.businessAccountId ?? '').trim();
	if (wabaId === '') {
		// The picker cannot show hints, so the error is the message.
		throw new NodeOperationError(
			this.getNode(),
			'Add the WhatsApp Business Account ID to the credential to pick a Flow from a list, or switch to "By ID"',
		);
	}
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
