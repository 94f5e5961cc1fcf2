import { DateTime } from 'luxon';

import { SEED_TEMPLATES, SEEDED_MEDIA_IDS } from '../emulator/seed';
import { startEmulator } from '../emulator';
import type { Emulator } from '../emulator';
import { PayloadError } from '../../nodes/WhatsAppCloud/helpers/errors';
import { buildTemplateContent } from '../../nodes/WhatsAppCloud/helpers/template/build';
import type { ServerTemplate } from '../../nodes/WhatsAppCloud/helpers/types/template';
import { carouselCardSend } from '../support/templateSends';

const seed = (name: string, language = 'en_US') =>
	SEED_TEMPLATES.find(
		(t) => t.name === name && t.language === language,
	) as unknown as ServerTemplate;

const template = (components: unknown[], extra: Partial<ServerTemplate> = {}): ServerTemplate =>
	({
		id: '1',
		name: 'custom',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		components,
		...extra,
	}) as ServerTemplate;

const language = (code: string) => ({ code, policy: 'deterministic' });

/** A limited-time offer's expiry a day from the module's start, in epoch milliseconds. */
const IN_A_DAY = Date.now() + 86_400_000;

/** Values that fill every seed template completely. */
const SEED_VALUES: Record<string, Record<string, unknown>> = {
	hello_world: {},
	order_update: {
		'header.text.1': '#1042',
		'body.1': 'Ana',
		'body.2': '#1042',
		'body.3': 'Monday',
		'button.0.payload': 'TRACK_1042',
		'button.1.payload': 'CANCEL_1042',
	},
	shipping_named: {
		'header.text.first_name': 'Ana',
		'body.order_id': '#1042',
		'body.delivery_date': 'Monday',
	},
	image_promo: {
		'header.image': SEEDED_MEDIA_IDS.image,
		'body.1': 'Ana',
		'button.0.url_suffix': 'summer',
	},
	video_intro: { 'header.video': 'https://cdn.example.com/intro.mp4' },
	invoice_ready: {
		'header.document': SEEDED_MEDIA_IDS.document,
		'body.1': 'INV-7',
		'body.2': { currency: { fallback_value: '$10.50', code: 'USD', amount_1000: 10500 } },
		'body.3': { date_time: { fallback_value: 'Jan 1, 2027' } },
	},
	store_location: {
		'header.location.latitude': 37.4847,
		'header.location.longitude': '-122.1477',
		'header.location.name': 'Main store',
		'header.location.address': '1 Hacker Way, Menlo Park',
		'body.1': 'our main store',
	},
	coupon_offer: { 'body.1': 'SAVE20', 'body.2': '20%', 'button.0.coupon_code': 'SAVE20' },
	signup_flow: { 'button.0.flow_token': 'tok-1', 'button.0.flow_action_data': { plan: 'gold' } },
	contact_us: {},
	auth_code: { 'body.1': '123456', 'button.0.url_suffix': '123456' },
	payment_due: { 'body.1': '$10.00', 'body.2': 'Jan 1, 2027' },
	carousel_picks: {
		'body.1': 'Ana',
		'card.0.header.image': SEEDED_MEDIA_IDS.image,
		'card.0.body.1': 'Blue Echeveria',
		'card.0.body.2': '$12',
		'card.0.button.0.payload': 'MORE_ECHEVERIA',
		'card.0.button.1.url_suffix': 'blue-echeveria',
		'card.1.header.image': 'https://cdn.example.com/aloe.jpg',
		'card.1.body.1': 'Aloe Vera',
		'card.1.body.2': '$9',
		'card.1.button.1.url_suffix': 'aloe-vera',
	},
	flash_sale: {
		'header.image': SEEDED_MEDIA_IDS.image,
		'offer.expiration_time': IN_A_DAY,
		'body.1': 'Ana',
		'body.2': 'PLANTS25',
		'button.0.coupon_code': 'PLANTS25',
		'button.1.url_suffix': 'PLANTS25',
	},
	auth_copy_code: { 'body.1': '481516' },
	auth_one_tap: { 'body.1': '481516', 'button.0.url_suffix': '481516' },
	catalog_browse: {
		'body.1': 'Ana',
		'body.2': '$30',
		'button.0.thumbnail_product_retailer_id': 'SKU-1',
	},
	mpm_restock: {
		'header.text.1': 'Ana',
		'body.1': 'Friday',
		'button.0.thumbnail_product_retailer_id': 'SKU-1',
		'button.0.section.1.title': 'Succulents',
		'button.0.section.1.product_retailer_ids': 'SKU-1, SKU-2',
		'button.0.section.2.title': 'Cacti',
		'button.0.section.2.product_retailer_ids': 'SKU-3',
	},
};

describe('buildTemplateContent: payloads for every component type', () => {
	test.each([
		['hello_world', { name: 'hello_world', language: language('en_US') }],
		[
			'order_update',
			{
				name: 'order_update',
				language: language('en_US'),
				components: [
					{ type: 'header', parameters: [{ type: 'text', text: '#1042' }] },
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'Ana' },
							{ type: 'text', text: '#1042' },
							{ type: 'text', text: 'Monday' },
						],
					},
					{
						type: 'button',
						sub_type: 'quick_reply',
						index: '0',
						parameters: [{ type: 'payload', payload: 'TRACK_1042' }],
					},
					{
						type: 'button',
						sub_type: 'quick_reply',
						index: '1',
						parameters: [{ type: 'payload', payload: 'CANCEL_1042' }],
					},
				],
			},
		],
		[
			'shipping_named',
			{
				name: 'shipping_named',
				language: language('en_US'),
				components: [
					{
						type: 'header',
						parameters: [{ type: 'text', text: 'Ana', parameter_name: 'first_name' }],
					},
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: '#1042', parameter_name: 'order_id' },
							{ type: 'text', text: 'Monday', parameter_name: 'delivery_date' },
						],
					},
				],
			},
		],
		[
			'image_promo',
			{
				name: 'image_promo',
				language: language('en_US'),
				components: [
					{
						type: 'header',
						parameters: [{ type: 'image', image: { id: SEEDED_MEDIA_IDS.image } }],
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
		],
		[
			'video_intro',
			{
				name: 'video_intro',
				language: language('en_US'),
				components: [
					{
						type: 'header',
						parameters: [{ type: 'video', video: { link: 'https://cdn.example.com/intro.mp4' } }],
					},
				],
			},
		],
		[
			'invoice_ready',
			{
				name: 'invoice_ready',
				language: language('en_US'),
				components: [
					{
						type: 'header',
						parameters: [{ type: 'document', document: { id: SEEDED_MEDIA_IDS.document } }],
					},
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'INV-7' },
							{
								type: 'currency',
								currency: { fallback_value: '$10.50', code: 'USD', amount_1000: 10500 },
							},
							{ type: 'date_time', date_time: { fallback_value: 'Jan 1, 2027' } },
						],
					},
				],
			},
		],
		[
			'store_location',
			{
				name: 'store_location',
				language: language('en_US'),
				components: [
					{
						type: 'header',
						parameters: [
							{
								type: 'location',
								location: {
									latitude: 37.4847,
									longitude: -122.1477,
									name: 'Main store',
									address: '1 Hacker Way, Menlo Park',
								},
							},
						],
					},
					{ type: 'body', parameters: [{ type: 'text', text: 'our main store' }] },
				],
			},
		],
		[
			'coupon_offer',
			{
				name: 'coupon_offer',
				language: language('en_US'),
				components: [
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'SAVE20' },
							{ type: 'text', text: '20%' },
						],
					},
					{
						type: 'button',
						sub_type: 'copy_code',
						index: '0',
						parameters: [{ type: 'coupon_code', coupon_code: 'SAVE20' }],
					},
				],
			},
		],
		[
			'signup_flow',
			{
				name: 'signup_flow',
				language: language('en_US'),
				components: [
					{
						type: 'button',
						sub_type: 'flow',
						index: '0',
						parameters: [
							{
								type: 'action',
								action: { flow_token: 'tok-1', flow_action_data: { plan: 'gold' } },
							},
						],
					},
				],
			},
		],
		['contact_us', { name: 'contact_us', language: language('en_US') }],
		[
			'auth_code',
			{
				name: 'auth_code',
				language: language('en_US'),
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
		],
	])('%s', (name, expected) => {
		expect(buildTemplateContent(seed(name), undefined, SEED_VALUES[name])).toEqual({
			type: 'template',
			template: expected,
		});
	});

	test('the language given wins over the definition', () => {
		expect(buildTemplateContent(seed('hello_world'), 'en', {}).template.language).toEqual(
			language('en'),
		);
	});

	test('optional values left empty are left out (quick reply without payload, flow without token)', () => {
		const content = buildTemplateContent(seed('order_update'), 'en_US', {
			...SEED_VALUES.order_update,
			'button.0.payload': '',
			'button.1.payload': null,
		});
		expect(content.template.components?.map((c) => c.type)).toEqual(['header', 'body']);
		expect(
			buildTemplateContent(seed('signup_flow'), 'en_US', {}).template.components,
		).toBeUndefined();
	});

	test('only the flow token, or only the data', () => {
		expect(
			buildTemplateContent(seed('signup_flow'), 'en_US', { 'button.0.flow_action_data': '{"a":1}' })
				.template.components,
		).toEqual([
			{
				type: 'button',
				sub_type: 'flow',
				index: '0',
				parameters: [{ type: 'action', action: { flow_action_data: { a: 1 } } }],
			},
		]);
	});

	test('components come in order header, body, buttons by index', () => {
		const t = template([
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'QUICK_REPLY', text: 'A' },
					{
						type: 'URL',
						text: 'B',
						url: 'https://x.example/{{1}}',
						example: ['https://x.example/1'],
					},
					{ type: 'COPY_CODE', example: 'C1' },
				],
			},
			{ type: 'BODY', text: 'Body {{1}}', example: { body_text: [['x']] } },
			{ type: 'HEADER', format: 'TEXT', text: 'Head {{1}}', example: { header_text: ['y'] } },
		]);
		const content = buildTemplateContent(t, 'en_US', {
			'button.2.coupon_code': 'C2',
			'button.0.payload': 'P',
			'body.1': 'b',
			'button.1.url_suffix': 'u',
			'header.text.1': 'h',
		});
		expect(
			content.template.components?.map((c) => ('index' in c ? `${c.type}${c.index}` : c.type)),
		).toEqual(['header', 'body', 'button0', 'button1', 'button2']);
	});

	test('numbers, booleans and dates are written as text', () => {
		const content = buildTemplateContent(seed('payment_due'), 'en_US', {
			'body.1': 10.5,
			'body.2': DateTime.fromISO('2027-01-01T10:00:00.000Z', { zone: 'utc' }),
		});
		expect(content.template.components).toEqual([
			{
				type: 'body',
				parameters: [
					{ type: 'text', text: '10.5' },
					{ type: 'text', text: '2027-01-01T10:00:00.000Z' },
				],
			},
		]);
	});

	test('typed parameters with an explicit type, and amount_1000 as numeric text', () => {
		const content = buildTemplateContent(seed('payment_due'), 'en_US', {
			'body.1': {
				type: 'currency',
				currency: { fallback_value: '€5', code: 'EUR', amount_1000: '5000' },
			},
			'body.2': { type: 'text', text: 'soon' },
		});
		expect(content.template.components?.[0]).toEqual({
			type: 'body',
			parameters: [
				{ type: 'currency', currency: { fallback_value: '€5', code: 'EUR', amount_1000: 5000 } },
				{ type: 'text', text: 'soon' },
			],
		});
	});

	test('media by link object, document with a filename', () => {
		const content = buildTemplateContent(seed('invoice_ready'), 'en_US', {
			...SEED_VALUES.invoice_ready,
			'header.document': { link: 'https://cdn.example.com/i.pdf', filename: 'invoice.pdf' },
		});
		expect(content.template.components?.[0]).toEqual({
			type: 'header',
			parameters: [
				{
					type: 'document',
					document: { link: 'https://cdn.example.com/i.pdf', filename: 'invoice.pdf' },
				},
			],
		});
	});

	test('catalog and multi-product buttons', () => {
		const catalog = template([
			{ type: 'BODY', text: 'Browse' },
			{ type: 'BUTTONS', buttons: [{ type: 'CATALOG', text: 'View' }] },
		]);
		expect(
			buildTemplateContent(catalog, 'en_US', { 'button.0.thumbnail_product_retailer_id': 'SKU1' })
				.template.components,
		).toEqual([
			{
				type: 'button',
				sub_type: 'catalog',
				index: '0',
				parameters: [{ type: 'action', action: { thumbnail_product_retailer_id: 'SKU1' } }],
			},
		]);
		const mpm = template([
			{ type: 'BODY', text: 'Browse' },
			{ type: 'BUTTONS', buttons: [{ type: 'MPM', text: 'View items' }] },
		]);
		const sections = [{ title: 'Top', product_items: [{ product_retailer_id: 'SKU1' }] }];
		expect(
			buildTemplateContent(mpm, 'en_US', {
				'button.0.thumbnail_product_retailer_id': 'SKU1',
				'button.0.sections': JSON.stringify(sections),
			}).template.components,
		).toEqual([
			{
				type: 'button',
				sub_type: 'mpm',
				index: '0',
				parameters: [
					{ type: 'action', action: { thumbnail_product_retailer_id: 'SKU1', sections } },
				],
			},
		]);
	});
});

describe('buildTemplateContent: carousel, offer, authentication, catalog, multi-product', () => {
	const text = (t: string) => ({ type: 'text', text: t });
	const built = (name: string, values = SEED_VALUES[name]) =>
		buildTemplateContent(seed(name), undefined, values).template.components;

	test('carousel: top body, then every card with its header, body and buttons (index per card)', () => {
		expect(built('carousel_picks')).toEqual([
			{ type: 'body', parameters: [text('Ana')] },
			{
				type: 'carousel',
				cards: [
					carouselCardSend(0, {
						image: { id: SEEDED_MEDIA_IDS.image },
						body: ['Blue Echeveria', '$12'],
						payload: 'MORE_ECHEVERIA',
						urlSuffix: 'blue-echeveria',
					}),
					carouselCardSend(1, {
						image: { link: 'https://cdn.example.com/aloe.jpg' },
						body: ['Aloe Vera', '$9'],
						urlSuffix: 'aloe-vera',
					}),
				],
			},
		]);
	});

	test('limited-time offer: the expiry in milliseconds between header and body', () => {
		expect(built('flash_sale')).toEqual([
			{ type: 'header', parameters: [{ type: 'image', image: { id: SEEDED_MEDIA_IDS.image } }] },
			{
				type: 'limited_time_offer',
				parameters: [
					{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: IN_A_DAY } },
				],
			},
			{ type: 'body', parameters: [text('Ana'), text('PLANTS25')] },
			{
				type: 'button',
				sub_type: 'copy_code',
				index: '0',
				parameters: [{ type: 'coupon_code', coupon_code: 'PLANTS25' }],
			},
			{ type: 'button', sub_type: 'url', index: '1', parameters: [text('PLANTS25')] },
		]);
	});

	test.each([
		['a luxon DateTime (n8n date fields)', DateTime.fromMillis(IN_A_DAY)],
		['a Date', new Date(IN_A_DAY)],
		['ISO text with an offset', new Date(IN_A_DAY).toISOString()],
		['milliseconds as text', String(IN_A_DAY)],
	])('offer expiry from %s', (_, value) => {
		const offer = built('flash_sale', {
			...SEED_VALUES.flash_sale,
			'offer.expiration_time': value,
		});
		expect(offer?.[1]).toEqual({
			type: 'limited_time_offer',
			parameters: [
				{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: IN_A_DAY } },
			],
		});
	});

	test('authentication: one code fills the body and the button', () => {
		const expected = [
			{ type: 'body', parameters: [text('481516')] },
			{ type: 'button', sub_type: 'url', index: '0', parameters: [text('481516')] },
		];
		expect(built('auth_copy_code')).toEqual(expected);
		expect(built('auth_one_tap')).toEqual(expected);
	});

	test('catalog: the thumbnail product, or no button parameter at all', () => {
		expect(built('catalog_browse')?.[1]).toEqual({
			type: 'button',
			sub_type: 'catalog',
			index: '0',
			parameters: [{ type: 'action', action: { thumbnail_product_retailer_id: 'SKU-1' } }],
		});
		expect(built('catalog_browse', { 'body.1': 'Ana', 'body.2': '$30' })).toHaveLength(1);
	});

	test('multi-product: sections from the section fields, products comma-separated', () => {
		expect(built('mpm_restock')?.[2]).toEqual({
			type: 'button',
			sub_type: 'mpm',
			index: '0',
			parameters: [
				{
					type: 'action',
					action: {
						thumbnail_product_retailer_id: 'SKU-1',
						sections: [
							{
								title: 'Succulents',
								product_items: [{ product_retailer_id: 'SKU-1' }, { product_retailer_id: 'SKU-2' }],
							},
							{ title: 'Cacti', product_items: [{ product_retailer_id: 'SKU-3' }] },
						],
					},
				},
			],
		});
		// One section needs no title; a list from an expression works like comma-separated text.
		const one = built('mpm_restock', {
			'header.text.1': 'Ana',
			'body.1': 'Friday',
			'button.0.thumbnail_product_retailer_id': 'SKU-1',
			'button.0.section.1.product_retailer_ids': ['SKU-1', 'SKU-2'],
		});
		expect(one?.[2]).toMatchObject({
			parameters: [
				{
					action: {
						sections: [
							{
								product_items: [{ product_retailer_id: 'SKU-1' }, { product_retailer_id: 'SKU-2' }],
							},
						],
					},
				},
			],
		});
	});
});

/** Builds with one value changed; returns the PayloadError's message, or 'ok'. */
function outcome(name: string, id: string, value: unknown, base = SEED_VALUES[name]): string {
	try {
		buildTemplateContent(seed(name), undefined, { ...base, [id]: value });
		return 'ok';
	} catch (error) {
		if (!(error instanceof PayloadError)) throw error;
		return error.message;
	}
}

const bodyOnly = template([{ type: 'BODY', text: 'Long {{1}}', example: { body_text: [['x']] } }]);

describe('buildTemplateContent: every limit at its edge and one past it', () => {
	test.each([
		['header text 60', 'order_update', 'header.text.1', 'h'.repeat(60), 'ok'],
		[
			'header text 61',
			'order_update',
			'header.text.1',
			'h'.repeat(61),
			'header.text.1 must be 1 to 60 characters; it has 61',
		],
		['body text 1024 (other components)', 'order_update', 'body.1', 'b'.repeat(1024), 'ok'],
		[
			'body text 1025 (other components)',
			'order_update',
			'body.1',
			'b'.repeat(1025),
			'body.1 must be 1 to 1024 characters; it has 1025',
		],
		['payload 256', 'order_update', 'button.0.payload', 'p'.repeat(256), 'ok'],
		[
			'payload 257',
			'order_update',
			'button.0.payload',
			'p'.repeat(257),
			'button.0.payload must be 1 to 256 characters; it has 257',
		],
		['coupon 15', 'coupon_offer', 'button.0.coupon_code', 'C'.repeat(15), 'ok'],
		[
			'coupon 16',
			'coupon_offer',
			'button.0.coupon_code',
			'C'.repeat(16),
			'button.0.coupon_code must be 1 to 15 characters; it has 16',
		],
		[
			'coupon not alphanumeric',
			'coupon_offer',
			'button.0.coupon_code',
			'SAVE-20',
			expect.stringContaining('only letters and digits'),
		],
		['4 spaces in a row', 'order_update', 'body.1', 'a    b', 'ok'],
		[
			'5 spaces in a row',
			'order_update',
			'body.1',
			'a     b',
			'body.1 must not contain more than 4 consecutive spaces; it has 5 in a row',
		],
		[
			'a line break',
			'order_update',
			'body.1',
			'a\nb',
			expect.stringContaining('must not contain line breaks or tabs'),
		],
		['a tab', 'order_update', 'body.1', 'a\tb', expect.stringContaining('it contains a tab')],
		['a carriage return', 'order_update', 'body.1', 'a\rb', expect.stringContaining('line break')],
		[
			'blank text',
			'order_update',
			'body.1',
			'   ',
			expect.stringContaining('needs 1 more variable: body.1'),
		],
		[
			'an object without a known key',
			'order_update',
			'body.1',
			{ foo: 1 },
			expect.stringContaining('must be text, {currency'),
		],
		['a list', 'order_update', 'body.1', ['a'], 'body.1 must be text; it is a list'],
		[
			'amount_1000 = 1',
			'payment_due',
			'body.1',
			{ currency: { fallback_value: '$0.001', code: 'USD', amount_1000: 1 } },
			'ok',
		],
		[
			'amount_1000 = 0',
			'payment_due',
			'body.1',
			{ currency: { fallback_value: '$0', code: 'USD', amount_1000: 0 } },
			expect.stringContaining('amount_1000 must be a whole number above 0'),
		],
		[
			'amount_1000 fractional',
			'payment_due',
			'body.1',
			{ currency: { fallback_value: '$1', code: 'USD', amount_1000: 1.5 } },
			expect.stringContaining('whole number'),
		],
		[
			'currency code lowercase',
			'payment_due',
			'body.1',
			{ currency: { fallback_value: '$1', code: 'usd', amount_1000: 1000 } },
			expect.stringContaining('ISO 4217'),
		],
		[
			'currency without fallback',
			'payment_due',
			'body.1',
			{ currency: { code: 'USD', amount_1000: 1000 } },
			expect.stringContaining('fallback_value is required'),
		],
		[
			'date_time without fallback',
			'payment_due',
			'body.2',
			{ date_time: {} },
			expect.stringContaining('date_time.fallback_value is required'),
		],
		[
			'media http link',
			'image_promo',
			'header.image',
			'http://cdn.example.com/a.png',
			expect.stringContaining('it is an http:// link'),
		],
		[
			'media neither ID nor link',
			'image_promo',
			'header.image',
			'picture.png',
			expect.stringContaining('media ID (digits) or an https:// link'),
		],
		[
			'media id and link',
			'image_promo',
			'header.image',
			{ id: '1', link: 'https://a.example/x.png' },
			expect.stringContaining('not both'),
		],
		['latitude 90', 'store_location', 'header.location.latitude', 90, 'ok'],
		[
			'latitude 90.0001',
			'store_location',
			'header.location.latitude',
			90.0001,
			expect.stringContaining('-90 to 90'),
		],
		['longitude -180', 'store_location', 'header.location.longitude', -180, 'ok'],
		[
			'longitude -180.5',
			'store_location',
			'header.location.longitude',
			-180.5,
			expect.stringContaining('-180 to 180'),
		],
		[
			'URL suffix with a space',
			'image_promo',
			'button.0.url_suffix',
			'a b',
			expect.stringContaining('must not contain spaces'),
		],
		[
			'flow data not an object',
			'signup_flow',
			'button.0.flow_action_data',
			'[1]',
			expect.stringContaining('must be a JSON object'),
		],
		[
			'flow data not JSON',
			'signup_flow',
			'button.0.flow_action_data',
			'{nope',
			expect.stringContaining('not JSON'),
		],
		['card body 160', 'carousel_picks', 'card.0.body.1', 'c'.repeat(160), 'ok'],
		[
			'card body 161',
			'carousel_picks',
			'card.0.body.1',
			'c'.repeat(161),
			'card.0.body.1 must be 1 to 160 characters; it has 161',
		],
		[
			'card header not media',
			'carousel_picks',
			'card.1.header.image',
			'aloe.jpg',
			'card.1.header.image must be an uploaded media ID (digits) or an https:// link; it is "aloe.jpg"',
		],
		[
			'card URL suffix with spaces',
			'carousel_picks',
			'card.0.button.1.url_suffix',
			'blue echeveria',
			'card.0.button.1.url_suffix must not contain spaces (it becomes part of a URL)',
		],
		['one-time password 15', 'auth_copy_code', 'body.1', '1'.repeat(15), 'ok'],
		[
			'one-time password 16',
			'auth_copy_code',
			'body.1',
			'1'.repeat(16),
			'body.1 must be 1 to 15 characters; it has 16',
		],
		[
			'one-time password with a space',
			'auth_copy_code',
			'body.1',
			'123 456',
			'body.1 must not contain spaces (it is a one-time password)',
		],
		[
			'a different code in the button',
			'auth_one_tap',
			'button.0.url_suffix',
			'999999',
			'button.0.url_suffix must be the same as the one-time password in the body (or left out)',
		],
		[
			'offer expiry in seconds',
			'flash_sale',
			'offer.expiration_time',
			Math.floor(IN_A_DAY / 1000),
			`offer.expiration_time must be a UNIX time in milliseconds (Meta's expiration_time_ms); ${Math.floor(IN_A_DAY / 1000)} looks like seconds or is not a whole number`,
		],
		[
			'offer expiry in the past',
			'flash_sale',
			'offer.expiration_time',
			'2020-01-01T00:00:00Z',
			'offer.expiration_time must be in the future; it is 2020-01-01T00:00:00.000Z',
		],
		[
			'offer expiry not a date',
			'flash_sale',
			'offer.expiration_time',
			'next friday',
			'offer.expiration_time must be a date and time (e.g. 2026-12-31T23:59:00Z) or UNIX milliseconds; it is "next friday"',
		],
		['section title 24', 'mpm_restock', 'button.0.section.2.title', 't'.repeat(24), 'ok'],
		[
			'section title 25',
			'mpm_restock',
			'button.0.section.2.title',
			't'.repeat(25),
			'button.0.section.2.title must be 1 to 24 characters; it has 25',
		],
		[
			'two sections, one without a title',
			'mpm_restock',
			'button.0.section.2.title',
			'',
			'button.0.section.2.title is required when there is more than one section (there are 2)',
		],
		[
			'a title without products',
			'mpm_restock',
			'button.0.section.2.product_retailer_ids',
			'',
			'button.0.section.2.product_retailer_ids is empty, but the section has a title: list its products',
		],
		[
			'30 products',
			'mpm_restock',
			'button.0.section.2.product_retailer_ids',
			Array.from({ length: 28 }, (_, i) => `P${i}`).join(','),
			'ok',
		],
		[
			'31 products',
			'mpm_restock',
			'button.0.section.2.product_retailer_ids',
			Array.from({ length: 29 }, (_, i) => `P${i}`).join(','),
			'button.0.sections must list at most 30 products in all sections together; they list 31',
		],
	])('%s', (_, name, id, value, expected) => {
		expect(outcome(name, id, value)).toEqual(expected);
	});

	test('multi-product: 10 sections from fields; 11 from JSON are refused; not both; not none', () => {
		const base = {
			'header.text.1': 'Ana',
			'body.1': 'Friday',
			'button.0.thumbnail_product_retailer_id': 'SKU-1',
		};
		const sectionFields = (n: number) =>
			Object.fromEntries(
				Array.from({ length: n }, (_, i) => [
					[`button.0.section.${i + 1}.title`, `S${i + 1}`],
					[`button.0.section.${i + 1}.product_retailer_ids`, `SKU-${i}`],
				]).flat(),
			);
		const sectionsJson = (n: number) =>
			JSON.stringify(
				Array.from({ length: n }, (_, i) => ({
					title: `S${i}`,
					product_items: [{ product_retailer_id: `SKU-${i}` }],
				})),
			);
		expect(outcome('mpm_restock', 'x', undefined, { ...base, ...sectionFields(10) })).toBe('ok');
		expect(outcome('mpm_restock', 'button.0.sections', sectionsJson(10), base)).toBe('ok');
		expect(outcome('mpm_restock', 'button.0.sections', sectionsJson(11), base)).toBe(
			'button.0.sections must have at most 10 sections; it has 11',
		);
		expect(
			outcome('mpm_restock', 'button.0.sections', sectionsJson(1), {
				...base,
				...sectionFields(1),
			}),
		).toBe('button.0.sections and the section fields were both given; use one of them');
		expect(outcome('mpm_restock', 'x', undefined, base)).toBe(
			'button.0.section.1.product_retailer_ids is required: a multi-product message shows at least one section of products',
		);
		expect(
			outcome('mpm_restock', 'button.0.sections', '[{"title":"A","product_items":[{}]}]', base),
		).toBe(
			'button.0.sections[0].product_items[0].product_retailer_id is required text; it is empty',
		);
	});

	test('carousel definitions outside 2-10 cards are refused before sending', () => {
		const carousel = (cards: number) =>
			template(
				[
					{ type: 'BODY', text: 'Hi' },
					{
						type: 'CAROUSEL',
						cards: Array.from({ length: cards }, () => ({
							components: [{ type: 'HEADER', format: 'IMAGE' }],
						})),
					},
				],
				{ category: 'MARKETING' },
			);
		const images = (n: number) =>
			Object.fromEntries(
				Array.from({ length: n }, (_, i) => [`card.${i}.header.image`, SEEDED_MEDIA_IDS.image]),
			);
		expect(() => buildTemplateContent(carousel(10), 'en_US', images(10))).not.toThrow();
		for (const n of [1, 11]) {
			expect(() => buildTemplateContent(carousel(n), 'en_US', images(n))).toThrow(
				`template.components[1].cards must have 2 to 10 cards (Meta sends exactly the approved cards); it has ${n}`,
			);
		}
	});

	test('URL suffix: prefix + suffix at most 2000 characters', () => {
		const prefix = 'https://shop.example.com/promo/'.length;
		expect(outcome('image_promo', 'button.0.url_suffix', 's'.repeat(2000 - prefix))).toBe('ok');
		expect(outcome('image_promo', 'button.0.url_suffix', 's'.repeat(2001 - prefix))).toBe(
			`button.0.url_suffix must be 1 to ${2000 - prefix} characters; it has ${2001 - prefix}`,
		);
	});

	test('body-only templates allow 32768 characters per text parameter', () => {
		expect(() =>
			buildTemplateContent(bodyOnly, 'en_US', { 'body.1': 'x'.repeat(32768) }),
		).not.toThrow();
		expect(() => buildTemplateContent(bodyOnly, 'en_US', { 'body.1': 'x'.repeat(32769) })).toThrow(
			'body.1 must be 1 to 32768 characters; it has 32769',
		);
	});

	test('a footer counts as another component (1024)', () => {
		const withFooter = template([
			{ type: 'BODY', text: 'Long {{1}}', example: { body_text: [['x']] } },
			{ type: 'FOOTER', text: 'f' },
		]);
		expect(() => buildTemplateContent(withFooter, 'en_US', { 'body.1': 'x'.repeat(1025) })).toThrow(
			/1024/,
		);
	});

	test('every missing variable is listed', () => {
		expect(() => buildTemplateContent(seed('order_update'), 'en_US', { 'body.2': 'x' })).toThrow(
			'template order_update (en_US) needs 3 more variables: header.text.1 (Header {{1}} (e.g. #1234)); body.1 (Body {{1}} (e.g. Ana)); body.3 (Body {{3}} (e.g. Monday))',
		);
	});

	test('values for variables the template does not have are refused', () => {
		expect(() =>
			buildTemplateContent(seed('payment_due'), 'en_US', {
				'body.1': 'a',
				'body.2': 'b',
				'body.3': 'c',
			}),
		).toThrow(/has no variable body.3; its variables are: body.1, body.2/);
		// Empty leftovers (e.g. from a previously chosen template) are ignored.
		expect(() =>
			buildTemplateContent(seed('payment_due'), 'en_US', {
				'body.1': 'a',
				'body.2': 'b',
				'body.3': '',
			}),
		).not.toThrow();
	});

	test('only approved templates are sent', () => {
		expect(() => buildTemplateContent(seed('old_promo'), 'en_US', {})).toThrow(
			'template old_promo (en_US) is REJECTED; only APPROVED templates can be sent',
		);
	});

	test('the field, the limit and the actual value are on the error', () => {
		try {
			buildTemplateContent(seed('order_update'), 'en_US', {
				...SEED_VALUES.order_update,
				'header.text.1': 'h'.repeat(61),
			});
			throw new PayloadError('not thrown', { field: 'x' });
		} catch (error) {
			expect(error).toMatchObject({
				field: 'header.text.1',
				limit: '1 to 60 characters',
				actual: '61 characters',
			});
		}
	});
});

describe('built payloads are accepted by the emulator', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ port: 0 });
	});
	afterAll(async () => {
		await emu.stop();
	});

	test.each(Object.keys(SEED_VALUES))('%s', async (name) => {
		const content = buildTemplateContent(seed(name), undefined, SEED_VALUES[name]);
		const response = await fetch(
			`${emu.baseUrl}/${emu.config.apiVersion}/${emu.config.phoneNumberIds[0]}/messages`,
			{
				method: 'POST',
				headers: {
					authorization: `Bearer ${emu.config.token}`,
					'content-type': 'application/json',
				},
				body: JSON.stringify({
					messaging_product: 'whatsapp',
					recipient_type: 'individual',
					to: `1555000${String(Object.keys(SEED_VALUES).indexOf(name)).padStart(4, '0')}`,
					...content,
				}),
			},
		);
		expect({ status: response.status, body: await response.json() }).toMatchObject({ status: 200 });
	});
});
