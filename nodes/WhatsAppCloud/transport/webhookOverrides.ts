/**
 * Webhook overrides and the business accounts a token reaches
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/override):
 * one function per Graph call, then activation/deactivation composed from them and the pure plan
 * in helpers/webhook/overrides.ts. All calls use the credential's system-user token, which needs
 * whatsapp_business_management on the WABA.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type {
	BusinessAccountPage,
	BusinessAccountSubscription,
	NumberOverride,
	OverrideState,
	PhoneNumberWebhookConfiguration,
} from '../helpers/webhook/overrides';
import {
	isOurs,
	overrideUrlProblem,
	parseBusinessAccountPage,
	parseBusinessAccountSubscription,
	parseNumberOverridePage,
	parseWebhookConfiguration,
	planActivation,
	planDeactivation,
} from '../helpers/webhook/overrides';
import type { GraphCall, GraphContext } from './graph';
import { graphRequest } from './graph';
import { postVerifiedCallback, subscribeAppToWaba, unsubscribeAppFromWaba } from './subscriptions';

const id = (value: string) => encodeURIComponent(value);

// ---------------------------------------------------------------------------------------------
// WABA level: /{waba-id}/subscribed_apps

/** `GET /{waba-id}/subscribed_apps`, read for one app. */
export async function getBusinessAccountSubscription(
	this: GraphContext,
	wabaId: string,
	appId: string,
): Promise<BusinessAccountSubscription> {
	const response = await graphRequest.call(this, {
		method: 'GET',
		path: `/${id(wabaId)}/subscribed_apps`,
	});
	return parseBusinessAccountSubscription(response, appId);
}

/**
 * Points the WABA's events at `url` (this also subscribes the app); Meta verifies `url` first.
 * The opposite is `subscribeAppToWaba` (the same POST without a body): it keeps the app subscribed
 * and clears its WABA override, so it must never be sent to subscribe an app that already is.
 */
export async function setBusinessAccountOverride(
	this: GraphContext,
	wabaId: string,
	url: string,
	verifyToken: string,
): Promise<void> {
	await postVerifiedCallback.call(
		this,
		{
			method: 'POST',
			path: `/${id(wabaId)}/subscribed_apps`,
			body: { override_callback_uri: url, verify_token: verifyToken },
		},
		url,
	);
}

// ---------------------------------------------------------------------------------------------
// Phone number level: POST /{phone-number-id} webhook_configuration

/** The number's effective chain (its override, the WABA's, the app's URL), for this app. */
export async function getPhoneNumberWebhookConfiguration(
	this: GraphContext,
	phoneNumberId: string,
): Promise<PhoneNumberWebhookConfiguration> {
	const response = await graphRequest.call(this, {
		method: 'GET',
		path: `/${id(phoneNumberId)}`,
		qs: { fields: 'webhook_configuration' },
	});
	return parseWebhookConfiguration(response);
}

/** Points the number's events at `url`; Meta verifies `url` first and needs the app subscribed. */
export async function setPhoneNumberOverride(
	this: GraphContext,
	phoneNumberId: string,
	url: string,
	verifyToken: string,
): Promise<void> {
	await postVerifiedCallback.call(
		this,
		{
			method: 'POST',
			path: `/${id(phoneNumberId)}`,
			body: { webhook_configuration: { override_callback_uri: url, verify_token: verifyToken } },
		},
		url,
	);
}

/** Removes the number's override: its events go to the WABA's override or the app's URL again. */
export async function removePhoneNumberOverride(
	this: GraphContext,
	phoneNumberId: string,
): Promise<void> {
	await graphRequest.call(this, {
		method: 'POST',
		path: `/${id(phoneNumberId)}`,
		body: { webhook_configuration: { override_callback_uri: '' } },
	});
}

/**
 * The app's overrides on a WABA: its WABA override and every number override (all pages of
 * `/{waba-id}/phone_numbers`). An app-scoped trigger checks them before it unsubscribes the app.
 */
export async function listOverridesOnBusinessAccount(
	this: GraphContext,
	wabaId: string,
	appId: string,
): Promise<{ businessAccount?: string; phoneNumbers: NumberOverride[] }> {
	const subscription = await getBusinessAccountSubscription.call(this, wabaId, appId);
	const phoneNumbers: NumberOverride[] = [];
	const seen = new Set<string>();
	let after: string | undefined;
	do {
		const response = await graphRequest.call(this, {
			method: 'GET',
			path: `/${id(wabaId)}/phone_numbers`,
			qs: { fields: 'id,webhook_configuration', limit: 100, ...(after ? { after } : {}) },
		});
		const page = parseNumberOverridePage(response);
		phoneNumbers.push(...page.overrides);
		after = page.after && !seen.has(page.after) ? page.after : undefined;
		if (after) seen.add(after);
	} while (after);
	return subscription.overrideUrl
		? { businessAccount: subscription.overrideUrl, phoneNumbers }
		: { phoneNumbers };
}

// ---------------------------------------------------------------------------------------------
// Business accounts the token reaches

/** `GET /me`: the system user behind the credential's token. */
export async function getTokenUser(this: GraphContext): Promise<{ id: string; name?: string }> {
	const response = await graphRequest.call<
		GraphContext,
		[GraphCall],
		Promise<{ id?: string; name?: string }>
	>(this, { method: 'GET', path: '/me', qs: { fields: 'id,name' } });
	return {
		id: String(response.id ?? ''),
		...(response.name ? { name: String(response.name) } : {}),
	};
}

/**
 * Where to list WABAs: those assigned to a system user (what its token reaches), or those a
 * business portfolio owns or its clients shared with it.
 */
export type BusinessAccountSource =
	{ edge: 'assigned'; systemUserId: string } | { edge: 'owned' | 'client'; businessId: string };

const SOURCE_EDGES = {
	assigned: 'assigned_whatsapp_business_accounts',
	owned: 'owned_whatsapp_business_accounts',
	client: 'client_whatsapp_business_accounts',
} as const;

/** One page of WhatsApp Business Accounts (id, name, currency, timezone). */
export async function listBusinessAccounts(
	this: GraphContext,
	source: BusinessAccountSource,
	page: { limit?: number; after?: string } = {},
): Promise<BusinessAccountPage> {
	const node = source.edge === 'assigned' ? source.systemUserId : source.businessId;
	const fields = [
		'id',
		'name',
		'currency',
		'timezone_id',
		...(source.edge === 'assigned' ? ['tasks'] : []),
	];
	const qs: IDataObject = { fields: fields.join(',') };
	if (page.limit !== undefined) qs.limit = page.limit;
	if (page.after) qs.after = page.after;
	const response = await graphRequest.call(this, {
		method: 'GET',
		path: `/${id(node)}/${SOURCE_EDGES[source.edge]}`,
		qs,
	});
	return parseBusinessAccountPage(response);
}

// ---------------------------------------------------------------------------------------------
// Activation and deactivation of one override

/** The WABA or number whose events a trigger takes over (the number's WABA is needed too). */
export type OverrideTarget =
	| { scope: 'businessAccount'; wabaId: string }
	| { scope: 'phoneNumber'; wabaId: string; phoneNumberId: string };

/** Reads what the target's override and the app's subscription are now. */
export async function readOverrideState(
	this: GraphContext,
	target: OverrideTarget,
	appId: string,
): Promise<OverrideState> {
	const subscription = await getBusinessAccountSubscription.call(this, target.wabaId, appId);
	if (target.scope === 'businessAccount') {
		return {
			scope: target.scope,
			appSubscribed: subscription.appSubscribed,
			currentUrl: subscription.overrideUrl,
		};
	}
	const configuration = await getPhoneNumberWebhookConfiguration.call(this, target.phoneNumberId);
	return {
		scope: target.scope,
		appSubscribed: subscription.appSubscribed,
		currentUrl: configuration.phoneNumber,
	};
}

export interface OverrideRegistration {
	/** The app the credential's token belongs to (its overrides are the only ones we see). */
	appId: string;
	/** This trigger's production webhook URL. */
	url: string;
	/** The token Meta's handshake sends to `url`; the trigger must answer for it. */
	verifyToken: string;
}

function describeTarget(target: OverrideTarget): string {
	return target.scope === 'phoneNumber'
		? `phone number ${target.phoneNumberId}`
		: `WhatsApp Business Account ${target.wabaId}`;
}

function requireInputs(
	context: GraphContext,
	target: OverrideTarget,
	registration: Partial<OverrideRegistration>,
) {
	const missing = [
		['App ID (credential)', registration.appId],
		['Business Account ID', target.wabaId],
		...(target.scope === 'phoneNumber' ? [['Phone Number ID', target.phoneNumberId]] : []),
	]
		.filter(([, value]) => !String(value ?? '').trim())
		.map(([name]) => name);
	if (missing.length > 0)
		throw new NodeOperationError(
			context.getNode(),
			`Registering a webhook override needs ${missing.join(', ')}`,
		);
}

/**
 * Points the target at this trigger, unless it already does. Refuses (and changes nothing) when
 * the target's override points elsewhere. When setting fails (permission, unknown ID, handshake),
 * a subscription made for it is undone, so nothing is left half-registered.
 */
export async function activateOverride(
	this: GraphContext,
	target: OverrideTarget,
	registration: OverrideRegistration,
): Promise<{ changed: boolean }> {
	requireInputs(this, target, registration);
	const problem = overrideUrlProblem(registration.url);
	if (problem) throw new NodeOperationError(this.getNode(), problem);
	if (!registration.verifyToken.trim())
		throw new NodeOperationError(
			this.getNode(),
			'A webhook override needs a verify token: set one in the credential or in the trigger',
		);
	const state = await readOverrideState.call(this, target, registration.appId);
	const plan = planActivation(state, registration.url);
	if (plan.action === 'keep') return { changed: false };
	if (plan.action === 'refuse') {
		const removal =
			target.scope === 'phoneNumber'
				? `POST /${target.phoneNumberId} with {"webhook_configuration":{"override_callback_uri":""}}`
				: `POST /${target.wabaId}/subscribed_apps without a body`;
		throw new NodeOperationError(
			this.getNode(),
			`The ${describeTarget(target)} already sends its webhooks to another URL`,
			{
				description: `Its override points at ${plan.currentUrl}, which belongs to another workflow or server; this trigger never replaces it. Deactivate that workflow, or remove the override (${removal}), then activate this one again.`,
			},
		);
	}
	try {
		if (plan.subscribeAppFirst) await subscribeAppToWaba.call(this, target.wabaId);
		if (target.scope === 'phoneNumber') {
			await setPhoneNumberOverride.call(
				this,
				target.phoneNumberId,
				registration.url,
				registration.verifyToken,
			);
		} else {
			await setBusinessAccountOverride.call(
				this,
				target.wabaId,
				registration.url,
				registration.verifyToken,
			);
		}
	} catch (error) {
		if (plan.unsubscribeOnFailure) {
			// If even reading fails, the token could not have subscribed anything: the first error says why.
			await undoSubscription.call(this, target.wabaId, registration.appId).catch(() => undefined);
		}
		throw error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(this.getNode(), error as Error);
	}
	return { changed: true };
}

/** For checkExists: whether the target's override points at this trigger. */
export async function overridePointsHere(
	this: GraphContext,
	target: OverrideTarget,
	registration: Pick<OverrideRegistration, 'appId' | 'url'>,
): Promise<boolean> {
	const state = await readOverrideState.call(this, target, registration.appId);
	return isOurs(state.currentUrl, registration.url);
}

/** Unsubscribes the app again if the failed activation left it subscribed without an override. */
async function undoSubscription(this: GraphContext, wabaId: string, appId: string): Promise<void> {
	const after = await getBusinessAccountSubscription.call(this, wabaId, appId);
	if (after.appSubscribed && !after.overrideUrl) await unsubscribeAppFromWaba.call(this, wabaId);
}

/**
 * Removes the target's override only while it points at this trigger. The app stays subscribed, so
 * the events go to the WABA's override or the app's URL again.
 */
export async function deactivateOverride(
	this: GraphContext,
	target: OverrideTarget,
	registration: Pick<OverrideRegistration, 'appId' | 'url'>,
): Promise<{ removed: boolean }> {
	const state = await readOverrideState.call(this, target, registration.appId);
	if (planDeactivation(state.currentUrl, registration.url).action !== 'remove')
		return { removed: false };
	if (target.scope === 'phoneNumber')
		await removePhoneNumberOverride.call(this, target.phoneNumberId);
	// Without a body: the app stays subscribed and only its WABA override goes.
	else await subscribeAppToWaba.call(this, target.wabaId);
	return { removed: true };
}
