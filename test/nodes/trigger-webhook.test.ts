/**
 * The trigger's webhook() through n8n-core's WebhookContext, behind a real loopback HTTP exchange,
 * with real HMACs computed by the emulator's `sign` (Node's crypto) — nothing mocked.
 */
import type {
	IDataObject,
	INodeParameters,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { WhatsAppCloudTrigger } from '../../nodes/WhatsAppCloud/WhatsAppCloudTrigger.node';
import { clearDedupeStore } from '../../nodes/WhatsAppCloud/helpers/webhook/dedupe';
import type { Emulator } from '../emulator';
import {
	batch,
	errorsPayload,
	escapeUnicode,
	events,
	inboundMessages,
	messagesPayload,
	sign,
	startEmulator,
	statusesPayload,
	statusObject,
} from '../emulator';
import { callWebhook } from './harness';

const node = new WhatsAppCloudTrigger();
const SECRET = 'trigger-test-app-secret';
const VERIFY_TOKEN = 'trigger-verify-token';
const PHONE = '16505551234';
const TS = '1749416383';
const TS_ISO = '2025-06-08T20:59:43.000Z';

// Real HTTP round trips; generous when the machine is busy.
jest.setTimeout(30_000);

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => clearDedupeStore());

function credentials(overrides: IDataObject = {}) {
	return {
		whatsAppCloudApi: {
			accessToken: emu.config.token,
			appSecret: SECRET,
			appId: emu.config.appId,
			businessAccountId: emu.config.wabaId,
			verifyToken: VERIFY_TOKEN,
			apiVersion: emu.config.apiVersion,
			baseUrl: emu.baseUrl,
			...overrides,
		},
	};
}

const MANUAL: INodeParameters = { registration: 'manual' };

async function post(
	body: string | Buffer,
	opts: {
		parameters?: INodeParameters;
		signature?: string | null;
		creds?: IDataObject;
		staticData?: IDataObject;
	} = {},
) {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	const signature = opts.signature === undefined ? sign(body, SECRET) : opts.signature;
	if (signature !== null) headers['x-hub-signature-256'] = signature;
	return await callWebhook({
		node,
		parameters: { ...MANUAL, ...opts.parameters },
		credentials: credentials(opts.creds),
		method: 'POST',
		headers,
		body,
		staticData: opts.staticData,
	});
}

const json = (payload: unknown) => JSON.stringify(payload);
const itemsOf = (result: Awaited<ReturnType<typeof post>>) =>
	(result.workflowData?.[0] ?? []).map((item) => item.json);

describe('GET verification handshake', () => {
	const handshake = (query: Record<string, string>, creds: IDataObject = {}) =>
		callWebhook({
			node,
			parameters: MANUAL,
			credentials: credentials(creds),
			method: 'GET',
			query,
		});

	it('echoes hub.challenge as plain text when mode and token match', async () => {
		const result = await handshake({
			'hub.mode': 'subscribe',
			'hub.challenge': '1158201444',
			'hub.verify_token': VERIFY_TOKEN,
		});
		expect(result.statusCode).toBe(200);
		expect(result.headers['content-type']).toMatch(/^text\/plain/);
		expect(result.responseBody).toBe('1158201444');
		expect(result.workflowData).toBeUndefined();
	});

	it('echoes an opaque, non-numeric challenge byte for byte', async () => {
		const result = await handshake({
			'hub.mode': 'subscribe',
			'hub.challenge': 'abc"DEF 123',
			'hub.verify_token': VERIFY_TOKEN,
		});
		expect(result.responseBody).toBe('abc"DEF 123');
	});

	it.each<[string, Record<string, string>, IDataObject]>([
		[
			'wrong token',
			{ 'hub.mode': 'subscribe', 'hub.challenge': '1', 'hub.verify_token': 'nope' },
			{},
		],
		[
			'wrong mode',
			{ 'hub.mode': 'unsubscribe', 'hub.challenge': '1', 'hub.verify_token': VERIFY_TOKEN },
			{},
		],
		['no mode', { 'hub.challenge': '1', 'hub.verify_token': VERIFY_TOKEN }, {}],
		['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN }, {}],
		['no query', {}, {}],
		[
			'underscored names',
			{ hub_mode: 'subscribe', hub_challenge: '1', hub_verify_token: VERIFY_TOKEN },
			{},
		],
		[
			'credential without verify token',
			{ 'hub.mode': 'subscribe', 'hub.challenge': '1', 'hub.verify_token': '' },
			{ verifyToken: '' },
		],
	])('403 for %s', async (_name, query, creds) => {
		const result = await handshake(query, creds);
		expect(result.statusCode).toBe(403);
		expect(result.responseBody).not.toBe('1');
		expect(result.workflowData).toBeUndefined();
	});
});

describe('POST signature check', () => {
	const body = json(
		messagesPayload(inboundMessages.text(PHONE, 'Hello', { id: 'wamid.SIG1', timestamp: TS })),
	);

	it('accepts the right HMAC of the raw bytes', async () => {
		const result = await post(body);
		expect(result.statusCode).toBe(200);
		expect(itemsOf(result)).toHaveLength(1);
	});

	it.each<[string, string | null]>([
		['missing header', null],
		['wrong secret', sign(body, 'not-the-secret')],
		['signature of a re-serialized body', sign(JSON.stringify(JSON.parse(body), null, 1), SECRET)],
		['malformed header', 'sha256=xyz'],
		['odd-length hex', sign(body, SECRET).slice(0, -1)],
		['sha1 header value', sign(body, SECRET).replace('sha256=', 'sha1=')],
	])('401 and no execution for %s', async (_name, signature) => {
		const result = await post(body, { signature });
		expect(result.statusCode).toBe(401);
		expect(result.workflowData).toBeUndefined();
		expect(result.noWebhookResponse).toBe(true);
	});

	it('checks the raw bytes, not a re-serialization of the parsed body', async () => {
		// Same JSON value, different bytes: n8n's parsed req.body is identical for both.
		const spaced = body.replace('"Hello"', ' "Hello" ');
		expect(JSON.parse(spaced)).toEqual(JSON.parse(body));
		const result = await post(spaced);
		expect(result.statusCode).toBe(200);
		expect(itemsOf(result)).toHaveLength(1);
		expect((await post(spaced, { signature: sign(body, SECRET) })).statusCode).toBe(401);
	});

	it('non-ASCII body: accepts the raw HMAC and the unicode-escaped HMAC', async () => {
		const unicode = json(
			messagesPayload(
				inboundMessages.text(PHONE, 'Grüße äöå 👋', { id: 'wamid.UNI1', timestamp: TS }),
			),
		);
		const raw = await post(unicode);
		expect(raw.statusCode).toBe(200);
		expect(itemsOf(raw)[0]).toMatchObject({ text: 'Grüße äöå 👋' });
		clearDedupeStore();
		const escaped = await post(unicode, { signature: sign(escapeUnicode(unicode), SECRET) });
		expect(escaped.statusCode).toBe(200);
		expect(itemsOf(escaped)[0]).toMatchObject({ text: 'Grüße äöå 👋' });
	});

	it('a missing app secret is a configuration error, never "accept everything"', async () => {
		const result = await post(body, { creds: { appSecret: '' } });
		expect(result.statusCode).toBe(500);
		expect(result.workflowData).toBeUndefined();
		expect(result.error?.message).toMatch(/no App Secret/);
		expect(result.error?.constructor.name).toBe('NodeOperationError');
	});

	it.each([
		['another object', json({ object: 'page', entry: [] })],
		['not JSON', 'hello'],
		['empty JSON object', '{}'],
	])('signed but not a WhatsApp payload (%s): 200, no execution', async (_name, other) => {
		const result = await post(other);
		expect(result.statusCode).toBe(200);
		expect(result.workflowData).toBeUndefined();
	});
});

describe('POST items', () => {
	it('a text message becomes one exact item', async () => {
		const payload = messagesPayload(
			inboundMessages.text(PHONE, 'Is the shop open?', {
				id: 'wamid.TEXT1',
				timestamp: TS,
				name: 'Sheena',
			}),
			{
				wabaId: emu.config.wabaId,
				phoneNumberId: '106540352242922',
				displayPhoneNumber: '15550783881',
			},
		);
		const result = await post(json(payload));
		expect(result.statusCode).toBe(200);
		const message = payload.entry[0].changes[0].value.messages as IDataObject[];
		expect(itemsOf(result)).toEqual([
			{
				event: 'message',
				field: 'messages',
				wabaId: emu.config.wabaId,
				phoneNumberId: '106540352242922',
				displayPhoneNumber: '15550783881',
				messageId: 'wamid.TEXT1',
				from: PHONE,
				fromUserId: message[0].from_user_id,
				contact: { name: 'Sheena', waId: PHONE, userId: message[0].from_user_id },
				type: 'text',
				timestamp: TS_ISO,
				knownType: true,
				text: 'Is the shop open?',
				message: message[0],
				// Manual registration is the App Dashboard's callback URL: the app's.
				registration: 'app',
				registrationId: emu.config.appId,
			},
		]);
	});

	it('a batch of several entries and changes yields every event, in order', async () => {
		const payload = batch(
			messagesPayload([
				inboundMessages.text(PHONE, 'one', { id: 'wamid.B1' }),
				inboundMessages.buttonReply(PHONE, 'yes-1', 'Yes', { id: 'wamid.B2' }),
			]),
			statusesPayload([
				statusObject('wamid.OUT1', 'delivered', PHONE),
				statusObject('wamid.OUT1', 'read', PHONE),
			]),
			errorsPayload([{ code: 130429, details: 'Cloud API message throughput has been reached.' }]),
			events.templateStatus(
				{ id: '594425479261596', name: 'order_update', language: 'en_US' },
				'APPROVED',
			),
			events.accountUpdate('ACCOUNT_VIOLATION'),
		);
		const result = await post(json(payload));
		expect(
			itemsOf(result).map((item) => [item.event, item.messageId ?? item.code ?? null]),
		).toEqual([
			['message', 'wamid.B1'],
			['message', 'wamid.B2'],
			['status', 'wamid.OUT1'],
			['status', 'wamid.OUT1'],
			['error', 130429],
			['message_template_status_update', null],
			['account_update', null],
		]);
		expect(itemsOf(result)[1]).toMatchObject({
			type: 'interactive',
			text: 'Yes',
			replyId: 'yes-1',
		});
	});

	it('a failed status carries its errors; a BSUID-only sender has no phone', async () => {
		const failed = statusesPayload(
			statusObject('wamid.OUT2', 'failed', undefined, {
				userId: 'US.777',
				errors: [{ code: 131047, details: 'More than 24 hours have passed.' }],
			}),
		);
		const [status] = itemsOf(await post(json(failed)));
		expect(status).toMatchObject({
			event: 'status',
			status: 'failed',
			recipientUserId: 'US.777',
			errors: [
				{
					code: 131047,
					title: 'Re-engagement message',
					details: 'More than 24 hours have passed.',
				},
			],
		});
		expect(status.recipientId).toBeUndefined();

		const bsuid = messagesPayload(
			inboundMessages.text(PHONE, 'hi', { bsuidOnly: true, userId: 'US.42', username: 'ana' }),
		);
		const [message] = itemsOf(await post(json(bsuid)));
		expect(message.from).toBeUndefined();
		expect(message).toMatchObject({
			fromUserId: 'US.42',
			contact: { userId: 'US.42', username: 'ana' },
		});
	});

	it('includes the whole payload when asked', async () => {
		const payload = messagesPayload(inboundMessages.text(PHONE, 'p', { id: 'wamid.PAY1' }));
		const [item] = itemsOf(
			await post(json(payload), { parameters: { options: { includePayload: true } } }),
		);
		expect(item.payload).toEqual(payload);
	});
});

describe('POST large bodies', () => {
	it('a ~3 MB batch (Meta’s cap) is verified and split into every event', async () => {
		const items = Array.from({ length: 10_000 }, (_, index) =>
			inboundMessages.text(PHONE, `message ${index} ${'x'.repeat(200)}`, {
				id: `wamid.BIG${index}`,
			}),
		);
		const body = json(messagesPayload(items));
		expect(body.length).toBeGreaterThan(2_500_000);
		const result = await post(body);
		expect(result.statusCode).toBe(200);
		expect(itemsOf(result)).toHaveLength(10_000);
		expect(itemsOf(result)[9_999]).toMatchObject({ messageId: 'wamid.BIG9999' });
		expect((await post(body, { signature: sign(`${body} `, SECRET) })).statusCode).toBe(401);
	});
});

describe('POST filters', () => {
	const payload = batch(
		messagesPayload(
			[
				inboundMessages.text(PHONE, 'a', { id: 'wamid.F1' }),
				inboundMessages.reaction(PHONE, 'wamid.X', '👍', { id: 'wamid.F2' }),
			],
			{ phoneNumberId: '111' },
		),
		statusesPayload(
			[statusObject('wamid.F3', 'sent', PHONE), statusObject('wamid.F3', 'read', PHONE)],
			{
				phoneNumberId: '222',
			},
		),
		events.phoneNumberQuality('15550783881', 'THROUGHPUT_UPGRADE'),
	);
	const summary = (result: Awaited<ReturnType<typeof post>>) =>
		itemsOf(result).map((item) => `${item.event}:${item.type ?? item.status ?? ''}`);

	it.each<[string, INodeParameters, string[]]>([
		[
			'default: every event kind',
			{},
			[
				'message:text',
				'message:reaction',
				'status:sent',
				'status:read',
				'phone_number_quality_update:',
			],
		],
		['only statuses', { events: ['status'] }, ['status:sent', 'status:read']],
		[
			'message types',
			{ options: { messageTypes: ['reaction'] } },
			['message:reaction', 'status:sent', 'status:read', 'phone_number_quality_update:'],
		],
		['status values', { events: ['status'], options: { statuses: ['read'] } }, ['status:read']],
		[
			'phone number IDs',
			{ options: { phoneNumberIds: '222' } },
			['status:sent', 'status:read', 'phone_number_quality_update:'],
		],
		['other fields', { events: ['field'], options: { fields: ['account_update'] } }, []],
	])('%s', async (_name, parameters, expected) => {
		const result = await post(json(payload), { parameters });
		expect(result.statusCode).toBe(200);
		if (expected.length === 0) expect(result.workflowData).toBeUndefined();
		else expect(summary(result)).toEqual(expected);
	});
});

describe('POST de-duplication', () => {
	it('a re-delivery within the window starts no second execution; new statuses still do', async () => {
		const first = json(
			batch(
				messagesPayload(inboundMessages.text(PHONE, 'once', { id: 'wamid.D1' })),
				statusesPayload(statusObject('wamid.D9', 'sent', PHONE)),
			),
		);
		expect(itemsOf(await post(first))).toHaveLength(2);
		const again = await post(first);
		expect(again.statusCode).toBe(200);
		expect(again.workflowData).toBeUndefined();

		const next = json(
			statusesPayload([
				statusObject('wamid.D9', 'sent', PHONE),
				statusObject('wamid.D9', 'delivered', PHONE),
			]),
		);
		expect(itemsOf(await post(next)).map((item) => item.status)).toEqual(['delivered']);
	});

	it('a re-delivery to another process is dropped through the static data n8n saves', async () => {
		const body = json(messagesPayload(inboundMessages.text(PHONE, 'x', { id: 'wamid.X1' })));
		// n8n loads static data from its database for each call and saves it after a 2xx
		const database: IDataObject = {};
		expect(itemsOf(await post(body, { staticData: database }))).toHaveLength(1);
		const saved = JSON.parse(JSON.stringify(database)) as IDataObject;
		expect(JSON.stringify(saved)).toContain('seenEvents');
		clearDedupeStore(); // the other process has never seen it
		const again = await post(body, { staticData: JSON.parse(JSON.stringify(saved)) });
		expect(again.statusCode).toBe(200);
		expect(again.workflowData).toBeUndefined();
		// a different event still starts an execution there
		const other = json(messagesPayload(inboundMessages.text(PHONE, 'y', { id: 'wamid.X2' })));
		expect(itemsOf(await post(other, { staticData: saved }))).toHaveLength(1);
	});

	it('an event whose call was answered with an error is taken again when Meta retries', async () => {
		// n8n answers 500 when it cannot start the execution after webhook() returned
		const failing = new WhatsAppCloudTrigger();
		failing.webhook = async function (this: IWebhookFunctions) {
			await node.webhook.call(this);
			throw new Error('queue unavailable');
		};
		const body = json(messagesPayload(inboundMessages.text(PHONE, 'z', { id: 'wamid.X3' })));
		const headers = {
			'content-type': 'application/json',
			'x-hub-signature-256': sign(body, SECRET),
		};
		const before: IDataObject = {};
		const failed = await callWebhook({
			node: failing,
			parameters: MANUAL,
			credentials: credentials(),
			method: 'POST',
			headers,
			body,
			staticData: {}, // n8n saves nothing after an error answer
		});
		expect(failed.statusCode).toBe(500);
		const retried = await post(body, { staticData: before });
		expect(itemsOf(retried)).toHaveLength(1);
		// and once that retry was answered 200, the next one is a duplicate
		expect((await post(body, { staticData: before })).workflowData).toBeUndefined();
	});

	it('a window of 0 turns it off', async () => {
		const body = json(messagesPayload(inboundMessages.text(PHONE, 'twice', { id: 'wamid.D2' })));
		const parameters = { options: { dedupeWindowMinutes: 0 } };
		expect(itemsOf(await post(body, { parameters }))).toHaveLength(1);
		expect(itemsOf(await post(body, { parameters }))).toHaveLength(1);
	});
});

describe('POST media download', () => {
	/**
	 * With media download on, webhook() downloads before it returns, and n8n answers after that
	 * (n8n 2: once the execution is handed over). This wrapper records what webhook() returned (it
	 * only observes; n8n-core still runs the node).
	 */
	const returned: IWebhookResponseData[] = [];
	const observed = new WhatsAppCloudTrigger();
	const original = observed.webhook;
	observed.webhook = async function (this: IWebhookFunctions) {
		const result = await original.call(this);
		returned.push(result);
		return result;
	};

	async function postObserved(body: string) {
		returned.length = 0;
		const response = await callWebhook({
			node: observed,
			parameters: { ...MANUAL, options: { downloadMedia: true } },
			credentials: credentials(),
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, SECRET) },
			body,
		});
		for (let waited = 0; returned.length === 0 && waited < 3_000; waited += 20) {
			await new Promise((resolve) => setImmediate(resolve));
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		if (returned.length === 0)
			throw new Error(`webhook() did not return: ${String(response.error)}`);
		return { response, returned: returned[0] };
	}

	it('downloads the media into verified binary data before n8n answers', async () => {
		const bytes = Buffer.from('%PDF-1.4\n% trigger test\n%%EOF\n');
		const payload = emu.inbound.document(PHONE, {
			bytes,
			mimeType: 'application/pdf',
			filename: 'invoice.pdf',
		});
		const mediaId = (
			payload.entry[0].changes[0].value.messages as Array<{ document: { id: string } }>
		)[0].document.id;
		const { response, returned: result } = await postObserved(json(payload));
		expect(response.statusCode).toBe(200);
		// no early 200: the answer is n8n's, after webhook() returned (finding 7)
		expect(response.responseBody).toEqual({ message: 'Workflow was started' });
		expect(result.noWebhookResponse).toBeUndefined();
		const [item] = result.workflowData![0];
		expect(item.json).toMatchObject({
			type: 'document',
			media: { id: mediaId, mimeType: 'application/pdf', filename: 'invoice.pdf' },
		});
		expect(item.json.mediaError).toBeUndefined();
		expect(item.binary?.data).toMatchObject({
			mimeType: 'application/pdf',
			fileName: 'invoice.pdf',
		});
		expect(item.binary?.data.fileSize).toBeDefined();
		const graphPaths = emu.requests().map((request) => request.path);
		expect(graphPaths).toEqual(expect.arrayContaining([`/${emu.config.apiVersion}/${mediaId}`]));
		expect(graphPaths.some((path) => path.startsWith(`/__media/${mediaId}`))).toBe(true);
	});

	it('keeps the event and explains when the media cannot be fetched', async () => {
		const payload = messagesPayload(
			inboundMessages.image(
				PHONE,
				{ id: '999000999', mime_type: 'image/jpeg', sha256: 'ab' },
				{ id: 'wamid.M2' },
			),
		);
		const { response, returned: result } = await postObserved(json(payload));
		expect(response.statusCode).toBe(200);
		const [item] = result.workflowData![0];
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({ messageId: 'wamid.M2', type: 'image' });
		expect(item.json.mediaError).toEqual(expect.any(String));
	});

	it('messages without media answer normally (no early response)', async () => {
		const { response, returned: result } = await postObserved(
			json(messagesPayload(inboundMessages.text(PHONE, 'no media', { id: 'wamid.M3' }))),
		);
		expect(response.responseBody).toEqual({ message: 'Workflow was started' });
		expect(result.noWebhookResponse).toBeUndefined();
		expect(result.workflowData![0]).toHaveLength(1);
	});
});
