/**
 * Control API for Flows under /__emulator/flows (no auth): drive a user through a Flow against an
 * endpoint, run Meta's health check, read the uploaded flow.json and the preview.
 *
 *   POST /flows/ping                      {flowId, endpointUrl?, sign?}           → exchange
 *   POST /flows/sessions                  {flowId, flowToken?, phoneNumberId?, from?, endpointUrl?,
 *                                          sign?, publicKeyPem?, screen?, data?, contextMessageId?}
 *                                                                                 → session (after INIT)
 *   GET  /flows/sessions[/{id}]                                                   → session(s)
 *   POST /flows/sessions/{id}/exchange    {screen?, data?, action?}               → {exchange, session}
 *   POST /flows/sessions/{id}/back        {data?}                                 → {exchange, session}
 *   POST /flows/sessions/{id}/error       {error, error_message}                  → {exchange, session}
 *   POST /flows/sessions/{id}/complete    {payload}                               → session
 *   POST /flows/submit                    {messageId, values, from?, flowToken?}  → nfm_reply delivered
 *   POST /flows/settings                  {timeoutMs}                             → settings
 *   GET  /flows/assets/{flowId}                                                   → the flow.json
 *   GET  /flows/preview/{flowId}?token=                                           → preview summary
 */
import { GraphError } from './errors';
import type { ExchangeOptions, OpenSessionOptions, SignMode } from './flowClient';
import type { Emulator, RequestContext } from './server';
import { bodyParams } from './server';
import { handleFlowSubmit } from './flowSubmit';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

async function guarded<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (e) {
		if (e instanceof GraphError) throw e;
		throw new GraphError(100, (e as Error).message);
	}
}

export async function handleFlowControl(
	e: Emulator,
	c: RequestContext,
	method: string,
	path: string,
): Promise<boolean> {
	if (!path.startsWith('/flows')) return false;
	const client = e.flowClient;
	const p = () => bodyParams(c);
	const parts = path.split('/').filter(Boolean); // ['flows', …]
	const send = (body: unknown) => c.send(200, body);

	if (method === 'POST' && path === '/flows/ping') {
		const b = p();
		const flowId = str(b.flowId);
		if (!flowId) throw new GraphError(100, 'Body must contain flowId.');
		send(
			await guarded(() =>
				client.ping(flowId, str(b.endpointUrl), (str(b.sign) ?? 'auto') as SignMode),
			),
		);
		return true;
	}
	if (method === 'POST' && path === '/flows/submit') {
		await handleFlowSubmit(e, c);
		return true;
	}
	if (method === 'POST' && path === '/flows/settings') {
		const b = p();
		if (typeof b.timeoutMs === 'number') client.settings.timeoutMs = b.timeoutMs;
		send(client.settings);
		return true;
	}
	if (parts[1] === 'sessions') {
		const id = parts[2];
		if (!id && method === 'POST') {
			const b = p();
			const flowId = str(b.flowId);
			if (!flowId) throw new GraphError(100, 'Body must contain flowId.');
			const options: OpenSessionOptions = {
				flowId,
				flowToken: str(b.flowToken),
				phoneNumberId: str(b.phoneNumberId),
				from: str(b.from),
				endpointUrl: str(b.endpointUrl),
				sign: str(b.sign) as SignMode | undefined,
				publicKeyPem: str(b.publicKeyPem),
				screen: str(b.screen),
				data: isObj(b.data) ? b.data : undefined,
				contextMessageId: str(b.contextMessageId),
			};
			send(await guarded(() => client.open(options)));
			return true;
		}
		if (!id && method === 'GET') {
			send({ data: client.all() });
			return true;
		}
		const session = id ? client.session(id) : undefined;
		if (!session) throw new GraphError(100, `No Flow session ${id ?? ''}.`, 404);
		const action = parts[3];
		if (!action && method === 'GET') {
			send(session);
			return true;
		}
		if (method === 'POST' && (action === 'exchange' || action === 'back')) {
			const b = p();
			const options: ExchangeOptions = {
				action:
					action === 'back'
						? 'BACK'
						: ((str(b.action) as ExchangeOptions['action']) ?? 'data_exchange'),
				screen: str(b.screen),
				data: isObj(b.data) ? b.data : undefined,
			};
			const exchange = await guarded(() => client.exchange(session.id, options));
			send({ exchange, session });
			return true;
		}
		if (method === 'POST' && action === 'error') {
			const b = p();
			const exchange = await guarded(() =>
				client.notifyError(session.id, str(b.error) ?? 'ERROR', str(b.error_message) ?? ''),
			);
			send({ exchange, session });
			return true;
		}
		if (method === 'POST' && action === 'complete') {
			const b = p();
			send(await guarded(() => client.complete(session.id, isObj(b.payload) ? b.payload : {})));
			return true;
		}
	}
	if (method === 'GET' && parts[1] === 'assets' && parts[2]) {
		const flow = e.flows.get(parts[2]);
		if (!flow?.json) throw new GraphError(100, 'No flow.json for this Flow.', 404);
		c.send(200, Buffer.from(flow.json, 'utf8'), { 'content-type': 'application/json' }, true);
		return true;
	}
	if (method === 'GET' && parts[1] === 'preview' && parts[2]) {
		const flow = e.flows.get(parts[2]);
		if (!flow || c.url.searchParams.get('token') !== flow.preview.token)
			throw new GraphError(100, 'This preview link is no longer valid.', 404);
		send({
			id: flow.id,
			name: flow.name,
			status: flow.status,
			screens: flow.doc?.screens.map((s) => s.id) ?? [],
		});
		return true;
	}
	return false;
}
