/** Template store: Graph listing/creation/deletion and validation of template sends against it. */
import { GraphError, badParam, invalid, missing } from '../errors';
import {
	SEED_TEMPLATES,
	Template,
	TemplateButton,
	TemplateCategory,
	TemplateComponent,
} from '../seed';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const len = (s: string) => [...s].length;

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

export class TemplateStore {
	private items: Template[] = [];
	private counter = 0;
	constructor() {
		this.reset();
	}
	reset() {
		this.items = clone([...SEED_TEMPLATES]);
		this.counter = 0;
	}
	all() {
		return this.items;
	}
	byId(id: string) {
		return this.items.find((t) => t.id === id);
	}
	/** `en` matches `en` only; Meta resolves exact language codes. */
	find(name: string, language: string) {
		return this.items.find((t) => t.name === name && t.language === language);
	}
	list(q: URLSearchParams): Template[] {
		const f = (k: string) => q.get(k) ?? undefined;
		const status = f('status')?.split(',');
		const category = f('category')?.split(',');
		const language = f('language')?.split(',');
		const name = f('name');
		return this.items.filter(
			(t) =>
				(!status || status.includes(t.status)) &&
				(!category || category.includes(t.category)) &&
				(!language || language.includes(t.language)) &&
				(!name || t.name.includes(name)),
		);
	}
	/** Deletes by name (all languages) or by name + hsm_id; returns how many were removed. */
	delete(name: string, hsmId?: string): number {
		const before = this.items.length;
		this.items = this.items.filter((t) => !(t.name === name && (!hsmId || t.id === hsmId)));
		return before - this.items.length;
	}
	/**
	 * Creates a template after Meta's structural checks. New templates are APPROVED at once (Meta
	 * reviews asynchronously, often within minutes; tests would otherwise have to wait).
	 */
	create(body: unknown): Template {
		if (!isObj(body)) throw badParam('Invalid request body.');
		const { name, language, category, components } = body;
		if (name === undefined) throw new GraphError(100, 'The parameter name is required.');
		if (typeof name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(name))
			throw badParam(
				'Param name must contain only lowercase letters, digits and underscores (max 512).',
			);
		if (typeof language !== 'string' || !/^[a-z]{2,3}(_[A-Z]{2})?$/.test(language))
			throw badParam('Param language must be a language code like en_US.');
		if (
			typeof category !== 'string' ||
			!['MARKETING', 'UTILITY', 'AUTHENTICATION'].includes(category)
		)
			throw badParam('Param category must be one of {MARKETING, UTILITY, AUTHENTICATION}.');
		if (!Array.isArray(components) || !components.every(isObj))
			throw new GraphError(100, 'The parameter components is required.');
		if (this.find(name, language))
			throw badParam(`Message template "${name}" already exists in ${language}.`);
		const comps = components as unknown as TemplateComponent[];
		const declared = body.parameter_format;
		if (declared !== undefined && declared !== 'POSITIONAL' && declared !== 'NAMED')
			throw badParam('Param parameter_format must be POSITIONAL or NAMED.');
		const allText = comps.map((c) => c.text ?? '').join(' ');
		const format: Template['parameter_format'] =
			declared ?? (/\{\{\s*[a-z_]/.test(allText) ? 'NAMED' : 'POSITIONAL');
		validateDefinition(comps, format);
		const t: Template = {
			id: String(1209876543300000 + ++this.counter),
			name,
			language,
			status: 'APPROVED',
			category: category as TemplateCategory,
			parameter_format: format,
			components: clone(comps),
		};
		this.items.push(t);
		return t;
	}
}

function validateDefinition(comps: TemplateComponent[], format: Template['parameter_format']) {
	const types = comps.map((c) => String(c.type).toUpperCase());
	for (const t of types)
		if (!['HEADER', 'BODY', 'FOOTER', 'BUTTONS'].includes(t))
			badParamThrow(`Unknown component type ${t}.`);
	for (const t of ['HEADER', 'BODY', 'FOOTER', 'BUTTONS'])
		if (types.filter((x) => x === t).length > 1)
			badParamThrow(`Only one ${t} component is allowed.`);
	const body = comps.find((c) => String(c.type).toUpperCase() === 'BODY');
	if (!body || typeof body.text !== 'string' || !body.text)
		throw badParam('A BODY component with text is required.');
	if (len(body.text) > 1024) throw badParam('BODY text must be at most 1024 characters.');
	checkVariables(
		'BODY',
		body.text,
		format,
		body.example?.body_text?.[0],
		body.example?.body_text_named_params,
	);
	const header = comps.find((c) => String(c.type).toUpperCase() === 'HEADER');
	if (header) {
		const fmt = header.format;
		if (!fmt || !['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'].includes(fmt))
			throw badParam('HEADER format must be TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION.');
		if (fmt === 'TEXT') {
			if (typeof header.text !== 'string' || !header.text)
				throw badParam('HEADER text is required.');
			if (len(header.text) > 60) throw badParam('HEADER text must be at most 60 characters.');
			const vars = variablesOf(header.text, format);
			if (vars.length > 1) throw badParam('HEADER text may contain at most one variable.');
			checkVariables(
				'HEADER',
				header.text,
				format,
				header.example?.header_text,
				header.example?.header_text_named_params,
			);
		} else if (fmt !== 'LOCATION' && !header.example?.header_handle?.length) {
			// Meta requires a sample upload handle for media headers.
			throw badParam(`HEADER format ${fmt} requires example.header_handle.`);
		}
	}
	const footer = comps.find((c) => String(c.type).toUpperCase() === 'FOOTER');
	if (footer) {
		if (typeof footer.text !== 'string' || !footer.text) throw badParam('FOOTER text is required.');
		if (len(footer.text) > 60) throw badParam('FOOTER text must be at most 60 characters.');
		if (/\{\{/.test(footer.text)) throw badParam('FOOTER text cannot contain variables.');
	}
	const buttons = comps.find((c) => String(c.type).toUpperCase() === 'BUTTONS');
	if (buttons) {
		const list = buttons.buttons;
		if (!Array.isArray(list) || list.length < 1)
			throw badParam('BUTTONS needs at least one button.');
		if (list.length > 10) throw badParam('At most 10 buttons are allowed.');
		const count = (t: string) => list.filter((b) => b.type === t).length;
		if (count('URL') > 2) throw badParam('At most 2 URL buttons are allowed.');
		if (count('PHONE_NUMBER') > 1) throw badParam('At most 1 PHONE_NUMBER button is allowed.');
		if (count('COPY_CODE') > 1) throw badParam('At most 1 COPY_CODE button is allowed.');
		for (const b of list) checkButton(b);
	}
}

const badParamThrow = (m: string): never => {
	throw badParam(m);
};

function checkButton(b: TemplateButton) {
	const types = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE', 'FLOW', 'OTP'];
	if (!types.includes(b.type)) throw badParam(`Unknown button type ${String(b.type)}.`);
	if (b.type !== 'COPY_CODE' && b.type !== 'OTP') {
		if (typeof b.text !== 'string' || !b.text) throw badParam(`${b.type} button text is required.`);
		if (len(b.text) > 25) throw badParam('Button text must be at most 25 characters.');
	}
	if (b.type === 'URL') {
		if (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url))
			throw badParam('URL button needs a url.');
		const vars = variablesOf(b.url, 'POSITIONAL');
		if (vars.length > 1 || (vars.length === 1 && !/\{\{1\}\}$/.test(b.url)))
			throw badParam('A URL button may have one variable {{1}} at the end of the url.');
		if (vars.length && !(Array.isArray(b.example) && b.example.length))
			throw badParam('A URL button with a variable requires an example.');
	}
	if (b.type === 'PHONE_NUMBER' && (typeof b.phone_number !== 'string' || !b.phone_number))
		throw badParam('PHONE_NUMBER button needs phone_number.');
	if (b.type === 'COPY_CODE' && (typeof b.example !== 'string' || !b.example))
		throw badParam('COPY_CODE button needs an example code.');
	if (
		b.type === 'FLOW' &&
		!b.flow_id &&
		!(b as unknown as Obj).flow_name &&
		!(b as unknown as Obj).flow_json
	)
		throw badParam('FLOW button needs flow_id, flow_name or flow_json.');
}

function checkVariables(
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

// ---------------------------------------------------------------------------------------------
// Template sends

interface SendContext {
	mediaExists: (id: string) => boolean;
}

/** Validates `template` of a send body against the stored template (132001/132000/131009/…). */
export function validateTemplateSend(
	tpl: unknown,
	store: TemplateStore,
	ctx: SendContext,
): Template {
	if (!isObj(tpl)) throw missing('template');
	const name = tpl.name;
	if (name === undefined) throw missing('template.name');
	if (typeof name !== 'string' || !name) throw invalid('template.name must be a non-empty string.');
	const lang = tpl.language;
	if (lang === undefined) throw missing('template.language');
	if (!isObj(lang) || lang.code === undefined) throw missing('template.language.code');
	if (typeof lang.code !== 'string') throw invalid('template.language.code must be a string.');
	if (lang.policy !== undefined && lang.policy !== 'deterministic')
		throw invalid('template.language.policy must be "deterministic".');
	for (const k of Object.keys(tpl))
		if (!['name', 'language', 'components', 'namespace'].includes(k))
			throw badParam(`Unexpected key "${k}" in template.`);
	const stored = store.find(name, lang.code);
	if (!stored || stored.status !== 'APPROVED') {
		throw new GraphError(132001, `template name (${name}) does not exist in ${lang.code}`);
	}
	const comps = tpl.components === undefined ? [] : tpl.components;
	if (!Array.isArray(comps) || !comps.every(isObj))
		throw invalid('template.components must be an array of objects.');
	const sendComps = comps as Obj[];
	const def = (t: string) => stored.components.find((c) => c.type === t);
	const bodyOnly = stored.components.every((c) => c.type === 'BODY');
	const named = stored.parameter_format === 'NAMED';

	const seen = new Set<string>();
	for (const c of sendComps) {
		const type = String(c.type ?? '').toLowerCase();
		if (!['header', 'body', 'button'].includes(type))
			throw invalid(`Invalid component type "${String(c.type)}".`);
		const key = type === 'button' ? `button:${String(c.index)}` : type;
		if (seen.has(key)) throw invalid(`Duplicate ${key} component.`);
		seen.add(key);
		if (c.parameters !== undefined && !Array.isArray(c.parameters))
			throw invalid(`${type}.parameters must be an array.`);
	}
	const params = (type: string) =>
		(sendComps.find((c) => String(c.type).toLowerCase() === type)?.parameters as unknown[]) ?? [];

	// Header
	const header = def('HEADER');
	const hp = params('header');
	if (!header || header.format === 'TEXT') {
		const vars = header ? variablesOf(header.text, stored.parameter_format) : [];
		if (hp.length !== vars.length)
			throw new GraphError(
				132000,
				`header: number of localizable_params (${hp.length}) does not match the expected number of params (${vars.length})`,
			);
		hp.forEach((p) =>
			checkParam(p, 'header', ['text', 'currency', 'date_time'], 60, named ? vars : undefined, ctx),
		);
	} else {
		if (hp.length !== 1)
			throw new GraphError(
				132000,
				`header: number of parameters (${hp.length}) does not match the expected number of params (1)`,
			);
		const want = header.format!.toLowerCase();
		const p = hp[0];
		if (!isObj(p) || p.type !== want)
			throw new GraphError(
				132012,
				`header: parameter type ${isObj(p) ? String(p.type) : '?'} does not match the expected format ${want}`,
			);
		checkParam(p, 'header', [want], 60, undefined, ctx);
	}

	// Body
	const body = def('BODY');
	const vars = variablesOf(body?.text, stored.parameter_format);
	const bp = params('body');
	if (bp.length !== vars.length)
		throw new GraphError(
			132000,
			`body: number of localizable_params (${bp.length}) does not match the expected number of params (${vars.length})`,
		);
	bp.forEach((p) =>
		checkParam(
			p,
			'body',
			['text', 'currency', 'date_time'],
			bodyOnly ? 32768 : 1024,
			named ? vars : undefined,
			ctx,
		),
	);

	// Buttons: parameters only for dynamic URL, copy code, quick reply payloads, flow actions.
	const buttons = def('BUTTONS')?.buttons ?? [];
	for (const c of sendComps.filter((x) => String(x.type).toLowerCase() === 'button')) {
		const idx = Number(c.index);
		if (c.index === undefined) throw missing('button.index');
		if (!Number.isInteger(idx) || idx < 0 || idx >= buttons.length)
			throw invalid(`button index ${String(c.index)} does not exist in the template.`);
		const b = buttons[idx];
		const sub = String(c.sub_type ?? '').toLowerCase();
		const expected: Record<string, string> = {
			QUICK_REPLY: 'quick_reply',
			URL: 'url',
			COPY_CODE: 'copy_code',
			FLOW: 'flow',
			OTP: 'url',
			PHONE_NUMBER: 'phone_number',
		};
		if (sub !== expected[b.type])
			throw invalid(`button ${idx}: sub_type ${sub} does not match the template button ${b.type}.`);
		const ps = (c.parameters as unknown[]) ?? [];
		if (b.type === 'URL') {
			const n = variablesOf(b.url, 'POSITIONAL').length;
			if (ps.length !== n)
				throw new GraphError(132000, `button ${idx}: expected ${n} parameters, got ${ps.length}`);
			ps.forEach((p) => checkParam(p, `button ${idx}`, ['text'], 2000, undefined, ctx));
		} else if (b.type === 'COPY_CODE') {
			if (ps.length !== 1)
				throw new GraphError(132000, `button ${idx}: expected 1 parameter, got ${ps.length}`);
			const p = ps[0];
			if (
				!isObj(p) ||
				p.type !== 'coupon_code' ||
				typeof p.coupon_code !== 'string' ||
				!p.coupon_code ||
				len(p.coupon_code) > 15
			)
				throw invalid(`button ${idx}: coupon_code must be a string of 1-15 characters.`);
		} else if (b.type === 'QUICK_REPLY') {
			if (ps.length > 1)
				throw new GraphError(132000, `button ${idx}: expected at most 1 parameter`);
			const p = ps[0];
			if (p !== undefined && (!isObj(p) || p.type !== 'payload' || typeof p.payload !== 'string'))
				throw invalid(`button ${idx}: quick reply parameter must be {type:"payload", payload}.`);
		} else if (b.type === 'FLOW') {
			if (ps.length > 1)
				throw new GraphError(132000, `button ${idx}: expected at most 1 parameter`);
			const p = ps[0];
			if (p !== undefined && (!isObj(p) || p.type !== 'action' || !isObj(p.action)))
				throw invalid(`button ${idx}: flow parameter must be {type:"action", action:{…}}.`);
		} else if (ps.length) {
			throw new GraphError(132000, `button ${idx}: ${b.type} buttons take no parameters`);
		}
	}
	// Missing params for dynamic URL / copy code buttons
	buttons.forEach((b, idx) => {
		const needs =
			(b.type === 'URL' && variablesOf(b.url, 'POSITIONAL').length > 0) || b.type === 'COPY_CODE';
		if (needs && !seen.has(`button:${idx}`) && !seen.has(`button:${String(idx)}`))
			throw new GraphError(132000, `button ${idx}: expected 1 parameter, got 0`);
	});
	return stored;
}

function checkParam(
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

/** Template objects as Graph returns them (no internal fields to strip today). */
export const templateJson = (t: Template) => clone(t);
