/**
 * Who exists and who may see what: Meta apps, business portfolios, WhatsApp Business Accounts with
 * their numbers, and access tokens (each a system user's, generated for one app). The seeded set is
 * one app, one portfolio, one WABA with the three seed numbers and one admin token, so everything
 * that ran against the single-account emulator runs unchanged.
 *
 * Access follows Meta's system-user model (developers.facebook.com/documentation/business-messaging/
 * whatsapp/access-tokens): an admin system user reaches every WABA its portfolio owns or has been
 * shared; an employee only the WABAs assigned to it. A WABA the token cannot reach answers like an
 * unknown object (code 100); one it reaches without the needed permission answers code 200.
 */
import type * as http from 'node:http';
import { timingSafeEqual } from 'node:crypto';

import { GraphError } from '../errors';
import {
	DEFAULT_APP_NAME,
	DEFAULT_BUSINESS_NAME,
	DEFAULT_BUSINESS_PORTFOLIO_ID,
	DEFAULT_SYSTEM_USER_ID,
	PhoneNumberSeed,
	phoneNumberSeed,
} from '../seed';
import { page } from './phoneNumbers';

type Obj = Record<string, unknown>;

export const MANAGEMENT = 'whatsapp_business_management';
export const MESSAGING = 'whatsapp_business_messaging';
export type WhatsAppPermission = typeof MANAGEMENT | typeof MESSAGING;

export interface AppSeed {
	id: string;
	secret: string;
	name?: string;
}

export interface BusinessPortfolioSeed {
	id: string;
	name?: string;
}

/** A number as tests write it; the rest comes from the seed's defaults. */
export interface NumberSeed {
	id: string;
	/** Digits with country code, e.g. "15550783891". */
	displayPhoneNumber: string;
	verifiedName?: string;
	throughput?: 'STANDARD' | 'HIGH';
}

export interface BusinessAccountSeed {
	id: string;
	name?: string;
	/** The portfolio that owns it; default the seeded portfolio. */
	ownerBusinessId?: string;
	/** Portfolios it is shared with (a Tech Provider's clients appear there). */
	sharedWith?: string[];
	phoneNumbers?: Array<NumberSeed | PhoneNumberSeed>;
	currency?: string;
	timezoneId?: string;
}

export interface TokenSeed {
	token: string;
	/** The app the token was generated for: WABA subscriptions made with it are this app's. */
	appId: string;
	systemUserId: string;
	systemUserName?: string;
	/** The system user's portfolio; default the seeded portfolio. */
	businessId?: string;
	/** WABAs assigned to the system user; '*' (default): an admin, reaching all its portfolio's. */
	businessAccountIds?: string[] | '*';
	/** Permissions granted to the app through this token; default both WhatsApp permissions. */
	permissions?: WhatsAppPermission[];
}

export interface AccountsSeed {
	apps?: AppSeed[];
	businesses?: BusinessPortfolioSeed[];
	businessAccounts?: BusinessAccountSeed[];
	tokens?: TokenSeed[];
}

export interface BusinessAccount {
	id: string;
	name: string;
	ownerBusinessId: string;
	sharedWith: string[];
	currency: string;
	timezoneId: string;
	phoneNumbers: PhoneNumberSeed[];
}

export interface Caller {
	token: string;
	appId: string;
	systemUserId: string;
	systemUserName: string;
	businessId: string;
	businessAccountIds: string[] | '*';
	permissions: WhatsAppPermission[];
}

export interface AccountDefaults {
	token: string;
	appId: string;
	appSecret: string;
	wabaId: string;
	wabaName: string;
	phoneNumbers: PhoneNumberSeed[];
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const notFound = (method: string, id: string) =>
	new GraphError(
		100,
		`Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
	);

function toPhoneNumber(n: NumberSeed | PhoneNumberSeed): PhoneNumberSeed {
	if ('display_phone_number' in n) return clone(n);
	return phoneNumberSeed(
		n.id,
		n.displayPhoneNumber.replace(/\D/g, ''),
		n.verifiedName ?? `Number ${n.id}`,
		n.throughput ?? 'STANDARD',
		'GREEN',
		'TIER_1K',
	);
}

export class Accounts {
	private apps = new Map<string, AppSeed>();
	private businesses = new Map<string, BusinessPortfolioSeed>();
	private wabas = new Map<string, BusinessAccount>();
	private tokens = new Map<string, Caller>();

	constructor(
		private readonly defaults: AccountDefaults,
		private readonly startSeed: AccountsSeed = {},
	) {
		this.reset();
	}

	/** The seeded accounts plus those given at start; runtime additions are dropped. */
	reset(): void {
		this.apps.clear();
		this.businesses.clear();
		this.wabas.clear();
		this.tokens.clear();
		const d = this.defaults;
		this.add({
			apps: [{ id: d.appId, secret: d.appSecret, name: DEFAULT_APP_NAME }],
			businesses: [{ id: DEFAULT_BUSINESS_PORTFOLIO_ID, name: DEFAULT_BUSINESS_NAME }],
			businessAccounts: [{ id: d.wabaId, name: d.wabaName, phoneNumbers: d.phoneNumbers }],
			tokens: [
				{
					token: d.token,
					appId: d.appId,
					systemUserId: DEFAULT_SYSTEM_USER_ID,
					systemUserName: 'Emulator System User',
				},
			],
		});
		this.add(this.startSeed);
	}

	/** Adds or replaces (by ID, or by token string) what the seed names. */
	add(seed: AccountsSeed): void {
		for (const app of seed.apps ?? []) {
			if (!app.id || !app.secret) throw new GraphError(100, 'An app needs id and secret.');
			this.apps.set(app.id, { ...app });
		}
		for (const b of seed.businesses ?? []) this.businesses.set(b.id, { ...b });
		for (const w of seed.businessAccounts ?? []) {
			if (!w.id) throw new GraphError(100, 'A business account needs an id.');
			const numbers = (w.phoneNumbers ?? []).map(toPhoneNumber);
			for (const n of numbers) {
				const owner = this.wabaOfNumber(n.id);
				if (owner && owner.id !== w.id)
					throw new GraphError(100, `Phone number ${n.id} already belongs to WABA ${owner.id}.`);
			}
			const ownerBusinessId = w.ownerBusinessId ?? DEFAULT_BUSINESS_PORTFOLIO_ID;
			if (!this.businesses.has(ownerBusinessId))
				this.businesses.set(ownerBusinessId, { id: ownerBusinessId });
			this.wabas.set(w.id, {
				id: w.id,
				name: w.name ?? `Business account ${w.id}`,
				ownerBusinessId,
				sharedWith: [...(w.sharedWith ?? [])],
				currency: w.currency ?? 'USD',
				timezoneId: w.timezoneId ?? '1',
				phoneNumbers: numbers,
			});
		}
		for (const t of seed.tokens ?? []) {
			if (!t.token || !t.appId || !t.systemUserId)
				throw new GraphError(100, 'A token needs token, appId and systemUserId.');
			if (!this.apps.has(t.appId)) throw new GraphError(100, `Unknown app ${t.appId} for a token.`);
			this.tokens.set(t.token, {
				token: t.token,
				appId: t.appId,
				systemUserId: t.systemUserId,
				systemUserName: t.systemUserName ?? `System user ${t.systemUserId}`,
				businessId: t.businessId ?? DEFAULT_BUSINESS_PORTFOLIO_ID,
				businessAccountIds: t.businessAccountIds ?? '*',
				permissions: t.permissions ?? [MANAGEMENT, MESSAGING],
			});
		}
	}

	app(id: string): AppSeed | undefined {
		return this.apps.get(id);
	}

	get defaultAppId(): string {
		return this.defaults.appId;
	}

	get defaultWabaId(): string {
		return this.defaults.wabaId;
	}

	waba(id: string): BusinessAccount | undefined {
		return this.wabas.get(id);
	}

	phone(id: string): PhoneNumberSeed | undefined {
		return this.wabaOfNumber(id)?.phoneNumbers.find((p) => p.id === id);
	}

	wabaOfNumber(phoneNumberId: string): BusinessAccount | undefined {
		for (const w of this.wabas.values())
			if (w.phoneNumbers.some((p) => p.id === phoneNumberId)) return w;
		return undefined;
	}

	allNumbers(): PhoneNumberSeed[] {
		return [...this.wabas.values()].flatMap((w) => w.phoneNumbers);
	}

	/** The caller behind `Authorization: Bearer …` (or `OAuth …`), compared in constant time. */
	caller(req: http.IncomingMessage): Caller | undefined {
		// Graph takes the token as `Bearer` or `OAuth` (the Resumable Upload docs use the latter).
		const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(req.headers.authorization ?? '');
		if (!m) return undefined;
		const given = Buffer.from(m[1].trim());
		for (const [token, caller] of this.tokens) {
			const known = Buffer.from(token);
			if (known.length === given.length && timingSafeEqual(known, given)) return caller;
		}
		return this.appCaller(given.toString());
	}

	/**
	 * An app access token `{app-id}|{app-secret}` in the header, as Graph takes it too: the app
	 * itself, with no business, account or permission behind it (it manages the app's webhook).
	 */
	private appCaller(token: string): Caller | undefined {
		const [appId, secret] = token.split('|');
		const app = secret === undefined ? undefined : this.apps.get(appId);
		if (!app) return undefined;
		const known = Buffer.from(app.secret);
		const given = Buffer.from(secret);
		if (known.length !== given.length || !timingSafeEqual(known, given)) return undefined;
		return {
			token,
			appId,
			systemUserId: '',
			systemUserName: '',
			businessId: '',
			businessAccountIds: [],
			permissions: [],
		};
	}

	/** Whether the token's system user can see this WABA at all. */
	reaches(caller: Caller, waba: BusinessAccount): boolean {
		if (caller.businessAccountIds !== '*') return caller.businessAccountIds.includes(waba.id);
		return (
			waba.ownerBusinessId === caller.businessId || waba.sharedWith.includes(caller.businessId)
		);
	}

	/** The WABA, or Meta's error: 100 when unknown or out of the token's reach, 200 without permission. */
	requireWaba(
		id: string,
		caller: Caller,
		permission: WhatsAppPermission = MANAGEMENT,
		method = 'GET',
	): BusinessAccount {
		const waba = this.wabas.get(id);
		if (!waba || !this.reaches(caller, waba)) throw notFound(method, id);
		this.requirePermission(caller, permission);
		return waba;
	}

	/** A number of a WABA the token reaches, else Meta's error (as `requireWaba`). */
	requirePhone(
		id: string,
		caller: Caller,
		permission: WhatsAppPermission,
		method = 'GET',
	): { phone: PhoneNumberSeed; waba: BusinessAccount } {
		const waba = this.wabaOfNumber(id);
		const phone = waba?.phoneNumbers.find((p) => p.id === id);
		if (!waba || !phone || !this.reaches(caller, waba)) throw notFound(method, id);
		this.requirePermission(caller, permission);
		return { phone, waba };
	}

	private requirePermission(caller: Caller, permission: WhatsAppPermission) {
		if (!caller.permissions.includes(permission))
			throw new GraphError(
				200,
				`The app has not been granted ${permission} through this access token.`,
			);
	}

	/** The WABA node as Graph shows it (`fields` narrows it; `id` always). */
	wabaJson(w: BusinessAccount, fields: string | null, extra: Obj = {}): Obj {
		const all: Obj = {
			id: w.id,
			name: w.name,
			currency: w.currency,
			timezone_id: w.timezoneId,
			message_template_namespace: `namespace_${w.id}`,
			...extra,
		};
		if (w.id === this.defaults.wabaId) all.message_template_namespace = 'emulator_namespace';
		if (!fields) return all;
		const out: Obj = { id: w.id };
		for (const f of fields.split(',').map((s) => s.trim())) if (f in all) out[f] = all[f];
		return out;
	}

	/**
	 * `GET /me`, `GET /{waba-id}`, and the edges listing business accounts:
	 * `/{system-user-id}/assigned_whatsapp_business_accounts` (what the token's user was given),
	 * `/{business-id}/owned_whatsapp_business_accounts` and `/client_whatsapp_business_accounts`.
	 * Returns the response body, or undefined when the path is not one of these.
	 */
	read(
		node: string,
		edge: string | undefined,
		method: string,
		params: URLSearchParams,
		caller: Caller,
		selfUrl: string,
	): Obj | undefined {
		if (method !== 'GET') return undefined;
		const fields = params.get('fields');
		if (!edge && (node === 'me' || node === caller.systemUserId))
			return { id: caller.systemUserId, name: caller.systemUserName };
		if (!edge && this.wabas.has(node)) return this.wabaJson(this.requireWaba(node, caller), fields);
		if (edge === 'assigned_whatsapp_business_accounts') {
			if (node !== 'me' && node !== caller.systemUserId) throw notFound(method, node);
			const tasks = caller.permissions.includes(MANAGEMENT) ? ['MANAGE', 'DEVELOP'] : ['DEVELOP'];
			const list = [...this.wabas.values()]
				.filter((w) => this.reaches(caller, w))
				.map((w) => this.wabaJson(w, fields, { tasks }));
			return this.paged(list, params, selfUrl);
		}
		if (
			edge === 'owned_whatsapp_business_accounts' ||
			edge === 'client_whatsapp_business_accounts'
		) {
			// A portfolio's lists are visible to its own system users only.
			if (!this.businesses.has(node) || node !== caller.businessId) throw notFound(method, node);
			const owned = edge === 'owned_whatsapp_business_accounts';
			const list = [...this.wabas.values()]
				.filter((w) => (owned ? w.ownerBusinessId === node : w.sharedWith.includes(node)))
				.map((w) => this.wabaJson(w, fields));
			return this.paged(list, params, selfUrl);
		}
		return undefined;
	}

	private paged(list: Obj[], params: URLSearchParams, selfUrl: string): Obj {
		const paged = page(list, params, selfUrl);
		if (!paged) throw new GraphError(100, 'Invalid cursor');
		return paged as unknown as Obj;
	}

	/** For the control API: the whole directory, secrets and tokens included (it is a test tool). */
	snapshot(): Obj {
		return {
			apps: [...this.apps.values()],
			businesses: [...this.businesses.values()],
			businessAccounts: [...this.wabas.values()].map((w) => ({
				...w,
				phoneNumbers: w.phoneNumbers.map((p) => ({
					id: p.id,
					display_phone_number: p.display_phone_number,
					verified_name: p.verified_name,
				})),
			})),
			tokens: [...this.tokens.values()],
		};
	}
}
