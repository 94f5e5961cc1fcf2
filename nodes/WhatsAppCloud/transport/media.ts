import { randomBytes } from 'crypto';
import { NodeOperationError } from 'n8n-workflow';

import { sha256Hex } from '../helpers/media';
import type { GraphContext, GraphOutcome } from './graph';
import { graphApiError, graphBaseUrl, graphCall, graphRequest, networkApiError } from './graph';

export interface MediaUploadFile {
	data: Buffer;
	/** Sent as the `type` field and as the file part's Content-Type. */
	mimeType: string;
	fileName: string;
}

/** What `GET /{mediaId}` answers, with `file_size` as a number. */
export interface MediaInfo {
	id: string;
	url: string;
	mimeType: string;
	/** Lower-case hex, as Meta reports it; empty when Meta sent none. */
	sha256: string;
	fileSize?: number;
}

export interface DownloadedMedia {
	data: Buffer;
	mimeType: string;
	sha256: string;
	fileSize: number;
	url: string;
}

/** Graph's answers, as loosely as Meta sends them (`file_size` may be a string). */
interface GraphUploadResponse {
	id?: string | number;
}
interface GraphMediaResponse {
	id?: string;
	url?: string;
	mime_type?: string;
	sha256?: string;
	file_size?: string | number;
}
interface GraphSuccessResponse {
	success?: boolean;
}

export type MultipartField =
	| { fieldName: string; text: string }
	| { fieldName: string; data: Buffer; fileName: string; contentType: string };

/** Quotes a header parameter the way browsers do for form-data (WHATWG: `"`, CR, LF escaped). */
function quoteParameter(value: string): string {
	return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * A multipart/form-data body as one Buffer. Built here rather than with FormData so the bytes on
 * the wire do not depend on which HTTP client the running n8n version wraps.
 */
export function buildMultipartBody(
	fields: MultipartField[],
	boundary = `----n8nWhatsAppCloud${randomBytes(16).toString('hex')}`,
): { body: Buffer; contentType: string } {
	const chunks: Buffer[] = [];
	for (const field of fields) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quoteParameter(field.fieldName)}"`;
		if ('data' in field) {
			head += `; filename="${quoteParameter(field.fileName)}"\r\nContent-Type: ${field.contentType}`;
		}
		chunks.push(Buffer.from(`${head}\r\n\r\n`, 'utf8'));
		chunks.push('data' in field ? field.data : Buffer.from(field.text, 'utf8'));
		chunks.push(Buffer.from('\r\n', 'utf8'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** `POST /{phoneNumberId}/media` (multipart): the file becomes a media ID valid for 30 days. */
export async function uploadMedia(
	this: GraphContext,
	phoneNumberId: string,
	file: MediaUploadFile,
	itemIndex: number,
): Promise<string> {
	const { body, contentType } = buildMultipartBody([
		{ fieldName: 'messaging_product', text: 'whatsapp' },
		{ fieldName: 'type', text: file.mimeType },
		{ fieldName: 'file', data: file.data, fileName: file.fileName, contentType: file.mimeType },
	]);
	const response = (await graphRequest.call(
		this,
		{
			method: 'POST',
			path: `/${encodeURIComponent(phoneNumberId)}/media`,
			body,
			headers: { 'Content-Type': contentType },
			timeoutMs: 300_000,
		},
		itemIndex,
	)) as GraphUploadResponse;
	const id = response?.id;
	if (typeof id !== 'string' && typeof id !== 'number') {
		throw new NodeOperationError(
			this.getNode(),
			'The Graph API accepted the upload but returned no media ID',
			{
				itemIndex,
				description: `Response: ${JSON.stringify(response)}`,
			},
		);
	}
	return String(id);
}

/** `GET /{mediaId}`: a download URL valid for about 5 minutes, plus type, size and hash. */
export async function getMediaInfo(
	this: GraphContext,
	mediaId: string,
	itemIndex: number,
	phoneNumberId?: string,
): Promise<MediaInfo> {
	const response = (await graphRequest.call(
		this,
		{
			method: 'GET',
			path: `/${encodeURIComponent(mediaId)}`,
			qs: phoneNumberId ? { phone_number_id: phoneNumberId } : undefined,
		},
		itemIndex,
	)) as GraphMediaResponse;
	if (typeof response?.url !== 'string' || response.url === '') {
		throw new NodeOperationError(
			this.getNode(),
			`The Graph API returned no download URL for media ${mediaId}`,
			{
				itemIndex,
				description: `Response: ${JSON.stringify(response)}`,
			},
		);
	}
	const size = Number(response.file_size);
	return {
		id: String(response.id ?? mediaId),
		url: response.url,
		mimeType: typeof response.mime_type === 'string' ? response.mime_type : '',
		sha256: typeof response.sha256 === 'string' ? response.sha256.toLowerCase() : '',
		fileSize: response.file_size !== undefined && Number.isFinite(size) ? size : undefined,
	};
}

/** `DELETE /{mediaId}` → whether Meta reported success. */
export async function deleteMedia(
	this: GraphContext,
	mediaId: string,
	itemIndex: number,
	phoneNumberId?: string,
): Promise<boolean> {
	const response = (await graphRequest.call(
		this,
		{
			method: 'DELETE',
			path: `/${encodeURIComponent(mediaId)}`,
			qs: phoneNumberId ? { phone_number_id: phoneNumberId } : undefined,
		},
		itemIndex,
	)) as GraphSuccessResponse;
	return response?.success === true;
}

/**
 * Hosts Meta serves media downloads from; the access token goes to no other host. Not all of
 * `facebook.com`: its link-redirect hosts (l.facebook.com, lm.facebook.com) forward anywhere.
 */
const META_MEDIA_HOST_SUFFIXES = ['.fbsbx.com', '.fbcdn.net', '.whatsapp.net'];
const META_MEDIA_HOSTS = ['graph.facebook.com'];

/** Redirect hops a download follows; Meta's media URLs answer directly. */
export const MAX_DOWNLOAD_REDIRECTS = 5;

/**
 * Whether the bearer token may be sent to `url`: an https URL on a Meta host, or the host of the
 * credential's Base URL (a proxy or the emulator serves its own downloads).
 */
export function isTrustedMediaUrl(url: string, graphBaseUrl: string): boolean {
	let target: URL;
	let base: URL;
	try {
		target = new URL(url);
		base = new URL(graphBaseUrl);
	} catch {
		return false;
	}
	if (target.host === base.host && target.protocol === base.protocol) return true;
	const host = target.hostname.toLowerCase();
	return (
		target.protocol === 'https:' &&
		(META_MEDIA_HOSTS.includes(host) ||
			META_MEDIA_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix) || `.${host}` === suffix))
	);
}

/**
 * GET `url` for its bytes with the access token, following redirects here rather than in n8n's
 * helper (which would re-attach the token on every hop): each hop's host is checked, and a hop to
 * a host that fails the check is made without the token. `what` names the download in errors.
 */
export async function fetchWithToken(
	this: GraphContext,
	url: string,
	itemIndex: number,
	what: string,
	timeoutMs?: number,
): Promise<GraphOutcome> {
	const baseUrl = await graphBaseUrl.call(this);
	if (!isTrustedMediaUrl(url, baseUrl)) {
		throw new NodeOperationError(
			this.getNode(),
			`Refusing to download ${what} from ${safeHost(url)}: the access token is only sent to Meta's media hosts or the credential's Base URL host`,
			{ itemIndex },
		);
	}
	let current = url;
	for (let hop = 0; ; hop++) {
		const outcome = await graphCall.call(this, {
			method: 'GET',
			path: current,
			binary: true,
			timeoutMs,
			withoutCredential: !isTrustedMediaUrl(current, baseUrl),
		});
		const location =
			outcome.kind === 'response' && outcome.statusCode >= 300 && outcome.statusCode < 400
				? headerValue(outcome.headers, 'location')
				: '';
		if (location === '') return outcome;
		if (hop === MAX_DOWNLOAD_REDIRECTS) {
			throw new NodeOperationError(
				this.getNode(),
				`Downloading ${what} took more than ${MAX_DOWNLOAD_REDIRECTS} redirects`,
				{ itemIndex, description: `The last one pointed to ${safeHost(location)}.` },
			);
		}
		current = new URL(location, current).href;
	}
}

/**
 * Media ID → bytes: asks Graph for a fresh URL (URLs expire after ~5 minutes, so never cache one),
 * downloads it with the bearer token and verifies the SHA-256 Meta reported. Any context with the
 * credential works: the trigger downloads inbound media with it too.
 */
export async function downloadMedia(
	this: GraphContext,
	mediaId: string,
	itemIndex: number,
	phoneNumberId?: string,
): Promise<DownloadedMedia> {
	const info = await getMediaInfo.call(this, mediaId, itemIndex, phoneNumberId);
	const outcome = await fetchWithToken.call(this, info.url, itemIndex, `media ${mediaId}`, 300_000);
	const data = downloadedBytes(this, outcome, itemIndex);
	const actualSha256 = sha256Hex(data);
	if (info.sha256 !== '' && info.sha256 !== actualSha256) {
		const sizeNote =
			info.fileSize !== undefined && info.fileSize !== data.length
				? ` Meta announced ${info.fileSize} bytes; ${data.length} arrived.`
				: ` ${data.length} bytes arrived.`;
		throw new NodeOperationError(
			this.getNode(),
			`The downloaded media ${mediaId} is corrupt: its SHA-256 does not match the one Meta reported`,
			{
				itemIndex,
				description: `Expected sha256 ${info.sha256}, got ${actualSha256}.${sizeNote} Run the node again to fetch a fresh URL; if it repeats, the media may have been replaced or a proxy altered it.`,
			},
		);
	}
	const responseType =
		outcome.kind === 'response' ? headerValue(outcome.headers, 'content-type') : '';
	return {
		data,
		mimeType: info.mimeType || responseType.split(';')[0].trim() || 'application/octet-stream',
		sha256: actualSha256,
		fileSize: data.length,
		url: info.url,
	};
}

/** The bytes of a binary Graph answer, or the NodeApiError it stands for. */
export function downloadedBytes(
	context: GraphContext,
	outcome: GraphOutcome,
	itemIndex: number,
): Buffer {
	if (outcome.kind === 'network') throw networkApiError(context, outcome, { itemIndex });
	const body = Buffer.isBuffer(outcome.body)
		? outcome.body
		: Buffer.from(String(outcome.body ?? ''));
	if (outcome.statusCode < 200 || outcome.statusCode >= 300) {
		throw graphApiError(context, outcome.statusCode, body.toString('utf8'), itemIndex);
	}
	return body;
}

function headerValue(headers: Record<string, string> | undefined, name: string): string {
	if (!headers) return '';
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	return key ? String(headers[key]) : '';
}

function safeHost(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'an invalid URL';
	}
}
