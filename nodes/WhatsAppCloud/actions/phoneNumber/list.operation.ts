import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { CREDENTIALS_NAME } from '../../helpers/constants';
import type { GraphPhoneNumber } from '../../transport/phoneNumbers';
import { listPhoneNumbers } from '../../transport/phoneNumbers';
import type { ItemOperation } from '../node.type';

/** Graph's largest page for this edge is not documented; 100 keeps a call small and rarely pages. */
const PAGE_SIZE = 100;

const fields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['phoneNumber'], operation: ['list'] } },
	fields,
);

/** The credential's WhatsApp Business Account ID, or a clear error saying where to find it. */
export async function requireBusinessAccountId(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<string> {
	const credentials = await this.getCredentials(CREDENTIALS_NAME, itemIndex);
	const wabaId = String(credentials.businessAccountId ?? '').trim();
	if (wabaId === '') {
		throw new NodeOperationError(
			this.getNode(),
			'The credential has no WhatsApp Business Account ID, which listing phone numbers needs',
			{
				itemIndex,
				description:
					'Add it to the WhatsApp Cloud API credential (WhatsApp Manager → Account tools → Phone numbers, or App Dashboard → WhatsApp → API Setup).',
			},
		);
	}
	return wabaId;
}

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

export const operation: ItemOperation = { kind: 'item', description, execute };
