import { UserError } from 'n8n-workflow';

export interface PayloadErrorDetails {
	/** The parameter path as the user sees it, e.g. `buttons[2].title`. */
	field: string;
	/** What the value must satisfy, e.g. `at most 20 characters`. */
	limit?: string;
	/** What it is, e.g. `23 characters`. Never the value itself when it may be secret. */
	actual?: string;
}

/**
 * A parameter that Meta would reject. Pure helpers throw it; the operation layer wraps it in a
 * NodeOperationError carrying the item index.
 */
export class PayloadError extends UserError {
	readonly field: string;

	readonly limit?: string;

	readonly actual?: string;

	constructor(message: string, details: PayloadErrorDetails) {
		super(message);
		this.name = 'PayloadError';
		this.field = details.field;
		this.limit = details.limit;
		this.actual = details.actual;
	}
}

export function isPayloadError(error: unknown): error is PayloadError {
	return error instanceof PayloadError;
}

/** Inputs quoted in error messages are cut after this many characters (a 1 MB value must not come
 * back as a 1 MB message, in the output and in n8n's logs). */
export const QUOTE_MAX_CHARACTERS = 40;

/** `value` quoted for an error message: JSON-escaped, and when long cut, with its length. */
export function quoteInput(value: string, max = QUOTE_MAX_CHARACTERS): string {
	if (value.length <= max) return JSON.stringify(value);
	let head = value.slice(0, max);
	// Never end on half of a surrogate pair.
	const last = head.charCodeAt(head.length - 1);
	if (last >= 0xd800 && last <= 0xdbff) head = head.slice(0, -1);
	return `${JSON.stringify(`${head}…`)} (${value.length} characters)`;
}

/** What a non-text value is, for messages that refuse it. */
export function describeKind(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'boolean') return `the boolean ${String(value)}`;
	return `a ${typeof value}`;
}
