import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { validateTemplateCreate } from '../../helpers/template/create';
import { requireBusinessAccountId } from '../../transport/graph';
import { createTemplate } from '../../transport/templates';
import { forItem } from '../errors';
import type { ItemOperation } from '../node.type';
import { businessAccountField } from '../../descriptions/common';
import {
	componentFields,
	declaredParameterFormat,
	readComponents,
	templateOptionFields,
} from './components';

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
			...templateOptionFields("Meta's default"),
		],
	},
];

const trimmed = (value: unknown) => String(value ?? '').trim();

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const name = trimmed(this.getNodeParameter('templateName', itemIndex, ''));
	const language = trimmed(this.getNodeParameter('templateLanguage', itemIndex, ''));
	const category = this.getNodeParameter('category', itemIndex, 'UTILITY') as string;
	const componentsFrom = this.getNodeParameter('componentsFrom', itemIndex, 'fields') as string;
	const options = this.getNodeParameter('templateOptions', itemIndex, {}) as IDataObject;
	const declaredFormat = declaredParameterFormat(options);
	const components = readComponents(this, itemIndex, componentsFrom, category, declaredFormat);
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
