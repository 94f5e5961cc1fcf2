/**
 * `POST /{template-id}`: what Meta lets change on a template and how often
 * (https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates#edit-a-message-template).
 * Approved templates: at most 1 edit per 24 hours and 10 per 30 days, category
 * fixed; rejected or paused templates: unlimited edits. Name and language never change.
 */
import { badParam } from '../errors';
import type { Template, TemplateCategory, TemplateComponent, TemplateStatus } from '../seed';
import { checkTtl } from './templateKinds';
import { isObj } from './templateParts';

export const EDITABLE_STATUSES: readonly TemplateStatus[] = ['APPROVED', 'REJECTED', 'PAUSED'];
export const EDITS_PER_DAY = 1;
export const EDITS_PER_30_DAYS = 10;
const DAY_MS = 86_400_000;
const CATEGORIES: readonly TemplateCategory[] = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];
const EDITABLE_KEYS = ['components', 'category', 'message_send_ttl_seconds', 'parameter_format'];

export interface EditContext {
	now: number;
	/** When this template was edited while APPROVED (the edits the limits count). */
	history: number[];
	/** The creation checks; returns the definition as Graph will return it. */
	define: (
		components: unknown,
		category: TemplateCategory,
		declaredFormat: unknown,
	) => { components: TemplateComponent[]; format: Template['parameter_format'] };
}

/** Applies an edit to `t` in place or throws Meta's error (code 100 [U: no subcode known]). */
export function applyEdit(t: Template, body: unknown, ctx: EditContext): void {
	if (!isObj(body)) throw badParam('Invalid request body.');
	for (const k of ['name', 'language'])
		if (body[k] !== undefined)
			throw badParam(`The ${k} of a template cannot be edited; create a new template instead.`);
	for (const k of Object.keys(body))
		if (!EDITABLE_KEYS.includes(k))
			throw badParam(`Unexpected parameter ${k} for a template edit.`);
	const { components, category, message_send_ttl_seconds: ttl } = body;
	if (components === undefined && category === undefined && ttl === undefined)
		throw badParam('Nothing to edit: give components, category or message_send_ttl_seconds.');
	if (!EDITABLE_STATUSES.includes(t.status))
		throw badParam(
			`Template ${t.id} is ${t.status}; only APPROVED, REJECTED or PAUSED templates can be edited.`,
		);
	if (category !== undefined && !CATEGORIES.includes(category as TemplateCategory))
		throw badParam('Param category must be one of {MARKETING, UTILITY, AUTHENTICATION}.');
	const next = (category as TemplateCategory | undefined) ?? t.category;
	const approved = t.status === 'APPROVED';
	if (next !== t.category) {
		if (approved) throw badParam('The category of an APPROVED template cannot be changed.');
		// [U] Meta re-reviews the whole definition; we need it to check the new category's rules.
		if (components === undefined)
			throw badParam('Changing the category needs the components for the new category.');
	}
	if (approved) {
		const since = (ms: number) => ctx.history.filter((at) => at > ctx.now - ms).length;
		if (since(DAY_MS) >= EDITS_PER_DAY)
			throw badParam(
				`An APPROVED template can be edited ${EDITS_PER_DAY} time per 24 hours; try again later.`,
			);
		if (since(30 * DAY_MS) >= EDITS_PER_30_DAYS)
			throw badParam(
				`An APPROVED template can be edited ${EDITS_PER_30_DAYS} times per 30 days; the limit is reached.`,
			);
	}
	checkTtl(ttl, next);
	const defined =
		components === undefined
			? undefined
			: ctx.define(components, next, body.parameter_format ?? t.parameter_format);
	if (defined) {
		t.components = defined.components;
		t.parameter_format = defined.format;
	}
	t.category = next;
	if (ttl !== undefined) t.message_send_ttl_seconds = ttl as number;
	// Meta re-reviews every edit; like creation, the emulator approves at once.
	t.status = 'APPROVED';
	if (approved) ctx.history.push(ctx.now);
}
