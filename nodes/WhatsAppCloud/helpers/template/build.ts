/**
 * A template send from the template's definition and the user's variable values. Every value is
 * checked against Meta's limits here: the result is a payload Meta accepts, or a PayloadError
 * naming the variable, the limit and what it got.
 */
import {
	describeType,
	fail,
	isBlank,
	isPlainObject,
	parseJsonParameter,
	showValue,
} from '../check';
import { PayloadError } from '../errors';
import { checkLength, textLength } from '../text';
import type {
	ClientTemplateBodyParameter,
	ClientTemplateButtonComponent,
	ClientTemplateComponent,
	ClientTemplateContent,
	ClientTemplateHeaderParameter,
	ClientTemplateMediaSource,
	ServerTemplate,
} from '../types/template';
import {
	BODY_ONLY_TEXT_PARAMETER_MAX,
	BODY_TEXT_PARAMETER_MAX,
	BUTTON_URL_MAX,
	COUPON_CODE_MAX,
	COUPON_CODE_PATTERN,
	HEADER_TEXT_PARAMETER_MAX,
	MAX_CONSECUTIVE_SPACES,
	QUICK_REPLY_PAYLOAD_MAX,
} from './limits';
import type { TemplateVariable } from './variables';
import { parameterFormat, templateVariables } from './variables';

export type TemplateVariableValues = Record<string, unknown>;

/** Plain JSON objects (typed parameters); class instances such as dates are written as text. */
const isPlainRecord = (value: unknown): value is Record<string, unknown> => {
	if (!isPlainObject(value)) return false;
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
};

/** Scalars and class instances (dates) as text; plain objects and lists are refused. */
function asText(field: string, value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
	if (isPlainObject(value) && !isPlainRecord(value)) {
		let text = '';
		try {
			text = String(value);
		} catch {
			// An object whose toString is not callable: refused below.
		}
		if (text && text !== '[object Object]') return text;
	}
	return fail(field, `must be text; it is ${describeType(value)}`, 'text', describeType(value));
}

/** Meta's 132018: no line breaks or tabs, at most 4 spaces in a row. */
function checkParameterText(field: string, text: string, max: number): string {
	if (text.trim() === '') fail(field, 'must not be empty', `1 to ${max} characters`, 'empty');
	checkLength(field, text, max, 1);
	if (/[\n\r\t]/.test(text)) {
		const found = /\t/.test(text) ? 'a tab' : 'a line break';
		fail(
			field,
			`must not contain line breaks or tabs (Meta rejects them in template parameters); it contains ${found}`,
			'no line breaks or tabs',
			found,
		);
	}
	const spaces = new RegExp(` {${MAX_CONSECUTIVE_SPACES + 1},}`).exec(text);
	if (spaces) {
		fail(
			field,
			`must not contain more than ${MAX_CONSECUTIVE_SPACES} consecutive spaces; it has ${spaces[0].length} in a row`,
			`at most ${MAX_CONSECUTIVE_SPACES} consecutive spaces`,
			`${spaces[0].length} consecutive spaces`,
		);
	}
	return text;
}

function requiredString(field: string, value: unknown): string {
	if (typeof value !== 'string' || value.trim() === '') {
		fail(
			field,
			`is required text; it is ${isBlank(value) ? 'empty' : describeType(value)}`,
			'text',
			describeType(value),
		);
	}
	return value;
}

function currencyParameter(field: string, raw: unknown): ClientTemplateBodyParameter {
	if (!isPlainObject(raw)) {
		return fail(
			field,
			'currency must be {fallback_value, code, amount_1000}',
			'an object',
			describeType(raw),
		);
	}
	const fallback = requiredString(`${field}.currency.fallback_value`, raw.fallback_value);
	const code = raw.code;
	if (typeof code !== 'string' || !/^[A-Z]{3}$/.test(code)) {
		fail(
			`${field}.currency.code`,
			`must be a 3-letter ISO 4217 code in capitals such as USD; it is ${typeof code === 'string' ? `"${code}"` : describeType(code)}`,
			'ISO 4217 code',
			typeof code === 'string' ? code : describeType(code),
		);
	}
	const amount =
		typeof raw.amount_1000 === 'string' && raw.amount_1000.trim() !== ''
			? Number(raw.amount_1000)
			: raw.amount_1000;
	if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
		fail(
			`${field}.currency.amount_1000`,
			`must be a whole number above 0 (the amount times 1000: $1.50 is 1500); it is ${showValue(raw.amount_1000)}`,
			'integer > 0',
			showValue(raw.amount_1000),
		);
	}
	return {
		type: 'currency',
		currency: {
			fallback_value: checkParameterText(
				`${field}.currency.fallback_value`,
				fallback,
				BODY_TEXT_PARAMETER_MAX,
			),
			code,
			amount_1000: amount,
		},
	};
}

/**
 * A header or body value: text, or `{ currency: {...} }` / `{ date_time: {...} }` (with or without
 * `type`) for Meta's localized parameters.
 */
function textLikeParameter(
	variable: TemplateVariable,
	value: unknown,
	max: number,
	parameterName: string | undefined,
): ClientTemplateBodyParameter {
	const field = variable.id;
	const named = parameterName ? { parameter_name: parameterName } : {};
	if (isPlainRecord(value)) {
		const type = value.type;
		if (type === 'currency' || (type === undefined && 'currency' in value)) {
			return { ...currencyParameter(field, value.currency), ...named };
		}
		if (type === 'date_time' || (type === undefined && 'date_time' in value)) {
			const dateTime = value.date_time;
			const fallback = requiredString(
				`${field}.date_time.fallback_value`,
				isPlainObject(dateTime) ? dateTime.fallback_value : undefined,
			);
			return {
				type: 'date_time',
				date_time: {
					fallback_value: checkParameterText(`${field}.date_time.fallback_value`, fallback, max),
				},
				...named,
			};
		}
		if (type === 'text' || (type === undefined && 'text' in value)) {
			const text = checkParameterText(`${field}.text`, asText(`${field}.text`, value.text), max);
			return { type: 'text', text, ...named };
		}
		return fail(
			field,
			'must be text, {currency: {fallback_value, code, amount_1000}} or {date_time: {fallback_value}}; it is an object with other keys',
			'text, currency or date_time',
			`keys ${Object.keys(value).join(', ') || '(none)'}`,
		);
	}
	const text = checkParameterText(field, asText(field, value), max);
	return { type: 'text', text, ...named };
}

function mediaSource(
	variable: TemplateVariable,
	value: unknown,
): ClientTemplateMediaSource & { filename?: string } {
	const field = variable.id;
	let reference: unknown = value;
	let filename: string | undefined;
	if (isPlainRecord(value)) {
		if (!isBlank(value.id) && !isBlank(value.link)) {
			fail(field, 'must give a media ID or a link, not both', 'one of id, link', 'both');
		}
		reference = isBlank(value.id) ? value.link : value.id;
		if (!isBlank(value.filename)) filename = asText(`${field}.filename`, value.filename);
	}
	const text = asText(field, reference).trim();
	if (/^https:\/\/[^\s]+$/i.test(text)) return filename ? { link: text, filename } : { link: text };
	if (/^\d+$/.test(text)) return filename ? { id: text, filename } : { id: text };
	const actual = /^http:\/\//i.test(text) ? 'an http:// link' : `"${text.slice(0, 40)}"`;
	return fail(
		field,
		`must be an uploaded media ID (digits) or an https:// link; it is ${actual}`,
		'media ID or https:// URL',
		actual,
	);
}

function coordinate(field: string, value: unknown, limit: number): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number) || Math.abs(number) > limit) {
		fail(
			field,
			`must be a number from -${limit} to ${limit}; it is ${showValue(value)}`,
			`-${limit} to ${limit}`,
			showValue(value),
		);
	}
	return number;
}

function jsonObject(field: string, value: unknown): Record<string, unknown> {
	const parsed = parseJsonParameter(field, value, 'a JSON object');
	if (!isPlainObject(parsed))
		fail(
			field,
			`must be a JSON object; it is ${describeType(parsed)}`,
			'JSON object',
			describeType(parsed),
		);
	return parsed;
}

function jsonObjectList(field: string, value: unknown): Record<string, unknown>[] {
	const parsed = parseJsonParameter(field, value, 'a JSON list of objects');
	if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every(isPlainObject)) {
		fail(
			field,
			`must be a non-empty JSON list of objects; it is ${describeType(parsed)}`,
			'JSON list of objects',
			describeType(parsed),
		);
	}
	return parsed as Record<string, unknown>[];
}

/** Stops before building when values are missing or do not belong to this template. */
function checkCompleteness(
	template: ServerTemplate,
	variables: TemplateVariable[],
	values: TemplateVariableValues,
): void {
	const known = new Set(variables.map((v) => v.id));
	const extra = Object.keys(values).filter((key) => !known.has(key) && !isBlank(values[key]));
	if (extra.length) {
		const expected = variables.length ? variables.map((v) => v.id).join(', ') : 'none';
		throw new PayloadError(
			`template ${template.name} (${template.language}) has no variable${extra.length > 1 ? 's' : ''} ${extra.join(', ')}; its variables are: ${expected}. Refresh the variable list after changing the template.`,
			{ field: extra[0], limit: `variables: ${expected}`, actual: extra.join(', ') },
		);
	}
	const missing = variables.filter((v) => v.required && isBlank(values[v.id]));
	if (missing.length) {
		const list = missing.map((v) => `${v.id} (${v.displayName})`).join('; ');
		throw new PayloadError(
			`template ${template.name} (${template.language}) needs ${missing.length} more variable${missing.length > 1 ? 's' : ''}: ${list}`,
			{
				field: missing[0].id,
				limit: `${variables.filter((v) => v.required).length} required variables`,
				actual: `${missing.length} missing`,
			},
		);
	}
}

/**
 * `values` maps variable IDs (see `templateVariables`) to values. Optional variables left empty
 * are left out (a quick reply without a payload, a flow button without a token).
 */
export function buildTemplateContent(
	template: ServerTemplate,
	languageCode: string | undefined,
	values: TemplateVariableValues | null | undefined,
): ClientTemplateContent {
	const language = checkSendable(template, languageCode, values);
	const given: TemplateVariableValues = values ?? {};
	const variables = templateVariables(template);
	checkCompleteness(template, variables, given);
	const components = componentsOf(collectParameters(template, variables, given));
	return {
		type: 'template',
		template: {
			name: template.name,
			language: { code: language, policy: 'deterministic' },
			...(components.length ? { components } : {}),
		},
	};
}

/** Fails unless the definition is an approved template and the values an object; the language code. */
function checkSendable(template: ServerTemplate, languageCode: unknown, values: unknown): string {
	if (!isPlainObject(template) || typeof template.name !== 'string' || template.name === '') {
		throw new PayloadError('template definition has no name', {
			field: 'template',
			limit: 'a template from Graph',
			actual: describeType(template),
		});
	}
	if (template.status !== undefined && template.status !== 'APPROVED') {
		throw new PayloadError(
			`template ${template.name} (${template.language}) is ${template.status}; only APPROVED templates can be sent`,
			{ field: 'template', limit: 'status APPROVED', actual: `status ${template.status}` },
		);
	}
	const language = (typeof languageCode === 'string' && languageCode.trim()) || template.language;
	if (typeof language !== 'string' || !/^\S+$/.test(language)) {
		throw new PayloadError('template language must be a language code such as en_US', {
			field: 'language',
			limit: 'language code',
			actual: describeType(language),
		});
	}
	if (values !== undefined && values !== null && !isPlainObject(values)) {
		throw new PayloadError(
			`templateVariables must be an object of variable values; it is ${describeType(values)}`,
			{
				field: 'templateVariables',
				limit: 'object',
				actual: describeType(values),
			},
		);
	}
	return language;
}

/** The send-time parameters of a template, gathered per component before they are assembled. */
interface CollectedParameters {
	header: ClientTemplateHeaderParameter[];
	body: ClientTemplateBodyParameter[];
	buttons: ClientTemplateButtonComponent[];
	/** The location header's parts, when the template has one. */
	location?: Record<string, unknown>;
	/** Flow buttons by index: token and action data arrive as separate variables. */
	flows: Map<number, { flow_token?: string; flow_action_data?: Record<string, unknown> }>;
	/** Catalog and multi-product buttons by index: thumbnail and sections arrive separately. */
	products: Map<
		number,
		{ subType: 'catalog' | 'mpm'; thumbnail?: string; sections?: Record<string, unknown>[] }
	>;
}

/** Checks each given value against its variable's limits and files it under its component. */
function collectParameters(
	template: ServerTemplate,
	variables: TemplateVariable[],
	given: TemplateVariableValues,
): CollectedParameters {
	const named = parameterFormat(template) === 'NAMED';
	const componentTypes = (Array.isArray(template.components) ? template.components : []).map((c) =>
		typeof c?.type === 'string' ? c.type.toUpperCase() : '',
	);
	const bodyMax = componentTypes.every((t) => t === 'BODY')
		? BODY_ONLY_TEXT_PARAMETER_MAX
		: BODY_TEXT_PARAMETER_MAX;
	const collected: CollectedParameters = {
		header: [],
		body: [],
		buttons: [],
		flows: new Map(),
		products: new Map(),
	};
	const { header, body, buttons, flows, products } = collected;

	for (const variable of variables) {
		const value = given[variable.id];
		const source = variable.source;
		if (isBlank(value)) continue; // only optional ones get here
		switch (source.kind) {
			case 'headerText':
				header.push(
					textLikeParameter(
						variable,
						value,
						HEADER_TEXT_PARAMETER_MAX,
						named ? source.name : undefined,
					),
				);
				break;
			case 'bodyText':
				body.push(textLikeParameter(variable, value, bodyMax, named ? source.name : undefined));
				break;
			case 'headerMedia': {
				const media = mediaSource(variable, value);
				if (source.media === 'image') header.push({ type: 'image', image: stripFilename(media) });
				else if (source.media === 'video')
					header.push({ type: 'video', video: stripFilename(media) });
				else header.push({ type: 'document', document: media });
				break;
			}
			case 'headerLocation':
				collected.location ??= {};
				collected.location[source.part] =
					source.part === 'latitude' || source.part === 'longitude'
						? coordinate(variable.id, value, source.part === 'latitude' ? 90 : 180)
						: requiredString(variable.id, typeof value === 'number' ? String(value) : value);
				break;
			case 'quickReplyPayload':
				buttons.push(quickReplyButton(variable.id, value, source.index));
				break;
			case 'urlSuffix':
				buttons.push(urlButton(variable.id, value, source.index, source.urlPrefix));
				break;
			case 'couponCode':
				buttons.push(couponButton(variable.id, value, source.index));
				break;
			case 'flowToken': {
				const entry = flows.get(source.index) ?? {};
				entry.flow_token = asText(variable.id, value);
				flows.set(source.index, entry);
				break;
			}
			case 'flowActionData': {
				const entry = flows.get(source.index) ?? {};
				entry.flow_action_data = jsonObject(variable.id, value);
				flows.set(source.index, entry);
				break;
			}
			case 'productThumbnail': {
				const entry = products.get(source.index) ?? { subType: source.subType };
				entry.thumbnail = asText(variable.id, value).trim();
				products.set(source.index, entry);
				break;
			}
			case 'mpmSections': {
				const entry = products.get(source.index) ?? { subType: 'mpm' };
				entry.sections = jsonObjectList(variable.id, value);
				products.set(source.index, entry);
				break;
			}
		}
	}

	return collected;
}

/** A quick-reply button's payload, echoed back when the customer taps it. */
function quickReplyButton(
	field: string,
	value: unknown,
	index: number,
): ClientTemplateButtonComponent {
	const payload = checkLength(field, asText(field, value), QUICK_REPLY_PAYLOAD_MAX, 1);
	return {
		type: 'button',
		sub_type: 'quick_reply',
		index: String(index),
		parameters: [{ type: 'payload', payload }],
	};
}

/** A dynamic URL button's suffix, appended to the URL the template was approved with. */
function urlButton(
	field: string,
	value: unknown,
	index: number,
	urlPrefix: string,
): ClientTemplateButtonComponent {
	const suffixMax = BUTTON_URL_MAX - textLength(urlPrefix);
	const text = checkParameterText(field, asText(field, value), suffixMax);
	if (/\s/.test(text)) {
		fail(
			field,
			'must not contain spaces (it becomes part of a URL)',
			'no whitespace',
			'whitespace',
		);
	}
	return {
		type: 'button',
		sub_type: 'url',
		index: String(index),
		parameters: [{ type: 'text', text }],
	};
}

/** A copy-code button's coupon code. */
function couponButton(field: string, value: unknown, index: number): ClientTemplateButtonComponent {
	const code = checkLength(field, asText(field, value).trim(), COUPON_CODE_MAX, 1);
	if (!COUPON_CODE_PATTERN.test(code)) {
		fail(
			field,
			'must contain only letters and digits (Meta accepts alphanumeric coupon codes)',
			'alphanumeric',
			'other characters',
		);
	}
	return {
		type: 'button',
		sub_type: 'copy_code',
		index: String(index),
		parameters: [{ type: 'coupon_code', coupon_code: code }],
	};
}

/** The collected parameters as Meta's components: header, body, then buttons by index. */
function componentsOf(collected: CollectedParameters): ClientTemplateComponent[] {
	const { header, body, buttons, location, flows, products } = collected;
	if (location) {
		header.push({
			type: 'location',
			location: location as { latitude: number; longitude: number; name: string; address: string },
		});
	}
	for (const [index, action] of flows) {
		buttons.push({
			type: 'button',
			sub_type: 'flow',
			index: String(index),
			parameters: [{ type: 'action', action }],
		});
	}
	for (const [index, product] of products) {
		if (!product.thumbnail) continue;
		const action = product.sections
			? { thumbnail_product_retailer_id: product.thumbnail, sections: product.sections }
			: { thumbnail_product_retailer_id: product.thumbnail };
		buttons.push(
			product.subType === 'catalog'
				? {
						type: 'button',
						sub_type: 'catalog',
						index: String(index),
						parameters: [{ type: 'action', action }],
					}
				: {
						type: 'button',
						sub_type: 'mpm',
						index: String(index),
						parameters: [{ type: 'action', action }],
					},
		);
	}
	const components: ClientTemplateComponent[] = [];
	if (header.length) components.push({ type: 'header', parameters: header });
	if (body.length) components.push({ type: 'body', parameters: body });
	components.push(...buttons.sort((a, b) => Number(a.index) - Number(b.index)));
	return components;
}

function stripFilename(
	media: ClientTemplateMediaSource & { filename?: string },
): ClientTemplateMediaSource {
	return 'id' in media && media.id !== undefined
		? { id: media.id }
		: { link: media.link as string };
}
