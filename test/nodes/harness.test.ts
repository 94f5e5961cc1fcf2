/** Proves the harness runs nodes through n8n-core's real execution code. */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { callHook, callLoadOptions, callWebhook, runNode } from './harness';
import {
	BinaryFixture,
	HttpFixture,
	SearchFixture,
	ThrowFixture,
	WebhookFixture,
} from './harness/fixtures/nodes';

interface Seen {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

let server: http.Server;
let baseUrl: string;
const seen: Seen[] = [];

beforeAll(async () => {
	server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString();
			seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
			res.setHeader('content-type', 'application/json');
			if (req.headers.authorization !== 'Bearer test-token') {
				res.statusCode = 401;
				res.end(JSON.stringify({ error: { message: 'Invalid OAuth access token', code: 190 } }));
			} else if (req.url!.includes('/fail')) {
				res.statusCode = 400;
				res.end(JSON.stringify({ error: { message: 'Invalid parameter', code: 100 } }));
			} else if (req.url!.includes('/phone_numbers')) {
				const page2 = req.url!.includes('after=p2');
				res.end(
					JSON.stringify(
						page2
							? { data: [{ id: '3', name: 'Gamma' }] }
							: {
									data: [
										{ id: '1', name: 'Alpha' },
										{ id: '2', name: 'Beta' },
									],
									next: 'p2',
								},
					),
				);
			} else {
				res.end(JSON.stringify({ messages: [{ id: 'wamid.1' }], echo: JSON.parse(body || '{}') }));
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
	seen.length = 0;
});

const creds = () => ({
	whatsAppCloudApi: {
		accessToken: 'test-token',
		appSecret: 'shh',
		appId: 'app-1',
		verifyToken: 'vt',
		baseUrl,
	},
});

describe('runNode', () => {
	it('sends through httpRequestWithAuthentication with the credential authenticate applied', async () => {
		const { outputs, error, authenticateCalls } = await runNode({
			node: new HttpFixture(),
			parameters: { path: 'messages', phone: '={{ $json.phone }}' },
			items: [{ json: { phone: '+1 555 0100' } }, { json: { phone: '+1 555 0101' } }],
			credentials: creds(),
		});
		expect(error).toBeUndefined();
		expect(seen).toHaveLength(2);
		expect(seen[0].headers.authorization).toBe('Bearer test-token');
		// apiVersion omitted in the test credentials → the credential type's default, as in n8n.
		expect(seen[0].url).toBe('/v26.0/messages');
		expect(JSON.parse(seen[1].body)).toEqual({ to: '+1 555 0101' });
		expect(outputs[0].map((i) => i.json.echo)).toEqual([
			{ to: '+1 555 0100' },
			{ to: '+1 555 0101' },
		]);
		expect(outputs[0][1].pairedItem).toEqual({ item: 1 });
		expect(authenticateCalls.map((c) => c.typeName)).toEqual([
			'whatsAppCloudApi',
			'whatsAppCloudApi',
		]);
	});

	it('without the right token the server rejects: proves the header comes from the credential', async () => {
		const { error } = await runNode({
			node: new HttpFixture(),
			parameters: { path: 'messages', phone: 'x' },
			credentials: { whatsAppCloudApi: { ...creds().whatsAppCloudApi, accessToken: 'other' } },
		});
		expect(seen[0].headers.authorization).toBe('Bearer other');
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('401');
	});

	it('surfaces a NodeApiError from an HTTP 400 as the recorded error', async () => {
		const { outputs, error } = await runNode({
			node: new HttpFixture(),
			parameters: { path: 'fail', phone: 'x' },
			credentials: creds(),
		});
		expect(outputs).toEqual([]);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('400');
		expect(error!.message).toContain('Bad request');
		expect((error as NodeApiError).description).toContain('Invalid parameter');
	});

	it('getCredentials without credentials fails like n8n', async () => {
		const { error } = await runNode({ node: new HttpFixture(), parameters: {} });
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toMatch(/credentials/i);
	});

	const items = [{ json: { n: 1 } }, { json: { n: 2, fail: true } }, { json: { n: 3 } }];

	it('NodeOperationError stops the workflow without continueOnFail', async () => {
		const { outputs, error } = await runNode({
			node: new ThrowFixture(),
			parameters: { reason: '={{ "bad item " + $json.n }}' },
			items,
		});
		expect(outputs).toEqual([]);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe('bad item 2');
		expect((error as NodeOperationError).context.itemIndex).toBe(1);
	});

	it('continueOnFail keeps going with an error item', async () => {
		const { outputs, error } = await runNode({
			node: new ThrowFixture(),
			parameters: {},
			items,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => i.json)).toEqual([{ ok: 1 }, { error: 'bad item' }, { ok: 3 }]);
	});

	it("onError 'continueErrorOutput' routes error items to the second output (n8n does it)", async () => {
		const { outputs, error } = await runNode({
			node: new ThrowFixture(),
			parameters: {},
			items,
			onError: 'continueErrorOutput',
		});
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => i.json)).toEqual([{ ok: 1 }, { ok: 3 }]);
		// n8n merges the failed item's input json into error items (handleNodeErrorOutput).
		expect(outputs[1].map((i) => i.json)).toEqual([{ error: 'bad item', n: 2, fail: true }]);
	});

	it('binary in and out through the filesystem BinaryDataService', async () => {
		const { outputs, error, binary } = await runNode({
			node: new BinaryFixture(),
			parameters: {},
			items: [
				{
					json: {},
					binary: {
						data: { data: Buffer.from('hello'), mimeType: 'text/plain', fileName: 'a.txt' },
					},
				},
			],
		});
		expect(error).toBeUndefined();
		const [item] = outputs[0];
		expect(item.json).toMatchObject({ inSize: 5, inMime: 'text/plain' });
		expect(String(item.json.inId)).toMatch(/^filesystem-v2:/);
		expect(item.binary!.out).toMatchObject({ fileName: 'upper-a.txt', mimeType: 'text/plain' });
		expect(item.binary!.out.id).toMatch(/^filesystem-v2:/);
		expect((await binary(item, 'out')).toString()).toBe('HELLO');
	});
});

describe('callWebhook', () => {
	const sign = (body: string, secret = 'shh') =>
		'sha256=' + createHmac('sha256', secret).update(body).digest('hex');

	it('GET handshake returns webhookResponse as the body with 200', async () => {
		const r = await callWebhook({
			node: new WebhookFixture(),
			parameters: {},
			credentials: creds(),
			method: 'GET',
			query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'vt', 'hub.challenge': '1234' },
		});
		expect(r.statusCode).toBe(200);
		expect(r.responseBody).toBe('1234');
		expect(r.workflowData).toBeUndefined();
	});

	it('a response written by the node (res.status(403).send) is what the client gets', async () => {
		const r = await callWebhook({
			node: new WebhookFixture(),
			parameters: {},
			credentials: creds(),
			webhookName: 'setup',
			method: 'GET',
			query: { 'hub.verify_token': 'nope', 'hub.challenge': '1234' },
		});
		expect(r).toMatchObject({
			statusCode: 403,
			responseBody: 'verify token mismatch',
			noWebhookResponse: true,
		});
		expect(r.headers['content-type']).toContain('text/html');
	});

	it('POST with a bad signature → 401 JSON from the response object, no workflow data', async () => {
		const r = await callWebhook({
			node: new WebhookFixture(),
			parameters: {},
			credentials: creds(),
			method: 'POST',
			headers: { 'x-hub-signature-256': sign('{}', 'wrong') },
			body: '{}',
		});
		expect(r.statusCode).toBe(401);
		expect(r.responseBody).toEqual({ error: 'invalid signature' });
		expect(r.workflowData).toBeUndefined();
	});

	it('POST with a valid signature over the raw bytes → workflowData, 200, static data persists', async () => {
		// Non-canonical JSON: re-serialising req.body would break the signature; rawBody must be exact.
		const raw = '{ "entry" : [ { "id": "\\u00e9" } ] }';
		const staticData: IDataObject = {};
		const call = async () =>
			await callWebhook({
				node: new WebhookFixture(),
				parameters: { tag: '={{ "t-" + 1 }}' },
				credentials: creds(),
				method: 'POST',
				headers: { 'X-Hub-Signature-256': sign(raw) },
				body: Buffer.from(raw),
				staticData,
			});
		const r = await call();
		expect(r.statusCode).toBe(200);
		expect(r.responseBody).toEqual({ message: 'Workflow was started' });
		expect(r.workflowData![0][0].json).toEqual({
			body: { entry: [{ id: 'é' }] },
			rawLength: Buffer.byteLength(raw),
			tag: 't-1',
			count: 1,
		});
		const again = await call();
		expect(again.workflowData![0][0].json.count).toBe(2);
		expect(staticData).toEqual({ 'node:Webhook Fixture': { count: 2 } });
	});

	const post = async (mode: string) =>
		await callWebhook({
			node: new WebhookFixture(),
			parameters: {},
			credentials: creds(),
			method: 'POST',
			headers: { 'x-hub-signature-256': sign('{}'), 'x-mode': mode },
			body: '{}',
		});

	it('a node that answers first and returns workflowData later: both are reported', async () => {
		const r = await post('respond-first');
		expect(r).toMatchObject({
			statusCode: 200,
			responseBody: 'EVENT_RECEIVED',
			noWebhookResponse: true,
		});
		expect(r.workflowData).toEqual([[{ json: { late: true } }]]);
	});

	it('webhook() throwing → 500 like n8n, and the real error instance', async () => {
		const r = await post('throw');
		expect(r.statusCode).toBe(500);
		expect(r.responseBody).toEqual({
			code: 0,
			message: 'Workflow Webhook Error: Workflow could not be started!',
		});
		expect(r.error).toBeInstanceOf(NodeOperationError);
		expect(r.error!.message).toBe('cannot parse event');
	});
});

describe('callHook', () => {
	it('create/checkExists/delete with the node webhook URL and shared static data', async () => {
		const staticData: IDataObject = {};
		const base = {
			node: new WebhookFixture(),
			parameters: {},
			credentials: creds(),
			webhookUrl: 'https://n8n.example.com/webhook/harness-webhook-id/webhook',
			staticData,
		};
		expect(await callHook({ ...base, method: 'checkExists' })).toBe(false);
		expect(await callHook({ ...base, method: 'create', activation: 'update' })).toBe(true);
		expect(staticData['node:Webhook Fixture']).toEqual({
			registeredUrl: base.webhookUrl,
			appId: 'app-1',
			activation: 'update',
		});
		expect(await callHook({ ...base, method: 'checkExists' })).toBe(true);
		// Any URL shape is served as given.
		expect(
			await callHook({ ...base, webhookUrl: 'https://x.test/hook', method: 'checkExists' }),
		).toBe(false);
		expect(await callHook({ ...base, method: 'delete' })).toBe(true);
		expect(await callHook({ ...base, method: 'checkExists' })).toBe(false);
	});
});

describe('callLoadOptions', () => {
	it('listSearch with filter and pagination, authenticated', async () => {
		const page1 = await callLoadOptions({
			node: new SearchFixture(),
			kind: 'listSearch',
			method: 'searchPhones',
			parameters: { account: 'waba-1' },
			credentials: creds(),
			filter: 'a',
		});
		expect(page1).toEqual({
			results: [
				{ name: 'Alpha', value: '1' },
				{ name: 'Beta', value: '2' },
			],
			paginationToken: 'p2',
		});
		expect(seen[0].url).toBe('/v26.0/waba-1/phone_numbers');
		expect(seen[0].headers.authorization).toBe('Bearer test-token');
		const page2 = await callLoadOptions({
			node: new SearchFixture(),
			kind: 'listSearch',
			method: 'searchPhones',
			parameters: { account: 'waba-1' },
			credentials: creds(),
			paginationToken: 'p2',
		});
		expect(page2).toEqual({ results: [{ name: 'Gamma', value: '3' }], paginationToken: undefined });
	});

	it('loadOptions reads the current node parameters', async () => {
		const options = await callLoadOptions({
			node: new SearchFixture(),
			kind: 'loadOptions',
			method: 'getAccount',
			parameters: { account: 'waba-9' },
			credentials: creds(),
		});
		expect(options).toEqual([{ name: 'Account waba-9', value: 'waba-9' }]);
	});
});
