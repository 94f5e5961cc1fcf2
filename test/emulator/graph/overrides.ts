/**
 * Where Meta sends each webhook: the app's callback (`/{app-id}/subscriptions`), the app's
 * subscription to each WABA (`/{waba-id}/subscribed_apps`, optionally with a WABA override) and
 * phone-number overrides (`POST /{phone-number-id}` with `webhook_configuration`).
 *
 * Behaviour per Meta's "Webhook overrides" page
 * (developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/override) and
 * fact sheet 2 §1: precedence number → WABA → app for the fields that honour overrides; other fields
 * always go to the app's URL; overrides belong to the app whose token set them; every override URL
 * passes the GET handshake before it is stored (a failure stores nothing).
 *
 * Leniency kept from the single-account emulator: the seeded app receives the seeded WABA's events
 * at its callback even before `POST /{waba}/subscribed_apps` (Meta's quick-start app is subscribed
 * to its test WABA). Every other app/WABA pair receives nothing until subscribed, and overrides
 * apply only while the app is subscribed.
 */
import { GraphError } from '../errors';
import type { RequestContext } from '../server';
import { bodyParams } from '../server';
import type { WebhookPayload } from '../webhooks';
import { verifyHandshake } from '../webhooks';
import type { Accounts, Caller } from './accounts';
import { MANAGEMENT } from './accounts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) =>
	typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/** Which registration a delivery went to. */
export type RegistrationLevel = 'phone_number' | 'business_account' | 'app';

/** The webhook fields Meta routes through overrides; all others always go to the app's URL. */
export const OVERRIDABLE_FIELDS: ReadonlySet<string> = new Set([
	'messages',
	'message_echoes',
	'calls',
	'consumer_profile',
	'messaging_handovers',
	'standby',
	'group_lifecycle_update',
	'group_participants_update',
	'group_settings_update',
	'group_status_update',
	'smb_message_echoes',
	'smb_app_state_sync',
	'history',
	'account_settings_update',
]);

/** `override_callback_uri` limit (M-OVR). */
export const OVERRIDE_URI_MAX_LENGTH = 200;

/** One entry of `GET /{app-id}/subscriptions`. */
export interface Subscription {
	object: string;
	callback_url: string;
	active: boolean;
	fields: { name: string; version: string }[];
}

interface Override {
	uri: string;
	verifyToken: string;
}

/** One POST the emulator makes for a delivery: which app, which URL, which registration. */
export interface DeliveryTarget {
	appId: string;
	url: string;
	registration: RegistrationLevel;
	/** The payload for this URL; undefined = the original bytes (nothing split off). */
	payload?: WebhookPayload;
}

/** Snapshot for tests and the control API. */
export interface RegistrationsView {
	appCallbacks: { appId: string; url: string }[];
	subscribedApps: { wabaId: string; appId: string; overrideCallbackUri?: string }[];
	phoneNumberOverrides: { phoneNumberId: string; appId: string; overrideCallbackUri: string }[];
}

export interface RegistrationsEnv {
	apiVersion: string;
	handshakeTimeoutMs: () => number;
	/** Business Management call accounting (80007). */
	countBusinessCall: (c: RequestContext) => void;
}

export class Registrations {
	private appSubscriptions = new Map<string, (Subscription & { verifyToken: string })[]>();
	private callbacks = new Map<string, { url: string; verifyToken?: string }>();
	/** WABA ID → app ID → its WABA override (null: subscribed without one). */
	private wabaApps = new Map<string, Map<string, Override | null>>();
	/** Phone number ID → app ID → its override. */
	private numberOverrides = new Map<string, Map<string, Override>>();

	constructor(
		private readonly accounts: Accounts,
		private readonly env: RegistrationsEnv,
	) {}

	reset(): void {
		this.appSubscriptions.clear();
		this.callbacks.clear();
		this.wabaApps.clear();
		this.numberOverrides.clear();
	}

	callbackOf(appId: string): { url: string; verifyToken?: string } | undefined {
		return this.callbacks.get(appId);
	}

	setCallback(appId: string, callback: { url: string; verifyToken?: string } | undefined): void {
		if (callback) this.callbacks.set(appId, callback);
		else this.callbacks.delete(appId);
	}

	subscriptionsOf(appId: string): Subscription[] {
		return (this.appSubscriptions.get(appId) ?? []).map(({ verifyToken: _v, ...s }) => s);
	}

	/** Handles the registration endpoints; false when the request is not one of them. */
	async handle(
		node: string,
		edge: string | undefined,
		method: string,
		c: RequestContext,
		caller: Caller,
	): Promise<boolean> {
		if (edge === 'subscriptions') return await this.appSubscriptionsEdge(node, method, c, caller);
		if (edge === 'subscribed_apps') return await this.subscribedAppsEdge(node, method, c, caller);
		if (!edge && method === 'POST' && this.accounts.phone(node))
			return await this.postPhoneNumber(node, c, caller);
		return false;
	}

	/** `webhook_configuration` of a number as the app sees it; keys absent when unset. */
	webhookConfiguration(phoneNumberId: string, appId: string): Obj {
		const out: Obj = {};
		const number = this.numberOverrides.get(phoneNumberId)?.get(appId);
		if (number) out.phone_number = number.uri;
		const waba = this.accounts.wabaOfNumber(phoneNumberId);
		const wabaOverride = waba ? this.wabaApps.get(waba.id)?.get(appId) : undefined;
		if (wabaOverride) out.whatsapp_business_account = wabaOverride.uri;
		const callback = this.callbacks.get(appId);
		if (callback) out.application = callback.url;
		return out;
	}

	/** Adds `webhook_configuration` to a phone number's JSON when `fields` asks for it. */
	withWebhookConfiguration(json: Obj, fields: string | null, appId: string): Obj {
		const wanted = (fields ?? '').split(',').some((f) => f.trim() === 'webhook_configuration');
		if (!wanted) return json;
		return { ...json, webhook_configuration: this.webhookConfiguration(String(json.id), appId) };
	}

	/**
	 * The POSTs one delivery makes: per receiving app, each change goes to the URL Meta's precedence
	 * picks; changes bound for the same URL share one POST. A payload without routable changes
	 * (raw text, no entries) goes to the seeded app's callback, as before overrides existed.
	 */
	route(body: string): DeliveryTarget[] {
		let parsed: unknown;
		try {
			parsed = JSON.parse(body);
		} catch {
			parsed = undefined;
		}
		const entries = isObj(parsed) && Array.isArray(parsed.entry) ? parsed.entry : [];
		const changes = entries.flatMap((entry: unknown, entryIndex: number) =>
			isObj(entry) && Array.isArray(entry.changes)
				? entry.changes.map((change: unknown) => ({ entryIndex, entry, change }))
				: [],
		) as { entryIndex: number; entry: Obj; change: Obj }[];
		const fallback = (): DeliveryTarget[] => {
			const appId = this.accounts.defaultAppId;
			const callback = this.callbacks.get(appId);
			return callback ? [{ appId, url: callback.url, registration: 'app' }] : [];
		};
		if (changes.length === 0) return fallback();

		const groups = new Map<string, DeliveryTarget & { picked: typeof changes }>();
		for (const appId of this.receivingApps()) {
			for (const item of changes) {
				const value = isObj(item.change.value) ? item.change.value : {};
				const metadata = isObj(value.metadata) ? value.metadata : {};
				const target = this.resolve(
					appId,
					String(item.entry.id ?? ''),
					str(metadata.phone_number_id),
					String(item.change.field ?? ''),
				);
				if (!target) continue;
				const key = `${appId} ${target.url}`;
				const group = groups.get(key) ?? { appId, ...target, picked: [] };
				group.picked.push(item);
				groups.set(key, group);
			}
		}
		return [...groups.values()].map(({ picked, ...target }) => {
			if (picked.length === changes.length) return target;
			// Only part of a batched payload goes here: rebuild it with just those changes.
			const byEntry = new Map<number, Obj[]>();
			for (const p of picked)
				byEntry.set(p.entryIndex, [...(byEntry.get(p.entryIndex) ?? []), p.change]);
			const payload = {
				...(parsed as Obj),
				entry: [...byEntry].map(([index, kept]) => ({ ...(entries[index] as Obj), changes: kept })),
			} as unknown as WebhookPayload;
			return { ...target, payload };
		});
	}

	/** Meta's precedence for one change, for one app. */
	resolve(
		appId: string,
		wabaId: string,
		phoneNumberId: string | undefined,
		field: string,
	): { url: string; registration: RegistrationLevel } | undefined {
		const subscription = this.wabaApps.get(wabaId);
		const subscribed = subscription?.has(appId) ?? false;
		const implicit = appId === this.accounts.defaultAppId && wabaId === this.accounts.defaultWabaId;
		if (!subscribed && !implicit) return undefined;
		if (subscribed && OVERRIDABLE_FIELDS.has(field)) {
			const number = phoneNumberId
				? this.numberOverrides.get(phoneNumberId)?.get(appId)
				: undefined;
			if (number) return { url: number.uri, registration: 'phone_number' };
			const waba = subscription?.get(appId);
			if (waba) return { url: waba.uri, registration: 'business_account' };
		}
		const callback = this.callbacks.get(appId);
		return callback ? { url: callback.url, registration: 'app' } : undefined;
	}

	/** The seeded app first (so `deliver()` answers with its POST), then the others. */
	private receivingApps(): string[] {
		const apps = new Set<string>([this.accounts.defaultAppId]);
		for (const subscribed of this.wabaApps.values())
			for (const appId of subscribed.keys()) apps.add(appId);
		return [...apps];
	}

	view(): RegistrationsView {
		return {
			appCallbacks: [...this.callbacks].map(([appId, c]) => ({ appId, url: c.url })),
			subscribedApps: [...this.wabaApps].flatMap(([wabaId, apps]) =>
				[...apps].map(([appId, override]) => ({
					wabaId,
					appId,
					...(override ? { overrideCallbackUri: override.uri } : {}),
				})),
			),
			phoneNumberOverrides: [...this.numberOverrides].flatMap(([phoneNumberId, apps]) =>
				[...apps].map(([appId, override]) => ({
					phoneNumberId,
					appId,
					overrideCallbackUri: override.uri,
				})),
			),
		};
	}

	// -------------------------------------------------------------------------------------------
	// Endpoints

	/** Meta answers 2200 when its GET handshake against the URL fails; nothing is stored then. */
	private async handshake(url: string, verifyToken: string): Promise<void> {
		const v = await verifyHandshake(url, verifyToken, this.env.handshakeTimeoutMs());
		if (v.ok) return;
		throw new GraphError(
			2200,
			`Callback verification failed with the following errors: HTTP Status Code = ${v.status ?? 'none'}; HTTP Message = ${v.error ?? (v.status === 200 ? 'challenge mismatch' : 'error')}`,
		);
	}

	private requireOverrideUri(uri: string, verifyToken: string | undefined, param: string) {
		if (!verifyToken)
			throw new GraphError(100, `The parameter verify_token is required with ${param}.`);
		if (uri.length > OVERRIDE_URI_MAX_LENGTH)
			throw new GraphError(
				100,
				`Param ${param} must be at most ${OVERRIDE_URI_MAX_LENGTH} characters long.`,
			);
		if (!/^https?:\/\//i.test(uri)) throw new GraphError(100, `Param ${param} must be a URL.`);
	}

	/** `/{app-id}/subscriptions`: the app's own callback URL (the last step of the precedence). */
	private async appSubscriptionsEdge(
		appId: string,
		method: string,
		c: RequestContext,
		caller: Caller,
	) {
		const app = this.accounts.app(appId);
		if (!app)
			throw new GraphError(100, `Object with ID '${appId}' does not exist or is not an app.`);
		const p = bodyParams(c);
		const appToken = str(p.access_token);
		// The edge takes the app token, as a parameter or in the header; a wrong one is refused
		// (absent: the bearer token is accepted).
		const wrongHeaderApp = caller.systemUserId === '' && caller.appId !== app.id;
		if ((appToken !== undefined && appToken !== `${app.id}|${app.secret}`) || wrongHeaderApp)
			throw new GraphError(190, 'Invalid OAuth access token - Cannot parse access token');
		const list = this.appSubscriptions.get(appId) ?? [];
		if (method === 'GET') {
			c.send(200, { data: this.subscriptionsOf(appId) });
			return true;
		}
		if (method === 'POST') {
			const object = str(p.object);
			const callbackUrl = str(p.callback_url);
			const verifyToken = str(p.verify_token);
			if (!object) throw new GraphError(100, 'The parameter object is required.');
			if (object !== 'whatsapp_business_account')
				throw new GraphError(100, 'Param object must be whatsapp_business_account.');
			if (!callbackUrl) throw new GraphError(100, 'The parameter callback_url is required.');
			if (!verifyToken) throw new GraphError(100, 'The parameter verify_token is required.');
			const fields = (
				Array.isArray(p.fields) ? p.fields.map(String) : String(p.fields ?? 'messages').split(',')
			)
				.map((f) => f.trim())
				.filter(Boolean);
			await this.handshake(callbackUrl, verifyToken);
			this.appSubscriptions.set(appId, [
				...list.filter((s) => s.object !== object),
				{
					object,
					callback_url: callbackUrl,
					active: true,
					fields: fields.map((name) => ({ name, version: this.env.apiVersion })),
					verifyToken,
				},
			]);
			this.callbacks.set(appId, { url: callbackUrl, verifyToken });
			c.send(200, { success: true });
			return true;
		}
		if (method === 'DELETE') {
			const object = str(p.object);
			const removed = list.filter((s) => !object || s.object === object);
			this.appSubscriptions.set(
				appId,
				list.filter((s) => !removed.includes(s)),
			);
			if (removed.some((s) => s.callback_url === this.callbacks.get(appId)?.url))
				this.callbacks.delete(appId);
			c.send(200, { success: true });
			return true;
		}
		throw new GraphError(100, `Unsupported ${method} request.`);
	}

	/**
	 * `/{waba-id}/subscribed_apps`. POST subscribes the token's app; with `override_callback_uri`
	 * (+ `verify_token`) it also sets the app's WABA override, without it it clears that override
	 * (pywa's `delete_waba_alternate_callback_url`). DELETE unsubscribes the app entirely.
	 */
	private async subscribedAppsEdge(
		wabaId: string,
		method: string,
		c: RequestContext,
		caller: Caller,
	) {
		this.accounts.requireWaba(wabaId, caller, MANAGEMENT, method);
		this.env.countBusinessCall(c);
		const apps = this.wabaApps.get(wabaId) ?? new Map<string, Override | null>();
		if (method === 'GET') {
			const data = [...apps].map(([appId, override]) => ({
				whatsapp_business_api_data: {
					id: appId,
					link: `https://www.facebook.com/games/?app_id=${appId}`,
					name: this.accounts.app(appId)?.name ?? `App ${appId}`,
				},
				...(override ? { override_callback_uri: override.uri } : {}),
			}));
			c.send(200, { data });
			return true;
		}
		if (method === 'POST') {
			const p = bodyParams(c);
			const uri = str(p.override_callback_uri);
			let override: Override | null = null;
			if (uri) {
				const verifyToken = str(p.verify_token);
				this.requireOverrideUri(uri, verifyToken, 'override_callback_uri');
				await this.handshake(uri, verifyToken!);
				override = { uri, verifyToken: verifyToken! };
			}
			apps.set(caller.appId, override);
			this.wabaApps.set(wabaId, apps);
			c.send(200, { success: true });
			return true;
		}
		if (method === 'DELETE') {
			apps.delete(caller.appId);
			c.send(200, { success: true });
			return true;
		}
		throw new GraphError(100, `Unsupported ${method} request.`);
	}

	/**
	 * `POST /{phone-number-id}` with `webhook_configuration`: `override_callback_uri` + `verify_token`
	 * sets the app's number override, an empty `override_callback_uri` removes it. Other bodies are
	 * not this feature's (false).
	 */
	private async postPhoneNumber(phoneNumberId: string, c: RequestContext, caller: Caller) {
		const p = bodyParams(c);
		if (!('webhook_configuration' in p)) return false;
		// [U] whether whatsapp_business_messaging alone suffices is undocumented: require management.
		const { waba } = this.accounts.requirePhone(phoneNumberId, caller, MANAGEMENT, 'POST');
		this.env.countBusinessCall(c);
		const config = p.webhook_configuration;
		if (!isObj(config))
			throw new GraphError(100, 'Param webhook_configuration must be a JSON object.');
		const uri = str(config.override_callback_uri);
		if (uri === undefined)
			throw new GraphError(
				100,
				'The parameter webhook_configuration[override_callback_uri] is required.',
			);
		const overrides = this.numberOverrides.get(phoneNumberId) ?? new Map<string, Override>();
		if (uri === '') {
			overrides.delete(caller.appId);
			c.send(200, { success: true });
			return true;
		}
		const verifyToken = str(config.verify_token);
		this.requireOverrideUri(uri, verifyToken, 'webhook_configuration[override_callback_uri]');
		// Meta's prerequisite: the app is subscribed to the number's WABA. [U] the exact error.
		if (!this.wabaApps.get(waba.id)?.has(caller.appId))
			throw new GraphError(
				100,
				`The app ${caller.appId} is not subscribed to WhatsApp Business Account ${waba.id}; subscribe it with POST /${waba.id}/subscribed_apps before overriding a number's callback URL.`,
			);
		await this.handshake(uri, verifyToken!);
		overrides.set(caller.appId, { uri, verifyToken: verifyToken! });
		this.numberOverrides.set(phoneNumberId, overrides);
		c.send(200, { success: true });
		return true;
	}
}
