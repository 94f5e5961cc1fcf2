/**
 * Shared checks for the payload and template builders. Every failure is a PayloadError naming the
 * field, the limit and what was found. Values may come from expressions or JSON, so types are
 * checked at run time too: a builder given anything returns a payload or throws a PayloadError.
 */
import { describeKind, PayloadError, quoteInput } from './errors';
import { checkLength } from './text';

/** Throws the PayloadError `${field} ${message}`. */
export function fail(field: string, message: string, limit: string, actual: string): never {
	throw new PayloadError(`${field} ${message}`, { field, limit, actual });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a value is, for a message refusing it (one description, shared with the recipient's). */
export const describeType = describeKind;

/** A value for an error message: short, and never throws (objects may carry odd `toString` keys). */
export function showValue(value: unknown): string {
	if (value === undefined) return 'missing';
	if (typeof value === 'string') return quoteInput(value);
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
		return String(value);
	return describeType(value);
}

/** No value given: absent, null, or only whitespace. */
export function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

/** Text as Meta wants it; finite numbers are accepted and written as text (IDs from JSON). */
function asText(field: string, value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	throw new PayloadError(`${field} must be text; it is ${describeType(value)}`, {
		field,
		limit: 'text',
		actual: describeType(value),
	});
}

/** A required text of `min`..`max` characters; blank (only whitespace) counts as empty. */
export function requiredText(field: string, value: unknown, max: number, min = 1): string {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		throw new PayloadError(`${field} is required (${min} to ${max} characters); it is empty`, {
			field,
			limit: `${min} to ${max} characters`,
			actual: '0 characters',
		});
	}
	return checkLength(field, asText(field, value), max, min);
}

/** An optional text: absent, empty or blank means "leave it out". */
export function optionalText(field: string, value: unknown, max: number): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = asText(field, value);
	if (text.trim() === '') return undefined;
	return checkLength(field, text, max);
}

/** An identifier without whitespace (message IDs, media IDs). */
export function requiredToken(field: string, value: unknown, what: string): string {
	const text = value === undefined || value === null ? '' : asText(field, value);
	if (text === '' || /\s/.test(text)) {
		const actual = text === '' ? 'empty' : 'contains whitespace';
		throw new PayloadError(`${field} must be ${what} (non-empty, no spaces); it is ${actual}`, {
			field,
			limit: `${what}: non-empty, no spaces`,
			actual,
		});
	}
	return text;
}

/** Fails unless `count` is within `min`..`max`; `noun` is plural, e.g. "buttons". */
export function checkCount(
	field: string,
	count: number,
	min: number,
	max: number,
	noun: string,
): void {
	if (count < min || count > max) {
		const limit = min === max ? `exactly ${min} ${noun}` : `${min} to ${max} ${noun}`;
		throw new PayloadError(`${field} must have ${limit}; it has ${count}`, {
			field,
			limit,
			actual: `${count} ${noun}`,
		});
	}
}

/** A list given as an array; anything else is a PayloadError. */
export function requiredList(field: string, value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	throw new PayloadError(`${field} must be a list; it is ${describeType(value)}`, {
		field,
		limit: 'a list',
		actual: describeType(value),
	});
}

/** An object given as one; anything else is a PayloadError. */
export function requiredObject(field: string, value: unknown): Record<string, unknown> {
	if (isPlainObject(value)) return value;
	throw new PayloadError(`${field} must be an object; it is ${describeType(value)}`, {
		field,
		limit: 'an object',
		actual: describeType(value),
	});
}

/** An absolute http:// or https:// URL with a host. */
export function httpUrl(field: string, value: unknown): string {
	const text = value === undefined || value === null ? '' : asText(field, value).trim();
	let valid = false;
	try {
		const url = new URL(text);
		valid = (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
	} catch {
		valid = false;
	}
	if (!valid || /\s/.test(text)) {
		throw new PayloadError(
			`${field} must be a full http:// or https:// URL; ${text === '' ? 'it is empty' : `${quoteInput(text)} is not`}`,
			{ field, limit: 'an http(s) URL', actual: text === '' ? 'empty' : 'not an http(s) URL' },
		);
	}
	return text;
}

/** Fails on the first value seen twice; `fieldOf(i)` names the field of the i-th value. */
export function checkUnique(
	values: string[],
	fieldOf: (index: number) => string,
	what: string,
): void {
	const seen = new Map<string, number>();
	values.forEach((value, index) => {
		const first = seen.get(value);
		if (first !== undefined) {
			const field = fieldOf(index);
			throw new PayloadError(
				`${field} ${quoteInput(value)} repeats ${fieldOf(first)}: each ${what} must be unique`,
				{ field, limit: `unique ${what}`, actual: `duplicate of ${fieldOf(first)}` },
			);
		}
		seen.set(value, index);
	});
}

/** Meta rejects IDs with leading or trailing spaces. */
export function checkNoEdgeSpaces(field: string, value: string): string {
	if (value !== value.trim()) {
		throw new PayloadError(`${field} must not start or end with spaces`, {
			field,
			limit: 'no leading or trailing spaces',
			actual: 'leading or trailing spaces',
		});
	}
	return value;
}

const PICTOGRAPHIC = /[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]/u;

export function containsEmoji(value: string): boolean {
	return PICTOGRAPHIC.test(value);
}

/** Grapheme clusters (what a user sees as one character; one emoji may be many code points). */
export function graphemes(value: string): string[] {
	const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
	return Array.from(segmenter.segment(value), (part) => part.segment);
}

/** A boolean flag; `undefined` is false. */
export function flag(field: string, value: unknown): boolean {
	if (value === undefined || value === null) return false;
	if (typeof value === 'boolean') return value;
	throw new PayloadError(`${field} must be true or false; it is ${describeType(value)}`, {
		field,
		limit: 'true or false',
		actual: describeType(value),
	});
}

/** One of the allowed string values. */
export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
		return value as T;
	const shown = typeof value === 'string' ? quoteInput(value) : describeType(value);
	throw new PayloadError(`${field} must be one of ${allowed.join(', ')}; it is ${shown}`, {
		field,
		limit: `one of ${allowed.join(', ')}`,
		actual: shown,
	});
}

/**
 * A `json` parameter arrives as text (typed in) or as a value (from an expression); blank text is
 * undefined. `expected` names the shape the caller wants, for the message.
 */
export function parseJsonParameter(field: string, value: unknown, expected?: string): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	let problem: string;
	try {
		return JSON.parse(value) as unknown;
	} catch (error) {
		problem = (error as Error).message;
	}
	const message = expected
		? `must be ${expected}; it is text that is not JSON`
		: 'is not valid JSON';
	return fail(field, message, expected ?? 'valid JSON', `invalid JSON (${problem})`);
}

/** A whole number within `min`..`max`; numeric text (from expressions) is accepted. */
export function integerInRange(field: string, value: unknown, min: number, max: number): number {
	const number =
		typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : (value as number);
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
		const actual =
			typeof number === 'number' && Number.isFinite(number) ? String(number) : describeType(value);
		throw new PayloadError(
			`${field} must be a whole number from ${min} to ${max}; it is ${actual}`,
			{
				field,
				limit: `a whole number from ${min} to ${max}`,
				actual,
			},
		);
	}
	return number;
}
