import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { phoneNumberIdField } from '../../descriptions/common';
import { readPhoneNumberId } from '../parameters';
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

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = readPhoneNumberId(this, itemIndex, 'Phone Number');
	const phoneNumber = await getPhoneNumber.call(this, phoneNumberId, itemIndex);
	return [{ json: phoneNumber }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Get',
		value: 'get',
		description: 'Get a business phone number with its quality rating and throughput',
		action: 'Get a phone number',
	},
	properties: fields,
	execute,
};
