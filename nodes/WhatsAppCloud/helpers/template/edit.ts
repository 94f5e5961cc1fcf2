/**
 * What an edit of a template may change, checked before `POST /{template-id}`
 * (https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates#edit-a-message-template):
 * components (with the same rules as creating), the category of a REJECTED or PAUSED template, and
 * the time-to-live. Name and language never change. Meta re-reviews every edit.
 */
import { fail } from '../check';
import type {
	ClientTemplateEdit,
	ServerTemplate,
	TemplateCategory,
	TemplateParameterFormat,
} from '../types/template';
import { checkTimeToLive, validateTemplateCreate } from './create';
import { EDITABLE_STATUSES, EDITS_PER_30_DAYS, EDITS_PER_DAY } from './limits';

/** Shown with any refusal of an edit: Meta counts edits, the node cannot see the count. */
export const TEMPLATE_EDIT_LIMITS = `Meta allows an APPROVED template ${EDITS_PER_DAY} edit per 24 hours and ${EDITS_PER_30_DAYS} per 30 days, and keeps its category; REJECTED and PAUSED templates can be edited without limit.`;

export interface TemplateEditInput {
	/** Left out: the components stay as they are. */
	components?: unknown;
	/** Left out: the category stays. */
	category?: TemplateCategory;
	/** Left out or 0: the time-to-live stays. */
	messageSendTtlSeconds?: number;
	parameterFormat?: TemplateParameterFormat;
}

/** The body to POST, or a PayloadError saying what Meta would refuse. */
export function prepareTemplateEdit(
	template: Pick<ServerTemplate, 'id' | 'name' | 'language' | 'status' | 'category'>,
	input: TemplateEditInput,
): ClientTemplateEdit {
	if (!(EDITABLE_STATUSES as readonly string[]).includes(template.status)) {
		fail(
			'template',
			`${template.name} (${template.language}) is ${template.status}; only ${EDITABLE_STATUSES.join(', ')} templates can be edited`,
			`status ${EDITABLE_STATUSES.join(', ')}`,
			`status ${template.status}`,
		);
	}
	const category = input.category ?? template.category;
	if (category !== template.category && template.status === 'APPROVED') {
		fail(
			'category',
			`of an APPROVED template cannot change (${template.name} is ${template.category}); create a new template instead`,
			`${template.category} (unchanged)`,
			category,
		);
	}
	if (category !== template.category && input.components === undefined) {
		fail(
			'components',
			`are needed to change the category to ${category}: Meta reviews the template under the new category's rules`,
			'components for the new category',
			'none',
		);
	}
	const ttl = input.messageSendTtlSeconds ? input.messageSendTtlSeconds : undefined;
	if (input.components === undefined && category === template.category && ttl === undefined) {
		fail(
			'template',
			'edit has nothing to change: give new components, a new category or a time-to-live',
			'components, category or time-to-live',
			'none',
		);
	}
	const edit: ClientTemplateEdit = {};
	if (input.components !== undefined) {
		// The creation rules, for the template's name, language and (new) category.
		const checked = validateTemplateCreate({
			name: template.name,
			language: template.language,
			category,
			components: input.components,
			...(input.parameterFormat ? { parameter_format: input.parameterFormat } : {}),
		});
		edit.components = checked.components;
		if (checked.parameter_format) edit.parameter_format = checked.parameter_format;
	}
	if (category !== template.category) edit.category = category;
	const checkedTtl = checkTimeToLive(ttl, category);
	if (checkedTtl !== undefined) edit.message_send_ttl_seconds = checkedTtl;
	return edit;
}
