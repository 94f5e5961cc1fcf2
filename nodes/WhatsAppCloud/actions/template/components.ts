/**
 * A template's components from form fields, for Create and Edit: every kind Meta offers — standard
 * (header, body, footer, buttons, incl. a coupon's copy code button), carousel, limited-time offer,
 * catalog, multi-product and authentication (copy code, one-tap, zero-tap). The fields only gather
 * values; `validateTemplateCreate` checks Meta's rules on the result.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseJsonParameter } from '../../helpers/check';
import { placeholderNames } from '../../helpers/template/placeholders';
import type { TemplateParameterFormat } from '../../helpers/types/template';
import { forItem } from '../errors';

export type TemplateKind =
	'standard' | 'carousel' | 'limitedTimeOffer' | 'catalog' | 'multiProduct' | 'authentication';

const ALL_BUT_AUTHENTICATION: TemplateKind[] = [
	'standard',
	'carousel',
	'limitedTimeOffer',
	'catalog',
	'multiProduct',
];

/** Shown only when the components come from fields and the kind is one of `kinds`. */
const forKinds = (kinds: TemplateKind[], extra: IDataObject = {}) => ({
	show: { componentsFrom: ['fields'], templateKind: kinds, ...extra },
});

const buttonTypeOptions = [
	{ name: 'None', value: 'none' },
	{ name: 'Phone Number', value: 'PHONE_NUMBER' },
	{ name: 'Quick Reply', value: 'QUICK_REPLY' },
	{ name: 'URL', value: 'URL' },
];

/** One card button's fields (`n` = 1 or 2), shown by the button's type, and the type itself. */
function cardButtonFields(n: 1 | 2, typeField: INodeProperties): INodeProperties[] {
	const type = typeField.name;
	return [
		{
			displayName: `Button ${n} Phone Number`,
			name: `button${n}Phone`,
			type: 'string',
			default: '',
			placeholder: 'e.g. +15550783881',
			displayOptions: { show: { [type]: ['PHONE_NUMBER'] } },
		},
		{
			displayName: `Button ${n} Text`,
			name: `button${n}Text`,
			type: 'string',
			default: '',
			placeholder: n === 1 ? 'e.g. More like this' : 'e.g. Shop',
			description: 'Up to 25 characters',
			displayOptions: { show: { [type]: ['PHONE_NUMBER', 'QUICK_REPLY', 'URL'] } },
		},
		typeField,
		{
			displayName: `Button ${n} URL`,
			name: `button${n}Url`,
			type: 'string',
			default: '',
			placeholder: 'e.g. https://shop.example.com/p/{{1}}',
			description: 'May end in {{1}}, filled per message',
			displayOptions: { show: { [type]: ['URL'] } },
		},
		{
			displayName: `Button ${n} URL Example`,
			name: `button${n}UrlExample`,
			type: 'string',
			default: '',
			placeholder: 'e.g. https://shop.example.com/p/aloe-vera',
			description: 'For a URL ending in {{1}}: a full sample URL for review',
			displayOptions: { show: { [type]: ['URL'] } },
		},
	];
}

export const componentFields: INodeProperties[] = [
	{
		displayName: 'Template Kind',
		name: 'templateKind',
		type: 'options',
		default: 'standard',
		displayOptions: { show: { componentsFrom: ['fields'] } },
		options: [
			{
				name: 'Authentication',
				value: 'authentication',
				description:
					'A one-time password with a copy code, one-tap autofill or zero-tap button (category Authentication)',
			},
			{
				name: 'Carousel',
				value: 'carousel',
				description: '2 to 10 scrollable cards, each with an image or video (Marketing)',
			},
			{
				name: 'Catalog',
				value: 'catalog',
				description:
					'Opens your WhatsApp catalog; the thumbnail product is chosen when sending (Marketing)',
			},
			{
				name: 'Limited-Time Offer',
				value: 'limitedTimeOffer',
				description: 'An offer with a countdown, a coupon code and a link (Marketing)',
			},
			{
				name: 'Multi-Product',
				value: 'multiProduct',
				description: 'Up to 30 catalog products in sections, chosen when sending (Marketing)',
			},
			{
				name: 'Standard',
				value: 'standard',
				description:
					'Header, body, footer and buttons (quick reply, URL, phone, copy code for coupons)',
			},
		],
	},
	{
		displayName: 'Header',
		name: 'headerFormat',
		type: 'options',
		default: 'none',
		options: [
			{ name: 'Document', value: 'DOCUMENT' },
			{ name: 'Image', value: 'IMAGE' },
			{ name: 'Location', value: 'LOCATION' },
			{ name: 'None', value: 'none' },
			{ name: 'Text', value: 'TEXT' },
			{ name: 'Video', value: 'VIDEO' },
		],
		description:
			'What the message starts with; media and locations are given when sending. Limited-time offers take an image, a video or none; multi-product templates a text.',
		displayOptions: forKinds(['standard', 'limitedTimeOffer', 'multiProduct']),
	},
	{
		displayName: 'Header Text',
		name: 'headerText',
		type: 'string',
		default: '',
		placeholder: 'e.g. Order {{1}}',
		description: 'Up to 60 characters with at most one placeholder',
		displayOptions: forKinds(['standard', 'multiProduct'], { headerFormat: ['TEXT'] }),
	},
	{
		displayName: 'Header Example',
		name: 'headerExample',
		type: 'string',
		default: '',
		placeholder: 'e.g. #1234',
		description: "Sample value of the header's placeholder, for Meta's review",
		displayOptions: forKinds(['standard', 'multiProduct'], { headerFormat: ['TEXT'] }),
	},
	{
		displayName: 'Header Sample Handle',
		name: 'headerHandle',
		type: 'string',
		default: '',
		placeholder: 'e.g. 4::aW1hZ2UvanBlZw==:ARb…',
		description: "Upload handle of a sample file (Meta's Resumable Upload API), for Meta's review",
		displayOptions: forKinds(['standard', 'limitedTimeOffer'], {
			headerFormat: ['IMAGE', 'VIDEO', 'DOCUMENT'],
		}),
	},
	{
		displayName: 'Offer Text',
		name: 'offerText',
		type: 'string',
		default: '',
		placeholder: 'e.g. Expiring offer!',
		description: 'The offer line above the body, up to 16 characters',
		displayOptions: forKinds(['limitedTimeOffer']),
	},
	{
		displayName: 'Offer Has Expiration',
		name: 'offerHasExpiration',
		type: 'boolean',
		default: true,
		description:
			'Whether the message shows a countdown to the expiry given when sending (then the copy code button is required)',
		displayOptions: forKinds(['limitedTimeOffer']),
	},
	{
		displayName: 'Body',
		name: 'bodyText',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Hi {{1}}, your order {{2}} ships on {{3}}.',
		description:
			'Up to 1024 characters (600 for limited-time offers). Placeholders are {{1}}, {{2}}, … in order, or names such as {{first_name}} (lowercase letters and underscores).',
		displayOptions: forKinds(ALL_BUT_AUTHENTICATION),
	},
	{
		displayName: 'Body Examples',
		name: 'bodyExamples',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Example',
		default: {},
		description: "A sample value for every body placeholder, for Meta's review",
		displayOptions: forKinds(ALL_BUT_AUTHENTICATION),
		options: [
			{
				displayName: 'Example',
				name: 'example',
				values: [
					{
						displayName: 'Placeholder',
						name: 'placeholder',
						type: 'string',
						default: '',
						placeholder: 'e.g. 1 or first_name',
						description: 'The placeholder without braces',
					},
					{
						displayName: 'Example Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. Ana',
					},
				],
			},
		],
	},
	{
		displayName: 'Cards',
		name: 'cards',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Card',
		default: {},
		description:
			'2 to 10 cards, all with the same header type, body or no body, and button types; texts, media and URLs differ per card',
		displayOptions: forKinds(['carousel']),
		options: [
			{
				displayName: 'Card',
				name: 'card',
				values: [
					{
						displayName: 'Body',
						name: 'bodyText',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						placeholder: 'e.g. {{1}}, now only {{2}}.',
						description:
							'Up to 160 characters, with placeholders like the main body; empty for none',
					},
					{
						displayName: 'Body Examples',
						name: 'bodyExamples',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						placeholder: 'e.g. Aloe Vera\n$9',
						description:
							'A sample value per placeholder, one per line in order ({{1}}, {{2}}, …), or name=value for named placeholders',
					},
					...cardButtonFields(1, {
						displayName: 'Button 1 Type',
						name: 'button1Type',
						type: 'options',
						default: 'QUICK_REPLY',
						options: buttonTypeOptions,
						description: 'Every card must have the same button types in the same order',
					}),
					...cardButtonFields(2, {
						displayName: 'Button 2 Type',
						name: 'button2Type',
						type: 'options',
						default: 'none',
						options: buttonTypeOptions,
						description: 'Every card must have the same button types in the same order',
					}),
					{
						displayName: 'Header',
						name: 'headerFormat',
						type: 'options',
						default: 'IMAGE',
						options: [
							{ name: 'Image', value: 'IMAGE' },
							{ name: 'Video', value: 'VIDEO' },
						],
					},
					{
						displayName: 'Header Sample Handle',
						name: 'headerHandle',
						type: 'string',
						default: '',
						placeholder: 'e.g. 4::aW1hZ2UvanBlZw==:ARb…',
						description:
							"Upload handle of this card's sample image or video (Meta's Resumable Upload API)",
					},
				],
			},
		],
	},
	{
		displayName: 'Footer',
		name: 'footerText',
		type: 'string',
		default: '',
		placeholder: 'e.g. Reply STOP to opt out',
		description: 'Up to 60 characters, no placeholders',
		displayOptions: forKinds(['standard', 'catalog', 'multiProduct']),
	},
	{
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Button',
		default: {},
		description:
			'Up to 10 buttons: at most 10 quick replies, 2 URL, 1 phone number and 1 copy code (a coupon); keep quick replies together',
		displayOptions: forKinds(['standard']),
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{
						displayName: 'Example Code',
						name: 'couponExample',
						displayOptions: { show: { type: ['COPY_CODE'] } },
						type: 'string',
						default: '',
						placeholder: 'e.g. SAVE20',
						description: 'For copy code buttons: a sample code (up to 15 letters and digits)',
					},
					{
						displayName: 'Example URL',
						name: 'urlExample',
						displayOptions: { show: { type: ['URL'] } },
						type: 'string',
						default: '',
						placeholder: 'e.g. https://shop.example.com/orders/1234',
						description: 'For URL buttons ending in {{1}}: a full sample URL for review',
					},
					{
						displayName: 'Phone Number',
						name: 'phoneNumber',
						displayOptions: { show: { type: ['PHONE_NUMBER'] } },
						type: 'string',
						default: '',
						placeholder: 'e.g. +15550783881',
						description: 'For phone number buttons, in international format',
					},
					{
						displayName: 'Text',
						name: 'text',
						displayOptions: {
							show: { type: ['PHONE_NUMBER', 'QUICK_REPLY', 'URL', 'VOICE_CALL'] },
						},
						type: 'string',
						default: '',
						placeholder: 'e.g. Track order',
						description: 'Button label, up to 25 characters (copy code buttons have a fixed label)',
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						default: 'QUICK_REPLY',
						options: [
							{ name: 'Copy Code', value: 'COPY_CODE' },
							{ name: 'Phone Number', value: 'PHONE_NUMBER' },
							{ name: 'Quick Reply', value: 'QUICK_REPLY' },
							{ name: 'URL', value: 'URL' },
							{
								name: 'Voice Call',
								value: 'VOICE_CALL',
								description:
									'Calls your number on WhatsApp (Calling API enabled on the number); one per template',
							},
						],
					},
					{
						displayName: 'URL',
						name: 'url',
						displayOptions: { show: { type: ['URL'] } },
						type: 'string',
						default: '',
						placeholder: 'e.g. https://shop.example.com/orders/{{1}}',
						description: 'For URL buttons; may end in {{1}}, filled per message',
					},
				],
			},
		],
	},
	{
		displayName: 'Coupon Code Example',
		name: 'offerCouponExample',
		type: 'string',
		default: '',
		placeholder: 'e.g. PLANTS25',
		description:
			'A sample code for the copy code button (up to 15 letters and digits); the real code is given when sending. Empty: no copy code button (only without expiration).',
		displayOptions: forKinds(['limitedTimeOffer']),
	},
	{
		displayName: 'Offer Button Text',
		name: 'offerUrlText',
		type: 'string',
		default: '',
		placeholder: 'e.g. Shop the sale',
		description: 'Label of the URL button, up to 25 characters',
		displayOptions: forKinds(['limitedTimeOffer']),
	},
	{
		displayName: 'Offer Button URL',
		name: 'offerUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://shop.example.com/sale?code={{1}}',
		description: 'May end in {{1}}, filled per message',
		displayOptions: forKinds(['limitedTimeOffer']),
	},
	{
		displayName: 'Offer Button URL Example',
		name: 'offerUrlExample',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://shop.example.com/sale?code=PLANTS25',
		description: 'For a URL ending in {{1}}: a full sample URL for review',
		displayOptions: forKinds(['limitedTimeOffer']),
	},
	{
		displayName: 'Catalog Button Text',
		name: 'catalogButtonText',
		type: 'string',
		default: 'View catalog',
		description: 'Up to 25 characters',
		displayOptions: forKinds(['catalog']),
	},
	{
		displayName: 'Products Button Text',
		name: 'mpmButtonText',
		type: 'string',
		default: 'View items',
		description: 'Up to 25 characters; the products and their sections are chosen when sending',
		displayOptions: forKinds(['multiProduct']),
	},
	{
		displayName: 'Add Security Recommendation',
		name: 'authSecurityRecommendation',
		type: 'boolean',
		default: true,
		description: 'Whether the body ends with "For your security, do not share this code."',
		displayOptions: forKinds(['authentication']),
	},
	{
		displayName: 'Code Expires After (Minutes)',
		name: 'authCodeExpirationMinutes',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 90 },
		default: 10,
		description:
			'1 to 90: the footer says "This code expires in N minutes" and the button stops working then. 0: no footer (the button still expires after 10 minutes).',
		displayOptions: forKinds(['authentication']),
	},
	{
		displayName: 'Code Delivery',
		name: 'authOtpType',
		type: 'options',
		default: 'COPY_CODE',
		options: [
			{
				name: 'Copy Code',
				value: 'COPY_CODE',
				description: 'A button that copies the code',
			},
			{
				name: 'One-Tap Autofill',
				value: 'ONE_TAP',
				description: 'A button that fills the code into your Android app (copy code elsewhere)',
			},
			{
				name: 'Zero-Tap',
				value: 'ZERO_TAP',
				description:
					'Your Android app receives the code without a tap (one-tap or copy code elsewhere)',
			},
		],
		displayOptions: forKinds(['authentication']),
	},
	{
		displayName: 'Copy Code Button Text',
		name: 'authButtonText',
		type: 'string',
		default: '',
		placeholder: 'e.g. Copy code',
		description: "Up to 25 characters; empty for Meta's localized label",
		displayOptions: forKinds(['authentication']),
	},
	{
		displayName: 'Autofill Button Text',
		name: 'authAutofillText',
		type: 'string',
		default: '',
		placeholder: 'e.g. Autofill',
		description: "Up to 25 characters; empty for Meta's localized label",
		displayOptions: forKinds(['authentication'], { authOtpType: ['ONE_TAP', 'ZERO_TAP'] }),
	},
	{
		displayName: 'Android Apps',
		name: 'authApps',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add App',
		default: {},
		description: 'The apps that may receive the code: 1 to 5',
		displayOptions: forKinds(['authentication'], { authOtpType: ['ONE_TAP', 'ZERO_TAP'] }),
		options: [
			{
				displayName: 'App',
				name: 'app',
				values: [
					{
						displayName: 'Package Name',
						name: 'packageName',
						type: 'string',
						default: '',
						placeholder: 'e.g. com.example.shop',
						description: "The app's Android package name (up to 224 characters)",
					},
					{
						displayName: 'Signature Hash',
						name: 'signatureHash',
						type: 'string',
						default: '',
						placeholder: 'e.g. K8a/AINcGX7',
						description: "The 11-character hash of the app's signing key",
					},
				],
			},
		],
	},
	{
		displayName: 'Accept Zero-Tap Terms',
		name: 'authZeroTapTermsAccepted',
		type: 'boolean',
		default: false,
		description:
			"Whether you accept Meta's zero-tap terms (required for zero-tap: the code is delivered without the user's action)",
		displayOptions: forKinds(['authentication'], { authOtpType: ['ZERO_TAP'] }),
	},
];

interface ButtonFields {
	type?: string;
	text?: string;
	url?: string;
	urlExample?: string;
	phoneNumber?: string;
	couponExample?: string;
}

const trimmed = (value: unknown) => String(value ?? '').trim();

/** Placeholders of a text in order of appearance, without braces; `{{}}` is none. */
export const nonEmptyPlaceholders = (text: string) =>
	placeholderNames(text).filter((name) => name !== '');

/** Examples for a body's placeholders: positional ones in order, named ones by name. */
function bodyExample(
	text: string,
	named: boolean,
	examples: Array<{ placeholder: string; value: string }>,
): IDataObject | undefined {
	const placeholders = nonEmptyPlaceholders(text);
	if (!placeholders.length) return undefined;
	return named
		? {
				body_text_named_params: examples.map((e) => ({
					param_name: e.placeholder,
					example: e.value,
				})),
			}
		: {
				body_text: [
					placeholders.map(
						(_, i) => examples.find((e) => e.placeholder === String(i + 1))?.value ?? '',
					),
				],
			};
}

/** A URL button, with its example when the URL ends in {{1}}. */
function urlButton(text: unknown, url: unknown, example: unknown): IDataObject {
	const link = trimmed(url);
	return /\{\{\s*1\s*\}\}$/.test(link)
		? { type: 'URL', text: trimmed(text), url: link, example: [trimmed(example)] }
		: { type: 'URL', text: trimmed(text), url: link };
}

/** A card's examples, one per line: in order, or `name=value` for named placeholders. */
function cardExamples(raw: unknown): Array<{ placeholder: string; value: string }> {
	return String(raw ?? '')
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line !== '')
		.map((line, i) => {
			const named = /^([a-z_]{1,20})\s*=\s*(.*)$/.exec(line);
			return named
				? { placeholder: named[1], value: named[2] }
				: { placeholder: String(i + 1), value: line };
		});
}

function cardComponents(card: IDataObject, named: boolean): IDataObject[] {
	const handle = trimmed(card.headerHandle);
	const components: IDataObject[] = [
		{
			type: 'HEADER',
			format: card.headerFormat === 'VIDEO' ? 'VIDEO' : 'IMAGE',
			...(handle ? { example: { header_handle: [handle] } } : {}),
		},
	];
	const bodyText = trimmed(card.bodyText);
	if (bodyText) {
		const example = bodyExample(bodyText, named, cardExamples(card.bodyExamples));
		components.push({ type: 'BODY', text: bodyText, ...(example ? { example } : {}) });
	}
	const buttons: IDataObject[] = [];
	for (const n of [1, 2]) {
		const type = String(card[`button${n}Type`] ?? (n === 1 ? 'QUICK_REPLY' : 'none'));
		const label = card[`button${n}Text`];
		if (type === 'QUICK_REPLY') buttons.push({ type, text: trimmed(label) });
		else if (type === 'URL')
			buttons.push(urlButton(label, card[`button${n}Url`], card[`button${n}UrlExample`]));
		else if (type === 'PHONE_NUMBER')
			buttons.push({ type, text: trimmed(label), phone_number: trimmed(card[`button${n}Phone`]) });
	}
	components.push({ type: 'BUTTONS', buttons });
	return components;
}

function authenticationComponents(context: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const get = (name: string, fallback: unknown) =>
		context.getNodeParameter(name, itemIndex, fallback);
	const minutes = Number(get('authCodeExpirationMinutes', 10));
	const otpType = String(get('authOtpType', 'COPY_CODE'));
	const button: IDataObject = { type: 'OTP', otp_type: otpType };
	const label = trimmed(get('authButtonText', ''));
	if (label) button.text = label;
	if (otpType !== 'COPY_CODE') {
		const autofill = trimmed(get('authAutofillText', ''));
		if (autofill) button.autofill_text = autofill;
		const apps = ((get('authApps', {}) as IDataObject).app ?? []) as IDataObject[];
		button.supported_apps = apps.map((app) => ({
			package_name: trimmed(app.packageName),
			signature_hash: trimmed(app.signatureHash),
		}));
		if (otpType === 'ZERO_TAP' && get('authZeroTapTermsAccepted', false) === true)
			button.zero_tap_terms_accepted = true;
	}
	return [
		{ type: 'BODY', add_security_recommendation: get('authSecurityRecommendation', true) === true },
		// 0: no expiry line. Anything else goes to Meta's rules (1 to 90).
		...(minutes === 0 ? [] : [{ type: 'FOOTER', code_expiration_minutes: minutes }]),
		{ type: 'BUTTONS', buttons: [button] },
	];
}

/** Whether the texts of the fields use named placeholders (unless the format is declared). */
function fieldsUseNamedPlaceholders(
	context: IExecuteFunctions,
	itemIndex: number,
	declared: 'NAMED' | 'POSITIONAL' | undefined,
): boolean {
	if (declared) return declared === 'NAMED';
	const cards = ((context.getNodeParameter('cards', itemIndex, {}) as IDataObject).card ??
		[]) as IDataObject[];
	const texts = [
		String(context.getNodeParameter('bodyText', itemIndex, '')),
		String(context.getNodeParameter('headerText', itemIndex, '')),
		...cards.map((card) => String(card.bodyText ?? '')),
	];
	return texts.some((text) => nonEmptyPlaceholders(text).some((p) => !/^\d+$/.test(p)));
}

/** The components the fields describe, for `kind`. */
function componentsFromFields(
	context: IExecuteFunctions,
	itemIndex: number,
	kind: TemplateKind,
	named: boolean,
): IDataObject[] {
	if (kind === 'authentication') return authenticationComponents(context, itemIndex);
	const get = (name: string, fallback: unknown) =>
		context.getNodeParameter(name, itemIndex, fallback);
	const components: IDataObject[] = [];
	const headerFormat = ['standard', 'limitedTimeOffer', 'multiProduct'].includes(kind)
		? String(get('headerFormat', 'none'))
		: 'none';
	if (headerFormat === 'TEXT') {
		const text = trimmed(get('headerText', ''));
		const example = trimmed(get('headerExample', ''));
		const header: IDataObject = { type: 'HEADER', format: 'TEXT', text };
		const placeholder = nonEmptyPlaceholders(text)[0];
		if (placeholder !== undefined) {
			header.example = named
				? { header_text_named_params: [{ param_name: placeholder, example }] }
				: { header_text: [example] };
		}
		components.push(header);
	} else if (headerFormat !== 'none') {
		const handle = trimmed(get('headerHandle', ''));
		components.push(
			headerFormat === 'LOCATION'
				? { type: 'HEADER', format: 'LOCATION' }
				: {
						type: 'HEADER',
						format: headerFormat,
						...(handle ? { example: { header_handle: [handle] } } : {}),
					},
		);
	}

	const hasExpiration = get('offerHasExpiration', true) === true;
	if (kind === 'limitedTimeOffer') {
		components.push({
			type: 'LIMITED_TIME_OFFER',
			limited_time_offer: { text: trimmed(get('offerText', '')), has_expiration: hasExpiration },
		});
	}

	const bodyText = String(get('bodyText', ''));
	const examples =
		((get('bodyExamples', {}) as IDataObject).example as IDataObject[] | undefined)?.map((e) => ({
			placeholder: trimmed(e.placeholder).replace(/^\{\{\s*|\s*\}\}$/g, ''),
			value: String(e.value ?? ''),
		})) ?? [];
	const example = bodyExample(bodyText, named, examples);
	components.push({ type: 'BODY', text: bodyText, ...(example ? { example } : {}) });

	if (kind === 'carousel') {
		const cards = ((get('cards', {}) as IDataObject).card ?? []) as IDataObject[];
		components.push({
			type: 'CAROUSEL',
			cards: cards.map((card) => ({ components: cardComponents(card, named) })),
		});
		return components;
	}

	const footer = trimmed(get('footerText', ''));
	if (footer && ['standard', 'catalog', 'multiProduct'].includes(kind))
		components.push({ type: 'FOOTER', text: footer });

	if (kind === 'limitedTimeOffer') {
		const coupon = trimmed(get('offerCouponExample', ''));
		components.push({
			type: 'BUTTONS',
			buttons: [
				...(coupon ? [{ type: 'COPY_CODE', example: coupon }] : []),
				urlButton(get('offerUrlText', ''), get('offerUrl', ''), get('offerUrlExample', '')),
			],
		});
	} else if (kind === 'catalog') {
		components.push({
			type: 'BUTTONS',
			buttons: [{ type: 'CATALOG', text: trimmed(get('catalogButtonText', 'View catalog')) }],
		});
	} else if (kind === 'multiProduct') {
		components.push({
			type: 'BUTTONS',
			buttons: [{ type: 'MPM', text: trimmed(get('mpmButtonText', 'View items')) }],
		});
	} else {
		const buttons = ((get('buttons', {}) as IDataObject).button ?? []) as ButtonFields[];
		if (buttons.length) {
			components.push({
				type: 'BUTTONS',
				buttons: buttons.map((b): IDataObject => {
					const type = b.type ?? 'QUICK_REPLY';
					if (type === 'URL') return urlButton(b.text, b.url, b.urlExample);
					if (type === 'PHONE_NUMBER')
						return { type, text: trimmed(b.text), phone_number: trimmed(b.phoneNumber) };
					if (type === 'COPY_CODE') return { type, example: trimmed(b.couponExample) };
					return { type, text: trimmed(b.text) };
				}),
			});
		}
	}
	return components;
}

/** Options of Create and Edit: the time-to-live (`zeroMeans`: what 0 does) and the placeholder style. */
export function templateOptionFields(zeroMeans: string): INodeProperties[] {
	return [
		{
			displayName: 'Message Time-To-Live (Seconds)',
			name: 'messageSendTtlSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: `How long Meta tries to deliver a message of this template: authentication 30-900, utility 30-43200, marketing 43200-2592000 (Marketing Messages API only). 0: ${zeroMeans}.`,
		},
		{
			displayName: 'Placeholder Format',
			name: 'parameterFormat',
			type: 'options',
			default: 'auto',
			options: [
				{ name: 'Detect From Text', value: 'auto' },
				{ name: 'Named', value: 'NAMED', description: 'Placeholders like {{first_name}}' },
				{ name: 'Numbered', value: 'POSITIONAL', description: 'Placeholders like {{1}}, {{2}}' },
			],
		},
	];
}

/** The placeholder style chosen in the options, if any. */
export function declaredParameterFormat(options: IDataObject): TemplateParameterFormat | undefined {
	return options.parameterFormat === 'NAMED' || options.parameterFormat === 'POSITIONAL'
		? options.parameterFormat
		: undefined;
}

/** Authentication templates have their own kind; the other kinds are not for that category. */
function checkKindAndCategory(
	context: IExecuteFunctions,
	itemIndex: number,
	kind: TemplateKind,
	category: string,
): void {
	if ((kind === 'authentication') === (category === 'AUTHENTICATION')) return;
	throw new NodeOperationError(
		context.getNode(),
		kind === 'authentication'
			? `Template Kind "Authentication" needs Category "Authentication" (it is ${category})`
			: 'Category "Authentication" needs Template Kind "Authentication"',
		{
			itemIndex,
			description:
				'Meta presets the text of authentication templates: choose the code delivery (copy code, one-tap, zero-tap), the security line and the code expiry instead of a body.',
		},
	);
}

/**
 * The components as the user gave them (`componentsFrom`: `json` or `fields`; anything else:
 * none), for a template of `category`. Unchecked: `validateTemplateCreate` checks them.
 */
export function readComponents(
	context: IExecuteFunctions,
	itemIndex: number,
	componentsFrom: string,
	category: string,
	declared: TemplateParameterFormat | undefined,
): unknown {
	if (componentsFrom === 'json') {
		const raw = context.getNodeParameter('componentsJson', itemIndex, '[]');
		return forItem(context, itemIndex, () => parseJsonParameter('Components (JSON)', raw));
	}
	if (componentsFrom !== 'fields') return undefined;
	const kind = context.getNodeParameter('templateKind', itemIndex, 'standard') as TemplateKind;
	checkKindAndCategory(context, itemIndex, kind, category);
	const named = fieldsUseNamedPlaceholders(context, itemIndex, declared);
	return componentsFromFields(context, itemIndex, kind, named);
}
