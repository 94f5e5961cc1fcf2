/**
 * Control API for account, commerce and calling state (under /__emulator/…, no auth):
 *   POST /contacts            {user, phoneNumberId?, at?}   user messaged the number (opens blocking's 24 h)
 *   GET  /blocked?phoneNumberId=                            the blocklist as stored
 *   POST /cut-upload          {after}                       the next upload drops after `after` bytes
 *   POST /catalog-access      {enabled}                     token with / without catalog access
 *   POST /phone-numbers/{id}  {quality_rating?, throughput?, messaging_limit_tier?, name_status?, …}
 *   POST /calls               {event: connect|terminate|status|permission_reply, …}  delivers a webhook
 */
import { GraphError } from '../errors';
import { displayDigits } from '../seed';
import type { Emulator, RequestContext } from '../server';
import { bodyParams } from '../server';
import type { DeliveryOptions, WebhookPayload } from '../webhooks';
import { callConnect, callPermissionReply, callStatus, callTerminate } from './calling';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const s = (v: unknown) =>
	typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

export async function handleAccountControl(
	e: Emulator,
	c: RequestContext,
	route: string,
): Promise<boolean> {
	const phoneRoute = /^POST \/phone-numbers\/(\d+)$/.exec(route);
	if (phoneRoute) {
		c.send(200, e.account.patchPhoneNumber(phoneRoute[1], bodyParams(c)));
		return true;
	}
	switch (route) {
		case 'POST /contacts': {
			const b = bodyParams(c);
			const user = s(b.user);
			if (!user) throw new GraphError(100, 'Body must be {user, phoneNumberId?, at?}.');
			e.account.noteInbound(
				s(b.phoneNumberId) ?? e.config.phoneNumberIds[0],
				user,
				typeof b.at === 'number' ? b.at : Date.now(),
			);
			c.send(200, { success: true });
			return true;
		}
		case 'GET /blocked': {
			const id = c.url.searchParams.get('phoneNumberId') ?? e.config.phoneNumberIds[0];
			c.send(200, { data: e.account.blockedUsers(id) });
			return true;
		}
		case 'POST /cut-upload': {
			const after = bodyParams(c).after;
			if (typeof after !== 'number' || after < 0)
				throw new GraphError(100, 'Body must be {after: number of bytes to keep}.');
			e.account.cutNextUploadAfter = after;
			c.send(200, { success: true });
			return true;
		}
		case 'POST /catalog-access': {
			e.commerce.catalogAccess = bodyParams(c).enabled !== false;
			c.send(200, { success: true, catalogAccess: e.commerce.catalogAccess });
			return true;
		}
		case 'POST /calls': {
			const b = bodyParams(c);
			const opts = (isObj(b.options) ? b.options : {}) as DeliveryOptions;
			const phoneNumberId = s(b.phoneNumberId) ?? e.config.phoneNumberIds[0];
			const phone = e.phone(phoneNumberId);
			const ctx = {
				phoneNumberId,
				businessNumber: phone ? displayDigits(phone) : undefined,
				id: s(b.callId),
				ctaPayload: s(b.ctaPayload),
				bizOpaqueCallbackData: s(b.bizOpaqueCallbackData),
			};
			const from = s(b.from) ?? '16505551234';
			let payload: WebhookPayload;
			switch (b.event) {
				case 'connect':
					payload = callConnect(from, ctx);
					break;
				case 'terminate':
					payload = callTerminate(
						s(b.callId) ?? '',
						from,
						b.status === 'FAILED' ? 'FAILED' : 'COMPLETED',
						{
							...ctx,
							durationSeconds: typeof b.duration === 'number' ? b.duration : undefined,
							direction: b.direction === 'BUSINESS_INITIATED' ? 'BUSINESS_INITIATED' : undefined,
						},
					);
					break;
				case 'status':
					payload = callStatus(
						s(b.callId) ?? '',
						from,
						(['RINGING', 'ACCEPTED', 'REJECTED'].includes(String(b.status))
							? b.status
							: 'RINGING') as 'RINGING',
						ctx,
					);
					break;
				case 'permission_reply':
					payload = callPermissionReply(from, b.response === 'reject' ? 'reject' : 'accept', {
						phoneNumberId,
						permanent: b.permanent === true,
						context: s(b.contextId) ? { from: ctx.businessNumber, id: s(b.contextId) } : undefined,
					});
					break;
				default:
					throw new GraphError(
						100,
						'Body must have event: connect, terminate, status or permission_reply.',
					);
			}
			try {
				c.send(200, await e.deliver(payload, opts));
			} catch (err) {
				throw new GraphError(100, (err as Error).message);
			}
			return true;
		}
		default:
			return false;
	}
}
