/**
 * The emulator's Flows over HTTP: management endpoints with Meta's validation and 13900x errors,
 * business public keys, and the WhatsApp-client side driving a Flow against an endpoint. The test
 * endpoint here decrypts with the openssl CLI and WebCrypto (test/support/flowVectors.ts), so the
 * emulator's client crypto is checked against an implementation that is not its own.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Emulator } from './index';
import { startEmulator } from './index';
import { call, errCode, v } from './testUtil';
import { BOOKING_DATES, BOOKING_FLOW, BOOKING_FLOW_JSON, slotsFor } from '../support/bookingFlow';
import {
	invertedIv,
	opensslKeyPair,
	opensslOaepDecrypt,
	removeKeyPair,
	suiteKeyPairs,
	webCryptoGcmDecrypt,
	webCryptoGcmEncrypt,
} from '../support/flowVectors';

jest.setTimeout(60_000);

type Obj = Record<string, any>;

let emu: Emulator;
const pairs = suiteKeyPairs();

beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => emu.reset());

const control = (method: string, path: string, body?: unknown) =>
	call(emu, method, `/__emulator${path}`, body, {}, null);

async function createFlow(extra: Obj = {}) {
	const r = await call(emu, 'POST', v(emu, `${emu.config.wabaId}/flows`), {
		name: `booking ${Math.random()}`,
		categories: ['APPOINTMENT_BOOKING'],
		...extra,
	});
	expect(r.status).toBe(200);
	return r.body as { id: string; success: boolean; validation_errors?: Obj[] };
}

function flowJsonForm(json: string, overrides: Obj = {}) {
	const form = new FormData();
	form.append('file', new Blob([json], { type: 'application/json' }), 'flow.json');
	form.append('name', overrides.name ?? 'flow.json');
	form.append('asset_type', overrides.asset_type ?? 'FLOW_JSON');
	return form;
}

const uploadKey = (pem: string, phone = emu.config.phoneNumberIds[0]) =>
	call(emu, 'POST', v(emu, `${phone}/whatsapp_business_encryption`), {
		business_public_key: pem,
	});

describe('Flow management', () => {
	test('create with Flow JSON, then get with validation errors, preview and links', async () => {
		const created = await createFlow({
			flow_json: BOOKING_FLOW_JSON,
			endpoint_uri: 'https://example.com/flow',
		});
		expect(created).toEqual({
			id: expect.stringMatching(/^\d+$/),
			success: true,
			validation_errors: [],
		});
		const fields =
			'id,name,categories,preview.invalidate(false),status,validation_errors,json_version,data_api_version,endpoint_uri,health_status,whatsapp_business_account,application';
		const r = await call(emu, 'GET', v(emu, `${created.id}?fields=${encodeURIComponent(fields)}`));
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({
			id: created.id,
			categories: ['APPOINTMENT_BOOKING'],
			status: 'DRAFT',
			validation_errors: [],
			json_version: '7.1',
			data_api_version: '3.0',
			endpoint_uri: 'https://example.com/flow',
			health_status: { can_send_message: 'AVAILABLE' },
			whatsapp_business_account: { id: emu.config.wabaId },
			application: { id: emu.config.appId },
			preview: { preview_url: expect.stringContaining('/__emulator/flows/preview/') },
		});
		const preview = await fetch(r.body.preview.preview_url);
		expect(await preview.json()).toMatchObject({ screens: ['PICK_DATE', 'PICK_SLOT', 'CONFIRM'] });
		// invalidate(true) issues a new link; the old one stops working.
		const renewed = await call(emu, 'GET', v(emu, `${created.id}?fields=preview.invalidate(true)`));
		expect(renewed.body.preview.preview_url).not.toBe(r.body.preview.preview_url);
		expect((await fetch(r.body.preview.preview_url)).status).toBe(404);
		// Without fields: Meta's short default.
		const plain = await call(emu, 'GET', v(emu, created.id));
		expect(Object.keys(plain.body).sort()).toEqual([
			'categories',
			'id',
			'name',
			'status',
			'validation_errors',
		]);
	});

	test('create refuses a missing name, a duplicate name and unknown categories', async () => {
		const post = (body: Obj) => call(emu, 'POST', v(emu, `${emu.config.wabaId}/flows`), body);
		expect(errCode(await post({ categories: ['OTHER'] }))).toBe(100);
		expect(errCode(await post({ name: 'x' }))).toBe(100);
		expect(errCode(await post({ name: 'x', categories: ['BOOKINGS'] }))).toBe(100);
		expect((await post({ name: 'dup', categories: '["OTHER"]' })).status).toBe(200);
		const again = await post({ name: 'dup', categories: ['OTHER'] });
		expect(errCode(again)).toBe(100);
		expect(again.body.error.error_data.details).toMatch(/already exists/);
		expect(
			errCode(await post({ name: 'y', categories: ['OTHER'], endpoint_uri: 'not a url' })),
		).toBe(100);
	});

	test('validation errors point at the line and column of the problem', async () => {
		const broken = JSON.parse(BOOKING_FLOW_JSON);
		broken.screens[1].id = 'PICK_DATE'; // duplicate
		broken.screens[2].terminal = false; // no terminal screen left
		broken.routing_model.PICK_DATE = ['NOWHERE'];
		const text = JSON.stringify(broken, null, 2);
		const created = await createFlow({ flow_json: text });
		const errors = created.validation_errors!;
		expect(errors.map((e) => e.error).sort()).toEqual(
			[
				'DUPLICATE_SCREEN_ID',
				'INVALID_ROUTING_MODEL',
				'INVALID_ROUTING_MODEL',
				'MISSING_TERMINAL_SCREEN',
			].sort(),
		);
		const duplicate = errors.find((e) => e.error === 'DUPLICATE_SCREEN_ID')!;
		const lines = text.split('\n');
		expect(lines[duplicate.line_start - 1].slice(duplicate.column_start - 1)).toMatch(
			/^"PICK_DATE"/,
		);
		expect(duplicate).toMatchObject({
			error_type: 'FLOW_JSON_ERROR',
			pointers: [{ path: 'screens[1].id' }],
		});

		const invalid = await createFlow({ flow_json: '{"version": "7.1", "screens": [' });
		expect(invalid.validation_errors).toEqual([expect.objectContaining({ error: 'INVALID_JSON' })]);
	});

	test('flow.json upload is multipart with Meta’s field names; assets give it back', async () => {
		const { id } = await createFlow();
		const upload = (form: FormData) => call(emu, 'POST', v(emu, `${id}/assets`), form);
		expect(errCode(await upload(flowJsonForm(BOOKING_FLOW_JSON, { asset_type: 'IMAGE' })))).toBe(
			100,
		);
		expect(errCode(await upload(flowJsonForm(BOOKING_FLOW_JSON, { name: 'x.json' })))).toBe(100);
		const ok = await upload(flowJsonForm(BOOKING_FLOW_JSON));
		expect(ok.body).toEqual({ success: true, validation_errors: [] });
		const withErrors = await upload(flowJsonForm('{"version":"0.1","screens":[]}'));
		expect(withErrors.body.validation_errors.map((e: Obj) => e.error)).toEqual([
			'INVALID_PROPERTY_VALUE',
			'MISSING_REQUIRED_PROPERTY',
		]);
		await upload(flowJsonForm(BOOKING_FLOW_JSON));
		const assets = await call(emu, 'GET', v(emu, `${id}/assets`));
		expect(assets.body.data).toEqual([
			{ name: 'flow.json', asset_type: 'FLOW_JSON', download_url: expect.any(String) },
		]);
		expect(await (await fetch(assets.body.data[0].download_url)).json()).toEqual(BOOKING_FLOW);
	});

	test('lifecycle: publish checks, immutable once published, deprecate, delete drafts only', async () => {
		const { id } = await createFlow({ flow_json: BOOKING_FLOW_JSON });
		const publish = () => call(emu, 'POST', v(emu, `${id}/publish`));
		const details = (r: Obj) => r.body.error.error_data.details as string;
		let r = await publish();
		expect([errCode(r), details(r)]).toEqual([139002, expect.stringMatching(/endpoint_uri/)]);
		await call(emu, 'POST', v(emu, id), { endpoint_uri: 'https://example.com/flow' });
		r = await publish();
		expect([errCode(r), details(r)]).toEqual([139002, 'Missing Flows Signed Public Key.']);
		expect((await uploadKey(pairs.business.publicPem)).body).toEqual({ success: true });
		expect((await publish()).body).toEqual({ success: true });
		expect((await call(emu, 'GET', v(emu, `${id}?fields=status`))).body.status).toBe('PUBLISHED');
		expect(errCode(await publish())).toBe(139002);
		expect(errCode(await call(emu, 'POST', v(emu, id), { name: 'renamed' }))).toBe(139001);
		expect(
			errCode(await call(emu, 'POST', v(emu, `${id}/assets`), flowJsonForm(BOOKING_FLOW_JSON))),
		).toBe(139001);
		expect(errCode(await call(emu, 'DELETE', v(emu, id)))).toBe(139004);
		expect((await call(emu, 'POST', v(emu, `${id}/deprecate`))).body).toEqual({ success: true });
		expect(errCode(await call(emu, 'POST', v(emu, `${id}/deprecate`)))).toBe(139003);

		const draft = await createFlow({ flow_json: '{"version":"7.1"}' });
		expect(errCode(await call(emu, 'POST', v(emu, `${draft.id}/deprecate`)))).toBe(139003);
		const invalid = await call(emu, 'POST', v(emu, `${draft.id}/publish`));
		expect(details(invalid)).toMatch(/validation errors/);
		expect((await call(emu, 'DELETE', v(emu, draft.id))).body).toEqual({ success: true });
		expect(errCode(await call(emu, 'GET', v(emu, draft.id)))).toBe(100);
	});

	test('create with publish: true publishes a valid static Flow at once', async () => {
		const staticFlow = { ...BOOKING_FLOW, data_api_version: undefined, routing_model: undefined };
		const { id } = await createFlow({ flow_json: JSON.stringify(staticFlow), publish: true });
		expect((await call(emu, 'GET', v(emu, `${id}?fields=status`))).body.status).toBe('PUBLISHED');
	});

	test('list pages through the account’s Flows', async () => {
		for (let i = 0; i < 3; i++) await createFlow({ name: `flow ${i}` });
		const first = await call(emu, 'GET', v(emu, `${emu.config.wabaId}/flows?limit=2`));
		expect(first.body.data.map((f: Obj) => f.name)).toEqual(['flow 0', 'flow 1']);
		expect(first.body.data[0]).toEqual({
			id: expect.any(String),
			name: 'flow 0',
			status: 'DRAFT',
			categories: ['APPOINTMENT_BOOKING'],
			validation_errors: [],
		});
		const next = await call(emu, 'GET', first.body.paging.next);
		expect(next.body.data.map((f: Obj) => f.name)).toEqual(['flow 2']);
		expect(next.body.paging.next).toBeUndefined();
		expect(
			errCode(await call(emu, 'GET', v(emu, `${emu.config.wabaId}/flows`), undefined, {}, null)),
		).toBe(190);
	});

	test('business public key: 2048-bit RSA PEM only, per number, readable back', async () => {
		const phone = emu.config.phoneNumberIds[0];
		const get = (p = phone) => call(emu, 'GET', v(emu, `${p}/whatsapp_business_encryption`));
		expect((await get()).body).toEqual({ data: [] });
		expect(errCode(await uploadKey(''))).toBe(100);
		expect(
			errCode(await uploadKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')),
		).toBe(100);
		const small = opensslKeyPair(1024);
		try {
			expect(errCode(await uploadKey(small.publicPem))).toBe(100);
		} finally {
			removeKeyPair(small);
		}
		// Form-encoded, as in Meta's collection.
		const form = new FormData();
		form.append('business_public_key', pairs.business.publicPem);
		expect(
			(await call(emu, 'POST', v(emu, `${phone}/whatsapp_business_encryption`), form)).body,
		).toEqual({
			success: true,
		});
		expect((await get()).body).toEqual({
			data: [
				{
					business_public_key: pairs.business.publicPem.trim(),
					business_public_key_signature_status: 'VALID',
				},
			],
		});
		expect((await get(emu.config.phoneNumberIds[1])).body).toEqual({ data: [] });
		expect(errCode(await call(emu, 'GET', v(emu, '999/whatsapp_business_encryption')))).toBe(100);
	});
});

// ---------------------------------------------------------------------------------------------
// The client side, against an endpoint built from the independent crypto

interface TestEndpoint {
	url: string;
	requests: Array<{ plaintext: Obj | null; signature?: string; status: number }>;
	handler: (request: Obj) => { status?: number; body?: unknown } | 'hang';
	close(): Promise<void>;
}

async function startEndpoint(privatePem: string, appSecret: string): Promise<TestEndpoint> {
	const endpoint: TestEndpoint = {
		url: '',
		requests: [],
		handler: () => ({ status: 500 }),
		close: async () => undefined,
	};
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			void (async () => {
				const raw = Buffer.concat(chunks);
				const signature = req.headers['x-hub-signature-256'] as string | undefined;
				const reply = (status: number, body?: string, plaintext: Obj | null = null) => {
					endpoint.requests.push({ plaintext, signature, status });
					res.writeHead(status, { 'content-type': 'text/plain' });
					res.end(body ?? '');
				};
				if (signature) {
					const expected = Buffer.from(
						`sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`,
					);
					if (
						expected.length !== signature.length ||
						!timingSafeEqual(expected, Buffer.from(signature))
					)
						return reply(432);
				}
				const body = JSON.parse(raw.toString('utf8')) as Obj;
				let aesKey: Buffer;
				try {
					aesKey = opensslOaepDecrypt(privatePem, Buffer.from(body.encrypted_aes_key, 'base64'));
				} catch {
					return reply(421);
				}
				const iv = Buffer.from(body.initial_vector, 'base64');
				const plaintext = JSON.parse(
					(
						await webCryptoGcmDecrypt(aesKey, iv, Buffer.from(body.encrypted_flow_data, 'base64'))
					).toString('utf8'),
				) as Obj;
				const answer = endpoint.handler(plaintext);
				if (answer === 'hang') {
					endpoint.requests.push({ plaintext, signature, status: 0 });
					return; // never answers
				}
				const encrypted =
					answer.body === undefined
						? ''
						: (
								await webCryptoGcmEncrypt(
									aesKey,
									invertedIv(iv),
									Buffer.from(JSON.stringify(answer.body)),
								)
							).toString('base64');
				reply(answer.status ?? 200, encrypted, plaintext);
			})();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	endpoint.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/flow`;
	endpoint.close = () =>
		new Promise<void>((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		});
	return endpoint;
}

async function startWebhookSink() {
	const received: Array<{ body: Obj; signature?: string }> = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({
				body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Obj,
				signature: req.headers['x-hub-signature-256'] as string | undefined,
			});
			res.end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** The booking logic as an endpoint handler. */
function booking(request: Obj): { status?: number; body?: unknown } {
	if (request.action === 'ping') return { body: { data: { status: 'active' } } };
	if (request.data?.error) return { body: { data: { acknowledged: true } } };
	if (request.action === 'INIT')
		return { body: { screen: 'PICK_DATE', data: { dates: BOOKING_DATES } } };
	if (request.action === 'BACK')
		return { body: { screen: 'PICK_DATE', data: { dates: BOOKING_DATES } } };
	if (request.screen === 'PICK_DATE')
		return {
			body: {
				screen: 'PICK_SLOT',
				data: { date: request.data.date, slots: slotsFor(request.data.date) },
			},
		};
	if (request.screen === 'PICK_SLOT')
		return {
			body: {
				screen: 'CONFIRM',
				data: {
					date: request.data.date,
					slot: request.data.slot,
					summary: `${request.data.date} at ${request.data.slot}`,
				},
			},
		};
	return {
		body: {
			screen: 'SUCCESS',
			data: {
				extension_message_response: {
					params: {
						flow_token: request.flow_token,
						date: request.data.date,
						slot: request.data.slot,
					},
				},
			},
		},
	};
}

describe('the WhatsApp client side', () => {
	let endpoint: TestEndpoint;
	let flowId: string;

	beforeEach(async () => {
		endpoint = await startEndpoint(pairs.business.privatePem, emu.config.appSecret);
		endpoint.handler = booking;
		await uploadKey(pairs.business.publicPem);
		flowId = (await createFlow({ flow_json: BOOKING_FLOW_JSON, endpoint_uri: endpoint.url })).id;
	});
	afterEach(async () => endpoint.close());

	test('ping is encrypted for the business key, signed with the app secret, and checked', async () => {
		const r = await control('POST', '/flows/ping', { flowId });
		expect(r.body).toMatchObject({
			status: 200,
			accepted: true,
			response: { data: { status: 'active' } },
			problems: [],
		});
		expect(endpoint.requests[0]).toEqual({
			plaintext: { version: '3.0', action: 'ping' },
			signature: expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
			status: 200,
		});
		endpoint.handler = () => ({ body: { data: { status: 'sleeping' } } });
		expect((await control('POST', '/flows/ping', { flowId })).body).toMatchObject({
			accepted: false,
		});
	});

	test('a whole booking: INIT, two data exchanges, BACK, completion and the nfm_reply webhook', async () => {
		const sink = await startWebhookSink();
		try {
			await control('POST', '/webhook', { url: sink.url });
			const opened = await control('POST', '/flows/sessions', {
				flowId,
				flowToken: 'booking-7',
				from: '16505550123',
				contextMessageId: 'wamid.FLOWMSG',
			});
			expect(opened.body).toMatchObject({
				status: 'open',
				screen: 'PICK_DATE',
				screenData: { dates: BOOKING_DATES },
			});
			const id = opened.body.id as string;
			let step = await control('POST', `/flows/sessions/${id}/exchange`, {
				data: { date: '2026-12-24' },
			});
			expect(step.body.session).toMatchObject({
				screen: 'PICK_SLOT',
				screenData: { slots: slotsFor('2026-12-24') },
			});
			step = await control('POST', `/flows/sessions/${id}/back`);
			expect(step.body.session.screen).toBe('PICK_DATE');
			await control('POST', `/flows/sessions/${id}/exchange`, { data: { date: '2026-12-28' } });
			step = await control('POST', `/flows/sessions/${id}/exchange`, {
				data: { date: '2026-12-28', slot: '14:00' },
			});
			expect(step.body.session).toMatchObject({
				screen: 'CONFIRM',
				screenData: { summary: '2026-12-28 at 14:00' },
			});
			step = await control('POST', `/flows/sessions/${id}/exchange`, {
				data: { date: '2026-12-28', slot: '14:00' },
			});
			expect(step.body.session).toMatchObject({
				status: 'completed',
				completion: { flow_token: 'booking-7', date: '2026-12-28', slot: '14:00' },
				delivery: { delivered: true },
			});
			expect(
				endpoint.requests.map((r) => [r.plaintext?.action, r.plaintext?.screen ?? null]),
			).toEqual([
				['INIT', null],
				['data_exchange', 'PICK_DATE'],
				['BACK', 'PICK_SLOT'],
				['data_exchange', 'PICK_DATE'],
				['data_exchange', 'PICK_SLOT'],
				['data_exchange', 'CONFIRM'],
			]);
			expect(endpoint.requests.every((r) => r.plaintext?.flow_token === 'booking-7')).toBe(true);
			const message = sink.received[0].body.entry[0].changes[0].value.messages[0];
			expect(message).toMatchObject({
				from: '16505550123',
				type: 'interactive',
				context: { id: 'wamid.FLOWMSG' },
				interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow' } },
			});
			expect(JSON.parse(message.interactive.nfm_reply.response_json)).toEqual({
				flow_token: 'booking-7',
				date: '2026-12-28',
				slot: '14:00',
			});
			expect(sink.received[0].signature).toMatch(/^sha256=/);
		} finally {
			await sink.close();
		}
	});

	test('answers that do not fit the Flow JSON are refused and the user stays put', async () => {
		const opened = await control('POST', '/flows/sessions', { flowId, flowToken: 't' });
		const id = opened.body.id as string;
		const tries: Array<[unknown, RegExp]> = [
			[{ screen: 'NOWHERE', data: {} }, /NOWHERE.*not in the Flow JSON/],
			[
				{ screen: 'CONFIRM', data: { date: 'd', slot: 's', summary: 'x' } },
				/routing_model does not lead from PICK_DATE to CONFIRM/,
			],
			[
				{ screen: 'PICK_SLOT', data: { date: '2026-12-24' } },
				/data.slots is declared by PICK_SLOT but missing/,
			],
			[
				{ screen: 'PICK_SLOT', data: { date: 5, slots: [] } },
				/data.date must be string; it is number/,
			],
			[
				{ screen: 'PICK_SLOT', data: { date: 'd', slots: [{ id: 1, title: 'x' }] } },
				/data.slots\[0\].id must be string/,
			],
			[
				{ screen: 'PICK_SLOT', data: { date: 'd', slots: [], extra: true } },
				/data.extra is not declared/,
			],
			[{ screen: 'SUCCESS', data: {} }, /extension_message_response.params.flow_token/],
		];
		for (const [body, problem] of tries) {
			endpoint.handler = () => ({ body });
			const step = await control('POST', `/flows/sessions/${id}/exchange`, { data: { date: 'd' } });
			expect(step.body.exchange.accepted).toBe(false);
			expect(step.body.exchange.problems.join('; ')).toMatch(problem);
			expect(step.body.session).toMatchObject({ status: 'open', screen: 'PICK_DATE' });
		}
		// error_message is always allowed: a snackbar on the screen.
		endpoint.handler = () => ({
			body: { screen: 'PICK_DATE', data: { dates: [], error_message: 'No dates left' } },
		});
		const snack = await control('POST', `/flows/sessions/${id}/exchange`, { data: {} });
		expect(snack.body.exchange.accepted).toBe(true);
	});

	test('421 makes the client read the public key again and retry once', async () => {
		const opened = await control('POST', '/flows/sessions', {
			flowId,
			flowToken: 't',
			publicKeyPem: pairs.other.publicPem,
		});
		expect(opened.body.exchanges.map((x: Obj) => [x.status, x.retryOf421 ?? false])).toEqual([
			[200, true],
		]);
		expect(endpoint.requests.map((r) => r.status)).toEqual([421, 200]);
		expect(opened.body.screen).toBe('PICK_DATE');
		// When the current key does not work either, the session fails.
		await uploadKey(pairs.other.publicPem);
		const failed = await control('POST', '/flows/sessions', { flowId, flowToken: 't' });
		expect(failed.body).toMatchObject({
			status: 'failed',
			reason: expect.stringMatching(/decrypted/),
		});
	});

	test('427 closes the Flow with the endpoint’s message; forged signatures get 432', async () => {
		endpoint.handler = () => ({ status: 427, body: { error_msg: 'This booking link expired' } });
		const closed = await control('POST', '/flows/sessions', { flowId, flowToken: 'old' });
		expect(closed.body).toMatchObject({ status: 'closed', reason: 'This booking link expired' });
		endpoint.handler = booking;
		const forged = await control('POST', '/flows/sessions', {
			flowId,
			flowToken: 't',
			sign: 'bad',
		});
		expect(forged.body).toMatchObject({
			status: 'failed',
			reason: expect.stringMatching(/signature/),
		});
		expect(endpoint.requests.at(-1)?.status).toBe(432);
	});

	test('an endpoint that does not answer in time fails the session', async () => {
		await control('POST', '/flows/settings', { timeoutMs: 300 });
		endpoint.handler = () => 'hang';
		const t0 = Date.now();
		const r = await control('POST', '/flows/sessions', { flowId, flowToken: 't' });
		expect(Date.now() - t0).toBeLessThan(5_000);
		expect(r.body).toMatchObject({
			status: 'failed',
			exchanges: [{ status: null, error: 'timeout' }],
		});
	});

	test('error notices expect {acknowledged: true}; complete closes a terminal screen locally', async () => {
		const sink = await startWebhookSink();
		try {
			await control('POST', '/webhook', { url: sink.url });
			const opened = await control('POST', '/flows/sessions', {
				flowId,
				flowToken: 't-1',
				screen: 'CONFIRM',
				data: { date: 'd', slot: 's', summary: 'x' },
			});
			expect(endpoint.requests).toHaveLength(0); // navigate opens without INIT
			const id = opened.body.id as string;
			const notice = await control('POST', `/flows/sessions/${id}/error`, {
				error: 'INVALID_SCREEN_DATA',
				error_message: 'bad',
			});
			expect(notice.body.exchange).toMatchObject({ accepted: true });
			expect(endpoint.requests[0].plaintext?.data).toEqual({
				error: 'INVALID_SCREEN_DATA',
				error_message: 'bad',
			});
			const done = await control('POST', `/flows/sessions/${id}/complete`, {
				payload: { ok: true },
			});
			expect(done.body).toMatchObject({
				status: 'completed',
				completion: { ok: true, flow_token: 't-1' },
			});
			expect(sink.received).toHaveLength(1);
		} finally {
			await sink.close();
		}
	});
});
