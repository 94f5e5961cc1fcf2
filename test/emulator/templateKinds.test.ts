/** Template creation of the 2026 kinds over HTTP: each rule accepted at its edge, refused past it. */
import { DEFAULT_WABA_ID, startEmulator, type Emulator } from './index';
import { call, errCode, v } from './testUtil';

let e: Emulator;
beforeAll(async () => {
	e = await startEmulator();
});
afterAll(() => e.stop());
beforeEach(() => e.reset());

type Json = Record<string, any>;
const s = (n: number, c = 'a') => c.repeat(n);
const HANDLE = { header_handle: ['4::aW1hZ2UvanBlZw==:ARZsample'] };
let seq = 0;
const create = (body: Json) =>
	call(e, 'POST', v(e, `${DEFAULT_WABA_ID}/message_templates`), {
		name: `kind_${++seq}`,
		language: 'en_US',
		...body,
	});

async function expectOutcome(body: Json, expected: 200 | 100) {
	const r = await create(body);
	if (expected === 200) {
		expect(r.body).toEqual({
			id: expect.any(String),
			status: 'APPROVED',
			category: expect.any(String),
		});
	} else {
		expect(r.status).toBe(400);
		expect(errCode(r)).toBe(100);
		expect(r.body.error.error_data.details).toEqual(expect.any(String));
	}
	return r;
}

// ── Carousel ────────────────────────────────────────────────────────────────────────────────

const qr = (text = 'More') => ({ type: 'quick_reply', text });
const urlButton = (text = 'Buy') => ({
	type: 'url',
	text,
	url: 'https://shop.example.com/p/{{1}}',
	example: ['https://shop.example.com/p/a'],
});
const mediaCard = (
	o: {
		format?: string;
		body?: string | null;
		buttons?: Json[];
		extra?: Json[];
		header?: Json | null;
	} = {},
) => ({
	components: [
		...(o.header === null
			? []
			: [o.header ?? { type: 'header', format: o.format ?? 'image', example: HANDLE }]),
		...(o.body === null
			? []
			: [{ type: 'body', text: o.body ?? '{{1}} for you', example: { body_text: [['A plant']] } }]),
		{ type: 'buttons', buttons: o.buttons ?? [qr(), urlButton()] },
		...(o.extra ?? []),
	],
});
const carousel = (cards: Json[], o: { top?: Json[]; body?: string; category?: string } = {}) => ({
	category: o.category ?? 'marketing',
	components: [
		{ type: 'body', text: o.body ?? 'Hi {{1}}, our picks:', example: { body_text: [['Ana']] } },
		{ type: 'carousel', cards },
		...(o.top ?? []),
	],
});
const cards = (n: number, card: Json = mediaCard()) => Array.from({ length: n }, () => card);

describe('carousel templates', () => {
	test.each([
		['2 cards', carousel(cards(2)), 200],
		['10 cards', carousel(cards(10)), 200],
		['1 card', carousel(cards(1)), 100],
		['11 cards', carousel(cards(11)), 100],
		['no cards list', carousel(undefined as unknown as Json[]), 100],
		['video headers', carousel(cards(2, mediaCard({ format: 'video' }))), 200],
		['document header', carousel(cards(2, mediaCard({ format: 'document' }))), 100],
		[
			'text header',
			carousel(cards(2, mediaCard({ header: { type: 'header', format: 'text', text: 'x' } }))),
			100,
		],
		['card without header', carousel(cards(2, mediaCard({ header: null }))), 100],
		[
			'card header without handle',
			carousel(cards(2, mediaCard({ header: { type: 'header', format: 'image' } }))),
			100,
		],
		['card without body', carousel(cards(2, mediaCard({ body: null }))), 200],
		['card body 160', carousel(cards(2, mediaCard({ body: s(160) }))), 200],
		['card body 161', carousel(cards(2, mediaCard({ body: s(161) }))), 100],
		[
			'card body variable without example',
			carousel(
				cards(2, {
					components: [
						{ type: 'header', format: 'image', example: HANDLE },
						{ type: 'body', text: 'Hi {{1}}' },
						{ type: 'buttons', buttons: [qr()] },
					],
				}),
			),
			100,
		],
		['card with 1 button', carousel(cards(2, mediaCard({ buttons: [urlButton()] }))), 200],
		[
			'card with 3 buttons',
			carousel(cards(2, mediaCard({ buttons: [qr('a'), qr('b'), qr('c')] }))),
			100,
		],
		[
			'card without buttons',
			carousel(cards(2, { components: [{ type: 'header', format: 'image', example: HANDLE }] })),
			100,
		],
		[
			'card phone button',
			carousel(
				cards(
					2,
					mediaCard({
						buttons: [{ type: 'phone_number', text: 'Call', phone_number: '+15550783881' }],
					}),
				),
			),
			200,
		],
		[
			'card copy code button',
			carousel(cards(2, mediaCard({ buttons: [{ type: 'copy_code', example: 'SAVE' }] }))),
			100,
		],
		['card button text 25', carousel(cards(2, mediaCard({ buttons: [qr(s(25))] }))), 200],
		['card button text 26', carousel(cards(2, mediaCard({ buttons: [qr(s(26))] }))), 100],
		['card footer', carousel(cards(2, mediaCard({ extra: [{ type: 'footer', text: 'x' }] }))), 100],
		['main body 1024', carousel(cards(2), { body: s(1024) }), 200],
		['main body 1025', carousel(cards(2), { body: s(1025) }), 100],
		[
			'top-level header',
			carousel(cards(2), { top: [{ type: 'header', format: 'text', text: 'x' }] }),
			100,
		],
		['top-level footer', carousel(cards(2), { top: [{ type: 'footer', text: 'x' }] }), 100],
		['top-level buttons', carousel(cards(2), { top: [{ type: 'buttons', buttons: [qr()] }] }), 100],
		['UTILITY category', carousel(cards(2), { category: 'utility' }), 100],
		[
			'button types differ',
			carousel([mediaCard(), mediaCard({ buttons: [urlButton(), qr()] })]),
			100,
		],
		['button count differs', carousel([mediaCard(), mediaCard({ buttons: [qr()] })]), 100],
		['body on one card only', carousel([mediaCard(), mediaCard({ body: null })]), 100],
		['header formats differ', carousel([mediaCard(), mediaCard({ format: 'video' })]), 100],
		[
			'same shape, different texts',
			carousel([
				mediaCard(),
				mediaCard({ body: 'Other text', buttons: [qr('x'), urlButton('y')] }),
			]),
			200,
		],
	] as const)('%s', async (_n, body, expected) => {
		await expectOutcome(body as Json, expected);
	});

	test('created carousel is listed as Graph returns it (types upper-case)', async () => {
		const r = await expectOutcome(carousel(cards(3)), 200);
		const got = await call(e, 'GET', v(e, r.body.id));
		expect(got.body.components[1]).toMatchObject({
			type: 'CAROUSEL',
			cards: [
				{
					components: [
						{ type: 'HEADER', format: 'IMAGE', example: HANDLE },
						{ type: 'BODY', text: '{{1}} for you' },
						{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY' }, { type: 'URL' }] },
					],
				},
				expect.any(Object),
				expect.any(Object),
			],
		});
	});
});

// ── Limited-time offer and coupon code ──────────────────────────────────────────────────────

const copyCode = (example = 'SAVE25') => ({ type: 'copy_code', example });
const offerUrl = {
	type: 'url',
	text: 'Book now',
	url: 'https://shop.example.com/offer?code={{1}}',
	example: ['https://shop.example.com/offer?code=SAVE25'],
};
const lto = (
	o: {
		text?: string;
		hasExpiration?: unknown;
		header?: Json | null;
		body?: string;
		buttons?: Json[];
		extra?: Json[];
		category?: string;
	} = {},
) => ({
	category: o.category ?? 'marketing',
	components: [
		...(o.header === null
			? []
			: [o.header ?? { type: 'header', format: 'image', example: HANDLE }]),
		{
			type: 'limited_time_offer',
			limited_time_offer: {
				text: o.text ?? 'Expiring offer!',
				...(o.hasExpiration === undefined
					? { has_expiration: true }
					: o.hasExpiration === 'omit'
						? {}
						: { has_expiration: o.hasExpiration }),
			},
		},
		{
			type: 'body',
			text: o.body ?? 'Use code {{1}} for 25% off.',
			example: { body_text: [['SAVE25']] },
		},
		{ type: 'buttons', buttons: o.buttons ?? [copyCode(), offerUrl] },
		...(o.extra ?? []),
	],
});

describe('limited-time offer templates', () => {
	test.each([
		['base', lto(), 200],
		['no header', lto({ header: null }), 200],
		['video header', lto({ header: { type: 'header', format: 'video', example: HANDLE } }), 200],
		['text header', lto({ header: { type: 'header', format: 'text', text: 'Sale' } }), 100],
		['offer text 16', lto({ text: s(16) }), 200],
		['offer text 17', lto({ text: s(17) }), 100],
		['offer text empty', lto({ text: '' }), 100],
		['has_expiration not boolean', lto({ hasExpiration: 'yes' }), 100],
		['body 600', lto({ body: s(600) }), 200],
		['body 601', lto({ body: s(601) }), 100],
		['footer', lto({ extra: [{ type: 'footer', text: 'x' }] }), 100],
		['no URL button', lto({ buttons: [copyCode()] }), 100],
		['copy code second', lto({ buttons: [offerUrl, copyCode()] }), 100],
		['expiring without copy code', lto({ buttons: [offerUrl] }), 100],
		['no expiration, URL only', lto({ hasExpiration: false, buttons: [offerUrl] }), 200],
		['has_expiration omitted, URL only', lto({ hasExpiration: 'omit', buttons: [offerUrl] }), 200],
		['quick reply added', lto({ buttons: [copyCode(), offerUrl, qr()] }), 100],
		['UTILITY category', lto({ category: 'utility' }), 100],
		['copy code 15', lto({ buttons: [copyCode(s(15, 'A')), offerUrl] }), 200],
		['copy code 16', lto({ buttons: [copyCode(s(16, 'A')), offerUrl] }), 100],
	] as const)('%s', async (_n, body, expected) => {
		await expectOutcome(body as Json, expected);
	});

	test('created offer is returned with its component', async () => {
		const r = await expectOutcome(lto(), 200);
		const got = await call(e, 'GET', v(e, r.body.id));
		expect(got.body.components[1]).toEqual({
			type: 'LIMITED_TIME_OFFER',
			limited_time_offer: { text: 'Expiring offer!', has_expiration: true },
		});
		expect(got.body.components[3].buttons[0]).toEqual({ type: 'COPY_CODE', example: 'SAVE25' });
	});
});

describe('coupon code templates', () => {
	const coupon = (buttons: Json[], category = 'marketing') => ({
		category,
		components: [
			{ type: 'body', text: 'Your coupon is below.' },
			{ type: 'buttons', buttons },
		],
	});
	test.each([
		['one copy code', coupon([copyCode()]), 200],
		['with quick replies', coupon([qr('a'), qr('b'), copyCode()]), 200],
		['copy code example 15', coupon([copyCode(s(15, 'C'))]), 200],
		['copy code example 16', coupon([copyCode(s(16, 'C'))]), 100],
		['copy code without example', coupon([{ type: 'copy_code' }]), 100],
		['two copy codes', coupon([copyCode(), copyCode()]), 100],
		['UTILITY category', coupon([copyCode()], 'utility'), 100],
		['quick replies interleaved', coupon([qr('a'), copyCode(), qr('b')]), 100],
	] as const)('%s', async (_n, body, expected) => {
		await expectOutcome(body as Json, expected);
	});
});

// ── Authentication ──────────────────────────────────────────────────────────────────────────

const app = (package_name = 'com.example.shop', signature_hash = 'K8a/AINcGX7') => ({
	package_name,
	signature_hash,
});
const auth = (
	button: Json,
	o: { body?: Json; footer?: Json | null; ttl?: number; extra?: Json[]; category?: string } = {},
) => ({
	category: o.category ?? 'authentication',
	...(o.ttl === undefined ? {} : { message_send_ttl_seconds: o.ttl }),
	components: [
		o.body ?? { type: 'body', add_security_recommendation: true },
		...(o.footer === null ? [] : [o.footer ?? { type: 'footer', code_expiration_minutes: 5 }]),
		{ type: 'buttons', buttons: [button] },
		...(o.extra ?? []),
	],
});
const copyOtp = (extra: Json = {}) => ({
	type: 'otp',
	otp_type: 'copy_code',
	text: 'Copy code',
	...extra,
});
const oneTap = (extra: Json = {}) => ({
	type: 'otp',
	otp_type: 'one_tap',
	text: 'Copy code',
	autofill_text: 'Autofill',
	supported_apps: [app()],
	...extra,
});
const zeroTap = (extra: Json = {}) => ({
	...oneTap(),
	otp_type: 'zero_tap',
	zero_tap_terms_accepted: true,
	...extra,
});
const minutes = (m: unknown) => ({ footer: { type: 'footer', code_expiration_minutes: m } });

describe('authentication templates', () => {
	test.each([
		['copy code', auth(copyOtp()), 200],
		['copy code without text', auth({ type: 'otp', otp_type: 'COPY_CODE' }), 200],
		['no footer', auth(copyOtp(), { footer: null }), 200],
		['expiry 1 minute', auth(copyOtp(), minutes(1)), 200],
		['expiry 90 minutes', auth(copyOtp(), minutes(90)), 200],
		['expiry 0', auth(copyOtp(), minutes(0)), 100],
		['expiry 91', auth(copyOtp(), minutes(91)), 100],
		['expiry 2.5', auth(copyOtp(), minutes(2.5)), 100],
		['footer text', auth(copyOtp(), { footer: { type: 'footer', text: 'Expires soon' } }), 100],
		[
			'body text given',
			auth(copyOtp(), { body: { type: 'body', text: '{{1}} is your code' } }),
			100,
		],
		[
			'security recommendation not boolean',
			auth(copyOtp(), { body: { type: 'body', add_security_recommendation: 'yes' } }),
			100,
		],
		['header', auth(copyOtp(), { extra: [{ type: 'header', format: 'text', text: 'Code' }] }), 100],
		['button text 25', auth(copyOtp({ text: s(25) })), 200],
		['button text 26', auth(copyOtp({ text: s(26) })), 100],
		['quick reply instead of OTP', auth(qr()), 100],
		['unknown otp_type', auth(copyOtp({ otp_type: 'magic' })), 100],
		['copy code with apps', auth(copyOtp({ supported_apps: [app()] })), 100],
		['one tap', auth(oneTap()), 200],
		[
			'one tap, 5 apps',
			auth(
				oneTap({ supported_apps: Array.from({ length: 5 }, (_, i) => app(`com.example.app${i}`)) }),
			),
			200,
		],
		[
			'one tap, 6 apps',
			auth(
				oneTap({ supported_apps: Array.from({ length: 6 }, (_, i) => app(`com.example.app${i}`)) }),
			),
			100,
		],
		['one tap, no apps', auth(oneTap({ supported_apps: [] })), 100],
		['one tap, apps missing', auth({ type: 'otp', otp_type: 'one_tap' }), 100],
		[
			'one tap, older fields on the button',
			auth({ type: 'otp', otp_type: 'one_tap', ...app() }),
			200,
		],
		['one tap, both forms', auth(oneTap(app())), 100],
		['package name 224', auth(oneTap({ supported_apps: [app(`com.${s(220)}`)] })), 200],
		['package name 225', auth(oneTap({ supported_apps: [app(`com.${s(221)}`)] })), 100],
		['package name without a dot', auth(oneTap({ supported_apps: [app('shop')] })), 100],
		['signature hash 10', auth(oneTap({ supported_apps: [app(undefined, s(10, 'K'))] })), 100],
		['signature hash 12', auth(oneTap({ supported_apps: [app(undefined, s(12, 'K'))] })), 100],
		['autofill text 25', auth(oneTap({ autofill_text: s(25) })), 200],
		['autofill text 26', auth(oneTap({ autofill_text: s(26) })), 100],
		['zero tap', auth(zeroTap()), 200],
		['zero tap without terms', auth(zeroTap({ zero_tap_terms_accepted: false })), 100],
		[
			'two buttons',
			{
				...auth(copyOtp()),
				components: [{ type: 'body' }, { type: 'buttons', buttons: [copyOtp(), copyOtp()] }],
			},
			100,
		],
		[
			'OTP button in a MARKETING template',
			{
				category: 'marketing',
				components: [
					{ type: 'body', text: 'x' },
					{ type: 'buttons', buttons: [copyOtp()] },
				],
			},
			100,
		],
		['ttl 30', auth(copyOtp(), { ttl: 30 }), 200],
		['ttl 29', auth(copyOtp(), { ttl: 29 }), 100],
		['ttl 900', auth(copyOtp(), { ttl: 900 }), 200],
		['ttl 901', auth(copyOtp(), { ttl: 901 }), 100],
	] as const)('%s', async (_n, body, expected) => {
		await expectOutcome(body as Json, expected);
	});

	test('Graph returns preset texts and the OTP button as a URL button', async () => {
		const r = await expectOutcome(auth(oneTap(), { ttl: 300 }), 200);
		const got = await call(e, 'GET', v(e, r.body.id));
		expect(got.body).toMatchObject({
			category: 'AUTHENTICATION',
			message_send_ttl_seconds: 300,
			components: [
				{
					type: 'BODY',
					text: '*{{1}}* is your verification code. For your security, do not share this code.',
					add_security_recommendation: true,
				},
				{ type: 'FOOTER', text: 'This code expires in 5 minutes.', code_expiration_minutes: 5 },
				{
					type: 'BUTTONS',
					buttons: [
						{
							type: 'URL',
							text: 'Copy code',
							url: 'https://www.whatsapp.com/otp/code/?otp_type=ONE_TAP&cta_display_name=Autofill&package_name=com.example.shop&signature_hash=K8a%2FAINcGX7&code_expiration_minutes=5&code=otp{{1}}',
						},
					],
				},
			],
		});
		// The creation request itself is kept, as sent.
		const sub = await call(e, 'GET', '/__emulator/templates/submissions');
		expect(sub.body.data).toEqual([
			{
				at: expect.any(Number),
				kind: 'create',
				id: r.body.id,
				body: expect.objectContaining({ category: 'authentication' }),
			},
		]);
		expect(sub.body.data[0].body.components[2].buttons[0]).toEqual(oneTap());
	});
});

describe('message_send_ttl_seconds per category', () => {
	const plain = (category: string, ttl: number) => ({
		category,
		message_send_ttl_seconds: ttl,
		components: [{ type: 'body', text: 'Your order shipped.' }],
	});
	test.each([
		['utility 30', plain('UTILITY', 30), 200],
		['utility 29', plain('UTILITY', 29), 100],
		['utility 43200', plain('UTILITY', 43_200), 200],
		['utility 43201', plain('UTILITY', 43_201), 100],
		['marketing 43199', plain('MARKETING', 43_199), 100],
		['marketing 43200', plain('MARKETING', 43_200), 200],
		['marketing 2592000', plain('MARKETING', 2_592_000), 200],
		['marketing 2592001', plain('MARKETING', 2_592_001), 100],
	] as const)('%s', async (_n, body, expected) => {
		await expectOutcome(body as Json, expected);
	});
});

// ── Catalog and multi-product ───────────────────────────────────────────────────────────────

const product = (button: Json, o: { header?: Json; category?: string; more?: Json[] } = {}) => ({
	category: o.category ?? 'MARKETING',
	components: [
		...(o.header ? [o.header] : []),
		{ type: 'BODY', text: 'Shop our range, {{1}}.', example: { body_text: [['Ana']] } },
		{ type: 'BUTTONS', buttons: [button, ...(o.more ?? [])] },
	],
});
const textHeader = { type: 'HEADER', format: 'TEXT', text: 'New for you' };

describe('catalog and multi-product templates', () => {
	test.each([
		['catalog', product({ type: 'CATALOG', text: 'View catalog' }), 200],
		['catalog text 26', product({ type: 'CATALOG', text: s(26) }), 100],
		[
			'catalog with a header',
			product({ type: 'CATALOG', text: 'View' }, { header: textHeader }),
			100,
		],
		[
			'catalog plus a quick reply',
			product({ type: 'CATALOG', text: 'View' }, { more: [qr()] }),
			100,
		],
		[
			'catalog in UTILITY',
			product({ type: 'CATALOG', text: 'View' }, { category: 'UTILITY' }),
			100,
		],
		['mpm', product({ type: 'MPM', text: 'View items' }, { header: textHeader }), 200],
		['mpm without header', product({ type: 'MPM', text: 'View items' }), 100],
		[
			'mpm with image header',
			product(
				{ type: 'MPM', text: 'View' },
				{ header: { type: 'HEADER', format: 'IMAGE', example: HANDLE } },
			),
			100,
		],
		[
			'mpm in UTILITY',
			product({ type: 'MPM', text: 'View' }, { header: textHeader, category: 'UTILITY' }),
			100,
		],
	] as const)('%s', async (_n, body, expected) => {
		await expectOutcome(body as Json, expected);
	});
});

// ── Voice call button ───────────────────────────────────────────────────────────────────────

describe('voice call button', () => {
	const withCall = (...buttons: Json[]) => ({
		category: 'UTILITY',
		components: [
			{ type: 'BODY', text: 'Questions? Call us on WhatsApp.' },
			{ type: 'BUTTONS', buttons },
		],
	});
	const voiceCall = (text = 'Call us') => ({ type: 'VOICE_CALL', text });

	test('one per template, with a label of 1 to 25 characters', async () => {
		const created = await expectOutcome(withCall(qr(), voiceCall(s(25))), 200);
		const got = await e.templates.byId(created.body.id);
		expect(got?.components.at(-1)).toEqual({
			type: 'BUTTONS',
			buttons: [
				{ type: 'QUICK_REPLY', text: 'More' },
				{ type: 'VOICE_CALL', text: s(25) },
			],
		});
		await expectOutcome(withCall(voiceCall(), voiceCall('Again')), 100);
		await expectOutcome(withCall(voiceCall(s(26))), 100);
		await expectOutcome(withCall({ type: 'VOICE_CALL' }), 100);
	});
});
