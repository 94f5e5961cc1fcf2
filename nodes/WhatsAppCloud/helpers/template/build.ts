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
import { PayloadError, quoteInput } from '../errors';
import { checkLength, textLength } from '../text';
import type {
	ClientTemplateBodyParameter,
	ClientTemplateButtonComponent,
	ClientTemplateCarouselCardButtonComponent,
	ClientTemplateComponent,
	ClientTemplateContent,
	ClientTemplateHeaderParameter,
	ClientTemplateImageParameter,
	ClientTemplateMediaSource,
	ClientTemplateProductSection,
	ClientTemplateVideoParameter,
	ServerTemplate,
} from '../types/template';
import {
	BODY_ONLY_TEXT_PARAMETER_MAX,
	BODY_TEXT_PARAMETER_MAX,
	BUTTON_URL_MAX,
	CARD_BODY_TEXT_PARAMETER_MAX,
	CAROUSEL_CARDS_MAX,
	CAROUSEL_CARDS_MIN,
	COUPON_CODE_MAX,
	COUPON_CODE_PATTERN,
	EPOCH_MS_MIN,
	HEADER_TEXT_PARAMETER_MAX,
	MAX_CONSECUTIVE_SPACES,
	MPM_PRODUCTS_MAX,
	MPM_SECTION_TITLE_MAX,
	MPM_SECTIONS_MAX,
	ONE_TIME_PASSWORD_MAX,
	QUICK_REPLY_PAYLOAD_MAX,
} from './limits';
import type { TemplateVariable } from './variables';
import { MPM_SECTIONS_JSON, parameterFormat, templateVariables } from './variables';

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
			`must be a 3-letter ISO 4217 code in capitals such as USD; it is ${typeof code === 'string' ? quoteInput(code) : describeType(code)}`,
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
	const actual = /^http:\/\//i.test(text) ? 'an http:// link' : quoteInput(text);
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
	const mpmIndexes = variables
		.filter((v) => v.source.kind === 'productThumbnail' && v.source.subType === 'mpm')
		.map((v) => (v.source as { index: number }).index);
	const accepted = (key: string) => {
		const json = MPM_SECTIONS_JSON.exec(key);
		return known.has(key) || (json !== null && mpmIndexes.includes(Number(json[1])));
	};
	const extra = Object.keys(values).filter((key) => !accepted(key) && !isBlank(values[key]));
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

export interface TemplateBuildOptions {
	/** Now, in milliseconds: a limited-time offer must expire after it. */
	now?: number;
}

/**
 * `values` maps variable IDs (see `templateVariables`) to values. Optional variables left empty
 * are left out (a quick reply without a payload, a flow button without a token).
 */
export function buildTemplateContent(
	template: ServerTemplate,
	languageCode: string | undefined,
	values: TemplateVariableValues | null | undefined,
	options: TemplateBuildOptions = {},
): ClientTemplateContent {
	const language = checkSendable(template, languageCode, values);
	const given: TemplateVariableValues = values ?? {};
	const variables = templateVariables(template);
	checkCompleteness(template, variables, given);
	const collected = collectParameters(template, variables, given, options.now ?? Date.now());
	const components = componentsOf(collected);
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

/** A multi-product button's sections as they arrive: from the section fields, or a JSON list. */
interface ProductButton {
	subType: 'catalog' | 'mpm';
	thumbnail?: string;
	/** `button.N.sections`, already checked. */
	sectionsJson?: ClientTemplateProductSection[];
	/** By 1-based section number. */
	sectionFields: Map<number, { title?: string; products?: string[] }>;
}

/** The send-time parameters of the template or of one carousel card, before assembly. */
interface ScopeParameters {
	header: ClientTemplateHeaderParameter[];
	body: ClientTemplateBodyParameter[];
	buttons: ClientTemplateButtonComponent[];
	/** The location header's parts, when the template has one. */
	location?: Record<string, unknown>;
	/** Flow buttons by index: token and action data arrive as separate variables. */
	flows: Map<number, { flow_token?: string; flow_action_data?: Record<string, unknown> }>;
	/** Catalog and multi-product buttons by index: thumbnail and sections arrive separately. */
	products: Map<number, ProductButton>;
}

interface CollectedParameters {
	top: ScopeParameters;
	/** Carousel cards by 0-based index; every defined card, so all are sent. */
	cards?: Map<number, ScopeParameters>;
	offerExpirationMs?: number;
	/** Authentication: the code, and the OTP button's index and its own value if given. */
	oneTimePassword?: { code?: string; buttonIndex?: number; buttonCode?: string; field?: string };
}

const emptyScope = (): ScopeParameters => ({
	header: [],
	body: [],
	buttons: [],
	flows: new Map(),
	products: new Map(),
});

/** The carousel's cards, checked to be as many as Meta allows. */
function carouselCards(template: ServerTemplate): unknown[] | undefined {
	const components = Array.isArray(template.components) ? template.components : [];
	const index = components.findIndex((c) => String(c?.type).toUpperCase() === 'CAROUSEL');
	if (index < 0) return undefined;
	const cards = (components[index] as { cards?: unknown }).cards;
	const count = Array.isArray(cards) ? cards.length : 0;
	const field = `template.components[${index}].cards`;
	if (count < CAROUSEL_CARDS_MIN || count > CAROUSEL_CARDS_MAX) {
		fail(
			field,
			`must have ${CAROUSEL_CARDS_MIN} to ${CAROUSEL_CARDS_MAX} cards (Meta sends exactly the approved cards); it has ${count}`,
			`${CAROUSEL_CARDS_MIN} to ${CAROUSEL_CARDS_MAX} cards`,
			`${count} cards`,
		);
	}
	return cards as unknown[];
}

/** Checks each given value against its variable's limits and files it under its component. */
function collectParameters(
	template: ServerTemplate,
	variables: TemplateVariable[],
	given: TemplateVariableValues,
	now: number,
): CollectedParameters {
	const named = parameterFormat(template) === 'NAMED';
	const componentTypes = (Array.isArray(template.components) ? template.components : []).map((c) =>
		typeof c?.type === 'string' ? c.type.toUpperCase() : '',
	);
	const bodyMax = componentTypes.every((t) => t === 'BODY')
		? BODY_ONLY_TEXT_PARAMETER_MAX
		: BODY_TEXT_PARAMETER_MAX;
	const collected: CollectedParameters = { top: emptyScope() };
	const cards = carouselCards(template);
	if (cards) collected.cards = new Map(cards.map((_, i) => [i, emptyScope()]));
	const scopeOf = (card: number | undefined) =>
		card === undefined ? collected.top : (collected.cards?.get(card) ?? collected.top);
	const productsOf = (index: number, subType: 'catalog' | 'mpm'): ProductButton => {
		const entry: ProductButton = collected.top.products.get(index) ?? {
			subType,
			sectionFields: new Map(),
		};
		collected.top.products.set(index, entry);
		return entry;
	};

	for (const variable of variables) {
		const value = given[variable.id];
		const source = variable.source;
		if (source.kind === 'oneTimePasswordButton') {
			collected.oneTimePassword ??= {};
			collected.oneTimePassword.buttonIndex = source.index;
		}
		if (isBlank(value)) continue; // only optional ones get here
		switch (source.kind) {
			case 'headerText':
				collected.top.header.push(
					textLikeParameter(
						variable,
						value,
						HEADER_TEXT_PARAMETER_MAX,
						named ? source.name : undefined,
					),
				);
				break;
			case 'bodyText':
				scopeOf(source.card).body.push(
					textLikeParameter(
						variable,
						value,
						source.card === undefined ? bodyMax : CARD_BODY_TEXT_PARAMETER_MAX,
						named ? source.name : undefined,
					),
				);
				break;
			case 'headerMedia': {
				const media = mediaSource(variable, value);
				const header = scopeOf(source.card).header;
				if (source.media === 'image') header.push({ type: 'image', image: stripFilename(media) });
				else if (source.media === 'video')
					header.push({ type: 'video', video: stripFilename(media) });
				else header.push({ type: 'document', document: media });
				break;
			}
			case 'headerLocation':
				collected.top.location ??= {};
				collected.top.location[source.part] =
					source.part === 'latitude' || source.part === 'longitude'
						? coordinate(variable.id, value, source.part === 'latitude' ? 90 : 180)
						: requiredString(variable.id, typeof value === 'number' ? String(value) : value);
				break;
			case 'quickReplyPayload':
				scopeOf(source.card).buttons.push(quickReplyButton(variable.id, value, source.index));
				break;
			case 'urlSuffix':
				scopeOf(source.card).buttons.push(
					urlButton(variable.id, value, source.index, source.urlPrefix),
				);
				break;
			case 'couponCode':
				collected.top.buttons.push(couponButton(variable.id, value, source.index));
				break;
			case 'flowToken': {
				const entry = collected.top.flows.get(source.index) ?? {};
				entry.flow_token = asText(variable.id, value);
				collected.top.flows.set(source.index, entry);
				break;
			}
			case 'flowActionData': {
				const entry = collected.top.flows.get(source.index) ?? {};
				entry.flow_action_data = jsonObject(variable.id, value);
				collected.top.flows.set(source.index, entry);
				break;
			}
			case 'productThumbnail':
				productsOf(source.index, source.subType).thumbnail = requiredString(
					variable.id,
					asText(variable.id, value).trim(),
				);
				break;
			case 'mpmSectionTitle': {
				const sections = productsOf(source.index, 'mpm').sectionFields;
				const section = sections.get(source.section) ?? {};
				section.title = checkLength(
					variable.id,
					asText(variable.id, value).trim(),
					MPM_SECTION_TITLE_MAX,
					1,
				);
				sections.set(source.section, section);
				break;
			}
			case 'mpmSectionProducts': {
				const sections = productsOf(source.index, 'mpm').sectionFields;
				const section = sections.get(source.section) ?? {};
				section.products = productList(variable.id, value);
				sections.set(source.section, section);
				break;
			}
			case 'offerExpiration':
				collected.offerExpirationMs = expirationMs(variable.id, value, now);
				break;
			case 'oneTimePassword':
				collected.oneTimePassword ??= {};
				collected.oneTimePassword.code = oneTimeCode(variable.id, value);
				collected.oneTimePassword.field = variable.id;
				break;
			case 'oneTimePasswordButton':
				collected.oneTimePassword!.buttonCode = oneTimeCode(variable.id, value);
				break;
		}
	}

	// `button.N.sections`: a multi-product button's whole list, for JSON and expressions.
	for (const [key, value] of Object.entries(given)) {
		const match = MPM_SECTIONS_JSON.exec(key);
		if (!match || isBlank(value)) continue;
		productsOf(Number(match[1]), 'mpm').sectionsJson = sectionsFromJson(key, value);
	}
	return collected;
}

/** A quick-reply button's payload, echoed back when the customer taps it. */
function quickReplyButton(
	field: string,
	value: unknown,
	index: number,
): ClientTemplateButtonComponent & { sub_type: 'quick_reply' } {
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
): ClientTemplateButtonComponent & { sub_type: 'url' } {
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

/** An authentication template's one-time password: 1 to 15 characters, no spaces. */
function oneTimeCode(field: string, value: unknown): string {
	const code = checkParameterText(field, asText(field, value).trim(), ONE_TIME_PASSWORD_MAX);
	if (/\s/.test(code)) {
		fail(
			field,
			'must not contain spaces (it is a one-time password)',
			'no whitespace',
			'whitespace',
		);
	}
	return code;
}

/** Luxon DateTime (n8n's date fields), Date, ISO text, or epoch milliseconds; never seconds. */
function expirationMs(field: string, value: unknown, now: number): number {
	let ms: number | undefined;
	const asObject = value as { toMillis?: unknown; getTime?: unknown } | null;
	if (typeof asObject?.toMillis === 'function') ms = Number((asObject.toMillis as () => unknown)());
	else if (value instanceof Date) ms = value.getTime();
	else if (typeof value === 'number') ms = value;
	else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) ms = Number(value);
	else if (typeof value === 'string') ms = Date.parse(value.trim());
	if (ms === undefined || !Number.isFinite(ms)) {
		return fail(
			field,
			`must be a date and time (e.g. 2026-12-31T23:59:00Z) or UNIX milliseconds; it is ${showValue(value)}`,
			'date and time',
			showValue(value),
		);
	}
	if (!Number.isInteger(ms) || ms < EPOCH_MS_MIN) {
		fail(
			field,
			`must be a UNIX time in milliseconds (Meta's expiration_time_ms); ${ms} looks like seconds or is not a whole number`,
			'UNIX time in milliseconds',
			String(ms),
		);
	}
	if (ms <= now) {
		fail(
			field,
			`must be in the future; it is ${new Date(ms).toISOString()}`,
			'a future time',
			new Date(ms).toISOString(),
		);
	}
	return ms;
}

/** Retailer IDs: a list, or text separated by commas or line breaks. */
function productList(field: string, value: unknown): string[] {
	const items = Array.isArray(value)
		? value.map((item, i) => asText(`${field}[${i}]`, item))
		: asText(field, value).split(/[,\n]/);
	const ids = items.map((item) => item.trim()).filter((item) => item !== '');
	if (!ids.length) fail(field, 'must list at least one product retailer ID', '1 or more IDs', '0');
	return ids;
}

/** `button.N.sections` given as Meta's list of {title, product_items: [{product_retailer_id}]}. */
function sectionsFromJson(field: string, value: unknown): ClientTemplateProductSection[] {
	return jsonObjectList(field, value).map((section, i) => {
		const at = `${field}[${i}]`;
		const items = section.product_items;
		if (!Array.isArray(items)) {
			fail(`${at}.product_items`, 'must be a list', 'a list', describeType(items));
		}
		const product_items = items.map((item: unknown, k) => {
			const id = isPlainObject(item) ? item.product_retailer_id : undefined;
			return {
				product_retailer_id: requiredString(
					`${at}.product_items[${k}].product_retailer_id`,
					typeof id === 'number' ? String(id) : id,
				).trim(),
			};
		});
		if (!product_items.length)
			fail(`${at}.product_items`, 'must list at least one product', '1 or more products', '0');
		return isBlank(section.title)
			? { product_items }
			: {
					title: checkLength(
						`${at}.title`,
						asText(`${at}.title`, section.title).trim(),
						MPM_SECTION_TITLE_MAX,
						1,
					),
					product_items,
				};
	});
}

/** A multi-product button's sections, from its fields or its JSON, with Meta's limits. */
function mpmSections(index: number, product: ProductButton): ClientTemplateProductSection[] {
	const base = `button.${index}`;
	const fromFields = [...product.sectionFields.entries()].sort(([a], [b]) => a - b);
	if (product.sectionsJson && fromFields.length) {
		fail(
			`${base}.sections`,
			'and the section fields were both given; use one of them',
			'sections JSON or section fields',
			'both',
		);
	}
	let sections: ClientTemplateProductSection[];
	let fieldOf: (i: number) => string;
	if (product.sectionsJson) {
		sections = product.sectionsJson;
		fieldOf = (i) => `${base}.sections[${i}]`;
	} else {
		const numbers = fromFields.map(([n]) => n);
		sections = fromFields.map(([n, section]) => {
			if (!section.products) {
				fail(
					`${base}.section.${n}.product_retailer_ids`,
					'is empty, but the section has a title: list its products',
					'1 or more IDs',
					'0',
				);
			}
			return section.title
				? {
						title: section.title,
						product_items: section.products.map((id) => ({ product_retailer_id: id })),
					}
				: { product_items: section.products.map((id) => ({ product_retailer_id: id })) };
		});
		fieldOf = (i) => `${base}.section.${numbers[i]}.title`;
		if (!sections.length) {
			fail(
				`${base}.section.1.product_retailer_ids`,
				'is required: a multi-product message shows at least one section of products',
				'1 to 10 sections',
				'0 sections',
			);
		}
	}
	if (sections.length > MPM_SECTIONS_MAX) {
		fail(
			`${base}.sections`,
			`must have at most ${MPM_SECTIONS_MAX} sections; it has ${sections.length}`,
			`1 to ${MPM_SECTIONS_MAX} sections`,
			`${sections.length} sections`,
		);
	}
	const total = sections.reduce((sum, section) => sum + section.product_items.length, 0);
	if (total > MPM_PRODUCTS_MAX) {
		fail(
			`${base}.sections`,
			`must list at most ${MPM_PRODUCTS_MAX} products in all sections together; they list ${total}`,
			`at most ${MPM_PRODUCTS_MAX} products`,
			`${total} products`,
		);
	}
	if (sections.length > 1) {
		const untitled = sections.findIndex((section) => !section.title);
		if (untitled >= 0) {
			fail(
				fieldOf(untitled),
				`is required when there is more than one section (there are ${sections.length})`,
				'a title per section',
				'empty',
			);
		}
	}
	return sections;
}

/** One scope's buttons, including flow and product buttons, in index order. */
function scopeButtons(scope: ScopeParameters): ClientTemplateButtonComponent[] {
	const { buttons, flows, products } = scope;
	const all = [...buttons];
	for (const [index, action] of flows) {
		all.push({
			type: 'button',
			sub_type: 'flow',
			index: String(index),
			parameters: [{ type: 'action', action }],
		});
	}
	for (const [index, product] of products) {
		if (product.subType === 'catalog') {
			if (!product.thumbnail) continue;
			all.push({
				type: 'button',
				sub_type: 'catalog',
				index: String(index),
				parameters: [
					{ type: 'action', action: { thumbnail_product_retailer_id: product.thumbnail } },
				],
			});
			continue;
		}
		const sections = mpmSections(index, product);
		all.push({
			type: 'button',
			sub_type: 'mpm',
			index: String(index),
			parameters: [
				{
					type: 'action',
					action: { thumbnail_product_retailer_id: product.thumbnail ?? '', sections },
				},
			],
		});
	}
	return all.sort((a, b) => Number(a.index) - Number(b.index));
}

/** The collected parameters as Meta's components: header, offer, body, cards, then buttons. */
function componentsOf(collected: CollectedParameters): ClientTemplateComponent[] {
	const { top, cards, offerExpirationMs, oneTimePassword } = collected;
	if (top.location) {
		top.header.push({
			type: 'location',
			location: top.location as {
				latitude: number;
				longitude: number;
				name: string;
				address: string;
			},
		});
	}
	const components: ClientTemplateComponent[] = [];
	if (top.header.length) components.push({ type: 'header', parameters: top.header });
	if (offerExpirationMs !== undefined) {
		components.push({
			type: 'limited_time_offer',
			parameters: [
				{
					type: 'limited_time_offer',
					limited_time_offer: { expiration_time_ms: offerExpirationMs },
				},
			],
		});
	}
	const buttons = scopeButtons(top);
	if (oneTimePassword?.code !== undefined) {
		const { code, buttonIndex, buttonCode } = oneTimePassword;
		top.body.push({ type: 'text', text: code });
		if (buttonCode !== undefined && buttonCode !== code) {
			fail(
				`button.${buttonIndex}.url_suffix`,
				'must be the same as the one-time password in the body (or left out)',
				'the one-time password',
				'a different code',
			);
		}
		if (buttonIndex !== undefined) {
			buttons.push({
				type: 'button',
				sub_type: 'url',
				index: String(buttonIndex),
				parameters: [{ type: 'text', text: code }],
			});
			buttons.sort((a, b) => Number(a.index) - Number(b.index));
		}
	}
	if (top.body.length) components.push({ type: 'body', parameters: top.body });
	if (cards) {
		components.push({
			type: 'carousel',
			cards: [...cards.entries()].map(([card_index, card]) => ({
				card_index,
				components: [
					...(card.header.length
						? [
								{
									type: 'header' as const,
									parameters: card.header as [
										ClientTemplateImageParameter | ClientTemplateVideoParameter,
									],
								},
							]
						: []),
					...(card.body.length ? [{ type: 'body' as const, parameters: card.body }] : []),
					...(scopeButtons(card) as ClientTemplateCarouselCardButtonComponent[]),
				],
			})),
		});
	}
	components.push(...buttons);
	return components;
}

function stripFilename(
	media: ClientTemplateMediaSource & { filename?: string },
): ClientTemplateMediaSource {
	return 'id' in media && media.id !== undefined
		? { id: media.id }
		: { link: media.link as string };
}
