/** Meta's side of webhooks: payload builders, signing, delivery with retries, the GET handshake. */
import { createHmac, randomInt } from 'node:crypto';
import * as http from 'node:http';

import type { RegistrationLevel } from './graph/overrides';
import {
	DEFAULT_API_VERSION,
	DEFAULT_PHONE_NUMBER_ID,
	DEFAULT_WABA_ID,
	SEED_PHONE_NUMBERS,
	displayDigits,
} from './seed';

type Obj = Record<string, unknown>;

export interface WebhookPayload {
	object: 'whatsapp_business_account';
	entry: { id: string; time?: number; changes: { field: string; value: Obj }[] }[];
}

/** `sha256=<hex>` over the exact bytes, as in `X-Hub-Signature-256`. */
export function sign(body: Buffer | string, secret: string): string {
	return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Meta's escaped-unicode form: every char outside \0-~ as \uXXXX (lowercase hex, UTF-16 units). */
export function escapeUnicode(s: string): string {
	return s.replace(/[^\0-~]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface EnvelopeContext {
	wabaId?: string;
	phoneNumberId?: string;
	displayPhoneNumber?: string;
}

const now = () => String(Math.floor(Date.now() / 1000));
let seq = 0;
/** Inbound wamids look like Meta's: base64 of an opaque blob. */
export const newInboundWamid = (from = '0') =>
	`wamid.${Buffer.from(`\u0015\u0002\u0000\u0012${from}\u0015\u0002\u0000\u0012\u0018 ${Date.now().toString(16)}${(++seq).toString(16).padStart(6, '0')}${randomInt(1e9).toString(16)}`).toString('base64')}`;

function metadata(ctx: EnvelopeContext) {
	const id = ctx.phoneNumberId ?? DEFAULT_PHONE_NUMBER_ID;
	const seedNum = SEED_PHONE_NUMBERS.find((p) => p.id === id);
	return {
		display_phone_number:
			ctx.displayPhoneNumber ?? (seedNum ? displayDigits(seedNum) : '15550783881'),
		phone_number_id: id,
	};
}

/** Wraps one `value` under `field` in Meta's envelope. */
export function envelope(
	field: string,
	value: Obj,
	ctx: EnvelopeContext = {},
	time?: number,
): WebhookPayload {
	return {
		object: 'whatsapp_business_account',
		entry: [
			{
				id: ctx.wabaId ?? DEFAULT_WABA_ID,
				...(time !== undefined ? { time } : {}),
				changes: [{ field, value }],
			},
		],
	};
}

/** Merges several payloads into one POST (several entries/changes), as Meta batches. */
export function batch(...payloads: WebhookPayload[]): WebhookPayload {
	return { object: 'whatsapp_business_account', entry: payloads.flatMap((p) => p.entry) };
}

// ---------------------------------------------------------------------------------------------
// Inbound messages (fact sheet §3)

export interface SenderOptions {
	/** Profile name in contacts[]. */
	name?: string;
	/** BSUID of the sender (default derived from the phone). */
	userId?: string;
	/** Omit `from`/`wa_id` — a username user known only by BSUID. */
	bsuidOnly?: boolean;
	username?: string;
	id?: string;
	timestamp?: string;
	context?: Obj;
	referral?: Obj;
}

export interface InboundItem {
	contact: Obj;
	message: Obj;
}

export const bsuidFor = (phone: string) =>
	`US.${(BigInt(phone.replace(/\D/g, '') || '0') * 7919n + 13491208655302741918n).toString()}`;

/** One inbound message of any type; `content` is the type's object (or array for contacts). */
export function inboundItem(
	from: string,
	type: string,
	content: unknown,
	o: SenderOptions = {},
): InboundItem {
	const userId = o.userId ?? bsuidFor(from);
	const contact: Obj = {
		profile: { name: o.name ?? 'Test Customer', ...(o.username ? { username: o.username } : {}) },
	};
	if (!o.bsuidOnly) contact.wa_id = from;
	contact.user_id = userId;
	const message: Obj = {};
	if (!o.bsuidOnly) message.from = from;
	message.from_user_id = userId;
	message.id = o.id ?? newInboundWamid(from);
	message.timestamp = o.timestamp ?? now();
	if (o.context) message.context = o.context;
	if (o.referral) message.referral = o.referral;
	message.type = type;
	if (content !== undefined) message[type] = content;
	if (type === 'unsupported' || type === 'unknown') {
		message.errors = [
			{
				code: 131051,
				title: 'Message type unknown',
				message: 'Message type unknown',
				error_data: { details: 'Message type is currently not supported.' },
			},
		];
	}
	return { contact, message };
}

/** `messages` field payload with one or more inbound messages (one change, arrays batched). */
export function messagesPayload(
	items: InboundItem | InboundItem[],
	ctx: EnvelopeContext = {},
): WebhookPayload {
	const list = Array.isArray(items) ? items : [items];
	const contacts: Obj[] = [];
	for (const i of list)
		if (!contacts.some((c) => JSON.stringify(c) === JSON.stringify(i.contact)))
			contacts.push(i.contact);
	return envelope(
		'messages',
		{
			messaging_product: 'whatsapp',
			metadata: metadata(ctx),
			contacts,
			messages: list.map((i) => i.message),
		},
		ctx,
	);
}

export interface MediaRef {
	id: string;
	mime_type: string;
	sha256: string;
}

/** Type-specific message builders (return items; wrap with `messagesPayload`). */
export const messages = {
	text: (from: string, body: string, o?: SenderOptions) => inboundItem(from, 'text', { body }, o),
	image: (from: string, m: MediaRef & { caption?: string }, o?: SenderOptions) =>
		inboundItem(from, 'image', m, o),
	video: (from: string, m: MediaRef & { caption?: string }, o?: SenderOptions) =>
		inboundItem(from, 'video', m, o),
	audio: (from: string, m: MediaRef & { voice?: boolean }, o?: SenderOptions) =>
		inboundItem(from, 'audio', { ...m, voice: m.voice ?? false }, o),
	document: (
		from: string,
		m: MediaRef & { filename?: string; caption?: string },
		o?: SenderOptions,
	) => inboundItem(from, 'document', m, o),
	sticker: (from: string, m: MediaRef & { animated?: boolean }, o?: SenderOptions) =>
		inboundItem(from, 'sticker', { ...m, animated: m.animated ?? false }, o),
	location: (
		from: string,
		l: { latitude: number; longitude: number; name?: string; address?: string; url?: string },
		o?: SenderOptions,
	) => inboundItem(from, 'location', l, o),
	contacts: (from: string, contacts: Obj[], o?: SenderOptions) =>
		inboundItem(from, 'contacts', contacts, o),
	buttonReply: (from: string, id: string, title: string, o?: SenderOptions) =>
		inboundItem(from, 'interactive', { type: 'button_reply', button_reply: { id, title } }, o),
	listReply: (from: string, id: string, title: string, description?: string, o?: SenderOptions) =>
		inboundItem(
			from,
			'interactive',
			{ type: 'list_reply', list_reply: { id, title, ...(description ? { description } : {}) } },
			o,
		),
	/** Flow completion; `response` is serialised to the JSON string Meta sends. */
	flowReply: (from: string, response: Obj, o?: SenderOptions) =>
		inboundItem(
			from,
			'interactive',
			{
				type: 'nfm_reply',
				nfm_reply: { name: 'flow', body: 'Sent', response_json: JSON.stringify(response) },
			},
			o,
		),
	button: (from: string, text: string, payload: string, o?: SenderOptions) =>
		inboundItem(from, 'button', { text, payload }, o),
	reaction: (from: string, messageId: string, emoji?: string, o?: SenderOptions) =>
		inboundItem(from, 'reaction', { message_id: messageId, ...(emoji ? { emoji } : {}) }, o),
	order: (
		from: string,
		order: { catalog_id: string; text?: string; product_items: Obj[] },
		o?: SenderOptions,
	) => inboundItem(from, 'order', order, o),
	system: (from: string, system: Obj, o?: SenderOptions) =>
		inboundItem(
			from,
			'system',
			{ body: `User ${from} changed their number`, type: 'user_changed_number', ...system },
			o,
		),
	requestWelcome: (from: string, o?: SenderOptions) =>
		inboundItem(from, 'request_welcome', undefined, o),
	edit: (from: string, originalMessageId: string, newBody: string, o?: SenderOptions) =>
		inboundItem(
			from,
			'edit',
			{
				original_message_id: originalMessageId,
				message: { type: 'text', text: { body: newBody } },
			},
			o,
		),
	revoke: (from: string, originalMessageId: string, o?: SenderOptions) =>
		inboundItem(from, 'revoke', { original_message_id: originalMessageId }, o),
	unsupported: (from: string, kind = 'poll', o?: SenderOptions) =>
		inboundItem(from, 'unsupported', { type: kind }, o),
	unknown: (from: string, o?: SenderOptions) => inboundItem(from, 'unknown', undefined, o),
};

// ---------------------------------------------------------------------------------------------
// Statuses, async errors, management fields

export type StatusKind = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface StatusOptions {
	/** BSUID recipient: sets recipient_user_id and omits recipient_id. */
	userId?: string;
	bizOpaqueCallbackData?: string;
	category?: string;
	errors?: { code: number; title?: string; details?: string }[];
	timestamp?: string;
}

export function status(
	wamid: string,
	s: StatusKind,
	recipient: string | undefined,
	o: StatusOptions = {},
): Obj {
	const st: Obj = { id: wamid, status: s, timestamp: o.timestamp ?? now() };
	if (recipient) st.recipient_id = recipient;
	if (o.userId) st.recipient_user_id = o.userId;
	st.recipient_type = 'individual';
	if (o.bizOpaqueCallbackData !== undefined) st.biz_opaque_callback_data = o.bizOpaqueCallbackData;
	if (s === 'sent' || s === 'delivered' || s === 'read') {
		st.pricing = {
			billable: true,
			pricing_model: 'PMP',
			type: 'regular',
			category: o.category ?? 'service',
		};
	}
	if (s === 'failed') st.errors = (o.errors ?? [{ code: 131026 }]).map(asyncError);
	return st;
}

/** Async error shape: {code, title, message, error_data:{details}, href}. */
export function asyncError(e: { code: number; title?: string; details?: string }): Obj {
	const title =
		e.title ??
		(e.code === 131047
			? 'Re-engagement message'
			: e.code === 131026
				? 'Message undeliverable'
				: 'Error');
	return {
		code: e.code,
		title,
		message: title,
		error_data: { details: e.details ?? title },
		href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
	};
}

export function statusesPayload(statuses: Obj | Obj[], ctx: EnvelopeContext = {}): WebhookPayload {
	const list = Array.isArray(statuses) ? statuses : [statuses];
	return envelope(
		'messages',
		{ messaging_product: 'whatsapp', metadata: metadata(ctx), statuses: list },
		ctx,
	);
}

/** `value.errors` — system-level problems without messages/statuses. */
export function errorsPayload(
	errors: { code: number; title?: string; details?: string }[],
	ctx: EnvelopeContext = {},
): WebhookPayload {
	return envelope(
		'messages',
		{ messaging_product: 'whatsapp', metadata: metadata(ctx), errors: errors.map(asyncError) },
		ctx,
	);
}

/** Management fields (no metadata; entry.time set), e.g. `phone_number_quality_update`. */
export function fieldPayload(field: string, value: Obj, ctx: EnvelopeContext = {}): WebhookPayload {
	return envelope(field, value, ctx, Math.floor(Date.now() / 1000));
}

export const events = {
	templateStatus: (
		t: { id: string; name: string; language: string },
		event: string,
		reason = 'NONE',
		ctx?: EnvelopeContext,
	) =>
		fieldPayload(
			'message_template_status_update',
			{
				event,
				message_template_id: Number(t.id),
				message_template_name: t.name,
				message_template_language: t.language,
				reason,
			},
			ctx,
		),
	templateQuality: (
		t: { id: string; name: string; language: string },
		previous: string,
		next: string,
		ctx?: EnvelopeContext,
	) =>
		fieldPayload(
			'message_template_quality_update',
			{
				previous_quality_score: previous,
				new_quality_score: next,
				message_template_id: Number(t.id),
				message_template_name: t.name,
				message_template_language: t.language,
			},
			ctx,
		),
	templateCategory: (
		t: { id: string; name: string; language: string },
		previous: string,
		next: string,
		ctx?: EnvelopeContext,
	) =>
		fieldPayload(
			'template_category_update',
			{
				message_template_id: Number(t.id),
				message_template_name: t.name,
				message_template_language: t.language,
				previous_category: previous,
				new_category: next,
			},
			ctx,
		),
	phoneNumberQuality: (displayPhoneNumber: string, event: string, ctx?: EnvelopeContext) =>
		fieldPayload(
			'phone_number_quality_update',
			{
				display_phone_number: displayPhoneNumber,
				event,
				max_daily_conversations_per_business: 'TIER_10K',
			},
			ctx,
		),
	accountUpdate: (event: string, extra: Obj = {}, ctx?: EnvelopeContext) =>
		fieldPayload('account_update', { event, ...extra }, ctx),
	userPreferences: (waId: string, value: 'stop' | 'resume', ctx?: EnvelopeContext) =>
		fieldPayload(
			'user_preferences',
			{
				messaging_product: 'whatsapp',
				metadata: metadata(ctx ?? {}),
				contacts: [{ wa_id: waId, user_id: bsuidFor(waId) }],
				user_preferences: [
					{
						wa_id: waId,
						user_id: bsuidFor(waId),
						detail: `User requested to ${value} marketing messages`,
						category: 'marketing_messages',
						value,
						timestamp: Math.floor(Date.now() / 1000),
					},
				],
			},
			ctx,
		),
};

// ---------------------------------------------------------------------------------------------
// Delivery

export interface DeliveryOptions {
	/** Escape non-ASCII as \uXXXX before signing and sending. */
	escapeUnicode?: boolean;
	/** Secret used for the signature (default: the emulator's app secret). */
	signWith?: string;
	/** 'none' omits the header, 'bad' sends a wrong one. */
	signature?: 'none' | 'bad' | 'valid';
	/** Override the callback URL for this delivery. */
	url?: string;
	maxAttempts?: number;
	retryBaseMs?: number;
	timeoutMs?: number;
}

export interface DeliveryAttempt {
	status: number | null;
	error?: string;
	ms: number;
}

export interface DeliveryResult {
	url: string;
	delivered: boolean;
	attempts: DeliveryAttempt[];
	/** Status code of each attempt (null = network error / timeout). */
	statusCodes: (number | null)[];
	body: string;
	signature?: string;
	/** The app whose registration the POST went to (its secret signed it). */
	appId?: string;
	/** Which of the app's registrations Meta's precedence picked; absent with an explicit `url`. */
	registration?: RegistrationLevel;
}

/** Serialises exactly as Meta's bytes will be signed (compact JSON, optional escaping). */
export function serialize(payload: unknown, escape = false): string {
	const s =
		typeof payload === 'string'
			? payload
			: Buffer.isBuffer(payload)
				? payload.toString('utf8')
				: JSON.stringify(payload);
	return escape ? escapeUnicode(s) : s;
}

export function postOnce(
	url: string,
	body: string,
	headers: Record<string, string>,
	timeoutMs: number,
	agent?: http.Agent,
): Promise<{ status: number | null; error?: string; text?: string }> {
	return new Promise((resolve) => {
		let u: URL;
		try {
			u = new URL(url);
		} catch {
			resolve({ status: null, error: 'invalid url' });
			return;
		}
		if (u.protocol !== 'http:') {
			resolve({ status: null, error: 'only http:// callbacks are supported by the emulator' });
			return;
		}
		const req = http.request(
			u,
			{
				method: 'POST',
				headers: { ...headers, 'content-length': Buffer.byteLength(body) },
				agent,
				timeout: timeoutMs,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({ status: res.statusCode ?? null, text: Buffer.concat(chunks).toString('utf8') }),
				);
				res.on('error', (e) => resolve({ status: res.statusCode ?? null, error: e.message }));
			},
		);
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', (e) => resolve({ status: null, error: e.message }));
		req.end(body);
	});
}

/** GET handshake: echo must equal the challenge. */
export async function verifyHandshake(
	url: string,
	verifyToken: string,
	timeoutMs = 5000,
): Promise<{
	ok: boolean;
	status: number | null;
	challenge: string;
	body: string;
	error?: string;
}> {
	const challenge = String(randomInt(1e9, 2 ** 31 - 1));
	const u = new URL(url);
	u.searchParams.set('hub.mode', 'subscribe');
	u.searchParams.set('hub.challenge', challenge);
	u.searchParams.set('hub.verify_token', verifyToken);
	return new Promise((resolve) => {
		if (u.protocol !== 'http:') {
			resolve({
				ok: false,
				status: null,
				challenge,
				body: '',
				error: 'only http:// callbacks are supported by the emulator',
			});
			return;
		}
		const req = http.get(u, { timeout: timeoutMs, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const body = Buffer.concat(chunks).toString('utf8');
				resolve({
					ok: res.statusCode === 200 && body === challenge,
					status: res.statusCode ?? null,
					challenge,
					body,
				});
			});
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', (e) =>
			resolve({ ok: false, status: null, challenge, body: '', error: e.message }),
		);
	});
}

export const DEFAULT_USER_AGENT = `facebookexternalua (emulator ${DEFAULT_API_VERSION})`;

/** The inbound messages of a delivered webhook body, each with its business phone number ID. */
export function deliveredMessages(
	body: string,
): Array<{ phoneNumberId: string; message: Record<string, unknown> }> {
	let payload: unknown;
	try {
		payload = JSON.parse(body);
	} catch {
		return [];
	}
	const isObject = (v: unknown): v is Obj =>
		typeof v === 'object' && v !== null && !Array.isArray(v);
	const out: Array<{ phoneNumberId: string; message: Obj }> = [];
	if (!isObject(payload) || !Array.isArray(payload.entry)) return out;
	for (const entry of payload.entry) {
		for (const change of isObject(entry) && Array.isArray(entry.changes) ? entry.changes : []) {
			if (!isObject(change) || change.field !== 'messages' || !isObject(change.value)) continue;
			const { metadata, messages } = change.value;
			const phoneNumberId = isObject(metadata) ? String(metadata.phone_number_id) : '';
			for (const message of Array.isArray(messages) ? messages : [])
				if (isObject(message)) out.push({ phoneNumberId, message });
		}
	}
	return out;
}
