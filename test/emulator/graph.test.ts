import {
	DEFAULT_TOKEN,
	DEFAULT_WABA_ID,
	PHONE_NUMBER_IDS,
	SEED_TEMPLATES,
	startEmulator,
	type Emulator,
} from './index';
import { call, errCode, v } from './testUtil';

let e: Emulator;
beforeAll(async () => {
	e = await startEmulator();
});
afterAll(() => e.stop());
beforeEach(() => e.reset());

describe('auth', () => {
	test.each([
		['missing', null],
		['wrong', 'EAAG-wrong'],
	])('%s token → 190 / 401 on every Graph route', async (_n, token) => {
		for (const [method, path] of [
			['GET', v(e, 'me')],
			['POST', v(e, `${PHONE_NUMBER_IDS[0]}/messages`)],
			['GET', v(e, `${DEFAULT_WABA_ID}/message_templates`)],
			['GET', v(e, `${DEFAULT_WABA_ID}/phone_numbers`)],
			['GET', v(e, '1013859600285441')],
		] as const) {
			const r = await call(
				e,
				method,
				path,
				method === 'POST'
					? { messaging_product: 'whatsapp', to: '16505551234', text: { body: 'x' } }
					: undefined,
				{},
				token,
			);
			expect(r.status).toBe(401);
			expect(r.body.error).toMatchObject({
				code: 190,
				type: 'OAuthException',
				message: expect.stringMatching(/^\(#190\)/),
			});
		}
		expect(e.messages()).toHaveLength(0);
	});

	test('non-Bearer scheme rejected', async () => {
		const r = await fetch(`${e.baseUrl}/v26.0/me`, {
			headers: { authorization: `Basic ${DEFAULT_TOKEN}` },
		});
		expect(r.status).toBe(401);
	});

	test('GET /me', async () => {
		const r = await call(e, 'GET', v(e, 'me'));
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ id: expect.any(String), name: expect.any(String) });
	});

	test('any API version is routed; unknown path → 100', async () => {
		expect((await call(e, 'GET', '/v25.0/me')).status).toBe(200);
		expect(errCode(await call(e, 'GET', v(e, 'me/feed/x')))).toBe(100);
		expect(errCode(await call(e, 'GET', v(e, '424242')))).toBe(100);
	});
});

describe('phone numbers', () => {
	test('list with Graph paging', async () => {
		const r = await call(e, 'GET', v(e, `${DEFAULT_WABA_ID}/phone_numbers?limit=2`));
		expect(r.status).toBe(200);
		expect(r.body.data).toHaveLength(2);
		expect(r.body.data[0]).toMatchObject({
			id: PHONE_NUMBER_IDS[0],
			display_phone_number: '+1 555-078-3881',
			verified_name: expect.any(String),
			quality_rating: 'GREEN',
			code_verification_status: 'VERIFIED',
			platform_type: 'CLOUD_API',
			throughput: { level: 'STANDARD' },
			messaging_limit_tier: expect.any(String),
			whatsapp_business_manager_messaging_limit: expect.any(String),
			name_status: 'APPROVED',
		});
		expect(r.body.paging.next).toContain('after=');
		const next = await call(e, 'GET', r.body.paging.next);
		expect(next.body.data.map((p: { id: string }) => p.id)).toEqual([PHONE_NUMBER_IDS[2]]);
		expect(next.body.paging.next).toBeUndefined();
		const all = await call(e, 'GET', v(e, `${DEFAULT_WABA_ID}/phone_numbers`));
		expect(
			all.body.data.some((p: { throughput: { level: string } }) => p.throughput.level === 'HIGH'),
		).toBe(true);
	});

	test('get one, with fields', async () => {
		const r = await call(e, 'GET', v(e, `${PHONE_NUMBER_IDS[1]}`));
		expect(r.body).toMatchObject({ id: PHONE_NUMBER_IDS[1], throughput: { level: 'HIGH' } });
		const f = await call(
			e,
			'GET',
			v(e, `${PHONE_NUMBER_IDS[1]}?fields=display_phone_number,quality_rating`),
		);
		expect(f.body).toEqual({
			id: PHONE_NUMBER_IDS[1],
			display_phone_number: '+1 555-078-3882',
			quality_rating: 'GREEN',
		});
	});

	test('unknown WABA → 100', async () => {
		expect(errCode(await call(e, 'GET', v(e, '123/phone_numbers')))).toBe(100);
	});
});

describe('templates', () => {
	const list = (q = '') => call(e, 'GET', v(e, `${DEFAULT_WABA_ID}/message_templates${q}`));

	test('paging walks every template exactly once', async () => {
		const seen: string[] = [];
		let r = await list('?limit=5');
		for (;;) {
			expect(r.status).toBe(200);
			seen.push(...r.body.data.map((t: { id: string }) => t.id));
			expect(r.body.paging.cursors).toEqual({
				before: expect.any(String),
				after: expect.any(String),
			});
			if (!r.body.paging.next) break;
			r = await call(e, 'GET', r.body.paging.next);
		}
		expect(seen).toEqual(SEED_TEMPLATES.map((t) => t.id));
		const back = await list(`?limit=5&before=${r.body.paging.cursors.before}`);
		expect(back.body.data).toHaveLength(5);
	});

	test('filters: status, category, language, name', async () => {
		const rejected = await list('?status=REJECTED');
		expect(rejected.body.data.map((t: { name: string }) => t.name)).toEqual(['old_promo']);
		const marketing = await list('?category=MARKETING&status=APPROVED');
		expect(
			marketing.body.data.every(
				(t: { category: string; status: string }) =>
					t.category === 'MARKETING' && t.status === 'APPROVED',
			),
		).toBe(true);
		const es = await list('?language=es');
		expect(es.body.data.map((t: { name: string }) => t.name)).toEqual(['order_update']);
		const byName = await list('?name=order_update');
		expect(byName.body.data.map((t: { language: string }) => t.language).sort()).toEqual([
			'en_US',
			'es',
		]);
	});

	test('Graph template shape', async () => {
		const named = (await list('?name=shipping_named')).body.data[0];
		expect(named.parameter_format).toBe('NAMED');
		expect(named.components[1].example.body_text_named_params[0]).toEqual({
			param_name: 'order_id',
			example: '#1234',
		});
		const promo = (await list('?name=image_promo')).body.data[0];
		expect(promo.components[0]).toMatchObject({ type: 'HEADER', format: 'IMAGE' });
		expect(promo.components[2].buttons[0]).toMatchObject({
			type: 'URL',
			url: 'https://shop.example.com/promo/{{1}}',
			example: [expect.any(String)],
		});
		const one = await call(e, 'GET', v(e, promo.id));
		expect(one.body).toEqual(promo);
	});

	const create = (body: Record<string, unknown>) =>
		call(e, 'POST', v(e, `${DEFAULT_WABA_ID}/message_templates`), body);
	const good = {
		name: 'welcome_back',
		language: 'en_US',
		category: 'MARKETING',
		components: [
			{ type: 'HEADER', format: 'TEXT', text: 'Hi {{1}}', example: { header_text: ['Ana'] } },
			{
				type: 'BODY',
				text: 'We saved {{1}} for you until {{2}}.',
				example: { body_text: [['a cart', 'Friday']] },
			},
			{ type: 'FOOTER', text: 'Reply STOP to opt out' },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'QUICK_REPLY', text: 'Show me' },
					{
						type: 'URL',
						text: 'Open',
						url: 'https://x.example/{{1}}',
						example: ['https://x.example/cart'],
					},
				],
			},
		],
	};

	test('create → APPROVED at once, then sendable, listable and deletable', async () => {
		const r = await create(good);
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			id: expect.stringMatching(/^\d+$/),
			status: 'APPROVED',
			category: 'MARKETING',
		});
		const send = await call(e, 'POST', v(e, `${PHONE_NUMBER_IDS[0]}/messages`), {
			messaging_product: 'whatsapp',
			to: '16505551234',
			type: 'template',
			template: {
				name: 'welcome_back',
				language: { code: 'en_US' },
				components: [
					{ type: 'header', parameters: [{ type: 'text', text: 'Ana' }] },
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'a' },
							{ type: 'text', text: 'b' },
						],
					},
					{
						type: 'button',
						sub_type: 'url',
						index: '1',
						parameters: [{ type: 'text', text: 'c' }],
					},
				],
			},
		});
		expect(send.status).toBe(200);
		expect((await list('?name=welcome_back')).body.data).toHaveLength(1);
		expect(errCode(await create(good))).toBe(100); // duplicate
		const del = await call(
			e,
			'DELETE',
			v(e, `${DEFAULT_WABA_ID}/message_templates?name=welcome_back&hsm_id=${r.body.id}`),
		);
		expect(del.body).toEqual({ success: true });
		expect((await list('?name=welcome_back')).body.data).toHaveLength(0);
		expect(
			errCode(
				await call(e, 'DELETE', v(e, `${DEFAULT_WABA_ID}/message_templates?name=welcome_back`)),
			),
		).toBe(100);
	});

	test('create named template', async () => {
		const r = await create({
			name: 'named_one',
			language: 'en',
			category: 'UTILITY',
			parameter_format: 'NAMED',
			components: [
				{
					type: 'BODY',
					text: 'Hi {{first_name}}',
					example: { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] },
				},
			],
		});
		expect(r.status).toBe(200);
	});

	test('delete by name removes every language', async () => {
		await call(e, 'DELETE', v(e, `${DEFAULT_WABA_ID}/message_templates?name=order_update`));
		expect((await list('?name=order_update')).body.data).toHaveLength(0);
	});

	const s = (n: number) => 'a'.repeat(n);
	const withComps = (components: unknown[], extra: Record<string, unknown> = {}) => ({
		...good,
		name: 'x_tpl',
		components,
		...extra,
	});
	const body = (text: string, example?: unknown) => ({
		type: 'BODY',
		text,
		...(example ? { example } : {}),
	});
	test.each([
		['name with uppercase', { ...good, name: 'Bad' }, 100],
		['name 512 chars', { ...good, name: s(512) }, 200],
		['name 513 chars', { ...good, name: s(513) }, 100],
		['bad category', { ...good, name: 'c1', category: 'PROMO' }, 100],
		['no body', withComps([{ type: 'FOOTER', text: 'x' }]), 100],
		['body 1024', withComps([body(s(1024))]), 200],
		['body 1025', withComps([body(s(1025))]), 100],
		[
			'variables not sequential',
			withComps([body('{{1}} {{3}}', { body_text: [['a', 'b']] })]),
			100,
		],
		['variables without example', withComps([body('Hi {{1}}')]), 100],
		['example count mismatch', withComps([body('Hi {{1}} {{2}}', { body_text: [['a']] })]), 100],
		[
			'header text 61',
			withComps([{ type: 'HEADER', format: 'TEXT', text: s(61) }, body('x')]),
			100,
		],
		['footer 61', withComps([body('x'), { type: 'FOOTER', text: s(61) }]), 100],
		[
			'image header without handle',
			withComps([{ type: 'HEADER', format: 'IMAGE' }, body('x')]),
			100,
		],
		[
			'10 buttons',
			withComps([
				body('x'),
				{
					type: 'BUTTONS',
					buttons: Array.from({ length: 10 }, (_, i) => ({ type: 'QUICK_REPLY', text: `B${i}` })),
				},
			]),
			200,
		],
		[
			'11 buttons',
			withComps([
				body('x'),
				{
					type: 'BUTTONS',
					buttons: Array.from({ length: 11 }, (_, i) => ({ type: 'QUICK_REPLY', text: `B${i}` })),
				},
			]),
			100,
		],
		[
			'3 URL buttons',
			withComps([
				body('x'),
				{
					type: 'BUTTONS',
					buttons: [1, 2, 3].map((i) => ({ type: 'URL', text: `U${i}`, url: 'https://x.example' })),
				},
			]),
			100,
		],
		[
			'URL variable without example',
			withComps([
				body('x'),
				{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'U', url: 'https://x.example/{{1}}' }] },
			]),
			100,
		],
		[
			'mixed named and positional',
			withComps([body('{{1}} {{name}}', { body_text: [['a', 'b']] })]),
			100,
		],
	])('create: %s', async (_n, b, expected) => {
		const r = await create(b as Record<string, unknown>);
		if (expected === 200) expect(r.status).toBe(200);
		else expect(errCode(r)).toBe(expected);
	});
});

describe('Business Management rate limit', () => {
	test('calls beyond callsPerHour → 80007 with X-Business-Use-Case-Usage', async () => {
		e.configure({ businessRate: { callsPerHour: 3 } });
		for (let i = 0; i < 3; i++) {
			const r = await call(e, 'GET', v(e, `${DEFAULT_WABA_ID}/message_templates`));
			expect(r.status).toBe(200);
			expect(
				JSON.parse(r.headers.get('x-business-use-case-usage')!)[DEFAULT_WABA_ID][0]
					.estimated_time_to_regain_access,
			).toBe(0);
		}
		const r = await call(e, 'GET', v(e, `${DEFAULT_WABA_ID}/phone_numbers`));
		expect(r.status).toBe(429);
		expect(errCode(r)).toBe(80007);
		const usage = JSON.parse(r.headers.get('x-business-use-case-usage')!)[DEFAULT_WABA_ID][0];
		expect(usage).toMatchObject({ type: 'whatsapp_business_management', call_count: 100 });
		expect(usage.estimated_time_to_regain_access).toBeGreaterThanOrEqual(59);
		// Messages are not Business Management calls.
		const m = await call(e, 'POST', v(e, `${PHONE_NUMBER_IDS[0]}/messages`), {
			messaging_product: 'whatsapp',
			to: '16505551234',
			text: { body: 'x' },
		});
		expect(m.status).toBe(200);
	});
});

describe('control API', () => {
	test('config, settings merge, messages, requests, queue, reset', async () => {
		const cfg = await call(e, 'GET', '/__emulator/config', undefined, {}, null);
		expect(cfg.body).toEqual(e.config);
		expect(cfg.body).toMatchObject({
			baseUrl: e.baseUrl,
			apiVersion: 'v26.0',
			token: 'EAAG-emulator-token',
			appSecret: 'emulator-app-secret',
			wabaId: DEFAULT_WABA_ID,
			phoneNumberIds: PHONE_NUMBER_IDS,
		});
		const s = await call(
			e,
			'POST',
			'/__emulator/settings',
			{ messagesPerSecond: 10, faults: { errorRate: 0 } },
			{},
			null,
		);
		expect(s.body.messagesPerSecond).toBe(10);
		expect(s.body.faults.serverErrorCodes).toEqual([1, 2, 131000, 131016]);
		await call(
			e,
			'POST',
			'/__emulator/faults/queue',
			{ to: '16505551234', code: 131047, count: 1 },
			{},
			null,
		);
		const send = () =>
			call(e, 'POST', v(e, `${PHONE_NUMBER_IDS[0]}/messages`), {
				messaging_product: 'whatsapp',
				to: '16505551234',
				text: { body: 'x' },
			});
		expect(errCode(await send())).toBe(131047);
		expect((await send()).status).toBe(200);
		const msgs = await call(e, 'GET', '/__emulator/messages?to=16505551234', undefined, {}, null);
		expect(msgs.body.count).toBe(1);
		const reqs = await call(e, 'GET', '/__emulator/requests', undefined, {}, null);
		expect(reqs.body.data.map((r: { status: number }) => r.status)).toEqual([400, 200]);
		const stats = await call(e, 'GET', '/__emulator/stats', undefined, {}, null);
		expect(stats.body.accepted).toBe(1);
		await call(e, 'POST', '/__emulator/reset', {}, {}, null);
		expect(e.messages()).toHaveLength(0);
		expect(e.settings.messagesPerSecond).toBe(80);
		expect((await call(e, 'GET', '/__emulator/nope', undefined, {}, null)).status).toBe(404);
	});
});
