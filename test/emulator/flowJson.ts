/**
 * Flow JSON as Meta's validator and the WhatsApp client read it (fact sheet 2 §5.4): structural
 * validation errors with line/column pointers, and the checks the client applies to an endpoint's
 * answer (the screen exists, is reachable, and its data fits the screen's declared `data`).
 *
 * Error names follow Meta's published examples where known (`INVALID_PROPERTY_VALUE`,
 * `MISSING_REQUIRED_PROPERTY`, error_type `FLOW_JSON_ERROR`); the others are this emulator's [U].
 */

import { checkScreenComponents } from './flowComponents';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface FlowValidationPointer {
	line_start: number;
	line_end: number;
	column_start: number;
	column_end: number;
	path: string;
}

export interface FlowValidationError {
	error: string;
	error_type: string;
	message: string;
	line_start: number;
	line_end: number;
	column_start: number;
	column_end: number;
	pointers: FlowValidationPointer[];
}

/** Flow JSON versions Meta has published (2.1 … 7.3). */
export const FLOW_JSON_VERSIONS = [
	'2.1',
	'3.0',
	'3.1',
	'4.0',
	'5.0',
	'5.1',
	'6.0',
	'6.1',
	'6.2',
	'6.3',
	'7.0',
	'7.1',
	'7.2',
	'7.3',
];
export const DATA_API_VERSIONS = ['3.0', '4.0'];
const DATA_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array'];
const SCREEN_ID = /^[A-Za-z_]+$/;

export interface FlowScreen {
	id: string;
	terminal?: boolean;
	data?: Obj;
	layout?: Obj;
	refresh_on_back?: boolean;
}

export interface FlowJsonDoc {
	version: string;
	data_api_version?: string;
	routing_model?: Record<string, string[]>;
	screens: FlowScreen[];
}

interface Span {
	line_start: number;
	line_end: number;
	column_start: number;
	column_end: number;
}

/** Positions of every value in a JSON text by path (`screens[0].id`), from a small scanner. */
function valueSpans(text: string): Map<string, Span> {
	const spans = new Map<string, Span>();
	let i = 0;
	const lineStarts = [0];
	for (let k = 0; k < text.length; k++) if (text[k] === '\n') lineStarts.push(k + 1);
	const position = (offset: number) => {
		let low = 0;
		let high = lineStarts.length - 1;
		while (low < high) {
			const mid = (low + high + 1) >> 1;
			if (lineStarts[mid] <= offset) low = mid;
			else high = mid - 1;
		}
		return { line: low + 1, column: offset - lineStarts[low] + 1 };
	};
	const skip = () => {
		while (i < text.length && /\s/.test(text[i])) i++;
	};
	const readString = () => {
		const start = i++;
		while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
		i++;
		return JSON.parse(text.slice(start, i)) as string;
	};
	const value = (path: string) => {
		skip();
		const start = i;
		if (text[i] === '{') {
			i++;
			skip();
			while (text[i] !== '}') {
				skip();
				const key = readString();
				skip();
				i++; // :
				value(path ? `${path}.${key}` : key);
				skip();
				if (text[i] === ',') i++;
				skip();
			}
			i++;
		} else if (text[i] === '[') {
			i++;
			skip();
			let index = 0;
			while (text[i] !== ']') {
				value(`${path}[${index++}]`);
				skip();
				if (text[i] === ',') i++;
				skip();
			}
			i++;
		} else if (text[i] === '"') {
			readString();
		} else {
			while (i < text.length && /[^\s,\]}]/.test(text[i])) i++;
		}
		const from = position(start);
		const to = position(Math.max(start, i - 1));
		spans.set(path, {
			line_start: from.line,
			line_end: to.line,
			column_start: from.column,
			column_end: to.column + 1,
		});
	};
	value('');
	return spans;
}

export interface FlowJsonResult {
	errors: FlowValidationError[];
	/** Present when the text is JSON with a usable `screens` list (even with errors). */
	doc?: FlowJsonDoc;
}

/** Meta's structural checks on an uploaded Flow JSON. */
export function validateFlowJson(text: string): FlowJsonResult {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (e) {
		const message = (e as Error).message;
		const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
		const line = text.slice(0, offset).split('\n').length;
		const column = offset - text.lastIndexOf('\n', offset - 1);
		const span = { line_start: line, line_end: line, column_start: column, column_end: column + 1 };
		return {
			errors: [
				{
					error: 'INVALID_JSON',
					error_type: 'JSON_PARSE_ERROR',
					message: `The Flow JSON is not valid JSON: ${message}`,
					...span,
					pointers: [{ ...span, path: '' }],
				},
			],
		};
	}
	const spans = valueSpans(text);
	const errors: FlowValidationError[] = [];
	const add = (error: string, path: string, message: string) => {
		// A missing property points at its parent object.
		let at = path;
		while (!spans.has(at) && at !== '') {
			const parent = at.replace(/(?:^|\.)[^.[\]]+$|\[\d+\]$/, '');
			at = parent === at ? '' : parent;
		}
		const span = spans.get(at) ?? { line_start: 1, line_end: 1, column_start: 1, column_end: 2 };
		errors.push({
			error,
			error_type: 'FLOW_JSON_ERROR',
			message,
			...span,
			pointers: [{ ...span, path }],
		});
	};
	if (!isObj(json)) {
		add('INVALID_PROPERTY_VALUE', '', 'The Flow JSON must be an object.');
		return { errors };
	}
	const version = json.version;
	if (version === undefined)
		add('MISSING_REQUIRED_PROPERTY', 'version', "Missing required property 'version'.");
	else if (typeof version !== 'string' || !FLOW_JSON_VERSIONS.includes(version))
		add(
			'INVALID_PROPERTY_VALUE',
			'version',
			`Invalid value found for property 'version': ${JSON.stringify(version)}.`,
		);
	const dataApi = json.data_api_version;
	if (
		dataApi !== undefined &&
		(typeof dataApi !== 'string' || !DATA_API_VERSIONS.includes(dataApi))
	)
		add(
			'INVALID_PROPERTY_VALUE',
			'data_api_version',
			`Invalid value found for property 'data_api_version': ${JSON.stringify(dataApi)}.`,
		);
	if (!Array.isArray(json.screens) || json.screens.length === 0) {
		add(
			'MISSING_REQUIRED_PROPERTY',
			'screens',
			"Missing required property 'screens' (at least one screen).",
		);
		return { errors };
	}
	const screens = json.screens as unknown[];
	const ids = new Set<string>();
	screens.forEach((screen, index) => {
		const at = `screens[${index}]`;
		if (!isObj(screen)) return add('INVALID_PROPERTY_VALUE', at, 'A screen must be an object.');
		const id = screen.id;
		if (id === undefined)
			add('MISSING_REQUIRED_PROPERTY', `${at}.id`, "Missing required property 'id'.");
		else if (typeof id !== 'string' || !SCREEN_ID.test(id))
			add(
				'INVALID_PROPERTY_VALUE',
				`${at}.id`,
				`Invalid screen id ${JSON.stringify(id)}: only letters and underscores.`,
			);
		else if (id === 'SUCCESS')
			add('INVALID_PROPERTY_VALUE', `${at}.id`, "The screen id 'SUCCESS' is reserved.");
		else if (ids.has(id))
			add('DUPLICATE_SCREEN_ID', `${at}.id`, `Screen id '${id}' is used more than once.`);
		else ids.add(id);
		if (!isObj(screen.layout))
			add('MISSING_REQUIRED_PROPERTY', `${at}.layout`, "Missing required property 'layout'.");
		else if (!Array.isArray(screen.layout.children))
			add(
				'MISSING_REQUIRED_PROPERTY',
				`${at}.layout.children`,
				"Missing required property 'children'.",
			);
		checkScreenComponents(screen, at, add);
		if (screen.data !== undefined) {
			if (!isObj(screen.data))
				add('INVALID_PROPERTY_VALUE', `${at}.data`, 'Screen data must be an object.');
			else
				for (const [name, declaration] of Object.entries(screen.data)) {
					if (
						!isObj(declaration) ||
						typeof declaration.type !== 'string' ||
						!DATA_TYPES.includes(declaration.type)
					)
						add(
							'INVALID_PROPERTY_VALUE',
							`${at}.data.${name}`,
							`Data field '${name}' needs a type (${DATA_TYPES.join(', ')}).`,
						);
					else if (!('__example__' in declaration))
						add(
							'MISSING_REQUIRED_PROPERTY',
							`${at}.data.${name}`,
							`Data field '${name}' needs an __example__.`,
						);
				}
		}
	});
	if (!screens.some((s) => isObj(s) && s.terminal === true))
		add('MISSING_TERMINAL_SCREEN', 'screens', 'At least one screen must be terminal.');
	const routing = json.routing_model;
	if (dataApi !== undefined && routing === undefined)
		add(
			'MISSING_REQUIRED_PROPERTY',
			'routing_model',
			"Missing required property 'routing_model' (needed with data_api_version).",
		);
	if (routing !== undefined) {
		if (!isObj(routing))
			add('INVALID_PROPERTY_VALUE', 'routing_model', 'routing_model must be an object.');
		else
			for (const [from, targets] of Object.entries(routing)) {
				if (!ids.has(from))
					add(
						'INVALID_ROUTING_MODEL',
						`routing_model.${from}`,
						`routing_model names unknown screen '${from}'.`,
					);
				if (!Array.isArray(targets)) {
					add(
						'INVALID_ROUTING_MODEL',
						`routing_model.${from}`,
						`routing_model.${from} must be a list.`,
					);
					continue;
				}
				targets.forEach((to, index) => {
					if (typeof to !== 'string' || !ids.has(to))
						add(
							'INVALID_ROUTING_MODEL',
							`routing_model.${from}[${index}]`,
							`routing_model.${from} names unknown screen ${JSON.stringify(to)}.`,
						);
				});
			}
	}
	const doc = errors.some((e) => e.pointers[0].path === 'screens')
		? undefined
		: (json as unknown as FlowJsonDoc);
	return { errors, doc };
}

const typeOf = (value: unknown) =>
	value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

function fits(declaration: Obj, value: unknown, path: string, problems: string[]): void {
	const type = declaration.type as string;
	const actual = typeOf(value);
	const ok =
		type === 'integer'
			? Number.isInteger(value)
			: type === 'number'
				? typeof value === 'number'
				: actual === type;
	if (!ok) {
		problems.push(`${path} must be ${type}; it is ${actual}`);
		return;
	}
	if (type === 'array' && isObj(declaration.items)) {
		(value as unknown[]).forEach((element, index) =>
			fits(declaration.items as Obj, element, `${path}[${index}]`, problems),
		);
	}
	if (type === 'object' && isObj(declaration.properties)) {
		for (const [name, inner] of Object.entries(declaration.properties)) {
			const v = (value as Obj)[name];
			if (v !== undefined && isObj(inner)) fits(inner, v, `${path}.${name}`, problems);
		}
	}
}

/**
 * What the client checks in an endpoint answer that navigates: the screen exists, the routing model
 * allows it from where the user is, and `data` has every declared field with its type and nothing
 * undeclared (`error_message` is always allowed).
 */
export function checkScreenAnswer(
	doc: FlowJsonDoc,
	fromScreen: string | undefined,
	answer: { screen?: unknown; data?: unknown },
): string[] {
	const problems: string[] = [];
	const screen = doc.screens.find((s) => s.id === answer.screen);
	if (!screen) return [`screen ${JSON.stringify(answer.screen)} is not in the Flow JSON`];
	const routes = doc.routing_model;
	if (routes && fromScreen && fromScreen !== screen.id) {
		if (!(routes[fromScreen] ?? []).includes(screen.id))
			problems.push(`routing_model does not lead from ${fromScreen} to ${screen.id}`);
	}
	const data = answer.data === undefined ? {} : answer.data;
	if (!isObj(data)) return [...problems, `data must be an object; it is ${typeOf(data)}`];
	const declared = isObj(screen.data) ? screen.data : {};
	for (const [name, declaration] of Object.entries(declared)) {
		if (!(name in data)) problems.push(`data.${name} is declared by ${screen.id} but missing`);
		else if (isObj(declaration)) fits(declaration, data[name], `data.${name}`, problems);
	}
	for (const name of Object.keys(data)) {
		if (name !== 'error_message' && !(name in declared))
			problems.push(`data.${name} is not declared by ${screen.id}`);
	}
	return problems;
}
