/**
 * Calling: call permissions as Meta tracks them (granted by the user's reply to a permission
 * request, temporary or permanent), the limits on permission requests (138009), the
 * `GET /{phone-number-id}/call_permissions` read, and Meta's side of the `calls` webhooks.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/
 */
import { GraphError, badParam } from '../errors';
import { DEFAULT_PHONE_NUMBER_ID } from '../seed';
import type { RequestContext } from '../server';
import type { Caller } from './accounts';
import type { EnvelopeContext, SenderOptions, WebhookPayload } from '../webhooks';
import { deliveredMessages, envelope, inboundItem, messagesPayload } from '../webhooks';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const DAY = 24 * 3600_000;
/** Permission requests per user: 1 in 24 hours and 2 in 7 days (Meta's published example limits). */
export const PERMISSION_REQUEST_LIMITS = [
	{ time_period: 'PT24H', ms: DAY, max_allowed: 1 },
	{ time_period: 'P7D', ms: 7 * DAY, max_allowed: 2 },
];
/** Business-initiated calls per user in 24 hours. */
export const START_CALL_LIMIT = { time_period: 'PT24H', ms: DAY, max_allowed: 5 };

interface Permission {
	status: 'temporary' | 'permanent';
	/** ms; temporary permissions only. */
	expiresAt?: number;
}

export class CallingApi {
	private permissions = new Map<string, Map<string, Permission>>();
	private requests = new Map<string, Map<string, number[]>>();

	constructor(private readonly host: { requirePhone(id: string, caller: Caller): unknown }) {}

	reset(): void {
		this.permissions.clear();
		this.requests.clear();
	}

	/** Webhook bodies the emulator delivers: permission replies grant or withdraw permission. */
	noteDelivered(body: string): void {
		for (const { phoneNumberId, message: m } of deliveredMessages(body)) {
			const reply =
				isObj(m.interactive) && m.interactive.type === 'call_permission_reply'
					? m.interactive.call_permission_reply
					: undefined;
			if (!isObj(reply) || typeof m.from !== 'string') continue;
			const users = this.permissions.get(phoneNumberId) ?? new Map<string, Permission>();
			this.permissions.set(phoneNumberId, users);
			if (reply.response !== 'accept') users.delete(m.from);
			else if (reply.is_permanent === true) users.set(m.from, { status: 'permanent' });
			else
				users.set(m.from, {
					status: 'temporary',
					expiresAt: Number(reply.expiration_timestamp) * 1000 || Date.now() + 7 * DAY,
				});
		}
	}

	permissionOf(phoneId: string, user: string): Permission | undefined {
		const p = this.permissions.get(phoneId)?.get(user);
		if (p?.expiresAt !== undefined && p.expiresAt <= Date.now()) return undefined;
		return p;
	}

	private recent(phoneId: string, user: string, now: number): number[] {
		const list = (this.requests.get(phoneId)?.get(user) ?? []).filter((t) => now - t < 7 * DAY);
		const users = this.requests.get(phoneId) ?? new Map<string, number[]>();
		users.set(user, list);
		this.requests.set(phoneId, users);
		return list;
	}

	/**
	 * Before a send: refuses a permission request over the per-user limits (138009). Returns what to
	 * call once the send is accepted, so that refused sends never count.
	 */
	checkSend(phoneId: string, to: string, body: unknown): () => void {
		const interactive = isObj(body) && isObj(body.interactive) ? body.interactive : undefined;
		if (!interactive || interactive.type !== 'call_permission_request') return () => undefined;
		const now = Date.now();
		const sent = this.recent(phoneId, to, now);
		for (const limit of PERMISSION_REQUEST_LIMITS) {
			if (sent.filter((t) => now - t < limit.ms).length >= limit.max_allowed)
				throw new GraphError(
					138009,
					`Call permission request limit reached: at most ${limit.max_allowed} per ${limit.time_period} for this user.`,
				);
		}
		return () => {
			this.recent(phoneId, to, Date.now()).push(now);
		};
	}

	route(
		c: RequestContext,
		caller: Caller,
		node: string,
		edge: string | undefined,
		method: string,
	): boolean {
		if (edge !== 'call_permissions') return false;
		this.host.requirePhone(node, caller);
		if (method !== 'GET') throw badParam(`Unsupported ${method} request.`);
		const user = c.url.searchParams.get('user_wa_id') ?? c.url.searchParams.get('recipient');
		if (!user) throw new GraphError(100, 'The parameter user_wa_id is required.');
		const now = Date.now();
		const permission = this.permissionOf(node, user);
		const sent = this.recent(node, user, now);
		const requestLimits = PERMISSION_REQUEST_LIMITS.map((l) => {
			const inPeriod = sent.filter((t) => now - t < l.ms);
			return {
				time_period: l.time_period,
				max_allowed: l.max_allowed,
				current_usage: inPeriod.length,
				...(inPeriod.length
					? { limit_expiration_time: Math.floor((inPeriod[0] + l.ms) / 1000) }
					: {}),
			};
		});
		c.send(200, {
			messaging_product: 'whatsapp',
			permission: {
				status: permission?.status ?? 'no_permission',
				...(permission?.expiresAt
					? { expiration_time: Math.floor(permission.expiresAt / 1000) }
					: {}),
			},
			actions: [
				{
					action_name: 'send_call_permission_request',
					can_perform_action:
						!permission && requestLimits.every((l) => l.current_usage < l.max_allowed),
					limits: requestLimits,
				},
				{
					action_name: 'start_call',
					can_perform_action: permission !== undefined,
					limits: [
						{
							time_period: START_CALL_LIMIT.time_period,
							max_allowed: START_CALL_LIMIT.max_allowed,
							current_usage: 0,
						},
					],
				},
			],
		});
		return true;
	}
}

// ---------------------------------------------------------------------------------------------
// Meta's side: the `calls` webhooks and permission replies

let callSeq = 0;
export const newCallId = () =>
	`wacid.${Buffer.from(`emu-call-${Date.now().toString(16)}-${++callSeq}`).toString('base64url')}`;

const nowSeconds = () => String(Math.floor(Date.now() / 1000));

function metadata(ctx: EnvelopeContext, displayPhoneNumber: string) {
	return {
		display_phone_number: ctx.displayPhoneNumber ?? displayPhoneNumber,
		phone_number_id: ctx.phoneNumberId ?? DEFAULT_PHONE_NUMBER_ID,
	};
}

export interface CallEventOptions extends EnvelopeContext {
	id?: string;
	timestamp?: string;
	/** The business number's digits (`to` of user-initiated calls). */
	businessNumber?: string;
	name?: string;
	/** Set when the call was started from a voice-call button. */
	ctaPayload?: string;
	bizOpaqueCallbackData?: string;
}

/** `calls` field: a user-initiated call arrives (`event: connect`, SDP offer). */
export function callConnect(from: string, o: CallEventOptions = {}): WebhookPayload {
	const business = o.businessNumber ?? '15550783881';
	return envelope(
		'calls',
		{
			messaging_product: 'whatsapp',
			metadata: metadata(o, business),
			contacts: [{ profile: { name: o.name ?? 'Test Customer' }, wa_id: from }],
			calls: [
				{
					id: o.id ?? newCallId(),
					from,
					to: business,
					event: 'connect',
					timestamp: o.timestamp ?? nowSeconds(),
					direction: 'USER_INITIATED',
					session: { sdp_type: 'offer', sdp: 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\n' },
					...(o.ctaPayload !== undefined ? { cta_payload: o.ctaPayload } : {}),
				},
			],
		},
		o,
	);
}

/** `calls` field: a call ended (`event: terminate`, COMPLETED or FAILED, with duration). */
export function callTerminate(
	callId: string,
	from: string,
	status: 'COMPLETED' | 'FAILED',
	o: CallEventOptions & {
		durationSeconds?: number;
		direction?: 'USER_INITIATED' | 'BUSINESS_INITIATED';
	} = {},
): WebhookPayload {
	const business = o.businessNumber ?? '15550783881';
	const end = Number(o.timestamp ?? nowSeconds());
	const duration = o.durationSeconds ?? (status === 'COMPLETED' ? 42 : 0);
	const userInitiated = (o.direction ?? 'USER_INITIATED') === 'USER_INITIATED';
	return envelope(
		'calls',
		{
			messaging_product: 'whatsapp',
			metadata: metadata(o, business),
			calls: [
				{
					id: callId,
					from: userInitiated ? from : business,
					to: userInitiated ? business : from,
					event: 'terminate',
					direction: o.direction ?? 'USER_INITIATED',
					timestamp: String(end),
					status,
					...(status === 'COMPLETED'
						? { start_time: String(end - duration), end_time: String(end), duration }
						: {}),
					...(o.bizOpaqueCallbackData !== undefined
						? { biz_opaque_callback_data: o.bizOpaqueCallbackData }
						: {}),
					...(o.ctaPayload !== undefined ? { cta_payload: o.ctaPayload } : {}),
				},
			],
		},
		o,
	);
}

/** `calls` field: progress of a business-initiated call (RINGING, ACCEPTED, REJECTED). */
export function callStatus(
	callId: string,
	recipient: string,
	status: 'RINGING' | 'ACCEPTED' | 'REJECTED',
	o: CallEventOptions = {},
): WebhookPayload {
	return envelope(
		'calls',
		{
			messaging_product: 'whatsapp',
			metadata: metadata(o, o.businessNumber ?? '15550783881'),
			statuses: [
				{
					id: callId,
					timestamp: o.timestamp ?? nowSeconds(),
					type: 'call',
					status,
					recipient_id: recipient,
					...(o.bizOpaqueCallbackData !== undefined
						? { biz_opaque_callback_data: o.bizOpaqueCallbackData }
						: {}),
				},
			],
		},
		o,
	);
}

/** `messages` field: the user's answer to a call permission request. */
export function callPermissionReply(
	from: string,
	response: 'accept' | 'reject',
	o: SenderOptions &
		EnvelopeContext & {
			permanent?: boolean;
			expiresAt?: number;
			source?: 'user_action' | 'automatic';
		} = {},
): WebhookPayload {
	const reply: Obj = {
		response,
		is_permanent: o.permanent ?? false,
		response_source: o.source ?? 'user_action',
	};
	if (response === 'accept' && !o.permanent)
		reply.expiration_timestamp = o.expiresAt ?? Math.floor(Date.now() / 1000) + 7 * 86400;
	return messagesPayload(
		inboundItem(
			from,
			'interactive',
			{ type: 'call_permission_reply', call_permission_reply: reply },
			o,
		),
		o,
	);
}
