import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { GraphPhoneNumber } from '../../transport/phoneNumbers';
import { listPhoneNumbers } from '../../transport/phoneNumbers';
import { businessAccountField, returnAllOrLimit } from '../../descriptions/common';
import { requireBusinessAccountId } from '../../transport/graph';
import type { ItemOperation } from '../node.type';

/** Graph's largest page for this edge is not documented; 100 keeps a call small and rarely pages. */
const PAGE_SIZE = 100;

const fields: INodeProperties[] = [businessAccountField, ...returnAllOrLimit()];

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const wabaId = await requireBusinessAccountId.call(this, itemIndex);
	const numbers: GraphPhoneNumber[] = [];
	let after: string | undefined;
	do {
		const page = await listPhoneNumbers.call(
			this,
			wabaId,
			{ limit: Math.min(PAGE_SIZE, limit - numbers.length), after },
			itemIndex,
		);
		numbers.push(...page.numbers);
		// Stop on an empty page too, so a cursor that never ends cannot loop forever.
		after = page.numbers.length > 0 ? page.after : undefined;
	} while (after && numbers.length < limit);
	return numbers.slice(0, limit).map((json) => ({ json }));
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'List',
		value: 'list',
		description: 'List the phone numbers of the business account',
		action: 'List phone numbers',
	},
	properties: fields,
	execute,
};
