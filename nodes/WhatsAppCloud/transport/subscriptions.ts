/**
 * Webhook subscriptions: the app's callback URL (`/{app-id}/subscriptions`, app token) and the
 * business accounts the app receives events for (`/{waba-id}/subscribed_apps`, the credential's
 * token). https://developers.facebook.com/docs/graph-api/reference/app/subscriptions
 */
import { NodeOperationError } from 'n8n-workflow';

import { parseGraphError } from '../helpers/graphError';
import type { AppSubscription } from '../helpers/webhook/registration';
import { wabaHasApp, WHATSAPP_OBJECT, whatsAppSubscription } from '../helpers/webhook/registration';
import type { GraphCall, GraphContext } from './graph';
import { graphApiError, graphCall, graphRequest, networkApiError } from './graph';

/** An app, addressed with its app access token `{app-id}|{app-secret}`. */
export interface AppAuth {
	appId: string;
	appToken: string;
}

export interface AppCallback {
	callbackUrl: string;
	verifyToken: string;
	fields: string[];
}

/** Graph's code when its GET handshake against a callback URL fails. */
export const CALLBACK_VERIFICATION_FAILED = 2200;

const appPath = (appId: string) => `/${encodeURIComponent(appId)}/subscriptions`;

/**
 * A call made with the app token instead of the credential's, in the Authorization header where
 * Graph takes any access token: never in the URL, which proxies and logs keep, since the app token
 * holds the app secret.
 */
function withAppToken(
	app: AppAuth,
	call: Omit<GraphCall, 'headers' | 'withoutCredential'>,
): GraphCall {
	return { ...call, withoutCredential: true, headers: { Authorization: `Bearer ${app.appToken}` } };
}
const wabaPath = (wabaId: string) => `/${encodeURIComponent(wabaId)}/subscribed_apps`;

/** The app's `whatsapp_business_account` subscription (`GET /{app-id}/subscriptions`), if any. */
export async function getAppSubscription(
	this: GraphContext,
	app: AppAuth,
): Promise<AppSubscription | undefined> {
	const response = await graphRequest.call(
		this,
		withAppToken(app, { method: 'GET', path: appPath(app.appId) }),
	);
	return whatsAppSubscription(response);
}

/**
 * A POST during which Meta runs its GET handshake against `callbackUrl` (an app subscription or a
 * webhook override). A failed handshake becomes an explanation of what Meta needs; any other Graph
 * error keeps Meta's code and details.
 */
export async function postVerifiedCallback(
	this: GraphContext,
	call: GraphCall,
	callbackUrl: string,
): Promise<void> {
	const outcome = await graphCall.call(this, call);
	if (outcome.kind === 'network') throw networkApiError(this, outcome);
	if (outcome.statusCode >= 200 && outcome.statusCode < 300) return;
	const graphError = parseGraphError(outcome.body);
	if (graphError?.code === CALLBACK_VERIFICATION_FAILED) {
		// Meta's text quotes our server's socket error (e.g. ECONNREFUSED), which n8n would otherwise
		// rewrite into "the service refused the connection".
		throw new NodeOperationError(
			this.getNode(),
			`Meta could not verify the webhook URL ${callbackUrl}`,
			{
				description: `${[graphError.message, graphError.details].filter(Boolean).join(' — ')}. Before accepting a callback URL, Meta calls it with a GET request and expects the verify token's challenge back: n8n must be reachable from the internet over HTTPS with a valid certificate (check the WEBHOOK_URL setting), and the trigger must answer with the verify token it registered.`,
			},
		);
	}
	throw graphApiError(this, outcome.statusCode, outcome.body);
}

/** `POST /{app-id}/subscriptions`: Meta runs the GET handshake against the URL before answering. */
export async function subscribeApp(
	this: GraphContext,
	app: AppAuth,
	callback: AppCallback,
): Promise<void> {
	await postVerifiedCallback.call(
		this,
		withAppToken(app, {
			method: 'POST',
			path: appPath(app.appId),
			body: {
				object: WHATSAPP_OBJECT,
				callback_url: callback.callbackUrl,
				verify_token: callback.verifyToken,
				fields: callback.fields.join(','),
				include_values: true,
			},
		}),
		callback.callbackUrl,
	);
}

/** `DELETE /{app-id}/subscriptions?object=whatsapp_business_account`. */
export async function deleteAppSubscription(this: GraphContext, app: AppAuth): Promise<void> {
	await graphRequest.call(
		this,
		withAppToken(app, {
			method: 'DELETE',
			path: appPath(app.appId),
			qs: { object: WHATSAPP_OBJECT },
		}),
	);
}

/** Whether the app is among the business account's subscribed apps. */
export async function isAppSubscribedToWaba(
	this: GraphContext,
	wabaId: string,
	appId: string,
): Promise<boolean> {
	const response = await graphRequest.call(this, { method: 'GET', path: wabaPath(wabaId) });
	return wabaHasApp(response, appId);
}

/** Subscribes the credential's app to the business account's events. */
export async function subscribeAppToWaba(this: GraphContext, wabaId: string): Promise<void> {
	await graphRequest.call(this, { method: 'POST', path: wabaPath(wabaId) });
}

export async function unsubscribeAppFromWaba(this: GraphContext, wabaId: string): Promise<void> {
	await graphRequest.call(this, { method: 'DELETE', path: wabaPath(wabaId) });
}
