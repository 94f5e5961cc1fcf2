import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { phoneNumberIdField } from '../../descriptions/common';
import { getPhoneNumber } from '../../transport/phoneNumbers';
import type { ItemOperation } from '../node.type';

const fields: INodeProperties[] = [
	{
		...phoneNumberIdField,
		displayName: 'Phone Number',
		description:
			'The business phone number to look up: its display number, verified name, quality rating, throughput level, messaging limit, name status, platform type and code verification status',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['phoneNumber'], operation: ['get'] } },
	fields,
);

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = String(
		this.getNodeParameter('phoneNumberId', itemIndex, '', { extractValue: true }),
	).trim();
	if (phoneNumberId === '') {
		throw new NodeOperationError(this.getNode(), 'Phone Number is empty', {
			itemIndex,
			description: 'Pick a business phone number from the list, or give its phone number ID.',
		});
	}
	const phoneNumber = await getPhoneNumber.call(this, phoneNumberId, itemIndex);
	return [{ json: phoneNumber }];
}

export const operation: ItemOperation = { kind: 'item', description, execute };
