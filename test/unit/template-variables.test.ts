import { SEED_TEMPLATES } from '../emulator/seed';
import { PayloadError } from '../../nodes/WhatsAppCloud/helpers/errors';
import {
	parameterFormat,
	placeholdersOf,
	templateMapperFields,
	templateVariables,
} from '../../nodes/WhatsAppCloud/helpers/template/variables';
import type { ServerTemplate } from '../../nodes/WhatsAppCloud/helpers/types/template';

const seed = (name: string, language = 'en_US') => {
	const found = SEED_TEMPLATES.find((t) => t.name === name && t.language === language);
	if (!found) throw new PayloadError(`no seed ${name}`, { field: 'seed' });
	return found as unknown as ServerTemplate;
};

/** A multi-product button's fields: the thumbnail, then title and products of sections 1-10. */
const MPM_FIELDS = [
	'button.0.thumbnail_product_retailer_id',
	...Array.from({ length: 10 }, (_, i) => [
		`button.0.section.${i + 1}.title`,
		`button.0.section.${i + 1}.product_retailer_ids`,
	]).flat(),
];

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

describe('templateVariables: one variable per value Meta expects', () => {
	test.each([
		['hello_world', []],
		[
			'order_update',
			['header.text.1', 'body.1', 'body.2', 'body.3', 'button.0.payload', 'button.1.payload'],
		],
		['shipping_named', ['header.text.first_name', 'body.order_id', 'body.delivery_date']],
		['image_promo', ['header.image', 'body.1', 'button.0.url_suffix', 'button.1.payload']],
		['video_intro', ['header.video']],
		['invoice_ready', ['header.document', 'body.1', 'body.2', 'body.3']],
		[
			'store_location',
			[
				'header.location.latitude',
				'header.location.longitude',
				'header.location.name',
				'header.location.address',
				'body.1',
			],
		],
		['coupon_offer', ['body.1', 'body.2', 'button.0.coupon_code']],
		['signup_flow', ['button.0.flow_token', 'button.0.flow_action_data']],
		['contact_us', []],
		['auth_code', ['body.1', 'button.0.url_suffix']],
		['payment_due', ['body.1', 'body.2']],
		[
			'carousel_picks',
			[
				'body.1',
				...[0, 1].flatMap((card) => [
					`card.${card}.header.image`,
					`card.${card}.body.1`,
					`card.${card}.body.2`,
					`card.${card}.button.0.payload`,
					`card.${card}.button.1.url_suffix`,
				]),
			],
		],
		[
			'flash_sale',
			[
				'header.image',
				'offer.expiration_time',
				'body.1',
				'body.2',
				'button.0.coupon_code',
				'button.1.url_suffix',
			],
		],
		['auth_copy_code', ['body.1', 'button.0.url_suffix']],
		['auth_one_tap', ['body.1', 'button.0.url_suffix']],
		['catalog_browse', ['body.1', 'body.2', 'button.0.thumbnail_product_retailer_id']],
		['mpm_restock', ['header.text.1', 'body.1', ...MPM_FIELDS]],
	])('%s', (name, ids) => {
		expect(templateVariables(seed(name)).map((v) => v.id)).toEqual(ids);
	});

	test('required, type and example come from the definition', () => {
		const variables = templateVariables(seed('image_promo'));
		expect(variables).toEqual([
			expect.objectContaining({ id: 'header.image', required: true, type: 'string' }),
			expect.objectContaining({
				id: 'body.1',
				required: true,
				example: 'Ana',
				displayName: 'Body {{1}} (e.g. Ana)',
			}),
			expect.objectContaining({
				id: 'button.0.url_suffix',
				required: true,
				example: 'summer',
				source: { kind: 'urlSuffix', index: 0, urlPrefix: 'https://shop.example.com/promo/' },
			}),
			expect.objectContaining({ id: 'button.1.payload', required: false }),
		]);
	});

	test('named examples and the one-time code button', () => {
		expect(templateVariables(seed('shipping_named'))[1]).toMatchObject({ example: '#1234' });
		expect(templateVariables(seed('auth_code'))[1]).toMatchObject({
			example: '123456',
			displayName: expect.stringContaining('One-Time Code'),
		});
	});

	test('location parts are numbers and text; flow data is an object', () => {
		const types = Object.fromEntries(
			templateVariables(seed('store_location')).map((v) => [v.id, v.type]),
		);
		expect(types['header.location.latitude']).toBe('number');
		expect(types['header.location.address']).toBe('string');
		expect(templateVariables(seed('signup_flow'))[1].type).toBe('object');
	});

	test('button indexes count every button, including those without values', () => {
		const t = template([
			{ type: 'BODY', text: 'Hi' },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'PHONE_NUMBER', text: 'Call', phone_number: '+1555' },
					{ type: 'URL', text: 'Static', url: 'https://a.example' },
					{
						type: 'URL',
						text: 'Dynamic',
						url: 'https://a.example/{{1}}',
						example: ['https://a.example/x'],
					},
					{ type: 'COPY_CODE', example: 'ABC' },
				],
			},
		]);
		expect(templateVariables(t).map((v) => v.id)).toEqual([
			'button.2.url_suffix',
			'button.3.coupon_code',
		]);
	});

	test('catalog and multi-product buttons', () => {
		const t = template([
			{ type: 'BODY', text: 'Browse' },
			{ type: 'BUTTONS', buttons: [{ type: 'CATALOG', text: 'View' }] },
		]);
		expect(templateVariables(t)).toEqual([
			expect.objectContaining({ id: 'button.0.thumbnail_product_retailer_id', required: false }),
		]);
		const mpm = template([
			{ type: 'BODY', text: 'Browse' },
			{ type: 'BUTTONS', buttons: [{ type: 'MPM', text: 'View items' }] },
		]);
		// Sections are text fields a no-code user can fill; only section 1 is shown at first.
		expect(
			templateVariables(mpm).map((v) => [v.id, v.required, v.type, !!v.optionalField]),
		).toEqual(
			MPM_FIELDS.map((id, i) => [
				id,
				i === 0,
				'string',
				i > 2, // thumbnail and section 1 shown; sections 2-10 added when needed
			]),
		);
	});

	test('positional placeholders in number order, each once', () => {
		expect(placeholdersOf('body', 'b {{2}} a {{1}} {{2}} {{10}}', 'POSITIONAL')).toEqual([
			'1',
			'2',
			'10',
		]);
		expect(placeholdersOf('body', '{{ b_name }} {{a_name}} {{b_name}}', 'NAMED')).toEqual([
			'b_name',
			'a_name',
		]);
	});

	test('format: declared, else inferred', () => {
		expect(parameterFormat(template([{ type: 'BODY', text: 'Hi {{name}}' }]))).toBe('NAMED');
		expect(parameterFormat(template([{ type: 'BODY', text: 'Hi {{1}}' }]))).toBe('POSITIONAL');
		expect(
			parameterFormat(template([{ type: 'BODY', text: 'Hi' }], { parameter_format: 'NAMED' })),
		).toBe('NAMED');
	});

	test.each([
		[
			'a named placeholder in a positional template',
			[{ type: 'BODY', text: 'Hi {{name}}' }],
			'POSITIONAL',
		],
		['a digit in a name', [{ type: 'BODY', text: 'Hi {{name2}}' }], 'NAMED'],
		['a 21-character name', [{ type: 'BODY', text: `Hi {{${'a'.repeat(21)}}}` }], 'NAMED'],
		['an upper-case name', [{ type: 'BODY', text: 'Hi {{Name}}' }], 'NAMED'],
	] as const)('refuses %s', (_, components, format) => {
		expect(() =>
			templateVariables(template([...components], { parameter_format: format })),
		).toThrow(PayloadError);
	});

	test('a 20-character name is fine', () => {
		const name = 'a'.repeat(20);
		expect(templateVariables(template([{ type: 'BODY', text: `Hi {{${name}}}` }]))[0].id).toBe(
			`body.${name}`,
		);
	});

	test('unknown component types are refused with a clear error naming the field', () => {
		let error: unknown;
		try {
			templateVariables(
				template([
					{ type: 'BODY', text: 'Hi' },
					{ type: 'HOLOGRAM', hologram: {} },
				]),
			);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(PayloadError);
		expect(error).toMatchObject({
			field: 'template.components',
			actual: 'HOLOGRAM',
			message: expect.stringMatching(/^template\.components has a HOLOGRAM component/),
		});
	});

	test('carousel cards: media header, body and buttons per card, named for the user', () => {
		const [, header, body, , payload, url] = templateVariables(seed('carousel_picks'));
		expect(header).toMatchObject({
			id: 'card.0.header.image',
			displayName: 'Card 1 Header Image (media ID or https:// URL)',
			required: true,
			source: { kind: 'headerMedia', media: 'image', card: 0 },
		});
		expect(body).toMatchObject({
			displayName: 'Card 1 Body {{1}} (e.g. Blue Echeveria)',
			source: { kind: 'bodyText', name: '1', card: 0 },
		});
		expect(payload).toMatchObject({
			displayName: 'Card 1 Quick Reply "More like this" Payload (returned when tapped)',
			required: false,
		});
		expect(url).toMatchObject({
			displayName:
				'Card 1 URL Button "Shop" Suffix After https://shop.example.com/p/ (e.g. blue-echeveria)',
			required: true,
			source: { kind: 'urlSuffix', index: 1, urlPrefix: 'https://shop.example.com/p/', card: 0 },
		});
		expect(templateVariables(seed('carousel_picks'))[6].displayName).toBe(
			'Card 2 Header Image (media ID or https:// URL)',
		);
	});

	test('limited-time offer: the expiration is a date and time field', () => {
		expect(templateVariables(seed('flash_sale'))[1]).toEqual({
			id: 'offer.expiration_time',
			displayName: 'Offer Expires At (date and time; sent to Meta in milliseconds)',
			type: 'dateTime',
			required: true,
			source: { kind: 'offerExpiration' },
		});
		const noCountdown = template(
			[
				{ type: 'LIMITED_TIME_OFFER', limited_time_offer: { text: 'Soon', has_expiration: false } },
				{ type: 'BODY', text: 'Hi' },
			],
			{ category: 'MARKETING' },
		);
		expect(templateVariables(noCountdown)).toEqual([]);
	});

	test('authentication: one one-time password fills the body and the code button', () => {
		const [code, button] = templateVariables(seed('auth_one_tap'));
		expect(code).toMatchObject({
			id: 'body.1',
			displayName: 'One-Time Password (in the body and the "Copy code" button) (e.g. 123456)',
			required: true,
			source: { kind: 'oneTimePassword' },
		});
		expect(button).toMatchObject({
			id: 'button.0.url_suffix',
			required: false,
			optionalField: true,
			source: { kind: 'oneTimePasswordButton', index: 0 },
		});
		expect(templateMapperFields(seed('auth_one_tap')).fields[1]).toMatchObject({ removed: true });
	});

	test('lower-case component types (as some Graph versions answer) work too', () => {
		expect(
			templateVariables(template([{ type: 'body', text: 'Hi {{1}}' }])).map((v) => v.id),
		).toEqual(['body.1']);
	});
});

describe('templateMapperFields: the resource mapper schema', () => {
	test('fields in n8n resource mapper shape', () => {
		expect(templateMapperFields(seed('coupon_offer'))).toEqual({
			fields: [
				{
					id: 'body.1',
					displayName: 'Body {{1}} (e.g. SAVE20)',
					required: true,
					defaultMatch: false,
					display: true,
					type: 'string',
					canBeUsedToMatch: false,
				},
				{
					id: 'body.2',
					displayName: 'Body {{2}} (e.g. 20%)',
					required: true,
					defaultMatch: false,
					display: true,
					type: 'string',
					canBeUsedToMatch: false,
				},
				{
					id: 'button.0.coupon_code',
					displayName: 'Coupon Code (copy code button) (e.g. SAVE20)',
					required: true,
					defaultMatch: false,
					display: true,
					type: 'string',
					canBeUsedToMatch: false,
				},
			],
		});
	});

	test('no variables → no fields', () => {
		expect(templateMapperFields(seed('hello_world'))).toEqual({ fields: [] });
	});
});
