import type { INodeProperties } from 'n8n-workflow';

import { businessAccountField, phoneNumberIdField } from '../descriptions/common';
import { MESSAGE_TYPES, STATUS_VALUES, WEBHOOK_FIELDS } from '../helpers/types/webhook';
import { OTHER } from '../helpers/webhook/filter';

/** The trigger's `options` collection, as n8n hands it to the webhook. */
export interface TriggerOptions {
	businessAccountIds?: string;
	dedupeWindowMinutes?: number;
	downloadMedia?: boolean;
	binaryPropertyName?: string;
	fields?: string[];
	includePayload?: boolean;
	messageTypes?: string[];
	phoneNumberIds?: string;
	replaceExistingSubscription?: boolean;
	resumeSendAndWait?: boolean;
	emitAnswers?: boolean;
	staleAnswerReply?: string;
	waitingEndpoint?: string;
	statuses?: string[];
	verifyToken?: string;
}

export const DEFAULT_DEDUPE_WINDOW_MINUTES = 10;

const titleCase = (value: string) =>
	value
		.split('_')
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');

const MESSAGE_TYPE_NAMES: Partial<Record<string, string>> = {
	button: 'Template Button Reply',
	interactive: 'Interactive Reply (Buttons, Lists, Flows)',
	request_welcome: 'Request Welcome (First Contact)',
	unknown: 'Unknown (Legacy Unsupported)',
};

const MESSAGE_TYPE_OPTIONS = [
	...MESSAGE_TYPES.map((type) => ({
		name: MESSAGE_TYPE_NAMES[type] ?? titleCase(type),
		value: type,
	})),
	{ name: 'Other (Types Not Known Yet)', value: OTHER },
].sort((a, b) => a.name.localeCompare(b.name));

const OTHER_FIELD_OPTIONS = [
	...WEBHOOK_FIELDS.filter((field) => field !== 'messages').map((field) => ({
		name: titleCase(field),
		value: field,
	})),
	{ name: 'Other (Fields Not Known Yet)', value: OTHER },
].sort((a, b) => a.name.localeCompare(b.name));

const SUBSCRIBE_FIELD_OPTIONS = WEBHOOK_FIELDS.map((field) => ({
	name: titleCase(field),
	value: field,
})).sort((a, b) => a.name.localeCompare(b.name));

/** The trigger's parameters: registration, events and options. */
export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Registration',
		name: 'registration',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Automatic',
				value: 'automatic',
				description:
					"On activation, point the Meta app's WhatsApp webhook at this node and subscribe the business account (needs App ID, App Secret and Business Account ID in the credential)",
			},
			{
				name: 'Manual',
				value: 'manual',
				description: "You paste this node's URL and the verify token into Meta's App Dashboard",
			},
		],
		default: 'automatic',
	},
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'App',
				value: 'app',
				description:
					"The Meta app's webhook URL: every event of the app that no business account or phone number override claims, plus template and account updates",
			},
			{
				name: 'Business Account',
				value: 'businessAccount',
				description:
					"A webhook override for one WhatsApp Business Account: its numbers' messages and statuses come here (unless a number has its own override)",
			},
			{
				name: 'Phone Number',
				value: 'phoneNumber',
				description:
					'A webhook override for one phone number: only its messages and statuses come here',
			},
		],
		default: 'app',
		description: 'Which events Meta sends to this trigger; several workflows can share one app',
		displayOptions: { show: { registration: ['automatic'] } },
	},
	{
		...businessAccountField,
		description:
			"App scope: the account the app is subscribed to. Business Account scope: the account whose events come here. Phone Number scope: the number's account. Leave empty to use the credential's WhatsApp Business Account ID.",
		displayOptions: { show: { registration: ['automatic'] } },
	},
	{
		...phoneNumberIdField,
		displayName: 'Phone Number',
		description: 'The business phone number whose events come to this trigger',
		displayOptions: { show: { registration: ['automatic'], scope: ['phoneNumber'] } },
	},
	{
		displayName:
			"A Meta app has one webhook URL for WhatsApp: activating this trigger points the app's webhook here. If it already points at another URL, activation stops with an error unless 'Replace Existing Webhook' is on. Deactivating removes only a webhook that points here.",
		name: 'automaticNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { registration: ['automatic'], scope: ['app'] } },
	},
	{
		displayName:
			"Activating points the account's or number's webhooks at this trigger (a webhook override); Meta first verifies the URL with this trigger's verify token. An override of another workflow is never replaced, and deactivating removes only an override that points here. Template and account updates still go to the app's webhook URL.",
		name: 'overrideNotice',
		type: 'notice',
		default: '',
		displayOptions: {
			show: { registration: ['automatic'], scope: ['businessAccount', 'phoneNumber'] },
		},
	},
	{
		displayName:
			"In the App Dashboard → WhatsApp → Configuration, set Callback URL to this node's Production URL (Webhook URLs above) and Verify Token to the credential's Verify Token (or this trigger's Verify Token option), then subscribe to the Messages field (and any other fields you want). The credential's App Secret is still required: every POST is verified with it.",
		name: 'manualNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { registration: ['manual'] } },
	},
	{
		displayName: 'Subscribe to Fields',
		name: 'subscribeFields',
		type: 'multiOptions',
		options: SUBSCRIBE_FIELD_OPTIONS,
		default: ['messages'],
		description:
			"Webhook fields the app subscribes to on activation. Messages carries inbound messages, statuses and errors; the others need the app's permission for them.",
		displayOptions: { show: { registration: ['automatic'], scope: ['app'] } },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: [
			{
				name: 'Calls',
				value: 'call',
				description:
					'Calling API events: call permission replies, call connects, ends and statuses',
			},
			{
				name: 'Errors',
				value: 'error',
				description: 'Asynchronous errors Meta reports without a message or status',
			},
			{
				name: 'Messages',
				value: 'message',
				description: 'Inbound user messages of every type',
			},
			{
				name: 'Other Fields',
				value: 'field',
				description: 'Template, account, quality, user preference and other field updates',
			},
			{
				name: 'Statuses',
				value: 'status',
				description: 'Sent, delivered, read, played and failed receipts of your messages',
			},
		],
		default: ['call', 'error', 'message', 'field', 'status'],
		description: 'Which events start the workflow; each event becomes one item',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Business Account IDs',
				name: 'businessAccountIds',
				type: 'string',
				default: '',
				placeholder: '102290129340398, 109876543210123',
				description:
					'Only events of these WhatsApp Business Account IDs (comma-separated). Empty: all.',
			},
			{
				displayName: 'De-Duplication Window (Minutes)',
				name: 'dedupeWindowMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_DEDUPE_WINDOW_MINUTES,
				description:
					'Meta may deliver the same message or status more than once; repeats within this window are dropped. 0 turns it off.',
			},
			{
				displayName: 'Download Media',
				name: 'downloadMedia',
				type: 'boolean',
				default: false,
				description:
					'Whether to download the media of image, video, audio, document and sticker messages into binary data (checked against its SHA-256)',
			},
			{
				displayName: 'Include Full Payload',
				name: 'includePayload',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the whole webhook body, as Meta sent it, to every item under "payload" (each item always carries its own raw event)',
			},
			{
				displayName: 'Media Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'Binary property that receives downloaded media',
			},
			{
				displayName: 'Message Types',
				name: 'messageTypes',
				type: 'multiOptions',
				options: MESSAGE_TYPE_OPTIONS,
				default: [],
				description: 'Only messages of these types. Empty: all types.',
			},
			{
				displayName: 'Other Fields',
				name: 'fields',
				type: 'multiOptions',
				options: OTHER_FIELD_OPTIONS,
				default: [],
				description: 'Only these non-message fields. Empty: all fields.',
			},
			{
				displayName: 'Phone Number IDs',
				name: 'phoneNumberIds',
				type: 'string',
				default: '',
				placeholder: '106540352242922, 113269274970227',
				description:
					'Only events received by these phone number IDs (comma-separated); events without a phone number (templates, account) still pass. Empty: all.',
			},
			{
				displayName: 'Replace Existing Webhook',
				name: 'replaceExistingSubscription',
				type: 'boolean',
				default: false,
				description:
					"Whether automatic registration (App scope) may take over the app's webhook when it points at another URL; the previous URL is restored on deactivation. Overrides are never taken over.",
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: STATUS_VALUES.map((status) => ({ name: titleCase(status), value: status })),
				default: [],
				description: 'Only these status values. Empty: all statuses.',
			},
			{
				displayName: 'Verify Token',
				name: 'verifyToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					"This trigger's own token for Meta's GET handshake, sent when registering and checked when Meta verifies the URL. Each override URL is verified on its own, so workflows may use different tokens. Empty: the credential's Verify Token.",
			},
		],
	},
];
