import type {
	ICredentialDataDecryptedObject,
	INode,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	BUSINESS_ACCOUNT_PARAMETER,
	CREDENTIALS_NAME,
	DEFAULT_GRAPH_API_VERSION,
	DEFAULT_GRAPH_BASE_URL,
} from '../helpers/constants';
import { graphErrorHint, parseGraphError } from '../helpers/graphError';
import { locatorId } from '../helpers/parameters';

/** Every n8n context our nodes call Graph from. */
export type GraphContext =
	IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

export interface GraphCall {
	method: IHttpRequestMethods;
	/** Path after the version (`/123/messages`), or an absolute URL (media download). */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | FormData | Buffer;
	headers?: Record<string, string>;
	/** Answer as raw bytes (media download) instead of JSON. */
	binary?: boolean;
	timeoutMs?: number;
	/** Send it without the access token (a redirect hop to a host that may not see it). */
	withoutCredential?: boolean;
}

export type GraphOutcome =
	| {
			kind: 'response';
			statusCode: number;
			headers: Record<string, string>;
			body: unknown;
	  }
	| {
			kind: 'network';
			/** ECONNRESET, ETIMEDOUT, … */
			errorCode: string;
			/** False only when the request provably never reached the server (refused, DNS). */
			mayHaveReachedMeta: boolean;
			message: string;
	  };

/** Failures where the request cannot have been received, so a retry can never send twice. */
const NEVER_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

/** Node's and axios' socket error codes: ECONNREFUSED, EAI_AGAIN, ECONNABORTED, ERR_CANCELED … */
const SOCKET_CODE = /^E[A-Z0-9_]+$/;

/**
 * The socket error code of a failed request, wherever the n8n version in use puts it. n8n wraps
 * the HTTP client's error in a NodeApiError: n8n-workflow 2.41 keeps the client's error as `cause`;
 * 2.8 sets `cause` to undefined and keeps only the code, as `httpCode` (which both also set).
 * An unwrapped client error carries it as `code`. An HTTP status in `httpCode` is not one.
 */
export function socketErrorCode(error: unknown): string | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	const wrapped = error as { cause?: unknown; code?: unknown; httpCode?: unknown };
	const cause = wrapped.cause as { code?: unknown } | undefined;
	for (const candidate of [cause?.code, wrapped.code, wrapped.httpCode]) {
		if (typeof candidate === 'string' && SOCKET_CODE.test(candidate)) return candidate;
	}
	return undefined;
}

/** `https://graph.facebook.com/v26.0`, from the credential. */
export async function graphBaseUrl(this: GraphContext): Promise<string> {
	const credentials = await this.getCredentials(CREDENTIALS_NAME);
	const baseUrl = String(credentials.baseUrl || DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, '');
	const version = String(credentials.apiVersion || DEFAULT_GRAPH_API_VERSION).replace(
		/^\/+|\/+$/g,
		'',
	);
	return `${baseUrl}/${version}`;
}

/**
 * The one place HTTP happens. Never throws for an HTTP status or a network failure: the caller
 * decides, because whether a retry is safe depends on which of the two it was.
 */
export async function graphCall(
	this: GraphContext,
	call: GraphCall,
	baseUrl?: string,
	credentials?: ICredentialDataDecryptedObject,
): Promise<GraphOutcome> {
	const absolute = /^https?:\/\//i.test(call.path);
	const options: IHttpRequestOptions = {
		method: call.method,
		url: absolute ? call.path : `${baseUrl ?? (await graphBaseUrl.call(this))}${call.path}`,
		qs: call.qs,
		body: call.body,
		headers: call.headers,
		json: !call.binary,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: call.timeoutMs ?? 60_000,
		// n8n's helper would follow a redirect to any host with the Authorization header; a 3xx
		// comes back as an answer instead, and only media downloads follow it (with a host check).
		disableFollowRedirect: true,
	};
	if (call.binary) options.encoding = 'arraybuffer';
	try {
		// Credentials read once per execution spare n8n a decryption per message in a broadcast.
		const response = (await (call.withoutCredential
			? this.helpers.httpRequest(options)
			: this.helpers.httpRequestWithAuthentication.call(
					this,
					CREDENTIALS_NAME,
					options,
					credentials
						? {
								credentialsDecrypted: {
									id: '',
									name: '',
									type: CREDENTIALS_NAME,
									data: credentials,
								},
							}
						: undefined,
				))) as { statusCode: number; headers: Record<string, string>; body: unknown };
		const body =
			call.binary && !Buffer.isBuffer(response.body)
				? Buffer.from(response.body as ArrayBuffer)
				: response.body;
		return { kind: 'response', statusCode: response.statusCode, headers: response.headers, body };
	} catch (error) {
		const errorCode = socketErrorCode(error) ?? 'EUNKNOWN';
		return {
			kind: 'network',
			errorCode,
			mayHaveReachedMeta: !NEVER_SENT_CODES.has(errorCode),
			message: networkMessage(errorCode),
		};
	}
}

/**
 * The business account the node itself names (its Business Account field), or '' when the node
 * has no such field or leaves it empty. `itemIndex` is given in executions, absent in the editor's
 * pickers and in trigger hooks.
 */
export function chosenBusinessAccountId(this: GraphContext, itemIndex?: number): string {
	return locatorId(
		itemIndex === undefined
			? (this as ILoadOptionsFunctions).getNodeParameter(BUSINESS_ACCOUNT_PARAMETER, '')
			: (this as IExecuteFunctions).getNodeParameter(BUSINESS_ACCOUNT_PARAMETER, itemIndex, ''),
	);
}

/**
 * The WhatsApp Business Account ID to work on (templates, phone numbers): the node's Business
 * Account field, else the credential's, else an error saying where to set one.
 */
export async function requireBusinessAccountId(
	this: GraphContext,
	itemIndex?: number,
): Promise<string> {
	const chosen = chosenBusinessAccountId.call(this, itemIndex);
	if (chosen !== '') return chosen;
	const credentials = await this.getCredentials(CREDENTIALS_NAME, itemIndex);
	const wabaId = String(credentials.businessAccountId ?? '').trim();
	if (wabaId === '') {
		throw new NodeOperationError(
			this.getNode(),
			'The credential has no WhatsApp Business Account ID, which templates and phone number lists need',
			{
				itemIndex,
				description:
					'Pick the account in the node\'s Business Account field, or add it to the WhatsApp Cloud API credential: field "WhatsApp Business Account ID" (WhatsApp Manager → Account tools → Phone numbers, or App Dashboard → WhatsApp → API Setup).',
			},
		);
	}
	return wabaId;
}

/**
 * For a picker: the node's Business Account, else the credential's. Pickers show no hints, so
 * without either the error message itself says what to do (`what`: e.g. "pick a Flow from a list").
 */
export async function pickerBusinessAccountId(
	this: ILoadOptionsFunctions,
	what: string,
): Promise<string> {
	const chosen = chosenBusinessAccountId.call(this);
	if (chosen !== '') return chosen;
	const credentials = await this.getCredentials(CREDENTIALS_NAME);
	const wabaId = String(credentials.businessAccountId ?? '').trim();
	if (wabaId === '') {
		throw new NodeOperationError(
			this.getNode(),
			`Add the WhatsApp Business Account ID to the credential to ${what}, or switch to "By ID"`,
		);
	}
	return wabaId;
}

/**
 * The credential's App Secret, which every webhook's X-Hub-Signature-256 is verified with. Without
 * it the trigger accepts nothing: activation fails, and events are answered 500 so Meta retries them.
 */
export function requireAppSecret(node: INode, credentials: ICredentialDataDecryptedObject): string {
	const appSecret = String(credentials.appSecret ?? '');
	if (appSecret === '') {
		throw new NodeOperationError(
			node,
			'The WhatsApp Cloud API credential has no App Secret, so webhook signatures cannot be verified',
			{
				description:
					'Copy it from App Dashboard → App settings → Basic into the credential. Events rejected meanwhile are retried by Meta for up to 7 days.',
			},
		);
	}
	return appSecret;
}

/** For management calls (lists, lookups, webhooks): the Graph body on 2xx, else a NodeApiError. */
export async function graphRequest<T = IDataObject>(
	this: GraphContext,
	call: GraphCall,
	itemIndex?: number,
): Promise<T> {
	const outcome = await graphCall.call(this, call);
	if (outcome.kind === 'network') throw networkApiError(this, outcome, { itemIndex });
	if (outcome.statusCode >= 200 && outcome.statusCode < 300) return outcome.body as T;
	throw graphApiError(this, outcome.statusCode, outcome.body, itemIndex);
}

/** A NodeApiError for a request that got no HTTP answer (refused, reset, timed out). */
export function networkApiError(
	context: Pick<GraphContext, 'getNode'>,
	outcome: Extract<GraphOutcome, { kind: 'network' }>,
	{ itemIndex, description }: { itemIndex?: number; description?: string } = {},
): NodeApiError {
	return new NodeApiError(
		context.getNode(),
		{ code: outcome.errorCode, message: outcome.message } as JsonObject,
		{ message: outcome.message, description, itemIndex },
	);
}

/** A NodeApiError carrying Meta's code, details, fbtrace ID and our hint — never request headers. */
export function graphApiError(
	context: Pick<GraphContext, 'getNode'>,
	statusCode: number,
	body: unknown,
	itemIndex?: number,
): NodeApiError {
	const graphError = parseGraphError(body);
	if (!graphError) {
		return new NodeApiError(
			context.getNode(),
			{ httpCode: String(statusCode), message: `Graph API answered HTTP ${statusCode}` },
			{ httpCode: String(statusCode), itemIndex },
		);
	}
	const hint = graphErrorHint(graphError.code);
	const description = [hint, graphError.fbtraceId && `fbtrace_id: ${graphError.fbtraceId}`]
		.filter(Boolean)
		.join('\n');
	return new NodeApiError(
		context.getNode(),
		{
			code: graphError.code,
			message: graphError.message,
			details: graphError.details ?? null,
			fbtraceId: graphError.fbtraceId ?? null,
		} as JsonObject,
		{
			// Meta's title is generic ("Invalid parameter"); its details say which and why.
			message: graphError.details
				? `${graphError.message}: ${graphError.details}`
				: graphError.message,
			description,
			httpCode: String(statusCode),
			itemIndex,
		},
	);
}

function networkMessage(errorCode: string): string {
	if (NEVER_SENT_CODES.has(errorCode)) {
		return `Could not connect to the Graph API (${errorCode}): check the credential's Base URL and the network`;
	}
	return `The connection to the Graph API failed (${errorCode}) after the request was sent: Meta may or may not have received it`;
}
