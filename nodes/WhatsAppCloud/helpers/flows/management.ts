/**
 * Checks for Flow management inputs before they reach Meta (fact sheet 2 §5.4; Meta's reference:
 * https://developers.facebook.com/docs/whatsapp/flows/reference/flowsapi). Each failure is a
 * PayloadError naming the field, the rule and what was found.
 */
import { describeType, fail, httpUrl, isBlank, isPlainObject } from '../check';
import { quoteInput } from '../errors';

export type FlowCategory =
	| 'SIGN_UP'
	| 'SIGN_IN'
	| 'APPOINTMENT_BOOKING'
	| 'LEAD_GENERATION'
	| 'CONTACT_US'
	| 'CUSTOMER_SUPPORT'
	| 'SURVEY'
	| 'OTHER';

export const FLOW_CATEGORIES: readonly FlowCategory[] = [
	'APPOINTMENT_BOOKING',
	'CONTACT_US',
	'CUSTOMER_SUPPORT',
	'LEAD_GENERATION',
	'OTHER',
	'SIGN_IN',
	'SIGN_UP',
	'SURVEY',
];

export type FlowStatus = 'DRAFT' | 'PUBLISHED' | 'DEPRECATED' | 'BLOCKED' | 'THROTTLED';

export const FLOW_STATUSES: readonly FlowStatus[] = [
	'BLOCKED',
	'DEPRECATED',
	'DRAFT',
	'PUBLISHED',
	'THROTTLED',
];

/** Meta's limit for the flow.json asset. */
export const FLOW_JSON_MAX_BYTES = 10 * 1024 * 1024;

/** A Flow ID: Graph object IDs are digits. */
export function checkFlowId(field: string, value: unknown): string {
	const text = typeof value === 'number' ? String(value) : String(value ?? '').trim();
	if (text === '') fail(field, 'is empty: pick a Flow or give its ID', 'a Flow ID', 'empty');
	if (!/^\d+$/.test(text)) {
		fail(
			field,
			`${quoteInput(text)} is not a Flow ID (only digits, e.g. from Flow → List)`,
			'a Flow ID (digits)',
			'not digits',
		);
	}
	return text;
}

/** The Flow name: required; Meta checks that it is unique in the business account. */
export function checkFlowName(field: string, value: unknown): string {
	if (isBlank(value)) fail(field, 'is required; it is empty', 'a non-empty name', 'empty');
	if (typeof value !== 'string') fail(field, 'must be text', 'text', describeType(value));
	return value.trim();
}

/** At least one of Meta's categories, each once. Text from an expression may be comma-separated. */
export function checkFlowCategories(field: string, value: unknown): FlowCategory[] {
	const list =
		typeof value === 'string'
			? value
					.split(',')
					.map((part) => part.trim())
					.filter(Boolean)
			: value;
	if (!Array.isArray(list)) {
		fail(field, 'must be a list of categories', 'a list of categories', describeType(value));
	}
	if (list.length === 0) {
		fail(field, 'must name at least one category', 'at least 1 category', '0 categories');
	}
	const allowed = FLOW_CATEGORIES as readonly string[];
	for (const [index, category] of list.entries()) {
		if (typeof category !== 'string' || !allowed.includes(category)) {
			fail(
				`${field}[${index}]`,
				`must be one of ${FLOW_CATEGORIES.join(', ')}; it is ${typeof category === 'string' ? quoteInput(category) : describeType(category)}`,
				`one of ${FLOW_CATEGORIES.join(', ')}`,
				typeof category === 'string' ? quoteInput(category) : describeType(category),
			);
		}
	}
	return [...new Set(list as FlowCategory[])];
}

/** The endpoint URI: empty for none, else a full http(s) URL (Meta needs HTTPS it can reach). */
export function checkEndpointUri(field: string, value: unknown): string | undefined {
	if (isBlank(value)) return undefined;
	return httpUrl(field, value);
}

/** Where a JSON text fails to parse, as "line L, column C" (from the parser's offset). */
function parseProblem(text: string, error: Error): string {
	const offset = /position (\d+)/.exec(error.message)?.[1];
	if (offset === undefined) return error.message;
	const before = text.slice(0, Number(offset));
	const line = before.split('\n').length;
	const column = Number(offset) - before.lastIndexOf('\n');
	return `${error.message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}

/**
 * The Flow JSON as the text Meta gets: typed-in text as given (Meta's validation errors then point
 * at the user's own lines and columns), an object from an expression pretty-printed. It must be a
 * JSON object of at most 10 MB.
 */
export function flowJsonText(field: string, value: unknown): string {
	let text: string;
	if (typeof value === 'string') {
		text = value;
		if (text.trim() === '') fail(field, 'is empty', 'a Flow JSON object', 'empty');
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch (error) {
			const problem = parseProblem(text, error as Error);
			fail(field, `is not valid JSON (${problem})`, 'valid JSON', `invalid JSON (${problem})`);
		}
		if (!isPlainObject(parsed)) {
			fail(field, 'must be a JSON object', 'a JSON object', describeType(parsed));
		}
	} else if (isPlainObject(value)) {
		text = JSON.stringify(value, null, 2);
	} else {
		fail(field, 'must be a Flow JSON object', 'a JSON object', describeType(value));
	}
	const bytes = Buffer.byteLength(text, 'utf8');
	if (bytes > FLOW_JSON_MAX_BYTES) {
		fail(
			field,
			`is ${bytes} bytes; Meta takes at most ${FLOW_JSON_MAX_BYTES} (10 MB)`,
			'at most 10 MB',
			`${bytes} bytes`,
		);
	}
	return text;
}

/** The Flow JSON from a file: UTF-8 (an optional byte order mark is dropped), then as above. */
export function flowJsonFromFile(field: string, bytes: Buffer): string {
	if (bytes.length > FLOW_JSON_MAX_BYTES) {
		fail(
			field,
			`holds ${bytes.length} bytes; Meta takes at most ${FLOW_JSON_MAX_BYTES} (10 MB)`,
			'at most 10 MB',
			`${bytes.length} bytes`,
		);
	}
	const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
	return flowJsonText(field, text);
}
