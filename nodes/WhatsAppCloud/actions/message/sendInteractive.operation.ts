import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { phoneNumberIdField, recipientField, sendOptions } from '../../descriptions/common';
import { flowIdField } from '../../descriptions/flows';
import {
	CTA_DISPLAY_TEXT_MAX,
	FLOW_CTA_MAX,
	INTERACTIVE_BODY_MAX,
	INTERACTIVE_FOOTER_MAX,
	INTERACTIVE_HEADER_TEXT_MAX,
	LIST_BUTTON_LABEL_MAX,
	LIST_ROW_DESCRIPTION_MAX,
	LIST_ROW_ID_MAX,
	LIST_ROW_TITLE_MAX,
	LIST_ROWS_TOTAL_MAX,
	LIST_SECTION_TITLE_MAX,
	LIST_SECTIONS_MAX,
	REPLY_BUTTON_ID_MAX,
	REPLY_BUTTON_TITLE_MAX,
	REPLY_BUTTONS_MAX,
} from '../../helpers/limits';
import {
	PRODUCT_LIST_PRODUCTS_MAX,
	PRODUCT_LIST_SECTIONS_MAX,
} from '../../helpers/payloads/commerce';
import { parseJsonParameter } from '../../helpers/check';
import { trimmedValue } from '../../helpers/parameters';
import { buildMessage } from '../../helpers/payloads/envelope';
import type {
	FlowInput,
	InteractiveHeaderInput,
	InteractiveInput,
	ListSectionInput,
	ReplyButtonInput,
} from '../../helpers/payloads/interactive';
import { buildInteractiveContent } from '../../helpers/payloads/interactive';
import type {
	ClientFlowAction,
	ClientFlowMode,
	ClientInteractiveType,
} from '../../helpers/types/client';
import type { MessageSend } from '../../transport/sender';
import type { SendOperation } from '../node.type';
import { forItem } from '../errors';
import {
	COMMERCE_WITH_FOOTER,
	commerceAndCallingFields,
	isCommerceOrCallingType,
	readCommerceOrCallingContent,
} from './commerceAndCalling';
import { readEnvelope } from './envelope';

const WITH_TEXT_HEADER: ClientInteractiveType[] = ['list', 'cta_url', 'flow'];
const WITH_FOOTER: string[] = ['button', 'list', 'cta_url', 'flow', ...COMMERCE_WITH_FOOTER];

/** The optional header: text, or media for reply buttons. */
const headerFields: INodeProperties[] = [
	{
		displayName: 'Header',
		name: 'headerType',
		type: 'options',
		noDataExpression: true,
		default: 'none',
		options: [
			{ name: 'Document', value: 'document' },
			{ name: 'Image', value: 'image' },
			{ name: 'None', value: 'none' },
			{ name: 'Text', value: 'text' },
			{ name: 'Video', value: 'video' },
		],
		description: 'What is shown above the body',
		displayOptions: { show: { interactiveType: ['button'] } },
	},
	{
		displayName: 'Header',
		name: 'headerType',
		type: 'options',
		noDataExpression: true,
		default: 'none',
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Text', value: 'text' },
		],
		description:
			'What is shown above the body (lists, CTA URL and flow messages take only a text header)',
		displayOptions: { show: { interactiveType: WITH_TEXT_HEADER } },
	},
	{
		displayName: 'Header Text',
		name: 'headerText',
		type: 'string',
		default: '',
		required: true,
		description: `Bold header line, up to ${INTERACTIVE_HEADER_TEXT_MAX} characters`,
		displayOptions: {
			show: { interactiveType: ['button', ...WITH_TEXT_HEADER], headerType: ['text'] },
		},
	},
	{
		displayName: 'Header Media Source',
		name: 'headerMediaSource',
		type: 'options',
		noDataExpression: true,
		default: 'link',
		options: [
			{ name: 'Media ID', value: 'id', description: 'The ID of media uploaded earlier' },
			{ name: 'URL', value: 'link', description: 'A public http(s) link to the file' },
		],
		description: 'Where the header media comes from (a URL is the most widely supported)',
		displayOptions: {
			show: { interactiveType: ['button'], headerType: ['image', 'video', 'document'] },
		},
	},
	{
		displayName: 'Header Media URL',
		name: 'headerMediaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/banner.jpg',
		description: 'Public http(s) URL of the header image, video or document',
		displayOptions: {
			show: {
				interactiveType: ['button'],
				headerType: ['image', 'video', 'document'],
				headerMediaSource: ['link'],
			},
		},
	},
	{
		displayName: 'Header Media ID',
		name: 'headerMediaId',
		type: 'string',
		default: '',
		required: true,
		description: 'The media ID of an earlier upload',
		displayOptions: {
			show: {
				interactiveType: ['button'],
				headerType: ['image', 'video', 'document'],
				headerMediaSource: ['id'],
			},
		},
	},
];

/** Body and footer. */
const bodyFields: INodeProperties[] = [
	{
		displayName: 'Body',
		name: 'interactiveBody',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		description: `The message text, 1 to ${INTERACTIVE_BODY_MAX} characters`,
		// A product message's body is optional: its own Body field replaces this one.
		displayOptions: { hide: { interactiveType: ['product'] } },
	},
	{
		displayName: 'Footer',
		name: 'interactiveFooter',
		type: 'string',
		default: '',
		description: `Small grey text under the body, up to ${INTERACTIVE_FOOTER_MAX} characters; empty for none`,
		displayOptions: { show: { interactiveType: WITH_FOOTER } },
	},
];

/** Reply buttons (up to 3). */
const replyButtonFields: INodeProperties[] = [
	{
		displayName: 'Buttons',
		name: 'replyButtons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Button',
		default: {},
		description: `1 to ${REPLY_BUTTONS_MAX} buttons, each with a unique ID and a unique title`,
		displayOptions: { show: { interactiveType: ['button'] } },
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. confirm_order',
						description: `Returned in the button_reply when tapped; unique, up to ${REPLY_BUTTON_ID_MAX} characters, no leading or trailing spaces`,
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. Confirm',
						description: `The button label; unique, 1 to ${REPLY_BUTTON_TITLE_MAX} characters`,
					},
				],
			},
		],
	},
];

/** A list: the button that opens it and its sections, as fields or JSON. */
const listFields: INodeProperties[] = [
	{
		displayName: 'List Button Label',
		name: 'listButtonLabel',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Choose a slot',
		description: `The label of the button that opens the list, 1 to ${LIST_BUTTON_LABEL_MAX} characters`,
		displayOptions: { show: { interactiveType: ['list'] } },
	},
	{
		displayName: 'Define Sections',
		name: 'listSectionsInput',
		type: 'options',
		noDataExpression: true,
		default: 'fields',
		options: [
			{ name: 'Using Fields', value: 'fields' },
			{ name: 'Using JSON', value: 'json' },
		],
		description:
			'Whether to enter the sections and rows below, or give them as JSON (e.g. built by an expression)',
		displayOptions: { show: { interactiveType: ['list'] } },
	},
	{
		displayName: 'Sections',
		name: 'listSections',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Section',
		default: {},
		description: `Up to ${LIST_SECTIONS_MAX} sections with ${LIST_ROWS_TOTAL_MAX} rows in total; with more than one section each needs a title`,
		displayOptions: { show: { interactiveType: ['list'], listSectionsInput: ['fields'] } },
		options: [
			{
				displayName: 'Section',
				name: 'section',
				values: [
					{
						displayName: 'Rows',
						name: 'rows',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						placeholder: 'Add Row',
						default: {},
						options: [
							{
								displayName: 'Row',
								name: 'row',
								values: [
									{
										displayName: 'Description',
										name: 'description',
										type: 'string',
										default: '',
										description: `Optional second line, up to ${LIST_ROW_DESCRIPTION_MAX} characters`,
									},
									{
										displayName: 'ID',
										name: 'id',
										type: 'string',
										default: '',
										required: true,
										description: `Returned in the list_reply when chosen; unique across the list, up to ${LIST_ROW_ID_MAX} characters`,
									},
									{
										displayName: 'Title',
										name: 'title',
										type: 'string',
										default: '',
										required: true,
										description: `The row text, 1 to ${LIST_ROW_TITLE_MAX} characters`,
									},
								],
							},
						],
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: `Section heading, up to ${LIST_SECTION_TITLE_MAX} characters; required when there is more than one section`,
					},
				],
			},
		],
	},
	{
		displayName: 'Sections (JSON)',
		name: 'listSectionsJson',
		type: 'json',
		default:
			'[\n  {\n    "title": "Morning",\n    "rows": [\n      { "id": "slot_9", "title": "09:00", "description": "Front desk" }\n    ]\n  }\n]',
		required: true,
		description:
			'An array of sections, each {"title", "rows": [{"ID", "title", "description"}]}, as Meta defines them',
		displayOptions: { show: { interactiveType: ['list'], listSectionsInput: ['json'] } },
	},
];

/** A call-to-action URL button. */
const ctaUrlFields: INodeProperties[] = [
	{
		displayName: 'Button Text',
		name: 'ctaDisplayText',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Track order',
		description: `The button label, 1 to ${CTA_DISPLAY_TEXT_MAX} characters`,
		displayOptions: { show: { interactiveType: ['cta_url'] } },
	},
	{
		displayName: 'Button URL',
		name: 'ctaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/orders/1042',
		description: 'The http(s) URL the button opens',
		displayOptions: { show: { interactiveType: ['cta_url'] } },
	},
];

/** A WhatsApp Flow: which one, its button, and how it opens. */
const flowFields: INodeProperties[] = [
	{
		displayName: 'Flow Identified By',
		name: 'flowIdentifier',
		type: 'options',
		noDataExpression: true,
		default: 'id',
		options: [
			{ name: 'Flow ID', value: 'id' },
			{ name: 'Flow Name', value: 'name' },
		],
		description: 'Whether the flow is given by its ID or by its name',
		displayOptions: { show: { interactiveType: ['flow'] } },
	},
	{
		...flowIdField,
		displayName: 'Flow ID',
		displayOptions: { show: { interactiveType: ['flow'], flowIdentifier: ['id'] } },
	},
	{
		displayName: 'Flow Name',
		name: 'flowName',
		type: 'string',
		default: '',
		required: true,
		description: 'The name of the flow',
		displayOptions: { show: { interactiveType: ['flow'], flowIdentifier: ['name'] } },
	},
	{
		displayName: 'Button Text',
		name: 'flowCta',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Book now',
		description: `The label of the button that opens the flow, 1 to ${FLOW_CTA_MAX} characters, no emoji`,
		displayOptions: { show: { interactiveType: ['flow'] } },
	},
	{
		displayName: 'Flow Session Reference',
		name: 'flowSessionReference',
		type: 'string',
		default: '',
		description:
			'Your identifier for this flow session (Meta\'s flow_token), returned with the completed form (nfm_reply); empty sends "unused"',
		displayOptions: { show: { interactiveType: ['flow'] } },
	},
	{
		displayName: 'Flow Action',
		name: 'flowAction',
		type: 'options',
		noDataExpression: true,
		default: 'navigate',
		options: [
			{
				name: 'Data Exchange',
				value: 'data_exchange',
				description: 'The flow asks your flow endpoint for its first screen',
			},
			{
				name: 'Navigate',
				value: 'navigate',
				description: 'The flow opens on the screen given here, with optional data',
			},
		],
		description: 'How the flow starts',
		displayOptions: { show: { interactiveType: ['flow'] } },
	},
	{
		displayName: 'First Screen',
		name: 'flowScreen',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. WELCOME_SCREEN',
		description: 'The ID of the screen the flow opens on',
		displayOptions: { show: { interactiveType: ['flow'], flowAction: ['navigate'] } },
	},
	{
		displayName: 'Screen Data (JSON)',
		name: 'flowData',
		type: 'json',
		default: '',
		description: 'Optional data for the first screen: a non-empty JSON object; empty for none',
		displayOptions: { show: { interactiveType: ['flow'], flowAction: ['navigate'] } },
	},
	{
		displayName: 'Flow Mode',
		name: 'flowMode',
		type: 'options',
		noDataExpression: true,
		default: 'published',
		options: [
			{ name: 'Draft', value: 'draft', description: 'Test an unpublished flow' },
			{ name: 'Published', value: 'published' },
		],
		description: 'Whether to send the published flow or its draft (for testing)',
		displayOptions: { show: { interactiveType: ['flow'] } },
	},
];

const fields: INodeProperties[] = [
	phoneNumberIdField,
	recipientField,
	{
		displayName: 'Interactive Type',
		name: 'interactiveType',
		type: 'options',
		noDataExpression: true,
		default: 'button',
		options: [
			{
				name: 'Call Permission Request',
				value: 'call_permission_request',
				description:
					'Asks the user to allow calls from this number; the answer comes back as a call_permission_reply',
			},
			{
				name: 'Catalog',
				value: 'catalog_message',
				description:
					"A button opening the business's catalog, with one product's image as thumbnail",
			},
			{
				name: 'CTA URL Button',
				value: 'cta_url',
				description: 'One button that opens a URL',
			},
			{
				name: 'Flow',
				value: 'flow',
				description: 'A button that opens a WhatsApp Flow (a form of screens)',
			},
			{
				name: 'List',
				value: 'list',
				description: `A button opening a menu of up to ${LIST_ROWS_TOTAL_MAX} rows in up to ${LIST_SECTIONS_MAX} sections; the choice comes back as a list_reply`,
			},
			{
				name: 'Location Request',
				value: 'location_request_message',
				description: 'Asks the user to share their location; the answer is a location message',
			},
			{
				name: 'Product',
				value: 'product',
				description: 'One product from a catalog; an order comes back as an order message',
			},
			{
				name: 'Product List',
				value: 'product_list',
				description: `Up to ${PRODUCT_LIST_PRODUCTS_MAX} products of a catalog in up to ${PRODUCT_LIST_SECTIONS_MAX} sections`,
			},
			{
				name: 'Reply Buttons',
				value: 'button',
				description: `Up to ${REPLY_BUTTONS_MAX} quick-reply buttons; the tap comes back as a button_reply with the button ID`,
			},
			{
				name: 'Voice Call Button',
				value: 'voice_call',
				description: 'A button that starts a WhatsApp voice call to this number',
			},
		],
		description: 'The kind of interactive message',
	},
	...headerFields,
	...bodyFields,
	...replyButtonFields,
	...listFields,
	...ctaUrlFields,
	...flowFields,
	...commerceAndCallingFields,
	sendOptions(),
];

type RowFields = { id?: string; title?: string; description?: string };
type SectionFields = { title?: string; rows?: { row?: RowFields[] } };

function sectionsFromFields(value: { section?: SectionFields[] }): ListSectionInput[] {
	return (value.section ?? []).map((section) => ({
		title: section.title ?? '',
		rows: (section.rows?.row ?? []).map((row) => ({
			id: row.id ?? '',
			title: row.title ?? '',
			description: row.description ?? '',
		})),
	}));
}

/** Sections from JSON: an array of sections, or Meta's whole `action` object with `sections`. */
function sectionsFromJson(value: unknown): ListSectionInput[] {
	const parsed = parseJsonParameter('listSectionsJson', value);
	if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'sections' in parsed) {
		return (parsed as { sections: ListSectionInput[] }).sections;
	}
	return parsed as ListSectionInput[];
}

function readHeader(
	context: IExecuteFunctions,
	itemIndex: number,
	type: ClientInteractiveType,
): InteractiveHeaderInput | undefined {
	if (type === 'location_request_message') return undefined;
	const headerType = context.getNodeParameter(
		'headerType',
		itemIndex,
		'none',
	) as InteractiveHeaderInput['type'];
	if (headerType === 'none') return undefined;
	if (headerType === 'text') {
		return { type: 'text', text: context.getNodeParameter('headerText', itemIndex, '') as string };
	}
	const source = context.getNodeParameter('headerMediaSource', itemIndex, 'link') as 'link' | 'id';
	return source === 'id'
		? {
				type: headerType,
				id: trimmedValue(context.getNodeParameter('headerMediaId', itemIndex, '')) as string,
			}
		: {
				type: headerType,
				link: trimmedValue(context.getNodeParameter('headerMediaUrl', itemIndex, '')) as string,
			};
}

function readFlow(context: IExecuteFunctions, itemIndex: number): FlowInput {
	const param = (name: string, fallback = '') =>
		context.getNodeParameter(name, itemIndex, fallback);
	const identifier = param('flowIdentifier', 'id') as 'id' | 'name';
	const action = param('flowAction', 'navigate') as ClientFlowAction;
	const flow: FlowInput = {
		cta: param('flowCta') as string,
		token: param('flowSessionReference') as string,
		action,
		mode: param('flowMode', 'published') as ClientFlowMode,
	};
	if (identifier === 'name') flow.flowName = trimmedValue(param('flowName')) as string;
	else
		flow.flowId = trimmedValue(
			context.getNodeParameter('flowId', itemIndex, '', { extractValue: true }),
		) as string;
	if (action === 'navigate') {
		flow.screen = trimmedValue(param('flowScreen')) as string;
		const data = param('flowData');
		if (data !== '' && data !== undefined) {
			flow.data = forItem(context, itemIndex, () => parseJsonParameter('flowData', data)) as Record<
				string,
				unknown
			>;
		}
	}
	return flow;
}

async function build(this: IExecuteFunctions, itemIndex: number): Promise<MessageSend> {
	const { phoneNumberId, envelope } = readEnvelope(this, itemIndex);
	const selected = this.getNodeParameter('interactiveType', itemIndex) as string;
	if (isCommerceOrCallingType(selected)) {
		const body = this.getNodeParameter(
			selected === 'product' ? 'productBody' : 'interactiveBody',
			itemIndex,
			'',
		) as string;
		const footer = WITH_FOOTER.includes(selected)
			? (this.getNodeParameter('interactiveFooter', itemIndex, '') as string)
			: '';
		const content = readCommerceOrCallingContent(this, itemIndex, selected, body, footer);
		const message = forItem(this, itemIndex, () => buildMessage(envelope, content));
		return { phoneNumberId, payload: message as IDataObject };
	}
	const type = selected as ClientInteractiveType;
	const header = readHeader(this, itemIndex, type);
	const body = this.getNodeParameter('interactiveBody', itemIndex, '') as string;
	const footer =
		type === 'location_request_message'
			? undefined
			: (this.getNodeParameter('interactiveFooter', itemIndex, '') as string);
	const common = { header, body, footer };

	let input: InteractiveInput;
	switch (type) {
		case 'button': {
			const buttons = this.getNodeParameter('replyButtons', itemIndex, {}) as {
				button?: ReplyButtonInput[];
			} | null;
			input = { type, ...common, buttons: buttons?.button ?? [] };
			break;
		}
		case 'list': {
			const buttonLabel = this.getNodeParameter('listButtonLabel', itemIndex, '') as string;
			const mode = this.getNodeParameter('listSectionsInput', itemIndex, 'fields') as string;
			const sections =
				mode === 'json'
					? forItem(this, itemIndex, () =>
							sectionsFromJson(this.getNodeParameter('listSectionsJson', itemIndex, '[]')),
						)
					: sectionsFromFields(this.getNodeParameter('listSections', itemIndex, {}) as IDataObject);
			input = { type, ...common, buttonLabel, sections };
			break;
		}
		case 'cta_url':
			input = {
				type,
				...common,
				displayText: this.getNodeParameter('ctaDisplayText', itemIndex, '') as string,
				url: trimmedValue(this.getNodeParameter('ctaUrl', itemIndex, '')) as string,
			};
			break;
		case 'flow':
			input = { type, ...common, flow: readFlow(this, itemIndex) };
			break;
		default:
			input = { type: 'location_request_message', body };
	}

	const message = forItem(this, itemIndex, () =>
		buildMessage(envelope, buildInteractiveContent(input)),
	);
	return { phoneNumberId, payload: message as IDataObject };
}

export const operation: SendOperation = {
	kind: 'send',
	option: {
		name: 'Send Interactive',
		value: 'sendInteractive',
		description:
			'Send reply buttons, a list, a call-to-action URL, a location request, a flow, products, a catalog or a calling prompt',
		action: 'Send an interactive message',
	},
	properties: fields,
	build,
};
