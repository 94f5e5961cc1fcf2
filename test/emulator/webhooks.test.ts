import { createHmac, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	DEFAULT_WABA_ID,
	PHONE_NUMBER_IDS,
	batch,
	escapeUnicode,
	events,
	inboundMessages,
	messagesPayload,
	sign,
	startEmulator,
	statusObject,
	statusesPayload,
	type Emulator,
	type WebhookPayload,
} from './index';
import { call, errCode, send, v } from './testUtil';

interface Received {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	raw: Buffer;
}

/** A minimal webhook receiver like a user's endpoint: handshake + signature check. */
class Receiver {
	received: Received[] = [];
	/** Statuses to answer POSTs with, in order; then 200. */
	script: number[] = [];
	verifyToken = 'my-verify-token';
	echoWrong = false;
	url = '';
	private server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const u = new URL(req.url ?? '/', 'http://x');
			if (req.method === 'GET') {
				const ok =
					u.searchParams.get('hub.mode') === 'subscribe' &&
					u.searchParams.get('hub.verify_token') === this.verifyToken;
				res.writeHead(ok ? 200 : 403, { 'content-type': 'text/plain' });
				res.end(ok ? (this.echoWrong ? 'nope' : u.searchParams.get('hub.challenge')) : 'forbidden');
				return;
			}
			this.received.push({
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				raw,
			});
			res.writeHead(this.script.shift() ?? 200);
			res.end('ok');
		});
	});
	async start() {
		await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
		return this;
	}
	stop() {
		this.server.closeAllConnections();
		return new Promise<void>((r) => this.server.close(() => r()));
	}
	bodies(): WebhookPayload[] {
		return this.received.map((r) => JSON.parse(r.raw.toString('utf8')) as WebhookPayload);
	}
}

/** An independent signature check, as a trigger node would do it. */
function validSignature(raw: Buffer, header: string | string[] | undefined, secret: string) {
	if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
	const expected = Buffer.from(createHmac('sha256', secret).update(raw).digest('hex'));
	const got = Buffer.from(header.slice(7));
	return got.length === expected.length && timingSafeEqual(got, expected);
}

let e: Emulator;
let rx: Receiver;
beforeAll(async () => {
	e = await startEmulator();
	rx = await new Receiver().start();
});
afterAll(async () => {
	await e.stop();
	await rx.stop();
});
beforeEach(() => {
	e.reset();
	rx.received = [];
	rx.script = [];
	rx.echoWrong = false;
	e.setCallback(rx.url, rx.verifyToken);
});

describe('signing and delivery', () => {
	test('sign() matches an independent HMAC', () => {
		const body = Buffer.from('{"a":"ä"}');
		expect(sign(body, 's3cret')).toBe(
			`sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`,
		);
		expect(sign(body.toString('utf8'), 's3cret')).toBe(sign(body, 's3cret'));
	});

	test('delivered webhook carries a signature an independent check accepts', async () => {
		const r = await e.deliver(e.inbound.text('16505551234', 'Olá, ação ✓ 👍'));
		expect(r).toMatchObject({ delivered: true, statusCodes: [200] });
		expect(rx.received).toHaveLength(1);
		const got = rx.received[0];
		expect(got.headers['content-type']).toBe('application/json');
		expect(validSignature(got.raw, got.headers['x-hub-signature-256'], e.config.appSecret)).toBe(
			true,
		);
		expect(got.raw.toString('utf8')).toContain('Olá, ação ✓ 👍');
		const p = rx.bodies()[0];
		expect(p.object).toBe('whatsapp_business_account');
		expect(p.entry[0].id).toBe(DEFAULT_WABA_ID);
		expect(p.entry[0].changes[0].value).toMatchObject({
			messaging_product: 'whatsapp',
			metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_IDS[0] },
			contacts: [
				{
					profile: { name: expect.any(String) },
					wa_id: '16505551234',
					user_id: expect.stringMatching(/^US\./),
				},
			],
			messages: [
				{
					from: '16505551234',
					from_user_id: expect.stringMatching(/^US\./),
					id: expect.stringMatching(/^wamid\./),
					timestamp: expect.stringMatching(/^\d+$/),
					type: 'text',
					text: { body: 'Olá, ação ✓ 👍' },
				},
			],
		});
	});

	test('escaped-unicode option: \\uXXXX lowercase UTF-16 units, signature over the escaped bytes', async () => {
		const r = await e.deliver(e.inbound.text('16505551234', 'äöå 👍'), { escapeUnicode: true });
		expect(r.delivered).toBe(true);
		const raw = rx.received[0].raw;
		expect([...raw].every((b) => b < 0x80)).toBe(true);
		expect(raw.toString()).toContain('\\u00e4\\u00f6\\u00e5 \\ud83d\\udc4d');
		expect(
			validSignature(raw, rx.received[0].headers['x-hub-signature-256'], e.config.appSecret),
		).toBe(true);
		expect(
			(JSON.parse(raw.toString()) as WebhookPayload).entry[0].changes[0].value.messages,
		).toEqual([expect.objectContaining({ text: { body: 'äöå 👍' } })]);
		expect(escapeUnicode('a~\u007fé')).toBe('a~\\u007f\\u00e9');
	});

	test('signature none / bad / other secret', async () => {
		await e.deliver(e.inbound.text('16505551234', 'x'), { signature: 'none' });
		await e.deliver(e.inbound.text('16505551234', 'x'), { signature: 'bad' });
		await e.deliver(e.inbound.text('16505551234', 'x'), { signWith: 'other' });
		const [none, bad, other] = rx.received;
		expect(none.headers['x-hub-signature-256']).toBeUndefined();
		expect(validSignature(bad.raw, bad.headers['x-hub-signature-256'], e.config.appSecret)).toBe(
			false,
		);
		expect(validSignature(other.raw, other.headers['x-hub-signature-256'], 'other')).toBe(true);
	});

	test('retries on non-200 with exponential backoff, then succeeds', async () => {
		rx.script = [500, 403];
		const t0 = Date.now();
		const r = await e.deliver(e.inbound.text('16505551234', 'retry me'));
		expect(r.statusCodes).toEqual([500, 403, 200]);
		expect(r.delivered).toBe(true);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(100 + 200 - 10);
		expect(rx.received.map((x) => x.raw.toString())).toEqual(Array(3).fill(r.body));
		const d = e.deliveries();
		expect(d).toMatchObject({ deliveries: 1, delivered: 1, failed: 0, attempts: 3, pending: 0 });
	});

	test('gives up after maxAttempts; network errors count as failures', async () => {
		rx.script = [500, 500, 500];
		const r = await e.deliver(e.inbound.text('16505551234', 'x'), {
			maxAttempts: 3,
			retryBaseMs: 10,
		});
		expect(r).toMatchObject({ delivered: false, statusCodes: [500, 500, 500] });
		const dead = await e.deliver(e.inbound.text('16505551234', 'x'), {
			url: 'http://127.0.0.1:1/none',
			maxAttempts: 2,
			retryBaseMs: 10,
		});
		expect(dead.statusCodes).toEqual([null, null]);
		expect(dead.attempts[0].error).toBeDefined();
		expect(e.deliveries()).toMatchObject({ deliveries: 2, delivered: 0, failed: 2, attempts: 5 });
	});

	test('deliver without a callback throws', async () => {
		e.setCallback(undefined);
		await expect(e.deliver(e.inbound.text('1', 'x'))).rejects.toThrow(/callback/i);
	});
});

describe('handshake and subscriptions', () => {
	test('verify(): echo equals the challenge', async () => {
		const ok = await e.verify();
		expect(ok).toMatchObject({ ok: true, status: 200 });
		expect(ok.body).toBe(ok.challenge);
		expect((await e.verify(rx.url, 'wrong')).ok).toBe(false);
		rx.echoWrong = true;
		expect((await e.verify()).ok).toBe(false);
	});

	test('POST /{app-id}/subscriptions runs the handshake; 2200 when it fails', async () => {
		const path = v(e, `${e.config.appId}/subscriptions`);
		const bad = await call(e, 'POST', path, {
			object: 'whatsapp_business_account',
			callback_url: rx.url,
			verify_token: 'wrong',
			fields: 'messages',
		});
		expect(bad.status).toBe(400);
		expect(bad.body.error).toMatchObject({
			code: 2200,
			message: '(#2200) Callback verification failed',
		});
		expect(
			errCode(
				await call(e, 'POST', path, {
					object: 'whatsapp_business_account',
					callback_url: rx.url,
					fields: 'messages',
				}),
			),
		).toBe(100);
		e.setCallback(undefined);
		const ok = await call(e, 'POST', path, {
			object: 'whatsapp_business_account',
			callback_url: rx.url,
			verify_token: rx.verifyToken,
			fields: ['messages', 'message_template_status_update'],
		});
		expect(ok.body).toEqual({ success: true });
		const list = await call(e, 'GET', path);
		expect(list.body).toEqual({
			data: [
				{
					object: 'whatsapp_business_account',
					callback_url: rx.url,
					active: true,
					fields: [
						{ name: 'messages', version: 'v26.0' },
						{ name: 'message_template_status_update', version: 'v26.0' },
					],
				},
			],
		});
		expect((await e.deliver(e.inbound.text('16505551234', 'x'))).delivered).toBe(true); // callback now set
		expect((await call(e, 'DELETE', `${path}?object=whatsapp_business_account`)).body).toEqual({
			success: true,
		});
		expect((await call(e, 'GET', path)).body).toEqual({ data: [] });
		expect(errCode(await call(e, 'GET', v(e, '999/subscriptions')))).toBe(100);
	});

	test('form-encoded subscription POST works too', async () => {
		const r = await fetch(`${e.baseUrl}${v(e, `${e.config.appId}/subscriptions`)}`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${e.config.token}`,
				'content-type': 'application/x-www-form-urlencoded',
			},
			body: new URLSearchParams({
				object: 'whatsapp_business_account',
				callback_url: rx.url,
				verify_token: rx.verifyToken,
				fields: 'messages',
			}).toString(),
		});
		expect(r.status).toBe(200);
	});

	test('/{waba}/subscribed_apps with override_callback_uri', async () => {
		const path = v(e, `${DEFAULT_WABA_ID}/subscribed_apps`);
		expect((await call(e, 'GET', path)).body).toEqual({ data: [] });
		expect((await call(e, 'POST', path)).body).toEqual({ success: true });
		expect((await call(e, 'GET', path)).body.data[0].whatsapp_business_api_data).toEqual({
			id: e.config.appId,
			link: expect.any(String),
			name: expect.any(String),
		});
		const override = rx.url.replace('/webhook', '/override');
		expect(
			errCode(
				await call(e, 'POST', path, { override_callback_uri: override, verify_token: 'bad' }),
			),
		).toBe(2200);
		expect(
			(
				await call(e, 'POST', path, {
					override_callback_uri: override,
					verify_token: rx.verifyToken,
				})
			).status,
		).toBe(200);
		expect((await call(e, 'GET', path)).body.data[0].override_callback_uri).toBe(override);
		await e.deliver(e.inbound.text('16505551234', 'x'));
		expect(rx.received.at(-1)!.url).toBe('/override');
		expect((await call(e, 'DELETE', path)).body).toEqual({ success: true });
		expect((await call(e, 'GET', path)).body).toEqual({ data: [] });
	});
});

describe('automatic statuses', () => {
	test('sent → delivered → read for every accepted message, with BSUID and callback data', async () => {
		e.configure({ autoStatuses: { enabled: true, sentMs: 10, deliveredMs: 40, readMs: 80 } });
		const a = await send(e, {
			to: '16505551234',
			biz_opaque_callback_data: 'track-1',
			type: 'text',
			text: { body: 'x' },
		});
		const b = await send(e, {
			recipient: 'US.42',
			type: 'template',
			template: { name: 'hello_world', language: { code: 'en_US' } },
		});
		await waitFor(() => rx.received.length >= 6);
		const statuses = rx
			.bodies()
			.flatMap((p) => p.entry[0].changes[0].value.statuses as Record<string, unknown>[]);
		const forA = statuses.filter((s) => s.id === a.body.messages[0].id);
		expect(forA.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
		expect(forA[0]).toMatchObject({
			recipient_id: '16505551234',
			biz_opaque_callback_data: 'track-1',
			pricing: { pricing_model: 'PMP', category: 'service' },
		});
		const forB = statuses.filter((s) => s.id === b.body.messages[0].id);
		expect(forB[0]).toMatchObject({ recipient_user_id: 'US.42', pricing: { category: 'utility' } });
		expect(forB[0].recipient_id).toBeUndefined();
		for (const r of rx.received)
			expect(validSignature(r.raw, r.headers['x-hub-signature-256'], e.config.appSecret)).toBe(
				true,
			);
	});

	test('failFor: async failed status with errors, no delivered/read', async () => {
		e.configure({
			autoStatuses: {
				enabled: true,
				sentMs: 5,
				deliveredMs: 20,
				readMs: 30,
				failFor: { '16505550000': 131047 },
			},
		});
		const a = await send(e, { to: '16505550000', type: 'text', text: { body: 'x' } });
		await waitFor(() => rx.received.length >= 2);
		await new Promise((r) => setTimeout(r, 60));
		const statuses = rx
			.bodies()
			.map((p) => (p.entry[0].changes[0].value.statuses as Record<string, unknown>[])[0]);
		expect(statuses.map((s) => s.status)).toEqual(['sent', 'failed']);
		expect(statuses[1]).toMatchObject({
			id: a.body.messages[0].id,
			errors: [
				{
					code: 131047,
					title: 'Re-engagement message',
					error_data: { details: expect.any(String) },
				},
			],
		});
	});
});

describe('inbound builders', () => {
	const from = '16505551234';
	test('every message type has Meta’s shape', () => {
		const m = (p: WebhookPayload) =>
			(p.entry[0].changes[0].value.messages as Record<string, unknown>[])[0];
		const i = e.inbound;
		expect(m(i.image(from, { caption: 'c' }))).toMatchObject({
			type: 'image',
			image: {
				id: expect.any(String),
				mime_type: 'image/jpeg',
				sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
				caption: 'c',
			},
		});
		expect(m(i.video(from))).toMatchObject({ type: 'video', video: { mime_type: 'video/mp4' } });
		expect(m(i.voice(from))).toMatchObject({
			type: 'audio',
			audio: { mime_type: 'audio/ogg', voice: true },
		});
		expect(m(i.audio(from, { mimeType: 'audio/mpeg' }))).toMatchObject({
			type: 'audio',
			audio: { voice: false },
		});
		expect(m(i.document(from, { filename: 'a.pdf' }))).toMatchObject({
			type: 'document',
			document: { filename: 'a.pdf', mime_type: 'application/pdf' },
		});
		expect(m(i.sticker(from, { animated: true }))).toMatchObject({
			type: 'sticker',
			sticker: { mime_type: 'image/webp', animated: true },
		});
		expect(m(i.location(from, { latitude: 1, longitude: 2, name: 'N' }))).toMatchObject({
			type: 'location',
			location: { latitude: 1, longitude: 2, name: 'N' },
		});
		expect(m(i.contacts(from, [{ name: { formatted_name: 'A' } }]))).toMatchObject({
			type: 'contacts',
			contacts: [{ name: { formatted_name: 'A' } }],
		});
		expect(m(i.buttonReply(from, 'b1', 'Yes'))).toMatchObject({
			type: 'interactive',
			interactive: { type: 'button_reply', button_reply: { id: 'b1', title: 'Yes' } },
		});
		expect(m(i.listReply(from, 'r1', 'Row', 'desc'))).toMatchObject({
			interactive: {
				type: 'list_reply',
				list_reply: { id: 'r1', title: 'Row', description: 'desc' },
			},
		});
		const flow = m(i.flowReply(from, { flow_token: 't', name: 'Ana' })) as {
			interactive: { nfm_reply: { response_json: string } };
		};
		expect(flow).toMatchObject({
			interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent' } },
		});
		expect(JSON.parse(flow.interactive.nfm_reply.response_json)).toEqual({
			flow_token: 't',
			name: 'Ana',
		});
		expect(m(i.button(from, 'Track', 'TRACK_1'))).toMatchObject({
			type: 'button',
			button: { text: 'Track', payload: 'TRACK_1' },
		});
		expect(m(i.reaction(from, 'wamid.x', '👍'))).toMatchObject({
			type: 'reaction',
			reaction: { message_id: 'wamid.x', emoji: '👍' },
		});
		expect(m(i.reaction(from, 'wamid.x')).reaction).toEqual({ message_id: 'wamid.x' });
		expect(
			m(
				i.order(from, {
					catalog_id: 'c',
					product_items: [
						{ product_retailer_id: 'p', quantity: 1, item_price: 9.5, currency: 'USD' },
					],
				}),
			),
		).toMatchObject({ type: 'order', order: { catalog_id: 'c' } });
		expect(m(i.system(from, { type: 'user_changed_number', wa_id: '16505550000' }))).toMatchObject({
			type: 'system',
			system: { type: 'user_changed_number', wa_id: '16505550000' },
		});
		expect(m(i.requestWelcome(from))).toMatchObject({ type: 'request_welcome' });
		expect(m(i.edit(from, 'wamid.o', 'new'))).toMatchObject({
			type: 'edit',
			edit: { original_message_id: 'wamid.o', message: { type: 'text', text: { body: 'new' } } },
		});
		expect(m(i.revoke(from, 'wamid.o'))).toMatchObject({
			type: 'revoke',
			revoke: { original_message_id: 'wamid.o' },
		});
		expect(m(i.unsupported(from))).toMatchObject({
			type: 'unsupported',
			unsupported: { type: 'poll' },
			errors: [{ code: 131051 }],
		});
		expect(m(i.unknown(from))).toMatchObject({ type: 'unknown', errors: [{ code: 131051 }] });
		expect(
			m(i.text(from, 'hi', { context: { from: '15550783881', id: 'wamid.q' } })),
		).toMatchObject({ context: { id: 'wamid.q' } });
	});

	test('BSUID-only sender has no from / wa_id', () => {
		const p = e.inbound.text('16505551234', 'hi', {
			bsuidOnly: true,
			userId: 'US.999',
			username: 'ana',
		});
		const value = p.entry[0].changes[0].value as {
			contacts: Record<string, unknown>[];
			messages: Record<string, unknown>[];
		};
		expect(value.contacts[0]).toEqual({
			profile: { name: expect.any(String), username: 'ana' },
			user_id: 'US.999',
		});
		expect(value.messages[0].from).toBeUndefined();
		expect(value.messages[0].from_user_id).toBe('US.999');
	});

	test('inbound media references stored media that downloads with the token', async () => {
		const bytes = Buffer.from('voice-note-bytes');
		const p = e.inbound.voice('16505551234', { bytes });
		const audio = (p.entry[0].changes[0].value.messages as { audio: { id: string } }[])[0].audio;
		const meta = await call(e, 'GET', v(e, audio.id));
		const dl = await fetch(meta.body.url, {
			headers: { authorization: `Bearer ${e.config.token}` },
		});
		expect(Buffer.from(await dl.arrayBuffer()).equals(bytes)).toBe(true);
	});

	test('statuses, errors, management fields, batches', async () => {
		const failed = statusObject('wamid.1', 'failed', '16505551234', {
			errors: [{ code: 131026, details: 'x' }],
		});
		expect(failed).toMatchObject({
			id: 'wamid.1',
			status: 'failed',
			recipient_id: '16505551234',
			errors: [
				{
					code: 131026,
					title: 'Message undeliverable',
					message: 'Message undeliverable',
					error_data: { details: 'x' },
					href: expect.any(String),
				},
			],
		});
		expect(failed.pricing).toBeUndefined();
		const played = e.inbound.status('wamid.2', 'played', { recipient: '16505551234' });
		expect(played.entry[0].changes[0].value.statuses).toEqual([
			expect.objectContaining({ status: 'played' }),
		]);
		const errs = e.inbound.errors([{ code: 130429, title: 'Rate limit hit' }]);
		expect(errs.entry[0].changes[0].value.errors).toEqual([
			expect.objectContaining({ code: 130429 }),
		]);
		const quality = events.phoneNumberQuality('15550783881', 'THROUGHPUT_UPGRADE');
		expect(quality.entry[0]).toMatchObject({
			id: DEFAULT_WABA_ID,
			time: expect.any(Number),
			changes: [{ field: 'phone_number_quality_update', value: { event: 'THROUGHPUT_UPGRADE' } }],
		});
		expect(quality.entry[0].changes[0].value.metadata).toBeUndefined();
		const tplStatus = events.templateStatus(
			{ id: '1', name: 'hello_world', language: 'en_US' },
			'APPROVED',
		);
		expect(tplStatus.entry[0].changes[0]).toMatchObject({
			field: 'message_template_status_update',
			value: { event: 'APPROVED', message_template_name: 'hello_world' },
		});
		expect(
			events.templateCategory({ id: '1', name: 'n', language: 'en' }, 'UTILITY', 'MARKETING')
				.entry[0].changes[0].field,
		).toBe('template_category_update');
		expect(
			events.templateQuality({ id: '1', name: 'n', language: 'en' }, 'GREEN', 'YELLOW').entry[0]
				.changes[0].field,
		).toBe('message_template_quality_update');
		expect(events.accountUpdate('ACCOUNT_VIOLATION').entry[0].changes[0].field).toBe(
			'account_update',
		);
		expect(events.userPreferences('16505551234', 'stop').entry[0].changes[0].field).toBe(
			'user_preferences',
		);
		// Several messages in one change, several entries in one POST.
		const two = messagesPayload([
			inboundMessages.text('16505550001', 'a'),
			inboundMessages.text('16505550002', 'b'),
		]);
		expect(two.entry[0].changes[0].value.messages).toHaveLength(2);
		expect(two.entry[0].changes[0].value.contacts).toHaveLength(2);
		const all = batch(
			two,
			statusesPayload([
				statusObject('wamid.3', 'sent', '1'),
				statusObject('wamid.3', 'delivered', '1'),
			]),
			quality,
		);
		expect(all.entry).toHaveLength(3);
		const r = await e.deliver(all);
		expect(r.delivered).toBe(true);
		expect(rx.bodies()[0]).toEqual(all);
	});
});

describe('control API for webhooks', () => {
	test('webhook, verify, inbound, deliveries', async () => {
		e.setCallback(undefined);
		expect(
			(
				await call(
					e,
					'POST',
					'/__emulator/webhook',
					{ url: rx.url, verifyToken: rx.verifyToken },
					{},
					null,
				)
			).status,
		).toBe(200);
		const ver = await call(e, 'POST', '/__emulator/verify', {}, {}, null);
		expect(ver.body).toMatchObject({ ok: true });
		const text = await call(
			e,
			'POST',
			'/__emulator/inbound',
			{
				message: { type: 'text', from: '16505551234', text: 'hé' },
				options: { escapeUnicode: true },
			},
			{},
			null,
		);
		expect(text.body).toMatchObject({ delivered: true, statusCodes: [200] });
		expect(rx.received[0].raw.toString()).toContain('h\\u00e9');
		const img = await call(
			e,
			'POST',
			'/__emulator/inbound',
			{
				message: {
					type: 'image',
					from: '16505551234',
					base64: Buffer.from('img').toString('base64'),
					mimeType: 'image/png',
				},
			},
			{},
			null,
		);
		expect(img.body.delivered).toBe(true);
		const ev = await call(
			e,
			'POST',
			'/__emulator/inbound',
			{ event: { field: 'account_update', value: { event: 'ACCOUNT_VIOLATION' } } },
			{},
			null,
		);
		expect(ev.body.delivered).toBe(true);
		const sent = await send(e, { to: '16505551234', type: 'text', text: { body: 'x' } });
		const st = await call(
			e,
			'POST',
			'/__emulator/inbound',
			{ status: { wamid: sent.body.messages[0].id, status: 'read' } },
			{},
			null,
		);
		expect(st.body.delivered).toBe(true);
		expect(
			(rx.bodies()[3].entry[0].changes[0].value.statuses as Record<string, unknown>[])[0],
		).toMatchObject({ status: 'read', recipient_id: '16505551234' });
		const raw = await call(
			e,
			'POST',
			'/__emulator/inbound',
			{
				payload: { object: 'whatsapp_business_account', entry: [] },
				options: { signature: 'bad' },
			},
			{},
			null,
		);
		expect(raw.body.delivered).toBe(true);
		const d = await call(e, 'GET', '/__emulator/deliveries', undefined, {}, null);
		expect(d.body).toMatchObject({
			deliveries: 5,
			delivered: 5,
			failed: 0,
			attempts: 5,
			pending: 0,
		});
		expect(d.body.log.map((x: { field: string }) => x.field)).toEqual([
			'messages',
			'messages',
			'account_update',
			'messages',
			'raw',
		]);
		expect((await call(e, 'POST', '/__emulator/inbound', { nothing: 1 }, {}, null)).status).toBe(
			400,
		);
	});
});

async function waitFor(cond: () => boolean, ms = 3000) {
	const t0 = Date.now();
	while (!cond()) {
		if (Date.now() - t0 > ms) throw new Error('timed out waiting');
		await new Promise((r) => setTimeout(r, 10));
	}
}
