/**
 * Message templates of a business account: list, look up, create, edit, delete.
 * https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type {
	ClientTemplateCreate,
	ClientTemplateEdit,
	ServerTemplate,
	ServerTemplateCreated,
	ServerTemplateEdited,
	ServerTemplatePage,
} from '../helpers/types/template';
import { TEMPLATE_EDIT_LIMITS } from '../helpers/template/edit';
import type { GraphContext } from './graph';
import { graphApiError, graphCall, graphRequest, networkApiError } from './graph';
import { quoteInput } from '../helpers/errors';

/** What a send or a listing needs; only fields Meta documents for message templates. */
export const TEMPLATE_FIELDS = [
	'id',
	'name',
	'language',
	'status',
	'category',
	'parameter_format',
	'components',
	'rejected_reason',
	'quality_score',
	'message_send_ttl_seconds',
].join(',');

/** Graph's largest page for this edge is not documented; 100 keeps each call small. */
export const TEMPLATE_PAGE_SIZE = 100;

const templatesPath = (wabaId: string) => `/${encodeURIComponent(wabaId)}/message_templates`;

export interface TemplateQuery {
	limit?: number;
	after?: string;
	status?: string;
	category?: string;
	language?: string;
	name?: string;
	fields?: string;
}

/** One page of `GET /{waba-id}/message_templates`; `after` only when another page exists. */
export async function listTemplatePage(
	this: GraphContext,
	wabaId: string,
	query: TemplateQuery,
	itemIndex?: number,
): Promise<{ templates: ServerTemplate[]; after?: string }> {
	const qs: IDataObject = {
		fields: query.fields ?? TEMPLATE_FIELDS,
		limit: query.limit ?? TEMPLATE_PAGE_SIZE,
	};
	for (const key of ['after', 'status', 'category', 'language', 'name'] as const) {
		if (query[key]) qs[key] = query[key];
	}
	const page = await graphRequest.call<
		GraphContext,
		Parameters<typeof graphRequest>,
		Promise<ServerTemplatePage>
	>(this, { method: 'GET', path: templatesPath(wabaId), qs }, itemIndex);
	const templates = Array.isArray(page?.data) ? page.data : [];
	// Graph sends a cursor on every page; only `next` says another page exists.
	const after = page?.paging?.next && templates.length ? page.paging.cursors?.after : undefined;
	return { templates, after };
}

/** Every language version of the template with exactly this name (Graph's name filter is fuzzy). */
export async function templatesNamed(
	this: GraphContext,
	wabaId: string,
	name: string,
	language?: string,
	itemIndex?: number,
): Promise<ServerTemplate[]> {
	const found: ServerTemplate[] = [];
	let after: string | undefined;
	let pages = 0;
	do {
		const page = await listTemplatePage.call(this, wabaId, { name, language, after }, itemIndex);
		found.push(
			...page.templates.filter((t) => t.name === name && (!language || t.language === language)),
		);
		after = page.after;
		pages++;
	} while (after && pages < 50);
	return found;
}

/**
 * The approved definition of `name` in `language` (or in its only language when none is given),
 * or an error that lists what exists.
 */
export async function resolveTemplate(
	this: GraphContext,
	wabaId: string,
	reference: { name: string; language?: string },
	itemIndex?: number,
): Promise<ServerTemplate> {
	const { name, language } = reference;
	if (name === '') {
		throw new NodeOperationError(this.getNode(), 'No template chosen', {
			itemIndex,
			description:
				'Pick a template from the list, or give its name (e.g. order_update) and language (e.g. en_US).',
		});
	}
	const versions = await templatesNamed.call(this, wabaId, name, undefined, itemIndex);
	const languages = versions.map((t) => `${t.language} (${t.status})`).join(', ');
	if (versions.length === 0) {
		throw new NodeOperationError(
			this.getNode(),
			`Template ${quoteInput(name)} does not exist in WhatsApp Business Account ${wabaId}`,
			{
				itemIndex,
				description:
					'Check the name (lowercase, with underscores) or pick the template from the list.',
			},
		);
	}
	const template = language
		? versions.find((t) => t.language === language)
		: versions.length === 1
			? versions[0]
			: undefined;
	if (!template) {
		throw new NodeOperationError(
			this.getNode(),
			language
				? `Template ${quoteInput(name)} has no ${language} version`
				: `Template ${quoteInput(name)} exists in several languages; set the Language field`,
			{ itemIndex, description: `Its languages: ${languages}.` },
		);
	}
	return template;
}

/**
 * Definitions fetched in this execution, so a broadcast of N items asks Graph once per template.
 * Keyed by execution ID; bounded so old executions' entries cannot pile up.
 */
const definitions = new Map<string, Promise<ServerTemplate>>();
const DEFINITIONS_MAX = 200;

export async function cachedTemplate(
	this: IExecuteFunctions,
	wabaId: string,
	reference: { name: string; language?: string },
	itemIndex: number,
): Promise<ServerTemplate> {
	const key = [
		this.getExecutionId(),
		this.getNode().id,
		wabaId,
		reference.name,
		reference.language ?? '',
	].join('\u0000');
	let pending = definitions.get(key);
	if (!pending) {
		pending = resolveTemplate.call(this, wabaId, reference, itemIndex);
		if (definitions.size >= DEFINITIONS_MAX) {
			const oldest = definitions.keys().next().value;
			if (oldest !== undefined) definitions.delete(oldest);
		}
		definitions.set(key, pending);
		// "No such template" holds for the whole execution; a Graph failure may not, so the next item asks again.
		pending.catch((error: unknown) => {
			if (!(error instanceof NodeOperationError)) definitions.delete(key);
		});
	}
	const outcome = await pending.then(
		(template) => ({ template }),
		(error: unknown) => ({ error }),
	);
	if ('template' in outcome) return outcome.template;
	if (outcome.error instanceof NodeOperationError) {
		// The shared error names the first item; each item reports its own.
		throw new NodeOperationError(this.getNode(), outcome.error.message, {
			itemIndex,
			description: outcome.error.description ?? undefined,
		});
	}
	throw outcome.error;
}

/** `GET /{template-id}` with the fields a send or a listing needs. */
export async function getTemplateById(
	this: GraphContext,
	templateId: string,
	itemIndex?: number,
): Promise<ServerTemplate> {
	return await graphRequest.call<
		GraphContext,
		Parameters<typeof graphRequest>,
		Promise<ServerTemplate>
	>(
		this,
		{ method: 'GET', path: `/${encodeURIComponent(templateId)}`, qs: { fields: TEMPLATE_FIELDS } },
		itemIndex,
	);
}

/** `POST /{waba-id}/message_templates`: submits a template for review. */
export async function createTemplate(
	this: GraphContext,
	wabaId: string,
	definition: ClientTemplateCreate,
	itemIndex?: number,
): Promise<Partial<ServerTemplateCreated> & IDataObject> {
	return await graphRequest.call<
		GraphContext,
		Parameters<typeof graphRequest>,
		Promise<Partial<ServerTemplateCreated> & IDataObject>
	>(
		this,
		{ method: 'POST', path: templatesPath(wabaId), body: definition as unknown as IDataObject },
		itemIndex,
	);
}

/**
 * `POST /{template-id}`: changes what Meta lets change (components, category of a rejected or
 * paused template, time-to-live) and sends the template back to review
 * (https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates#edit-a-message-template).
 */
export async function editTemplate(
	this: GraphContext,
	templateId: string,
	edit: ClientTemplateEdit,
	itemIndex?: number,
): Promise<Partial<ServerTemplateEdited> & IDataObject> {
	const outcome = await graphCall.call(this, {
		method: 'POST',
		path: `/${encodeURIComponent(templateId)}`,
		body: edit as IDataObject,
	});
	if (outcome.kind === 'network') throw networkApiError(this, outcome, { itemIndex });
	if (outcome.statusCode >= 200 && outcome.statusCode < 300)
		return outcome.body as Partial<ServerTemplateEdited> & IDataObject;
	const error = graphApiError(this, outcome.statusCode, outcome.body, itemIndex);
	// Meta's answer names the rule broken; the limits are what users run into.
	error.description = [TEMPLATE_EDIT_LIMITS, error.description].filter(Boolean).join('\n');
	throw error;
}

/**
 * `DELETE /{waba-id}/message_templates?name=…`: every language of the name, or only the one
 * version with `hsm_id`. Whether Meta reported success.
 */
export async function deleteTemplate(
	this: GraphContext,
	wabaId: string,
	target: { name: string; templateId?: string },
	itemIndex?: number,
): Promise<boolean> {
	const qs: IDataObject = target.templateId
		? { name: target.name, hsm_id: target.templateId }
		: { name: target.name };
	const response = await graphRequest.call<
		GraphContext,
		Parameters<typeof graphRequest>,
		Promise<{ success?: boolean }>
	>(this, { method: 'DELETE', path: templatesPath(wabaId), qs }, itemIndex);
	return response?.success === true;
}
