import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseJsonParameter } from '../../helpers/check';
import { validateTemplateCreate } from '../../helpers/template/create';
import { placeholderNames } from '../../helpers/template/placeholders';
import { requireBusinessAccountId } from '../../transport/graph';
import { createTemplate } from '../../transport/templates';
import { forItem } from '../errors';
import type { ItemOperation } from '../node.type';
import { businessAccountField } from '../../descriptions/common';

const COMPONENTS_EXAMPLE = JSON.stringify(
	[
		{ type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['#1234'] } },
		{
			type: 'BODY',
			text: 'Hi {{1}}, your order {{2}} ships on {{3}}.',
			example: { body_text: [['Ana', '#1234', 'Monday']] },
		},
		{ type: 'FOOTER', text: 'Reply STOP to opt out' },
		{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Track' }] },
	],
	null,
	2,
);

const showFields = { componentsFrom: ['fields'] };

const fields: INodeProperties[] = [
	businessAccountField,
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. order_update',
		description: 'Up to 512 lowercase letters, digits and underscores; unique per language',
	},
	{
		displayName: 'Language',
		name: 'templateLanguage',
		type: 'string',
		default: 'en_US',
		required: true,
		placeholder: 'e.g. en_US',
		description: 'Language code of this version (e.g. en, en_US, es, pt_BR)',
	},
	{
		displayName: 'Category',
		name: 'category',
		type: 'options',
		default: 'UTILITY',
		options: [
			{
				name: 'Authentication',
				value: 'AUTHENTICATION',
				description: 'One-time passwords; Meta presets the text (define with JSON)',
			},
			{ name: 'Marketing', value: 'MARKETING', description: 'Promotions, offers, announcements' },
			{
				name: 'Utility',
				value: 'UTILITY',
				description: 'Updates about an order, account or request',
			},
		],
	},
	{
		displayName: 'Components From',
		name: 'componentsFrom',
		type: 'options',
		default: 'fields',
		options: [
			{ name: 'Fields', value: 'fields', description: 'Header, body, footer and buttons below' },
			{
				name: 'JSON',
				value: 'json',
				description: "Meta's components array, for every template kind (authentication, flows, …)",
			},
		],
	},
	{
		displayName: 'Components (JSON)',
		name: 'componentsJson',
		type: 'json',
		default: COMPONENTS_EXAMPLE,
		required: true,
		description:
			"Meta's components array: HEADER, BODY (required), FOOTER, BUTTONS, with example values for every placeholder",
		displayOptions: { show: { componentsFrom: ['json'] } },
	},
	{
		displayName: 'Header',
		name: 'headerFormat',
		type: 'options',
		default: 'none',
		options: [
			{ name: 'Document', value: 'DOCUMENT' },
			{ name: 'Image', value: 'IMAGE' },
			{ name: 'Location', value: 'LOCATION' },
			{ name: 'None', value: 'none' },
			{ name: 'Text', value: 'TEXT' },
			{ name: 'Video', value: 'VIDEO' },
		],
		description: 'What the message starts with; media and locations are given when sending',
		displayOptions: { show: showFields },
	},
	{
		displayName: 'Header Text',
		name: 'headerText',
		type: 'string',
		default: '',
		placeholder: 'e.g. Order {{1}}',
		description: 'Up to 60 characters with at most one placeholder',
		displayOptions: { show: { ...showFields, headerFormat: ['TEXT'] } },
	},
	{
		displayName: 'Header Example',
		name: 'headerExample',
		type: 'string',
		default: '',
		placeholder: 'e.g. #1234',
		description: "Sample value of the header's placeholder, for Meta's review",
		displayOptions: { show: { ...showFields, headerFormat: ['TEXT'] } },
	},
	{
		displayName: 'Header Sample Handle',
		name: 'headerHandle',
		type: 'string',
		default: '',
		placeholder: 'e.g. 4::aW1hZ2UvanBlZw==:ARb…',
		description: "Upload handle of a sample file (Meta's Resumable Upload API), for Meta's review",
		displayOptions: { show: { ...showFields, headerFormat: ['IMAGE', 'VIDEO', 'DOCUMENT'] } },
	},
	{
		displayName: 'Body',
		name: 'bodyText',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Hi {{1}}, your order {{2}} ships on {{3}}.',
		description:
			'Up to 1024 characters. Placeholders are {{1}}, {{2}}, … in order, or names such as {{first_name}} (lowercase letters and underscores).',
		displayOptions: { show: showFields },
	},
	{
		displayName: 'Body Examples',
		name: 'bodyExamples',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Example',
		default: {},
		description: "A sample value for every body placeholder, for Meta's review",
		displayOptions: { show: showFields },
		options: [
			{
				displayName: 'Example',
				name: 'example',
				values: [
					{
						displayName: 'Placeholder',
						name: 'placeholder',
						type: 'string',
						default: '',
						placeholder: 'e.g. 1 or first_name',
						description: 'The placeholder without braces',
					},
					{
						displayName: 'Example Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. Ana',
					},
				],
			},
		],
	},
	{
		displayName: 'Footer',
		name: 'footerText',
		type: 'string',
		default: '',
		placeholder: 'e.g. Reply STOP to opt out',
		description: 'Up to 60 characters, no placeholders',
		displayOptions: { show: showFields },
	},
	{
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Button',
		default: {},
		description:
			'Up to 10 buttons: at most 10 quick replies, 2 URL, 1 phone number and 1 copy code; keep quick replies together',
		displayOptions: { show: showFields },
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{
						displayName: 'Example Code',
						name: 'couponExample',
						displayOptions: { show: { type: ['COPY_CODE'] } },
						type: 'string',
						default: '',
						placeholder: 'e.g. SAVE20',
						description: 'For copy code buttons: a sample code (up to 15 letters and digits)',
					},
					{
						displayName: 'Example URL',
						name: 'urlExample',
						displayOptions: { show: { type: ['URL'] } },
						type: 'string',
						default: '',
						placeholder: 'e.g. https://shop.example.com/orders/1234',
						description: 'For URL buttons ending in {{1}}: a full sample URL for review',
					},
					{
						displayName: 'Phone Number',
						name: 'phoneNumber',
						displayOptions: { show: { type: ['PHONE_NUMBER'] } },
						type: 'string',
						default: '',
						placeholder: 'e.g. +15550783881',
						description: 'For phone number buttons, in international format',
					},
					{
						displayName: 'Text',
						name: 'text',
						displayOptions: { show: { type: ['PHONE_NUMBER', 'QUICK_REPLY', 'URL'] } },
						type: 'string',
						default: '',
						placeholder: 'e.g. Track order',
						description: 'Button label, up to 25 characters (copy code buttons have a fixed label)',
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						default: 'QUICK_REPLY',
						options: [
							{ name: 'Copy Code', value: 'COPY_CODE' },
							{ name: 'Phone Number', value: 'PHONE_NUMBER' },
							{ name: 'Quick Reply', value: 'QUICK_REPLY' },
							{ name: 'URL', value: 'URL' },
						],
					},
					{
						displayName: 'URL',
						name: 'url',
						displayOptions: { show: { type: ['URL'] } },
						type: 'string',
						default: '',
						placeholder: 'e.g. https://shop.example.com/orders/{{1}}',
						description: 'For URL buttons; may end in {{1}}, filled per message',
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'templateOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allow Category Change',
				name: 'allowCategoryChange',
				type: 'boolean',
				default: false,
				description:
					'Whether Meta may assign another category instead of rejecting a template it thinks is mis-categorised',
			},
			{
				displayName: 'Placeholder Format',
				name: 'parameterFormat',
				type: 'options',
				default: 'auto',
				options: [
					{ name: 'Detect From Text', value: 'auto' },
					{ name: 'Named', value: 'NAMED', description: 'Placeholders like {{first_name}}' },
					{ name: 'Numbered', value: 'POSITIONAL', description: 'Placeholders like {{1}}, {{2}}' },
				],
			},
		],
	},
];

interface ButtonFields {
	type?: string;
	text?: string;
	url?: string;
	urlExample?: string;
	phoneNumber?: string;
	couponExample?: string;
}

const trimmed = (value: unknown) => String(value ?? '').trim();

/** Placeholders of a text in order of appearance, without braces; `{{}}` is none. */
const nonEmptyPlaceholders = (text: string) => placeholderNames(text).filter((name) => name !== '');

function componentsFromFields(
	context: IExecuteFunctions,
	itemIndex: number,
	named: boolean,
): IDataObject[] {
	const components: IDataObject[] = [];
	const headerFormat = context.getNodeParameter('headerFormat', itemIndex, 'none') as string;
	if (headerFormat === 'TEXT') {
		const text = trimmed(context.getNodeParameter('headerText', itemIndex, ''));
		const example = trimmed(context.getNodeParameter('headerExample', itemIndex, ''));
		const header: IDataObject = { type: 'HEADER', format: 'TEXT', text };
		const placeholder = nonEmptyPlaceholders(text)[0];
		if (placeholder !== undefined) {
			header.example = named
				? { header_text_named_params: [{ param_name: placeholder, example }] }
				: { header_text: [example] };
		}
		components.push(header);
	} else if (headerFormat !== 'none') {
		const handle = trimmed(context.getNodeParameter('headerHandle', itemIndex, ''));
		components.push(
			headerFormat === 'LOCATION'
				? { type: 'HEADER', format: 'LOCATION' }
				: {
						type: 'HEADER',
						format: headerFormat,
						...(handle ? { example: { header_handle: [handle] } } : {}),
					},
		);
	}

	const bodyText = String(context.getNodeParameter('bodyText', itemIndex, ''));
	const examples =
		(
			(context.getNodeParameter('bodyExamples', itemIndex, {}) as IDataObject).example as
				IDataObject[] | undefined
		)?.map((e) => ({
			placeholder: trimmed(e.placeholder).replace(/^\{\{\s*|\s*\}\}$/g, ''),
			value: String(e.value ?? ''),
		})) ?? [];
	const body: IDataObject = { type: 'BODY', text: bodyText };
	const bodyPlaceholders = nonEmptyPlaceholders(bodyText);
	if (bodyPlaceholders.length) {
		body.example = named
			? {
					body_text_named_params: examples.map((e) => ({
						param_name: e.placeholder,
						example: e.value,
					})),
				}
			: {
					body_text: [
						bodyPlaceholders.map(
							(_, i) => examples.find((e) => e.placeholder === String(i + 1))?.value ?? '',
						),
					],
				};
	}
	components.push(body);

	const footer = trimmed(context.getNodeParameter('footerText', itemIndex, ''));
	if (footer) components.push({ type: 'FOOTER', text: footer });

	const buttons = ((context.getNodeParameter('buttons', itemIndex, {}) as IDataObject).button ??
		[]) as ButtonFields[];
	if (buttons.length) {
		components.push({
			type: 'BUTTONS',
			buttons: buttons.map((b): IDataObject => {
				const type = b.type ?? 'QUICK_REPLY';
				if (type === 'URL') {
					const url = trimmed(b.url);
					return /\{\{\s*1\s*\}\}$/.test(url)
						? { type, text: trimmed(b.text), url, example: [trimmed(b.urlExample)] }
						: { type, text: trimmed(b.text), url };
				}
				if (type === 'PHONE_NUMBER')
					return { type, text: trimmed(b.text), phone_number: trimmed(b.phoneNumber) };
				if (type === 'COPY_CODE') return { type, example: trimmed(b.couponExample) };
				return { type, text: trimmed(b.text) };
			}),
		});
	}
	return components;
}

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const name = trimmed(this.getNodeParameter('templateName', itemIndex, ''));
	const language = trimmed(this.getNodeParameter('templateLanguage', itemIndex, ''));
	const category = this.getNodeParameter('category', itemIndex, 'UTILITY') as string;
	const componentsFrom = this.getNodeParameter('componentsFrom', itemIndex, 'fields') as string;
	const options = this.getNodeParameter('templateOptions', itemIndex, {}) as IDataObject;
	const declaredFormat =
		options.parameterFormat === 'NAMED' || options.parameterFormat === 'POSITIONAL'
			? options.parameterFormat
			: undefined;

	let components: unknown;
	if (componentsFrom === 'json') {
		const raw = this.getNodeParameter('componentsJson', itemIndex, '[]');
		components = forItem(this, itemIndex, () => parseJsonParameter('Components (JSON)', raw));
	} else {
		if (category === 'AUTHENTICATION') {
			throw new NodeOperationError(
				this.getNode(),
				'Authentication templates are defined with Components From: JSON',
				{
					itemIndex,
					description:
						'Meta presets their text; send e.g. [{"type":"BODY","add_security_recommendation":true},{"type":"BUTTONS","buttons":[{"type":"OTP","otp_type":"COPY_CODE"}]}].',
				},
			);
		}
		const bodyText = String(this.getNodeParameter('bodyText', itemIndex, ''));
		const headerText = String(this.getNodeParameter('headerText', itemIndex, ''));
		const named =
			declaredFormat === 'NAMED' ||
			(declaredFormat === undefined &&
				[...nonEmptyPlaceholders(bodyText), ...nonEmptyPlaceholders(headerText)].some(
					(p) => !/^\d+$/.test(p),
				));
		components = componentsFromFields(this, itemIndex, named);
	}

	const definition = forItem(this, itemIndex, () =>
		validateTemplateCreate({
			name,
			language,
			category,
			components,
			...(declaredFormat ? { parameter_format: declaredFormat } : {}),
			...(options.allowCategoryChange === true ? { allow_category_change: true } : {}),
		}),
	);
	const wabaId = await requireBusinessAccountId.call(this, itemIndex);
	const answer = await createTemplate.call(this, wabaId, definition, itemIndex);
	return [
		{
			json: {
				...answer,
				id: answer.id,
				name: definition.name,
				language: definition.language,
				category: answer.category ?? definition.category,
				status: answer.status,
				parameter_format: definition.parameter_format,
			},
		},
	];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Create',
		value: 'create',
		description: 'Create a message template for review',
		action: 'Create a template',
	},
	properties: fields,
	execute,
};
