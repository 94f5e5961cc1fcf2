/** Fixed defaults and seed data so tests and demos are deterministic. */
import { createHash } from 'node:crypto';

export const DEFAULT_TOKEN = 'EAAG-emulator-token';
export const DEFAULT_APP_SECRET = 'emulator-app-secret';
export const DEFAULT_APP_ID = '1398712045611027';
export const DEFAULT_WABA_ID = '102290129340398';
export const DEFAULT_API_VERSION = 'v26.0';
export const DEFAULT_BUSINESS_NAME = 'Emulator Business';
/** The business portfolio that owns the seeded WABA and employs the seeded system user. */
export const DEFAULT_BUSINESS_PORTFOLIO_ID = '2847561039485761';
export const DEFAULT_SYSTEM_USER_ID = '1000987654321098';
export const DEFAULT_APP_NAME = 'Emulator App';

export interface PhoneNumberSeed {
	id: string;
	display_phone_number: string;
	verified_name: string;
	quality_rating: 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
	code_verification_status: 'VERIFIED' | 'NOT_VERIFIED' | 'EXPIRED';
	platform_type: 'CLOUD_API';
	throughput: { level: 'STANDARD' | 'HIGH' | 'NOT_APPLICABLE' };
	messaging_limit_tier: string;
	whatsapp_business_manager_messaging_limit: string;
	name_status: 'APPROVED' | 'PENDING_REVIEW' | 'DECLINED' | 'NONE';
	status: 'CONNECTED';
}

/** A Cloud API number with the seed's defaults (verified, connected). */
export const phoneNumberSeed = (
	id: string,
	display: string,
	name: string,
	level: 'STANDARD' | 'HIGH',
	quality: PhoneNumberSeed['quality_rating'],
	tier: string,
): PhoneNumberSeed => ({
	id,
	display_phone_number: `+${display.slice(0, 1)} ${display.slice(1, 4)}-${display.slice(4, 7)}-${display.slice(7)}`,
	verified_name: name,
	quality_rating: quality,
	code_verification_status: 'VERIFIED',
	platform_type: 'CLOUD_API',
	throughput: { level },
	messaging_limit_tier: tier,
	whatsapp_business_manager_messaging_limit: tier,
	name_status: 'APPROVED',
	status: 'CONNECTED',
});

/** The first number is STANDARD (80 msg/s) and the default sender; the second is HIGH (1000 msg/s). */
export const SEED_PHONE_NUMBERS: readonly PhoneNumberSeed[] = [
	phoneNumberSeed(
		'106540352242922',
		'15550783881',
		'Emulator Shop',
		'STANDARD',
		'GREEN',
		'TIER_1K',
	),
	phoneNumberSeed(
		'106540352242923',
		'15550783882',
		'Emulator Broadcasts',
		'HIGH',
		'GREEN',
		'TIER_UNLIMITED',
	),
	phoneNumberSeed(
		'106540352242924',
		'15550783883',
		'Emulator Support',
		'STANDARD',
		'YELLOW',
		'TIER_250',
	),
];
export const PHONE_NUMBER_IDS = SEED_PHONE_NUMBERS.map((p) => p.id);
export const DEFAULT_PHONE_NUMBER_ID = PHONE_NUMBER_IDS[0];

/** Digits of a display number, e.g. "+1 555-078-3881" → "15550783881". */
export const displayDigits = (p: { display_phone_number: string }) =>
	p.display_phone_number.replace(/\D/g, '');

export interface SeedMedia {
	id: string;
	mimeType: string;
	bytes: Buffer;
	filename?: string;
}

/** Tiny but well-formed-enough files (magic bytes) usable by id without an upload. */
const pngBytes = Buffer.from(
	'89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
		'1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
	'hex',
);
export const SEED_MEDIA: readonly SeedMedia[] = [
	{ id: '1013859600285441', mimeType: 'image/png', bytes: pngBytes, filename: 'pixel.png' },
	{
		id: '1013859600285442',
		mimeType: 'image/jpeg',
		bytes: Buffer.from('ffd8ffe000104a464946000101ffd9', 'hex'),
		filename: 'photo.jpg',
	},
	{
		id: '1013859600285443',
		mimeType: 'video/mp4',
		bytes: Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'),
		filename: 'clip.mp4',
	},
	{
		id: '1013859600285444',
		mimeType: 'audio/ogg',
		bytes: Buffer.from('OggS\0\x02OpusHead-emulator', 'binary'),
		filename: 'voice.ogg',
	},
	{
		id: '1013859600285445',
		mimeType: 'application/pdf',
		bytes: Buffer.from('%PDF-1.4\n%emulator\n%%EOF\n'),
		filename: 'invoice.pdf',
	},
	{
		id: '1013859600285446',
		mimeType: 'image/webp',
		bytes: Buffer.from('RIFF\x1a\0\0\0WEBPVP8 emulator', 'binary'),
		filename: 'sticker.webp',
	},
];
export const SEEDED_MEDIA_IDS = {
	image: '1013859600285441',
	jpeg: '1013859600285442',
	video: '1013859600285443',
	audio: '1013859600285444',
	document: '1013859600285445',
	sticker: '1013859600285446',
} as const;

export const sha256Hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export const TEMPLATE_STATUSES = [
	'APPROVED',
	'PENDING',
	'REJECTED',
	'PAUSED',
	'DISABLED',
	'IN_APPEAL',
	'PENDING_DELETION',
	'LIMIT_EXCEEDED',
	'ARCHIVED',
] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];
export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';

export interface TemplateSupportedApp {
	package_name: string;
	signature_hash: string;
}

export interface TemplateButton {
	type:
		| 'QUICK_REPLY'
		| 'URL'
		| 'PHONE_NUMBER'
		| 'COPY_CODE'
		| 'FLOW'
		| 'OTP'
		| 'CATALOG'
		| 'MPM'
		| 'VOICE_CALL';
	text?: string;
	url?: string;
	phone_number?: string;
	example?: string[] | string;
	flow_id?: string;
	flow_action?: string;
	navigate_screen?: string;
	/** OTP buttons as created; Graph returns them as URL buttons (see graph/templateKinds.ts). */
	otp_type?: string;
	autofill_text?: string;
	supported_apps?: TemplateSupportedApp[];
	/** Older one-tap form: one app directly on the button. */
	package_name?: string;
	signature_hash?: string;
	zero_tap_terms_accepted?: boolean;
}

export type TemplateComponentType =
	'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS' | 'CAROUSEL' | 'LIMITED_TIME_OFFER';

export interface TemplateCard {
	components: TemplateComponent[];
}

export interface TemplateComponent {
	type: TemplateComponentType;
	format?: 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';
	text?: string;
	example?: {
		header_text?: string[];
		header_text_named_params?: { param_name: string; example: string }[];
		header_handle?: string[];
		body_text?: string[][];
		body_text_named_params?: { param_name: string; example: string }[];
	};
	buttons?: TemplateButton[];
	/** Authentication body: appends "For your security, do not share this code." */
	add_security_recommendation?: boolean;
	/** Authentication footer: "This code expires in N minutes." (1-90). */
	code_expiration_minutes?: number;
	/** CAROUSEL: 2-10 cards of identical structure. */
	cards?: TemplateCard[];
	/** LIMITED_TIME_OFFER: the offer line (≤16 chars) and whether a countdown is shown. */
	limited_time_offer?: { text: string; has_expiration?: boolean };
}

export interface Template {
	id: string;
	name: string;
	language: string;
	status: TemplateStatus;
	category: TemplateCategory;
	parameter_format: 'POSITIONAL' | 'NAMED';
	components: TemplateComponent[];
	message_send_ttl_seconds?: number;
}

const HANDLE = ['4::aW1hZ2UvanBlZw==:ARZemulator'];

/**
 * The URL of an authentication template's OTP button, which Graph returns as a URL button
 * (https://developers.facebook.com/docs/whatsapp/business-management-api/authentication-templates/copy-code-button-authentication-templates).
 * The query carries the OTP type and, for one-tap / zero-tap, the first supported app
 * [U: parameter names and order as seen in public examples].
 */
export function otpButtonUrl(o: {
	otpType: string;
	autofillText?: string;
	app?: TemplateSupportedApp;
	codeExpirationMinutes?: number;
	code: string;
}): string {
	const q = new URLSearchParams({ otp_type: o.otpType });
	if (o.otpType !== 'COPY_CODE') {
		if (o.autofillText) q.set('cta_display_name', o.autofillText);
		if (o.app) {
			q.set('package_name', o.app.package_name);
			q.set('signature_hash', o.app.signature_hash);
		}
	}
	if (o.codeExpirationMinutes !== undefined)
		q.set('code_expiration_minutes', String(o.codeExpirationMinutes));
	return `https://www.whatsapp.com/otp/code/?${q.toString()}&code=otp${o.code}`;
}

/** Authentication templates as Graph returns them: preset body and footer texts, a URL button. */
function authTemplate(
	id: string,
	name: string,
	o: { otpType: string; buttonText: string; autofillText?: string; app?: TemplateSupportedApp },
): Template {
	const minutes = o.otpType === 'COPY_CODE' ? 10 : 5;
	const url = (code: string) => otpButtonUrl({ ...o, codeExpirationMinutes: minutes, code });
	return {
		id,
		name,
		language: 'en_US',
		status: 'APPROVED',
		category: 'AUTHENTICATION',
		parameter_format: 'POSITIONAL',
		message_send_ttl_seconds: 600,
		components: [
			{
				type: 'BODY',
				text: '*{{1}}* is your verification code. For your security, do not share this code.',
				add_security_recommendation: true,
				example: { body_text: [['123456']] },
			},
			{
				type: 'FOOTER',
				text: `This code expires in ${minutes} minutes.`,
				code_expiration_minutes: minutes,
			},
			{
				type: 'BUTTONS',
				buttons: [{ type: 'URL', text: o.buttonText, url: url('{{1}}'), example: [url('123456')] }],
			},
		],
	};
}

/** One media card of the carousel seed. */
const card = (product: string, price: string, slug: string): TemplateCard => ({
	components: [
		{ type: 'HEADER', format: 'IMAGE', example: { header_handle: HANDLE } },
		{
			type: 'BODY',
			text: '{{1}}, now only {{2}}.',
			example: { body_text: [[product, price]] },
		},
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

export const SEED_TEMPLATES: readonly Template[] = [
	{
		id: '1209876543210001',
		name: 'hello_world',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'TEXT', text: 'Hello World' },
			{
				type: 'BODY',
				text: 'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta.',
			},
			{ type: 'FOOTER', text: 'WhatsApp Business Platform sample message' },
		],
	},
	{
		id: '1209876543210002',
		name: 'order_update',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['#1234'] } },
			{
				type: 'BODY',
				text: 'Hi {{1}}, your order {{2}} ships on {{3}}.',
				example: { body_text: [['Ana', '#1234', 'Monday']] },
			},
			{ type: 'FOOTER', text: 'Reply STOP to opt out' },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'QUICK_REPLY', text: 'Track' },
					{ type: 'QUICK_REPLY', text: 'Cancel' },
				],
			},
		],
	},
	{
		id: '1209876543210003',
		name: 'order_update',
		language: 'es',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'TEXT', text: 'Pedido {{1}}', example: { header_text: ['#1234'] } },
			{
				type: 'BODY',
				text: 'Hola {{1}}, tu pedido {{2}} se envía el {{3}}.',
				example: { body_text: [['Ana', '#1234', 'lunes']] },
			},
			{ type: 'FOOTER', text: 'Responde STOP para darte de baja' },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'QUICK_REPLY', text: 'Seguir' },
					{ type: 'QUICK_REPLY', text: 'Cancelar' },
				],
			},
		],
	},
	{
		id: '1209876543210004',
		name: 'shipping_named',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'NAMED',
		components: [
			{
				type: 'HEADER',
				format: 'TEXT',
				text: 'Hello {{first_name}}',
				example: { header_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] },
			},
			{
				type: 'BODY',
				text: 'Your order {{order_id}} is on its way and arrives {{delivery_date}}.',
				example: {
					body_text_named_params: [
						{ param_name: 'order_id', example: '#1234' },
						{ param_name: 'delivery_date', example: 'Monday' },
					],
				},
			},
		],
	},
	{
		id: '1209876543210005',
		name: 'image_promo',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'IMAGE', example: { header_handle: HANDLE } },
			{ type: 'BODY', text: 'Hi {{1}}, our sale starts now!', example: { body_text: [['Ana']] } },
			{
				type: 'BUTTONS',
				buttons: [
					{
						type: 'URL',
						text: 'Shop now',
						url: 'https://shop.example.com/promo/{{1}}',
						example: ['https://shop.example.com/promo/summer'],
					},
					{ type: 'QUICK_REPLY', text: 'Unsubscribe' },
				],
			},
		],
	},
	{
		id: '1209876543210006',
		name: 'video_intro',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'VIDEO', example: { header_handle: HANDLE } },
			{ type: 'BODY', text: 'Watch what is new this month.' },
		],
	},
	{
		id: '1209876543210007',
		name: 'invoice_ready',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'DOCUMENT', example: { header_handle: HANDLE } },
			{
				type: 'BODY',
				text: 'Invoice {{1}} for {{2}} is due on {{3}}.',
				example: { body_text: [['INV-1', '$10.00', 'Jan 1, 2027']] },
			},
		],
	},
	{
		id: '1209876543210008',
		name: 'store_location',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'LOCATION' },
			{
				type: 'BODY',
				text: 'Pick up your order at {{1}}.',
				example: { body_text: [['our main store']] },
			},
		],
	},
	{
		id: '1209876543210009',
		name: 'coupon_offer',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{
				type: 'BODY',
				text: 'Use code {{1}} for {{2}} off.',
				example: { body_text: [['SAVE20', '20%']] },
			},
			{ type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'SAVE20' }] },
		],
	},
	{
		id: '1209876543210010',
		name: 'signup_flow',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'BODY', text: 'Join our club in a few taps.' },
			{
				type: 'BUTTONS',
				buttons: [
					{
						type: 'FLOW',
						text: 'Sign up',
						flow_id: '1304512345678901',
						flow_action: 'navigate',
						navigate_screen: 'WELCOME',
					},
				],
			},
		],
	},
	{
		id: '1209876543210011',
		name: 'contact_us',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'BODY', text: 'Questions? We are here to help.' },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+15550783881' },
					{ type: 'URL', text: 'Help center', url: 'https://help.example.com' },
				],
			},
		],
	},
	{
		id: '1209876543210012',
		name: 'auth_code',
		language: 'en_US',
		status: 'APPROVED',
		category: 'AUTHENTICATION',
		parameter_format: 'POSITIONAL',
		components: [
			{
				type: 'BODY',
				text: '{{1}} is your verification code.',
				example: { body_text: [['123456']] },
			},
			{
				type: 'BUTTONS',
				buttons: [
					{
						type: 'URL',
						text: 'Copy code',
						url: 'https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}',
						example: ['https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp123456'],
					},
				],
			},
		],
	},
	{
		id: '1209876543210013',
		name: 'payment_due',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{
				type: 'BODY',
				text: 'Your payment of {{1}} is due on {{2}}.',
				example: { body_text: [['$10.00', 'Jan 1, 2027']] },
			},
		],
	},
	{
		id: '1209876543210014',
		name: 'old_promo',
		language: 'en_US',
		status: 'REJECTED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [{ type: 'BODY', text: 'Buy now!!!' }],
	},
	{
		id: '1209876543210015',
		name: 'carousel_picks',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{
				type: 'BODY',
				text: 'Hi {{1}}, this week we picked these for you:',
				example: { body_text: [['Ana']] },
			},
			{
				type: 'CAROUSEL',
				cards: [
					card('Blue Echeveria', '$12', 'blue-echeveria'),
					card('Aloe Vera', '$9', 'aloe-vera'),
				],
			},
		],
	},
	{
		id: '1209876543210016',
		name: 'flash_sale',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'IMAGE', example: { header_handle: HANDLE } },
			{
				type: 'LIMITED_TIME_OFFER',
				limited_time_offer: { text: 'Expiring offer!', has_expiration: true },
			},
			{
				type: 'BODY',
				text: 'Good news, {{1}}! Use code {{2}} to get 25% off every plant.',
				example: { body_text: [['Ana', 'PLANTS25']] },
			},
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'COPY_CODE', example: 'PLANTS25' },
					{
						type: 'URL',
						text: 'Shop the sale',
						url: 'https://shop.example.com/sale?code={{1}}',
						example: ['https://shop.example.com/sale?code=PLANTS25'],
					},
				],
			},
		],
	},
	authTemplate('1209876543210017', 'auth_copy_code', {
		otpType: 'COPY_CODE',
		buttonText: 'Copy code',
	}),
	authTemplate('1209876543210018', 'auth_one_tap', {
		otpType: 'ONE_TAP',
		buttonText: 'Copy code',
		autofillText: 'Autofill',
		app: { package_name: 'com.example.shop', signature_hash: 'K8a/AINcGX7' },
	}),
	{
		id: '1209876543210019',
		name: 'catalog_browse',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{
				type: 'BODY',
				text: 'Shop our whole range right here on WhatsApp, {{1}}: free delivery over {{2}}.',
				example: { body_text: [['Ana', '$30']] },
			},
			{ type: 'FOOTER', text: 'Best plant deals on WhatsApp' },
			{ type: 'BUTTONS', buttons: [{ type: 'CATALOG', text: 'View catalog' }] },
		],
	},
	{
		id: '1209876543210020',
		name: 'mpm_restock',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{
				type: 'HEADER',
				format: 'TEXT',
				text: 'Back in stock for {{1}}',
				example: { header_text: ['Ana'] },
			},
			{
				type: 'BODY',
				text: 'The plants you asked about are back. Pick yours before {{1}}.',
				example: { body_text: [['Friday']] },
			},
			{ type: 'FOOTER', text: 'Reply STOP to opt out' },
			{ type: 'BUTTONS', buttons: [{ type: 'MPM', text: 'View items' }] },
		],
	},
];
