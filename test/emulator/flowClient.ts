/**
 * The WhatsApp client's side of a Flow with an endpoint (fact sheet 2 §5.1–5.2): it encrypts each
 * request with the number's business public key (a fresh AES-128 key and IV per request), signs it
 * with the app secret when an app is linked to the Flow, POSTs it to the endpoint, decrypts the
 * answer with the inverted IV and checks it against the Flow JSON (screen exists, is routed to,
 * data fits). On 421 it re-reads the public key and retries once, like the app. When the endpoint
 * closes the Flow it delivers the `nfm_reply` message webhook to the business.
 *
 * Written with node:crypto directly, apart from the package's helpers, so that a mistake there is
 * not mirrored here; its own tests check it against the openssl CLI.
 */
import {
	constants,
	createCipheriv,
	createDecipheriv,
	createHmac,
	publicEncrypt,
	randomBytes,
	randomUUID,
} from 'node:crypto';

import { checkScreenAnswer } from './flowJson';
import type { Accounts } from './graph/accounts';
import type { EmuFlow, FlowStore } from './graph/flows';
import type { DeliveryResult, EnvelopeContext, SenderOptions, WebhookPayload } from './webhooks';
import { postOnce } from './webhooks';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the client needs from the emulator. */
export interface FlowClientHost {
	readonly flows: FlowStore;
	readonly options: { appSecret: string };
	readonly accounts: Pick<Accounts, 'app' | 'waba'>;
	deliver(payload: WebhookPayload): Promise<DeliveryResult>;
	readonly inbound: {
		flowReply(from: string, response: Obj, o?: SenderOptions & EnvelopeContext): WebhookPayload;
	};
}

export interface FlowClientSettings {
	/** How long the client waits for the endpoint (Meta: about 10 s [U]). */
	timeoutMs: number;
}

export const DEFAULT_FLOW_CLIENT_SETTINGS: FlowClientSettings = { timeoutMs: 10_000 };

/** `sign: 'bad'` signs with a wrong secret; `'none'` sends no header (a Flow without an app). */
export type SignMode = 'auto' | 'none' | 'bad';

export interface FlowExchange {
	at: number;
	url: string;
	request: Obj;
	/** null: no HTTP answer (timeout, connection refused). */
	status: number | null;
	ms: number;
	signature?: string;
	/** The decrypted answer, when the status carries one. */
	response?: unknown;
	/** Why the client would not accept the answer (empty when it did). */
	problems: string[];
	accepted: boolean;
	error?: string;
	/** This exchange repeated a request that got 421, with the public key read again. */
	retryOf421?: boolean;
}

export type SessionStatus = 'open' | 'completed' | 'closed' | 'failed';

export interface FlowSession {
	id: string;
	flowId: string;
	flowToken?: string;
	phoneNumberId: string;
	from: string;
	endpointUrl: string;
	sign: SignMode;
	/** Encrypt with this public key instead of the number's (a client with a stale key). */
	publicKeyPem?: string;
	contextMessageId?: string;
	/** Screen the user is on, and the data it was shown with. */
	screen?: string;
	screenData: Obj;
	status: SessionStatus;
	/** Why the session is closed or failed. */
	reason?: string;
	exchanges: FlowExchange[];
	/** The params of the `nfm_reply`, once the Flow completed. */
	completion?: Obj;
	delivery?: DeliveryResult;
}

export interface OpenSessionOptions {
	flowId: string;
	flowToken?: string;
	phoneNumberId?: string;
	from?: string;
	endpointUrl?: string;
	sign?: SignMode;
	publicKeyPem?: string;
	contextMessageId?: string;
	/** For a Flow sent with flow_action navigate: the first screen, shown without an INIT request. */
	screen?: string;
	data?: Obj;
	/** Flow JSON version 3.0 data exchange by default. */
	version?: string;
}

export interface ExchangeOptions {
	action?: 'data_exchange' | 'BACK' | 'INIT';
	screen?: string;
	data?: Obj;
}

/** The client's crypto for one request, kept to read the answer. */
function encryptRequest(publicKeyPem: string, plaintext: Obj) {
	const aesKey = randomBytes(16);
	const iv = randomBytes(16);
	const cipher = createCipheriv('aes-128-gcm', aesKey, iv);
	const data = Buffer.concat([
		cipher.update(JSON.stringify(plaintext), 'utf8'),
		cipher.final(),
		cipher.getAuthTag(),
	]);
	const wrapped = publicEncrypt(
		{ key: publicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
		aesKey,
	);
	const body = JSON.stringify({
		encrypted_flow_data: data.toString('base64'),
		encrypted_aes_key: wrapped.toString('base64'),
		initial_vector: iv.toString('base64'),
	});
	return { body, aesKey, iv };
}

function decryptAnswer(text: string, aesKey: Buffer, iv: Buffer): unknown {
	const bytes = Buffer.from(text.trim(), 'base64');
	if (bytes.length < 16) throw new Error('the answer is shorter than a GCM tag');
	const inverted = Buffer.from(Array.from(iv, (b) => 255 - b));
	const decipher = createDecipheriv('aes-128-gcm', aesKey, inverted);
	decipher.setAuthTag(bytes.subarray(bytes.length - 16));
	const plaintext = Buffer.concat([
		decipher.update(bytes.subarray(0, bytes.length - 16)),
		decipher.final(),
	]);
	return JSON.parse(plaintext.toString('utf8')) as unknown;
}

export class FlowClient {
	settings: FlowClientSettings = { ...DEFAULT_FLOW_CLIENT_SETTINGS };
	private sessions = new Map<string, FlowSession>();

	constructor(private readonly host: FlowClientHost) {}

	reset(): void {
		this.sessions.clear();
		this.settings = { ...DEFAULT_FLOW_CLIENT_SETTINGS };
	}

	session(id: string): FlowSession | undefined {
		return this.sessions.get(id);
	}

	all(): FlowSession[] {
		return [...this.sessions.values()];
	}

	private flow(id: string): EmuFlow {
		const flow = this.host.flows.get(id);
		if (!flow) throw new Error(`No Flow ${id} in the emulator`);
		if (!flow.doc) throw new Error(`Flow ${id} has no usable Flow JSON`);
		return flow;
	}

	private keyFor(session: FlowSession): string {
		if (session.publicKeyPem) return session.publicKeyPem;
		const key = this.host.flows.publicKey(session.phoneNumberId);
		if (!key) throw new Error(`Phone number ${session.phoneNumberId} has no business public key`);
		return key.pem;
	}

	/** One encrypted POST; on 421 the public key is read again and the request sent once more. */
	private async post(session: FlowSession, request: Obj): Promise<FlowExchange> {
		const flow = this.flow(session.flowId);
		const first = await this.postOnce(session, flow, request, this.keyFor(session));
		if (first.status !== 421) return first;
		session.publicKeyPem = undefined; // the app fetches the current key
		const retry = await this.postOnce(session, flow, request, this.keyFor(session));
		return { ...retry, retryOf421: true };
	}

	private async postOnce(
		session: FlowSession,
		flow: EmuFlow,
		request: Obj,
		publicKeyPem: string,
	): Promise<FlowExchange> {
		const { body, aesKey, iv } = encryptRequest(publicKeyPem, request);
		const headers: Record<string, string> = {
			'content-type': 'application/json',
			'user-agent': 'WhatsApp/2.26 Flows-Emulator',
		};
		let signature: string | undefined;
		// Meta signs with the secret of the app linked to the Flow.
		const secret =
			(flow.applicationId && this.host.accounts.app(flow.applicationId)?.secret) ||
			this.host.options.appSecret;
		if (session.sign !== 'none' && (flow.applicationId || session.sign === 'bad')) {
			const key = session.sign === 'bad' ? `${secret}-forged` : secret;
			signature = `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
			headers['x-hub-signature-256'] = signature;
		}
		const t0 = Date.now();
		const answer = await postOnce(session.endpointUrl, body, headers, this.settings.timeoutMs);
		const exchange: FlowExchange = {
			at: t0,
			url: session.endpointUrl,
			request,
			status: answer.status,
			ms: Date.now() - t0,
			...(signature ? { signature } : {}),
			problems: [],
			accepted: false,
			...(answer.error ? { error: answer.error } : {}),
		};
		if ((answer.status === 200 || answer.status === 427) && answer.text !== undefined) {
			try {
				exchange.response = decryptAnswer(answer.text, aesKey, iv);
			} catch (e) {
				exchange.problems.push(`the answer does not decrypt: ${(e as Error).message}`);
			}
		}
		return exchange;
	}

	/** Meta's health check: `ping` must come back as `{ data: { status: 'active' } }`. */
	async ping(flowId: string, endpointUrl?: string, sign: SignMode = 'auto'): Promise<FlowExchange> {
		const flow = this.flow(flowId);
		const session = this.newSession({ flowId, endpointUrl, sign }, flow);
		const exchange = await this.post(session, { version: '3.0', action: 'ping' });
		if (exchange.status !== 200) exchange.problems.push(`ping answered HTTP ${exchange.status}`);
		else if (
			!isObj(exchange.response) ||
			!isObj(exchange.response.data) ||
			exchange.response.data.status !== 'active'
		)
			exchange.problems.push('ping answer is not {"data":{"status":"active"}}');
		exchange.accepted = exchange.problems.length === 0;
		return exchange;
	}

	private newSession(o: OpenSessionOptions, flow: EmuFlow): FlowSession {
		const endpointUrl = o.endpointUrl ?? flow.endpointUri;
		if (!endpointUrl) throw new Error(`Flow ${flow.id} has no endpoint_uri`);
		return {
			id: randomUUID(),
			flowId: flow.id,
			flowToken: o.flowToken,
			phoneNumberId:
				o.phoneNumberId ?? this.host.accounts.waba(flow.wabaId)?.phoneNumbers[0]?.id ?? '',
			from: o.from ?? '16505551234',
			endpointUrl,
			sign: o.sign ?? 'auto',
			publicKeyPem: o.publicKeyPem,
			contextMessageId: o.contextMessageId,
			screenData: {},
			status: 'open',
			exchanges: [],
		};
	}

	/**
	 * Opens a Flow as the user tapping its button: with `screen` (flow_action navigate) it shows
	 * that screen; otherwise it sends INIT and shows what the endpoint answers.
	 */
	async open(o: OpenSessionOptions): Promise<FlowSession> {
		const flow = this.flow(o.flowId);
		const session = this.newSession(o, flow);
		this.sessions.set(session.id, session);
		if (o.screen) {
			const problems = checkScreenAnswer(flow.doc!, undefined, {
				screen: o.screen,
				data: o.data ?? {},
			});
			if (problems.length) throw new Error(`navigate to ${o.screen}: ${problems.join('; ')}`);
			session.screen = o.screen;
			session.screenData = o.data ?? {};
			return session;
		}
		await this.exchange(session.id, { action: 'INIT', data: o.data });
		return session;
	}

	private require(id: string): FlowSession {
		const session = this.sessions.get(id);
		if (!session) throw new Error(`No Flow session ${id}`);
		if (session.status !== 'open') throw new Error(`Flow session ${id} is ${session.status}`);
		return session;
	}

	/** A data_exchange (default), BACK or INIT request from the session's current screen. */
	async exchange(id: string, o: ExchangeOptions = {}): Promise<FlowExchange> {
		const session = this.require(id);
		const flow = this.flow(session.flowId);
		const action = o.action ?? 'data_exchange';
		const screen = o.screen ?? session.screen;
		const request: Obj = { version: flow.doc!.data_api_version ?? '3.0', action };
		if (screen && action !== 'INIT') request.screen = screen;
		if (o.data !== undefined || action === 'data_exchange') request.data = o.data ?? {};
		if (session.flowToken !== undefined) request.flow_token = session.flowToken;
		const exchange = await this.post(session, request);
		session.exchanges.push(exchange);
		// BACK returns to an earlier screen, which the routing model does not list as a next one.
		await this.apply(session, flow, exchange, action === 'data_exchange' ? screen : undefined);
		return exchange;
	}

	/** Tells the endpoint about an error it caused; the client expects `{acknowledged: true}`. */
	async notifyError(id: string, error: string, errorMessage: string): Promise<FlowExchange> {
		const session = this.require(id);
		const flow = this.flow(session.flowId);
		const request: Obj = {
			version: flow.doc!.data_api_version ?? '3.0',
			action: 'data_exchange',
			...(session.screen ? { screen: session.screen } : {}),
			data: { error, error_message: errorMessage },
			...(session.flowToken !== undefined ? { flow_token: session.flowToken } : {}),
		};
		const exchange = await this.post(session, request);
		session.exchanges.push(exchange);
		const r = exchange.response;
		if (exchange.status !== 200)
			exchange.problems.push(`error notice answered HTTP ${exchange.status}`);
		else if (!isObj(r) || !isObj(r.data) || r.data.acknowledged !== true)
			exchange.problems.push('error notice answer is not {"data":{"acknowledged":true}}');
		exchange.accepted = exchange.problems.length === 0;
		return exchange;
	}

	/** What the client does with an answer: next screen, completion, or an error modal. */
	private async apply(
		session: FlowSession,
		flow: EmuFlow,
		exchange: FlowExchange,
		fromScreen: string | undefined,
	): Promise<void> {
		const fail = (reason: string) => {
			session.status = 'failed';
			session.reason = reason;
		};
		if (exchange.status === null)
			return fail(`no answer from the endpoint (${exchange.error ?? 'error'})`);
		if (exchange.status === 421)
			return fail('the request could not be decrypted, even with the public key read again');
		if (exchange.status === 432) return fail('the endpoint rejected the request signature');
		if (exchange.status === 427) {
			const r = exchange.response;
			if (!isObj(r) || typeof r.error_msg !== 'string')
				exchange.problems.push('a 427 answer must carry {"error_msg": "…"}');
			session.status = 'closed';
			session.reason =
				isObj(r) && typeof r.error_msg === 'string' ? r.error_msg : 'flow token no longer valid';
			exchange.accepted = exchange.problems.length === 0;
			return;
		}
		if (exchange.status !== 200) return fail(`the endpoint answered HTTP ${exchange.status}`);
		const r = exchange.response;
		if (exchange.problems.length || !isObj(r)) {
			if (!isObj(r)) exchange.problems.push('the answer is not a JSON object');
			return; // the user stays on the screen and sees an error
		}
		if (r.screen === 'SUCCESS') {
			const ext = isObj(r.data) ? r.data.extension_message_response : undefined;
			const params = isObj(ext) ? ext.params : undefined;
			if (!isObj(params) || typeof params.flow_token !== 'string') {
				exchange.problems.push('SUCCESS needs data.extension_message_response.params.flow_token');
				return;
			}
			exchange.accepted = true;
			session.status = 'completed';
			session.completion = params;
			await this.deliverCompletion(session, params);
			return;
		}
		exchange.problems.push(...checkScreenAnswer(flow.doc!, fromScreen, r));
		if (exchange.problems.length) return;
		exchange.accepted = true;
		session.screen = String(r.screen);
		session.screenData = isObj(r.data) ? r.data : {};
	}

	/** Closes the Flow from a terminal screen without the endpoint (the `complete` action). */
	async complete(id: string, payload: Obj): Promise<FlowSession> {
		const session = this.require(id);
		const flow = this.flow(session.flowId);
		const screen = flow.doc!.screens.find((s) => s.id === session.screen);
		if (!screen?.terminal) throw new Error(`screen ${session.screen ?? '(none)'} is not terminal`);
		const params = {
			...payload,
			...(session.flowToken !== undefined ? { flow_token: session.flowToken } : {}),
		};
		session.status = 'completed';
		session.completion = params;
		await this.deliverCompletion(session, params);
		return session;
	}

	private async deliverCompletion(session: FlowSession, params: Obj): Promise<void> {
		const payload = this.host.inbound.flowReply(session.from, params, {
			phoneNumberId: session.phoneNumberId,
			...(session.contextMessageId ? { context: { id: session.contextMessageId } } : {}),
		});
		try {
			session.delivery = await this.host.deliver(payload);
		} catch (e) {
			session.reason = `nfm_reply not delivered: ${(e as Error).message}`;
		}
	}
}
