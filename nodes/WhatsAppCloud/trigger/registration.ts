/**
 * Automatic registration, in one of three scopes. App: the app's WhatsApp webhook points at this
 * trigger and the business account is subscribed. Business account / phone number: a webhook
 * override points that WABA's or number's events at this trigger, and the app's own webhook stays
 * as it is. On deactivation only what points here is undone.
 */
import type { IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIALS_NAME } from '../helpers/constants';
import { clearDedupeStore } from '../helpers/webhook/dedupe';
import { mayUnsubscribeApp } from '../helpers/webhook/overrides';
import { appAccessToken, appSubscriptionPointsAt } from '../helpers/webhook/registration';
import { requireAppSecret } from '../transport/graph';
import type { AppAuth, AppCallback } from '../transport/subscriptions';
import {
	deleteAppSubscription,
	getAppSubscription,
	isAppSubscribedToWaba,
	subscribeApp,
	subscribeAppToWaba,
	unsubscribeAppFromWaba,
} from '../transport/subscriptions';
import type { OverrideRegistration, OverrideTarget } from '../transport/webhookOverrides';
import {
	activateOverride,
	deactivateOverride,
	listOverridesOnBusinessAccount,
	overridePointsHere,
} from '../transport/webhookOverrides';
import type { TriggerOptions } from './description';
import { readTriggerScope, verifyTokenOf } from './scope';
import { dedupeScope } from './webhook';

type AppScopeConfig = AppAuth &
	AppCallback & {
		mode: 'automatic';
		scope: 'app';
		wabaId: string;
		replaceExisting: boolean;
		/** What restores a webhook this trigger replaced: the credential's token, the shared one. */
		restoreVerifyToken: string;
	};

type OverrideScopeConfig = {
	mode: 'automatic';
	scope: OverrideTarget['scope'];
	target: OverrideTarget;
	registration: OverrideRegistration;
};

type RegistrationConfig = { mode: 'manual' } | AppScopeConfig | OverrideScopeConfig;

/** What this trigger saved about what it registered. */
interface RegistrationState {
	/** App scope: the app's webhook before this trigger took it over. */
	previousSubscription?: { callbackUrl: string; fields: string[] };
	/** App scope: the business account this trigger subscribed the app to. */
	subscribedWaba?: string;
	/** Override scopes: the WABA or number pointed here, whatever the parameters say later. */
	override?: OverrideTarget;
}

/**
 * Reads and checks what registration needs. On activation a missing value is an error in the node;
 * on deactivation it only means there is nothing this trigger can have registered.
 */
async function readRegistrationConfig(
	this: IHookFunctions,
	{ forDelete = false } = {},
): Promise<RegistrationConfig> {
	const credentials = await this.getCredentials(CREDENTIALS_NAME);
	const text = (key: string) => String(credentials[key] ?? '').trim();
	const appSecret = forDelete
		? String(credentials.appSecret ?? '')
		: requireAppSecret(this.getNode(), credentials);
	if (this.getNodeParameter('registration', 'automatic') === 'manual') return { mode: 'manual' };

	const where = readTriggerScope(this, credentials);
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	const verifyToken = verifyTokenOf(options, credentials);
	const url = this.getNodeWebhookUrl('default') ?? '';
	if (where.scope !== 'app') {
		const target: OverrideTarget =
			where.scope === 'phoneNumber'
				? { scope: where.scope, wabaId: where.wabaId, phoneNumberId: where.phoneNumberId }
				: { scope: where.scope, wabaId: where.wabaId };
		const missing = [
			['App ID (credential)', where.appId],
			['Business Account (trigger or credential)', where.wabaId],
			...(where.scope === 'phoneNumber' ? [['Phone Number', where.phoneNumberId]] : []),
			// Deactivation removes by URL: it needs no token.
			...(forDelete ? [] : [['Verify Token (trigger option or credential)', verifyToken]]),
		]
			.filter(([, value]) => value === '')
			.map(([name]) => name);
		if (missing.length > 0) {
			if (forDelete) return { mode: 'manual' };
			throw new NodeOperationError(
				this.getNode(),
				`Registering a webhook override needs ${missing.join(', ')}`,
			);
		}
		return {
			mode: 'automatic',
			scope: where.scope,
			target,
			registration: { appId: where.appId, url, verifyToken },
		};
	}

	const missing = [
		['App ID', text('appId')],
		['App Secret', appSecret],
		['WhatsApp Business Account ID', where.wabaId],
		['Verify Token', verifyToken],
	]
		.filter(([, value]) => value === '')
		.map(([name]) => name);
	if (missing.length > 0) {
		if (forDelete) return { mode: 'manual' };
		throw new NodeOperationError(
			this.getNode(),
			`Automatic registration needs ${missing.join(', ')} in the credential`,
			{
				description:
					"Fill them in (the trigger's Business Account field and its Verify Token option can stand in for the credential's), or set Registration to Manual and register the URL in the App Dashboard.",
			},
		);
	}
	const fields = this.getNodeParameter('subscribeFields', ['messages']) as string[];
	return {
		mode: 'automatic',
		scope: 'app',
		callbackUrl: url,
		appId: text('appId'),
		appToken: appAccessToken(text('appId'), appSecret),
		wabaId: where.wabaId,
		verifyToken,
		restoreVerifyToken: text('verifyToken') || verifyToken,
		fields: fields.length > 0 ? fields : ['messages'],
		replaceExisting: options.replaceExistingSubscription === true,
	};
}

async function checkExists(this: IHookFunctions): Promise<boolean> {
	const config = await readRegistrationConfig.call(this);
	if (config.mode === 'manual') return false; // create() validates the credential
	if (config.scope !== 'app')
		return await overridePointsHere.call(this, config.target, config.registration);
	const subscription = await getAppSubscription.call(this, config);
	if (!appSubscriptionPointsAt(subscription, config.callbackUrl, config.fields)) return false;
	return await isAppSubscribedToWaba.call(this, config.wabaId, config.appId);
}

async function create(this: IHookFunctions): Promise<boolean> {
	const config = await readRegistrationConfig.call(this);
	if (config.mode === 'manual') return true;
	const state = this.getWorkflowStaticData('node') as RegistrationState;
	if (config.scope !== 'app') {
		// Refuses a foreign override and undoes its own subscription on failure: nothing half-set.
		await activateOverride.call(this, config.target, config.registration);
		state.override = config.target;
		return true;
	}
	const current = await getAppSubscription.call(this, config);
	const pointsElsewhere =
		current?.active !== false &&
		typeof current?.callback_url === 'string' &&
		current.callback_url !== '' &&
		current.callback_url !== config.callbackUrl;
	if (pointsElsewhere && !config.replaceExisting) {
		throw new NodeOperationError(
			this.getNode(),
			`The Meta app ${config.appId} already sends its WhatsApp webhooks to another URL`,
			{
				description: `It points at ${current.callback_url}. A Meta app has one WhatsApp webhook URL, so only one trigger per app can receive events: deactivate the other workflow, use another app, or turn on "Replace Existing Webhook".`,
			},
		);
	}
	// Re-creating over our own subscription (e.g. fields changed) keeps what we saved before.
	if (current?.callback_url !== config.callbackUrl) delete state.previousSubscription;
	if (pointsElsewhere && current) {
		state.previousSubscription = {
			callbackUrl: current.callback_url as string,
			fields: (current.fields ?? []).map((field) => field.name),
		};
	}
	await subscribeApp.call(this, config, config);
	if (!(await isAppSubscribedToWaba.call(this, config.wabaId, config.appId))) {
		await subscribeAppToWaba.call(this, config.wabaId);
		state.subscribedWaba = config.wabaId;
	}
	return true;
}

async function remove(this: IHookFunctions): Promise<boolean> {
	clearDedupeStore(dedupeScope(this.getWorkflow().id, this.getNode()));
	const config = await readRegistrationConfig.call(this, { forDelete: true });
	if (config.mode === 'manual') return true;
	const state = this.getWorkflowStaticData('node') as RegistrationState;
	if (config.scope !== 'app') {
		// Removed only while it still points here; the app's subscription stays, so the events go
		// to the WABA's override or the app's URL again.
		await deactivateOverride.call(this, state.override ?? config.target, config.registration);
		delete state.override;
		return true;
	}
	const current = await getAppSubscription.call(this, config);
	// Never touch a webhook that points at another workflow or server.
	if (current?.callback_url !== config.callbackUrl) return true;
	const previous = state.previousSubscription;
	if (previous) {
		await subscribeApp.call(this, config, {
			callbackUrl: previous.callbackUrl,
			verifyToken: config.restoreVerifyToken,
			fields: previous.fields,
		});
	} else {
		await deleteAppSubscription.call(this, config);
		// Unsubscribing the app would also silence every override on the account and its numbers,
		// which are other workflows' registrations: only when there are none.
		if (
			state.subscribedWaba === config.wabaId &&
			mayUnsubscribeApp(
				await listOverridesOnBusinessAccount.call(this, config.wabaId, config.appId),
			)
		) {
			await unsubscribeAppFromWaba.call(this, config.wabaId);
		}
	}
	delete state.previousSubscription;
	delete state.subscribedWaba;
	return true;
}

/** n8n's `webhookMethods.default`: activation (checkExists → create) and deactivation (delete). */
export const registrationMethods = { checkExists, create, delete: remove };
