import { SEEDED_MEDIA_IDS, startEmulator, type Emulator } from './index';
import { errCode, nextTo, send } from './testUtil';

let e: Emulator;
beforeAll(async () => {
	e = await startEmulator({
		pairRate: { enabled: false, intervalMs: 6000, burst: 45 },
		messagesPerSecond: 100000,
	});
});
afterAll(() => e.stop());

const s = (n: number, ch = 'a') => ch.repeat(n);
const text = (body: unknown) => ({ type: 'text', text: { body } });
const media = (kind: string, obj: Record<string, unknown>) => ({ type: kind, [kind]: obj });
const buttons = (list: { id: string; title: string }[], extra: Record<string, unknown> = {}) => ({
	type: 'interactive',
	interactive: {
		type: 'button',
		body: { text: 'Pick' },
		action: { buttons: list.map((r) => ({ type: 'reply', reply: r })) },
		...extra,
	},
});
const rows = (n: number, prefix = 'r') =>
	Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, title: `Row ${i}` }));
const list = (action: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	type: 'interactive',
	interactive: {
		type: 'list',
		body: { text: 'Choose' },
		action: { button: 'Menu', ...action },
		...extra,
	},
});
const cta = (display_text: string, url = 'https://example.com') => ({
	type: 'interactive',
	interactive: {
		type: 'cta_url',
		body: { text: 'Visit' },
		action: { name: 'cta_url', parameters: { display_text, url } },
	},
});
const flow = (params: Record<string, unknown>) => ({
	type: 'interactive',
	interactive: {
		type: 'flow',
		body: { text: 'Fill in' },
		action: {
			name: 'flow',
			parameters: {
				flow_message_version: '3',
				flow_id: '1304512345678901',
				flow_cta: 'Open',
				flow_action: 'navigate',
				flow_action_payload: { screen: 'WELCOME' },
				...params,
			},
		},
	},
});
const tpl = (name: string, components?: unknown[], code = 'en_US') => ({
	type: 'template',
	template: { name, language: { code }, ...(components ? { components } : {}) },
});
const bodyParams = (...texts: string[]) => ({
	type: 'body',
	parameters: texts.map((t) => ({ type: 'text', text: t })),
});

type Case = [string, Record<string, unknown>, number?];

// [name, body (without messaging_product / to), expected error code or undefined for accepted]
const cases: Case[] = [
	['text at 4096', text(s(4096))],
	['text 4097', text(s(4097)), 131009],
	['text counts emoji as one char', text(s(4095) + '👍')],
	['text missing body', { type: 'text', text: {} }, 131008],
	['text empty body', text(''), 131009],
	['text body not a string', text(5), 100],
	['text unknown key', { type: 'text', text: { body: 'x', bold: true } }, 100],
	['default type is text', { text: { body: 'hi' } }],
	['unknown type', { type: 'poll', poll: {} }, 100],
	['missing type object', { type: 'image' }, 131008],
	['extra top-level key', { ...text('x'), foo: 1 }, 100],
	['image by id', media('image', { id: SEEDED_MEDIA_IDS.image })],
	['image by link', media('image', { link: 'https://example.com/a.jpg' })],
	[
		'image id and link',
		media('image', { id: SEEDED_MEDIA_IDS.image, link: 'https://example.com/a.jpg' }),
		131009,
	],
	['image neither id nor link', media('image', { caption: 'x' }), 131008],
	['image unknown id', media('image', { id: '999999' }), 131053],
	['image bad link', media('image', { link: 'ftp://example.com/a.jpg' }), 131009],
	['image caption 1024', media('image', { id: SEEDED_MEDIA_IDS.image, caption: s(1024) })],
	['image caption 1025', media('image', { id: SEEDED_MEDIA_IDS.image, caption: s(1025) }), 131009],
	['video caption 1025', media('video', { id: SEEDED_MEDIA_IDS.video, caption: s(1025) }), 131009],
	[
		'document with filename + caption',
		media('document', { id: SEEDED_MEDIA_IDS.document, filename: 'a.pdf', caption: s(1024) }),
	],
	[
		'document caption 1025',
		media('document', { link: 'https://example.com/a.pdf', caption: s(1025) }),
		131009,
	],
	['audio caption not allowed', media('audio', { id: SEEDED_MEDIA_IDS.audio, caption: 'x' }), 100],
	[
		'sticker caption not allowed',
		media('sticker', { id: SEEDED_MEDIA_IDS.sticker, caption: 'x' }),
		100,
	],
	[
		'image filename not allowed',
		media('image', { id: SEEDED_MEDIA_IDS.image, filename: 'x.png' }),
		100,
	],
	['audio voice', media('audio', { id: SEEDED_MEDIA_IDS.audio, voice: true })],
	['sticker by id', media('sticker', { id: SEEDED_MEDIA_IDS.sticker })],
	[
		'location limits',
		{ type: 'location', location: { latitude: -90, longitude: 180, name: 'N', address: 'A' } },
	],
	[
		'location latitude 90.0001',
		{ type: 'location', location: { latitude: 90.0001, longitude: 0 } },
		131009,
	],
	[
		'location longitude -180.0001',
		{ type: 'location', location: { latitude: 0, longitude: -180.0001 } },
		131009,
	],
	['location missing longitude', { type: 'location', location: { latitude: 0 } }, 131008],
	[
		'contacts',
		{
			type: 'contacts',
			contacts: [
				{
					name: { formatted_name: 'Ana B', first_name: 'Ana' },
					phones: [{ phone: '+1 650 555 1234', type: 'CELL' }],
				},
			],
		},
	],
	[
		'contacts without formatted_name',
		{ type: 'contacts', contacts: [{ name: { first_name: 'Ana' } }] },
		131008,
	],
	['contacts without name', { type: 'contacts', contacts: [{ phones: [] }] }, 131008],
	['contacts empty', { type: 'contacts', contacts: [] }, 131009],
	['reaction emoji', { type: 'reaction', reaction: { message_id: 'wamid.abc', emoji: '👍' } }],
	['reaction flag emoji', { type: 'reaction', reaction: { message_id: 'wamid.abc', emoji: '🇧🇷' } }],
	['reaction ZWJ emoji', { type: 'reaction', reaction: { message_id: 'wamid.abc', emoji: '👨‍👩‍👧' } }],
	[
		'reaction removal (empty)',
		{ type: 'reaction', reaction: { message_id: 'wamid.abc', emoji: '' } },
	],
	[
		'reaction two emoji',
		{ type: 'reaction', reaction: { message_id: 'wamid.abc', emoji: '👍👍' } },
		131009,
	],
	[
		'reaction text',
		{ type: 'reaction', reaction: { message_id: 'wamid.abc', emoji: 'ok' } },
		131009,
	],
	['reaction missing message_id', { type: 'reaction', reaction: { emoji: '👍' } }, 131008],
	['context reply', { ...text('x'), context: { message_id: 'wamid.abc' } }],
	['context without message_id', { ...text('x'), context: {} }, 131008],
	['biz_opaque_callback_data 512', { ...text('x'), biz_opaque_callback_data: s(512) }],
	['biz_opaque_callback_data 513', { ...text('x'), biz_opaque_callback_data: s(513) }, 131009],
	// Reply buttons
	[
		'3 buttons, title 20, id 256',
		buttons([
			{ id: s(256), title: s(20) },
			{ id: 'b', title: 'B' },
			{ id: 'c', title: 'C' },
		]),
	],
	[
		'4 buttons',
		buttons([
			{ id: 'a', title: 'A' },
			{ id: 'b', title: 'B' },
			{ id: 'c', title: 'C' },
			{ id: 'd', title: 'D' },
		]),
		131009,
	],
	['0 buttons', buttons([]), 131009],
	['button title 21', buttons([{ id: 'a', title: s(21) }]), 131009],
	['button title empty', buttons([{ id: 'a', title: '' }]), 131009],
	['button id 257', buttons([{ id: s(257), title: 'A' }]), 131009],
	[
		'duplicate button titles',
		buttons([
			{ id: 'a', title: 'Same' },
			{ id: 'b', title: 'Same' },
		]),
		131009,
	],
	[
		'duplicate button ids',
		buttons([
			{ id: 'a', title: 'A' },
			{ id: 'a', title: 'B' },
		]),
		131009,
	],
	['button id with trailing space', buttons([{ id: 'a ', title: 'A' }]), 131009],
	[
		'button header text 60 + footer 60',
		buttons([{ id: 'a', title: 'A' }], {
			header: { type: 'text', text: s(60) },
			footer: { text: s(60) },
		}),
	],
	[
		'header text 61',
		buttons([{ id: 'a', title: 'A' }], { header: { type: 'text', text: s(61) } }),
		131009,
	],
	['footer text 61', buttons([{ id: 'a', title: 'A' }], { footer: { text: s(61) } }), 131009],
	[
		'button image header',
		buttons([{ id: 'a', title: 'A' }], {
			header: { type: 'image', image: { link: 'https://example.com/a.png' } },
		}),
	],
	[
		'interactive body 1024',
		{
			type: 'interactive',
			interactive: {
				type: 'button',
				body: { text: s(1024) },
				action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'A' } }] },
			},
		},
	],
	[
		'interactive body 1025',
		{
			type: 'interactive',
			interactive: {
				type: 'button',
				body: { text: s(1025) },
				action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'A' } }] },
			},
		},
		131009,
	],
	[
		'interactive missing body',
		{
			type: 'interactive',
			interactive: {
				type: 'button',
				action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'A' } }] },
			},
		},
		131008,
	],
	[
		'interactive unknown type',
		{ type: 'interactive', interactive: { type: 'carousel_x', body: { text: 'x' }, action: {} } },
		100,
	],
	// Lists
	[
		'list 10 rows in 1 section, max lengths',
		list({
			button: s(20),
			sections: [
				{ title: s(24), rows: [{ id: s(200), title: s(24), description: s(72) }, ...rows(9)] },
			],
		}),
	],
	['list 11 rows', list({ sections: [{ rows: rows(11) }] }), 131009],
	[
		'list 10 rows across sections',
		list({
			sections: [
				{ title: 'A', rows: rows(5, 'a') },
				{ title: 'B', rows: rows(5, 'b') },
			],
		}),
	],
	[
		'list 11 rows across sections',
		list({
			sections: [
				{ title: 'A', rows: rows(5, 'a') },
				{ title: 'B', rows: rows(6, 'b') },
			],
		}),
		131009,
	],
	[
		'list 10 sections',
		list({
			sections: Array.from({ length: 10 }, (_, i) => ({ title: `S${i}`, rows: rows(1, `s${i}`) })),
		}),
	],
	[
		'list 11 sections',
		list({
			sections: Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, rows: rows(1, `s${i}`) })),
		}),
		131009,
	],
	['list button label 21', list({ button: s(21), sections: [{ rows: rows(1) }] }), 131009],
	['list row title 25', list({ sections: [{ rows: [{ id: 'a', title: s(25) }] }] }), 131009],
	[
		'list row description 73',
		list({ sections: [{ rows: [{ id: 'a', title: 'A', description: s(73) }] }] }),
		131009,
	],
	['list row id 201', list({ sections: [{ rows: [{ id: s(201), title: 'A' }] }] }), 131009],
	['list section title 25', list({ sections: [{ title: s(25), rows: rows(1) }] }), 131009],
	[
		'list 2 sections need titles',
		list({ sections: [{ rows: rows(1, 'a') }, { title: 'B', rows: rows(1, 'b') }] }),
		131008,
	],
	['list 1 section without title', list({ sections: [{ rows: rows(2) }] })],
	[
		'list duplicate row ids',
		list({
			sections: [
				{
					rows: [
						{ id: 'x', title: 'A' },
						{ id: 'x', title: 'B' },
					],
				},
			],
		}),
		131009,
	],
	[
		'list media header',
		list(
			{ sections: [{ rows: rows(1) }] },
			{ header: { type: 'image', image: { link: 'https://example.com/a.png' } } },
		),
		131009,
	],
	// CTA URL, location request, flow
	['cta display_text 20', cta(s(20))],
	['cta display_text 21', cta(s(21)), 131009],
	['cta bad url', cta('Go', 'not a url'), 131009],
	[
		'location request',
		{
			type: 'interactive',
			interactive: {
				type: 'location_request_message',
				body: { text: 'Where are you?' },
				action: { name: 'send_location' },
			},
		},
	],
	[
		'location request wrong action',
		{
			type: 'interactive',
			interactive: {
				type: 'location_request_message',
				body: { text: 'x' },
				action: { name: 'other' },
			},
		},
		131009,
	],
	['flow cta 20', flow({ flow_cta: s(20) })],
	['flow cta 21', flow({ flow_cta: s(21) }), 131009],
	['flow cta emoji', flow({ flow_cta: 'Go 🚀' }), 131009],
	['flow by name', flow({ flow_id: undefined, flow_name: 'signup' })],
	['flow both id and name', flow({ flow_name: 'signup' }), 131009],
	['flow version 2', flow({ flow_message_version: '2' }), 131009],
	['flow navigate without payload', flow({ flow_action_payload: undefined }), 131008],
	[
		'flow data_exchange without payload',
		flow({ flow_action: 'data_exchange', flow_action_payload: undefined }),
	],
	['flow empty data', flow({ flow_action_payload: { screen: 'A', data: {} } }), 131009],
	// Templates
	['template hello_world', tpl('hello_world')],
	['template unknown', tpl('nope'), 132001],
	['template wrong language', tpl('hello_world', undefined, 'de'), 132001],
	[
		'template second language',
		tpl(
			'order_update',
			[{ type: 'header', parameters: [{ type: 'text', text: '#1' }] }, bodyParams('a', 'b', 'c')],
			'es',
		),
	],
	['template rejected', tpl('old_promo'), 132001],
	['template missing language', { type: 'template', template: { name: 'hello_world' } }, 131008],
	['template too few body params', tpl('payment_due', [bodyParams('a')]), 132000],
	['template too many body params', tpl('payment_due', [bodyParams('a', 'b', 'c')]), 132000],
	['template params for no-variable template', tpl('hello_world', [bodyParams('a')]), 132000],
	['template header param missing', tpl('order_update', [bodyParams('a', 'b', 'c')]), 132000],
	['template body-only text param 32768', tpl('payment_due', [bodyParams(s(32768), 'b')])],
	['template body-only text param 32769', tpl('payment_due', [bodyParams(s(32769), 'b')]), 131009],
	[
		'template text param 1024',
		tpl('order_update', [
			{ type: 'header', parameters: [{ type: 'text', text: '#1' }] },
			bodyParams(s(1024), 'b', 'c'),
		]),
	],
	[
		'template text param 1025',
		tpl('order_update', [
			{ type: 'header', parameters: [{ type: 'text', text: '#1' }] },
			bodyParams(s(1025), 'b', 'c'),
		]),
		131009,
	],
	[
		'template header text param 61',
		tpl('order_update', [
			{ type: 'header', parameters: [{ type: 'text', text: s(61) }] },
			bodyParams('a', 'b', 'c'),
		]),
		131009,
	],
	[
		'template currency + date_time',
		tpl('payment_due', [
			{
				type: 'body',
				parameters: [
					{
						type: 'currency',
						currency: { fallback_value: '$1.50', code: 'USD', amount_1000: 1500 },
					},
					{ type: 'date_time', date_time: { fallback_value: 'Jan 1, 2027' } },
				],
			},
		]),
	],
	[
		'template currency amount 0',
		tpl('payment_due', [
			{
				type: 'body',
				parameters: [
					{ type: 'currency', currency: { fallback_value: '$0', code: 'USD', amount_1000: 0 } },
					{ type: 'text', text: 'x' },
				],
			},
		]),
		131009,
	],
	[
		'template named params',
		tpl('shipping_named', [
			{ type: 'header', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Ana' }] },
			{
				type: 'body',
				parameters: [
					{ type: 'text', parameter_name: 'order_id', text: '#1' },
					{ type: 'text', parameter_name: 'delivery_date', text: 'Mon' },
				],
			},
		]),
	],
	[
		'template named param bad name',
		tpl('shipping_named', [
			{ type: 'header', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Ana' }] },
			{
				type: 'body',
				parameters: [
					{ type: 'text', parameter_name: 'Order-ID', text: '#1' },
					{ type: 'text', parameter_name: 'delivery_date', text: 'Mon' },
				],
			},
		]),
		131009,
	],
	[
		'template named param name 21 chars',
		tpl('shipping_named', [
			{ type: 'header', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Ana' }] },
			{
				type: 'body',
				parameters: [
					{ type: 'text', parameter_name: s(21, 'x'), text: '#1' },
					{ type: 'text', parameter_name: 'delivery_date', text: 'Mon' },
				],
			},
		]),
		131009,
	],
	[
		'template image header + url button suffix',
		tpl('image_promo', [
			{ type: 'header', parameters: [{ type: 'image', image: { id: SEEDED_MEDIA_IDS.image } }] },
			bodyParams('Ana'),
			{
				type: 'button',
				sub_type: 'url',
				index: '0',
				parameters: [{ type: 'text', text: 'summer' }],
			},
			{
				type: 'button',
				sub_type: 'quick_reply',
				index: '1',
				parameters: [{ type: 'payload', payload: 'UNSUB' }],
			},
		]),
	],
	[
		'template url button param missing',
		tpl('image_promo', [
			{
				type: 'header',
				parameters: [{ type: 'image', image: { link: 'https://example.com/a.jpg' } }],
			},
			bodyParams('Ana'),
		]),
		132000,
	],
	[
		'template image header with video param',
		tpl('image_promo', [
			{
				type: 'header',
				parameters: [{ type: 'video', video: { link: 'https://example.com/a.mp4' } }],
			},
			bodyParams('Ana'),
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'x' }] },
		]),
		132012,
	],
	[
		'template video header',
		tpl('video_intro', [
			{ type: 'header', parameters: [{ type: 'video', video: { id: SEEDED_MEDIA_IDS.video } }] },
		]),
	],
	[
		'template document header',
		tpl('invoice_ready', [
			{
				type: 'header',
				parameters: [
					{ type: 'document', document: { link: 'https://example.com/i.pdf', filename: 'i.pdf' } },
				],
			},
			bodyParams('INV-1', '$10', 'Jan 1'),
		]),
	],
	[
		'template location header',
		tpl('store_location', [
			{
				type: 'header',
				parameters: [
					{
						type: 'location',
						location: { latitude: 52.5, longitude: 13.4, name: 'Shop', address: 'Main St 1' },
					},
				],
			},
			bodyParams('the shop'),
		]),
	],
	[
		'template copy code',
		tpl('coupon_offer', [
			bodyParams('SAVE20', '20%'),
			{
				type: 'button',
				sub_type: 'copy_code',
				index: 0,
				parameters: [{ type: 'coupon_code', coupon_code: 'SAVE20' }],
			},
		]),
	],
	[
		'template copy code 16 chars',
		tpl('coupon_offer', [
			bodyParams('SAVE20', '20%'),
			{
				type: 'button',
				sub_type: 'copy_code',
				index: 0,
				parameters: [{ type: 'coupon_code', coupon_code: s(16) }],
			},
		]),
		131009,
	],
	[
		'template flow button',
		tpl('signup_flow', [
			{
				type: 'button',
				sub_type: 'flow',
				index: '0',
				parameters: [{ type: 'action', action: { flow_token: 'tok' } }],
			},
		]),
	],
	['template phone button no params', tpl('contact_us')],
	[
		'template button index out of range',
		tpl('contact_us', [{ type: 'button', sub_type: 'url', index: '5', parameters: [] }]),
		131009,
	],
	[
		'template auth code',
		tpl('auth_code', [
			bodyParams('123456'),
			{
				type: 'button',
				sub_type: 'url',
				index: '0',
				parameters: [{ type: 'text', text: '123456' }],
			},
		]),
	],
];

describe('POST /messages validation', () => {
	test.each(cases.map(([n, b, c]) => [n, b, c ?? 0] as const))('%s', async (_name, body, code) => {
		const clean = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
		const r = await send(e, { to: nextTo(), ...clean });
		if (code === 0) {
			expect(r.body).toEqual({
				messaging_product: 'whatsapp',
				contacts: [{ input: expect.any(String), wa_id: expect.stringMatching(/^\d+$/) }],
				messages: [
					{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/=_-]+$/), message_status: 'accepted' },
				],
			});
			expect(r.status).toBe(200);
		} else {
			expect(errCode(r)).toBe(code);
			expect(r.status).toBe(code === 132001 ? 404 : 400);
			expect(r.body).toEqual({
				error: {
					message: expect.stringMatching(new RegExp(`^\\(#${code}\\) `)),
					type: 'OAuthException',
					code,
					error_data: { messaging_product: 'whatsapp', details: expect.any(String) },
					fbtrace_id: expect.stringMatching(/^A[A-Za-z0-9_-]{10,}$/),
				},
			});
		}
	});
});

describe('recipients', () => {
	test.each([
		['5 digits', '12345', 200],
		['15 digits', '123456789012345', 200],
		['leading +', '+16505551234', 200],
		['4 digits', '1234', 131009],
		['16 digits', '1234567890123456', 131009],
		['letters', '1650555abcd', 131009],
		['spaces', '+1 650 555 1234', 131009],
	])('to %s', async (_n, to, expected) => {
		const r = await send(e, { to, ...text('hi') });
		if (expected === 200) {
			expect(r.status).toBe(200);
			expect(r.body.contacts[0]).toEqual({ input: to, wa_id: to.replace('+', '') });
		} else expect(errCode(r)).toBe(expected);
	});

	test('to own number → 131021', async () => {
		const r = await send(e, { to: '+15550783881', ...text('hi') });
		expect(errCode(r)).toBe(131021);
	});

	test('missing to and recipient → 131008', async () => {
		expect(errCode(await send(e, text('hi')))).toBe(131008);
	});

	test('BSUID recipient answers with user_id', async () => {
		const r = await send(e, { recipient: 'US.13491208655302741918', ...text('hi') });
		expect(r.status).toBe(200);
		expect(r.body.contacts[0]).toEqual({
			input: 'US.13491208655302741918',
			user_id: 'US.13491208655302741918',
		});
		const m = e.messages().find((x) => x.wamid === r.body.messages[0].id)!;
		expect(m.to).toBe('US.13491208655302741918');
		expect(m.recipient).toBe('US.13491208655302741918');
	});

	test('parent BSUID with .ENT. and 128 chars accepted; 129 rejected', async () => {
		expect((await send(e, { recipient: 'US.ENT.abc123', ...text('hi') })).status).toBe(200);
		expect((await send(e, { recipient: `BR.${'a'.repeat(128)}`, ...text('hi') })).status).toBe(200);
		expect(errCode(await send(e, { recipient: `BR.${'a'.repeat(129)}`, ...text('hi') }))).toBe(
			131009,
		);
		expect(errCode(await send(e, { recipient: 'us.123', ...text('hi') }))).toBe(131009);
	});

	test('phone wins when both to and recipient are given', async () => {
		const r = await send(e, { to: '16505550001', recipient: 'US.1', ...text('hi') });
		expect(r.body.contacts[0].wa_id).toBe('16505550001');
	});

	test('messaging_product missing → 100', async () => {
		const r = await fetch(`${e.baseUrl}/v26.0/${e.config.phoneNumberIds[0]}/messages`, {
			method: 'POST',
			headers: { authorization: `Bearer ${e.config.token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ to: '16505551234', type: 'text', text: { body: 'x' } }),
		});
		expect(r.status).toBe(400);
		expect(((await r.json()) as { error: { code: number } }).error.code).toBe(100);
	});

	test('unknown phone number id → 100', async () => {
		expect(errCode(await send(e, { to: '16505551234', ...text('x') }, '999'))).toBe(100);
	});

	test('invalid JSON → 100', async () => {
		const r = await fetch(`${e.baseUrl}/v26.0/${e.config.phoneNumberIds[0]}/messages`, {
			method: 'POST',
			headers: { authorization: `Bearer ${e.config.token}`, 'content-type': 'application/json' },
			body: '{nope',
		});
		expect(r.status).toBe(400);
	});
});

describe('mark as read', () => {
	test('status read with typing indicator → success', async () => {
		const r = await send(e, {
			status: 'read',
			message_id: 'wamid.in1',
			typing_indicator: { type: 'text' },
		});
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ success: true });
		expect(e.reads().at(-1)).toMatchObject({ messageId: 'wamid.in1', typing: true });
	});
	test('without message_id → 131008; bad typing type → 131009', async () => {
		expect(errCode(await send(e, { status: 'read' }))).toBe(131008);
		expect(
			errCode(
				await send(e, {
					status: 'read',
					message_id: 'wamid.x',
					typing_indicator: { type: 'audio' },
				}),
			),
		).toBe(131009);
		expect(errCode(await send(e, { status: 'delivered', message_id: 'wamid.x' }))).toBe(131009);
	});
});

describe('recording', () => {
	test('accepted messages are recorded with the exact body; duplicates counted per recipient', async () => {
		e.reset();
		e.configure({ pairRate: { enabled: false } });
		const body = { to: '16505559999', ...text('same') };
		const a = await send(e, body);
		const b = await send(e, body);
		await send(e, { to: '16505559999', ...text('other') });
		await send(e, { to: '16505559999', ...text('x'.repeat(5000)) });
		expect(a.body.messages[0].id).not.toBe(b.body.messages[0].id);
		const msgs = e.messages();
		expect(msgs).toHaveLength(3);
		expect(msgs[0]).toMatchObject({
			wamid: a.body.messages[0].id,
			phoneNumberId: e.config.phoneNumberIds[0],
			to: '16505559999',
			type: 'text',
			body: { messaging_product: 'whatsapp', ...body },
		});
		expect(typeof msgs[0].at).toBe('number');
		const st = e.stats();
		expect(st.byRecipient['16505559999']).toEqual({ accepted: 3, duplicates: 1 });
		expect(st.duplicates).toBe(1);
		const reqs = e.requests().filter((r) => r.path.endsWith('/messages'));
		expect(reqs.map((r) => r.status)).toEqual([200, 200, 200, 400]);
		expect(reqs[3].code).toBe(131009);
	});
});
