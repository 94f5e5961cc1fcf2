import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseJsonParameter } from '../../helpers/check';
import { validateTemplateCreate } from '../../helpers/template/create';
import { requireBusinessAccountId } from '../../transport/graph';
import { createTemplate } from '../../transport/templates';
import { forItem } from '../errors';
import type { ItemOperation } from '../node.type';
import type { TemplateKind } from './components';
import { componentFields, componentsFromFields, fieldsUseNamedPlaceholders } from './components';

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

const fields: INodeProperties[] = [
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
				description: 'One-time passwords; Meta presets the text (Template Kind: Authentication)',
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
			{
				name: 'Fields',
				value: 'fields',
				description: 'The fields below, for every template kind',
			},
			{
				name: 'JSON',
				value: 'json',
				description: "Meta's components array, for every template kind (also flow buttons)",
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
	...componentFields,
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
				displayName: 'Message Time-To-Live (Seconds)',
				name: 'messageSendTtlSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					"How long Meta tries to deliver a message of this template: authentication 30-900, utility 30-43200, marketing 43200-2592000 (Marketing Messages API only). 0: Meta's default.",
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

const trimmed = (value: unknown) => String(value ?? '').trim();

/** Authentication templates have their own kind; the other kinds are not for that category. */
export function checkKindAndCategory(
	context: IExecuteFunctions,
	itemIndex: number,
	kind: TemplateKind,
	category: string,
): void {
	if ((kind === 'authentication') === (category === 'AUTHENTICATION')) return;
	throw new NodeOperationError(
		context.getNode(),
		kind === 'authentication'
			? `Template Kind "Authentication" needs Category "Authentication" (it is ${category})`
			: 'Category "Authentication" needs Template Kind "Authentication"',
		{
			itemIndex,
			description:
				'Meta presets the text of authentication templates: choose the code delivery (copy code, one-tap, zero-tap), the security line and the code expiry instead of a body.',
		},
	);
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
		const kind = this.getNodeParameter('templateKind', itemIndex, 'standard') as TemplateKind;
		checkKindAndCategory(this, itemIndex, kind, category);
		const named = fieldsUseNamedPlaceholders(this, itemIndex, declaredFormat);
		components = componentsFromFields(this, itemIndex, kind, named);
	}
	const ttl = Number(options.messageSendTtlSeconds ?? 0);

	const definition = forItem(this, itemIndex, () =>
		validateTemplateCreate({
			name,
			language,
			category,
			components,
			...(declaredFormat ? { parameter_format: declaredFormat } : {}),
			...(options.allowCategoryChange === true ? { allow_category_change: true } : {}),
			...(ttl ? { message_send_ttl_seconds: ttl } : {}),
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
				...(definition.message_send_ttl_seconds !== undefined
					? { message_send_ttl_seconds: definition.message_send_ttl_seconds }
					: {}),
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
