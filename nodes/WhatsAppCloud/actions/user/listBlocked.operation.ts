import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { returnAllOrLimit } from '../../descriptions/common';
import { listBlockedUsers } from '../../transport/account';
import { collectPages } from '../../transport/paging';
import type { ItemOperation } from '../node.type';
import { readPhoneNumberId } from '../parameters';
import { businessNumberField } from './fields';

/** Meta states no page size for the blocklist; 100 keeps each call small. */
const PAGE_SIZE = 100;

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = readPhoneNumberId(this, itemIndex, 'Phone Number');
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const users = await collectPages(
		(page) => listBlockedUsers.call(this, phoneNumberId, page, itemIndex),
		limit,
		PAGE_SIZE,
	);
	return users.map((user) => ({
		json: {
			phoneNumberId,
			...(user.wa_id !== undefined ? { waId: user.wa_id } : {}),
			...(user.user_id !== undefined ? { userId: user.user_id } : {}),
		},
	}));
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'List Blocked',
		value: 'listBlocked',
		description: 'List the users this number has blocked',
		action: 'List blocked users',
	},
	properties: [
		businessNumberField('The business phone number whose blocklist to read'),
		...returnAllOrLimit(),
	],
	execute,
};
