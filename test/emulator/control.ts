/** Control API under /__emulator/… (no auth): settings, reset, recordings, webhooks, inbound. */
import { GraphError } from './errors';
import { handleAccountControl } from './graph/accountControl';
import type { AccountsSeed } from './graph/accounts';
import type { TemplateStatus } from './seed';
import { handleFlowControl } from './flowControl';
import type { Emulator, RequestContext } from './server';
import { bodyParams } from './server';
import type { DeliveryOptions, StatusKind, WebhookPayload } from './webhooks';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function handleControl(e: Emulator, c: RequestContext): Promise<void> {
	const route = `${c.req.method} ${c.url.pathname.replace(/^\/__emulator/, '').replace(/\/$/, '')}`;
	const p = () => bodyParams(c);
	switch (route) {
		case 'GET /config':
			return c.send(200, e.config);
		case 'GET /settings':
			return c.send(200, e.settings);
		case 'POST /settings':
			return c.send(200, e.configure(p()));
		case 'POST /reset':
			e.reset();
			return c.send(200, { success: true });
		case 'GET /messages': {
			const to = c.url.searchParams.get('to');
			const list = e.messages().filter((m) => !to || m.to === to || m.recipient === to);
			return c.send(200, { data: list, count: list.length });
		}
		case 'GET /requests':
			return c.send(200, { data: e.requests() });
		case 'GET /reads':
			return c.send(200, { data: e.reads() });
		case 'GET /stats':
			return c.send(200, e.stats());
		case 'POST /faults/queue': {
			const b = p();
			if (typeof b.to !== 'string' || typeof b.code !== 'number')
				throw new GraphError(100, 'Body must be {to: string, code: number, count?: number}.');
			e.queueError(
				b.to,
				b.code,
				typeof b.count === 'number' ? b.count : 1,
				typeof b.details === 'string' ? b.details : undefined,
			);
			return c.send(200, { success: true, pending: e.errorQueue.pending() });
		}
		case 'POST /webhook': {
			const b = p();
			e.setCallback(
				typeof b.url === 'string' && b.url ? b.url : undefined,
				typeof b.verifyToken === 'string' ? b.verifyToken : undefined,
			);
			return c.send(200, { success: true, callback: e.callback ?? null });
		}
		case 'GET /webhook':
			return c.send(200, { callback: e.callback ?? null, subscriptions: e.subscriptionsList() });
		case 'POST /verify': {
			const b = p();
			try {
				return c.send(
					200,
					await e.verify(
						typeof b.url === 'string' ? b.url : undefined,
						typeof b.verifyToken === 'string' ? b.verifyToken : undefined,
					),
				);
			} catch (err) {
				throw new GraphError(100, (err as Error).message);
			}
		}
		case 'POST /inbound': {
			const b = p();
			const opts = (isObj(b.options) ? b.options : {}) as DeliveryOptions;
			let payload: WebhookPayload | Obj;
			if (isObj(b.payload)) payload = b.payload;
			else if (isObj(b.message)) payload = e.inbound.message(b.message);
			else if (isObj(b.status)) {
				const s = b.status;
				payload = e.inbound.status(
					String(s.wamid ?? ''),
					String(s.status ?? 'delivered') as StatusKind,
					s as Obj,
				);
			} else if (isObj(b.event))
				payload = e.inbound.event(String(b.event.field), isObj(b.event.value) ? b.event.value : {});
			else throw new GraphError(100, 'Body must contain one of payload, message, status, event.');
			try {
				// The first POST (as before), plus every POST when overrides split the event.
				const posts = await e.deliverAll(payload, opts);
				return c.send(200, { ...posts[0], posts });
			} catch (err) {
				throw new GraphError(100, (err as Error).message);
			}
		}
		case 'GET /accounts':
			return c.send(200, e.accounts.snapshot());
		case 'POST /accounts':
			e.accounts.add(p() as AccountsSeed);
			return c.send(200, e.accounts.snapshot());
		case 'GET /registrations':
			return c.send(200, e.registrations.view());
		case 'GET /deliveries':
			return c.send(200, e.deliveries());
		case 'POST /media': {
			const b = p();
			if (typeof b.base64 !== 'string' || typeof b.mimeType !== 'string')
				throw new GraphError(100, 'Body must be {base64, mimeType, filename?}.');
			const m = e.storeMedia(
				Buffer.from(b.base64, 'base64'),
				b.mimeType,
				typeof b.filename === 'string' ? b.filename : undefined,
			);
			return c.send(200, { id: m.id, sha256: m.sha256 });
		}
		case 'GET /templates/submissions':
			return c.send(200, { data: e.templates.submissions() });
		case 'POST /templates/status': {
			const b = p();
			if (typeof b.id !== 'string' || typeof b.status !== 'string')
				throw new GraphError(100, 'Body must be {id, status}.');
			return c.send(200, e.templates.setStatus(b.id, b.status as TemplateStatus));
		}
		case 'POST /templates/clock': {
			const b = p();
			if (typeof b.advanceMs !== 'number' || b.advanceMs < 0)
				throw new GraphError(100, 'Body must be {advanceMs: number ≥ 0}.');
			e.templates.advanceClock(b.advanceMs);
			return c.send(200, { now: e.templates.now() });
		}
		default:
			if (await handleFlowControl(e, c, c.req.method ?? 'GET', route.slice(route.indexOf(' ') + 1)))
				return;
			if (await handleAccountControl(e, c, route)) return;
			throw new GraphError(100, `Unknown control route ${route}.`, 404);
	}
}
