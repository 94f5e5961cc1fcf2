/**
 * Automatic and manual webhook registration against the Cloud API emulator. The emulator runs
 * Meta's GET handshake against the callback URL during `POST /{app-id}/subscriptions`; a loopback
 * server forwards that request (and later event deliveries) to the trigger's webhook() through
 * the harness, so the whole loop runs over real HTTP with real HMACs.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { WhatsAppCloudTrigger } from '../../nodes/WhatsAppCloud/WhatsAppCloudTrigger.node';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { callHook, emulatorCredentials } from './harness';
import { respondWithTrigger } from './harness/trigger-workflows';

const node = new WhatsAppCloudTrigger();
const VERIFY_TOKEN = 'registration-verify-token';
const WEBHOOK_SUFFIX = '/harness-webhook-id/webhook';

// Real HTTP round trips; generous when the machine is busy.
jest.setTimeout(30_000);

let emu: Emulator;
let forwarder: http.Server;
let forwarderUrl: string;
/** Executions started by deliveries that reached the forwarder, newest last. */
const executions: INodeExecutionData[][] = [];
let currentParameters: INodeParameters = {};

function credentials(overrides: IDataObject = {}) {
	return emulatorCredentials(emu, { verifyToken: VERIFY_TOKEN, ...overrides });
}

/** Serves every path: GET → the trigger's handshake, POST → its event handling. */
function startForwarder(): Promise<void> {
	forwarder = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			void respondWithTrigger(
				{ node, parameters: currentParameters, credentials: credentials() },
				req,
				Buffer.concat(chunks),
				res,
				(outcome) => {
					if (outcome.workflowData) executions.push(outcome.workflowData[0]);
				},
			);
		});
	});
	return new Promise((resolve) =>
		forwarder.listen(0, '127.0.0.1', () => {
			forwarderUrl = `http://127.0.0.1:${(forwarder.address() as AddressInfo).port}`;
			resolve();
		}),
	);
}

beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
	await startForwarder();
});
afterAll(async () => {
	await emu.stop();
	await new Promise<void>((resolve) => forwarder.close(() => resolve()));
});
beforeEach(() => {
	emu.reset();
	executions.length = 0;
});

const urlFor = (prefix: string) => `${forwarderUrl}/${prefix}${WEBHOOK_SUFFIX}`;

async function hook(
	method: 'checkExists' | 'create' | 'delete',
	opts: {
		parameters?: INodeParameters;
		webhookUrl?: string;
		staticData?: IDataObject;
		creds?: IDataObject;
	} = {},
) {
	currentParameters = { registration: 'automatic', ...opts.parameters };
	return await callHook({
		node,
		parameters: currentParameters,
		credentials: credentials(opts.creds),
		method,
		webhookUrl: opts.webhookUrl ?? urlFor('webhook'),
		staticData: opts.staticData,
	});
}

const graphCalls = () =>
	emu
		.requests()
		.filter((request) => !request.path.startsWith('/__'))
		.map((request) => `${request.method} ${request.path.replace(`/${emu.config.apiVersion}`, '')}`);

const subscriptions = () =>
	emu
		.subscriptionsList()
		.map((s) => ({ url: s.callback_url, fields: s.fields.map((f) => f.name) }));

async function wabaSubscribed(): Promise<boolean> {
	const response = await fetch(
		`${emu.baseUrl}/${emu.config.apiVersion}/${emu.config.wabaId}/subscribed_apps`,
		{
			headers: { authorization: `Bearer ${emu.config.token}` },
		},
	);
	const body = (await response.json()) as { data: unknown[] };
	return body.data.length > 0;
}

describe('manual registration', () => {
	const parameters = { registration: 'manual' };

	it('calls nothing at Meta in any hook', async () => {
		expect(await hook('checkExists', { parameters })).toBe(false);
		expect(await hook('create', { parameters })).toBe(true);
		expect(await hook('delete', { parameters })).toBe(true);
		expect(graphCalls()).toEqual([]);
	});

	it('refuses to activate without an app secret', async () => {
		await expect(hook('create', { parameters, creds: { appSecret: '' } })).rejects.toThrow(
			/no App Secret/,
		);
	});

	it('the URL pasted into the dashboard passes Meta’s handshake and receives signed events', async () => {
		currentParameters = parameters;
		const url = urlFor('webhook');
		emu.setCallback(url, VERIFY_TOKEN);
		expect((await emu.verify()).ok).toBe(true);
		expect((await emu.verify(url, 'wrong-token')).ok).toBe(false);
		const delivery = await emu.deliver(emu.inbound.text('16505551234', 'hello manual'));
		expect(delivery.statusCodes).toEqual([200]);
		expect(executions).toHaveLength(1);
		expect(executions[0][0].json).toMatchObject({ event: 'message', text: 'hello manual' });
	});
});

describe('automatic registration', () => {
	it('create subscribes the app (after Meta’s handshake) and the WABA; checkExists then sees it', async () => {
		const staticData: IDataObject = {};
		expect(await hook('checkExists', { staticData })).toBe(false);
		expect(
			await hook('create', {
				staticData,
				parameters: { subscribeFields: ['messages', 'account_update'] },
			}),
		).toBe(true);
		expect(subscriptions()).toEqual([
			{ url: urlFor('webhook'), fields: ['messages', 'account_update'] },
		]);
		expect(await wabaSubscribed()).toBe(true);
		expect(
			await hook('checkExists', {
				staticData,
				parameters: { subscribeFields: ['messages', 'account_update'] },
			}),
		).toBe(true);
		// More fields wanted than subscribed → not registered as wanted.
		expect(
			await hook('checkExists', {
				staticData,
				parameters: { subscribeFields: ['messages', 'security'] },
			}),
		).toBe(false);
		expect(graphCalls()).toEqual(
			expect.arrayContaining([
				`POST /${emu.config.appId}/subscriptions`,
				`POST /${emu.config.wabaId}/subscribed_apps`,
			]),
		);
	});

	it('events Meta delivers after activation start executions', async () => {
		await hook('create');
		const delivery = await emu.deliver(emu.inbound.text('16505551234', 'hello automatic'));
		expect(delivery.statusCodes).toEqual([200]);
		expect(executions[0][0].json).toMatchObject({ event: 'message', text: 'hello automatic' });
		const forged = await emu.deliver(emu.inbound.text('16505551234', 'forged'), {
			signature: 'bad',
			maxAttempts: 1,
		});
		expect(forged.statusCodes).toEqual([401]);
		expect(executions).toHaveLength(1);
	});

	it('delete removes what points here: the app subscription and the WABA subscription it added', async () => {
		const staticData: IDataObject = {};
		await hook('create', { staticData });
		expect(await hook('delete', { staticData })).toBe(true);
		expect(subscriptions()).toEqual([]);
		expect(await wabaSubscribed()).toBe(false);
	});

	it('delete leaves the WABA subscription when it existed before activation', async () => {
		await fetch(`${emu.baseUrl}/${emu.config.apiVersion}/${emu.config.wabaId}/subscribed_apps`, {
			method: 'POST',
			headers: { authorization: `Bearer ${emu.config.token}` },
		});
		const staticData: IDataObject = {};
		await hook('create', { staticData });
		await hook('delete', { staticData });
		expect(subscriptions()).toEqual([]);
		expect(await wabaSubscribed()).toBe(true);
	});

	it('never takes over or removes another workflow’s subscription', async () => {
		const other: IDataObject = {};
		const mine: IDataObject = {};
		await hook('create', { webhookUrl: urlFor('other-workflow'), staticData: other });
		await expect(hook('create', { staticData: mine })).rejects.toThrow(
			/already sends its WhatsApp webhooks to another URL/,
		);
		expect(await hook('checkExists', { staticData: mine })).toBe(false);
		expect(await hook('delete', { staticData: mine })).toBe(true);
		expect(subscriptions()).toEqual([{ url: urlFor('other-workflow'), fields: ['messages'] }]);
		expect(await wabaSubscribed()).toBe(true);
	});

	it('with "Replace Existing Webhook" takes over, and restores the previous URL on delete', async () => {
		await hook('create', { webhookUrl: urlFor('other-workflow') });
		const mine: IDataObject = {};
		const parameters = { options: { replaceExistingSubscription: true } };
		expect(await hook('create', { staticData: mine, parameters })).toBe(true);
		expect(subscriptions()).toEqual([{ url: urlFor('webhook'), fields: ['messages'] }]);
		await hook('delete', { staticData: mine, parameters });
		expect(subscriptions()).toEqual([{ url: urlFor('other-workflow'), fields: ['messages'] }]);
		expect(await wabaSubscribed()).toBe(true);
	});

	it.each([
		['App ID', { appId: '' }],
		['WhatsApp Business Account ID', { businessAccountId: '' }],
		['Verify Token', { verifyToken: '' }],
	])('activation without %s fails with a clear message; delete is a no-op', async (name, creds) => {
		await expect(hook('create', { creds })).rejects.toThrow(new RegExp(`needs ${name}`));
		expect(await hook('delete', { creds })).toBe(true);
		expect(graphCalls()).toEqual([]);
	});

	it('a failing handshake surfaces Meta’s error instead of pretending success', async () => {
		const error = await hook('create', {
			webhookUrl: `http://127.0.0.1:1/nothing${WEBHOOK_SUFFIX}`,
		}).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toMatch(/Meta could not verify the webhook URL/);
		expect((error as NodeOperationError).description).toMatch(/Callback verification failed/);
		expect(subscriptions()).toEqual([]);
	});
});

describe('how registration authenticates (recording Graph stub)', () => {
	interface Recorded {
		method: string;
		path: string;
		accessToken: string | null;
		authorization: string | undefined;
		body: string;
	}
	let stub: http.Server;
	let stubUrl: string;
	const recorded: Recorded[] = [];

	beforeAll(async () => {
		stub = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const url = new URL(req.url ?? '/', 'http://127.0.0.1');
				recorded.push({
					method: req.method ?? '',
					path: url.pathname,
					accessToken: url.searchParams.get('access_token'),
					authorization: req.headers.authorization,
					body: Buffer.concat(chunks).toString('utf8'),
				});
				res.setHeader('content-type', 'application/json');
				res.end(JSON.stringify(req.method === 'GET' ? { data: [] } : { success: true }));
			});
		});
		await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
		stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await new Promise<void>((resolve) => stub.close(() => resolve()));
	});

	it('app subscriptions use the app token {app-id}|{app-secret}; WABA calls the system-user token', async () => {
		const creds = {
			accessToken: 'system-user-token',
			appSecret: 'the-app-secret',
			appId: '1234567890',
			businessAccountId: '102290129340398',
			baseUrl: stubUrl,
			apiVersion: 'v26.0',
		};
		expect(await hook('create', { creds, webhookUrl: urlFor('stubbed') })).toBe(true);
		expect(
			recorded.map(({ method, path, accessToken, authorization }) => ({
				method,
				path,
				accessToken,
				authorization,
			})),
		).toEqual([
			// The app token holds the app secret: in the header, never in the URL (audit finding 8).
			{
				method: 'GET',
				path: '/v26.0/1234567890/subscriptions',
				accessToken: null,
				authorization: 'Bearer 1234567890|the-app-secret',
			},
			{
				method: 'POST',
				path: '/v26.0/1234567890/subscriptions',
				accessToken: null,
				authorization: 'Bearer 1234567890|the-app-secret',
			},
			{
				method: 'GET',
				path: '/v26.0/102290129340398/subscribed_apps',
				accessToken: null,
				authorization: 'Bearer system-user-token',
			},
			{
				method: 'POST',
				path: '/v26.0/102290129340398/subscribed_apps',
				accessToken: null,
				authorization: 'Bearer system-user-token',
			},
		]);
		expect(JSON.parse(recorded[1].body)).toEqual({
			object: 'whatsapp_business_account',
			callback_url: urlFor('stubbed'),
			verify_token: VERIFY_TOKEN,
			fields: 'messages',
			include_values: true,
		});
	});

	it('activation and deletion against the emulator put the app secret in no URL', async () => {
		emu.reset();
		const staticData: IDataObject = {};
		expect(await hook('create', { staticData })).toBe(true);
		expect(await hook('delete', { staticData })).toBe(true);
		const appCalls = emu.requests().filter((r) => r.path.endsWith('/subscriptions'));
		expect(appCalls.map((r) => r.method)).toEqual(expect.arrayContaining(['POST', 'DELETE']));
		const secret = emu.config.appSecret;
		for (const call of emu.requests()) {
			expect(JSON.stringify(call.query ?? {})).not.toContain(secret);
			expect(call.path).not.toContain(secret);
		}
	});
});

describe('re-activation keeps what the first activation saved', () => {
	it('create twice after replacing still restores the original URL on delete', async () => {
		await hook('create', { webhookUrl: urlFor('other-workflow') });
		const mine: IDataObject = {};
		const parameters = { options: { replaceExistingSubscription: true } };
		await hook('create', { staticData: mine, parameters });
		// n8n restarts and its checkExists says "missing" because the wanted fields changed.
		await hook('create', {
			staticData: mine,
			parameters: { ...parameters, subscribeFields: ['messages', 'security'] },
		});
		expect(subscriptions()).toEqual([{ url: urlFor('webhook'), fields: ['messages', 'security'] }]);
		await hook('delete', { staticData: mine, parameters });
		expect(subscriptions()).toEqual([{ url: urlFor('other-workflow'), fields: ['messages'] }]);
	});
});
