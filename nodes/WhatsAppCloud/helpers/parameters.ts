/**
 * What a node parameter's raw value says about its evaluation, without evaluating it: whether it
 * holds an expression at all, and whether it is nothing but a read of one input field.
 */
import { isSafeObjectProperty } from 'n8n-workflow';

/** n8n treats a string parameter that starts with `=` as an expression. */
export function containsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(containsExpression);
	if (value !== null && typeof value === 'object') {
		return Object.values(value).some(containsExpression);
	}
	return false;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const FIELD_READ =
	/^=\{\{\s*\$json((?:\s*(?:\.\s*[A-Za-z_$][\w$]*|\[\s*(?:"[^"\\]*"|'[^'\\]*')\s*\]))+)\s*\}\}$/;
const SEGMENT = /\.\s*([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*\]/g;
/** n8n refuses any expression matching this (even `$json.constructorId`). */
const CONSTRUCTOR_ACCESS = /\.\s*constructor/;
/** Property names n8n 2.41's expression sandbox refuses; older versions refuse fewer, newer ones
 * are asked through `isSafeObjectProperty`. */
const REFUSED_BY_N8N = new Set([
	'__proto__',
	'prototype',
	'constructor',
	'getPrototypeOf',
	'setPrototypeOf',
	'getOwnPropertyDescriptor',
	'getOwnPropertyDescriptors',
	'defineProperty',
	'defineProperties',
	'mainModule',
	'binding',
	'_linkedBinding',
	'_load',
	'prepareStackTrace',
	'__lookupGetter__',
	'__lookupSetter__',
	'__defineGetter__',
	'__defineSetter__',
	'caller',
	'callee',
	'arguments',
	'getBuiltinModule',
	'dlopen',
	'execve',
	'loadEnvFile',
]);

const isReadableName = (key: string) =>
	key !== '$' && !REFUSED_BY_N8N.has(key) && isSafeObjectProperty(key);

/**
 * The property path of an expression that only reads an input field — `={{ $json.to }}`,
 * `={{ $json.customer.phone }}`, `={{ $json["first name"] }}` — or undefined for anything else,
 * including reads n8n's sandbox refuses.
 */
export function fieldReadPath(value: unknown): string[] | undefined {
	if (typeof value !== 'string' || CONSTRUCTOR_ACCESS.test(value)) return undefined;
	const match = FIELD_READ.exec(value);
	if (!match) return undefined;
	const path: string[] = [];
	for (const segment of match[1].matchAll(SEGMENT)) {
		path.push(segment[1] ?? segment[2] ?? segment[3]);
	}
	// n8n answers those with a security error: let it.
	return path.every(isReadableName) ? path : undefined;
}

export type Scalar = string | number | boolean;

/**
 * The scalar at `path` in `json`, following own properties only; undefined when the path is
 * missing or ends at anything but a string, finite number or boolean (the caller then lets n8n
 * evaluate the expression, errors and all).
 */
export function scalarAt(json: unknown, path: readonly string[]): Scalar | undefined {
	let current = json;
	for (const key of path) {
		if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) {
			return undefined;
		}
		current = (current as Record<string, unknown>)[key];
	}
	if (typeof current === 'string' || typeof current === 'boolean') return current;
	if (typeof current === 'number' && Number.isFinite(current)) return current;
	return undefined;
}

/** A copy of a JSON-like value, so a value shared between items cannot be changed through one. */
export function copyJson<T>(value: T): T {
	if (Array.isArray(value)) return value.map(copyJson) as T;
	if (value !== null && typeof value === 'object') {
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value)) copy[key] = copyJson(entry);
		return copy as T;
	}
	return value;
}

export function isPlainParameterName(name: string): boolean {
	return IDENTIFIER.test(name);
}

/**
 * The ID in a resource locator's value (`{ __rl, mode, value }`) or a plain string/number, trimmed;
 * '' for anything else. For locators whose modes are a list and an ID: nothing to extract from a
 * URL, and no need for n8n's `extractValue`, which throws when the field is hidden.
 */
export function locatorId(raw: unknown): string {
	const value =
		raw !== null && typeof raw === 'object' && !Array.isArray(raw)
			? (raw as { value?: unknown }).value
			: raw;
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

/**
 * A parameter's value on its way to a builder: text trimmed, anything else unchanged so the
 * builder refuses it by kind. Never `String()`: that turns an object into "[object Object]" and
 * null into "null", which Meta would then receive.
 */
export function trimmedValue(value: unknown): unknown {
	return typeof value === 'string' ? value.trim() : value;
}

/** An optional parameter's value: undefined when unset or empty text, else `trimmedValue`. */
export function optionalValue(value: unknown): unknown {
	const trimmed = trimmedValue(value);
	return trimmed === undefined || trimmed === null || trimmed === '' ? undefined : trimmed;
}
