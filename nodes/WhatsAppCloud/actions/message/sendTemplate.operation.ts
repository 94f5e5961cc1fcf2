import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	businessAccountField,
	phoneNumberIdField,
	recipientField,
	sendOptions,
} from '../../descriptions/common';
import type { ClientEnvelopeInput } from '../../helpers/payloads/envelope';
import { buildMessage } from '../../helpers/payloads/envelope';
import { buildTemplateContent } from '../../helpers/template/build';
import type { ServerTemplate } from '../../helpers/types/template';
import type { MessageSend } from '../../transport/sender';
import type { SendOperation } from '../node.type';
import { isPlainObject, parseJsonParameter } from '../../helpers/check';
import { parseTemplateReference } from '../../helpers/template/reference';
import { cachedTemplate } from '../../transport/templates';
import type { MessageOptions } from './envelope';
import { forItem } from '../errors';
import { readEnvelope } from './envelope';
import { requireBusinessAccountId } from '../../transport/graph';

/** The approved template to send: picked from the business account, or named (for expressions). */
export const templateField: INodeProperties = {
	displayName: 'Template',
	name: 'template',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The approved message template to send. Only templates can start a conversation or reach a customer more than 24 hours after their last message.',
	// The list follows the node's Business Account field.
	typeOptions: { loadOptionsDependsOn: ['businessAccountId.value'] },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchTemplates', searchable: true },
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. order_update',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[a-z0-9_]{1,512}(\\|\\S+)?\\s*$',
						errorMessage: 'A template name has only lowercase letters, digits and underscores',
					},
				},
			],
		},
	],
};

export const templateLanguageField: INodeProperties = {
	displayName: 'Language',
	name: 'templateLanguage',
	type: 'string',
	default: '',
	placeholder: 'e.g. en_US',
	description:
		'Language code of the template version to send (e.g. en_US, es, pt_BR). Leave empty to use the language picked from the list, or the only language the template has.',
};

export const templateVariablesField: INodeProperties = {
	displayName: 'Template Variables',
	name: 'templateVariables',
	type: 'resourceMapper',
	noDataExpression: true,
	default: { mappingMode: 'defineBelow', value: null },
	required: true,
	description:
		"A value for each variable of the template: header text or media (media ID or https:// URL), body placeholders, URL button suffixes, coupon codes, quick-reply payloads; per carousel card its header media, body placeholders and button values; the offer's expiry (a date); the one-time password of authentication templates; catalog and multi-product products. A body value may also be {currency: {fallback_value, code, amount_1000}} or {date_time: {fallback_value}}.",
	typeOptions: {
		loadOptionsDependsOn: ['businessAccountId.value', 'template.value', 'templateLanguage'],
		resourceMapper: {
			resourceMapperMethod: 'getTemplateVariables',
			mode: 'add',
			fieldWords: { singular: 'variable', plural: 'variables' },
			addAllFields: true,
			multiKeyMatch: false,
			supportAutoMap: false,
			noFieldsError: 'This template has no variables: it is sent as it is',
		},
	},
};

/** How MARKETING templates travel: Cloud API's /messages, or Meta's Marketing Messages API. */
export type MarketingMessagesRoute = 'off' | 'whenOnboarded' | 'always';

export const marketingMessagesOption: INodeProperties = {
	displayName: 'Send Marketing Templates Through the Marketing Messages API',
	name: 'marketingMessagesApi',
	type: 'options',
	default: 'off',
	description:
		"Meta's recommended route for MARKETING templates (delivery optimized for engagement, conversion metrics). It needs the business to accept the Marketing Messages API terms in WhatsApp Manager. Utility and authentication templates always go through the regular API. The output's route says which API sent each message.",
	options: [
		{
			name: 'Always',
			value: 'always',
			description:
				'MARKETING templates only through the Marketing Messages API; if the business is not onboarded the item fails with how to onboard',
		},
		{
			name: 'Off',
			value: 'off',
			description: 'Every template through the regular Cloud API',
		},
		{
			name: 'When the Number Is Onboarded',
			value: 'whenOnboarded',
			description:
				'MARKETING templates through the Marketing Messages API; when Meta answers that the business is not onboarded, through the regular Cloud API instead',
		},
	],
};

const fields: INodeProperties[] = [
	businessAccountField,
	phoneNumberIdField,
	recipientField,
	templateField,
	templateLanguageField,
	templateVariablesField,
	sendOptions([marketingMessagesOption]),
];

/** The resource mapper's values (`{ mappingMode, value, schema }` → `value`), null when none. */
export function readVariableValues(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const value = context.getNodeParameter(
		'templateVariables.value',
		itemIndex,
		{},
	) as IDataObject | null;
	return value ?? {};
}

/**
 * The full message body of a template send to `envelope`'s recipient, and the template's category.
 * `values` may depend on the definition (Send and Wait fills the quick-reply payloads).
 */
export async function templateMessage(
	context: IExecuteFunctions,
	itemIndex: number,
	envelope: ClientEnvelopeInput,
	reference: { name: string; language?: string },
	values: IDataObject | ((template: ServerTemplate) => IDataObject),
): Promise<{ payload: IDataObject; category: string }> {
	const wabaId = await requireBusinessAccountId.call(context, itemIndex);
	const template = await cachedTemplate.call(context, wabaId, reference, itemIndex);
	const payload = forItem(
		context,
		itemIndex,
		() =>
			buildMessage(
				envelope,
				buildTemplateContent(
					template,
					template.language,
					typeof values === 'function' ? values(template) : values,
				),
			) as IDataObject,
	);
	return { payload, category: template.category };
}

/**
 * Where a template send goes. The Marketing Messages API takes MARKETING templates only, by their
 * current category (the definition is read in this execution). `STRICT` keeps Meta from falling back
 * on its own, so the node knows which API sent the message and falls back only when asked.
 */
export function templateRoute(
	payload: IDataObject,
	category: string,
	choice: MarketingMessagesRoute,
): Pick<MessageSend, 'payload' | 'endpoint' | 'cloudApiFallback'> {
	if (choice === 'off' || category !== 'MARKETING') return { payload, endpoint: 'messages' };
	return {
		payload: { ...payload, product_policy: 'STRICT' },
		endpoint: 'marketing_messages',
		cloudApiFallback: { payload, whenNotOnboarded: choice === 'whenOnboarded' },
	};
}

function marketingMessagesChoice(value: unknown): MarketingMessagesRoute {
	return value === 'always' || value === 'whenOnboarded' ? value : 'off';
}

async function build(this: IExecuteFunctions, itemIndex: number): Promise<MessageSend> {
	const { phoneNumberId, envelope, options } = readEnvelope(this, itemIndex);
	const reference = parseTemplateReference(
		this.getNodeParameter('template', itemIndex, '', { extractValue: true }),
		this.getNodeParameter('templateLanguage', itemIndex, ''),
	);
	const values = readVariableValues(this, itemIndex);
	const { payload, category } = await templateMessage(this, itemIndex, envelope, reference, values);
	const template = payload.template as { name: string; language: { code: string } };
	return {
		phoneNumberId,
		...templateRoute(payload, category, marketingMessagesChoice(options.marketingMessagesApi)),
		extraOutput: { templateName: template.name, templateLanguage: template.language.code },
	};
}

export const operation: SendOperation = {
	kind: 'send',
	option: {
		name: 'Send Template',
		value: 'sendTemplate',
		description:
			'Send an approved message template, the only kind allowed outside the 24-hour window',
		action: 'Send a template',
	},
	properties: fields,
	build,
};

// ── Fallback template for free-form sends (131047: the 24-hour window is closed) ───────────────

/** Options for sendText/sendMedia's `sendOptions([...])`: a template to send when Meta answers 131047. */
export const templateFallbackOptions: INodeProperties[] = [
	{
		displayName: 'Fallback Template',
		name: 'fallbackTemplate',
		type: 'fixedCollection',
		placeholder: 'Add Fallback Template',
		default: {},
		description:
			'An approved template sent instead when Meta refuses this message because the 24-hour customer service window is closed (error 131047). The output then has sentAs: fallbackTemplate.',
		options: [
			{
				displayName: 'Template',
				name: 'template',
				values: [
					{
						displayName: 'Template Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. order_update',
						description: 'Name of the approved template (lowercase, with underscores)',
					},
					{
						displayName: 'Language',
						name: 'language',
						type: 'string',
						default: '',
						placeholder: 'e.g. en_US',
						description:
							'Language code of the template version; empty when the template has only one language',
					},
					{
						displayName: 'Variables (JSON)',
						name: 'variables',
						type: 'json',
						default: '{}',
						description:
							'Values by variable ID, e.g. {"body.1": "Ana", "header.image": "https://example.com/a.jpg", "button.0.url_suffix": "order/42"}. IDs: header.text.1, header.image|video|document, header.location.latitude|longitude|name|address, body.1 or body.first_name, button.N.url_suffix|payload|coupon_code|flow_token|flow_action_data|thumbnail_product_retailer_id (N = 0-based button position), offer.expiration_time, card.C.header.image|video, card.C.body.1, card.C.button.N.payload|url_suffix (C = 0-based card), button.N.section.S.title|product_retailer_ids (S = 1 to 10) or button.N.sections (a JSON list).',
					},
				],
			},
		],
	},
];

/**
 * The fallback message body for `MessageSend.fallback`, or undefined when the option is unset.
 * Pass the `options` that `readEnvelope` returned so the parameter is read once.
 */
export async function buildTemplateFallback(
	this: IExecuteFunctions,
	itemIndex: number,
	envelope: ClientEnvelopeInput,
	options?: MessageOptions,
): Promise<IDataObject | undefined> {
	const collection = (
		options ?? (this.getNodeParameter('messageOptions', itemIndex, {}) as MessageOptions)
	).fallbackTemplate as IDataObject | undefined;
	const settings = collection?.template as IDataObject | undefined;
	const name = String(settings?.name ?? '').trim();
	if (!settings || name === '') return undefined;
	const values = parseVariablesJson(this, itemIndex, settings.variables);
	const reference = parseTemplateReference(name, settings.language);
	return (await templateMessage(this, itemIndex, envelope, reference, values)).payload;
}

function parseVariablesJson(
	context: IExecuteFunctions,
	itemIndex: number,
	raw: unknown,
): IDataObject {
	const field = 'Fallback Template → Variables (JSON)';
	const expected = 'a JSON object of values by variable ID';
	const parsed = forItem(context, itemIndex, () => parseJsonParameter(field, raw, expected));
	if (parsed === undefined || parsed === null) return {};
	if (!isPlainObject(parsed)) {
		throw new NodeOperationError(context.getNode(), `${field} must be ${expected}`, {
			itemIndex,
			description: 'For example {"body.1": "Ana", "button.0.payload": "STOP"}.',
		});
	}
	return parsed as IDataObject;
}
