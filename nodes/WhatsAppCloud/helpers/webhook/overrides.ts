/**
 * Pure parts of webhook overrides: Meta sends a business account's or a phone number's events to
 * an alternate callback URL, number before WABA before the app's URL
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/override).
 *
 * Reading Graph's answers, deciding whether an override is this trigger's, and planning what
 * activation and deactivation do. The rule: a trigger owns only a registration that points at
 * exactly its own URL; it never rewrites or removes a registration that points anywhere else.
 */

/** Where a trigger registers: the app's callback, one WABA's override, or one number's. */
export type RegistrationScope = 'app' | 'businessAccount' | 'phoneNumber';
export type OverrideScope = Exclude<RegistrationScope, 'app'>;

/** Meta's limit on `override_callback_uri`. */
export const OVERRIDE_CALLBACK_URI_MAX_LENGTH = 200;

/** The webhook fields Meta routes through overrides; every other field goes to the app's URL. */
export const OVERRIDABLE_FIELDS = [
	'account_settings_update',
	'calls',
	'consumer_profile',
	'group_lifecycle_update',
	'group_participants_update',
	'group_settings_update',
	'group_status_update',
	'history',
	'message_echoes',
	'messages',
	'messaging_handovers',
	'smb_app_state_sync',
	'smb_message_echoes',
	'standby',
] as const;

/** This app's place in `GET /{waba-id}/subscribed_apps`. */
export interface BusinessAccountSubscription {
	/** Whether the app receives the WABA's webhooks at all. */
	appSubscribed: boolean;
	/** The app's WABA override, when one is set. */
	overrideUrl?: string;
}

/** `GET /{phone-number-id}?fields=webhook_configuration`: the chain Meta would use, keys when set. */
export interface PhoneNumberWebhookConfiguration {
	phoneNumber?: string;
	businessAccount?: string;
	application?: string;
}

/** A WhatsApp Business Account as the listing edges return it. */
export interface BusinessAccountSummary {
	id: string;
	name?: string;
	currency?: string;
	timezoneId?: string;
	/** The system user's tasks on it (`assigned_whatsapp_business_accounts` only). */
	tasks?: string[];
}

export interface BusinessAccountPage {
	accounts: BusinessAccountSummary[];
	/** Cursor of the next page; undefined on the last page. */
	after?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined =>
	typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
const list = (response: unknown): unknown[] =>
	isObj(response) && Array.isArray(response.data) ? response.data : [];

export function parseBusinessAccountSubscription(
	response: unknown,
	appId: string,
): BusinessAccountSubscription {
	const entry = list(response).find(
		(item) =>
			isObj(item) &&
			isObj(item.whatsapp_business_api_data) &&
			text(item.whatsapp_business_api_data.id) === appId,
	) as Obj | undefined;
	if (!entry) return { appSubscribed: false };
	const overrideUrl = text(entry.override_callback_uri);
	return overrideUrl ? { appSubscribed: true, overrideUrl } : { appSubscribed: true };
}

export function parseWebhookConfiguration(response: unknown): PhoneNumberWebhookConfiguration {
	const config =
		isObj(response) && isObj(response.webhook_configuration) ? response.webhook_configuration : {};
	const out: PhoneNumberWebhookConfiguration = {};
	const phoneNumber = text(config.phone_number);
	const businessAccount = text(config.whatsapp_business_account);
	const application = text(config.application);
	if (phoneNumber) out.phoneNumber = phoneNumber;
	if (businessAccount) out.businessAccount = businessAccount;
	if (application) out.application = application;
	return out;
}

export function parseBusinessAccountPage(response: unknown): BusinessAccountPage {
	const accounts: BusinessAccountSummary[] = [];
	for (const item of list(response)) {
		const id = isObj(item) ? text(item.id) : undefined;
		if (!isObj(item) || !id) continue;
		const account: BusinessAccountSummary = { id };
		const name = text(item.name);
		const currency = text(item.currency);
		const timezoneId = text(item.timezone_id);
		if (name) account.name = name;
		if (currency) account.currency = currency;
		if (timezoneId) account.timezoneId = timezoneId;
		if (Array.isArray(item.tasks)) account.tasks = item.tasks.map(String);
		accounts.push(account);
	}
	const after = nextCursor(response);
	return after ? { accounts, after } : { accounts };
}

/** A number of the WABA whose own override is set, for this app. */
export interface NumberOverride {
	phoneNumberId: string;
	url: string;
}

/** `GET /{waba-id}/phone_numbers?fields=id,webhook_configuration`: the numbers with an override. */
export function parseNumberOverridePage(response: unknown): {
	overrides: NumberOverride[];
	after?: string;
} {
	const overrides: NumberOverride[] = [];
	for (const item of list(response)) {
		const phoneNumberId = isObj(item) ? text(item.id) : undefined;
		const url = parseWebhookConfiguration(item).phoneNumber;
		if (phoneNumberId && url) overrides.push({ phoneNumberId, url });
	}
	const after = nextCursor(response);
	return after ? { overrides, after } : { overrides };
}

/** Graph gives a cursor on every page; only `next` says another page exists. */
function nextCursor(response: unknown): string | undefined {
	const paging = isObj(response) && isObj(response.paging) ? response.paging : {};
	return text(paging.next) && isObj(paging.cursors) ? text(paging.cursors.after) : undefined;
}

/**
 * Whether unsubscribing the app from a WABA (`DELETE /{waba-id}/subscribed_apps`) is harmless: it
 * also silences every override of the app on that WABA and its numbers, which may be other
 * workflows' registrations.
 */
export function mayUnsubscribeApp(overrides: {
	businessAccount?: string;
	phoneNumbers: NumberOverride[];
}): boolean {
	return !overrides.businessAccount && overrides.phoneNumbers.length === 0;
}

/**
 * Whether a registered URL is this trigger's: exactly its URL. No normalisation, since another
 * path or host is another workflow's (or another n8n's) webhook.
 */
export function isOurs(registeredUrl: string | undefined, ourUrl: string): boolean {
	return registeredUrl !== undefined && registeredUrl !== '' && registeredUrl === ourUrl;
}

/** What the scope's override currently is, read from Graph before deciding anything. */
export interface OverrideState {
	scope: OverrideScope;
	/** Whether the app is subscribed to the WABA (of the number, for the number scope). */
	appSubscribed: boolean;
	/** The scope's current override, if any. */
	currentUrl?: string;
}

export type ActivationPlan =
	/** Already points here: change nothing (Meta is not asked again). */
	| { action: 'keep' }
	| {
			action: 'set';
			/**
			 * Subscribe the app to the WABA first (number scope, app not subscribed). Only then: Meta's
			 * way to subscribe is a POST without a body, which also clears the app's WABA override,
			 * so it must never be sent while the app is subscribed (the override may be another
			 * workflow's).
			 */
			subscribeAppFirst: boolean;
			/** If setting fails, unsubscribe the app again: it was not subscribed before. */
			unsubscribeOnFailure: boolean;
	  }
	/** Points at another URL: leave it, and fail the activation. */
	| { action: 'refuse'; currentUrl: string };

export function planActivation(state: OverrideState, ourUrl: string): ActivationPlan {
	if (isOurs(state.currentUrl, ourUrl)) return { action: 'keep' };
	if (state.currentUrl) return { action: 'refuse', currentUrl: state.currentUrl };
	return {
		action: 'set',
		subscribeAppFirst: state.scope === 'phoneNumber' && !state.appSubscribed,
		unsubscribeOnFailure: !state.appSubscribed,
	};
}

export type DeactivationPlan =
	| { action: 'remove' }
	/** `absent`: nothing is registered; `foreign`: it points elsewhere now and is not ours. */
	| { action: 'leave'; reason: 'absent' | 'foreign' };

/**
 * Deactivation removes the override only while it still points here. The app's WABA subscription
 * stays, so the app's own URL receives the events again.
 */
export function planDeactivation(currentUrl: string | undefined, ourUrl: string): DeactivationPlan {
	if (isOurs(currentUrl, ourUrl)) return { action: 'remove' };
	return { action: 'leave', reason: currentUrl ? 'foreign' : 'absent' };
}

/** Why `url` cannot be an override URL, or undefined when it can. */
export function overrideUrlProblem(url: string): string | undefined {
	if (url === '')
		return 'The webhook URL is empty: n8n did not report a production URL for this trigger';
	if (!/^https?:\/\//i.test(url)) return `The webhook URL ${url} is not an http(s) URL`;
	if (url.length > OVERRIDE_CALLBACK_URI_MAX_LENGTH)
		return `The webhook URL is ${url.length} characters long; Meta accepts at most ${OVERRIDE_CALLBACK_URI_MAX_LENGTH} for an override (override_callback_uri)`;
	return undefined;
}

/** What each trigger item says about the registration that delivered it. */
export interface DeliveredVia {
	/** `app`: the app's callback; otherwise the override of this WABA or number. */
	registration: RegistrationScope;
	/** The app ID, WABA ID or phone number ID the registration belongs to. */
	registrationId: string;
}

export function deliveredVia(
	scope: RegistrationScope,
	ids: { appId: string; wabaId?: string; phoneNumberId?: string },
): DeliveredVia {
	const registrationId =
		scope === 'phoneNumber'
			? ids.phoneNumberId
			: scope === 'businessAccount'
				? ids.wabaId
				: ids.appId;
	return { registration: scope, registrationId: registrationId ?? '' };
}
