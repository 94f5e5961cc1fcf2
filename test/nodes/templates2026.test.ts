/**
 * Every template kind through n8n-core against the emulator: created from the Create operation's
 * fields, its variables read from the resource mapper (getTemplateVariables), sent with them, and
 * the exact JSON the emulator received checked. Then each limit's refusal, Edit, List/Get, and the
 * Marketing Messages API route with its fallback.
 */
import type { INodeParameters, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import type { Emulator } from '../emulator';
import { PHONE_NUMBER_IDS, SEEDED_MEDIA_IDS, startEmulator } from '../emulator';
import { callLoadOptions, runNode, emulatorCredentials } from './harness';
import { carouselCardSend } from '../support/templateSends';

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => {
	emu.reset();
});

const credentials = () => emulatorCredentials(emu);

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const RECIPIENT = '16505551234';
const HANDLE = '4::aW1hZ2UvanBlZw==:ARZsample';
const [ONBOARDED, , NOT_ONBOARDED] = PHONE_NUMBER_IDS;
const text = (t: string) => ({ type: 'text', text: t });
const language = { code: 'en_US', policy: 'deterministic' };
const envelope = {
	messaging_product: 'whatsapp',
	recipient_type: 'individual',
	to: RECIPIENT,
	type: 'template',
};

/** Description of a failed item: "Field: …; limit: …; actual: … (item N)". */
const descriptionOf = (error: unknown) => String((error as { description?: string }).description);

async function createTemplate(parameters: INodeParameters) {
	return await runNode({
		node: new WhatsAppCloud(),
		parameters: {
			resource: 'template',
			operation: 'create',
			templateLanguage: 'en_US',
			componentsFrom: 'fields',
			...parameters,
		},
		credentials: credentials(),
	});
}

async function templateOp(operation: string, parameters: INodeParameters) {
	return await runNode({
		node: new WhatsAppCloud(),
		parameters: { resource: 'template', operation, ...parameters },
		credentials: credentials(),
	});
}

/** The resource mapper's fields for a template, as the editor loads them. */
async function mapperFields(name: string): Promise<ResourceMapperField[]> {
	const result = (await callLoadOptions({
		node: new WhatsAppCloud(),
		kind: 'resourceMapping',
		method: 'getTemplateVariables',
		credentials: credentials(),
		parameters: {
			resource: 'message',
			operation: 'sendTemplate',
			template: rl('list', `${name}|en_US`),
			templateLanguage: '',
		},
	})) as ResourceMapperFields;
	expect(result.emptyFieldsNotice).toBeUndefined();
	return result.fields;
}

/**
 * The mapper's value as the editor saves it once the user filled `values`: the fields' schema
 * (with their types, so n8n converts dates and numbers), extra fields added only when filled.
 */
function mapperValue(fields: ResourceMapperField[], values: Record<string, unknown>) {
	for (const id of Object.keys(values)) expect(fields.map((f) => f.id)).toContain(id); // only what the mapper offers
	return {
		mappingMode: 'defineBelow',
		value: Object.fromEntries(fields.map((f) => [f.id, values[f.id] ?? null])),
		matchingColumns: [],
		schema: fields.map((f) => ({ ...f, removed: f.removed === true && !(f.id in values) })),
		attemptToConvertTypes: false,
		convertFieldsToString: true,
	};
}

async function sendTemplate(
	name: string,
	values: Record<string, unknown>,
	options: { messageOptions?: INodeParameters; phoneNumberId?: string; items?: number } = {},
) {
	const fields = await mapperFields(name);
	return await runNode({
		node: new WhatsAppCloud(),
		parameters: {
			resource: 'message',
			operation: 'sendTemplate',
			phoneNumberId: rl('id', options.phoneNumberId ?? ONBOARDED),
			recipient: `+${RECIPIENT}`,
			template: rl('list', `${name}|en_US`),
			templateLanguage: '',
			templateVariables: mapperValue(fields, values) as unknown as INodeParameters,
			messageOptions: options.messageOptions ?? {},
		},
		items: Array.from({ length: options.items ?? 1 }, (_, i) => ({ json: { i } })),
		credentials: credentials(),
	});
}

/** The last creation body the emulator accepted. */
const lastSubmission = () => emu.templates.submissions().at(-1)?.body as Record<string, unknown>;

// ── Creation parameters of each kind, as a user fills the Create operation's fields ──────────────

const carouselCard = (product: string, price: string, slug: string) => ({
	headerFormat: 'IMAGE',
	headerHandle: HANDLE,
	bodyText: '{{1}}, now {{2}}.',
	bodyExamples: `${product}\n${price}`,
	button1Type: 'QUICK_REPLY',
	button1Text: 'More like this',
	button2Type: 'URL',
	button2Text: 'Shop',
	button2Url: 'https://shop.example.com/p/{{1}}',
	button2UrlExample: `https://shop.example.com/p/${slug}`,
});

const CAROUSEL: INodeParameters = {
	templateName: 'weekly_picks',
	category: 'MARKETING',
	templateKind: 'carousel',
	bodyText: 'Hi {{1}}, our picks this week:',
	bodyExamples: { example: [{ placeholder: '1', value: 'Ana' }] },
	cards: {
		card: [
			carouselCard('Aloe Vera', '$9', 'aloe-vera'),
			carouselCard('Jade Plant', '$14', 'jade-plant'),
		],
	},
};

const OFFER: INodeParameters = {
	templateName: 'spring_offer',
	category: 'MARKETING',
	templateKind: 'limitedTimeOffer',
	headerFormat: 'IMAGE',
	headerHandle: HANDLE,
	offerText: 'Ends soon!',
	offerHasExpiration: true,
	bodyText: 'Hi {{1}}, use {{2}} for 30% off.',
	bodyExamples: {
		example: [
			{ placeholder: '1', value: 'Ana' },
			{ placeholder: '2', value: 'SPRING30' },
		],
	},
	offerCouponExample: 'SPRING30',
	offerUrlText: 'Shop now',
	offerUrl: 'https://shop.example.com/sale/{{1}}',
	offerUrlExample: 'https://shop.example.com/sale/SPRING30',
};

const COUPON: INodeParameters = {
	templateName: 'welcome_coupon',
	category: 'MARKETING',
	templateKind: 'standard',
	headerFormat: 'none',
	bodyText: 'Welcome {{1}}! Here is 10% off your first order.',
	bodyExamples: { example: [{ placeholder: '1', value: 'Ana' }] },
	buttons: { button: [{ type: 'COPY_CODE', couponExample: 'HELLO10' }] },
};

const APP = { packageName: 'com.example.shop', signatureHash: 'K8a/AINcGX7' };
const authentication = (otp: 'COPY_CODE' | 'ONE_TAP' | 'ZERO_TAP'): INodeParameters => ({
	templateName: `login_${otp.toLowerCase()}`,
	category: 'AUTHENTICATION',
	templateKind: 'authentication',
	authSecurityRecommendation: true,
	authCodeExpirationMinutes: 5,
	authOtpType: otp,
	authButtonText: 'Copy code',
	...(otp === 'COPY_CODE'
		? {}
		: {
				authAutofillText: 'Autofill',
				authApps: { app: [APP] },
				authZeroTapTermsAccepted: otp === 'ZERO_TAP',
			}),
	templateOptions: { messageSendTtlSeconds: 300 },
});

const CATALOG: INodeParameters = {
	templateName: 'browse_catalog',
	category: 'MARKETING',
	templateKind: 'catalog',
	bodyText: 'Everything we grow, {{1}}: order on WhatsApp.',
	bodyExamples: { example: [{ placeholder: '1', value: 'Ana' }] },
	footerText: 'Free delivery over $30',
	catalogButtonText: 'View catalog',
};

const MULTI_PRODUCT: INodeParameters = {
	templateName: 'back_in_stock',
	category: 'MARKETING',
	templateKind: 'multiProduct',
	headerFormat: 'TEXT',
	headerText: 'Back for {{1}}',
	headerExample: 'Ana',
	bodyText: 'The plants you wanted are back until {{1}}.',
	bodyExamples: { example: [{ placeholder: '1', value: 'Friday' }] },
	footerText: 'Reply STOP to opt out',
	mpmButtonText: 'View items',
};

describe('every kind: created from fields, sent with the mapper’s variables', () => {
	test('carousel', async () => {
		const created = await createTemplate(CAROUSEL);
		expect(created.error).toBeUndefined();
		expect(created.outputs[0][0].json).toMatchObject({
			name: 'weekly_picks',
			category: 'MARKETING',
			status: 'APPROVED',
			parameter_format: 'POSITIONAL',
		});
		const card = (product: string, price: string, slug: string) => ({
			components: [
				{ type: 'HEADER', format: 'IMAGE', example: { header_handle: [HANDLE] } },
				{ type: 'BODY', text: '{{1}}, now {{2}}.', example: { body_text: [[product, price]] } },
				{
					type: 'BUTTONS',
					buttons: [
						{ type: 'QUICK_REPLY', text: 'More like this' },
						{
							type: 'URL',
							text: 'Shop',
							url: 'https://shop.example.com/p/{{1}}',
							example: [`https://shop.example.com/p/${slug}`],
						},
					],
				},
			],
		});
		expect(lastSubmission()).toEqual({
			name: 'weekly_picks',
			language: 'en_US',
			category: 'MARKETING',
			parameter_format: 'POSITIONAL',
			components: [
				{ type: 'BODY', text: 'Hi {{1}}, our picks this week:', example: { body_text: [['Ana']] } },
				{
					type: 'CAROUSEL',
					cards: [card('Aloe Vera', '$9', 'aloe-vera'), card('Jade Plant', '$14', 'jade-plant')],
				},
			],
		});

		const fields = await mapperFields('weekly_picks');
		expect(fields.map((f) => [f.id, f.displayName, f.required])).toEqual([
			['body.1', 'Body {{1}} (e.g. Ana)', true],
			...[0, 1].flatMap((c) => {
				const [product, price, slug] =
					c === 0 ? ['Aloe Vera', '$9', 'aloe-vera'] : ['Jade Plant', '$14', 'jade-plant'];
				return [
					[`card.${c}.header.image`, `Card ${c + 1} Header Image (media ID or https:// URL)`, true],
					[`card.${c}.body.1`, `Card ${c + 1} Body {{1}} (e.g. ${product})`, true],
					[`card.${c}.body.2`, `Card ${c + 1} Body {{2}} (e.g. ${price})`, true],
					[
						`card.${c}.button.0.payload`,
						`Card ${c + 1} Quick Reply "More like this" Payload (returned when tapped)`,
						false,
					],
					[
						`card.${c}.button.1.url_suffix`,
						`Card ${c + 1} URL Button "Shop" Suffix After https://shop.example.com/p/ (e.g. ${slug})`,
						true,
					],
				];
			}),
		]);

		const sent = await sendTemplate('weekly_picks', {
			'body.1': 'Ana',
			'card.0.header.image': SEEDED_MEDIA_IDS.image,
			'card.0.body.1': 'Aloe Vera',
			'card.0.body.2': '$9',
			'card.0.button.0.payload': 'MORE_ALOE',
			'card.0.button.1.url_suffix': 'aloe-vera',
			'card.1.header.image': 'https://cdn.example.com/jade.jpg',
			'card.1.body.1': 'Jade Plant',
			'card.1.body.2': '$14',
			'card.1.button.1.url_suffix': 'jade-plant',
		});
		expect(sent.error).toBeUndefined();
		expect(emu.messages()[0].body).toEqual({
			...envelope,
			template: {
				name: 'weekly_picks',
				language,
				components: [
					{ type: 'body', parameters: [text('Ana')] },
					{
						type: 'carousel',
						cards: [
							carouselCardSend(0, {
								image: { id: SEEDED_MEDIA_IDS.image },
								body: ['Aloe Vera', '$9'],
								payload: 'MORE_ALOE',
								urlSuffix: 'aloe-vera',
							}),
							carouselCardSend(1, {
								image: { link: 'https://cdn.example.com/jade.jpg' },
								body: ['Jade Plant', '$14'],
								urlSuffix: 'jade-plant',
							}),
						],
					},
				],
			},
		});
		expect(sent.outputs[0][0].json).toMatchObject({
			messageId: emu.messages()[0].wamid,
			templateName: 'weekly_picks',
			route: 'cloud_api',
		});
	});

	test('limited-time offer: the expiry from the date field, in milliseconds', async () => {
		expect((await createTemplate(OFFER)).error).toBeUndefined();
		expect((lastSubmission().components as unknown[]).slice(0, 2)).toEqual([
			{ type: 'HEADER', format: 'IMAGE', example: { header_handle: [HANDLE] } },
			{
				type: 'LIMITED_TIME_OFFER',
				limited_time_offer: { text: 'Ends soon!', has_expiration: true },
			},
		]);
		const fields = await mapperFields('spring_offer');
		expect(fields.find((f) => f.id === 'offer.expiration_time')).toMatchObject({
			type: 'dateTime',
			required: true,
			displayName: 'Offer Expires At (date and time; sent to Meta in milliseconds)',
		});
		const expires = '2031-05-01T18:00:00.000Z';
		const sent = await sendTemplate('spring_offer', {
			'header.image': SEEDED_MEDIA_IDS.image,
			'offer.expiration_time': expires,
			'body.1': 'Ana',
			'body.2': 'SPRING30',
			'button.0.coupon_code': 'SPRING30',
			'button.1.url_suffix': 'SPRING30',
		});
		expect(sent.error).toBeUndefined();
		expect(emu.messages()[0].body.template).toEqual({
			name: 'spring_offer',
			language,
			components: [
				{ type: 'header', parameters: [{ type: 'image', image: { id: SEEDED_MEDIA_IDS.image } }] },
				{
					type: 'limited_time_offer',
					parameters: [
						{
							type: 'limited_time_offer',
							limited_time_offer: { expiration_time_ms: Date.parse(expires) },
						},
					],
				},
				{ type: 'body', parameters: [text('Ana'), text('SPRING30')] },
				{
					type: 'button',
					sub_type: 'copy_code',
					index: '0',
					parameters: [{ type: 'coupon_code', coupon_code: 'SPRING30' }],
				},
				{ type: 'button', sub_type: 'url', index: '1', parameters: [text('SPRING30')] },
			],
		});
	});

	test('coupon: a standard template with a copy code button', async () => {
		expect((await createTemplate(COUPON)).error).toBeUndefined();
		expect(lastSubmission().components).toEqual([
			{
				type: 'BODY',
				text: 'Welcome {{1}}! Here is 10% off your first order.',
				example: { body_text: [['Ana']] },
			},
			{ type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'HELLO10' }] },
		]);
		const fields = await mapperFields('welcome_coupon');
		expect(fields.map((f) => f.displayName)).toEqual([
			'Body {{1}} (e.g. Ana)',
			'Coupon Code (copy code button) (e.g. HELLO10)',
		]);
		const sent = await sendTemplate('welcome_coupon', {
			'body.1': 'Ana',
			'button.0.coupon_code': 'HELLO10',
		});
		expect(sent.error).toBeUndefined();
		expect(emu.messages()[0].body.template).toEqual({
			name: 'welcome_coupon',
			language,
			components: [
				{ type: 'body', parameters: [text('Ana')] },
				{
					type: 'button',
					sub_type: 'copy_code',
					index: '0',
					parameters: [{ type: 'coupon_code', coupon_code: 'HELLO10' }],
				},
			],
		});
	});

	test.each(['COPY_CODE', 'ONE_TAP', 'ZERO_TAP'] as const)(
		'authentication, %s: one one-time password fills the body and the button',
		async (otp) => {
			const created = await createTemplate(authentication(otp));
			expect(created.error).toBeUndefined();
			expect(created.outputs[0][0].json).toMatchObject({
				category: 'AUTHENTICATION',
				message_send_ttl_seconds: 300,
			});
			const button =
				otp === 'COPY_CODE'
					? { type: 'OTP', otp_type: otp, text: 'Copy code' }
					: {
							type: 'OTP',
							otp_type: otp,
							text: 'Copy code',
							autofill_text: 'Autofill',
							supported_apps: [{ package_name: 'com.example.shop', signature_hash: 'K8a/AINcGX7' }],
							...(otp === 'ZERO_TAP' ? { zero_tap_terms_accepted: true } : {}),
						};
			expect(lastSubmission()).toEqual({
				name: `login_${otp.toLowerCase()}`,
				language: 'en_US',
				category: 'AUTHENTICATION',
				parameter_format: 'POSITIONAL',
				message_send_ttl_seconds: 300,
				components: [
					{ type: 'BODY', add_security_recommendation: true },
					{ type: 'FOOTER', code_expiration_minutes: 5 },
					{ type: 'BUTTONS', buttons: [button] },
				],
			});

			const name = `login_${otp.toLowerCase()}`;
			const fields = await mapperFields(name);
			expect(fields.map((f) => [f.id, f.displayName, f.required, f.removed === true])).toEqual([
				[
					'body.1',
					'One-Time Password (in the body and the "Copy code" button) (e.g. 123456)',
					true,
					false,
				],
				[
					'button.0.url_suffix',
					'One-Time Code in the Button "Copy code" (leave out: the one-time password) (e.g. 123456)',
					false,
					true,
				],
			]);
			const sent = await sendTemplate(name, { 'body.1': '482913' });
			expect(sent.error).toBeUndefined();
			expect(emu.messages()[0].body.template).toEqual({
				name,
				language,
				components: [
					{ type: 'body', parameters: [text('482913')] },
					{ type: 'button', sub_type: 'url', index: '0', parameters: [text('482913')] },
				],
			});
		},
	);

	test('catalog: the thumbnail product', async () => {
		expect((await createTemplate(CATALOG)).error).toBeUndefined();
		expect(lastSubmission().components).toEqual([
			{
				type: 'BODY',
				text: 'Everything we grow, {{1}}: order on WhatsApp.',
				example: { body_text: [['Ana']] },
			},
			{ type: 'FOOTER', text: 'Free delivery over $30' },
			{ type: 'BUTTONS', buttons: [{ type: 'CATALOG', text: 'View catalog' }] },
		]);
		const fields = await mapperFields('browse_catalog');
		expect(fields[1]).toMatchObject({
			id: 'button.0.thumbnail_product_retailer_id',
			displayName:
				'Catalog Button "View catalog": Thumbnail Product (retailer ID; empty: the first product)',
			required: false,
		});
		const sent = await sendTemplate('browse_catalog', {
			'body.1': 'Ana',
			'button.0.thumbnail_product_retailer_id': 'SKU-ALOE',
		});
		expect(sent.error).toBeUndefined();
		expect(emu.messages()[0].body.template).toEqual({
			name: 'browse_catalog',
			language,
			components: [
				{ type: 'body', parameters: [text('Ana')] },
				{
					type: 'button',
					sub_type: 'catalog',
					index: '0',
					parameters: [{ type: 'action', action: { thumbnail_product_retailer_id: 'SKU-ALOE' } }],
				},
			],
		});
	});

	test('multi-product: sections and products from the section fields', async () => {
		expect((await createTemplate(MULTI_PRODUCT)).error).toBeUndefined();
		expect(lastSubmission().components).toEqual([
			{ type: 'HEADER', format: 'TEXT', text: 'Back for {{1}}', example: { header_text: ['Ana'] } },
			{
				type: 'BODY',
				text: 'The plants you wanted are back until {{1}}.',
				example: { body_text: [['Friday']] },
			},
			{ type: 'FOOTER', text: 'Reply STOP to opt out' },
			{ type: 'BUTTONS', buttons: [{ type: 'MPM', text: 'View items' }] },
		]);
		const fields = await mapperFields('back_in_stock');
		// Section 1 shows at first; sections 2-10 are added when needed.
		expect(fields.filter((f) => !f.removed).map((f) => f.displayName)).toEqual([
			'Header {{1}} (e.g. Ana)',
			'Body {{1}} (e.g. Friday)',
			'Multi-Product Button "View items": Thumbnail Product (retailer ID)',
			'Section 1 Title (up to 24 characters; needed with 2+ sections)',
			'Section 1 Products (retailer IDs, comma-separated)',
		]);
		expect(fields.filter((f) => f.removed)).toHaveLength(18);
		const sent = await sendTemplate('back_in_stock', {
			'header.text.1': 'Ana',
			'body.1': 'Friday',
			'button.0.thumbnail_product_retailer_id': 'SKU-ALOE',
			'button.0.section.1.title': 'Succulents',
			'button.0.section.1.product_retailer_ids': 'SKU-ALOE, SKU-JADE',
			'button.0.section.2.title': 'Cacti',
			'button.0.section.2.product_retailer_ids': 'SKU-SAGUARO',
		});
		expect(sent.error).toBeUndefined();
		expect(emu.messages()[0].body.template).toEqual({
			name: 'back_in_stock',
			language,
			components: [
				{ type: 'header', parameters: [text('Ana')] },
				{ type: 'body', parameters: [text('Friday')] },
				{
					type: 'button',
					sub_type: 'mpm',
					index: '0',
					parameters: [
						{
							type: 'action',
							action: {
								thumbnail_product_retailer_id: 'SKU-ALOE',
								sections: [
									{
										title: 'Succulents',
										product_items: [
											{ product_retailer_id: 'SKU-ALOE' },
											{ product_retailer_id: 'SKU-JADE' },
										],
									},
									{ title: 'Cacti', product_items: [{ product_retailer_id: 'SKU-SAGUARO' }] },
								],
							},
						},
					],
				},
			],
		});
	});
});

describe('each limit refused before anything reaches Meta, naming the field and the item', () => {
	const posts = () => emu.requests().filter((r) => r.method === 'POST');

	test.each([
		[
			'one card',
			{ ...CAROUSEL, cards: { card: [carouselCard('A', '$1', 'a')] } },
			'carousel.cards must be 2 to 10 cards; there are 1',
		],
		[
			'eleven cards',
			{
				...CAROUSEL,
				cards: { card: Array.from({ length: 11 }, () => carouselCard('A', '$1', 'a')) },
			},
			'carousel.cards must be 2 to 10 cards; there are 11',
		],
		[
			'cards of different shapes',
			{
				...CAROUSEL,
				cards: {
					card: [
						carouselCard('A', '$1', 'a'),
						{ ...carouselCard('B', '$2', 'b'), button2Type: 'none' },
					],
				},
			},
			'carousel.cards[1] must have the same components and button types, in the same order, as card 0 (Meta requires identical cards)',
		],
		[
			'a card body of 161',
			{
				...CAROUSEL,
				cards: {
					card: [
						carouselCard('A', '$1', 'a'),
						{ ...carouselCard('B', '$2', 'b'), bodyText: 'b'.repeat(161), bodyExamples: '' },
					],
				},
			},
			'carousel.cards[1].body.text must be 1 to 160 characters; it has 161',
		],
		[
			'an offer text of 17',
			{ ...OFFER, offerText: 'o'.repeat(17) },
			'limited_time_offer.text must be 1 to 16 characters; it has 17',
		],
		[
			'an expiring offer without a coupon code',
			{ ...OFFER, offerCouponExample: '' },
			'buttons[0] must be a COPY_CODE button when the offer has an expiration (the code is copied before it runs out)',
		],
		[
			'a coupon example of 16',
			{ ...COUPON, buttons: { button: [{ type: 'COPY_CODE', couponExample: 'C'.repeat(16) }] } },
			'buttons[0].example must be 1 to 15 characters; it has 16',
		],
		[
			'eleven buttons',
			{
				...COUPON,
				buttons: {
					button: Array.from({ length: 11 }, (_, i) => ({ type: 'QUICK_REPLY', text: `B${i}` })),
				},
			},
			'buttons must be at most 10; there are 11',
		],
		[
			'six Android apps',
			{ ...authentication('ONE_TAP'), authApps: { app: Array(6).fill(APP) } },
			'buttons[0].supported_apps must list 1 to 5 Android apps (package name and signature hash) for ONE_TAP buttons; it has 6',
		],
		[
			'zero-tap without its terms',
			{ ...authentication('ZERO_TAP'), authZeroTapTermsAccepted: false },
			"buttons[0].zero_tap_terms_accepted must be true: zero-tap needs you to accept Meta's zero-tap terms",
		],
		[
			'a code expiry of 91 minutes',
			{ ...authentication('COPY_CODE'), authCodeExpirationMinutes: 91 },
			'footer.code_expiration_minutes must be a whole number from 1 to 90; it is 91',
		],
		[
			'an authentication time-to-live of 901 s',
			{ ...authentication('COPY_CODE'), templateOptions: { messageSendTtlSeconds: 901 } },
			'message_send_ttl_seconds must be a whole number of seconds from 30 to 900 for AUTHENTICATION templates; it is 901',
		],
		[
			'a catalog label of 26',
			{ ...CATALOG, catalogButtonText: 'c'.repeat(26) },
			'buttons[0].text must be 1 to 25 characters; it has 26',
		],
		[
			'a multi-product template without a text header',
			{ ...MULTI_PRODUCT, headerFormat: 'none' },
			'header of a multi-product template must be a TEXT header',
		],
		[
			'a UTILITY carousel',
			{ ...CAROUSEL, category: 'UTILITY' },
			'carousel is allowed only in MARKETING templates; this one is UTILITY',
		],
	])('create: %s', async (_, parameters, message) => {
		const result = await createTemplate(parameters as INodeParameters);
		expect(result.error?.message).toBe(message);
		expect(descriptionOf(result.error)).toMatch(/^Field: \S+; limit: .+ \(item 0\)$/);
		expect(posts()).toHaveLength(0);
	});

	test('create: the kind and the category must agree', async () => {
		const result = await createTemplate({ ...authentication('COPY_CODE'), category: 'UTILITY' });
		expect(result.error?.message).toBe(
			'Template Kind "Authentication" needs Category "Authentication" (it is UTILITY)',
		);
		const other = await createTemplate({ ...COUPON, category: 'AUTHENTICATION' });
		expect(other.error?.message).toBe(
			'Category "Authentication" needs Template Kind "Authentication"',
		);
		expect(posts()).toHaveLength(0);
	});

	const offerValues = {
		'header.image': SEEDED_MEDIA_IDS.image,
		'offer.expiration_time': '2031-05-01T18:00:00.000Z',
		'body.1': 'Ana',
		'body.2': 'PLANTS25',
		'button.0.coupon_code': 'PLANTS25',
		'button.1.url_suffix': 'PLANTS25',
	};
	const mpmValues = {
		'header.text.1': 'Ana',
		'body.1': 'Friday',
		'button.0.thumbnail_product_retailer_id': 'SKU-1',
	};

	test.each([
		[
			'a one-time password of 16',
			'auth_copy_code',
			{ 'body.1': '1234567890123456' },
			'body.1 must be 1 to 15 characters; it has 16',
		],
		[
			'a different code in the button',
			'auth_one_tap',
			{ 'body.1': '123456', 'button.0.url_suffix': '654321' },
			'button.0.url_suffix must be the same as the one-time password in the body (or left out)',
		],
		[
			'a coupon code of 16',
			'flash_sale',
			{ ...offerValues, 'button.0.coupon_code': 'C'.repeat(16) },
			'button.0.coupon_code must be 1 to 15 characters; it has 16',
		],
		[
			'an offer expiry in the past',
			'flash_sale',
			{ ...offerValues, 'offer.expiration_time': '2020-01-01T00:00:00.000Z' },
			'offer.expiration_time must be in the future; it is 2020-01-01T00:00:00.000Z',
		],
		[
			'a card body value of 161',
			'carousel_picks',
			{
				'body.1': 'Ana',
				'card.0.header.image': SEEDED_MEDIA_IDS.image,
				'card.0.body.1': 'x'.repeat(161),
				'card.0.body.2': '$1',
				'card.0.button.1.url_suffix': 'a',
				'card.1.header.image': SEEDED_MEDIA_IDS.image,
				'card.1.body.1': 'B',
				'card.1.body.2': '$2',
				'card.1.button.1.url_suffix': 'b',
			},
			'card.0.body.1 must be 1 to 160 characters; it has 161',
		],
		[
			'31 products',
			'mpm_restock',
			{
				...mpmValues,
				'button.0.section.1.title': 'A',
				'button.0.section.1.product_retailer_ids': Array.from(
					{ length: 16 },
					(_, i) => `A${i}`,
				).join(','),
				'button.0.section.2.title': 'B',
				'button.0.section.2.product_retailer_ids': Array.from(
					{ length: 15 },
					(_, i) => `B${i}`,
				).join(','),
			},
			'button.0.sections must list at most 30 products in all sections together; they list 31',
		],
		[
			'two sections, one without a title',
			'mpm_restock',
			{
				...mpmValues,
				'button.0.section.1.product_retailer_ids': 'A1',
				'button.0.section.2.title': 'B',
				'button.0.section.2.product_retailer_ids': 'B1',
			},
			'button.0.section.1.title is required when there is more than one section (there are 2)',
		],
		[
			'a section title of 25',
			'mpm_restock',
			{
				...mpmValues,
				'button.0.section.1.title': 't'.repeat(25),
				'button.0.section.1.product_retailer_ids': 'A1',
			},
			'button.0.section.1.title must be 1 to 24 characters; it has 25',
		],
		[
			'no section at all',
			'mpm_restock',
			mpmValues,
			'button.0.section.1.product_retailer_ids is required: a multi-product message shows at least one section of products',
		],
	])('send: %s', async (_, name, values, message) => {
		const result = await sendTemplate(name, values);
		expect(result.error?.message).toBe(message);
		expect(descriptionOf(result.error)).toMatch(/^Field: \S+; limit: .+ \(item 0\)\n/);
		expect(emu.messages()).toHaveLength(0);
	});

	test('send: eleven sections (JSON through an expression) are refused', async () => {
		const sections = Array.from({ length: 11 }, (_, i) => ({
			title: `S${i}`,
			product_items: [{ product_retailer_id: `SKU-${i}` }],
		}));
		// `button.N.sections` is not a mapper field; it is accepted where variables are given as JSON.
		const result = await runNode({
			node: new WhatsAppCloud(),
			parameters: {
				resource: 'message',
				operation: 'sendText',
				phoneNumberId: rl('id', ONBOARDED),
				recipient: `+${RECIPIENT}`,
				textBody: 'hi',
				messageOptions: {
					fallbackTemplate: {
						template: {
							name: 'mpm_restock',
							language: 'en_US',
							variables: JSON.stringify({ ...mpmValues, 'button.0.sections': sections }),
						},
					},
				},
			},
			credentials: credentials(),
		});
		expect(result.error?.message).toBe(
			'button.0.sections must have at most 10 sections; it has 11',
		);
		expect(emu.messages()).toHaveLength(0);
	});
});

describe('Template → Edit', () => {
	test('new components from fields for an approved template; Meta’s 1-per-24-hours limit explained', async () => {
		expect((await createTemplate(COUPON)).error).toBeUndefined();
		const id = String(lastSubmission() && emu.templates.submissions().at(-1)?.id);
		const edit = (bodyText: string) =>
			templateOp('edit', {
				editBy: 'id',
				templateId: id,
				newCategory: 'keep',
				componentsFrom: 'fields',
				templateKind: 'standard',
				headerFormat: 'none',
				bodyText,
				bodyExamples: { example: [{ placeholder: '1', value: 'Ana' }] },
				buttons: { button: [{ type: 'COPY_CODE', couponExample: 'HELLO15' }] },
				editOptions: {},
			});
		const first = await edit('Welcome {{1}}! Here is 15% off your first order.');
		expect(first.error).toBeUndefined();
		expect(first.outputs[0][0].json).toEqual({
			success: true,
			id,
			name: 'welcome_coupon',
			language: 'en_US',
			category: 'MARKETING',
			edited: ['components', 'parameter_format'],
		});
		expect(emu.templates.submissions().at(-1)).toMatchObject({
			kind: 'edit',
			id,
			body: {
				parameter_format: 'POSITIONAL',
				components: [
					{
						type: 'BODY',
						text: 'Welcome {{1}}! Here is 15% off your first order.',
						example: { body_text: [['Ana']] },
					},
					{ type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'HELLO15' }] },
				],
			},
		});
		const got = await templateOp('get', { getBy: 'id', templateId: id });
		expect((got.outputs[0][0].json.components as Array<{ text?: string }>)[0].text).toBe(
			'Welcome {{1}}! Here is 15% off your first order.',
		);

		const second = await edit('Welcome {{1}}! Here is 20% off.');
		expect(second.error?.message).toContain('1 time per 24 hours');
		expect(descriptionOf(second.error)).toContain(
			'Meta allows an APPROVED template 1 edit per 24 hours and 10 per 30 days',
		);
		emu.templates.advanceClock(25 * 3_600_000);
		expect((await edit('Welcome {{1}}! Here is 20% off.')).error).toBeUndefined();
	});

	test('the category of an APPROVED template cannot change; a REJECTED one can, with components', async () => {
		const approved = await templateOp('edit', {
			editBy: 'name',
			templateName: 'payment_due',
			templateLanguage: 'en_US',
			newCategory: 'MARKETING',
			componentsFrom: 'keep',
			editOptions: {},
		});
		expect(approved.error?.message).toBe(
			'category of an APPROVED template cannot change (payment_due is UTILITY); create a new template instead',
		);
		expect(emu.requests().filter((r) => r.method === 'POST')).toHaveLength(0);

		const rejected = await templateOp('edit', {
			editBy: 'name',
			templateName: 'old_promo',
			templateLanguage: 'en_US',
			newCategory: 'UTILITY',
			componentsFrom: 'json',
			componentsJson: JSON.stringify([{ type: 'BODY', text: 'Your account was updated.' }]),
			editOptions: {},
		});
		expect(rejected.error).toBeUndefined();
		expect(rejected.outputs[0][0].json).toMatchObject({
			category: 'UTILITY',
			edited: ['components', 'parameter_format', 'category'],
		});
	});

	test('time-to-live only; nothing to change; a template that cannot be edited', async () => {
		const ttl = await templateOp('edit', {
			editBy: 'name',
			templateName: 'auth_copy_code',
			templateLanguage: 'en_US',
			newCategory: 'keep',
			componentsFrom: 'keep',
			editOptions: { messageSendTtlSeconds: 120 },
		});
		expect(ttl.error).toBeUndefined();
		expect(emu.templates.submissions().at(-1)?.body).toEqual({ message_send_ttl_seconds: 120 });
		const tooLong = await templateOp('edit', {
			editBy: 'name',
			templateName: 'payment_due',
			templateLanguage: 'en_US',
			newCategory: 'keep',
			componentsFrom: 'keep',
			editOptions: { messageSendTtlSeconds: 50_000 },
		});
		expect(tooLong.error?.message).toBe(
			'message_send_ttl_seconds must be a whole number of seconds from 30 to 43200 for UTILITY templates; it is 50000',
		);
		const nothing = await templateOp('edit', {
			editBy: 'id',
			templateId: '1209876543210013',
			newCategory: 'keep',
			componentsFrom: 'keep',
			editOptions: {},
		});
		expect(nothing.error?.message).toBe(
			'template edit has nothing to change: give new components, a new category or a time-to-live',
		);
	});
});

describe('Template → List and Get: the new components as Graph returns them', () => {
	test('carousel cards, the offer, the authentication button and time-to-live', async () => {
		const carousel = await templateOp('get', {
			getBy: 'name',
			templateName: 'carousel_picks',
			templateLanguage: 'en_US',
		});
		expect(carousel.outputs[0][0].json.components).toEqual([
			expect.objectContaining({ type: 'BODY' }),
			{
				type: 'CAROUSEL',
				cards: [
					{
						components: expect.arrayContaining([
							expect.objectContaining({ type: 'HEADER', format: 'IMAGE' }),
						]),
					},
					{ components: expect.arrayContaining([expect.objectContaining({ type: 'BUTTONS' })]) },
				],
			},
		]);
		const listed = await templateOp('list', {
			returnAll: true,
			filters: { category: ['AUTHENTICATION'], name: 'auth_one' },
		});
		expect(listed.outputs[0].map((i) => i.json)).toEqual([
			expect.objectContaining({
				name: 'auth_one_tap',
				message_send_ttl_seconds: 600,
				components: expect.arrayContaining([
					{
						type: 'BUTTONS',
						buttons: [
							expect.objectContaining({
								type: 'URL',
								url: expect.stringContaining('otp_type=ONE_TAP'),
							}),
						],
					},
				]),
			}),
		]);
		const offer = await templateOp('get', { getBy: 'id', templateId: '1209876543210016' });
		expect(offer.outputs[0][0].json.components).toContainEqual({
			type: 'LIMITED_TIME_OFFER',
			limited_time_offer: { text: 'Expiring offer!', has_expiration: true },
		});
	});
});

describe('Send marketing templates through the Marketing Messages API', () => {
	const promo = {
		'header.image': SEEDED_MEDIA_IDS.image,
		'body.1': 'Ana',
		'button.0.url_suffix': 'summer',
	};
	const mmRequests = () => emu.requests().filter((r) => r.path.endsWith('/marketing_messages'));

	test('onboarded number: sent there with STRICT; the output says the route', async () => {
		const sent = await sendTemplate('image_promo', promo, {
			messageOptions: { marketingMessagesApi: 'whenOnboarded' },
		});
		expect(sent.error).toBeUndefined();
		const [message] = emu.messages();
		expect(message.marketingMessages).toEqual({ servedBy: 'marketing_messages' });
		expect(message.body).toMatchObject({ ...envelope, product_policy: 'STRICT' });
		expect(sent.outputs[0][0].json).toMatchObject({
			messageId: message.wamid,
			route: 'marketing_messages',
		});
		expect(sent.outputs[0][0].json).not.toHaveProperty('routeFallbackReason');
	});

	test('not onboarded, "When the Number Is Onboarded": sent through the regular API instead, once', async () => {
		const sent = await sendTemplate('image_promo', promo, {
			phoneNumberId: NOT_ONBOARDED,
			messageOptions: { marketingMessagesApi: 'whenOnboarded' },
		});
		expect(sent.error).toBeUndefined();
		expect(mmRequests().map((r) => r.code)).toEqual([131055]);
		const [message] = emu.messages();
		expect(emu.messages()).toHaveLength(1);
		expect(message.marketingMessages).toBeUndefined();
		expect(message.body).not.toHaveProperty('product_policy');
		expect(sent.outputs[0][0].json).toMatchObject({
			route: 'cloud_api',
			routeFallbackReason: 'notOnboarded',
			attempts: 2,
		});
	});

	test('not onboarded, "Always": the item fails and says how to onboard', async () => {
		const sent = await sendTemplate('image_promo', promo, {
			phoneNumberId: NOT_ONBOARDED,
			messageOptions: { marketingMessagesApi: 'always' },
		});
		expect(emu.messages()).toHaveLength(0);
		expect(sent.error?.message).toContain('Marketing Messages API for WhatsApp terms of service');
		expect(descriptionOf(sent.error)).toContain(
			'the business has not accepted its terms. Onboard it in WhatsApp Manager',
		);
	});

	test('utility templates and the option off go through /messages', async () => {
		const utility = await sendTemplate(
			'payment_due',
			{ 'body.1': '$5', 'body.2': 'Friday' },
			{ messageOptions: { marketingMessagesApi: 'always' } },
		);
		const off = await sendTemplate('image_promo', promo, {
			messageOptions: { marketingMessagesApi: 'off' },
		});
		expect([utility.error, off.error]).toEqual([undefined, undefined]);
		expect(mmRequests()).toHaveLength(0);
		expect([utility, off].map((r) => r.outputs[0][0].json.route)).toEqual([
			'cloud_api',
			'cloud_api',
		]);
	});

	test('a carousel broadcast through the route: same limiter (130429 retried), nothing lost or doubled', async () => {
		emu.configure({ throughputOverrides: { [ONBOARDED]: 20 } });
		const values = {
			'body.1': 'Ana',
			'card.0.header.image': SEEDED_MEDIA_IDS.image,
			'card.0.body.1': 'Blue Echeveria',
			'card.0.body.2': '$12',
			'card.0.button.1.url_suffix': 'blue-echeveria',
			'card.1.header.image': SEEDED_MEDIA_IDS.image,
			'card.1.body.1': 'Aloe Vera',
			'card.1.body.2': '$9',
			'card.1.button.1.url_suffix': 'aloe-vera',
		};
		const fields = await mapperFields('carousel_picks');
		const result = await runNode({
			node: new WhatsAppCloud(),
			parameters: {
				resource: 'message',
				operation: 'sendTemplate',
				phoneNumberId: rl('id', ONBOARDED),
				recipient: '={{ $json.to }}',
				template: rl('list', 'carousel_picks|en_US'),
				templateLanguage: '',
				templateVariables: mapperValue(fields, values) as unknown as INodeParameters,
				messageOptions: { marketingMessagesApi: 'always' },
				// Faster than the number allows: Meta's 130429 must slow the sender down.
				sendingOptions: { messagesPerSecond: 40 },
			},
			items: Array.from({ length: 60 }, (_, i) => ({
				json: { to: `1555010${String(i).padStart(4, '0')}` },
			})),
			credentials: credentials(),
		});
		expect(result.error).toBeUndefined();
		expect(result.outputs[0]).toHaveLength(60);
		expect(result.outputs[0].every((i) => i.json.route === 'marketing_messages')).toBe(true);
		const stats = emu.stats();
		expect(stats.accepted).toBe(60);
		expect(stats.duplicates).toBe(0);
		expect(
			emu.messages().every((m) => m.marketingMessages?.servedBy === 'marketing_messages'),
		).toBe(true);
		expect(mmRequests().some((r) => r.code === 130429)).toBe(true);
	});
});
