import { DateTime } from 'luxon';

import { SEED_TEMPLATES, SEEDED_MEDIA_IDS } from '../emulator/seed';
import { startEmulator } from '../emulator';
import type { Emulator } from '../emulator';
import { PayloadError } from '../../nodes/WhatsAppCloud/helpers/errors';
import { buildTemplateContent } from '../../nodes/WhatsAppCloud/helpers/template/build';
import type { ServerTemplate } from '../../nodes/WhatsAppCloud/helpers/types/template';

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
	])('%s', (_, name, id, value, expected) => {
		expect(outcome(name, id, value)).toEqual(expected);
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
