/**
 * Automatic registration: on activation the app's WhatsApp webhook points at this trigger and the
 * business account is subscribed; on deactivation only what points here is undone.
 */
import type { IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIALS_NAME } from '../helpers/constants';
import { appAccessToken, appSubscriptionPointsAt } from '../helpers/webhook/registration';
import { clearDedupeStore } from '../helpers/webhook/dedupe';
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
import type { TriggerOptions } from './description';
import { dedupeScope } from './webhook';

type RegistrationConfig =
	| { mode: 'manual' }
	| (AppAuth &
			AppCallback & {
				mode: 'automatic';
				wabaId: string;
				replaceExisting: boolean;
			});

/** What this trigger saved about the app's webhook before taking it over. */
interface RegistrationState {
	previousSubscription?: { callbackUrl: string; fields: string[] };
	subscribedWaba?: string;
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

	const missing = [
		['App ID', text('appId')],
		['App Secret', appSecret],
		['WhatsApp Business Account ID', text('businessAccountId')],
		['Verify Token', text('verifyToken')],
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
					'Fill them in, or set Registration to Manual and register the URL in the App Dashboard.',
			},
		);
	}
	const fields = this.getNodeParameter('subscribeFields', ['messages']) as string[];
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	return {
		mode: 'automatic',
		callbackUrl: this.getNodeWebhookUrl('default') ?? '',
		appId: text('appId'),
		appToken: appAccessToken(text('appId'), appSecret),
		wabaId: text('businessAccountId'),
		verifyToken: text('verifyToken'),
		fields: fields.length > 0 ? fields : ['messages'],
		replaceExisting: options.replaceExistingSubscription === true,
	};
}

async function checkExists(this: IHookFunctions): Promise<boolean> {
	const config = await readRegistrationConfig.call(this);
	if (config.mode === 'manual') return false; // create() validates the credential
	const subscription = await getAppSubscription.call(this, config);
	if (!appSubscriptionPointsAt(subscription, config.callbackUrl, config.fields)) return false;
	return await isAppSubscribedToWaba.call(this, config.wabaId, config.appId);
}

async function create(this: IHookFunctions): Promise<boolean> {
	const config = await readRegistrationConfig.call(this);
	if (config.mode === 'manual') return true;
	const state = this.getWorkflowStaticData('node') as RegistrationState;
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
	const current = await getAppSubscription.call(this, config);
	// Never touch a webhook that points at another workflow or server.
	if (current?.callback_url !== config.callbackUrl) return true;
	const previous = state.previousSubscription;
	if (previous) {
		await subscribeApp.call(this, config, {
			callbackUrl: previous.callbackUrl,
			verifyToken: config.verifyToken,
			fields: previous.fields,
		});
	} else {
		await deleteAppSubscription.call(this, config);
		if (state.subscribedWaba === config.wabaId) {
			await unsubscribeAppFromWaba.call(this, config.wabaId);
		}
	}
	delete state.previousSubscription;
	delete state.subscribedWaba;
	return true;
}

/** n8n's `webhookMethods.default`: activation (checkExists → create) and deactivation (delete). */
export const registrationMethods = { checkExists, create, delete: remove };
