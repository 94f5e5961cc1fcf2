/**
 * Creation rules of the template kinds beyond header/body/footer/buttons, from Meta's pages under
 * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/
 * (media-card-carousel-templates, limited-time-offer-templates, catalog-templates, mpm-templates),
 * https://developers.facebook.com/docs/whatsapp/business-management-api/authentication-templates
 * (copy code / one-tap / zero-tap) and the time-to-live of each category.
 */
import type {
	Template,
	TemplateButton,
	TemplateCategory,
	TemplateComponent,
	TemplateSupportedApp,
} from '../seed';
import { otpButtonUrl } from '../seed';
import {
	BUTTON_TEXT_MAX,
	checkButtonList,
	checkMediaHeaderExample,
	checkVariables,
	fail,
	isObj,
	len,
} from './templateParts';

export const CAROUSEL_CARDS_MIN = 2;
export const CAROUSEL_CARDS_MAX = 10;
export const CARD_BODY_MAX = 160;
export const CARD_BUTTONS_MAX = 2;
export const LTO_TEXT_MAX = 16;
export const LTO_BODY_MAX = 600;
export const CODE_EXPIRATION_MINUTES = { min: 1, max: 90 };
export const SUPPORTED_APPS_MAX = 5;
export const PACKAGE_NAME_MAX = 224;
export const SIGNATURE_HASH_LENGTH = 11;
/** `message_send_ttl_seconds` per category: https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates#time-to-live--ttl---customization--defaults--min-max-values--and-compatibility */
export const TTL_SECONDS: Record<TemplateCategory, { min: number; max: number }> = {
	AUTHENTICATION: { min: 30, max: 900 },
	UTILITY: { min: 30, max: 43_200 },
	// Honoured only by the Marketing Messages API.
	MARKETING: { min: 43_200, max: 2_592_000 },
};

const byType = (comps: TemplateComponent[], type: string) => comps.find((c) => c.type === type);

export function checkTtl(ttl: unknown, category: TemplateCategory) {
	if (ttl === undefined) return;
	const { min, max } = TTL_SECONDS[category];
	if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < min || ttl > max)
		fail(
			`message_send_ttl_seconds for ${category} templates must be an integer from ${min} to ${max}.`,
		);
}

// ---------------------------------------------------------------------------------------------
// Carousel

const CARD_TYPES = ['HEADER', 'BODY', 'BUTTONS'];
const CARD_BUTTON_TYPES = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER'];

/** The shape every card must share: header format, body or not, button types in order. */
const cardShape = (comps: TemplateComponent[]) =>
	JSON.stringify({
		header: byType(comps, 'HEADER')?.format,
		body: !!byType(comps, 'BODY'),
		buttons: (byType(comps, 'BUTTONS')?.buttons ?? []).map((b) => b.type),
	});

export function validateCarousel(
	comps: TemplateComponent[],
	category: TemplateCategory,
	format: Template['parameter_format'],
) {
	if (category !== 'MARKETING')
		fail('CAROUSEL components are only allowed in MARKETING templates.');
	for (const t of ['HEADER', 'FOOTER', 'BUTTONS', 'LIMITED_TIME_OFFER'])
		if (byType(comps, t))
			fail(
				`A carousel template has a BODY and a CAROUSEL only; ${t} goes on the cards, if anywhere.`,
			);
	const cards = byType(comps, 'CAROUSEL')!.cards as unknown;
	if (
		!Array.isArray(cards) ||
		cards.length < CAROUSEL_CARDS_MIN ||
		cards.length > CAROUSEL_CARDS_MAX
	)
		fail(
			`CAROUSEL needs ${CAROUSEL_CARDS_MIN} to ${CAROUSEL_CARDS_MAX} cards; it has ${Array.isArray(cards) ? cards.length : 'none'}.`,
		);
	const list = cards as unknown[];
	list.forEach((card, i) => {
		const where = `CAROUSEL card ${i}`;
		if (!isObj(card) || !Array.isArray(card.components) || !card.components.every(isObj))
			fail(`${where} needs a components list.`);
		const cc = (card as { components: TemplateComponent[] }).components;
		for (const c of cc) {
			if (!CARD_TYPES.includes(c.type))
				fail(
					`${where}: component ${String(c.type)} is not allowed on a card (HEADER, BODY, BUTTONS).`,
				);
		}
		for (const t of CARD_TYPES)
			if (cc.filter((c) => c.type === t).length > 1) fail(`${where}: only one ${t} is allowed.`);
		const header = byType(cc, 'HEADER');
		if (!header) fail(`${where} needs an IMAGE or VIDEO header.`);
		if (header!.format !== 'IMAGE' && header!.format !== 'VIDEO')
			fail(`${where}: header format must be IMAGE or VIDEO.`);
		checkMediaHeaderExample(header!.format!, header!.example, `${where} HEADER`);
		const body = byType(cc, 'BODY');
		if (body) {
			if (typeof body.text !== 'string' || !body.text) fail(`${where}: BODY text is required.`);
			if (len(body.text!) > CARD_BODY_MAX)
				fail(`${where}: BODY text must be at most ${CARD_BODY_MAX} characters.`);
			checkVariables(
				`${where} BODY`,
				body.text!,
				format,
				body.example?.body_text?.[0],
				body.example?.body_text_named_params,
			);
		}
		const buttons = byType(cc, 'BUTTONS');
		// [U] Meta's page says "up to two buttons"; older pages required at least one (kept).
		if (!buttons) fail(`${where} needs a BUTTONS component with 1 or 2 buttons.`);
		const bl = checkButtonList(buttons!.buttons, category, `${where} BUTTONS`);
		if (bl.length > CARD_BUTTONS_MAX)
			fail(`${where}: at most ${CARD_BUTTONS_MAX} buttons per card; it has ${bl.length}.`);
		for (const b of bl)
			if (!CARD_BUTTON_TYPES.includes(b.type))
				fail(
					`${where}: ${b.type} buttons are not allowed on cards (QUICK_REPLY, URL, PHONE_NUMBER).`,
				);
	});
	const shapes = (list as { components: TemplateComponent[] }[]).map((c) =>
		cardShape(c.components),
	);
	const odd = shapes.findIndex((s) => s !== shapes[0]);
	if (odd > 0)
		fail(
			`All carousel cards must have the same components and button types; card ${odd} differs from card 0.`,
		);
}

// ---------------------------------------------------------------------------------------------
// Limited-time offer

export function validateLimitedTimeOffer(comps: TemplateComponent[], category: TemplateCategory) {
	if (category !== 'MARKETING')
		fail('LIMITED_TIME_OFFER components are only allowed in MARKETING templates.');
	const lto = byType(comps, 'LIMITED_TIME_OFFER')!.limited_time_offer as unknown;
	if (!isObj(lto)) fail('LIMITED_TIME_OFFER needs a limited_time_offer object.');
	const offer = lto as { text?: unknown; has_expiration?: unknown };
	if (typeof offer.text !== 'string' || !offer.text) fail('limited_time_offer.text is required.');
	if (len(offer.text as string) > LTO_TEXT_MAX)
		fail(`limited_time_offer.text must be at most ${LTO_TEXT_MAX} characters.`);
	if (offer.has_expiration !== undefined && typeof offer.has_expiration !== 'boolean')
		fail('limited_time_offer.has_expiration must be a boolean.');
	const header = byType(comps, 'HEADER');
	if (header && header.format !== 'IMAGE' && header.format !== 'VIDEO')
		fail('A limited-time offer header must be IMAGE or VIDEO.');
	if (byType(comps, 'FOOTER')) fail('Limited-time offer templates cannot have a FOOTER.');
	const buttons = byType(comps, 'BUTTONS')?.buttons ?? [];
	const types = buttons.map((b) => b.type);
	if (!types.includes('URL')) fail('A limited-time offer template needs a URL button.');
	if (types.length > 2 || types.some((t) => t !== 'URL' && t !== 'COPY_CODE'))
		fail('A limited-time offer template has one URL button and, optionally, one COPY_CODE button.');
	if (offer.has_expiration === true && types[0] !== 'COPY_CODE')
		fail('With has_expiration, a COPY_CODE button is required and must be the first button.');
}

// ---------------------------------------------------------------------------------------------
// Catalog and multi-product (MPM)

export function validateProductButtons(comps: TemplateComponent[], category: TemplateCategory) {
	const buttons = byType(comps, 'BUTTONS')?.buttons ?? [];
	const kind = buttons.find((b) => b.type === 'CATALOG' || b.type === 'MPM')?.type;
	if (!kind) return;
	if (category !== 'MARKETING') fail(`${kind} buttons are only allowed in MARKETING templates.`);
	if (buttons.length !== 1) fail(`A ${kind} template has exactly one button, the ${kind} button.`);
	const header = byType(comps, 'HEADER');
	if (kind === 'CATALOG' && header)
		fail('Catalog templates cannot have a HEADER: the product thumbnail is chosen at send time.');
	if (kind === 'MPM' && (!header || header.format !== 'TEXT'))
		fail('Multi-product (MPM) templates need a TEXT header.');
}

// ---------------------------------------------------------------------------------------------
// Authentication

const OTP_TYPES = ['COPY_CODE', 'ONE_TAP', 'ZERO_TAP'];
const ANDROID_PACKAGE = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;
const SIGNATURE_HASH = /^[A-Za-z0-9+/=]+$/;

function checkApp(app: unknown, where: string): TemplateSupportedApp {
	if (!isObj(app)) fail(`${where} must be {package_name, signature_hash}.`);
	const { package_name: pkg, signature_hash: hash } = app as Partial<TemplateSupportedApp>;
	if (typeof pkg !== 'string' || !pkg) fail(`${where}.package_name is required.`);
	if (len(pkg!) > PACKAGE_NAME_MAX)
		fail(`${where}.package_name must be at most ${PACKAGE_NAME_MAX} characters.`);
	if (!ANDROID_PACKAGE.test(pkg!))
		fail(`${where}.package_name must be an Android package name such as com.example.app.`);
	if (
		typeof hash !== 'string' ||
		hash.length !== SIGNATURE_HASH_LENGTH ||
		!SIGNATURE_HASH.test(hash)
	)
		fail(
			`${where}.signature_hash must be the ${SIGNATURE_HASH_LENGTH}-character app signing key hash.`,
		);
	return { package_name: pkg!, signature_hash: hash! };
}

/** The apps of a one-tap / zero-tap button: `supported_apps`, or the older fields on the button. */
export function otpApps(b: TemplateButton): TemplateSupportedApp[] {
	if (b.supported_apps !== undefined) {
		if (b.package_name !== undefined || b.signature_hash !== undefined)
			fail('Give either supported_apps or package_name + signature_hash, not both.');
		if (!Array.isArray(b.supported_apps) || !b.supported_apps.length)
			fail('supported_apps needs at least one app.');
		if (b.supported_apps.length > SUPPORTED_APPS_MAX)
			fail(`supported_apps allows at most ${SUPPORTED_APPS_MAX} apps.`);
		return b.supported_apps.map((a, i) => checkApp(a, `supported_apps[${i}]`));
	}
	if (b.package_name === undefined && b.signature_hash === undefined)
		fail(`${b.otp_type} buttons need supported_apps (package_name and signature_hash).`);
	return [checkApp(b, 'OTP button')];
}

export function validateAuthentication(comps: TemplateComponent[]) {
	for (const c of comps)
		if (!['BODY', 'FOOTER', 'BUTTONS'].includes(c.type))
			fail(`AUTHENTICATION templates cannot have a ${c.type} component.`);
	const body = byType(comps, 'BODY');
	if (!body) fail('A BODY component is required.');
	if (body!.text !== undefined)
		fail('AUTHENTICATION body text is preset by Meta; send only add_security_recommendation.');
	if (
		body!.add_security_recommendation !== undefined &&
		typeof body!.add_security_recommendation !== 'boolean'
	)
		fail('add_security_recommendation must be a boolean.');
	const footer = byType(comps, 'FOOTER');
	if (footer) {
		if (footer.text !== undefined)
			fail('AUTHENTICATION footer text is preset by Meta; send only code_expiration_minutes.');
		const m = footer.code_expiration_minutes;
		const { min, max } = CODE_EXPIRATION_MINUTES;
		if (m !== undefined && (typeof m !== 'number' || !Number.isInteger(m) || m < min || m > max))
			fail(`code_expiration_minutes must be an integer from ${min} to ${max}.`);
	}
	const buttons = byType(comps, 'BUTTONS')?.buttons;
	if (!Array.isArray(buttons) || buttons.length !== 1 || !isObj(buttons[0]))
		fail('AUTHENTICATION templates need exactly one OTP button.');
	const b = buttons![0];
	if (b.type !== 'OTP') fail('AUTHENTICATION templates need exactly one OTP button.');
	if (typeof b.otp_type !== 'string' || !OTP_TYPES.includes(b.otp_type))
		fail('otp_type must be COPY_CODE, ONE_TAP or ZERO_TAP.');
	for (const key of ['text', 'autofill_text'] as const) {
		const v = b[key];
		if (v !== undefined && (typeof v !== 'string' || !v || len(v) > BUTTON_TEXT_MAX))
			fail(`OTP button ${key} must be 1 to ${BUTTON_TEXT_MAX} characters.`);
	}
	if (b.otp_type === 'COPY_CODE') {
		if (b.autofill_text !== undefined || b.supported_apps !== undefined || b.package_name)
			fail('COPY_CODE buttons take no autofill_text or apps (those are for ONE_TAP and ZERO_TAP).');
		return;
	}
	otpApps(b);
	if (b.otp_type === 'ZERO_TAP' && b.zero_tap_terms_accepted !== true)
		fail('ZERO_TAP buttons need zero_tap_terms_accepted: true.');
}

const SECURITY_LINE = ' For your security, do not share this code.';

/** An authentication definition as Graph returns it: preset texts, the OTP button as a URL. */
export function authenticationAsGraphReturns(comps: TemplateComponent[]): TemplateComponent[] {
	const body = byType(comps, 'BODY')!;
	const footer = byType(comps, 'FOOTER');
	const b = byType(comps, 'BUTTONS')!.buttons![0];
	const minutes = footer?.code_expiration_minutes;
	const security = body.add_security_recommendation === true;
	const url = (code: string) =>
		otpButtonUrl({
			otpType: b.otp_type!,
			autofillText: b.autofill_text,
			app: b.otp_type === 'COPY_CODE' ? undefined : otpApps(b)[0],
			codeExpirationMinutes: minutes,
			code,
		});
	const out: TemplateComponent[] = [
		{
			type: 'BODY',
			text: `*{{1}}* is your verification code.${security ? SECURITY_LINE : ''}`,
			...(body.add_security_recommendation !== undefined
				? { add_security_recommendation: security }
				: {}),
			example: { body_text: [['123456']] },
		},
	];
	if (minutes !== undefined)
		out.push({
			type: 'FOOTER',
			text: `This code expires in ${minutes} minutes.`,
			code_expiration_minutes: minutes,
		});
	out.push({
		type: 'BUTTONS',
		buttons: [
			{ type: 'URL', text: b.text ?? 'Copy code', url: url('{{1}}'), example: [url('123456')] },
		],
	});
	return out;
}

/** The OTP type of an authentication template as stored (from its button URL). */
export function otpTypeOf(t: Template): string | undefined {
	const url = byType(t.components, 'BUTTONS')?.buttons?.[0]?.url ?? '';
	return /[?&]otp_type=([A-Z_]+)/.exec(url)?.[1];
}
