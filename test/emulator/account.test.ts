import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { PHONE_NUMBER_IDS, SEED_CATALOG_ID, startEmulator, type Emulator } from './index';
import { call, errCode, nextTo, send, v } from './testUtil';

let e: Emulator;
beforeAll(async () => {
	e = await startEmulator();
});
afterAll(() => e.stop());
beforeEach(() => e.reset());

const PHONE = PHONE_NUMBER_IDS[0];
const text = (n: number, c = 'a') => c.repeat(n);
const contact = (user: string, at?: number) =>
	call(e, 'POST', '/__emulator/contacts', { user, ...(at ? { at } : {}) });
const block = (users: object[], method = 'POST') =>
	call(e, method, v(e, `${PHONE}/block_users`), {
		messaging_product: 'whatsapp',
		block_users: users,
	});

describe('block users', () => {
	test('blocks a user who messaged within 24 h; the list and unblock reflect it', async () => {
		const to = nextTo();
		await contact(to);
		const r = await block([{ user: `+${to}` }]);
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			messaging_product: 'whatsapp',
			block_users: { added_users: [{ input: `+${to}`, wa_id: to }] },
		});
		const list = await call(e, 'GET', v(e, `${PHONE}/block_users`));
		expect(list.body.data).toEqual([{ messaging_product: 'whatsapp', wa_id: to }]);
		const un = await block([{ user: `+${to}` }], 'DELETE');
		expect(un.body).toEqual({
			messaging_product: 'whatsapp',
			block_users: { removed_users: [{ input: `+${to}`, wa_id: to }] },
		});
		expect((await call(e, 'GET', v(e, `${PHONE}/block_users`))).body.data).toEqual([]);
	});

	test('an inbound message delivered by the emulator opens the window', async () => {
		const receiver = http.createServer((_q, s) => s.end('ok'));
		await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
		const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
		const to = nextTo();
		await e.deliver(e.inbound.text(to, 'hi'), { url });
		receiver.close();
		expect((await block([{ user: to }])).status).toBe(200);
	});

	test('partial failure: HTTP 400, code 139100, per-user lists (24 h rule, self block)', async () => {
		const ok = nextTo();
		const stale = nextTo();
		await contact(ok);
		await contact(stale, Date.now() - 24 * 3600_000 - 1000);
		const r = await block([{ user: ok }, { user: stale }, { user: '15550783881' }]);
		expect(r.status).toBe(400);
		expect(errCode(r)).toBe(139100);
		expect(r.body.block_users.added_users).toEqual([{ input: ok, wa_id: ok }]);
		expect(r.body.block_users.failed_users).toEqual([
			expect.objectContaining({
				input: stale,
				errors: [expect.objectContaining({ code: 131047 })],
			}),
			expect.objectContaining({
				input: '15550783881',
				errors: [expect.objectContaining({ code: 131021 })],
			}),
		]);
	});

	test('1,000 users per request pass the size check; 1,001 answer 130429', async () => {
		const users = Array.from({ length: 1001 }, (_, i) => ({
			user: `1650${String(i).padStart(7, '0')}`,
		}));
		const atLimit = await block(users.slice(0, 1000));
		expect(errCode(atLimit)).toBe(139100); // none messaged: every one fails per user
		expect(atLimit.body.block_users.failed_users).toHaveLength(1000);
		const over = await block(users);
		expect(over.status).toBe(429);
		expect(errCode(over)).toBe(130429);
	});

	test('business-scoped user IDs block and list as user_id', async () => {
		const bsuid = 'US.13491208655302741918';
		await contact(bsuid);
		const r = await block([{ user_id: bsuid }]);
		expect(r.body.block_users.added_users).toEqual([{ input: bsuid, user_id: bsuid }]);
		expect((await call(e, 'GET', v(e, `${PHONE}/block_users`))).body.data).toEqual([
			{ messaging_product: 'whatsapp', user_id: bsuid },
		]);
	});

	test('list pages with limit and after', async () => {
		const users = [nextTo(), nextTo(), nextTo()];
		for (const u of users) await contact(u);
		await block(users.map((user) => ({ user })));
		const first = await call(e, 'GET', v(e, `${PHONE}/block_users?limit=2`));
		expect(first.body.data).toHaveLength(2);
		const next = await call(
			e,
			'GET',
			v(e, `${PHONE}/block_users?limit=2&after=${first.body.paging.cursors.after}`),
		);
		expect(next.body.data.map((d: { wa_id: string }) => d.wa_id)).toEqual([users[2]]);
	});
});

describe('business profile and resumable upload', () => {
	const profile = (body: object) =>
		call(e, 'POST', v(e, `${PHONE}/whatsapp_business_profile`), {
			messaging_product: 'whatsapp',
			...body,
		});

	test('update then get returns what was written', async () => {
		const r = await profile({
			about: 'Fresh coffee',
			address: '1 Main St',
			description: 'Roasters',
			email: 'shop@example.com',
			websites: ['https://example.com', 'https://example.com/shop'],
			vertical: 'RETAIL',
		});
		expect(r.body).toEqual({ success: true });
		const got = await call(
			e,
			'GET',
			v(
				e,
				`${PHONE}/whatsapp_business_profile?fields=about,address,description,email,websites,vertical`,
			),
		);
		expect(got.body).toEqual({
			data: [
				{
					about: 'Fresh coffee',
					address: '1 Main St',
					description: 'Roasters',
					email: 'shop@example.com',
					websites: ['https://example.com', 'https://example.com/shop'],
					vertical: 'RETAIL',
					messaging_product: 'whatsapp',
				},
			],
		});
	});

	test.each([
		['about', 139],
		['address', 256],
		['description', 512],
	])('%s: %i characters pass, one more is refused with code 100', async (field, max) => {
		expect((await profile({ [field]: text(max) })).status).toBe(200);
		const over = await profile({ [field]: text(max + 1) });
		expect(errCode(over)).toBe(100);
		expect(over.body.error.error_data.details).toContain(`at most ${max}`);
	});

	test('email: 128 characters pass, 129 are refused; websites: 2 pass, 3 are refused', async () => {
		const email = (n: number) => `${text(n - 12)}@example.com`;
		expect((await profile({ email: email(128) })).status).toBe(200);
		expect(errCode(await profile({ email: email(129) }))).toBe(100);
		expect(errCode(await profile({ email: 'not-an-email' }))).toBe(100);
		expect(
			errCode(
				await profile({
					websites: ['https://a.example', 'https://b.example', 'https://c.example'],
				}),
			),
		).toBe(100);
		const site = (n: number) => `https://x.example/${text(n - 18)}`;
		expect((await profile({ websites: [site(256)] })).status).toBe(200);
		expect(errCode(await profile({ websites: [site(257)] }))).toBe(100);
		expect(errCode(await profile({ websites: ['example.com'] }))).toBe(100);
		expect(errCode(await profile({ vertical: 'SHOES' }))).toBe(100);
		expect(errCode(await profile({ about: '' }))).toBe(100);
	});

	test('profile photo: upload session → bytes with file_offset → handle → profile → picture URL serves them', async () => {
		const bytes = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
		const session = await call(
			e,
			'POST',
			v(
				e,
				`${e.config.appId}/uploads?file_name=logo.jpg&file_length=${bytes.length}&file_type=image/jpeg`,
			),
		);
		expect(session.body.id).toMatch(/^upload:[^/]+\?sig=\S+$/);
		const uploadUrl = `${e.baseUrl}/${e.config.apiVersion}/${session.body.id}`;
		const missingOffset = await fetch(uploadUrl, {
			method: 'POST',
			headers: { authorization: `OAuth ${e.config.token}` },
			body: bytes,
		});
		expect(missingOffset.status).toBe(400);
		const up = await fetch(uploadUrl, {
			method: 'POST',
			headers: { authorization: `OAuth ${e.config.token}`, file_offset: '0' },
			body: bytes,
		});
		const { h } = (await up.json()) as { h: string };
		expect(h).toMatch(/^4::/);
		const status = await fetch(uploadUrl, {
			headers: { authorization: `Bearer ${e.config.token}` },
		});
		expect(await status.json()).toEqual({
			id: session.body.id.split('?')[0],
			file_offset: bytes.length,
		});
		expect((await profile({ profile_picture_handle: h })).body).toEqual({ success: true });
		const got = await call(
			e,
			'GET',
			v(e, `${PHONE}/whatsapp_business_profile?fields=profile_picture_url`),
		);
		const picture = await fetch(got.body.data[0].profile_picture_url);
		expect(picture.headers.get('content-type')).toBe('image/jpeg');
		expect(Buffer.from(await picture.arrayBuffer())).toEqual(bytes);
		expect(errCode(await profile({ profile_picture_handle: '4::bogus' }))).toBe(100);
	});

	test('upload sessions refuse other file types and a wrong signature', async () => {
		const bad = await call(
			e,
			'POST',
			v(e, `${e.config.appId}/uploads?file_length=3&file_type=image/gif`),
		);
		expect(errCode(bad)).toBe(100);
		const ok = await call(
			e,
			'POST',
			v(e, `${e.config.appId}/uploads?file_length=3&file_type=image/png`),
		);
		const wrong = await call(e, 'GET', v(e, `${ok.body.id.split('?')[0]}?sig=nope`));
		expect(errCode(wrong)).toBe(100);
	});
});

describe('QR codes', () => {
	const qrdls = (suffix = '') => v(e, `${PHONE}/message_qrdls${suffix}`);

	test('create → list → get → update → delete, reads reflect writes', async () => {
		const created = await call(e, 'POST', qrdls(), {
			prefilled_message: 'Hi, I need help',
			generate_qr_image: 'PNG',
		});
		expect(created.body).toEqual({
			code: expect.stringMatching(/^[A-Z0-9]+$/),
			prefilled_message: 'Hi, I need help',
			deep_link_url: `https://wa.me/message/${created.body.code}`,
			qr_image_url: expect.stringContaining(`/__account/qr/${created.body.code}.png`),
		});
		const code = created.body.code as string;
		const list = await call(e, 'GET', qrdls());
		expect(list.body.data).toEqual([
			{
				code,
				prefilled_message: 'Hi, I need help',
				deep_link_url: `https://wa.me/message/${code}`,
			},
		]);
		const updated = await call(e, 'POST', qrdls(), { code, prefilled_message: 'Opening hours?' });
		expect(updated.body).toEqual({
			code,
			prefilled_message: 'Opening hours?',
			deep_link_url: `https://wa.me/message/${code}`,
		});
		const got = await call(
			e,
			'GET',
			qrdls(`/${code}?fields=code,prefilled_message,qr_image_url.format(SVG)`),
		);
		expect(got.body.data).toEqual([
			{ code, prefilled_message: 'Opening hours?', qr_image_url: expect.stringContaining('.svg') },
		]);
		expect((await call(e, 'DELETE', qrdls(`/${code}`))).body).toEqual({ success: true });
		expect((await call(e, 'GET', qrdls())).body.data).toEqual([]);
		expect((await call(e, 'GET', qrdls(`/${code}`))).status).toBe(404);
	});

	test('prefilled message: 140 characters pass, 141 are refused', async () => {
		const at = await call(e, 'POST', qrdls(), {
			prefilled_message: text(140),
			generate_qr_image: 'SVG',
		});
		expect(at.status).toBe(200);
		const over = await call(e, 'POST', qrdls(), {
			prefilled_message: text(141),
			generate_qr_image: 'SVG',
		});
		expect(errCode(over)).toBe(100);
		expect(
			errCode(await call(e, 'POST', qrdls(), { prefilled_message: 'x', generate_qr_image: 'GIF' })),
		).toBe(100);
	});

	test('the image URL serves a PNG or an SVG, without a token', async () => {
		const png = await call(e, 'POST', qrdls(), {
			prefilled_message: 'a',
			generate_qr_image: 'PNG',
		});
		const r = await fetch(png.body.qr_image_url);
		expect(r.headers.get('content-type')).toBe('image/png');
		const bytes = Buffer.from(await r.arrayBuffer());
		expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
		const svg = await call(e, 'POST', qrdls(), {
			prefilled_message: 'a',
			generate_qr_image: 'SVG',
		});
		const s = await fetch(svg.body.qr_image_url);
		expect(s.headers.get('content-type')).toBe('image/svg+xml');
		expect(await s.text()).toContain('<svg');
		expect((await fetch(svg.body.qr_image_url.replace(/sig=\w+/, 'sig=forged'))).status).toBe(404);
	});
});

describe('conversational automation', () => {
	const update = (body: object) =>
		call(e, 'POST', v(e, `${PHONE}/conversational_automation`), body);
	const read = () => call(e, 'GET', v(e, `${PHONE}?fields=conversational_automation`));

	test('update then read through the phone number fields', async () => {
		const commands = [{ command_name: 'tickets', command_description: 'Book flight tickets' }];
		expect(
			(await update({ enable_welcome_message: true, prompts: ['Plan a trip'], commands })).body,
		).toEqual({
			success: true,
		});
		expect((await read()).body).toEqual({
			id: PHONE,
			conversational_automation: {
				enable_welcome_message: true,
				prompts: ['Plan a trip'],
				commands,
				id: PHONE,
			},
		});
		await update({ prompts: [] });
		expect((await read()).body.conversational_automation.commands).toEqual(commands);
		expect((await read()).body.conversational_automation.prompts).toEqual([]);
	});

	test('limits: 4 prompts × 80, 30 commands, names 32, descriptions 256, no emoji', async () => {
		expect((await update({ prompts: [text(80), 'b', 'c', 'd'] })).status).toBe(200);
		expect(errCode(await update({ prompts: ['a', 'b', 'c', 'd', 'e'] }))).toBe(105);
		expect(errCode(await update({ prompts: [text(81)] }))).toBe(100);
		expect(errCode(await update({ prompts: ['Hi 👋'] }))).toBe(100);
		const cmd = (i: number, name = `c${i}`, description = 'd') => ({
			command_name: name,
			command_description: description,
		});
		expect((await update({ commands: Array.from({ length: 30 }, (_, i) => cmd(i)) })).status).toBe(
			200,
		);
		expect(errCode(await update({ commands: Array.from({ length: 31 }, (_, i) => cmd(i)) }))).toBe(
			105,
		);
		expect((await update({ commands: [cmd(0, text(32), text(256))] })).status).toBe(200);
		const longName = await update({ commands: [cmd(0, text(33))] });
		expect(longName.body.error.error_data.details).toBe(
			"Param commands[0]['command_name'] must be at most 32 characters long.",
		);
		expect(errCode(await update({ commands: [cmd(0, 'a', text(257))] }))).toBe(100);
	});
});

describe('phone number fields', () => {
	test('throughput, messaging limit, quality and name status are reported and can be changed', async () => {
		const fields =
			'throughput,whatsapp_business_manager_messaging_limit,quality_rating,name_status';
		const before = await call(e, 'GET', v(e, `${PHONE}?fields=${fields}`));
		expect(before.body).toEqual({
			id: PHONE,
			throughput: { level: 'STANDARD' },
			whatsapp_business_manager_messaging_limit: 'TIER_1K',
			quality_rating: 'GREEN',
			name_status: 'APPROVED',
		});
		await call(e, 'POST', `/__emulator/phone-numbers/${PHONE}`, {
			quality_rating: 'RED',
			throughput: { level: 'HIGH' },
		});
		const after = await call(e, 'GET', v(e, `${PHONE}?fields=${fields}`));
		expect(after.body).toMatchObject({ quality_rating: 'RED', throughput: { level: 'HIGH' } });
		e.reset();
		expect((await call(e, 'GET', v(e, `${PHONE}?fields=${fields}`))).body).toEqual(before.body);
	});
});

describe('catalogs and products', () => {
	test('the business account lists its catalog, and the catalog its products in pages', async () => {
		const catalogs = await call(e, 'GET', v(e, `${e.config.wabaId}/product_catalogs`));
		expect(catalogs.body.data).toEqual([{ id: SEED_CATALOG_ID, name: 'Emulator Shop Catalog' }]);
		const products = await call(
			e,
			'GET',
			v(e, `${SEED_CATALOG_ID}/products?fields=retailer_id,name,price&limit=25`),
		);
		expect(products.body.data).toHaveLength(25);
		expect(products.body.data[0]).toEqual({
			id: expect.any(String),
			retailer_id: 'SKU-1',
			name: expect.any(String),
			price: expect.stringMatching(/^€\d+\.\d\d$/),
		});
		expect(products.body.paging.next).toBeDefined();
	});

	test('without catalog access, listing answers code 10', async () => {
		await call(e, 'POST', '/__emulator/catalog-access', { enabled: false });
		expect(errCode(await call(e, 'GET', v(e, `${e.config.wabaId}/product_catalogs`)))).toBe(10);
		expect(errCode(await call(e, 'GET', v(e, `${SEED_CATALOG_ID}/products`)))).toBe(10);
	});
});

describe('commerce and calling messages at send time', () => {
	const interactive = (i: object) => send(e, { to: nextTo(), type: 'interactive', interactive: i });
	const products = (n: number, from = 1) =>
		Array.from({ length: n }, (_, k) => ({ product_retailer_id: `SKU-${from + k}` }));
	const list = (sections: object[]) =>
		interactive({
			type: 'product_list',
			header: { type: 'text', text: 'Our picks' },
			body: { text: 'Have a look' },
			action: { catalog_id: SEED_CATALOG_ID, sections },
		});

	test('product: accepted with a known product, refused for an unknown one or a header', async () => {
		const ok = await interactive({
			type: 'product',
			body: { text: 'This one' },
			action: { catalog_id: SEED_CATALOG_ID, product_retailer_id: 'SKU-3' },
		});
		expect(ok.status).toBe(200);
		const unknown = await interactive({
			type: 'product',
			action: { catalog_id: SEED_CATALOG_ID, product_retailer_id: 'SKU-999' },
		});
		expect(errCode(unknown)).toBe(131009);
		const otherCatalog = await interactive({
			type: 'product',
			action: { catalog_id: '42', product_retailer_id: 'SKU-3' },
		});
		expect(errCode(otherCatalog)).toBe(131009);
		const header = await interactive({
			type: 'product',
			header: { type: 'text', text: 'x' },
			action: { catalog_id: SEED_CATALOG_ID, product_retailer_id: 'SKU-3' },
		});
		expect(errCode(header)).toBe(100);
	});

	test('product list: 10 sections and 30 products pass; 11 sections or 31 products are refused', async () => {
		const tenSections = Array.from({ length: 10 }, (_, s) => ({
			title: `S${s}`,
			product_items: products(3, s * 3 + 1),
		}));
		expect((await list(tenSections)).status).toBe(200);
		const eleven = [...tenSections, { title: 'S10', product_items: products(1, 31) }];
		expect(errCode(await list(eleven))).toBe(131009);
		expect(errCode(await list([{ product_items: products(31) }]))).toBe(131009);
		expect((await list([{ product_items: products(30) }])).status).toBe(200);
		expect(
			errCode(await list([{ product_items: products(1) }, { product_items: products(1, 2) }])),
		).toBe(131008);
		expect(errCode(await list([{ title: text(25), product_items: products(1) }]))).toBe(131009);
	});

	test('catalog message, call permission request and voice call button', async () => {
		expect(
			(
				await interactive({
					type: 'catalog_message',
					body: { text: 'Browse' },
					action: {
						name: 'catalog_message',
						parameters: { thumbnail_product_retailer_id: 'SKU-1' },
					},
				})
			).status,
		).toBe(200);
		expect(
			(
				await interactive({
					type: 'call_permission_request',
					body: { text: 'May we call you?' },
					action: { name: 'call_permission_request' },
				})
			).status,
		).toBe(200);
		const voice = (parameters: object) =>
			interactive({
				type: 'voice_call',
				body: { text: 'Call us' },
				action: { name: 'voice_call', parameters },
			});
		expect(
			(await voice({ display_text: text(20), ttl_minutes: 43_200, payload: text(512) })).status,
		).toBe(200);
		expect(errCode(await voice({ display_text: text(21) }))).toBe(131009);
		expect(errCode(await voice({ ttl_minutes: 43_201 }))).toBe(131009);
		expect(errCode(await voice({ ttl_minutes: 0 }))).toBe(131009);
		expect(errCode(await voice({ payload: text(513) }))).toBe(131009);
	});
});

describe("calls webhooks as Meta's side", () => {
	test('connect, status and terminate arrive on the calls field; permission replies on messages', async () => {
		const got: unknown[] = [];
		const receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				got.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
				res.end('ok');
			});
		});
		await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
		await call(e, 'POST', '/__emulator/webhook', {
			url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`,
		});
		const connect = await call(e, 'POST', '/__emulator/calls', {
			event: 'connect',
			from: '16505551234',
		});
		expect(connect.body.delivered).toBe(true);
		const callId = (got[0] as any).entry[0].changes[0].value.calls[0].id as string;
		expect(callId).toMatch(/^wacid\./);
		await call(e, 'POST', '/__emulator/calls', {
			event: 'status',
			callId,
			from: '16505551234',
			status: 'ACCEPTED',
		});
		await call(e, 'POST', '/__emulator/calls', {
			event: 'terminate',
			callId,
			from: '16505551234',
			duration: 30,
		});
		await call(e, 'POST', '/__emulator/calls', {
			event: 'permission_reply',
			from: '16505551234',
			response: 'accept',
		});
		receiver.close();
		const changes = got.map((p: any) => p.entry[0].changes[0]);
		expect(changes.map((c: any) => c.field)).toEqual(['calls', 'calls', 'calls', 'messages']);
		expect(changes[1].value.statuses[0]).toMatchObject({
			id: callId,
			type: 'call',
			status: 'ACCEPTED',
		});
		expect(changes[2].value.calls[0]).toMatchObject({
			id: callId,
			event: 'terminate',
			status: 'COMPLETED',
			duration: 30,
		});
		expect(changes[3].value.messages[0].interactive).toMatchObject({
			type: 'call_permission_reply',
			call_permission_reply: { response: 'accept', is_permanent: false },
		});
	});
});

describe('call permissions', () => {
	const permissions = (user: string) =>
		call(e, 'GET', v(e, `${PHONE}/call_permissions?user_wa_id=${user}`));
	const request = (to: string) =>
		send(e, {
			to,
			type: 'interactive',
			interactive: {
				type: 'call_permission_request',
				body: { text: 'May we call you?' },
				action: { name: 'call_permission_request' },
			},
		});

	test('a user without permission; requests count; a second one within 24 h answers 138009', async () => {
		const user = nextTo();
		const before = await permissions(user);
		expect(before.body).toEqual({
			messaging_product: 'whatsapp',
			permission: { status: 'no_permission' },
			actions: [
				{
					action_name: 'send_call_permission_request',
					can_perform_action: true,
					limits: [
						{ time_period: 'PT24H', max_allowed: 1, current_usage: 0 },
						{ time_period: 'P7D', max_allowed: 2, current_usage: 0 },
					],
				},
				{
					action_name: 'start_call',
					can_perform_action: false,
					limits: [{ time_period: 'PT24H', max_allowed: 5, current_usage: 0 }],
				},
			],
		});
		expect((await request(user)).status).toBe(200);
		const again = await request(user);
		expect(again.status).toBe(400);
		expect(errCode(again)).toBe(138009);
		const after = await permissions(user);
		expect(after.body.actions[0]).toMatchObject({
			can_perform_action: false,
			limits: [
				{ time_period: 'PT24H', current_usage: 1, limit_expiration_time: expect.any(Number) },
				{ time_period: 'P7D', current_usage: 1 },
			],
		});
	});

	test('an accepted reply grants a temporary permission; a permanent one has no expiry; reject withdraws', async () => {
		const receiver = http.createServer((_q, s) => s.end('ok'));
		await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
		const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
		const user = nextTo();
		const reply = (body: object) =>
			call(e, 'POST', '/__emulator/calls', {
				event: 'permission_reply',
				from: user,
				...body,
				options: { url },
			});
		await reply({ response: 'accept' });
		const temporary = await permissions(user);
		expect(temporary.body.permission).toEqual({
			status: 'temporary',
			expiration_time: expect.any(Number),
		});
		expect(temporary.body.actions[1].can_perform_action).toBe(true);
		await reply({ response: 'accept', permanent: true });
		expect((await permissions(user)).body.permission).toEqual({ status: 'permanent' });
		await reply({ response: 'reject' });
		expect((await permissions(user)).body.permission).toEqual({ status: 'no_permission' });
		receiver.close();
	});
});
