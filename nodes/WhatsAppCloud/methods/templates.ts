import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	ResourceMapperFields,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseTemplateReference } from '../helpers/template/reference';
import { isPayloadError } from '../helpers/errors';
import type { ServerTemplate } from '../helpers/types/template';
import { templateMapperFields } from '../helpers/template/variables';
import { requireBusinessAccountId } from '../transport/graph';
import { listTemplatePage, resolveTemplate } from '../transport/templates';

/** "order_update (es)". */
export function templateLabel(template: Pick<ServerTemplate, 'name' | 'language'>): string {
	return `${template.name} (${template.language})`;
}

/** The stable list value: names are `[a-z0-9_]`, so `|` cannot occur in them. */
export function templateValue(template: Pick<ServerTemplate, 'name' | 'language'>): string {
	return `${template.name}|${template.language}`;
}

/** Whether the typed filter matches a template's name or language (case-insensitive, spaces as _). */
export function matchesTemplateFilter(
	template: Pick<ServerTemplate, 'name' | 'language'>,
	filter: string | undefined,
): boolean {
	const needle = (filter ?? '').trim().toLowerCase().replace(/\s+/g, '_');
	return (
		needle === '' ||
		templateLabel(template).toLowerCase().includes(needle) ||
		template.language.toLowerCase() === needle
	);
}

/** Approved templates of the business account for the template picker. */
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const wabaId = await requireBusinessAccountId.call(this);
	const page = await listTemplatePage.call(this, wabaId, {
		status: 'APPROVED',
		after: paginationToken,
		fields: 'id,name,language,status,category',
	});
	const results: INodeListSearchItems[] = page.templates
		.filter((template) => template.status === 'APPROVED' && matchesTemplateFilter(template, filter))
		.map((template) => ({
			name: templateLabel(template),
			value: templateValue(template),
			description: template.category,
		}));
	return { results, paginationToken: page.after };
}

/** The chosen template's variables as resource-mapper fields; none until a template is chosen. */
export async function getTemplateVariables(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const reference = parseTemplateReference(
		this.getNodeParameter('template', '', { extractValue: true }),
		this.getNodeParameter('templateLanguage', ''),
	);
	if (reference.name === '') return { fields: [] };
	const wabaId = await requireBusinessAccountId.call(this);
	const template = await resolveTemplate.call(this, wabaId, reference);
	try {
		return templateMapperFields(template);
	} catch (error) {
		if (!isPayloadError(error)) throw new NodeOperationError(this.getNode(), error as Error);
		return { fields: [], emptyFieldsNotice: error.message };
	}
}

export const templateListSearch = { searchTemplates };
export const templateResourceMapping = { getTemplateVariables };
