import type { INodeProperties } from 'n8n-workflow';

/**
 * The WhatsApp Business Account a node works on, per node: one credential (one system-user token)
 * then serves every client account the token was granted. Empty: the credential's account.
 */
export const businessAccountField: INodeProperties = {
	displayName: 'Business Account',
	name: 'businessAccountId', // BUSINESS_ACCOUNT_PARAMETER
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description:
		"The WhatsApp Business Account (WABA) to work on, from the accounts the credential's token was granted. Leave empty to use the credential's WhatsApp Business Account ID.",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchBusinessAccounts', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 102290129340398',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*\\d*\\s*$',
						errorMessage: 'A WhatsApp Business Account ID has only digits',
					},
				},
			],
		},
	],
};

/** The sending business number: picked from the business account, or given by ID. */
export const phoneNumberIdField: INodeProperties = {
	displayName: 'Sender Phone Number',
	name: 'phoneNumberId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The business phone number the message is sent from (its phone number ID)',
	// The list follows the node's Business Account field where the operation has one.
	typeOptions: { loadOptionsDependsOn: ['businessAccountId.value'] },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchPhoneNumbers', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 106540352242922',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*\\d+\\s*$',
						errorMessage: 'A phone number ID has only digits',
					},
				},
			],
		},
	],
};

export const recipientField: INodeProperties = {
	displayName: 'Recipient',
	name: 'recipient',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. +1 650 555 1234 or US.13491208655302741918',
	description:
		"The customer's phone number in international format (any spacing or punctuation; it is normalized to digits), or their business-scoped user ID",
};

/** Options every message send offers, plus the operation's own. Sorted by name for the lint. */
export function sendOptions(extra: INodeProperties[] = []): INodeProperties {
	const common: INodeProperties[] = [
		{
			displayName: 'Callback Data',
			name: 'callbackData',
			type: 'string',
			default: '',
			description:
				'Up to 512 characters Meta echoes back in every status webhook of this message (e.g. an order ID)',
		},
		{
			displayName: 'Reply To Message ID',
			name: 'replyToMessageId',
			type: 'string',
			default: '',
			placeholder: 'e.g. wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA',
			description: 'Quote this earlier message (its wamid) in the reply',
		},
	];
	return {
		displayName: 'Message Options',
		name: 'messageOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...common, ...extra].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** Return All / Limit, for list operations. */
export function returnAllOrLimit(): INodeProperties[] {
	return [
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
}
