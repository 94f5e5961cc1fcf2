/**
 * The canonical JSON of each 2026 template kind, typed with the node's payload types
 * (nodes/WhatsAppCloud/helpers/types/template.ts): creation bodies the emulator accepts and send
 * bodies it accepts against the seeds. The node-side builders should produce exactly these.
 */
import type {
	ClientAuthenticationTemplateCreate,
	ClientMarketingMessagesOptions,
	ClientTemplateContent,
	ClientTemplateCreate,
	ClientTemplateEdit,
	ServerTemplate,
} from '../../nodes/WhatsAppCloud/helpers/types/template';
import { DEFAULT_WABA_ID, SEEDED_MEDIA_IDS, startEmulator, type Emulator } from './index';
import { call, nextTo, send, v } from './testUtil';

let e: Emulator;
beforeAll(async () => {
	e = await startEmulator();
});
afterAll(() => e.stop());
beforeEach(() => e.reset());

const text = (t: string) => ({ type: 'text' as const, text: t });
const image = { type: 'image' as const, image: { id: SEEDED_MEDIA_IDS.image } };

const SENDS: Record<string, ClientTemplateContent> = {
	carousel: {
		type: 'template',
		template: {
			name: 'carousel_picks',
			language: { code: 'en_US', policy: 'deterministic' },
			components: [
				{ type: 'body', parameters: [text('Ana')] },
				{
					type: 'carousel',
					cards: [0, 1].map((card_index) => ({
						card_index,
						components: [
							{ type: 'header', parameters: [image] },
							{ type: 'body', parameters: [text('Blue Echeveria'), text('$12')] },
							{
								type: 'button',
								sub_type: 'quick_reply',
								index: '0',
								parameters: [{ type: 'payload', payload: `more-${card_index}` }],
							},
							{ type: 'button', sub_type: 'url', index: '1', parameters: [text('blue-echeveria')] },
						],
					})),
				},
			],
		},
	},
	limitedTimeOffer: {
		type: 'template',
		template: {
			name: 'flash_sale',
			language: { code: 'en_US', policy: 'deterministic' },
			components: [
				{ type: 'header', parameters: [image] },
				{
					type: 'limited_time_offer',
					parameters: [
						{
							type: 'limited_time_offer',
							limited_time_offer: { expiration_time_ms: Date.now() + 86_400_000 },
						},
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
			],
		},
	},
	coupon: {
		type: 'template',
		template: {
			name: 'coupon_offer',
			language: { code: 'en_US', policy: 'deterministic' },
			components: [
				{ type: 'body', parameters: [text('SAVE20'), text('20%')] },
				{
					type: 'button',
					sub_type: 'copy_code',
					index: '0',
					parameters: [{ type: 'coupon_code', coupon_code: 'SAVE20' }],
				},
			],
		},
	},
	authenticationCopyCode: {
		type: 'template',
		template: {
			name: 'auth_copy_code',
			language: { code: 'en_US', policy: 'deterministic' },
			components: [
				{ type: 'body', parameters: [text('481516')] },
				{ type: 'button', sub_type: 'url', index: '0', parameters: [text('481516')] },
			],
		},
	},
	authenticationOneTap: {
		type: 'template',
		template: {
			name: 'auth_one_tap',
			language: { code: 'en_US', policy: 'deterministic' },
			components: [
				{ type: 'body', parameters: [text('481516')] },
				{ type: 'button', sub_type: 'url', index: '0', parameters: [text('481516')] },
			],
		},
	},
	catalog: {
		type: 'template',
		template: {
			name: 'catalog_browse',
			language: { code: 'en_US', policy: 'deterministic' },
			components: [
				{ type: 'body', parameters: [text('Ana'), text('$30')] },
				{
					type: 'button',
					sub_type: 'catalog',
					index: '0',
					parameters: [{ type: 'action', action: { thumbnail_product_retailer_id: 'SKU-1' } }],
				},
			],
		},
	},
	multiProduct: {
		type: 'template',
		template: {
			name: 'mpm_restock',
			language: { code: 'en_US', policy: 'deterministic' },
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
								thumbnail_product_retailer_id: 'SKU-1',
								sections: [
									{ title: 'Succulents', product_items: [{ product_retailer_id: 'SKU-1' }] },
									{ title: 'Cacti', product_items: [{ product_retailer_id: 'SKU-2' }] },
								],
							},
						},
					],
				},
			],
		},
	},
};

describe('canonical send shapes (typed with the node types) are accepted', () => {
	test.each(Object.entries(SENDS))('%s', async (_kind, content) => {
		const r = await send(e, { to: nextTo(), ...content });
		expect(r.status).toBe(200);
		expect(e.messages()[0].body.template).toEqual(content.template);
	});

	test('the same marketing send through the Marketing Messages API', async () => {
		const options: ClientMarketingMessagesOptions = {
			message_activity_sharing: true,
			product_policy: 'STRICT',
		};
		const r = await call(e, 'POST', v(e, `${e.config.phoneNumberIds[0]}/marketing_messages`), {
			messaging_product: 'whatsapp',
			to: nextTo(),
			...SENDS.carousel,
			...options,
		});
		expect(r.status).toBe(200);
	});
});

const CREATES: Record<string, ClientTemplateCreate> = {
	carousel: {
		name: 'shape_carousel',
		language: 'en_US',
		category: 'MARKETING',
		components: [
			{ type: 'BODY', text: 'Hi {{1}}!', example: { body_text: [['Ana']] } },
			{
				type: 'CAROUSEL',
				cards: [1, 2].map(() => ({
					components: [
						{ type: 'HEADER', format: 'VIDEO', example: { header_handle: ['4::dmlkZW8=:ARZx'] } },
						{ type: 'BODY', text: 'Watch {{1}}', example: { body_text: [['this']] } },
						{
							type: 'BUTTONS',
							buttons: [
								{ type: 'PHONE_NUMBER', text: 'Call', phone_number: '+15550783881' },
								{ type: 'URL', text: 'Open', url: 'https://shop.example.com' },
							],
						},
					],
				})),
			},
		],
	},
	limitedTimeOffer: {
		name: 'shape_offer',
		language: 'en_US',
		category: 'MARKETING',
		message_send_ttl_seconds: 86_400,
		components: [
			{
				type: 'LIMITED_TIME_OFFER',
				limited_time_offer: { text: 'Ends soon!', has_expiration: true },
			},
			{ type: 'BODY', text: 'Use {{1}} today.', example: { body_text: [['SAVE10']] } },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'COPY_CODE', example: 'SAVE10' },
					{ type: 'URL', text: 'Shop', url: 'https://shop.example.com' },
				],
			},
		],
	},
	zeroTap: {
		name: 'shape_zero_tap',
		language: 'en_US',
		category: 'AUTHENTICATION',
		message_send_ttl_seconds: 300,
		components: [
			{ type: 'BODY', add_security_recommendation: true },
			{ type: 'FOOTER', code_expiration_minutes: 10 },
			{
				type: 'BUTTONS',
				buttons: [
					{
						type: 'OTP',
						otp_type: 'ZERO_TAP',
						autofill_text: 'Autofill',
						supported_apps: [{ package_name: 'com.example.shop', signature_hash: 'K8a/AINcGX7' }],
						zero_tap_terms_accepted: true,
					},
				],
			},
		],
	} satisfies ClientAuthenticationTemplateCreate,
};

describe('canonical creation shapes are accepted and read back', () => {
	test.each(Object.entries(CREATES))('%s', async (_kind, body) => {
		const r = await call(e, 'POST', v(e, `${DEFAULT_WABA_ID}/message_templates`), body);
		expect(r.body).toEqual({ id: expect.any(String), status: 'APPROVED', category: body.category });
		const got: ServerTemplate = (await call(e, 'GET', v(e, r.body.id))).body;
		expect(got).toMatchObject({ name: body.name, category: body.category });
		if (body.category !== 'AUTHENTICATION') expect(got.components).toEqual(body.components);
		const edit: ClientTemplateEdit = {
			message_send_ttl_seconds: body.category === 'AUTHENTICATION' ? 600 : 43_200,
		};
		expect((await call(e, 'POST', v(e, r.body.id), edit)).body).toEqual({ success: true });
	});
});
