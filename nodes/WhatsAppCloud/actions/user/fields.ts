import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { phoneNumberIdField } from '../../descriptions/common';
import type { BlockAction } from '../../helpers/account/blockUsers';
import {
	BLOCK_USERS_PER_REQUEST_MAX,
	BLOCKLIST_MAX,
	blockUserHint,
	planBlockUsers,
	usersFromParameter,
} from '../../helpers/account/blockUsers';
import { graphErrorHint } from '../../helpers/graphError';
import { changeBlockedUsers } from '../../transport/account';
import { forItem } from '../errors';
import { readPhoneNumberId } from '../parameters';

/** The business number whose account data an operation reads or changes. */
export function businessNumberField(description: string): INodeProperties {
	return { ...phoneNumberIdField, displayName: 'Phone Number', description };
}

export function blockFields(action: BlockAction): INodeProperties[] {
	const verb = action === 'block' ? 'block' : 'unblock';
	return [
		businessNumberField(`The business phone number whose blocklist to change`),
		{
			displayName: 'Users',
			name: 'users',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. +1 650 555 1234, US.13491208655302741918',
			description: `The users to ${verb}: phone numbers in international format or business-scoped user IDs, one per line or separated by commas (or an expression returning a list). Up to ${BLOCKLIST_MAX.toLocaleString('en-US')}; they are sent ${BLOCK_USERS_PER_REQUEST_MAX.toLocaleString('en-US')} per request.`,
			hint:
				action === 'block'
					? 'Meta blocks only users who messaged this number in the last 24 hours'
					: undefined,
		},
	];
}

/** Block or Unblock: one output item per distinct user, saying whether Meta changed it and why not. */
export async function executeBlockChange(
	context: IExecuteFunctions,
	action: BlockAction,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const phoneNumberId = readPhoneNumberId(context, itemIndex, 'Phone Number');
	const users = usersFromParameter(context.getNodeParameter('users', itemIndex, ''));
	const plan = forItem(context, itemIndex, () => planBlockUsers(users, 'users'));
	const results = await changeBlockedUsers.call(context, phoneNumberId, action, plan, itemIndex);
	return results.map((result) => {
		const json: IDataObject = { phoneNumberId, user: result.input, action, ok: result.ok };
		if (result.waId !== undefined) json.waId = result.waId;
		if (result.userId !== undefined) json.userId = result.userId;
		if (result.error) {
			const code = result.error.code;
			const hint = blockUserHint(code) ?? (code === null ? undefined : graphErrorHint(code));
			json.error = { ...result.error, ...(hint ? { hint } : {}) };
		}
		return { json };
	});
}
