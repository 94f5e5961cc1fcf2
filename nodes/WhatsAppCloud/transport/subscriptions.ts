/**
 * Webhook subscriptions: the app's callback URL (`/{app-id}/subscriptions`, app token) and the
 * business accounts the app receives events for (`/{waba-id}/subscribed_apps`, the credential's
 * token). https://developers.facebook.com/docs/graph-api/reference/app/subscriptions
 */
import { NodeOperationError } from 'n8n-workflow';

import { parseGraphError } from '../helpers/graphError';
import type { AppSubscription } from '../helpers/webhook/registration';
import { wabaHasApp, WHATSAPP_OBJECT, whatsAppSubscription } from '../helpers/webhook/registration';
import type { GraphContext } from './graph';
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

/** Graph's code when its GET handshake against the callback URL fails. */
const CALLBACK_VERIFICATION_FAILED = 2200;

const appPath = (appId: string) => `/${encodeURIComponent(appId)}/subscriptions`;
const wabaPath = (wabaId: string) => `/${encodeURIComponent(wabaId)}/subscribed_apps`;

/** The app's `whatsapp_business_account` subscription (`GET /{app-id}/subscriptions`), if any. */
export async function getAppSubscription(
	this: GraphContext,
	app: AppAuth,
): Promise<AppSubscription | undefined> {
	const response = await graphRequest.call(this, {
		method: 'GET',
		path: appPath(app.appId),
		qs: { access_token: app.appToken },
	});
	return whatsAppSubscription(response);
}

/** `POST /{app-id}/subscriptions`: Meta runs the GET handshake against the URL before answering. */
export async function subscribeApp(
	this: GraphContext,
	app: AppAuth,
	callback: AppCallback,
): Promise<void> {
	const outcome = await graphCall.call(this, {
		method: 'POST',
		path: appPath(app.appId),
		qs: { access_token: app.appToken },
		body: {
			object: WHATSAPP_OBJECT,
			callback_url: callback.callbackUrl,
			verify_token: callback.verifyToken,
			fields: callback.fields.join(','),
			include_values: true,
		},
	});
	if (outcome.kind === 'network') throw networkApiError(this, outcome);
	if (outcome.statusCode >= 200 && outcome.statusCode < 300) return;
	const graphError = parseGraphError(outcome.body);
	if (graphError?.code === CALLBACK_VERIFICATION_FAILED) {
		// Explained here: Meta's text quotes our server's socket error (e.g. ECONNREFUSED), which
		// n8n would otherwise rewrite into "the service refused the connection".
		throw new NodeOperationError(
			this.getNode(),
			`Meta could not verify the webhook URL ${callback.callbackUrl}`,
			{
				description: `${[graphError.message, graphError.details].filter(Boolean).join(' — ')}. When subscribing, Meta calls this URL with a GET request and expects the verify token back: n8n must be reachable from the internet over HTTPS with a valid certificate (check the WEBHOOK_URL setting).`,
			},
		);
	}
	throw graphApiError(this, outcome.statusCode, outcome.body);
}

/** `DELETE /{app-id}/subscriptions?object=whatsapp_business_account`. */
export async function deleteAppSubscription(this: GraphContext, app: AppAuth): Promise<void> {
	await graphRequest.call(this, {
		method: 'DELETE',
		path: appPath(app.appId),
		qs: { access_token: app.appToken, object: WHATSAPP_OBJECT },
	});
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
