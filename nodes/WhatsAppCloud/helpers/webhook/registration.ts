/**
 * Pure parts of automatic webhook registration: reading Graph's subscription lists and deciding
 * what belongs to this trigger. The HTTP calls live in the trigger node (through the transport).
 */

export const WHATSAPP_OBJECT = 'whatsapp_business_account';

/** One entry of `GET /{app-id}/subscriptions` → `data[]`. */
export interface AppSubscription {
	object: string;
	callback_url?: string;
	active?: boolean;
	fields?: Array<{ name: string; version?: string }>;
}

/** One entry of `GET /{waba-id}/subscribed_apps` → `data[]`. */
export interface SubscribedApp {
	whatsapp_business_api_data?: { id?: string; name?: string; link?: string };
	override_callback_uri?: string;
}

function dataList(response: unknown): unknown[] {
	const data = (response as { data?: unknown } | null)?.data;
	return Array.isArray(data) ? data : [];
}

/** The app's `whatsapp_business_account` subscription, if any. */
export function whatsAppSubscription(response: unknown): AppSubscription | undefined {
	return dataList(response).find(
		(entry): entry is AppSubscription =>
			typeof entry === 'object' &&
			entry !== null &&
			(entry as AppSubscription).object === WHATSAPP_OBJECT,
	);
}

/** Whether the subscription is active, points at `url` and covers every field in `fields`. */
export function appSubscriptionPointsAt(
	subscription: AppSubscription | undefined,
	url: string,
	fields: string[],
): boolean {
	if (!subscription || subscription.active === false || subscription.callback_url !== url)
		return false;
	const subscribed = new Set((subscription.fields ?? []).map((field) => field.name));
	return fields.every((field) => subscribed.has(field));
}

/** Whether `appId` is among a WABA's subscribed apps. */
export function wabaHasApp(response: unknown, appId: string): boolean {
	return dataList(response).some(
		(entry) => String((entry as SubscribedApp)?.whatsapp_business_api_data?.id ?? '') === appId,
	);
}

/**
 * The app access token `{app-id}|{app-secret}`: Graph's `/{app-id}/subscriptions` edge requires an
 * app token, which a system-user token is not.
 */
export function appAccessToken(appId: string, appSecret: string): string {
	return `${appId}|${appSecret}`;
}
