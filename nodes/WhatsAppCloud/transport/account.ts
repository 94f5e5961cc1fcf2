/**
 * Account endpoints of a business phone number: block users, business profile (and the Resumable
 * Upload API for its photo), QR codes and conversational automation. Payloads come checked from
 * `helpers/account/`; these functions only talk to Graph.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIALS_NAME } from '../helpers/constants';
import type {
	ConversationalAutomation,
	ConversationalAutomationUpdate,
} from '../helpers/account/automation';
import { automationFromResponse } from '../helpers/account/automation';
import type {
	BlockAction,
	BlockedUser,
	BlockUserResult,
	BlockUsersPlan,
} from '../helpers/account/blockUsers';
import {
	blockUsersBody,
	blockUsersResults,
	failedBatchResults,
	hasPerUserResults,
} from '../helpers/account/blockUsers';
import type { BusinessProfile, BusinessProfileUpdate } from '../helpers/account/profile';
import { BUSINESS_PROFILE_FIELDS, profileFromResponse } from '../helpers/account/profile';
import type {
	QrCode,
	QrCodeCreateRequest,
	QrCodeUpdateRequest,
	QrImageFormat,
} from '../helpers/account/qrCode';
import { qrCodeFields } from '../helpers/account/qrCode';
import { parseGraphError } from '../helpers/graphError';
import type { GraphContext } from './graph';
import { graphApiError, graphCall, graphRequest, networkApiError } from './graph';
import { downloadedBytes, fetchWithToken } from './media';
import type { GraphPage, PageRequest } from './paging';
import { graphPage, pageQuery } from './paging';

const id = (value: string) => encodeURIComponent(value);

// ── Block users ─────────────────────────────────────────────────────────────────────────────────

/**
 * Blocks or unblocks every user of a plan (`planBlockUsers`), one request per batch of up to
 * 1,000, and answers one result per user. Meta's partial failure (HTTP 400, code 139100) still
 * carries per-user lists, so it is a result, not an error. A batch refused as a whole throws when it
 * is the first one; after a batch went through, the rest are reported failed instead, so the
 * workflow still learns which users were changed.
 */
export async function changeBlockedUsers(
	this: GraphContext,
	phoneNumberId: string,
	action: BlockAction,
	plan: BlockUsersPlan,
	itemIndex?: number,
): Promise<BlockUserResult[]> {
	const results: BlockUserResult[] = [];
	for (const [batchIndex, batch] of plan.batches.entries()) {
		const outcome = await graphCall.call(this, {
			method: action === 'block' ? 'POST' : 'DELETE',
			path: `/${id(phoneNumberId)}/block_users`,
			body: blockUsersBody(batch) as unknown as IDataObject,
		});
		if (outcome.kind === 'response') {
			const ok = outcome.statusCode >= 200 && outcome.statusCode < 300;
			if (ok || hasPerUserResults(outcome.body)) {
				results.push(...blockUsersResults(action, batch, outcome.body));
				continue;
			}
		}
		const error =
			outcome.kind === 'network'
				? networkApiError(this, outcome, { itemIndex })
				: graphApiError(this, outcome.statusCode, outcome.body, itemIndex);
		if (batchIndex === 0) throw error;
		const graphError = outcome.kind === 'response' ? parseGraphError(outcome.body) : undefined;
		results.push(
			...failedBatchResults(action, batch, {
				code: graphError?.code ?? null,
				message: graphError?.message ?? error.message,
				...(graphError?.details ? { details: graphError.details } : {}),
			}),
		);
	}
	return results;
}

/** One page of `GET /{phone-number-id}/block_users`. */
export async function listBlockedUsers(
	this: GraphContext,
	phoneNumberId: string,
	page: PageRequest = {},
	itemIndex?: number,
): Promise<GraphPage<BlockedUser>> {
	const response = (await graphRequest.call(
		this,
		{ method: 'GET', path: `/${id(phoneNumberId)}/block_users`, qs: pageQuery(page) },
		itemIndex,
	)) as IDataObject;
	return graphPage<BlockedUser>(response);
}

// ── Business profile ────────────────────────────────────────────────────────────────────────────

export async function getBusinessProfile(
	this: GraphContext,
	phoneNumberId: string,
	itemIndex?: number,
): Promise<BusinessProfile> {
	const response = (await graphRequest.call(
		this,
		{
			method: 'GET',
			path: `/${id(phoneNumberId)}/whatsapp_business_profile`,
			qs: { fields: BUSINESS_PROFILE_FIELDS.join(',') },
		},
		itemIndex,
	)) as IDataObject;
	return profileFromResponse(response);
}

/** Whether Meta reported success. */
export async function updateBusinessProfile(
	this: GraphContext,
	phoneNumberId: string,
	update: BusinessProfileUpdate,
	itemIndex?: number,
): Promise<boolean> {
	const response = (await graphRequest.call(
		this,
		{
			method: 'POST',
			path: `/${id(phoneNumberId)}/whatsapp_business_profile`,
			body: update as unknown as IDataObject,
		},
		itemIndex,
	)) as IDataObject;
	return response?.success === true;
}

/** The credential's App ID, which the Resumable Upload API needs, or an error saying where it is. */
export async function requireAppId(this: GraphContext, itemIndex?: number): Promise<string> {
	const credentials = await this.getCredentials(CREDENTIALS_NAME, itemIndex);
	const appId = String(credentials.appId ?? '').trim();
	if (!/^\d+$/.test(appId)) {
		throw new NodeOperationError(
			this.getNode(),
			'The credential has no App ID, which uploading a profile photo needs',
			{
				itemIndex,
				description:
					'Add it to the WhatsApp Cloud API credential: field "App ID" (App Dashboard → App settings → Basic).',
			},
		);
	}
	return appId;
}

export interface ResumableUploadFile {
	data: Buffer;
	/** `image/jpeg` or `image/png` for a profile photo; Meta also takes PDF and MP4 elsewhere. */
	mimeType: string;
	fileName: string;
}

/** How often an interrupted upload is resumed from Meta's reported offset before giving up. */
const UPLOAD_RESUMES = 3;

/**
 * Resumable Upload API: opens a session on the app, sends the bytes with `file_offset` as a header
 * (resuming from Meta's offset if a send is cut short) and returns the file handle.
 * https://developers.facebook.com/docs/graph-api/guides/upload
 */
export async function uploadResumable(
	this: GraphContext,
	appId: string,
	file: ResumableUploadFile,
	itemIndex?: number,
): Promise<string> {
	const session = (await graphRequest.call(
		this,
		{
			method: 'POST',
			path: `/${id(appId)}/uploads`,
			qs: { file_name: file.fileName, file_length: file.data.length, file_type: file.mimeType },
		},
		itemIndex,
	)) as IDataObject;
	const sessionId = typeof session?.id === 'string' ? session.id : '';
	const match = /^(upload:[^?#\s/]+)(?:\?(.*))?$/.exec(sessionId);
	if (!match) {
		throw new NodeOperationError(this.getNode(), 'Meta opened no upload session', {
			itemIndex,
			description: `Response: ${JSON.stringify(session)}`,
		});
	}
	// The ID carries its own query (`?sig=…`); it goes to Graph as query parameters, the rest as the path.
	const path = `/${match[1]}`;
	const qs = Object.fromEntries(new URLSearchParams(match[2] ?? ''));
	let offset = 0;
	for (let attempt = 0; attempt <= UPLOAD_RESUMES; attempt++) {
		const outcome = await graphCall.call(this, {
			method: 'POST',
			path,
			qs,
			body: file.data.subarray(offset),
			headers: { file_offset: String(offset), 'Content-Type': 'application/octet-stream' },
			timeoutMs: 300_000,
		});
		if (outcome.kind === 'response') {
			const body = outcome.body as { h?: unknown } | undefined;
			const ok = outcome.statusCode >= 200 && outcome.statusCode < 300;
			if (ok && typeof body?.h === 'string' && body.h !== '') return body.h;
			if (!ok) throw graphApiError(this, outcome.statusCode, outcome.body, itemIndex);
		}
		// Cut short (network failure or no handle yet): ask Meta how far it got and go on from there.
		const status = (await graphRequest.call(
			this,
			{ method: 'GET', path, qs },
			itemIndex,
		)) as IDataObject;
		const reported = Number(status?.file_offset);
		if (!Number.isInteger(reported) || reported < 0 || reported > file.data.length) break;
		offset = reported;
	}
	throw new NodeOperationError(
		this.getNode(),
		`The upload of ${file.fileName} did not complete after ${UPLOAD_RESUMES} resumes`,
		{ itemIndex },
	);
}

// ── QR codes ────────────────────────────────────────────────────────────────────────────────────

/** Create and update both POST to the collection; Meta tells them apart by `code`. */
async function postQrCode(
	this: GraphContext,
	phoneNumberId: string,
	body: QrCodeCreateRequest | QrCodeUpdateRequest,
	itemIndex?: number,
): Promise<QrCode> {
	return (await graphRequest.call(
		this,
		{
			method: 'POST',
			path: `/${id(phoneNumberId)}/message_qrdls`,
			body: body as unknown as IDataObject,
		},
		itemIndex,
	)) as unknown as QrCode;
}

export async function createQrCode(
	this: GraphContext,
	phoneNumberId: string,
	request: QrCodeCreateRequest,
	itemIndex?: number,
): Promise<QrCode> {
	return await postQrCode.call(this, phoneNumberId, request, itemIndex);
}

/** One page of QR codes; with `format`, each carries an image URL in that format. */
export async function listQrCodes(
	this: GraphContext,
	phoneNumberId: string,
	options: PageRequest & { format?: QrImageFormat } = {},
	itemIndex?: number,
): Promise<GraphPage<QrCode>> {
	const response = (await graphRequest.call(
		this,
		{
			method: 'GET',
			path: `/${id(phoneNumberId)}/message_qrdls`,
			qs: { ...pageQuery(options), fields: qrCodeFields(options.format) },
		},
		itemIndex,
	)) as IDataObject;
	return graphPage<QrCode>(response);
}

/** One QR code, or undefined when Meta answers with an empty list. */
export async function getQrCode(
	this: GraphContext,
	phoneNumberId: string,
	code: string,
	format?: QrImageFormat,
	itemIndex?: number,
): Promise<QrCode | undefined> {
	const response = (await graphRequest.call(
		this,
		{
			method: 'GET',
			path: `/${id(phoneNumberId)}/message_qrdls/${id(code)}`,
			qs: { fields: qrCodeFields(format) },
		},
		itemIndex,
	)) as IDataObject;
	return graphPage<QrCode>(response).items[0];
}

/** Changes the prefilled message; the code and its link stay the same. */
export async function updateQrCode(
	this: GraphContext,
	phoneNumberId: string,
	request: QrCodeUpdateRequest,
	itemIndex?: number,
): Promise<QrCode> {
	return await postQrCode.call(this, phoneNumberId, request, itemIndex);
}

export async function deleteQrCode(
	this: GraphContext,
	phoneNumberId: string,
	code: string,
	itemIndex?: number,
): Promise<boolean> {
	const response = (await graphRequest.call(
		this,
		{ method: 'DELETE', path: `/${id(phoneNumberId)}/message_qrdls/${id(code)}` },
		itemIndex,
	)) as IDataObject;
	return response?.success === true;
}

export interface QrImage {
	data: Buffer;
	mimeType: 'image/png' | 'image/svg+xml';
	fileName: string;
}

/**
 * The QR code image behind `qr_image_url` (a short-lived URL: fetch it right after asking). Only
 * Meta's hosts or the credential's Base URL host get the request, since it carries the token.
 */
export async function downloadQrImage(
	this: GraphContext,
	qrCode: Pick<QrCode, 'code' | 'qr_image_url'>,
	itemIndex: number,
): Promise<QrImage> {
	const url = qrCode.qr_image_url;
	if (!url) {
		throw new NodeOperationError(
			this.getNode(),
			`QR code ${qrCode.code} came without an image URL`,
			{
				itemIndex,
			},
		);
	}
	const outcome = await fetchWithToken.call(this, url, itemIndex, 'the QR image');
	const data = downloadedBytes(this, outcome, itemIndex);
	const svg = /\.svg(\?|$)/i.test(url) || data.subarray(0, 256).toString('utf8').includes('<svg');
	return svg
		? { data, mimeType: 'image/svg+xml', fileName: `${qrCode.code}.svg` }
		: { data, mimeType: 'image/png', fileName: `${qrCode.code}.png` };
}

// ── Conversational automation ───────────────────────────────────────────────────────────────────

export async function getConversationalAutomation(
	this: GraphContext,
	phoneNumberId: string,
	itemIndex?: number,
): Promise<ConversationalAutomation> {
	const response = (await graphRequest.call(
		this,
		{ method: 'GET', path: `/${id(phoneNumberId)}`, qs: { fields: 'conversational_automation' } },
		itemIndex,
	)) as IDataObject;
	return automationFromResponse(response);
}

/** Whether Meta reported success; fields left out of `update` stay as they are. */
export async function updateConversationalAutomation(
	this: GraphContext,
	phoneNumberId: string,
	update: ConversationalAutomationUpdate,
	itemIndex?: number,
): Promise<boolean> {
	const response = (await graphRequest.call(
		this,
		{
			method: 'POST',
			path: `/${id(phoneNumberId)}/conversational_automation`,
			body: update as unknown as IDataObject,
		},
		itemIndex,
	)) as IDataObject;
	return response?.success === true;
}
