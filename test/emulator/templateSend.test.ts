/** Send-time parameters of the 2026 template kinds over HTTP, against the seeds of each kind. */
import { SEEDED_MEDIA_IDS, startEmulator, type Emulator } from './index';
import { errCode, nextTo, send } from './testUtil';

let e: Emulator;
beforeAll(async () => {
	e = await startEmulator();
});
afterAll(() => e.stop());
beforeEach(() => e.reset());

type Json = Record<string, any>;
const s = (n: number, c = 'a') => c.repeat(n);
const text = (t: string) => ({ type: 'text', text: t });
const tpl = (name: string, components: Json[]) => ({
	type: 'template',
	template: { name, language: { code: 'en_US' }, components },
});
const button = (sub_type: string, index: number | string, parameters?: Json[]) => ({
	type: 'button',
	sub_type,
	index,
	...(parameters ? { parameters } : {}),
});
const image = { type: 'image', image: { id: SEEDED_MEDIA_IDS.image } };

async function expectOutcome(body: Json, code: number) {
	const r = await send(e, { to: nextTo(), ...body });
	if (code === 0) {
		expect(r.body).toEqual({
			messaging_product: 'whatsapp',
			contacts: [{ input: expect.any(String), wa_id: expect.any(String) }],
			messages: [{ id: expect.stringMatching(/^wamid\./), message_status: 'accepted' }],
		});
	} else {
		expect(errCode(r)).toBe(code);
		expect(r.status).toBe(400);
	}
}

// ── Carousel: carousel_picks (2 image cards, body {{1}} {{2}}, quick reply + URL {{1}}) ──────

const card = (
	i: number,
	o: { drop?: string[]; header?: Json[]; body?: Json[]; more?: Json[] } = {},
) => ({
	card_index: i,
	components: [
		{ type: 'header', parameters: o.header ?? [image] },
		{ type: 'body', parameters: o.body ?? [text(`Plant ${i}`), text('$12')] },
		button('quick_reply', 0, [{ type: 'payload', payload: `more-${i}` }]),
		button('url', 1, [text(`plant-${i}`)]),
		...(o.more ?? []),
	].filter((c) => !(o.drop ?? []).includes(c.type === 'button' ? `button ${c.sub_type}` : c.type)),
});
const carousel = (cards: Json[], top: Json[] = [{ type: 'body', parameters: [text('Ana')] }]) =>
	tpl('carousel_picks', [...top, { type: 'carousel', cards }]);

describe('carousel sends', () => {
	test.each([
		['both cards', carousel([card(0), card(1)]), 0],
		['cards in any order', carousel([card(1), card(0)]), 0],
		[
			'header by link',
			carousel([
				card(0, { header: [{ type: 'image', image: { link: 'https://cdn.example.com/a.jpg' } }] }),
				card(1),
			]),
			0,
		],
		[
			'quick reply payload left out',
			carousel([card(0, { drop: ['button quick_reply'] }), card(1)]),
			0,
		],
		['one card only', carousel([card(0)]), 132012],
		['three cards', carousel([card(0), card(1), card(1)]), 132012],
		[
			'no carousel component',
			tpl('carousel_picks', [{ type: 'body', parameters: [text('Ana')] }]),
			132012,
		],
		['card_index twice', carousel([card(0), card(0)]), 131009],
		['card_index 2', carousel([card(0), card(2)]), 131009],
		['card_index as a string', carousel([{ ...card(0), card_index: '0' }, card(1)]), 131009],
		['card_index missing', carousel([{ components: card(0).components }, card(1)]), 131008],
		['card header missing', carousel([card(0, { drop: ['header'] }), card(1)]), 132012],
		[
			'card header video for an image card',
			carousel([
				card(0, { header: [{ type: 'video', video: { id: SEEDED_MEDIA_IDS.video } }] }),
				card(1),
			]),
			132012,
		],
		[
			'card header unknown media',
			carousel([card(0, { header: [{ type: 'image', image: { id: '999' } }] }), card(1)]),
			131053,
		],
		[
			'card body one parameter short',
			carousel([card(0, { body: [text('Plant')] }), card(1)]),
			132000,
		],
		[
			'card body parameter 160',
			carousel([card(0, { body: [text(s(160)), text('$1')] }), card(1)]),
			0,
		],
		[
			'card body parameter 161',
			carousel([card(0, { body: [text(s(161)), text('$1')] }), card(1)]),
			131009,
		],
		['card URL suffix missing', carousel([card(0, { drop: ['button url'] }), card(1)]), 132000],
		[
			'card button index 2',
			carousel([card(0, { more: [button('url', 2, [text('x')])] }), card(1)]),
			131009,
		],
		[
			'card button sub_type mismatch',
			carousel([
				card(0, { drop: ['button quick_reply'], more: [button('url', 0, [text('x')])] }),
				card(1),
			]),
			131009,
		],
		[
			'card footer component',
			carousel([card(0, { more: [{ type: 'footer', parameters: [] }] }), card(1)]),
			131009,
		],
		['main body parameter missing', carousel([card(0), card(1)], []), 132000],
		[
			'main header parameter',
			carousel(
				[card(0), card(1)],
				[
					{ type: 'body', parameters: [text('Ana')] },
					{ type: 'header', parameters: [text('x')] },
				],
			),
			132000,
		],
		[
			'carousel on a plain template',
			tpl('payment_due', [
				{ type: 'body', parameters: [text('a'), text('b')] },
				{ type: 'carousel', cards: [] },
			]),
			132000,
		],
	] as const)('%s', async (_n, body, code) => {
		await expectOutcome(body as Json, code);
	});
});

// ── Limited-time offer: flash_sale (image header, expiring offer, copy code + URL) ──────────

const future = () => Date.now() + 7 * 86_400_000;
const offer = (limited_time_offer: unknown) => ({
	type: 'limited_time_offer',
	parameters: [{ type: 'limited_time_offer', limited_time_offer }],
});
const flashSale = (o: { offer?: Json | null; coupon?: Json[] | null; more?: Json[] } = {}) =>
	tpl('flash_sale', [
		{ type: 'header', parameters: [image] },
		...(o.offer === null ? [] : [o.offer ?? offer({ expiration_time_ms: future() })]),
		{ type: 'body', parameters: [text('Ana'), text('PLANTS25')] },
		...(o.coupon === null
			? []
			: [button('copy_code', 0, o.coupon ?? [{ type: 'coupon_code', coupon_code: 'PLANTS25' }])]),
		button('url', 1, [text('PLANTS25')]),
		...(o.more ?? []),
	]);
const coupon = (coupon_code: unknown) => [{ type: 'coupon_code', coupon_code }];

describe('limited-time offer and coupon sends', () => {
	test.each([
		['offer with expiry', flashSale(), 0],
		['offer component missing', flashSale({ offer: null }), 132000],
		[
			'expiry in the past',
			flashSale({ offer: offer({ expiration_time_ms: Date.now() - 1000 }) }),
			131009,
		],
		[
			'expiry in seconds, not ms',
			flashSale({ offer: offer({ expiration_time_ms: Math.floor(future() / 1000) }) }),
			131009,
		],
		[
			'expiry not an integer',
			flashSale({ offer: offer({ expiration_time_ms: future() + 0.5 }) }),
			131009,
		],
		[
			'expiry as a string',
			flashSale({ offer: offer({ expiration_time_ms: String(future()) }) }),
			131009,
		],
		['expiry missing', flashSale({ offer: offer({}) }), 131008],
		[
			'offer parameter of another type',
			flashSale({ offer: { type: 'limited_time_offer', parameters: [text('x')] } }),
			131008,
		],
		[
			'two offer parameters',
			flashSale({
				offer: {
					type: 'limited_time_offer',
					parameters: [
						offer({ expiration_time_ms: future() }).parameters[0],
						offer({ expiration_time_ms: future() }).parameters[0],
					],
				},
			}),
			132000,
		],
		['coupon 15 characters', flashSale({ coupon: coupon(s(15, 'A')) }), 0],
		['coupon 16 characters', flashSale({ coupon: coupon(s(16, 'A')) }), 131009],
		['coupon with a dash', flashSale({ coupon: coupon('PLANTS-25') }), 131009],
		['coupon not a string', flashSale({ coupon: coupon(25) }), 131009],
		['coupon button missing', flashSale({ coupon: null }), 132000],
		['coupon parameter of another type', flashSale({ coupon: [text('PLANTS25')] }), 131008],
		[
			'offer parameter on a template without offer',
			tpl('coupon_offer', [
				{ type: 'body', parameters: [text('SAVE20'), text('20%')] },
				button('copy_code', 0, coupon('SAVE20')),
				offer({ expiration_time_ms: future() }),
			]),
			132000,
		],
	] as const)('%s', async (_n, body, code) => {
		await expectOutcome(body as Json, code);
	});
});

// ── Authentication: auth_copy_code, auth_one_tap (body code + URL button code) ──────────────

const otp = (name: string, bodyCode: string | null, buttonCode: string | null, sub = 'url') =>
	tpl(name, [
		...(bodyCode === null ? [] : [{ type: 'body', parameters: [text(bodyCode)] }]),
		...(buttonCode === null ? [] : [button(sub, 0, [text(buttonCode)])]),
	]);

describe('authentication sends', () => {
	test.each([
		['copy code', otp('auth_copy_code', '123456', '123456'), 0],
		['one-tap', otp('auth_one_tap', 'K7Q2X9', 'K7Q2X9'), 0],
		['code 15 characters', otp('auth_copy_code', s(15, '1'), s(15, '1')), 0],
		['code 16 characters', otp('auth_one_tap', s(16, '1'), s(16, '1')), 131009],
		['button code missing', otp('auth_copy_code', '123456', null), 132000],
		['body code missing', otp('auth_one_tap', null, '123456'), 132000],
		['codes differ', otp('auth_copy_code', '123456', '654321'), 131009],
		['button as copy_code', otp('auth_copy_code', '123456', '123456', 'copy_code'), 131009],
	] as const)('%s', async (_n, body, code) => {
		await expectOutcome(body as Json, code);
	});
});

// ── Catalog (catalog_browse) and multi-product (mpm_restock) ────────────────────────────────

const action = (a: Json) => [{ type: 'action', action: a }];
const catalog = (b?: Json) =>
	tpl('catalog_browse', [
		{ type: 'body', parameters: [text('Ana'), text('$30')] },
		...(b ? [b] : []),
	]);
const section = (title: string | undefined, n: number, from = 0) => ({
	...(title === undefined ? {} : { title }),
	product_items: Array.from({ length: n }, (_, i) => ({ product_retailer_id: `SKU-${from + i}` })),
});
const sections = (count: number, per: number) =>
	Array.from({ length: count }, (_, i) => section(`Section ${i}`, per, i * per));
const mpm = (a?: Json) =>
	tpl('mpm_restock', [
		{ type: 'header', parameters: [text('Ana')] },
		{ type: 'body', parameters: [text('Friday')] },
		...(a ? [button('mpm', 0, action(a))] : []),
	]);

describe('catalog and multi-product sends', () => {
	test.each([
		[
			'catalog with thumbnail',
			catalog(button('catalog', 0, action({ thumbnail_product_retailer_id: 'SKU-1' }))),
			0,
		],
		[
			'catalog, upper-case sub_type',
			catalog(button('CATALOG', '0', action({ thumbnail_product_retailer_id: 'SKU-1' }))),
			0,
		],
		['catalog without button component', catalog(), 0],
		['catalog button without parameters', catalog(button('catalog', 0)), 0],
		[
			'catalog thumbnail empty',
			catalog(button('catalog', 0, action({ thumbnail_product_retailer_id: ' ' }))),
			131009,
		],
		[
			'catalog with sections',
			catalog(
				button(
					'catalog',
					0,
					action({ thumbnail_product_retailer_id: 'SKU-1', sections: sections(1, 1) }),
				),
			),
			131009,
		],
		['catalog parameter of another type', catalog(button('catalog', 0, [text('SKU-1')])), 131008],
		['mpm', mpm({ thumbnail_product_retailer_id: 'SKU-1', sections: [section('Plants', 2)] }), 0],
		[
			'mpm one untitled section',
			mpm({ thumbnail_product_retailer_id: 'SKU-1', sections: [section(undefined, 2)] }),
			0,
		],
		['mpm button missing', mpm(), 132000],
		['mpm thumbnail missing', mpm({ sections: [section('Plants', 2)] }), 131008],
		['mpm sections missing', mpm({ thumbnail_product_retailer_id: 'SKU-1' }), 131008],
		[
			'mpm 10 sections, 30 products',
			mpm({ thumbnail_product_retailer_id: 'SKU-1', sections: sections(10, 3) }),
			0,
		],
		[
			'mpm 11 sections',
			mpm({ thumbnail_product_retailer_id: 'SKU-1', sections: sections(11, 1) }),
			131009,
		],
		[
			'mpm 31 products',
			mpm({
				thumbnail_product_retailer_id: 'SKU-1',
				sections: [section('A', 16), section('B', 15, 16)],
			}),
			131009,
		],
		['mpm 0 sections', mpm({ thumbnail_product_retailer_id: 'SKU-1', sections: [] }), 131009],
		[
			'mpm two sections, one untitled',
			mpm({
				thumbnail_product_retailer_id: 'SKU-1',
				sections: [section('A', 1), section(undefined, 1, 1)],
			}),
			131008,
		],
		[
			'mpm section title 24',
			mpm({ thumbnail_product_retailer_id: 'SKU-1', sections: [section(s(24), 1)] }),
			0,
		],
		[
			'mpm section title 25',
			mpm({ thumbnail_product_retailer_id: 'SKU-1', sections: [section(s(25), 1)] }),
			131009,
		],
		[
			'mpm section without products',
			mpm({ thumbnail_product_retailer_id: 'SKU-1', sections: [section('A', 0)] }),
			131009,
		],
		[
			'mpm product without retailer id',
			mpm({
				thumbnail_product_retailer_id: 'SKU-1',
				sections: [{ title: 'A', product_items: [{}] }],
			}),
			131009,
		],
	] as const)('%s', async (_n, body, code) => {
		await expectOutcome(body as Json, code);
	});
});
