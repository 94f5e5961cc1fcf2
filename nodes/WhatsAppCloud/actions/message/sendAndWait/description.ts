import type { INodeProperties } from 'n8n-workflow';

import { phoneNumberIdField, recipientField } from '../../../descriptions/common';
import {
	INTERACTIVE_BODY_MAX,
	INTERACTIVE_FOOTER_MAX,
	INTERACTIVE_HEADER_TEXT_MAX,
} from '../../../helpers/limits';
import { formProperties, formResponseTypeOptions } from './formFields';
import { windowClosedFields } from './template';

export const DEFAULT_ANSWER_REPLY = 'Thank you, your answer was received: {answer}';

/** The fields of Message → Send and Wait for Response. */
export const sendAndWaitFields: INodeProperties[] = [
	{
		displayName:
			'The answer arrives through Meta\'s webhook: an active workflow with a "WhatsApp Cloud API Trigger" on the same Meta app (with "Resume Send and Wait" on, the default) hands each tap to the waiting execution.',
		name: 'sendAndWaitNotice',
		type: 'notice',
		default: '',
	},
	phoneNumberIdField,
	recipientField,
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Your order #1042 is ready. Shall we ship it today?',
		description: `The question, 1 to ${INTERACTIVE_BODY_MAX} characters`,
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Approval',
				value: 'approval',
				description: 'One button (approve) or two (approve and decline)',
			},
			{
				name: 'Choice',
				value: 'choice',
				description: '2 to 3 options as buttons, 4 to 10 as a list',
			},
			...formResponseTypeOptions,
		],
		default: 'approval',
	},
	...formProperties,
	{
		displayName: 'Approval Options',
		name: 'approvalOptions',
		type: 'fixedCollection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { responseType: ['approval'] } },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Type of Approval',
						name: 'approvalType',
						type: 'options',
						options: [
							{ name: 'Approve Only', value: 'single' },
							{ name: 'Approve and Disapprove', value: 'double' },
						],
						default: 'double',
					},
					{
						displayName: 'Approve Button Label',
						name: 'approveLabel',
						type: 'string',
						default: 'Approve',
					},
					{
						displayName: 'Disapprove Button Label',
						name: 'disapproveLabel',
						type: 'string',
						default: 'Decline',
						displayOptions: { show: { approvalType: ['double'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Options to Choose From',
		name: 'choices',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { responseType: ['choice'] } },
		options: [
			{
				displayName: 'Option',
				name: 'option',
				values: [
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: 'What the customer sees: up to 20 characters on a button, 24 in a list',
					},
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
						description: 'Shown under the title when the options form a list (up to 72 characters)',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'What the output carries as `choice` (the title when empty)',
					},
				],
			},
		],
	},
	{
		displayName: 'List Button Label',
		name: 'listButtonLabel',
		type: 'string',
		default: 'Choose',
		displayOptions: { show: { responseType: ['choice'] } },
		description:
			'The label of the button that opens the list (4 or more options), up to 20 characters',
	},
	...windowClosedFields,
	{
		displayName: 'Options',
		name: 'waitOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Footer',
				name: 'footer',
				type: 'string',
				default: '',
				description: `Small grey text under the message, up to ${INTERACTIVE_FOOTER_MAX} characters`,
			},
			{
				displayName: 'Header',
				name: 'header',
				type: 'string',
				default: '',
				description: `Bold text above the message, up to ${INTERACTIVE_HEADER_TEXT_MAX} characters`,
			},
			{
				displayName: 'Limit Wait Time',
				name: 'limitWaitTime',
				type: 'fixedCollection',
				default: {
					values: { limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'hours' },
				},
				description:
					'Whether to stop waiting after a while; the execution then continues with `timedOut: true`',
				options: [
					{
						displayName: 'Values',
						name: 'values',
						values: [
							{
								displayName: 'Limit Type',
								name: 'limitType',
								type: 'options',
								default: 'afterTimeInterval',
								options: [
									{ name: 'After Time Interval', value: 'afterTimeInterval' },
									{ name: 'At Specified Time', value: 'atSpecifiedTime' },
								],
							},
							{
								displayName: 'Amount',
								name: 'resumeAmount',
								type: 'number',
								default: 1,
								typeOptions: { minValue: 0, numberPrecision: 2 },
								displayOptions: { show: { limitType: ['afterTimeInterval'] } },
							},
							{
								displayName: 'Unit',
								name: 'resumeUnit',
								type: 'options',
								default: 'hours',
								displayOptions: { show: { limitType: ['afterTimeInterval'] } },
								options: [
									{ name: 'Days', value: 'days' },
									{ name: 'Hours', value: 'hours' },
									{ name: 'Minutes', value: 'minutes' },
								],
							},
							{
								displayName: 'Max Date and Time',
								name: 'maxDateAndTime',
								type: 'dateTime',
								default: '',
								displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
							},
						],
					},
				],
			},
			{
				displayName: 'Reply After Answer',
				name: 'replyAfterAnswer',
				type: 'string',
				default: DEFAULT_ANSWER_REPLY,
				description:
					'Sent to the customer once their answer is taken; {answer} becomes the tapped title. Empty: no reply.',
			},
		],
	},
];
