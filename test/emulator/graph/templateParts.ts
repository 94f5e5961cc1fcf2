/** Building blocks shared by template definitions (create, edit) and template sends. */
import { GraphError, badParam, invalid, missing } from '../errors';
import type { Template, TemplateButton, TemplateCategory } from '../seed';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj =>
	typeof v === 'object' && v !== null && !Array.isArray(v);
export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
/** Characters (code points), as Meta counts them [U: Meta does not say]. */
export const len = (s: string) => [...s].length;
export const upper = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v);
/** Throws Meta's creation error (code 100) with the given details. */
export const fail = (details: string): never => {
	throw badParam(details);
};

export const BUTTON_TEXT_MAX = 25;
export const COPY_CODE_MAX = 15;

const POSITIONAL_VAR = /\{\{\s*(\d+)\s*\}\}/g;
const NAMED_VAR = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;
export const NAMED_PARAM = /^[a-z_]{1,20}$/;

/** Variables of a text, as written (positional numbers or names), in order of appearance. */
export function variablesOf(
	text: string | undefined,
	format: Template['parameter_format'],
): string[] {
	if (!text) return [];
	const re = format === 'NAMED' ? NAMED_VAR : POSITIONAL_VAR;
	return [...text.matchAll(re)].map((m) => m[1]);
}

/** Sequential positional variables with as many examples, or named ones each with an example. */
export function checkVariables(
	where: string,
	text: string,
	format: Template['parameter_format'],
	positionalExamples: string[] | undefined,
	namedExamples: { param_name: string; example: string }[] | undefined,
) {
	if (format === 'POSITIONAL') {
		if (/\{\{\s*[a-z_]/i.test(text))
			throw badParam(`${where} mixes named variables into a POSITIONAL template.`);
		const vars = variablesOf(text, 'POSITIONAL').map(Number);
		vars.forEach((v, i) => {
			if (v !== i + 1)
				throw badParam(`${where} variables must be sequential {{1}}, {{2}}, … (found {{${v}}}).`);
		});
		if (vars.length && (!positionalExamples || positionalExamples.length !== vars.length))
			throw badParam(`${where} has ${vars.length} variables and needs as many example values.`);
	} else {
		if (/\{\{\s*\d/.test(text))
			throw badParam(`${where} mixes positional variables into a NAMED template.`);
		const vars = variablesOf(text, 'NAMED');
		for (const v of vars) if (!NAMED_PARAM.test(v)) throw badParam(`Invalid variable name ${v}.`);
		if (new Set(vars).size !== vars.length) throw badParam(`${where} repeats a variable name.`);
		const names = (namedExamples ?? []).map((e) => e.param_name);
		if (vars.length && (names.length !== vars.length || !vars.every((v) => names.includes(v))))
			throw badParam(`${where} variables need example values for each named parameter.`);
	}
}

const BUTTON_TYPES = [
	'QUICK_REPLY',
	'URL',
	'PHONE_NUMBER',
	'COPY_CODE',
	'FLOW',
	'OTP',
	'CATALOG',
	'MPM',
	'VOICE_CALL',
];

/** One button of a BUTTONS component (top level or carousel card). */
export function checkButton(b: TemplateButton, where = 'Button') {
	if (!BUTTON_TYPES.includes(b.type)) fail(`Unknown button type ${String(b.type)}.`);
	if (b.type !== 'COPY_CODE' && b.type !== 'OTP') {
		if (typeof b.text !== 'string' || !b.text) fail(`${where}: ${b.type} button text is required.`);
		if (len(b.text!) > BUTTON_TEXT_MAX)
			fail(`${where}: button text must be at most ${BUTTON_TEXT_MAX} characters.`);
	}
	if (b.type === 'URL') {
		if (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url))
			fail(`${where}: URL button needs a url.`);
		const vars = variablesOf(b.url, 'POSITIONAL');
		if (vars.length > 1 || (vars.length === 1 && !/\{\{1\}\}$/.test(b.url!)))
			fail(`${where}: a URL button may have one variable {{1}} at the end of the url.`);
		if (vars.length && !(Array.isArray(b.example) && b.example.length))
			fail(`${where}: a URL button with a variable requires an example.`);
	}
	if (b.type === 'PHONE_NUMBER' && (typeof b.phone_number !== 'string' || !b.phone_number))
		fail(`${where}: PHONE_NUMBER button needs phone_number.`);
	if (b.type === 'COPY_CODE') {
		const example = Array.isArray(b.example) ? b.example[0] : b.example;
		if (typeof example !== 'string' || !example)
			fail(`${where}: COPY_CODE button needs an example code.`);
		if (len(example!) > COPY_CODE_MAX)
			fail(`${where}: COPY_CODE example must be at most ${COPY_CODE_MAX} characters.`);
	}
	if (
		b.type === 'FLOW' &&
		!b.flow_id &&
		!(b as unknown as Obj).flow_name &&
		!(b as unknown as Obj).flow_json
	)
		fail(`${where}: FLOW button needs flow_id, flow_name or flow_json.`);
}

/** Button-count rules shared by every BUTTONS component; returns the button types in order. */
export function checkButtonList(
	list: unknown,
	category: TemplateCategory,
	where = 'BUTTONS',
): TemplateButton[] {
	if (!Array.isArray(list) || list.length < 1) fail(`${where} needs at least one button.`);
	const buttons = list as TemplateButton[];
	if (!buttons.every(isObj)) fail(`${where}: every button must be an object.`);
	if (buttons.length > 10) fail('At most 10 buttons are allowed.');
	const count = (t: string) => buttons.filter((b) => b.type === t).length;
	if (count('URL') > 2) fail('At most 2 URL buttons are allowed.');
	if (count('PHONE_NUMBER') > 1) fail('At most 1 PHONE_NUMBER button is allowed.');
	if (count('COPY_CODE') > 1) fail('At most 1 COPY_CODE button is allowed.');
	if (count('VOICE_CALL') > 1) fail('At most 1 VOICE_CALL button is allowed.');
	// Meta groups quick replies apart from the other buttons and refuses them interleaved.
	const types = buttons.map((b) => b.type);
	const first = types.indexOf('QUICK_REPLY');
	const last = types.lastIndexOf('QUICK_REPLY');
	if (first >= 0 && types.slice(first, last + 1).some((t) => t !== 'QUICK_REPLY'))
		fail(`${where}: quick reply buttons must be grouped together, before or after the others.`);
	if (count('OTP') && category !== 'AUTHENTICATION')
		fail('OTP buttons are only allowed in AUTHENTICATION templates.');
	// Coupon codes are a marketing feature [U: Meta's coupon page describes only marketing templates].
	if (count('COPY_CODE') && category !== 'MARKETING')
		fail('COPY_CODE buttons are only allowed in MARKETING templates.');
	buttons.forEach((b, i) => checkButton(b, `${where}[${i}]`));
	return buttons;
}

/** Meta accepts component, format, button and OTP types in any case and returns them upper-case. */
export function normalizeComponents(comps: unknown[]): void {
	for (const c of comps) {
		if (!isObj(c)) continue;
		c.type = upper(c.type);
		if (c.format !== undefined) c.format = upper(c.format);
		if (Array.isArray(c.buttons))
			for (const b of c.buttons) {
				if (!isObj(b)) continue;
				b.type = upper(b.type);
				if (b.otp_type !== undefined) b.otp_type = upper(b.otp_type);
			}
		if (Array.isArray(c.cards))
			for (const card of c.cards)
				if (isObj(card) && Array.isArray(card.components)) normalizeComponents(card.components);
	}
}

/** A media header needs the upload handle of a sample for Meta's reviewers. */
export function checkMediaHeaderExample(format: string, example: unknown, where = 'HEADER') {
	const handles = isObj(example) ? example.header_handle : undefined;
	if (!Array.isArray(handles) || !handles.length || typeof handles[0] !== 'string' || !handles[0])
		fail(`${where} format ${format} requires example.header_handle.`);
}

// ---------------------------------------------------------------------------------------------
// Sends

export interface SendContext {
	mediaExists: (id: string) => boolean;
	/** Epoch milliseconds, for time-bound parameters (limited-time offers). */
	now?: () => number;
}

/** One header/body parameter (text, currency, date_time, media, location). */
export function checkParam(
	p: unknown,
	where: string,
	allowed: string[],
	maxText: number,
	namedVars: string[] | undefined,
	ctx: SendContext,
) {
	if (!isObj(p)) throw invalid(`${where}: parameter must be an object.`);
	const type = p.type;
	if (type === undefined) throw missing(`${where} parameter type`);
	if (typeof type !== 'string' || !allowed.includes(type))
		throw new GraphError(
			132012,
			`${where}: parameter type ${String(type)} is not one of ${allowed.join(', ')}`,
		);
	if (namedVars) {
		const pn = p.parameter_name;
		if (typeof pn !== 'string') throw missing(`${where} parameter_name`);
		if (!NAMED_PARAM.test(pn))
			throw invalid(`${where}: parameter_name "${pn}" must match ^[a-z_]{1,20}$`);
		if (!namedVars.includes(pn))
			throw new GraphError(
				132000,
				`${where}: parameter_name "${pn}" is not a variable of the template`,
			);
	} else if (p.parameter_name !== undefined) {
		throw new GraphError(132000, `${where}: parameter_name given for a POSITIONAL template`);
	}
	switch (type) {
		case 'text': {
			if (typeof p.text !== 'string') throw missing(`${where} parameter text`);
			if (!p.text.trim()) throw invalid(`${where}: text parameter must not be empty.`);
			if (len(p.text) > maxText)
				throw invalid(`${where}: text parameter exceeds ${maxText} characters.`);
			break;
		}
		case 'currency': {
			const c = p.currency;
			if (!isObj(c)) throw missing(`${where} parameter currency`);
			if (typeof c.fallback_value !== 'string' || !c.fallback_value)
				throw missing('currency.fallback_value');
			if (typeof c.code !== 'string' || !/^[A-Z]{3}$/.test(c.code))
				throw invalid('currency.code must be an ISO 4217 code.');
			if (
				typeof c.amount_1000 !== 'number' ||
				!Number.isInteger(c.amount_1000) ||
				c.amount_1000 <= 0
			)
				throw invalid('currency.amount_1000 must be an integer greater than 0.');
			break;
		}
		case 'date_time': {
			const d = p.date_time;
			if (!isObj(d) || typeof d.fallback_value !== 'string' || !d.fallback_value)
				throw missing('date_time.fallback_value');
			break;
		}
		case 'image':
		case 'video':
		case 'document': {
			const m = p[type];
			if (!isObj(m)) throw missing(`${where} parameter ${type}`);
			checkMediaRef(m, type, ctx);
			break;
		}
		case 'location': {
			const l = p.location;
			if (!isObj(l)) throw missing(`${where} parameter location`);
			checkLatLong(l);
			if (typeof l.name !== 'string' || typeof l.address !== 'string')
				throw missing('location.name and location.address');
			break;
		}
	}
}

export function checkMediaRef(m: Obj, kind: string, ctx: SendContext) {
	const hasId = m.id !== undefined;
	const hasLink = m.link !== undefined;
	if (!hasId && !hasLink) throw missing(`${kind}.id or ${kind}.link`);
	if (hasId && hasLink) throw invalid(`${kind}: exactly one of id or link must be given.`);
	if (hasId) {
		if (typeof m.id !== 'string' || !m.id) throw invalid(`${kind}.id must be a string.`);
		// [U] Meta may accept unknown IDs and fail async; we reject synchronously with 131053.
		if (!ctx.mediaExists(m.id))
			throw new GraphError(131053, `Media ID ${m.id} does not exist or has been deleted.`);
	} else if (typeof m.link !== 'string' || !isHttpUrl(m.link)) {
		throw invalid(`${kind}.link must be an http(s) URL.`);
	}
}

export const isHttpUrl = (s: string) => {
	try {
		const u = new URL(s);
		return u.protocol === 'https:' || u.protocol === 'http:';
	} catch {
		return false;
	}
};

export function checkLatLong(l: Obj) {
	if (l.latitude === undefined) throw missing('location.latitude');
	if (l.longitude === undefined) throw missing('location.longitude');
	const lat = Number(l.latitude);
	const lng = Number(l.longitude);
	if (
		(typeof l.latitude !== 'number' && typeof l.latitude !== 'string') ||
		!Number.isFinite(lat) ||
		lat < -90 ||
		lat > 90
	)
		throw invalid('location.latitude must be a number between -90 and 90.');
	if (
		(typeof l.longitude !== 'number' && typeof l.longitude !== 'string') ||
		!Number.isFinite(lng) ||
		lng < -180 ||
		lng > 180
	)
		throw invalid('location.longitude must be a number between -180 and 180.');
}
