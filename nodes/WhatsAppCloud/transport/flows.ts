/**
 * WhatsApp Flows management and the business public key (fact sheet 2 §5.3–5.4; Meta's reference:
 * https://developers.facebook.com/docs/whatsapp/flows/reference/flowsapi). Plain IDs in, Graph's
 * answers out; Graph errors become NodeApiErrors carrying Meta's code (13900x for Flow lifecycle).
 */
import type { IDataObject } from 'n8n-workflow';

import type { FlowCategory, FlowStatus } from '../helpers/flows/management';
import type { GraphCall, GraphContext } from './graph';
import { graphRequest } from './graph';
import { buildMultipartBody } from './media';

/** One problem Meta found in a Flow JSON, with where it is. */
export interface FlowValidationError extends IDataObject {
	error: string;
	error_type: string;
	message: string;
	line_start: number;
	line_end: number;
	column_start: number;
	column_end: number;
}

export interface GraphFlow extends IDataObject {
	id: string;
	name?: string;
	status?: FlowStatus;
	categories?: FlowCategory[];
	validation_errors?: FlowValidationError[];
	json_version?: string;
	data_api_version?: string;
	/** Was `data_channel_uri` before Graph v19.0. */
	endpoint_uri?: string;
	preview?: { preview_url: string; expires_at: string };
}

/** What Get asks for by default: everything the node shows, the preview without renewing it. */
export const FLOW_DETAIL_FIELDS = [
	'id',
	'name',
	'categories',
	'preview.invalidate(false)',
	'status',
	'validation_errors',
	'json_version',
	'data_api_version',
	'endpoint_uri',
	'health_status',
	'whatsapp_business_account',
	'application',
	'updated_at',
];

export interface CreateFlowInput {
	name: string;
	categories: FlowCategory[];
	/** The Flow JSON as text (Graph takes it as a string field). */
	flowJson?: string;
	endpointUri?: string;
	cloneFlowId?: string;
	/** Publish at once when the Flow JSON has no validation errors. */
	publish?: boolean;
}

export interface CreateFlowResult extends IDataObject {
	id: string;
	success?: boolean;
	validation_errors?: FlowValidationError[];
}

export interface UpdateFlowInput {
	name?: string;
	categories?: FlowCategory[];
	endpointUri?: string;
	/** Links a Meta app: endpoint requests are then signed with its app secret. */
	applicationId?: string;
}

export interface FlowPage {
	flows: GraphFlow[];
	after?: string;
}

export interface BusinessPublicKey extends IDataObject {
	business_public_key: string;
	business_public_key_signature_status?: 'VALID' | 'MISMATCH';
}

const id = (value: string) => encodeURIComponent(value);

/** graphRequest with the answer typed as what Meta documents for the endpoint. */
async function request<T>(context: GraphContext, call: GraphCall, itemIndex?: number): Promise<T> {
	return (await graphRequest.call(context, call, itemIndex)) as T;
}

/** `POST /{wabaId}/flows`. */
export async function createFlow(
	this: GraphContext,
	businessAccountId: string,
	input: CreateFlowInput,
	itemIndex?: number,
): Promise<CreateFlowResult> {
	const body: IDataObject = { name: input.name, categories: input.categories };
	if (input.flowJson !== undefined) body.flow_json = input.flowJson;
	if (input.endpointUri) body.endpoint_uri = input.endpointUri;
	if (input.cloneFlowId) body.clone_flow_id = input.cloneFlowId;
	if (input.publish) body.publish = true;
	return await request<CreateFlowResult>(
		this,
		{ method: 'POST', path: `/${id(businessAccountId)}/flows`, body },
		itemIndex,
	);
}

/** `POST /{flowId}`: name, categories, endpoint URI or linked app (drafts only). */
export async function updateFlowMetadata(
	this: GraphContext,
	flowId: string,
	input: UpdateFlowInput,
	itemIndex?: number,
): Promise<IDataObject> {
	const body: IDataObject = {};
	if (input.name !== undefined) body.name = input.name;
	if (input.categories !== undefined) body.categories = input.categories;
	if (input.endpointUri !== undefined) body.endpoint_uri = input.endpointUri;
	if (input.applicationId !== undefined) body.application_id = input.applicationId;
	return await request<IDataObject>(
		this,
		{ method: 'POST', path: `/${id(flowId)}`, body },
		itemIndex,
	);
}

/** `POST /{flowId}/assets` (multipart `flow.json`, ≤ 10 MB): Meta answers with validation errors. */
export async function uploadFlowJson(
	this: GraphContext,
	flowId: string,
	flowJson: string | Buffer,
	itemIndex?: number,
): Promise<{ success?: boolean; validation_errors?: FlowValidationError[] }> {
	const { body, contentType } = buildMultipartBody([
		{
			fieldName: 'file',
			data: Buffer.isBuffer(flowJson) ? flowJson : Buffer.from(flowJson, 'utf8'),
			fileName: 'flow.json',
			contentType: 'application/json',
		},
		{ fieldName: 'name', text: 'flow.json' },
		{ fieldName: 'asset_type', text: 'FLOW_JSON' },
	]);
	return await request<{ success?: boolean; validation_errors?: FlowValidationError[] }>(
		this,
		{
			method: 'POST',
			path: `/${id(flowId)}/assets`,
			body,
			headers: { 'Content-Type': contentType },
		},
		itemIndex,
	);
}

/** `GET /{flowId}/assets`: the Flow JSON's download URL. */
export async function getFlowAssets(
	this: GraphContext,
	flowId: string,
	itemIndex?: number,
): Promise<Array<{ name?: string; asset_type?: string; download_url?: string }>> {
	const response = await request<{
		data?: Array<{ name?: string; asset_type?: string; download_url?: string }>;
	}>(this, { method: 'GET', path: `/${id(flowId)}/assets` }, itemIndex);
	return Array.isArray(response?.data) ? response.data : [];
}

/** `POST /{flowId}/publish` (drafts without validation errors) or `/deprecate` (published). */
export async function changeFlowStatus(
	this: GraphContext,
	flowId: string,
	change: 'publish' | 'deprecate',
	itemIndex?: number,
): Promise<IDataObject> {
	return await request<IDataObject>(
		this,
		{ method: 'POST', path: `/${id(flowId)}/${change}` },
		itemIndex,
	);
}

/** `DELETE /{flowId}`: drafts only (139004 otherwise). */
export async function deleteFlow(
	this: GraphContext,
	flowId: string,
	itemIndex?: number,
): Promise<IDataObject> {
	return await request<IDataObject>(this, { method: 'DELETE', path: `/${id(flowId)}` }, itemIndex);
}

/** `GET /{flowId}?fields=…`; `invalidatePreview` asks Meta for a new preview URL. */
export async function getFlow(
	this: GraphContext,
	flowId: string,
	{ fields, invalidatePreview = false }: { fields?: string[]; invalidatePreview?: boolean } = {},
	itemIndex?: number,
): Promise<GraphFlow> {
	const requested = (fields ?? FLOW_DETAIL_FIELDS).map((field) =>
		field.startsWith('preview') ? `preview.invalidate(${String(invalidatePreview)})` : field,
	);
	return await request<GraphFlow>(
		this,
		{ method: 'GET', path: `/${id(flowId)}`, qs: { fields: requested.join(',') } },
		itemIndex,
	);
}

/** One page of `GET /{wabaId}/flows`. */
export async function listFlows(
	this: GraphContext,
	businessAccountId: string,
	page: { limit?: number; after?: string; fields?: string[] } = {},
	itemIndex?: number,
): Promise<FlowPage> {
	const qs: IDataObject = {};
	if (page.limit !== undefined) qs.limit = page.limit;
	if (page.after) qs.after = page.after;
	if (page.fields) qs.fields = page.fields.join(',');
	const response = await request<{
		data?: GraphFlow[];
		paging?: { cursors?: { after?: string }; next?: string };
	}>(this, { method: 'GET', path: `/${id(businessAccountId)}/flows`, qs }, itemIndex);
	const flows = Array.isArray(response?.data) ? response.data : [];
	return { flows, after: response?.paging?.next ? response.paging.cursors?.after : undefined };
}

/** `POST /{phoneNumberId}/whatsapp_business_encryption`: the number's business public key (PEM). */
export async function uploadBusinessPublicKey(
	this: GraphContext,
	phoneNumberId: string,
	publicKeyPem: string,
	itemIndex?: number,
): Promise<IDataObject> {
	return await request<IDataObject>(
		this,
		{
			method: 'POST',
			path: `/${id(phoneNumberId)}/whatsapp_business_encryption`,
			body: { business_public_key: publicKeyPem },
		},
		itemIndex,
	);
}

/** `GET /{phoneNumberId}/whatsapp_business_encryption`: undefined when none was uploaded. */
export async function getBusinessPublicKey(
	this: GraphContext,
	phoneNumberId: string,
	itemIndex?: number,
): Promise<BusinessPublicKey | undefined> {
	const response = await request<{ data?: BusinessPublicKey[] }>(
		this,
		{ method: 'GET', path: `/${id(phoneNumberId)}/whatsapp_business_encryption` },
		itemIndex,
	);
	return Array.isArray(response?.data) ? response.data[0] : undefined;
}
