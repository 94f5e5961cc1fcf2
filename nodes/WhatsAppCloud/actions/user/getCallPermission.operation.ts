import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { normalizeRecipient } from '../../helpers/recipient';
import { getCallPermissions } from '../../transport/calling';
import { forItem } from '../errors';
import type { ItemOperation } from '../node.type';
import { readPhoneNumberId } from '../parameters';
import { businessNumberField } from './fields';

const unixToIso = (seconds: unknown) =>
	typeof seconds === 'number' && Number.isFinite(seconds)
		? new Date(seconds * 1000).toISOString()
		: null;

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = readPhoneNumberId(this, itemIndex, 'Phone Number');
	const input = this.getNodeParameter('user', itemIndex, '');
	const recipient = forItem(this, itemIndex, () => normalizeRecipient(input, 'user'));
	const user = 'to' in recipient ? { waId: recipient.to } : { userId: recipient.recipient };
	const answer = await getCallPermissions.call(this, phoneNumberId, user, itemIndex);
	const can = (name: string) =>
		answer.actions?.find((action) => action.action_name === name)?.can_perform_action === true;
	const json: IDataObject = {
		phoneNumberId,
		user: 'to' in recipient ? recipient.to : recipient.recipient,
		status: answer.permission?.status ?? null,
		expiresAt: unixToIso(answer.permission?.expiration_time),
		canSendPermissionRequest: can('send_call_permission_request'),
		canStartCall: can('start_call'),
		permission: (answer.permission ?? null) as IDataObject | null,
		actions: (answer.actions ?? []) as unknown as IDataObject[],
	};
	return [{ json }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Get Call Permission',
		value: 'getCallPermission',
		description:
			'Whether a user allows calls from this number, and how many permission requests and calls are left',
		action: 'Get a call permission',
	},
	properties: [
		businessNumberField('The business phone number (calling must be enabled on it)'),
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. +1 650 555 1234',
			description: 'The user: a phone number in international format or a business-scoped user ID',
		},
	],
	execute,
};
