/**
 * Send-time checks of a template's parameters, component by component: header, body, buttons
 * (quick reply, URL, copy code, flow, catalog, multi-product), carousel cards, limited-time offer
 * and the one-time password of authentication templates:
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
 */
import { GraphError, invalid, missing } from '../errors';
import type { Template, TemplateButton, TemplateComponent } from '../seed';
import { CARD_BODY_MAX } from './templateKinds';
import {
	COPY_CODE_MAX,
	Obj,
	SendContext,
	checkParam,
	isObj,
	len,
	variablesOf,
} from './templateParts';

export const OTP_CODE_MAX = 15;
export const QUICK_REPLY_PAYLOAD_MAX = 256;
export const MPM_SECTIONS_MAX = 10;
export const MPM_PRODUCTS_MAX = 30;
export const MPM_SECTION_TITLE_MAX = 24;

type Format = Template['parameter_format'];

/** Send components of a template (or of a carousel card): known types, no duplicates. */
export function sendComponentList(comps: unknown, allowed: string[], where: string): Obj[] {
	const list = comps === undefined ? [] : comps;
	if (!Array.isArray(list) || !list.every(isObj))
		throw invalid(`${where}.components must be an array of objects.`);
	const seen = new Set<string>();
	for (const c of list as Obj[]) {
		const type = String(c.type ?? '').toLowerCase();
		if (!allowed.includes(type))
			throw invalid(`${where}: invalid component type "${String(c.type)}".`);
		const key = type === 'button' ? `button:${String(c.index)}` : type;
		if (seen.has(key)) throw invalid(`${where}: duplicate ${key} component.`);
		seen.add(key);
		if (c.parameters !== undefined && !Array.isArray(c.parameters))
			throw invalid(`${where}: ${type}.parameters must be an array.`);
	}
	return list as Obj[];
}

export const findSend = (comps: Obj[], type: string) =>
	comps.find((c) => String(c.type).toLowerCase() === type);
const paramsOf = (comps: Obj[], type: string) =>
	(findSend(comps, type)?.parameters as unknown[]) ?? [];

/** Header parameters: one per text variable, or exactly one media/location parameter. */
export function checkHeaderParams(
	header: TemplateComponent | undefined,
	comps: Obj[],
	format: Format,
	ctx: SendContext,
	where = 'header',
	/** Carousel cards: Meta reports a missing card header as 132012. */
	missingCode = 132000,
) {
	const hp = paramsOf(comps, 'header');
	if (!header || header.format === 'TEXT') {
		const vars = header ? variablesOf(header.text, format) : [];
		if (hp.length !== vars.length)
			throw new GraphError(
				132000,
				`${where}: number of localizable_params (${hp.length}) does not match the expected number of params (${vars.length})`,
			);
		const named = format === 'NAMED' ? vars : undefined;
		hp.forEach((p) => checkParam(p, where, ['text', 'currency', 'date_time'], 60, named, ctx));
		return;
	}
	if (hp.length !== 1)
		throw new GraphError(
			hp.length ? 132000 : missingCode,
			hp.length
				? `${where}: number of parameters (${hp.length}) does not match the expected number of params (1)`
				: `${where} component parameter should not be empty`,
		);
	const want = header.format!.toLowerCase();
	const p = hp[0];
	if (!isObj(p) || p.type !== want)
		throw new GraphError(
			132012,
			`${where}: parameter type ${isObj(p) ? String(p.type) : '?'} does not match the expected format ${want}`,
		);
	checkParam(p, where, [want], 60, undefined, ctx);
}

/** Body parameters: one per variable, each at most `maxText` characters. */
export function checkBodyParams(
	body: TemplateComponent | undefined,
	comps: Obj[],
	format: Format,
	maxText: number,
	ctx: SendContext,
	where = 'body',
) {
	const vars = variablesOf(body?.text, format);
	const bp = paramsOf(comps, 'body');
	if (bp.length !== vars.length)
		throw new GraphError(
			132000,
			`${where}: number of localizable_params (${bp.length}) does not match the expected number of params (${vars.length})`,
		);
	const named = format === 'NAMED' ? vars : undefined;
	bp.forEach((p) => checkParam(p, where, ['text', 'currency', 'date_time'], maxText, named, ctx));
}

const SUB_TYPE: Record<TemplateButton['type'], string> = {
	QUICK_REPLY: 'quick_reply',
	URL: 'url',
	COPY_CODE: 'copy_code',
	FLOW: 'flow',
	OTP: 'url',
	PHONE_NUMBER: 'phone_number',
	CATALOG: 'catalog',
	MPM: 'mpm',
	VOICE_CALL: 'voice_call',
};

/** Whether a send must carry this button's parameter. */
const needsParam = (b: TemplateButton) =>
	(b.type === 'URL' && variablesOf(b.url, 'POSITIONAL').length > 0) ||
	b.type === 'OTP' ||
	b.type === 'COPY_CODE' ||
	b.type === 'MPM';

/**
 * Button components of a send against the template's (or card's) buttons: `index` is the button's
 * position, `sub_type` its kind; buttons that take no value (phone, static URL) take no parameters.
 */
export function checkButtonParams(
	buttons: TemplateButton[],
	comps: Obj[],
	ctx: SendContext,
	where = 'button',
) {
	const sent = new Set<number>();
	for (const c of comps.filter((x) => String(x.type).toLowerCase() === 'button')) {
		if (c.index === undefined) throw missing(`${where}.index`);
		const idx = Number(c.index);
		if (!Number.isInteger(idx) || idx < 0 || idx >= buttons.length)
			throw invalid(`${where} index ${String(c.index)} does not exist in the template.`);
		sent.add(idx);
		const b = buttons[idx];
		const at = `${where} ${idx}`;
		const sub = String(c.sub_type ?? '').toLowerCase();
		if (sub !== SUB_TYPE[b.type])
			throw invalid(`${at}: sub_type ${sub} does not match the template button ${b.type}.`);
		const ps = (c.parameters as unknown[]) ?? [];
		const one = () => {
			if (ps.length !== 1)
				throw new GraphError(132000, `${at}: expected 1 parameter, got ${ps.length}`);
			return ps[0];
		};
		const atMostOne = () => {
			if (ps.length > 1) throw new GraphError(132000, `${at}: expected at most 1 parameter`);
			return ps[0];
		};
		switch (b.type) {
			case 'URL': {
				const n = variablesOf(b.url, 'POSITIONAL').length;
				if (ps.length !== n)
					throw new GraphError(132000, `${at}: expected ${n} parameters, got ${ps.length}`);
				ps.forEach((p) => checkParam(p, at, ['text'], 2000, undefined, ctx));
				break;
			}
			case 'OTP':
				checkParam(one(), at, ['text'], OTP_CODE_MAX, undefined, ctx);
				break;
			case 'COPY_CODE':
				checkCouponCode(one(), at);
				break;
			case 'QUICK_REPLY': {
				const p = atMostOne();
				if (p !== undefined && (!isObj(p) || p.type !== 'payload' || typeof p.payload !== 'string'))
					throw invalid(`${at}: quick reply parameter must be {type:"payload", payload}.`);
				// 256: the only published figure (tyntec); Meta states none [U].
				if (p !== undefined && len(p.payload as string) > QUICK_REPLY_PAYLOAD_MAX)
					throw invalid(`${at}: payload is longer than ${QUICK_REPLY_PAYLOAD_MAX} characters.`);
				break;
			}
			case 'FLOW': {
				const p = atMostOne();
				if (p !== undefined && (!isObj(p) || p.type !== 'action' || !isObj(p.action)))
					throw invalid(`${at}: flow parameter must be {type:"action", action:{…}}.`);
				break;
			}
			case 'CATALOG': {
				const p = atMostOne();
				if (p !== undefined) checkProductAction(p, at, false);
				break;
			}
			case 'MPM':
				checkProductAction(one(), at, true);
				break;
			default:
				if (ps.length) throw new GraphError(132000, `${at}: ${b.type} buttons take no parameters`);
		}
	}
	buttons.forEach((b, idx) => {
		if (needsParam(b) && !sent.has(idx))
			throw new GraphError(132000, `${where} ${idx}: expected 1 parameter, got 0`);
	});
}

/** Coupon codes: 1-15 letters and digits [K: pywa documents alphanumeric codes]. */
function checkCouponCode(p: unknown, at: string) {
	if (!isObj(p) || p.type !== 'coupon_code') throw missing(`${at} parameter coupon_code`);
	const code = p.coupon_code;
	if (typeof code !== 'string' || !code || len(code) > COPY_CODE_MAX)
		throw invalid(`${at}: coupon_code must be a string of 1-${COPY_CODE_MAX} characters.`);
	if (!/^[A-Za-z0-9]+$/.test(code))
		throw invalid(`${at}: coupon_code may contain letters and digits only.`);
}

/** Catalog: optional thumbnail. Multi-product: thumbnail + 1-10 sections, 30 products in all. */
function checkProductAction(p: unknown, at: string, mpm: boolean) {
	if (!isObj(p) || p.type !== 'action' || !isObj(p.action))
		throw missing(`${at} parameter {type:"action", action:{…}}`);
	const a = p.action;
	const allowed = mpm
		? ['thumbnail_product_retailer_id', 'sections']
		: ['thumbnail_product_retailer_id'];
	for (const k of Object.keys(a))
		if (!allowed.includes(k)) throw invalid(`${at}: unexpected key "${k}" in action.`);
	const thumb = a.thumbnail_product_retailer_id;
	if (thumb === undefined) {
		if (mpm) throw missing(`${at} action.thumbnail_product_retailer_id`);
	} else if (typeof thumb !== 'string' || !thumb.trim())
		throw invalid(`${at}: thumbnail_product_retailer_id must be a non-empty string.`);
	if (!mpm) return;
	const sections = a.sections;
	if (sections === undefined) throw missing(`${at} action.sections`);
	if (!Array.isArray(sections) || !sections.length)
		throw invalid(`${at}: sections must be a non-empty array.`);
	if (sections.length > MPM_SECTIONS_MAX)
		throw invalid(
			`${at}: at most ${MPM_SECTIONS_MAX} sections are allowed; got ${sections.length}.`,
		);
	let products = 0;
	sections.forEach((s: unknown, i) => {
		const sw = `${at} section ${i}`;
		if (!isObj(s)) throw invalid(`${sw} must be an object.`);
		if (s.title === undefined) {
			if (sections.length > 1) throw missing(`${sw} title (required with more than one section)`);
		} else if (typeof s.title !== 'string' || !s.title || len(s.title) > MPM_SECTION_TITLE_MAX)
			throw invalid(`${sw}: title must be 1-${MPM_SECTION_TITLE_MAX} characters.`);
		const items = s.product_items;
		if (items === undefined) throw missing(`${sw} product_items`);
		if (!Array.isArray(items) || !items.length)
			throw invalid(`${sw}: product_items must be a non-empty array.`);
		for (const item of items)
			if (
				!isObj(item) ||
				typeof item.product_retailer_id !== 'string' ||
				!item.product_retailer_id.trim()
			)
				throw invalid(`${sw}: every product item needs a product_retailer_id.`);
		products += items.length;
	});
	if (products > MPM_PRODUCTS_MAX)
		throw invalid(`${at}: at most ${MPM_PRODUCTS_MAX} products in all; got ${products}.`);
}

/** Carousel: one card per defined card, each with its media header and its own variables. */
export function checkCarouselSend(
	def: TemplateComponent | undefined,
	send: Obj | undefined,
	format: Format,
	ctx: SendContext,
) {
	if (!def) {
		if (send) throw new GraphError(132000, 'carousel: the template has no carousel.');
		return;
	}
	const defined = def.cards ?? [];
	const cards = send?.cards;
	if (!send || !Array.isArray(cards) || cards.length !== defined.length)
		// Kapso reports 132012 for a card count other than the approved one [P].
		throw new GraphError(
			132012,
			`carousel: the template has ${defined.length} cards; send exactly ${defined.length} (got ${Array.isArray(cards) ? cards.length : 0}).`,
		);
	const indexes = new Set<number>();
	for (const card of cards as unknown[]) {
		if (!isObj(card)) throw invalid('carousel: every card must be an object.');
		const i = card.card_index;
		if (i === undefined) throw missing('carousel card_index');
		if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= defined.length)
			throw invalid(
				`carousel: card_index must be an integer from 0 to ${defined.length - 1}; got ${JSON.stringify(i)}.`,
			);
		if (indexes.has(i)) throw invalid(`carousel: card_index ${i} is given twice.`);
		indexes.add(i);
		const where = `card ${i}`;
		const comps = sendComponentList(card.components, ['header', 'body', 'button'], where);
		const cardDef = defined[i].components;
		const find = (t: string) => cardDef.find((c) => c.type === t);
		checkHeaderParams(find('HEADER'), comps, format, ctx, `${where} header`, 132012);
		checkBodyParams(find('BODY'), comps, format, CARD_BODY_MAX, ctx, `${where} body`);
		checkButtonParams(find('BUTTONS')?.buttons ?? [], comps, ctx, `${where} button`);
	}
}

/** Limited-time offer: the expiry as a future epoch-milliseconds time when the offer shows one. */
export function checkLimitedTimeOfferSend(
	def: TemplateComponent | undefined,
	send: Obj | undefined,
	ctx: SendContext,
) {
	const expires = def?.limited_time_offer?.has_expiration === true;
	if (!expires) {
		if (send)
			throw new GraphError(
				132000,
				'limited_time_offer: the template shows no expiration, so it takes no parameters.',
			);
		return;
	}
	const ps = (send?.parameters as unknown[]) ?? [];
	if (ps.length !== 1)
		throw new GraphError(
			132000,
			`limited_time_offer: expected 1 parameter (the expiration time), got ${ps.length}`,
		);
	const p = ps[0];
	if (!isObj(p) || p.type !== 'limited_time_offer' || !isObj(p.limited_time_offer))
		throw missing('limited_time_offer parameter {type:"limited_time_offer", limited_time_offer}');
	const ms = p.limited_time_offer.expiration_time_ms;
	if (ms === undefined) throw missing('limited_time_offer.expiration_time_ms');
	if (typeof ms !== 'number' || !Number.isInteger(ms) || ms <= 0)
		throw invalid('limited_time_offer.expiration_time_ms must be an integer (epoch milliseconds).');
	// [U] Meta does not document past times; refusing them also catches seconds sent as ms.
	const now = (ctx.now ?? Date.now)();
	if (ms <= now)
		throw invalid(
			`limited_time_offer.expiration_time_ms ${ms} is in the past; it is a UNIX time in milliseconds.`,
		);
}

/** Authentication: the code in the body, repeated as the OTP button's parameter. */
export function checkOneTimePassword(comps: Obj[]) {
	const text = (p: unknown) => (isObj(p) && typeof p.text === 'string' ? p.text : undefined);
	const code = text(((findSend(comps, 'body')?.parameters as unknown[]) ?? [])[0]);
	if (code === undefined) return; // the body check reports it
	if (len(code) > OTP_CODE_MAX)
		throw invalid(`body: the one-time password must be at most ${OTP_CODE_MAX} characters.`);
	const button = comps.find((c) => String(c.type).toLowerCase() === 'button');
	const inButton = text(((button?.parameters as unknown[]) ?? [])[0]);
	// [U] Meta requires both; a different code in the button would copy/autofill the wrong one.
	if (inButton !== undefined && inButton !== code)
		throw invalid('button 0: the one-time password must be the same as in the body.');
}
