/**
 * Meta's Graph error envelope and what to do about each code (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
 * Pure: used by the transport to decide retries and by the nodes to explain failures.
 */

export interface GraphErrorBody {
	message?: string;
	type?: string;
	code?: number;
	error_subcode?: number;
	error_data?: { messaging_product?: string; details?: string } | string;
	error_user_title?: string;
	error_user_msg?: string;
	is_transient?: boolean;
	fbtrace_id?: string;
}

export interface GraphError {
	code: number;
	message: string;
	details?: string;
	fbtraceId?: string;
	subcode?: number;
}

/**
 * - `pair`: 131056, only this recipient waits (4^X s).
 * - `throughput`: 130429, this phone number sends too fast: back off and slow the bucket.
 * - `app`: 4/17/32/613/80007, app or business-use-case call limits: wait minutes.
 * - `transient`: Meta refused the call for a passing reason (overloaded, maintenance): the message
 *   was not taken, so a retry cannot send it twice.
 * - `uncertain`: Meta's answer does not say whether it processed the call (a 5xx without a Graph
 *   error, or the generic codes 1, 2, 131000): a retry may send it twice, and the send endpoint has
 *   no idempotency key. Retried only when the user accepts duplicates.
 * - `later`: retrying soon cannot help (quality, policy, spam limits): surface, pause.
 * - `fatal`: the request or configuration is wrong: surface at once.
 */
export type RetryClass =
	'pair' | 'throughput' | 'app' | 'transient' | 'uncertain' | 'later' | 'fatal';

/** 131016 service unavailable, 131057 account in maintenance, 133004 server unavailable. */
const TRANSIENT_CODES = new Set([131016, 131057, 133004]);
/** 1 "API Unknown", 2 "API Service", 131000 "Something went wrong": no word on what was done. */
const UNCERTAIN_CODES = new Set([1, 2, 131000]);
const APP_LIMIT_CODES = new Set([4, 17, 32, 613, 80007]);
const LATER_CODES = new Set([368, 131048, 131049, 131064, 132015, 132069, 133015, 133016]);

/**
 * The Marketing Messages API's own refusals (`POST /{phone-number-id}/marketing_messages`):
 * - `notOnboarded`: the business has not accepted the Marketing Messages API terms;
 * - `notMarketing`: the template is not (or no longer) in the MARKETING category.
 * [U] Meta's pages read give no code for either: 131055 is what a BSP sandbox answered for terms
 * not accepted, 134100 the v23+ row of the MM API error table for non-marketing templates (the
 * emulator's defaults). Both are `fatal` for retries: the sender resends through /messages instead.
 */
export type MarketingRouteRefusal = 'notOnboarded' | 'notMarketing';

const MARKETING_ROUTE_REFUSALS: Readonly<Record<number, MarketingRouteRefusal>> = {
	131055: 'notOnboarded',
	134100: 'notMarketing',
};

/** Which refusal of the Marketing Messages API a code is, if any. */
export function marketingRouteRefusal(code: number | undefined): MarketingRouteRefusal | undefined {
	return code === undefined ? undefined : MARKETING_ROUTE_REFUSALS[code];
}

const MARKETING_ROUTE_HINTS: Readonly<Record<MarketingRouteRefusal, string>> = {
	notOnboarded:
		'The Marketing Messages API refused the message because the business has not accepted its terms. Onboard it in WhatsApp Manager (or through Embedded Signup), or set "Send Marketing Templates Through the Marketing Messages API" to "When the Number Is Onboarded" to send through the regular API until then.',
	notMarketing:
		'Only MARKETING templates can go through the Marketing Messages API; this template is in another category now. It was not sent.',
};

/** The next step for a refusal of the Marketing Messages API route. */
export function marketingRouteHint(refusal: MarketingRouteRefusal): string {
	return MARKETING_ROUTE_HINTS[refusal];
}

export function classifyGraphError(code: number | undefined, httpStatus?: number): RetryClass {
	if (code === 131056) return 'pair';
	if (code === 130429) return 'throughput';
	if (code !== undefined && APP_LIMIT_CODES.has(code)) return 'app';
	if (code !== undefined && TRANSIENT_CODES.has(code)) return 'transient';
	if (code !== undefined && UNCERTAIN_CODES.has(code)) return 'uncertain';
	if (code !== undefined && LATER_CODES.has(code)) return 'later';
	// A 5xx without a Graph error comes from a proxy in front of Meta (502, 504 …): the call may
	// have been processed behind it.
	if (code === undefined && httpStatus !== undefined && httpStatus >= 500) return 'uncertain';
	return 'fatal';
}

/** Reads `{ error: {...} }` from a Graph response body of any shape; undefined when absent. */
export function parseGraphError(body: unknown): GraphError | undefined {
	const envelope = typeof body === 'string' ? safeJson(body) : body;
	if (!isObject(envelope) || !isObject(envelope.error)) return undefined;
	const error = envelope.error as GraphErrorBody;
	const code = typeof error.code === 'number' ? error.code : Number(error.code);
	const data = error.error_data;
	const details = typeof data === 'string' ? data : (data?.details ?? error.error_user_msg);
	return {
		code: Number.isFinite(code) ? code : 0,
		message: error.message ?? 'Unknown Graph API error',
		details,
		fbtraceId: error.fbtrace_id,
		subcode: error.error_subcode,
	};
}

const HINTS: Record<number, string> = {
	0: 'The access token is invalid or expired: create a new system-user token and update the credential.',
	4: 'The app hit its Graph API call limit: the node waits for the limit to reset; lower the call volume if this repeats.',
	10: 'The token lacks a permission: grant whatsapp_business_messaging and whatsapp_business_management to the system user.',
	100: 'Meta rejected a parameter: check the field named in the details (phone number ID, media ID, template name).',
	190: 'The access token is invalid or expired: create a new system-user token and update the credential.',
	200: 'The token lacks a permission: grant whatsapp_business_messaging and whatsapp_business_management to the system user.',
	368: 'The business account is temporarily blocked for policy violations: check Business Support Home before sending more.',
	80007:
		'The WhatsApp Business Account hit its management API rate limit: wait before listing templates or phone numbers again.',
	130429:
		'The phone number reached its messages-per-second limit: lower "Messages per Second" in the node options.',
	130472:
		'The user is part of a Meta marketing experiment hold-out: the message was deliberately not sent (and not charged).',
	130497: 'The business cannot message users in this country.',
	131000:
		'Meta had an internal error: retry later; quote the fbtrace ID if you open a support ticket.',
	131005:
		'Access denied: check the token permissions and that the phone number belongs to this business account.',
	131008: 'A required parameter is missing.',
	131009:
		'A parameter value is not valid (for a template created minutes ago: wait until it propagates).',
	131016: 'The WhatsApp service is temporarily unavailable: retry later.',
	131021: 'The recipient is the sending business number itself.',
	131026:
		'The message is undeliverable: the number is not on WhatsApp, has not accepted the terms, uses an old app, or blocked you.',
	131030:
		'The recipient is not in the allowed list of this test number: add it in App Dashboard → WhatsApp → API Setup.',
	131031: 'The business account is locked: resolve it in WhatsApp Manager.',
	131042:
		'There is a payment problem with the business account: fix the payment method in WhatsApp Manager.',
	131045: 'The phone number is not registered correctly: register it again.',
	131047:
		'More than 24 hours have passed since the customer last wrote: send an approved template instead.',
	131048:
		'Sending is restricted because users blocked or reported your messages: pause the campaign and check quality.',
	131049:
		'Meta did not deliver this marketing message to keep engagement healthy: do not resend it for at least 24 hours.',
	131050: 'The user stopped marketing messages from you: stop marketing to this user.',
	131051: 'This message type is not supported.',
	131052: 'The media the user sent could not be downloaded: ask the user to send it again.',
	131053:
		'The media could not be uploaded or fetched: check the MIME type, the size and that the link is public HTTPS.',
	131056:
		'Too many messages to the same user in a short time: the node spaces them out; space such sends more widely.',
	131057: 'The business account is in maintenance mode: retry in a few minutes.',
	131062: 'This message cannot be sent to a business-scoped user ID: send it to the phone number.',
	131063:
		'Marketing templates are disabled for the Cloud API on this account: use the Marketing Messages API.',
	131064:
		'Messaging is limited after template-classification violations: wait until the enforcement period ends.',
	132000:
		'The number of template parameters does not match the template: fill every variable, no more.',
	132001:
		'The template does not exist in this language or is not approved: check its name, language and status.',
	132005:
		'The template text is too long once the parameters are filled in: shorten the parameters.',
	132007: 'The template content breaks WhatsApp formatting policy.',
	132008: 'A template parameter has the wrong format.',
	132012: 'A template parameter has the wrong format for its type.',
	132015: 'The template is paused for low quality: edit it or wait, and pause the campaign.',
	132016: 'The template was disabled permanently: create a new one.',
	132018: 'The template parameters are not valid: see the details.',
	133010: 'The phone number is not registered with the Cloud API: register it first.',
	137000:
		'The recipient identity changed (reinstall or new device): confirm the identity or omit the hash.',
	139000: 'Meta blocked creating or publishing Flows for an integrity issue on the account.',
	139001:
		'The Flow cannot be updated: published Flows are immutable (clone it), or its Flow JSON has errors.',
	139002:
		'The Flow cannot be published: fix its validation errors, set its endpoint URI, link an app and upload the business public key.',
	139003: 'Only a published Flow can be deprecated, and only once.',
	139004: 'Only draft Flows can be deleted: deprecate a published Flow instead.',
	138006:
		'The user has not allowed calls from this business: send a call permission request first.',
	138009:
		'Too many call permission requests to this user: Meta allows about 1 per day and 2 per week.',
	139100:
		'Some users could not be blocked or unblocked: each user result says why (often 131047: no message from them in the last 24 hours).',
	139101: 'The blocklist is full (64,000 users): unblock users before blocking more.',
	139102: 'The blocklist changed while it was being listed: list it again from the first page.',
	139103: 'Meta had an internal error with the blocklist: retry later.',
};

/** A plain-language next step for a Graph error code, when one is known. */
export function graphErrorHint(code: number): string | undefined {
	if (code >= 200 && code <= 299) return HINTS[200];
	return HINTS[code];
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
