/** Template store: Graph listing, creation, edit and deletion, and template sends checked against it. */
import { GraphError, badParam, invalid, missing } from '../errors';
import {
	SEED_TEMPLATES,
	TEMPLATE_STATUSES,
	Template,
	TemplateCategory,
	TemplateComponent,
	TemplateStatus,
} from '../seed';
import { applyEdit } from './templateEdit';
import {
	LTO_BODY_MAX,
	authenticationAsGraphReturns,
	checkTtl,
	validateAuthentication,
	validateCarousel,
	validateLimitedTimeOffer,
	validateProductButtons,
} from './templateKinds';
import {
	SendContext,
	checkButtonList,
	checkMediaHeaderExample,
	checkVariables,
	clone,
	fail,
	isObj,
	len,
	normalizeComponents,
	variablesOf,
} from './templateParts';
import {
	checkBodyParams,
	checkButtonParams,
	checkCarouselSend,
	checkHeaderParams,
	checkLimitedTimeOfferSend,
	checkOneTimePassword,
	findSend,
	sendComponentList,
} from './templateSend';

/** A creation or edit the store accepted, exactly as the client sent it. */
export interface TemplateSubmission {
	at: number;
	kind: 'create' | 'edit';
	id: string;
	body: unknown;
}

export class TemplateStore {
	private items: Template[] = [];
	private counter = 0;
	private submissionLog: TemplateSubmission[] = [];
	private edits = new Map<string, number[]>();
	private clockOffsetMs = 0;
	constructor() {
		this.reset();
	}
	reset() {
		this.items = clone([...SEED_TEMPLATES]);
		this.counter = 0;
		this.submissionLog = [];
		this.edits.clear();
		this.clockOffsetMs = 0;
	}
	/** The store's clock (edit limits, offer expiry); the control API can move it forward. */
	now() {
		return Date.now() + this.clockOffsetMs;
	}
	advanceClock(ms: number) {
		this.clockOffsetMs += ms;
	}
	all() {
		return this.items;
	}
	submissions(): TemplateSubmission[] {
		return clone(this.submissionLog);
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
	/** Test hook: Meta's review outcomes (REJECTED, PAUSED, …) without waiting for a reviewer. */
	setStatus(id: string, status: TemplateStatus) {
		const t = this.byId(id);
		if (!t) throw badParam(`Template ${id} does not exist.`);
		if (!TEMPLATE_STATUSES.includes(status))
			throw badParam(`Status must be one of ${TEMPLATE_STATUSES.join(', ')}.`);
		t.status = status;
		return t;
	}
	/**
	 * Creates a template after Meta's structural checks. New templates are APPROVED at once (Meta
	 * reviews asynchronously, often within minutes; tests would otherwise have to wait).
	 */
	create(body: unknown): Template {
		if (!isObj(body)) throw badParam('Invalid request body.');
		const { name, language, components } = body;
		if (name === undefined) throw new GraphError(100, 'The parameter name is required.');
		if (typeof name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(name))
			throw badParam(
				'Param name must contain only lowercase letters, digits and underscores (max 512).',
			);
		if (typeof language !== 'string' || !/^[a-z]{2,3}(_[A-Z]{2})?$/.test(language))
			throw badParam('Param language must be a language code like en_US.');
		// Meta's examples send the category in lower case ("marketing").
		const category = typeof body.category === 'string' ? body.category.toUpperCase() : undefined;
		if (!category || !['MARKETING', 'UTILITY', 'AUTHENTICATION'].includes(category))
			throw badParam('Param category must be one of {MARKETING, UTILITY, AUTHENTICATION}.');
		if (components === undefined)
			throw new GraphError(100, 'The parameter components is required.');
		if (this.find(name, language))
			throw badParam(`Message template "${name}" already exists in ${language}.`);
		const cat = category as TemplateCategory;
		const defined = defineTemplate(components, cat, body.parameter_format);
		checkTtl(body.message_send_ttl_seconds, cat);
		const t: Template = {
			id: String(1209876543300000 + ++this.counter),
			name,
			language,
			status: 'APPROVED',
			category: cat,
			parameter_format: defined.format,
			components: defined.components,
			...(body.message_send_ttl_seconds !== undefined
				? { message_send_ttl_seconds: body.message_send_ttl_seconds as number }
				: {}),
		};
		this.items.push(t);
		this.submissionLog.push({ at: this.now(), kind: 'create', id: t.id, body: clone(body) });
		return t;
	}
	/** `POST /{template-id}`: see graph/templateEdit.ts for what may change and how often. */
	edit(id: string, body: unknown): Template {
		const t = this.byId(id);
		if (!t) throw badParam(`Template ${id} does not exist.`);
		const history = this.edits.get(id) ?? [];
		applyEdit(t, body, { now: this.now(), history, define: defineTemplate });
		this.edits.set(id, history);
		this.submissionLog.push({ at: this.now(), kind: 'edit', id, body: clone(body) });
		return t;
	}
}

/**
 * Meta's creation checks on `components` for `category`; returns the definition as Graph will
 * return it (types upper-cased, authentication texts preset, OTP buttons as URL buttons).
 */
export function defineTemplate(
	components: unknown,
	category: TemplateCategory,
	declared: unknown,
): { components: TemplateComponent[]; format: Template['parameter_format'] } {
	if (!Array.isArray(components) || !components.length || !components.every(isObj))
		throw new GraphError(100, 'The parameter components is required.');
	const comps = clone(components) as unknown as TemplateComponent[];
	normalizeComponents(comps);
	if (declared !== undefined && declared !== 'POSITIONAL' && declared !== 'NAMED')
		throw badParam('Param parameter_format must be POSITIONAL or NAMED.');
	const texts = comps.flatMap((c) => [
		c.text ?? '',
		...(c.cards ?? []).flatMap((card) =>
			(Array.isArray(card?.components) ? card.components : []).map((cc) => cc?.text ?? ''),
		),
	]);
	const format: Template['parameter_format'] =
		(declared as Template['parameter_format'] | undefined) ??
		(/\{\{\s*[a-z_]/.test(texts.join(' ')) ? 'NAMED' : 'POSITIONAL');
	validateDefinition(comps, format, category);
	return {
		components: category === 'AUTHENTICATION' ? authenticationAsGraphReturns(comps) : comps,
		format,
	};
}

const TOP_LEVEL = ['HEADER', 'BODY', 'FOOTER', 'BUTTONS', 'CAROUSEL', 'LIMITED_TIME_OFFER'];

function validateDefinition(
	comps: TemplateComponent[],
	format: Template['parameter_format'],
	category: TemplateCategory,
) {
	const types = comps.map((c) => c.type);
	for (const t of types) if (!TOP_LEVEL.includes(t)) fail(`Unknown component type ${t}.`);
	for (const t of TOP_LEVEL)
		if (types.filter((x) => x === t).length > 1) fail(`Only one ${t} component is allowed.`);
	if (category === 'AUTHENTICATION') return validateAuthentication(comps);
	const find = (type: string) => comps.find((c) => c.type === type);
	const lto = find('LIMITED_TIME_OFFER');
	const body = find('BODY');
	if (!body || typeof body.text !== 'string' || !body.text)
		throw badParam('A BODY component with text is required.');
	const bodyMax = lto ? LTO_BODY_MAX : 1024;
	if (len(body.text) > bodyMax) fail(`BODY text must be at most ${bodyMax} characters.`);
	checkVariables(
		'BODY',
		body.text,
		format,
		body.example?.body_text?.[0],
		body.example?.body_text_named_params,
	);
	const header = find('HEADER');
	if (header) {
		const fmt = header.format;
		if (!fmt || !['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'].includes(fmt))
			fail('HEADER format must be TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION.');
		if (fmt === 'TEXT') {
			if (typeof header.text !== 'string' || !header.text) fail('HEADER text is required.');
			if (len(header.text!) > 60) fail('HEADER text must be at most 60 characters.');
			if (variablesOf(header.text, format).length > 1)
				fail('HEADER text may contain at most one variable.');
			checkVariables(
				'HEADER',
				header.text!,
				format,
				header.example?.header_text,
				header.example?.header_text_named_params,
			);
		} else if (fmt !== 'LOCATION') checkMediaHeaderExample(fmt!, header.example);
	}
	const footer = find('FOOTER');
	if (footer) {
		if (typeof footer.text !== 'string' || !footer.text) fail('FOOTER text is required.');
		if (len(footer.text!) > 60) fail('FOOTER text must be at most 60 characters.');
		if (/\{\{/.test(footer.text!)) fail('FOOTER text cannot contain variables.');
	}
	const buttons = find('BUTTONS');
	if (buttons) checkButtonList(buttons.buttons, category);
	if (find('CAROUSEL')) validateCarousel(comps, category, format);
	if (lto) validateLimitedTimeOffer(comps, category);
	validateProductButtons(comps, category);
}

// ---------------------------------------------------------------------------------------------
// Template sends

const SEND_TYPES = ['header', 'body', 'button', 'carousel', 'limited_time_offer'];

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
	const comps = sendComponentList(tpl.components, SEND_TYPES, 'template');
	const def = (t: string) => stored.components.find((c) => c.type === t);
	const format = stored.parameter_format;
	const bodyOnly = stored.components.every((c) => c.type === 'BODY');
	const sendCtx: SendContext = { now: () => store.now(), ...ctx };
	checkHeaderParams(def('HEADER'), comps, format, sendCtx);
	checkBodyParams(def('BODY'), comps, format, bodyOnly ? 32768 : 1024, sendCtx);
	checkButtonParams(def('BUTTONS')?.buttons ?? [], comps, sendCtx);
	checkCarouselSend(def('CAROUSEL'), findSend(comps, 'carousel'), format, sendCtx);
	checkLimitedTimeOfferSend(
		def('LIMITED_TIME_OFFER'),
		findSend(comps, 'limited_time_offer'),
		sendCtx,
	);
	if (stored.category === 'AUTHENTICATION') checkOneTimePassword(comps);
	return stored;
}

/** Template objects as Graph returns them (no internal fields to strip today). */
export const templateJson = (t: Template) => clone(t);
