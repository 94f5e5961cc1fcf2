/** POST /{phone-number-id}/marketing_messages over HTTP: who may send what, and what is recorded. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { DEFAULT_WABA_ID, PHONE_NUMBER_IDS, startEmulator, type Emulator } from './index';
import { call, errCode, nextTo, send, v } from './testUtil';

let e: Emulator;
beforeAll(async () => {
	e = await startEmulator();
});
afterAll(() => e.stop());
beforeEach(() => e.reset());

const [ONBOARDED, ONBOARDED_HIGH, NOT_ONBOARDED] = PHONE_NUMBER_IDS;
const marketing = (body: Record<string, unknown>, phone = ONBOARDED) =>
	call(e, 'POST', v(e, `${phone}/marketing_messages`), { messaging_product: 'whatsapp', ...body });
const promo = (extra: Record<string, unknown> = {}) => ({
	to: nextTo(),
	type: 'template',
	template: {
		name: 'image_promo',
		language: { code: 'en_US' },
		components: [
			{
				type: 'header',
				parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/a.jpg' } }],
			},
			{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] },
			{
				type: 'button',
				sub_type: 'url',
				index: '0',
				parameters: [{ type: 'text', text: 'summer' }],
			},
		],
	},
	...extra,
});
const utility = () => ({
	to: nextTo(),
	type: 'template',
	template: {
		name: 'payment_due',
		language: { code: 'en_US' },
		components: [
			{
				type: 'body',
				parameters: [
					{ type: 'text', text: '$10' },
					{ type: 'text', text: 'Friday' },
				],
			},
		],
	},
});

describe('marketing_messages', () => {
	test('onboarded number, MARKETING template: accepted like /messages, recorded with its route', async () => {
		const body = promo({ message_activity_sharing: true, product_policy: 'STRICT' });
		const r = await marketing(body);
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			messaging_product: 'whatsapp',
			contacts: [{ input: body.to, wa_id: body.to }],
			messages: [{ id: expect.stringMatching(/^wamid\./), message_status: 'accepted' }],
		});
		const [m] = (await call(e, 'GET', '/__emulator/messages')).body.data;
		expect(m).toMatchObject({
			wamid: r.body.messages[0].id,
			phoneNumberId: ONBOARDED,
			type: 'template',
			body: { messaging_product: 'whatsapp', ...body },
			marketingMessages: { servedBy: 'marketing_messages' },
		});
		expect(e.requests().at(-1)).toMatchObject({
			method: 'POST',
			path: `/${e.config.apiVersion}/${ONBOARDED}/marketing_messages`,
			status: 200,
		});
	});

	test.each([
		['text message', { to: '16505551234', type: 'text', text: { body: 'Hi' } }, 100],
		['no type (text by default)', { to: '16505551234', text: { body: 'Hi' } }, 100],
		['mark as read', { status: 'read', message_id: 'wamid.x' }, 100],
		['UTILITY template', utility(), 134100],
		[
			'AUTHENTICATION template',
			{
				to: '16505551234',
				type: 'template',
				template: {
					name: 'auth_copy_code',
					language: { code: 'en_US' },
					components: [
						{ type: 'body', parameters: [{ type: 'text', text: '123456' }] },
						{
							type: 'button',
							sub_type: 'url',
							index: '0',
							parameters: [{ type: 'text', text: '123456' }],
						},
					],
				},
			},
			134100,
		],
		[
			'unknown template',
			{
				to: '16505551234',
				type: 'template',
				template: { name: 'nope', language: { code: 'en_US' } },
			},
			132001,
		],
		[
			'bad parameters',
			{ ...promo(), template: { name: 'image_promo', language: { code: 'en_US' } } },
			132000,
		],
		['product_policy unknown', promo({ product_policy: 'LENIENT' }), 100],
		['message_activity_sharing not boolean', promo({ message_activity_sharing: 'yes' }), 100],
		['unknown key', promo({ priority: 'high' }), 100],
	])('refused: %s', async (_n, body, code) => {
		const r = await marketing(body as Record<string, unknown>);
		expect(errCode(r)).toBe(code);
		expect(e.messages()).toHaveLength(0);
	});

	test('not onboarded: refused, or served by Cloud API with CLOUD_API_FALLBACK', async () => {
		const strict = await marketing(promo(), NOT_ONBOARDED);
		expect(errCode(strict)).toBe(131055);
		expect(strict.status).toBe(400);
		expect(strict.body.error.error_data.details).toContain('terms of service');
		expect(errCode(await marketing(promo({ product_policy: 'STRICT' }), NOT_ONBOARDED))).toBe(
			131055,
		);
		const fallback = await marketing(
			promo({ product_policy: 'CLOUD_API_FALLBACK' }),
			NOT_ONBOARDED,
		);
		expect(fallback.status).toBe(200);
		expect(e.messages()).toEqual([
			expect.objectContaining({
				phoneNumberId: NOT_ONBOARDED,
				marketingMessages: { servedBy: 'cloud_api' },
			}),
		]);
	});

	test('onboarding and the refusal codes are settings', async () => {
		await call(e, 'POST', '/__emulator/settings', {
			marketingMessages: { onboardedNumbers: [NOT_ONBOARDED], notOnboardedCode: 131031 },
		});
		expect((await marketing(promo(), NOT_ONBOARDED)).status).toBe(200);
		expect(errCode(await marketing(promo(), ONBOARDED))).toBe(131031);
		await call(e, 'POST', '/__emulator/settings', {
			marketingMessages: { nonMarketingCode: 131009 },
		});
		expect(errCode(await marketing(utility(), NOT_ONBOARDED))).toBe(131009);
		await call(e, 'POST', '/__emulator/reset');
		expect((await marketing(promo(), ONBOARDED_HIGH)).status).toBe(200);
	});

	test('WABA onboarding status field', async () => {
		const status = async () =>
			(
				await call(
					e,
					'GET',
					v(
						e,
						`${DEFAULT_WABA_ID}?fields=marketing_messages_onboarding_status,marketing_messages_lite_api_status`,
					),
				)
			).body;
		expect(await status()).toMatchObject({
			marketing_messages_onboarding_status: 'ONBOARDED',
			marketing_messages_lite_api_status: 'ONBOARDED',
		});
		e.configure({ marketingMessages: { onboardedNumbers: [] } });
		expect((await status()).marketing_messages_onboarding_status).toBe('ELIGIBLE');
		const plain = (await call(e, 'GET', v(e, DEFAULT_WABA_ID))).body;
		expect(plain.marketing_messages_onboarding_status).toBeUndefined();
	});

	test('marketing disabled on Cloud API: /messages refuses MARKETING templates with 131063', async () => {
		e.configure({ marketingMessages: { disableMarketingOnCloudApi: true } });
		expect(errCode(await send(e, promo()))).toBe(131063);
		expect((await send(e, utility())).status).toBe(200);
		expect((await marketing(promo())).status).toBe(200);
	});

	test('same throughput bucket as /messages (130429) and the same forced errors', async () => {
		e.configure({ throughputOverrides: { [ONBOARDED]: 3 } });
		for (let i = 0; i < 3; i++) expect((await send(e, utility())).status).toBe(200);
		const over = await marketing(promo());
		expect(errCode(over)).toBe(130429);
		expect(over.status).toBe(429);
		e.reset();
		const to = nextTo();
		e.queueError(to, 131049);
		expect(errCode(await marketing(promo({ to })))).toBe(131049);
		expect((await marketing(promo({ to }))).status).toBe(200);
	});
});

describe('marketing_messages statuses', () => {
	const bodies: Record<string, any>[] = [];
	const rx = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			if (req.method === 'POST') bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
			res.writeHead(200);
			res.end('ok');
		});
	});
	beforeAll(() => new Promise<void>((r) => rx.listen(0, '127.0.0.1', () => r())));
	afterAll(() => new Promise<void>((r) => rx.close(() => r())));

	test('priced as marketing_lite when the MM API served it, marketing on fallback', async () => {
		bodies.length = 0;
		e.setCallback(`http://127.0.0.1:${(rx.address() as AddressInfo).port}/hook`);
		e.configure({ autoStatuses: { enabled: true, sentMs: 5, deliveredMs: 15, readMs: null } });
		const lite = await marketing(promo());
		const fallback = await marketing(
			promo({ product_policy: 'CLOUD_API_FALLBACK' }),
			NOT_ONBOARDED,
		);
		const deadline = Date.now() + 5000;
		while (bodies.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
		const statuses = bodies.flatMap((b) => b.entry[0].changes[0].value.statuses);
		const of = (id: string) => statuses.filter((s: { id: string }) => s.id === id);
		expect(of(lite.body.messages[0].id).map((s: { status: string }) => s.status)).toEqual([
			'sent',
			'delivered',
		]);
		expect(of(lite.body.messages[0].id)[0].pricing).toMatchObject({ category: 'marketing_lite' });
		expect(of(fallback.body.messages[0].id)[0].pricing).toMatchObject({ category: 'marketing' });
	});
});
