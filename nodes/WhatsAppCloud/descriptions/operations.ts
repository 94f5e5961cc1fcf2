import type { INodeProperties } from 'n8n-workflow';

/** The operation selector of each resource. */
export const operationSelectors: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['media'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete an uploaded media file',
				action: 'Delete media',
			},
			{
				name: 'Download',
				value: 'download',
				description: 'Download a media file (e.g. one a customer sent) into binary data',
				action: 'Download media',
			},
			{
				name: 'Get URL',
				value: 'getUrl',
				description: 'Get the short-lived download URL, type, size and hash of a media file',
				action: 'Get media URL',
			},
			{
				name: 'Upload',
				value: 'upload',
				description: 'Upload binary data and get a media ID to send',
				action: 'Upload media',
			},
		],
		default: 'upload',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Mark as Read',
				value: 'markAsRead',
				description:
					'Mark a received message as read (blue ticks), optionally showing a typing indicator',
				action: 'Mark a message as read',
			},
			{
				name: 'Send Contacts',
				value: 'sendContacts',
				description: 'Send one or more contact cards',
				action: 'Send contacts',
			},
			{
				name: 'Send Interactive',
				value: 'sendInteractive',
				description:
					'Send reply buttons, a list, a call-to-action URL, a location request or a flow',
				action: 'Send an interactive message',
			},
			{
				name: 'Send Location',
				value: 'sendLocation',
				description: 'Send a map location',
				action: 'Send a location',
			},
			{
				name: 'Send Media',
				value: 'sendMedia',
				description: 'Send an image, video, audio, voice note, document or sticker',
				action: 'Send media',
			},
			{
				name: 'Send Reaction',
				value: 'sendReaction',
				description: 'React to a message with an emoji, or remove the reaction',
				action: 'Send a reaction',
			},
			{
				name: 'Send Template',
				value: 'sendTemplate',
				description:
					'Send an approved message template, the only kind allowed outside the 24-hour window',
				action: 'Send a template',
			},
			{
				name: 'Send Text',
				value: 'sendText',
				description: 'Send a text message',
				action: 'Send a text message',
			},
		],
		default: 'sendText',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['phoneNumber'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a business phone number with its quality rating and throughput',
				action: 'Get a phone number',
			},
			{
				name: 'List',
				value: 'list',
				description: 'List the phone numbers of the business account',
				action: 'List phone numbers',
			},
		],
		default: 'list',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['template'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a message template for review',
				action: 'Create a template',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a message template by name',
				action: 'Delete a template',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a message template with its components',
				action: 'Get a template',
			},
			{
				name: 'List',
				value: 'list',
				description: 'List the message templates of the business account',
				action: 'List templates',
			},
		],
		default: 'list',
	},
];
