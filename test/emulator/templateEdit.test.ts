/** POST /{template-id}: what may change, on which statuses, and how often (over HTTP). */
import { DEFAULT_WABA_ID, startEmulator, type Emulator } from './index';
import { call, errCode, send, v } from './testUtil';

let e: Emulator;
beforeAll(async () => {
	e = await startEmulator();
});
afterAll(() => e.stop());
beforeEach(() => e.reset());

const HOUR = 3_600_000;
const ORDER_UPDATE = '1209876543210002';
const OLD_PROMO = '1209876543210014';
const body = (text: string) => [
	{ type: 'BODY', text, example: { body_text: [['Ana']] } },
	{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Track' }] },
];
const edit = (id: string, b: Record<string, unknown>) => call(e, 'POST', v(e, id), b);
const get = async (id: string) => (await call(e, 'GET', v(e, id))).body;
const advance = (ms: number) => call(e, 'POST', '/__emulator/templates/clock', { advanceMs: ms });
const setStatus = (id: string, status: string) =>
	call(e, 'POST', '/__emulator/templates/status', { id, status });

describe('template edit', () => {
	test('components are replaced; the new definition is returned and sendable', async () => {
		const r = await edit(ORDER_UPDATE, { components: body('Hi {{1}}, your order is on its way.') });
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ success: true });
		const t = await get(ORDER_UPDATE);
		expect(t).toMatchObject({ status: 'APPROVED', name: 'order_update', language: 'en_US' });
		expect(t.components).toEqual(body('Hi {{1}}, your order is on its way.'));
		const sent = await send(e, {
			to: '16505551234',
			type: 'template',
			template: {
				name: 'order_update',
				language: { code: 'en_US' },
				components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }],
			},
		});
		expect(sent.status).toBe(200);
		const subs = (await call(e, 'GET', '/__emulator/templates/submissions')).body.data;
		expect(subs).toEqual([
			{
				at: expect.any(Number),
				kind: 'edit',
				id: ORDER_UPDATE,
				body: { components: body('Hi {{1}}, your order is on its way.') },
			},
		]);
	});

	test('the edit passes the creation checks of the template category', async () => {
		const r = await edit(ORDER_UPDATE, { components: [{ type: 'BODY', text: 'a'.repeat(1025) }] });
		expect(errCode(r)).toBe(100);
		expect((await get(ORDER_UPDATE)).components[1].text).toBe(
			'Hi {{1}}, your order {{2}} ships on {{3}}.',
		);
	});

	test('message_send_ttl_seconds alone, within the category range', async () => {
		expect((await edit(ORDER_UPDATE, { message_send_ttl_seconds: 43_200 })).status).toBe(200);
		expect((await get(ORDER_UPDATE)).message_send_ttl_seconds).toBe(43_200);
		await advance(25 * HOUR);
		expect(errCode(await edit(ORDER_UPDATE, { message_send_ttl_seconds: 43_201 }))).toBe(100);
	});

	test.each([
		['name', { name: 'renamed' }],
		['language', { language: 'es' }],
		['nothing', {}],
		['unknown key', { footer: 'x' }],
		['category of an approved template', { category: 'MARKETING' }],
		['bad category', { category: 'PROMO' }],
	])('refused: %s', async (_n, b) => {
		expect(errCode(await edit(ORDER_UPDATE, b))).toBe(100);
	});

	test('approved: one edit per 24 hours', async () => {
		expect((await edit(ORDER_UPDATE, { components: body('First {{1}}') })).status).toBe(200);
		await advance(24 * HOUR - 60_000);
		const early = await edit(ORDER_UPDATE, { components: body('Second {{1}}') });
		expect(errCode(early)).toBe(100);
		expect(early.body.error.error_data.details).toContain('24 hours');
		await advance(60_001);
		expect((await edit(ORDER_UPDATE, { components: body('Second {{1}}') })).status).toBe(200);
	});

	test('approved: ten edits per 30 days', async () => {
		for (let i = 0; i < 10; i++) {
			expect((await edit(ORDER_UPDATE, { components: body(`Edit ${i} {{1}}`) })).status).toBe(200);
			await advance(25 * HOUR);
		}
		// 10 edits in the last 250 hours: the 11th is refused until the first leaves the window.
		const eleventh = await edit(ORDER_UPDATE, { components: body('Eleventh {{1}}') });
		expect(errCode(eleventh)).toBe(100);
		expect(eleventh.body.error.error_data.details).toContain('30 days');
		await advance(30 * 24 * HOUR - 250 * HOUR + 60_000);
		expect((await edit(ORDER_UPDATE, { components: body('Eleventh {{1}}') })).status).toBe(200);
	});

	test('rejected and paused templates: unlimited edits, category may change', async () => {
		for (let i = 0; i < 12; i++) {
			expect((await setStatus(OLD_PROMO, i % 2 ? 'PAUSED' : 'REJECTED')).status).toBe(200);
			const r = await edit(OLD_PROMO, { components: [{ type: 'BODY', text: `Try ${i}` }] });
			expect(r.status).toBe(200);
		}
		await setStatus(OLD_PROMO, 'REJECTED');
		expect(errCode(await edit(OLD_PROMO, { category: 'UTILITY' }))).toBe(100); // needs components
		const r = await edit(OLD_PROMO, {
			category: 'UTILITY',
			components: [{ type: 'BODY', text: 'Your order shipped.' }],
		});
		expect(r.status).toBe(200);
		expect(await get(OLD_PROMO)).toMatchObject({ category: 'UTILITY', status: 'APPROVED' });
	});

	test.each(['PENDING', 'DISABLED', 'IN_APPEAL', 'PENDING_DELETION', 'LIMIT_EXCEEDED', 'ARCHIVED'])(
		'status %s cannot be edited',
		async (status) => {
			await setStatus(ORDER_UPDATE, status);
			const r = await edit(ORDER_UPDATE, { components: body('x {{1}}') });
			expect(errCode(r)).toBe(100);
			expect(r.body.error.error_data.details).toContain(status);
		},
	);

	test('authentication edit: options in, preset texts out', async () => {
		const created = await call(e, 'POST', v(e, `${DEFAULT_WABA_ID}/message_templates`), {
			name: 'login_code',
			language: 'en_US',
			category: 'AUTHENTICATION',
			components: [
				{ type: 'BODY' },
				{ type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE' }] },
			],
		});
		expect(created.status).toBe(200);
		const r = await edit(created.body.id, {
			message_send_ttl_seconds: 120,
			components: [
				{ type: 'BODY', add_security_recommendation: true },
				{ type: 'FOOTER', code_expiration_minutes: 3 },
				{ type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE' }] },
			],
		});
		expect(r.status).toBe(200);
		const t = await get(created.body.id);
		expect(t.message_send_ttl_seconds).toBe(120);
		expect(t.components[1]).toEqual({
			type: 'FOOTER',
			text: 'This code expires in 3 minutes.',
			code_expiration_minutes: 3,
		});
	});

	test('unknown template ID → 100; control status must be a Meta status', async () => {
		expect(errCode(await edit('1209876543299999', { components: body('x {{1}}') }))).toBe(100);
		expect(errCode(await setStatus(ORDER_UPDATE, 'LOST'))).toBe(100);
	});
});
