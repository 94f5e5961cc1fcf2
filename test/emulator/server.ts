/** The emulator: HTTP routing, Graph handlers, limits, faults, recording, webhook delivery. */
import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { handleControl } from './control';
import { GraphError, errorBody, httpStatusFor } from './errors';
import {
	DEFAULT_FAULTS,
	ErrorQueue,
	FaultSettings,
	LatencySpec,
	gatewayPage,
	normalizeRecipient,
	sampleLatency,
} from './faults';
import { FlowClient } from './flowClient';
import { FlowStore } from './graph/flows';
import { AccountApi } from './graph/account';
import { CallingApi } from './graph/calling';
import { CommerceApi } from './graph/commerce';
import { Accounts, AccountsSeed, Caller, MANAGEMENT, MESSAGING } from './graph/accounts';
import {
	DEFAULT_MARKETING_MESSAGES,
	MarketingMessagesSettings,
	MarketingServedBy,
	checkCloudApiMarketing,
	marketingRoute,
	onboardingFields,
	splitMarketingBody,
} from './graph/marketingMessages';
import { MediaStore, parseMultipart, validateUpload } from './graph/media';
import { redirectMediaDownload } from './graph/mediaRedirect';
import { validateMessageRequest } from './graph/messages';
import { Registrations, RegistrationLevel, Subscription } from './graph/overrides';
import { page, phoneJson } from './graph/phoneNumbers';
import { TemplateStore, templateJson } from './graph/templates';
import { BusinessRateSettings, Limits, PairRateSettings } from './limits';
import { B64_CHARS, Prng } from './random';
import {
	DEFAULT_API_VERSION,
	DEFAULT_APP_ID,
	DEFAULT_APP_SECRET,
	DEFAULT_BUSINESS_NAME,
	DEFAULT_TOKEN,
	DEFAULT_WABA_ID,
	PhoneNumberSeed,
	SEED_MEDIA,
	SEED_PHONE_NUMBERS,
	displayDigits,
} from './seed';
export type { Subscription } from './graph/overrides';
import {
	DeliveryOptions,
	DeliveryResult,
	EnvelopeContext,
	InboundItem,
	MediaRef,
	SenderOptions,
	StatusKind,
	StatusOptions,
	WebhookPayload,
	bsuidFor,
	errorsPayload,
	fieldPayload,
	messages as msgBuilders,
	messagesPayload,
	postOnce,
	serialize,
	sign,
	status as statusBuilder,
	statusesPayload,
	verifyHandshake,
} from './webhooks';

type Obj = Record<string, unknown>;

export interface AutoStatusSettings {
	/** Emit sent → delivered → read webhooks for every accepted message. */
	enabled: boolean;
	sentMs: number;
	deliveredMs: number;
	/** null = never read. */
	readMs: number | null;
	/** Recipients whose messages fail asynchronously with this code (a `failed` status after `sent`). */
	failFor: Record<string, number>;
}

export interface WebhookSettings {
	maxAttempts: number;
	/** Retry n waits retryBaseMs × 2^(n-1) (Meta: minutes to days; shortened for tests). */
	retryBaseMs: number;
	timeoutMs: number;
	escapeUnicode: boolean;
}

export interface EmulatorSettings {
	/** Throughput for STANDARD numbers (Meta default 80 msg/s). */
	messagesPerSecond: number;
	/** Throughput for numbers with throughput.level HIGH (Meta: 1000 msg/s). */
	highMessagesPerSecond: number;
	/** Per phone-number-id override of the rate. */
	throughputOverrides: Record<string, number>;
	/** Bucket capacity in seconds of rate (1 = one second's worth). */
	burstSeconds: number;
	pairRate: PairRateSettings;
	businessRate: BusinessRateSettings;
	latency: LatencySpec;
	faults: FaultSettings;
	/** Lifetime of media download URLs (Meta: ~5 minutes). */
	mediaUrlTtlMs: number;
	/** Origin media downloads are redirected to with a 302 ('' = served here, as Meta does). */
	mediaDownloadRedirect: string;
	autoStatuses: AutoStatusSettings;
	webhook: WebhookSettings;
	marketingMessages: MarketingMessagesSettings;
}

export interface EmulatorOptions extends EmulatorSettings {
	port: number;
	host: string;
	token: string;
	appSecret: string;
	apiVersion: string;
	appId: string;
	wabaId: string;
	seed: number;
	phoneNumbers: PhoneNumberSeed[];
	/** More apps, portfolios, WABAs (with numbers) and tokens besides the seeded ones. */
	accounts: AccountsSeed;
}

/** Partial settings; nested objects merge one level deep, `latency` is replaced whole. */
export type SettingsPatch = Partial<
	Omit<
		EmulatorSettings,
		'pairRate' | 'businessRate' | 'faults' | 'autoStatuses' | 'webhook' | 'marketingMessages'
	>
> & {
	marketingMessages?: Partial<MarketingMessagesSettings>;
	pairRate?: Partial<PairRateSettings>;
	businessRate?: Partial<BusinessRateSettings>;
	faults?: Partial<FaultSettings>;
	autoStatuses?: Partial<AutoStatusSettings>;
	webhook?: Partial<WebhookSettings>;
};

export const DEFAULT_SETTINGS: EmulatorSettings = {
	messagesPerSecond: 80,
	highMessagesPerSecond: 1000,
	throughputOverrides: {},
	burstSeconds: 1,
	pairRate: { enabled: true, intervalMs: 6000, burst: 45 },
	businessRate: { callsPerHour: 0 },
	latency: { kind: 'none' },
	faults: DEFAULT_FAULTS,
	mediaUrlTtlMs: 5 * 60_000,
	mediaDownloadRedirect: '',
	autoStatuses: { enabled: false, sentMs: 20, deliveredMs: 60, readMs: 120, failFor: {} },
	webhook: { maxAttempts: 5, retryBaseMs: 100, timeoutMs: 3000, escapeUnicode: false },
	marketingMessages: DEFAULT_MARKETING_MESSAGES,
};

export interface EmulatorConfig {
	baseUrl: string;
	apiVersion: string;
	token: string;
	appSecret: string;
	appId: string;
	wabaId: string;
	phoneNumberIds: string[];
	/** Digits of each number's display phone number, same order. */
	displayPhoneNumbers: string[];
}

export interface AcceptedMessage {
	wamid: string;
	phoneNumberId: string;
	/** Normalised phone digits, or the BSUID when sent to a BSUID only. */
	to: string;
	/** BSUID given in `recipient`, if any. */
	recipient?: string;
	/** `to` exactly as sent. */
	input: string;
	type: string;
	body: Obj;
	at: number;
	/** Sends to /marketing_messages only: which API served it (Cloud API = fallback). */
	marketingMessages?: { servedBy: MarketingServedBy };
}

export interface RequestRecord {
	at: number;
	method: string;
	path: string;
	status: number | null;
	code?: number;
	/** 'reset-before' | 'reset-after' | 'timeout' | '5xx' | 'processed-5xx' | 'forced' | 'latency:<ms>' | 'redirect' */
	fault?: string;
	ms?: number;
	/** The query parameters, when there are any. */
	query?: Record<string, string>;
	/** A JSON body (message bodies are in `messages()` instead); other bodies as their size. */
	body?: unknown;
	bodyBytes?: number;
}

export interface ReadReceipt {
	phoneNumberId: string;
	messageId: string;
	typing: boolean;
	at: number;
}

export interface DeliveryRecord extends DeliveryResult {
	at: number;
	field: string;
}

export interface DeliveryCounters {
	deliveries: number;
	delivered: number;
	failed: number;
	attempts: number;
	pending: number;
	log: DeliveryRecord[];
}

export type InboundMediaOptions = SenderOptions &
	EnvelopeContext & {
		bytes?: Buffer;
		mimeType?: string;
		caption?: string;
		filename?: string;
		voice?: boolean;
		animated?: boolean;
	};

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergeSettings(
	base: EmulatorSettings,
	patch: SettingsPatch | Obj,
): EmulatorSettings {
	const out = clone(base) as unknown as Obj;
	for (const [k, v] of Object.entries(patch)) {
		if (v === undefined || !(k in out)) continue;
		// latency is a tagged union: replace it whole; other objects merge one level deep.
		out[k] = isObj(v) && isObj(out[k]) && k !== 'latency' ? { ...(out[k] as Obj), ...v } : clone(v);
	}
	return out as unknown as EmulatorSettings;
}

export class Emulator {
	readonly options: EmulatorOptions;
	settings: EmulatorSettings;
	baseUrl = '';
	private server: http.Server;
	private sockets = new Set<Socket>();
	private rng: Prng;
	private limits = new Limits();
	readonly templates = new TemplateStore();
	readonly media: MediaStore;
	readonly errorQueue = new ErrorQueue();
	readonly flows = new FlowStore(this);
	readonly flowClient = new FlowClient(this);
	/** Block users, business profile, uploads, QR codes, conversational automation. */
	readonly account = new AccountApi({
		baseUrl: () => this.baseUrl,
		isApp: (id) => this.accounts.app(id) !== undefined,
		appSecret: () => this.options.appSecret,
		phoneNumbers: () => this.accounts.allNumbers(),
		requirePhone: (id, caller, permission, method) =>
			this.accounts.requirePhone(id, caller, permission, method),
		business: (c) => this.business(c),
	});
	/** Call permissions and their request limits. */
	readonly calling = new CallingApi({
		requirePhone: (id, caller) => this.accounts.requirePhone(id, caller, MESSAGING),
	});
	/** Catalogs, products, commerce settings. */
	readonly commerce = new CommerceApi({
		wabaId: () => this.accounts.defaultWabaId,
		requireWaba: (id, caller) => this.accounts.requireWaba(id, caller, MANAGEMENT),
		requirePhone: (id, caller) => this.accounts.requirePhone(id, caller, MANAGEMENT),
		baseUrl: () => this.baseUrl,
		business: (c) => this.business(c),
	});
	private accepted: AcceptedMessage[] = [];
	private requestLog: RequestRecord[] = [];
	private readLog: ReadReceipt[] = [];
	private deliveryLog: DeliveryRecord[] = [];
	private pendingDeliveries = 0;
	private timers = new Set<NodeJS.Timeout>();
	private seq = 0;
	readonly accounts: Accounts;
	readonly registrations: Registrations;
	private stopped = false;

	constructor(options: StartOptions = {}) {
		this.options = {
			port: 0,
			host: '127.0.0.1',
			token: DEFAULT_TOKEN,
			appSecret: DEFAULT_APP_SECRET,
			apiVersion: DEFAULT_API_VERSION,
			appId: DEFAULT_APP_ID,
			wabaId: DEFAULT_WABA_ID,
			seed: 42,
			phoneNumbers: clone([...SEED_PHONE_NUMBERS]),
			accounts: {},
			...mergeSettings(DEFAULT_SETTINGS, options as Obj),
			...pick(options, [
				'port',
				'host',
				'token',
				'appSecret',
				'apiVersion',
				'appId',
				'wabaId',
				'seed',
				'phoneNumbers',
				'accounts',
			]),
		};
		this.settings = mergeSettings(DEFAULT_SETTINGS, this.options as unknown as Obj);
		const o = this.options;
		this.accounts = new Accounts(
			{
				token: o.token,
				appId: o.appId,
				appSecret: o.appSecret,
				wabaId: o.wabaId,
				wabaName: DEFAULT_BUSINESS_NAME,
				phoneNumbers: o.phoneNumbers,
			},
			o.accounts,
		);
		this.registrations = new Registrations(this.accounts, {
			apiVersion: o.apiVersion,
			handshakeTimeoutMs: () => this.settings.webhook.timeoutMs,
			countBusinessCall: (c) => this.business(c),
		});
		this.rng = new Prng(this.options.seed);
		this.media = new MediaStore(1400000000000000);
		this.seedMedia();
		this.server = http.createServer((req, res) => void this.handle(req, res));
		this.server.keepAliveTimeout = 5000;
		this.server.on('connection', (s: Socket) => {
			this.sockets.add(s);
			s.on('close', () => this.sockets.delete(s));
		});
	}

	async listen(): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.options.port, this.options.host, () => resolve());
		});
		const a = this.server.address() as AddressInfo;
		this.baseUrl = `http://${this.options.host}:${a.port}`;
	}

	get config(): EmulatorConfig {
		return {
			baseUrl: this.baseUrl,
			apiVersion: this.options.apiVersion,
			token: this.options.token,
			appSecret: this.options.appSecret,
			appId: this.options.appId,
			wabaId: this.options.wabaId,
			phoneNumberIds: this.options.phoneNumbers.map((p) => p.id),
			displayPhoneNumbers: this.options.phoneNumbers.map(displayDigits),
		};
	}

	configure(patch: SettingsPatch): EmulatorSettings {
		this.settings = mergeSettings(this.settings, patch);
		return this.settings;
	}

	/** Back to the just-started state: settings from the start options, no state, no callback. */
	reset(): void {
		this.settings = mergeSettings(DEFAULT_SETTINGS, this.options as unknown as Obj);
		this.rng = new Prng(this.options.seed);
		this.limits.reset();
		this.templates.reset();
		this.account.reset();
		this.commerce.reset();
		this.calling.reset();
		this.media.clear();
		this.seedMedia();
		this.errorQueue.clear();
		this.flows.reset();
		this.flowClient.reset();
		this.accepted = [];
		this.requestLog = [];
		this.readLog = [];
		this.deliveryLog = [];
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		this.accounts.reset();
		this.registrations.reset();
	}

	messages(): AcceptedMessage[] {
		return [...this.accepted];
	}
	requests(): RequestRecord[] {
		return [...this.requestLog];
	}
	reads(): ReadReceipt[] {
		return [...this.readLog];
	}

	/** Accepted count per recipient and how many were byte-identical repeats (double sends). */
	stats(): {
		accepted: number;
		byRecipient: Record<string, { accepted: number; duplicates: number }>;
		duplicates: number;
	} {
		const byRecipient: Record<string, { accepted: number; duplicates: number }> = {};
		const seen = new Set<string>();
		let duplicates = 0;
		for (const m of this.accepted) {
			const r = (byRecipient[m.to] ??= { accepted: 0, duplicates: 0 });
			r.accepted++;
			const key = `${m.phoneNumberId}|${m.to}|${JSON.stringify(m.body)}`;
			if (seen.has(key)) {
				r.duplicates++;
				duplicates++;
			} else seen.add(key);
		}
		return { accepted: this.accepted.length, byRecipient, duplicates };
	}

	/** Next `count` sends to `to` (digits, BSUID or '*') answer `code`. */
	queueError(to: string, code: number, count = 1, details?: string): void {
		this.errorQueue.add(to, code, count, details);
	}

	/** The seeded app's callback URL (what `/{app-id}/subscriptions` sets at Meta). */
	get callback(): { url: string; verifyToken?: string } | undefined {
		return this.registrations.callbackOf(this.options.appId);
	}

	setCallback(url: string | undefined, verifyToken?: string): void {
		this.registrations.setCallback(this.options.appId, url ? { url, verifyToken } : undefined);
	}

	/** The GET handshake against the callback (or `url`). */
	verify(url?: string, verifyToken?: string) {
		const target = url ?? this.callbackUrl();
		if (!target) throw new Error('No callback URL configured');
		return verifyHandshake(
			target,
			verifyToken ?? this.callback?.verifyToken ?? '',
			this.settings.webhook.timeoutMs,
		);
	}

	private callbackUrl() {
		return this.callback?.url;
	}

	deliveries(): DeliveryCounters {
		const log = [...this.deliveryLog];
		return {
			deliveries: log.length,
			delivered: log.filter((d) => d.delivered).length,
			failed: log.filter((d) => !d.delivered).length,
			attempts: log.reduce((n, d) => n + d.attempts.length, 0),
			pending: this.pendingDeliveries,
			log,
		};
	}

	/**
	 * POSTs a signed payload where Meta would (see `deliverAll`) and answers with the first POST:
	 * the seeded app's when it receives the event.
	 */
	async deliver(
		payload: WebhookPayload | Obj | string | Buffer,
		opts: DeliveryOptions = {},
	): Promise<DeliveryResult> {
		return (await this.deliverAll(payload, opts))[0];
	}

	/**
	 * One POST per URL the event goes to: for every app that receives the WABA's events, the
	 * phone-number override, else the WABA override, else the app's callback (Meta's precedence;
	 * `opts.url` skips routing). Each app's POSTs are signed with its own secret; retries like Meta.
	 */
	async deliverAll(
		payload: WebhookPayload | Obj | string | Buffer,
		opts: DeliveryOptions = {},
	): Promise<DeliveryResult[]> {
		const w = this.settings.webhook;
		const escape = opts.escapeUnicode ?? w.escapeUnicode;
		const body = serialize(payload, escape);
		this.account.noteDelivered(body);
		this.calling.noteDelivered(body);
		const targets = opts.url
			? [{ appId: this.options.appId, url: opts.url, registration: undefined, payload: undefined }]
			: this.registrations.route(body);
		if (!targets.length)
			throw new Error(
				'No callback URL configured for this event (setCallback, POST /__emulator/webhook, or subscribe the app to the WABA)',
			);
		return await Promise.all(
			targets.map((t) =>
				this.post(
					t.url,
					t.payload ? serialize(t.payload, escape) : body,
					opts.signWith ?? this.accounts.app(t.appId)?.secret ?? this.options.appSecret,
					opts,
					{ appId: t.appId, registration: t.registration },
				),
			),
		);
	}

	private async post(
		url: string,
		body: string,
		secret: string,
		opts: DeliveryOptions,
		via: { appId: string; registration?: RegistrationLevel },
	): Promise<DeliveryResult> {
		const w = this.settings.webhook;
		const headers: Record<string, string> = {
			'content-type': 'application/json',
			'user-agent': 'facebookexternalua',
		};
		let signature: string | undefined;
		if (opts.signature !== 'none') {
			signature = opts.signature === 'bad' ? sign(body, `${secret}-wrong`) : sign(body, secret);
			headers['x-hub-signature-256'] = signature;
		}
		const maxAttempts = opts.maxAttempts ?? w.maxAttempts;
		const base = opts.retryBaseMs ?? w.retryBaseMs;
		const attempts: DeliveryResult['attempts'] = [];
		this.pendingDeliveries++;
		try {
			for (let n = 1; n <= maxAttempts && !this.stopped; n++) {
				const t0 = Date.now();
				const r = await postOnce(url, body, headers, opts.timeoutMs ?? w.timeoutMs);
				attempts.push({
					status: r.status,
					...(r.error ? { error: r.error } : {}),
					ms: Date.now() - t0,
				});
				if (r.status === 200) break;
				if (n < maxAttempts) await this.wait(base * 2 ** (n - 1));
			}
		} finally {
			this.pendingDeliveries--;
		}
		const result: DeliveryResult = {
			url,
			delivered: attempts.at(-1)?.status === 200,
			attempts,
			statusCodes: attempts.map((a) => a.status),
			body,
			signature,
			appId: via.appId,
			...(via.registration ? { registration: via.registration } : {}),
		};
		let field = 'raw';
		try {
			field = (JSON.parse(body) as WebhookPayload).entry?.[0]?.changes?.[0]?.field ?? 'raw';
		} catch {
			/* raw string payloads are allowed */
		}
		this.deliveryLog.push({ ...result, at: Date.now(), field });
		return result;
	}

	private wait(ms: number) {
		return new Promise<void>((resolve) => {
			const t = setTimeout(() => {
				this.timers.delete(t);
				resolve();
			}, ms);
			this.timers.add(t);
		});
	}

	private later(ms: number, fn: () => void) {
		const t = setTimeout(() => {
			this.timers.delete(t);
			fn();
		}, ms);
		this.timers.add(t);
	}

	/** Stores media so inbound media messages reference something downloadable. */
	storeMedia(bytes: Buffer, mimeType: string, filename?: string) {
		return this.media.add({ bytes, mimeType, filename });
	}

	private ref(
		kind: 'image' | 'video' | 'audio' | 'document' | 'sticker',
		o: InboundMediaOptions,
	): MediaRef {
		const defaults = {
			image: 'image/jpeg',
			video: 'video/mp4',
			audio: 'audio/ogg',
			document: 'application/pdf',
			sticker: 'image/webp',
		};
		const mime = o.mimeType ?? defaults[kind];
		const bytes = o.bytes ?? Buffer.from(`emulator ${kind} ${Date.now()}`);
		const m = this.media.add({ bytes, mimeType: mime, filename: o.filename });
		return { id: m.id, mime_type: mime, sha256: m.sha256 };
	}

	private ctx(o: EnvelopeContext = {}): EnvelopeContext {
		const phoneNumberId = o.phoneNumberId ?? this.options.phoneNumbers[0].id;
		const p = this.phone(phoneNumberId);
		return {
			wabaId: o.wabaId ?? this.accounts.wabaOfNumber(phoneNumberId)?.id ?? this.options.wabaId,
			phoneNumberId,
			displayPhoneNumber: o.displayPhoneNumber ?? (p ? displayDigits(p) : undefined),
		};
	}

	/** Builders of full webhook payloads bound to this emulator's IDs; media is really stored. */
	readonly inbound = {
		items: (items: InboundItem[], o?: EnvelopeContext) => messagesPayload(items, this.ctx(o)),
		text: (from: string, body: string, o: SenderOptions & EnvelopeContext = {}) =>
			messagesPayload(msgBuilders.text(from, body, o), this.ctx(o)),
		image: (from: string, o: InboundMediaOptions = {}) =>
			messagesPayload(
				msgBuilders.image(
					from,
					{ ...this.ref('image', o), ...(o.caption ? { caption: o.caption } : {}) },
					o,
				),
				this.ctx(o),
			),
		video: (from: string, o: InboundMediaOptions = {}) =>
			messagesPayload(
				msgBuilders.video(
					from,
					{ ...this.ref('video', o), ...(o.caption ? { caption: o.caption } : {}) },
					o,
				),
				this.ctx(o),
			),
		audio: (from: string, o: InboundMediaOptions = {}) =>
			messagesPayload(
				msgBuilders.audio(from, { ...this.ref('audio', o), voice: o.voice ?? false }, o),
				this.ctx(o),
			),
		voice: (from: string, o: InboundMediaOptions = {}) =>
			messagesPayload(
				msgBuilders.audio(
					from,
					{ ...this.ref('audio', { mimeType: 'audio/ogg', ...o }), voice: true },
					o,
				),
				this.ctx(o),
			),
		document: (from: string, o: InboundMediaOptions = {}) =>
			messagesPayload(
				msgBuilders.document(
					from,
					{
						...this.ref('document', o),
						filename: o.filename ?? 'document.pdf',
						...(o.caption ? { caption: o.caption } : {}),
					},
					o,
				),
				this.ctx(o),
			),
		sticker: (from: string, o: InboundMediaOptions = {}) =>
			messagesPayload(
				msgBuilders.sticker(from, { ...this.ref('sticker', o), animated: o.animated ?? false }, o),
				this.ctx(o),
			),
		location: (
			from: string,
			l: { latitude: number; longitude: number; name?: string; address?: string },
			o: SenderOptions & EnvelopeContext = {},
		) => messagesPayload(msgBuilders.location(from, l, o), this.ctx(o)),
		contacts: (from: string, contacts: Obj[], o: SenderOptions & EnvelopeContext = {}) =>
			messagesPayload(msgBuilders.contacts(from, contacts, o), this.ctx(o)),
		buttonReply: (
			from: string,
			id: string,
			title: string,
			o: SenderOptions & EnvelopeContext = {},
		) => messagesPayload(msgBuilders.buttonReply(from, id, title, o), this.ctx(o)),
		listReply: (
			from: string,
			id: string,
			title: string,
			description?: string,
			o: SenderOptions & EnvelopeContext = {},
		) => messagesPayload(msgBuilders.listReply(from, id, title, description, o), this.ctx(o)),
		flowReply: (from: string, response: Obj, o: SenderOptions & EnvelopeContext = {}) =>
			messagesPayload(msgBuilders.flowReply(from, response, o), this.ctx(o)),
		button: (
			from: string,
			text: string,
			payload: string,
			o: SenderOptions & EnvelopeContext = {},
		) => messagesPayload(msgBuilders.button(from, text, payload, o), this.ctx(o)),
		reaction: (
			from: string,
			messageId: string,
			emoji?: string,
			o: SenderOptions & EnvelopeContext = {},
		) => messagesPayload(msgBuilders.reaction(from, messageId, emoji, o), this.ctx(o)),
		order: (
			from: string,
			order: { catalog_id: string; text?: string; product_items: Obj[] },
			o: SenderOptions & EnvelopeContext = {},
		) => messagesPayload(msgBuilders.order(from, order, o), this.ctx(o)),
		system: (from: string, system: Obj, o: SenderOptions & EnvelopeContext = {}) =>
			messagesPayload(msgBuilders.system(from, system, o), this.ctx(o)),
		requestWelcome: (from: string, o: SenderOptions & EnvelopeContext = {}) =>
			messagesPayload(msgBuilders.requestWelcome(from, o), this.ctx(o)),
		edit: (
			from: string,
			originalMessageId: string,
			newBody: string,
			o: SenderOptions & EnvelopeContext = {},
		) => messagesPayload(msgBuilders.edit(from, originalMessageId, newBody, o), this.ctx(o)),
		revoke: (from: string, originalMessageId: string, o: SenderOptions & EnvelopeContext = {}) =>
			messagesPayload(msgBuilders.revoke(from, originalMessageId, o), this.ctx(o)),
		unsupported: (from: string, kind = 'poll', o: SenderOptions & EnvelopeContext = {}) =>
			messagesPayload(msgBuilders.unsupported(from, kind, o), this.ctx(o)),
		unknown: (from: string, o: SenderOptions & EnvelopeContext = {}) =>
			messagesPayload(msgBuilders.unknown(from, o), this.ctx(o)),
		/** Generic form used by the control API: `{type, from, …type fields}` (see emulator-readme). */
		message: (spec: Obj) => this.messageFromSpec(spec),
		/** Status for a message; recipient/BSUID taken from the recorded send when known. */
		status: (
			wamid: string,
			s: StatusKind,
			o: StatusOptions & EnvelopeContext & { recipient?: string } = {},
		) => {
			const sent = this.accepted.find((m) => m.wamid === wamid);
			const userId = o.userId ?? (sent && !/^\d+$/.test(sent.to) ? sent.to : undefined);
			const recipient = o.recipient ?? (sent && /^\d+$/.test(sent.to) ? sent.to : undefined);
			const biz =
				o.bizOpaqueCallbackData ?? (sent?.body.biz_opaque_callback_data as string | undefined);
			return statusesPayload(
				statusBuilder(wamid, s, recipient, { ...o, userId, bizOpaqueCallbackData: biz }),
				this.ctx({ phoneNumberId: o.phoneNumberId ?? sent?.phoneNumberId, wabaId: o.wabaId }),
			);
		},
		errors: (
			errors: { code: number; title?: string; details?: string }[],
			o: EnvelopeContext = {},
		) => errorsPayload(errors, this.ctx(o)),
		event: (field: string, value: Obj, o: EnvelopeContext = {}) =>
			fieldPayload(field, value, this.ctx(o)),
	};

	private messageFromSpec(spec: Obj): WebhookPayload {
		const from = String(spec.from ?? '16505551234');
		const o = { ...(spec as SenderOptions & EnvelopeContext) };
		const s = (k: string) => (spec[k] === undefined ? undefined : String(spec[k]));
		const media: InboundMediaOptions = {
			...o,
			bytes: typeof spec.base64 === 'string' ? Buffer.from(spec.base64, 'base64') : undefined,
			mimeType: s('mimeType'),
			caption: s('caption'),
			filename: s('filename'),
			voice: spec.voice === true,
			animated: spec.animated === true,
		};
		const i = this.inbound;
		switch (spec.type) {
			case 'text':
				return i.text(from, s('text') ?? s('body') ?? '', o);
			case 'image':
			case 'video':
			case 'audio':
			case 'document':
			case 'sticker':
				return i[spec.type](from, media);
			case 'voice':
				return i.voice(from, media);
			case 'location':
				return i.location(
					from,
					{
						latitude: Number(spec.latitude),
						longitude: Number(spec.longitude),
						name: s('name'),
						address: s('address'),
					},
					o,
				);
			case 'contacts':
				return i.contacts(from, (spec.contacts as Obj[]) ?? [], o);
			case 'button_reply':
				return i.buttonReply(from, s('id') ?? 'btn', s('title') ?? 'Button', o);
			case 'list_reply':
				return i.listReply(from, s('id') ?? 'row', s('title') ?? 'Row', s('description'), o);
			case 'nfm_reply':
			case 'flow':
				return i.flowReply(from, (spec.response as Obj) ?? { flow_token: 'unused' }, o);
			case 'button':
				return i.button(from, s('text') ?? 'Yes', s('payload') ?? 'YES', o);
			case 'reaction':
				return i.reaction(from, s('messageId') ?? '', s('emoji'), o);
			case 'order':
				return i.order(
					from,
					(spec.order as { catalog_id: string; product_items: Obj[] }) ?? {
						catalog_id: '1',
						product_items: [],
					},
					o,
				);
			case 'system':
				return i.system(from, (spec.system as Obj) ?? {}, o);
			case 'request_welcome':
				return i.requestWelcome(from, o);
			case 'edit':
				return i.edit(from, s('originalMessageId') ?? '', s('text') ?? '', o);
			case 'revoke':
				return i.revoke(from, s('originalMessageId') ?? '', o);
			case 'unsupported':
				return i.unsupported(from, s('kind') ?? 'poll', o);
			case 'unknown':
				return i.unknown(from, o);
			default:
				throw new GraphError(100, `Unknown inbound message type ${String(spec.type)}.`);
		}
	}

	async stop(): Promise<void> {
		this.stopped = true;
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		for (const s of this.sockets) s.destroy();
		await new Promise<void>((r) => this.server.close(() => r()));
	}

	// -------------------------------------------------------------------------------------------
	// HTTP

	/** A number of any configured WABA. */
	phone(id: string) {
		return this.accounts.phone(id);
	}

	private traceId() {
		return `A${this.rng.chars(22, B64_CHARS)}`;
	}

	rateFor(phoneNumberId: string) {
		const p = this.phone(phoneNumberId);
		return (
			this.settings.throughputOverrides[phoneNumberId] ??
			(p?.throughput.level === 'HIGH'
				? this.settings.highMessagesPerSecond
				: this.settings.messagesPerSecond)
		);
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
		const t0 = Date.now();
		const url = new URL(req.url ?? '/', this.baseUrl || 'http://127.0.0.1');
		const rec: RequestRecord = {
			at: t0,
			method: req.method ?? 'GET',
			path: url.pathname,
			status: null,
		};
		// Control calls are not part of what a client under test did.
		if (!url.pathname.startsWith('/__emulator/')) this.requestLog.push(rec);
		const send = (
			status: number,
			body: unknown,
			headers: Record<string, string> = {},
			raw = false,
		) => {
			rec.status = status;
			rec.ms = Date.now() - t0;
			if (res.headersSent || res.destroyed) return;
			const data = raw ? (body as Buffer) : Buffer.from(JSON.stringify(body));
			res.writeHead(status, {
				'content-type': raw
					? (headers['content-type'] ?? 'application/octet-stream')
					: 'application/json; charset=UTF-8',
				'content-length': data.length,
				...headers,
			});
			res.end(data);
		};
		const fail = (e: unknown) => {
			if (e instanceof GraphError) {
				rec.code = e.code;
				send(e.status, errorBody(e.code, e.details, this.traceId()), e.headers);
			} else {
				rec.code = 1;
				send(500, errorBody(1, e instanceof Error ? e.message : String(e), this.traceId()));
			}
		};
		try {
			const body = await readBody(req);
			noteRequest(rec, url, req, body);
			const ctx: RequestContext = { req, res, url, body, rec, send, fail };
			if (url.pathname.startsWith('/__emulator/')) return await handleControl(this, ctx);
			if (url.pathname.startsWith('/__media/')) return await this.download(ctx);
			if (url.pathname.startsWith('/__account/')) return this.account.serve(ctx);
			await this.graph(ctx);
		} catch (e) {
			fail(e);
		}
	}

	private authorized(req: http.IncomingMessage): boolean {
		return this.accounts.caller(req) !== undefined;
	}

	/** The token's system user and app, or Meta's 190. */
	private requireAuth(req: http.IncomingMessage): Caller {
		const caller = this.accounts.caller(req);
		if (!caller) {
			throw new GraphError(
				190,
				req.headers.authorization
					? 'Invalid OAuth 2.0 Access Token'
					: 'An active access token must be used to query information about the current user.',
			);
		}
		return caller;
	}

	private async graph(c: RequestContext) {
		const parts = c.url.pathname.split('/').filter(Boolean);
		const method = c.req.method ?? 'GET';
		if (!parts.length || !/^v\d+\.\d+$/.test(parts[0]))
			throw new GraphError(100, `Unknown path: ${c.url.pathname}`);
		const caller = this.requireAuth(c.req);
		const [, node, edge, ...rest] = parts;
		if (node && (await this.account.route(c, caller, node, edge, rest, method))) return;
		if (node && !rest.length && this.commerce.route(c, caller, node, edge, method)) return;
		if (node && !rest.length && this.calling.route(c, caller, node, edge, method)) return;
		if (rest.length || !node)
			throw new GraphError(100, `Unknown path components: /${parts.slice(1).join('/')}`);
		const params = paramsOf(c);
		const fields = params.get('fields');

		if (this.flows.route(c, node, edge, method, caller)) return;
		if (edge === 'messages' && method === 'POST') return this.postMessages(node, c, caller);
		if (edge === 'marketing_messages' && method === 'POST')
			return this.postMessages(node, c, caller, 'marketing_messages');
		if (edge === 'media' && method === 'POST') return this.uploadMedia(node, c, caller);
		if (edge === 'message_templates') {
			this.accounts.requireWaba(node, caller, MANAGEMENT, method);
			return this.templatesEdge(node, method, params, c);
		}
		if (edge === 'phone_numbers' && method === 'GET') {
			const waba = this.accounts.requireWaba(node, caller);
			this.business(c);
			const list = waba.phoneNumbers.map((p) =>
				this.registrations.withWebhookConfiguration(phoneJson(p, fields), fields, caller.appId),
			);
			const paged = page(list, params, `${this.baseUrl}${c.url.pathname}${c.url.search}`);
			if (!paged) throw new GraphError(100, 'Invalid cursor');
			return c.send(200, paged);
		}
		// Webhook registrations (app, WABA, number) and the accounts a token reaches.
		if (await this.registrations.handle(node, edge, method, c, caller)) return;
		const account = this.accounts.read(
			node,
			edge,
			method,
			params,
			caller,
			`${this.baseUrl}${c.url.pathname}${c.url.search}`,
		);
		if (account) {
			if (!edge && this.accounts.waba(node)) {
				this.business(c);
				Object.assign(account, onboardingFields(fields, this.settings.marketingMessages));
			}
			return c.send(200, account);
		}
		if (edge) throw new GraphError(100, `Unsupported ${method} request. Unknown edge ${edge}.`);

		// Node reads/deletes: media, template, phone number, WABA.
		const media = this.media.get(node);
		if (media) {
			if (this.settings.faults.applyToMedia && (await this.mediaFaults(c))) return;
			if (method === 'GET') {
				const expires = Date.now() + this.settings.mediaUrlTtlMs;
				const ext = media.mimeType.split('/')[1]?.split('.').pop() ?? 'bin';
				const url = `${this.baseUrl}/__media/${media.id}?ext=${encodeURIComponent(ext)}&hash=${this.mediaHash(media.id, expires)}&expires=${expires}`;
				return c.send(200, {
					messaging_product: 'whatsapp',
					url,
					mime_type: media.mimeType,
					sha256: media.sha256,
					file_size: String(media.bytes.length),
					id: media.id,
				});
			}
			if (method === 'DELETE') {
				this.media.delete(node);
				return c.send(200, { success: true });
			}
		}
		const template = this.templates.byId(node);
		if (template && method === 'GET') return c.send(200, templateJson(template));
		if (template && method === 'POST') {
			this.business(c);
			this.templates.edit(node, bodyParams(c));
			return c.send(200, { success: true });
		}
		if (this.phone(node) && method === 'GET') {
			const { phone } = this.accounts.requirePhone(node, caller, MANAGEMENT);
			const json = phoneJson(phone, fields);
			return c.send(200, this.registrations.withWebhookConfiguration(json, fields, caller.appId));
		}
		throw new GraphError(
			100,
			`Unsupported ${method} request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
		);
	}

	/** Business Management call accounting (80007 + X-Business-Use-Case-Usage). */
	private business(c: RequestContext) {
		const r = this.limits.businessCall(this.settings.businessRate, Date.now());
		if (!this.settings.businessRate.callsPerHour) return;
		const usage = (regain: number) =>
			JSON.stringify({
				[this.options.wabaId]: [
					{
						type: 'whatsapp_business_management',
						call_count: r.usagePct,
						total_cputime: 1,
						total_time: 1,
						estimated_time_to_regain_access: regain,
					},
				],
			});
		if (r.regainMinutes !== null) {
			throw new GraphError(
				80007,
				'Rate limit hit for the WhatsApp Business Account. Wait and retry.',
				undefined,
				{ 'x-business-use-case-usage': usage(r.regainMinutes) },
			);
		}
		c.res.setHeader('x-business-use-case-usage', usage(0));
	}

	private async applyLatency(c: RequestContext) {
		const ms = sampleLatency(this.settings.latency, this.rng);
		if (ms > 0) {
			c.rec.fault = `latency:${Math.round(ms)}`;
			await sleep(ms);
		}
	}

	/** Shared pre-processing faults; returns true if the request was consumed. */
	private async preFaults(c: RequestContext): Promise<boolean> {
		const f = this.settings.faults;
		await this.applyLatency(c);
		if (this.rng.chance(f.resetBeforeRate)) {
			c.rec.fault = 'reset-before';
			c.req.socket.destroy();
			return true;
		}
		if (this.rng.chance(f.serverErrorRate)) {
			const code = this.rng.pick(f.serverErrorCodes);
			c.rec.fault = '5xx';
			const status = httpStatusFor(code) >= 500 ? httpStatusFor(code) : 500;
			throw new GraphError(code, undefined, status);
		}
		return false;
	}

	private async mediaFaults(c: RequestContext) {
		if (await this.preFaults(c)) return true;
		return false;
	}

	private async postMessages(
		phoneNumberId: string,
		c: RequestContext,
		caller: Caller,
		endpoint: 'messages' | 'marketing_messages' = 'messages',
	) {
		this.accounts.requirePhone(phoneNumberId, caller, MESSAGING, 'POST');
		if (await this.preFaults(c)) return;
		let body: unknown;
		try {
			body = JSON.parse(c.body.toString('utf8'));
		} catch {
			throw new GraphError(100, 'The request body is not valid JSON.');
		}
		const mm = endpoint === 'marketing_messages' ? splitMarketingBody(body) : undefined;
		const v = validateMessageRequest(mm ? mm.cloudBody : body, {
			ownNumbers: this.accounts.allNumbers().map(displayDigits),
			templates: this.templates,
			mediaExists: (id) => !!this.media.get(id),
			catalogs: this.commerce,
			flow: (ref) => this.flows.ofAccount(ref, this.accounts.wabaOfNumber(phoneNumberId)?.id),
		});
		const mmSettings = this.settings.marketingMessages;
		const servedBy =
			mm && v.kind === 'send'
				? marketingRoute(v.template, phoneNumberId, mm, mmSettings)
				: undefined;
		if (!mm && v.kind === 'send') checkCloudApiMarketing(v.template, mmSettings);
		if (v.kind === 'read') {
			this.readLog.push({
				phoneNumberId,
				messageId: v.messageId,
				typing: v.typing,
				at: Date.now(),
			});
			return c.send(200, { success: true });
		}
		const to = v.waId ?? v.userId!;
		const f = this.settings.faults;
		const forced = this.errorQueue.take([to, ...(v.userId ? [v.userId] : [])]);
		if (forced) {
			c.rec.fault = 'forced';
			throw new GraphError(forced.code, forced.details);
		}
		const targeted =
			!f.errorRecipients.length ||
			f.errorRecipients.map(normalizeRecipient).some((r) => r === to || r === v.userId);
		if (targeted && this.rng.chance(f.errorRate)) {
			c.rec.fault = 'forced';
			throw new GraphError(this.rng.pick(f.errorCodes));
		}
		const countCallPermissionRequest = this.calling.checkSend(phoneNumberId, to, body);
		const limit = this.limits.check(
			phoneNumberId,
			to,
			this.rateFor(phoneNumberId),
			this.settings.burstSeconds,
			this.settings.pairRate,
			performance.now(),
		);
		if (limit) throw new GraphError(limit);

		const wamid = this.newWamid(to);
		const msg: AcceptedMessage = {
			wamid,
			phoneNumberId,
			to,
			...(v.userId ? { recipient: v.userId } : {}),
			input: v.input,
			type: v.type,
			body: body as Obj,
			at: Date.now(),
			...(servedBy ? { marketingMessages: { servedBy } } : {}),
		};
		this.accepted.push(msg);
		countCallPermissionRequest();
		// Statuses of Marketing Messages API sends are priced as `marketing_lite`.
		this.scheduleStatuses(
			msg,
			servedBy === 'marketing_messages' ? 'marketing_lite' : v.template?.category,
		);

		if (this.rng.chance(f.timeoutRate)) {
			c.rec.fault = 'timeout';
			return; // hold the socket; stop() destroys it
		}
		if (this.rng.chance(f.resetAfterRate)) {
			c.rec.fault = 'reset-after';
			c.rec.status = null;
			c.req.socket.destroy();
			return;
		}
		if (f.processedErrorAnswers.length && this.rng.chance(f.processedErrorRate)) {
			const answer = this.rng.pick(f.processedErrorAnswers);
			c.rec.fault = 'processed-5xx';
			if (answer.code !== undefined) throw new GraphError(answer.code, undefined, answer.status);
			return c.send(
				answer.status,
				gatewayPage(answer.status),
				{ 'content-type': 'text/html' },
				true,
			);
		}
		const contact: Obj = { input: v.input };
		if (v.waId) contact.wa_id = v.waId;
		if (v.userId) contact.user_id = v.userId;
		c.send(200, {
			messaging_product: 'whatsapp',
			contacts: [contact],
			messages: [{ id: wamid, message_status: 'accepted' }],
		});
	}

	private newWamid(to: string) {
		const n = ++this.seq;
		const blob = `\u0015\u0002\u0000\u0011\u0018${to}\u0015\u0002\u0000\u0012\u0018\u0014${n.toString(16).toUpperCase().padStart(8, '0')}${this.rng.chars(12, '0123456789ABCDEF')}\u0000`;
		return `wamid.${Buffer.from(blob, 'latin1').toString('base64')}`;
	}

	private scheduleStatuses(m: AcceptedMessage, templateCategory?: string) {
		const a = this.settings.autoStatuses;
		if (!a.enabled) return;
		const category = templateCategory ? templateCategory.toLowerCase() : 'service';
		const failCode = a.failFor[m.to] ?? (m.recipient ? a.failFor[m.recipient] : undefined);
		const emit = (s: StatusKind, extra: StatusOptions = {}) =>
			void this.deliver(this.inbound.status(m.wamid, s, { category, ...extra })).catch(
				() => undefined,
			);
		this.later(a.sentMs, () => emit('sent'));
		if (failCode !== undefined) {
			this.later(a.deliveredMs, () => emit('failed', { errors: [{ code: failCode }] }));
			return;
		}
		this.later(a.deliveredMs, () => emit('delivered'));
		if (a.readMs !== null) this.later(a.readMs, () => emit('read'));
	}

	private async uploadMedia(phoneNumberId: string, c: RequestContext, caller: Caller) {
		if (!this.phone(phoneNumberId))
			throw new GraphError(100, `Object with ID '${phoneNumberId}' does not exist.`);
		this.accounts.requirePhone(phoneNumberId, caller, MESSAGING, 'POST');
		if (this.settings.faults.applyToMedia && (await this.mediaFaults(c))) return;
		const ct = c.req.headers['content-type'] ?? '';
		if (!/^multipart\/form-data/i.test(ct))
			throw new GraphError(100, 'Media upload requires multipart/form-data.');
		const upload = validateUpload(parseMultipart(c.body, ct));
		const m = this.media.add({ ...upload, phoneNumberId });
		c.send(200, { id: m.id });
	}

	mediaHash(id: string, expires: number) {
		return createHmac('sha256', this.options.appSecret)
			.update(`${id}:${expires}`)
			.digest('hex')
			.slice(0, 32);
	}

	private async download(c: RequestContext) {
		const id = c.url.pathname.slice('/__media/'.length);
		if (redirectMediaDownload(this.settings.mediaDownloadRedirect, c)) return;
		if (!this.authorized(c.req))
			throw new GraphError(190, 'Media download requires the Authorization: Bearer header.');
		if (this.settings.faults.applyToMedia && (await this.mediaFaults(c))) return;
		const expires = Number(c.url.searchParams.get('expires'));
		const hash = c.url.searchParams.get('hash') ?? '';
		const m = this.media.get(id);
		if (!m || hash !== this.mediaHash(id, expires))
			throw new GraphError(100, 'Media not found.', 404);
		if (Date.now() > expires)
			throw new GraphError(
				100,
				'The media URL has expired; request a new one with GET /{media-id}.',
				404,
			);
		c.send(
			200,
			m.bytes,
			{
				'content-type': m.mimeType,
				'content-disposition': `attachment; filename=${m.filename ?? id}`,
			},
			true,
		);
	}

	private templatesEdge(node: string, method: string, params: URLSearchParams, c: RequestContext) {
		this.business(c);
		if (method === 'GET') {
			const paged = page(
				this.templates.list(params).map(templateJson),
				params,
				`${this.baseUrl}${c.url.pathname}${c.url.search}`,
			);
			if (!paged) throw new GraphError(100, 'Invalid cursor');
			return c.send(200, paged);
		}
		if (method === 'POST') {
			const t = this.templates.create(bodyParams(c));
			return c.send(200, { id: t.id, status: t.status, category: t.category });
		}
		if (method === 'DELETE') {
			const name = params.get('name');
			if (!name) throw new GraphError(100, 'The parameter name is required.');
			const n = this.templates.delete(name, params.get('hsm_id') ?? undefined);
			if (!n) throw new GraphError(100, `Message template "${name}" not found.`);
			return c.send(200, { success: true });
		}
		throw new GraphError(100, `Unsupported ${method} request.`);
	}

	private seedMedia() {
		for (const m of SEED_MEDIA)
			this.media.add({ id: m.id, mimeType: m.mimeType, bytes: m.bytes, filename: m.filename });
	}

	/** The seeded app's `/{app-id}/subscriptions`. */
	subscriptionsList(): Subscription[] {
		return this.registrations.subscriptionsOf(this.options.appId);
	}
}

export interface RequestContext {
	req: http.IncomingMessage;
	res: http.ServerResponse;
	url: URL;
	body: Buffer;
	rec: RequestRecord;
	send: (status: number, body: unknown, headers?: Record<string, string>, raw?: boolean) => void;
	fail: (e: unknown) => void;
}

const MAX_BODY = 120 * 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let n = 0;
		req.on('data', (c: Buffer) => {
			n += c.length;
			if (n > MAX_BODY) {
				reject(new GraphError(131053, 'Request body too large.'));
				req.destroy();
			} else chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** Graph accepts parameters in the query, as JSON, or form-encoded; merge them like Graph does. */
/** What tests assert as the exact request besides method and path. */
function noteRequest(rec: RequestRecord, url: URL, req: http.IncomingMessage, body: Buffer): void {
	if (url.search) rec.query = Object.fromEntries(url.searchParams);
	if (!body.length || /\/messages$/.test(url.pathname)) return;
	if (/json/i.test(req.headers['content-type'] ?? '') && body.length <= 65_536) {
		try {
			rec.body = JSON.parse(body.toString('utf8'));
			return;
		} catch {
			// not JSON after all: recorded by size below
		}
	}
	rec.bodyBytes = body.length;
}

export function bodyParams(c: RequestContext): Obj {
	const out: Obj = {};
	for (const [k, v] of c.url.searchParams) out[k] = v;
	const ct = c.req.headers['content-type'] ?? '';
	const text = c.body.toString('utf8');
	if (!text.trim()) return out;
	if (/json/i.test(ct) || /^\s*[{[]/.test(text)) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			throw new GraphError(100, 'The request body is not valid JSON.');
		}
		if (isObj(parsed)) Object.assign(out, parsed);
	} else if (/x-www-form-urlencoded/i.test(ct)) {
		for (const [k, v] of new URLSearchParams(text)) {
			try {
				out[k] = /^[{[]/.test(v) ? JSON.parse(v) : v;
			} catch {
				out[k] = v;
			}
		}
	}
	return out;
}

function paramsOf(c: RequestContext): URLSearchParams {
	return c.url.searchParams;
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
	const out: Partial<Pick<T, K>> = {};
	for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
	return out;
}

/** Start options: any EmulatorOptions field; nested settings (faults, pairRate, …) may be partial. */
export type StartOptions = Partial<Omit<EmulatorOptions, keyof EmulatorSettings>> & SettingsPatch;

export async function startEmulator(options: StartOptions = {}): Promise<Emulator> {
	const e = new Emulator(options);
	await e.listen();
	return e;
}
