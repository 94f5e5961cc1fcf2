/**
 * Checks a new template definition before `POST /{waba-id}/message_templates`, so a workflow
 * learns what Meta would refuse (name, category, language, components, placeholders, examples,
 * button caps) with the field named, instead of a bare "(#100) Invalid parameter".
 */
import { fail, isPlainObject, showValue } from '../check';
import { inferParameterFormat, placeholderNames } from './placeholders';
import { checkLength } from '../text';
import type {
	ClientTemplateCreate,
	TemplateCategory,
	TemplateParameterFormat,
} from '../types/template';
import {
	ANDROID_PACKAGE_NAME,
	BODY_TEXT_MAX,
	BUTTON_TEXT_MAX,
	BUTTON_TYPE_MAX,
	BUTTON_URL_MAX,
	BUTTONS_MAX,
	CARD_BODY_MAX,
	CARD_BUTTON_TYPES,
	CARD_BUTTONS_MAX,
	CAROUSEL_CARDS_MAX,
	CAROUSEL_CARDS_MIN,
	CODE_EXPIRATION_MINUTES_MAX,
	COUPON_CODE_MAX,
	FOOTER_TEXT_MAX,
	HEADER_TEXT_MAX,
	HEADER_VARIABLES_MAX,
	NAMED_PARAMETER,
	OFFER_BODY_MAX,
	OFFER_TEXT_MAX,
	PACKAGE_NAME_MAX,
	PHONE_NUMBER_MAX,
	SIGNATURE_HASH,
	SIGNATURE_HASH_LENGTH,
	SUPPORTED_APPS_MAX,
	TEMPLATE_LANGUAGE,
	TEMPLATE_NAME,
	TTL_SECONDS,
} from './limits';

const CATEGORIES: readonly TemplateCategory[] = ['AUTHENTICATION', 'MARKETING', 'UTILITY'];
const HEADER_FORMATS = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'];
const BUTTON_TYPES = Object.keys(BUTTON_TYPE_MAX);
const COMPONENT_TYPES = ['HEADER', 'BODY', 'FOOTER', 'BUTTONS', 'CAROUSEL', 'LIMITED_TIME_OFFER'];
const OTP_TYPES = ['COPY_CODE', 'ONE_TAP', 'ZERO_TAP'];

type Json = Record<string, unknown>;

/** Upper-cased text of a string; anything else is '' (so it fails the check that follows). */
const upper = (value: unknown) => (typeof value === 'string' ? value.toUpperCase() : '');

function text(field: string, value: unknown, max: number, min = 1): string {
	if (typeof value !== 'string')
		return fail(
			field,
			`must be text of ${min} to ${max} characters; it is ${showValue(value)}`,
			`${min} to ${max} characters`,
			showValue(value),
		);
	return checkLength(field, value, max, min);
}

/** Meta's rules for `{{…}}`: one style per template; numbered ones 1, 2, 3 in order; named ones unique. */
function checkPlaceholders(
	field: string,
	value: string,
	format: TemplateParameterFormat,
): string[] {
	const found = placeholderNames(value);
	if (format === 'POSITIONAL') {
		found.forEach((name, i) => {
			if (!/^\d+$/.test(name)) {
				fail(
					field,
					`mixes the named placeholder {{${name}}} into a template with numbered placeholders`,
					'numbered placeholders {{1}}, {{2}}, …',
					`{{${name}}}`,
				);
			}
			if (Number(name) !== i + 1) {
				fail(
					field,
					`placeholders must be numbered in order {{1}}, {{2}}, … without gaps or repeats; placeholder ${i + 1} is {{${name}}}`,
					'sequential {{1}}, {{2}}, …',
					`{{${name}}}`,
				);
			}
		});
	} else {
		for (const name of found) {
			if (/^\d+$/.test(name)) {
				fail(
					field,
					`mixes the numbered placeholder {{${name}}} into a template with named placeholders`,
					'named placeholders',
					`{{${name}}}`,
				);
			}
			if (!NAMED_PARAMETER.test(name)) {
				fail(
					field,
					`has the placeholder {{${name}}}; names must be 1 to 20 lowercase letters or underscores`,
					'^[a-z_]{1,20}$',
					`{{${name}}}`,
				);
			}
		}
		const repeated = found.find((name, i) => found.indexOf(name) !== i);
		if (repeated)
			fail(
				field,
				`repeats the placeholder {{${repeated}}}`,
				'unique names',
				`{{${repeated}}} twice`,
			);
	}
	return found;
}

function checkExamples(
	field: string,
	variables: string[],
	format: TemplateParameterFormat,
	positional: unknown,
	named: unknown,
): void {
	if (!variables.length) return;
	if (format === 'POSITIONAL') {
		const list = Array.isArray(positional) ? positional : [];
		if (
			list.length !== variables.length ||
			!list.every((e) => typeof e === 'string' && e.trim() !== '')
		) {
			fail(
				field,
				`has ${variables.length} placeholder${variables.length > 1 ? 's' : ''} and needs as many example values (Meta reviews them); it has ${list.length}`,
				`${variables.length} examples`,
				`${list.length} examples`,
			);
		}
		return;
	}
	const list = Array.isArray(named) ? named.filter(isPlainObject) : [];
	const missing = variables.filter(
		(name) =>
			!list.some(
				(e) => e.param_name === name && typeof e.example === 'string' && e.example.trim() !== '',
			),
	);
	if (missing.length) {
		fail(
			field,
			`needs an example value for each named placeholder; missing for ${missing.map((n) => `{{${n}}}`).join(', ')}`,
			'one example per placeholder',
			`${missing.length} missing`,
		);
	}
}

/** An empty `{{}}` counts as named here, so it fails the named-placeholder check with its field. */
function inferFormat(components: Json[]): TemplateParameterFormat {
	const texts = components.flatMap((c) => [
		typeof c.text === 'string' ? c.text : '',
		...(Array.isArray(c.cards) ? c.cards : []).flatMap((card: unknown) =>
			(isPlainObject(card) && Array.isArray(card.components) ? card.components : []).map(
				(cc: unknown) => (isPlainObject(cc) && typeof cc.text === 'string' ? cc.text : ''),
			),
		),
	]);
	return inferParameterFormat(texts, { countEmpty: true });
}

/** A BUTTONS component's buttons (`at`: `buttons`, or a carousel card's); their types in order. */
function checkButtons(component: Json, category: TemplateCategory, at = 'buttons'): string[] {
	const buttons = component.buttons;
	if (!Array.isArray(buttons) || buttons.length === 0) {
		fail(
			at,
			`must list 1 to ${BUTTONS_MAX} buttons; it has ${Array.isArray(buttons) ? 0 : showValue(buttons)}`,
			`1 to ${BUTTONS_MAX} buttons`,
			'0',
		);
	}
	if (buttons.length > BUTTONS_MAX) {
		fail(
			at,
			`must be at most ${BUTTONS_MAX}; there are ${buttons.length}`,
			`at most ${BUTTONS_MAX} buttons`,
			`${buttons.length} buttons`,
		);
	}
	const types = buttons.map((button, i) => {
		if (!isPlainObject(button))
			return fail(
				`${at}[${i}]`,
				`must be an object; it is ${showValue(button)}`,
				'object',
				showValue(button),
			);
		const type = upper(button.type);
		if (!BUTTON_TYPES.includes(type)) {
			fail(
				`${at}[${i}].type`,
				`must be one of ${BUTTON_TYPES.join(', ')}; it is ${showValue(button.type)}`,
				BUTTON_TYPES.join(', '),
				showValue(button.type),
			);
		}
		return type;
	});
	for (const type of new Set(types)) {
		const count = types.filter((t) => t === type).length;
		if (count > BUTTON_TYPE_MAX[type]) {
			fail(
				at,
				`may have at most ${BUTTON_TYPE_MAX[type]} ${type} button${BUTTON_TYPE_MAX[type] > 1 ? 's' : ''}; there are ${count}`,
				`at most ${BUTTON_TYPE_MAX[type]} ${type}`,
				`${count} ${type}`,
			);
		}
	}
	// Meta groups quick replies apart from the other buttons; interleaving is refused.
	const first = types.indexOf('QUICK_REPLY');
	const last = types.lastIndexOf('QUICK_REPLY');
	if (first >= 0 && types.slice(first, last + 1).some((t) => t !== 'QUICK_REPLY')) {
		fail(
			at,
			'must keep quick reply buttons together (all before or all after the other buttons)',
			'quick replies grouped',
			'interleaved',
		);
	}
	if (category === 'AUTHENTICATION' && (types.length !== 1 || types[0] !== 'OTP')) {
		fail(
			at,
			'of an AUTHENTICATION template must be exactly one OTP button',
			'one OTP button',
			types.join(', '),
		);
	}
	if (category !== 'AUTHENTICATION' && types.includes('OTP')) {
		fail(at, 'may only use OTP buttons in AUTHENTICATION templates', 'no OTP button', 'OTP');
	}
	buttons.forEach((raw, i) => {
		const button = raw as Json;
		const field = `${at}[${i}]`;
		const type = types[i];
		if (type !== 'COPY_CODE' && type !== 'OTP') text(`${field}.text`, button.text, BUTTON_TEXT_MAX);
		if (type === 'OTP' && button.text !== undefined)
			text(`${field}.text`, button.text, BUTTON_TEXT_MAX);
		if (type === 'URL') {
			const url = text(`${field}.url`, button.url, BUTTON_URL_MAX);
			if (!/^https?:\/\/\S+$/i.test(url))
				fail(
					`${field}.url`,
					'must be an http(s) URL without spaces',
					'http(s) URL',
					showValue(url),
				);
			const variables = placeholderNames(url);
			if (variables.length > 1 || (variables.length === 1 && !/\{\{1\}\}$/.test(url))) {
				fail(
					`${field}.url`,
					'may have one placeholder, {{1}}, at its very end',
					'one {{1}} at the end',
					`${variables.length} placeholders`,
				);
			}
			if (variables.length === 1) {
				const example = Array.isArray(button.example) ? button.example[0] : button.example;
				if (typeof example !== 'string' || !/^https?:\/\/\S+$/i.test(example)) {
					fail(
						`${field}.example`,
						'must be a full example URL (Meta reviews it) because the URL has a placeholder',
						'example URL',
						showValue(example),
					);
				}
				checkLength(`${field}.example`, example, BUTTON_URL_MAX, 1);
			}
		}
		if (type === 'PHONE_NUMBER') {
			const phone = text(`${field}.phone_number`, button.phone_number, PHONE_NUMBER_MAX);
			if (!/^\+?[\d\s()-]+$/.test(phone))
				fail(
					`${field}.phone_number`,
					'must be a phone number in international format',
					'phone number',
					showValue(phone),
				);
		}
		if (type === 'COPY_CODE') {
			const example = Array.isArray(button.example) ? button.example[0] : button.example;
			text(`${field}.example`, example, COUPON_CODE_MAX);
		}
		if (
			type === 'FLOW' &&
			[button.flow_id, button.flow_name, button.flow_json].every(
				(v) => typeof v !== 'string' || v === '',
			)
		) {
			fail(field, 'needs flow_id, flow_name or flow_json', 'a flow', 'none');
		}
		if (type === 'OTP') checkOtpButton(button, field);
	});
	return types;
}

/** A body text with its placeholders and their examples; the text. */
function checkBodyText(
	field: string,
	body: Json,
	format: TemplateParameterFormat,
	max: number,
): string {
	const bodyText = text(`${field}.text`, body.text, max);
	const example = isPlainObject(body.example) ? body.example : {};
	const firstRow = Array.isArray(example.body_text) ? example.body_text[0] : undefined;
	checkExamples(
		`${field}.text`,
		checkPlaceholders(`${field}.text`, bodyText, format),
		format,
		firstRow,
		example.body_text_named_params,
	);
	return bodyText;
}

/** Media headers need a sample file's upload handle for Meta's review. */
function checkMediaHandle(field: string, headerFormat: string, example: Json): void {
	const handles = example.header_handle;
	if (
		!Array.isArray(handles) ||
		handles.length === 0 ||
		typeof handles[0] !== 'string' ||
		handles[0] === ''
	) {
		fail(
			`${field}.example.header_handle`,
			`must hold the upload handle of a sample ${headerFormat.toLowerCase()} (Resumable Upload API) for Meta's review`,
			'one upload handle',
			'none',
		);
	}
}

/** One-time password buttons: the type, labels, and the Android apps of one-tap / zero-tap. */
function checkOtpButton(button: Json, field: string): void {
	const otp = upper(button.otp_type);
	if (!OTP_TYPES.includes(otp)) {
		fail(
			`${field}.otp_type`,
			`must be ${OTP_TYPES.join(', ')}; it is ${showValue(button.otp_type)}`,
			OTP_TYPES.join(', '),
			showValue(button.otp_type),
		);
	}
	if (button.autofill_text !== undefined)
		text(`${field}.autofill_text`, button.autofill_text, BUTTON_TEXT_MAX);
	if (otp === 'COPY_CODE') {
		for (const key of [
			'autofill_text',
			'supported_apps',
			'package_name',
			'zero_tap_terms_accepted',
		])
			if (button[key] !== undefined)
				fail(
					`${field}.${key}`,
					'is for one-tap and zero-tap buttons only; a copy code button has none',
					'left out for COPY_CODE',
					'given',
				);
		return;
	}
	const apps = button.supported_apps;
	if (!Array.isArray(apps) || apps.length === 0 || apps.length > SUPPORTED_APPS_MAX) {
		fail(
			`${field}.supported_apps`,
			`must list 1 to ${SUPPORTED_APPS_MAX} Android apps (package name and signature hash) for ${otp} buttons; it has ${Array.isArray(apps) ? apps.length : showValue(apps)}`,
			`1 to ${SUPPORTED_APPS_MAX} apps`,
			Array.isArray(apps) ? `${apps.length} apps` : showValue(apps),
		);
	}
	apps.forEach((app: unknown, i) => {
		const at = `${field}.supported_apps[${i}]`;
		const entry = isPlainObject(app) ? app : {};
		const packageName = text(`${at}.package_name`, entry.package_name, PACKAGE_NAME_MAX);
		if (!ANDROID_PACKAGE_NAME.test(packageName))
			fail(
				`${at}.package_name`,
				'must be an Android package name such as com.example.app',
				'Android package name',
				showValue(packageName),
			);
		const hash = entry.signature_hash;
		if (typeof hash !== 'string' || !SIGNATURE_HASH.test(hash))
			fail(
				`${at}.signature_hash`,
				`must be the ${SIGNATURE_HASH_LENGTH}-character hash of the app's signing key; it is ${showValue(hash)}`,
				`${SIGNATURE_HASH_LENGTH} characters of A-Z, a-z, 0-9, +, /, =`,
				typeof hash === 'string' ? `${hash.length} characters` : showValue(hash),
			);
	});
	if (otp === 'ZERO_TAP' && button.zero_tap_terms_accepted !== true)
		fail(
			`${field}.zero_tap_terms_accepted`,
			"must be true: zero-tap needs you to accept Meta's zero-tap terms",
			'true',
			showValue(button.zero_tap_terms_accepted),
		);
}

const onlyMarketing = (field: string, what: string, category: TemplateCategory) => {
	if (category !== 'MARKETING')
		fail(
			field,
			`${what} only in MARKETING templates; this one is ${category}`,
			'MARKETING',
			category,
		);
};

/** The shape Meta requires to be the same on every card: header format, body or not, button types. */
const cardShape = (components: Json[]) =>
	JSON.stringify({
		header: components.find((c) => c.type === 'HEADER')?.format,
		body: components.some((c) => c.type === 'BODY'),
		buttons: components.find((c) => c.type === 'BUTTONS')?.buttons,
	});

/** Carousel: a BODY and a CAROUSEL of 2-10 identical cards (media header, body, 1-2 buttons). */
function checkCarousel(
	components: Json[],
	carousel: Json,
	category: TemplateCategory,
	format: TemplateParameterFormat,
): void {
	onlyMarketing('carousel', 'is allowed', category);
	for (const type of ['HEADER', 'FOOTER', 'BUTTONS', 'LIMITED_TIME_OFFER']) {
		if (components.some((c) => c.type === type))
			fail(
				'components',
				`of a carousel template are a BODY and the CAROUSEL only; the ${type} goes on the cards, if anywhere`,
				'BODY, CAROUSEL',
				type,
			);
	}
	const cards = carousel.cards;
	const count = Array.isArray(cards) ? cards.length : 0;
	if (count < CAROUSEL_CARDS_MIN || count > CAROUSEL_CARDS_MAX) {
		fail(
			'carousel.cards',
			`must be ${CAROUSEL_CARDS_MIN} to ${CAROUSEL_CARDS_MAX} cards; there are ${count}`,
			`${CAROUSEL_CARDS_MIN} to ${CAROUSEL_CARDS_MAX} cards`,
			`${count} cards`,
		);
	}
	const shapes = (cards as unknown[]).map((card, i) => {
		const at = `carousel.cards[${i}]`;
		if (!isPlainObject(card) || !Array.isArray(card.components))
			return fail(at, 'must be {components: [...]}', 'an object with components', showValue(card));
		const cardComponents = card.components.map((c: unknown, k): Json => {
			const type = isPlainObject(c) ? upper(c.type) : '';
			if (!['HEADER', 'BODY', 'BUTTONS'].includes(type))
				fail(
					`${at}.components[${k}].type`,
					`must be HEADER, BODY or BUTTONS (the parts of a card); it is ${showValue(isPlainObject(c) ? c.type : c)}`,
					'HEADER, BODY, BUTTONS',
					showValue(isPlainObject(c) ? c.type : c),
				);
			return { ...(c as Json), type };
		});
		card.components = cardComponents;
		for (const type of ['HEADER', 'BODY', 'BUTTONS']) {
			const n = cardComponents.filter((c) => c.type === type).length;
			if (n > 1)
				fail(`${at}.components`, `may have one ${type}; there are ${n}`, `one ${type}`, `${n}`);
		}
		const header = cardComponents.find((c) => c.type === 'HEADER');
		const headerFormat = upper(header?.format);
		if (headerFormat !== 'IMAGE' && headerFormat !== 'VIDEO')
			fail(
				`${at}.header.format`,
				`must be IMAGE or VIDEO (every card starts with a picture or a video); it is ${showValue(header?.format)}`,
				'IMAGE, VIDEO',
				showValue(header?.format),
			);
		header!.format = headerFormat;
		checkMediaHandle(
			`${at}.header`,
			headerFormat,
			isPlainObject(header!.example) ? header!.example : {},
		);
		const body = cardComponents.find((c) => c.type === 'BODY');
		if (body) checkBodyText(`${at}.body`, body, format, CARD_BODY_MAX);
		const buttons = cardComponents.find((c) => c.type === 'BUTTONS');
		if (!buttons)
			fail(
				`${at}.buttons`,
				`are required: 1 or ${CARD_BUTTONS_MAX} buttons per card`,
				`1 to ${CARD_BUTTONS_MAX} buttons`,
				'0',
			);
		const types = checkButtons(buttons, category, `${at}.buttons`);
		if (types.length > CARD_BUTTONS_MAX)
			fail(
				`${at}.buttons`,
				`must be at most ${CARD_BUTTONS_MAX} per card; there are ${types.length}`,
				`at most ${CARD_BUTTONS_MAX} buttons`,
				`${types.length} buttons`,
			);
		const odd = types.findIndex((t) => !CARD_BUTTON_TYPES.includes(t));
		if (odd >= 0)
			fail(
				`${at}.buttons[${odd}].type`,
				`must be ${CARD_BUTTON_TYPES.join(', ')} on a card; it is ${types[odd]}`,
				CARD_BUTTON_TYPES.join(', '),
				types[odd],
			);
		return cardShape(
			cardComponents.map((c) =>
				c.type === 'BUTTONS'
					? { ...c, buttons: (c.buttons as Json[]).map((b) => upper(b.type)) }
					: c,
			),
		);
	});
	const different = shapes.findIndex((shape) => shape !== shapes[0]);
	if (different > 0)
		fail(
			`carousel.cards[${different}]`,
			'must have the same components and button types, in the same order, as card 0 (Meta requires identical cards)',
			'same shape as card 0',
			'different',
		);
}

/** Limited-time offer: offer text ≤16, image/video header or none, no footer, URL + copy code. */
function checkOffer(components: Json[], offer: Json, category: TemplateCategory): void {
	onlyMarketing('limited_time_offer', 'is allowed', category);
	const details = isPlainObject(offer.limited_time_offer) ? offer.limited_time_offer : {};
	text('limited_time_offer.text', details.text, OFFER_TEXT_MAX);
	const expires = details.has_expiration;
	if (expires !== undefined && typeof expires !== 'boolean')
		fail(
			'limited_time_offer.has_expiration',
			`must be true or false; it is ${showValue(expires)}`,
			'true or false',
			showValue(expires),
		);
	const header = components.find((c) => c.type === 'HEADER');
	if (header && !['IMAGE', 'VIDEO'].includes(upper(header.format)))
		fail(
			'header.format',
			`of a limited-time offer must be IMAGE or VIDEO (or no header); it is ${showValue(header.format)}`,
			'IMAGE, VIDEO',
			showValue(header.format),
		);
	if (components.some((c) => c.type === 'FOOTER'))
		fail('footer', 'is not allowed in limited-time offer templates', 'no footer', 'FOOTER');
	const body = components.find((c) => c.type === 'BODY');
	if (body && typeof body.text === 'string') checkLength('body.text', body.text, OFFER_BODY_MAX, 1);
	const buttons = components.find((c) => c.type === 'BUTTONS');
	const types = Array.isArray(buttons?.buttons)
		? (buttons.buttons as unknown[]).map((b) => (isPlainObject(b) ? upper(b.type) : ''))
		: [];
	if (!types.includes('URL'))
		fail(
			'buttons',
			'of a limited-time offer must include a URL button',
			'a URL button',
			types.join(', ') || 'none',
		);
	if (types.length > 2 || types.some((t) => t !== 'URL' && t !== 'COPY_CODE'))
		fail(
			'buttons',
			'of a limited-time offer are one URL button and, optionally, one COPY_CODE button',
			'URL (+ COPY_CODE)',
			types.join(', '),
		);
	if (expires === true && types[0] !== 'COPY_CODE')
		fail(
			'buttons[0]',
			'must be a COPY_CODE button when the offer has an expiration (the code is copied before it runs out)',
			'COPY_CODE first',
			types[0],
		);
}

/** Catalog and multi-product templates: MARKETING, one button; MPM needs a text header, catalog none. */
function checkProductButtons(components: Json[], category: TemplateCategory): void {
	const buttons = components.find((c) => c.type === 'BUTTONS');
	const list = Array.isArray(buttons?.buttons) ? (buttons.buttons as unknown[]) : [];
	const types = list.map((b) => (isPlainObject(b) ? upper(b.type) : ''));
	const kind = types.find((t) => t === 'CATALOG' || t === 'MPM');
	if (!kind) return;
	onlyMarketing('buttons', `may have a ${kind} button`, category);
	if (types.length !== 1)
		fail(
			'buttons',
			`of a ${kind} template must be exactly one button, the ${kind} button`,
			`one ${kind} button`,
			`${types.length} buttons`,
		);
	const header = components.find((c) => c.type === 'HEADER');
	if (kind === 'CATALOG' && header)
		fail(
			'header',
			'is not allowed in catalog templates: the thumbnail product is chosen when sending',
			'no header',
			'HEADER',
		);
	if (kind === 'MPM' && (!header || upper(header.format) !== 'TEXT'))
		fail(
			'header',
			'of a multi-product template must be a TEXT header',
			'a TEXT header',
			header ? upper(header.format) : 'none',
		);
}

/** Authentication: preset body (security line optional), code expiry 1-90 min, one OTP button. */
function checkAuthentication(components: Json[]): void {
	for (const c of components) {
		const type = String(c.type);
		if (type === 'HEADER')
			fail('header', 'is not allowed in AUTHENTICATION templates', 'no header', 'HEADER');
		if (!['BODY', 'FOOTER', 'BUTTONS'].includes(type))
			fail(
				'components',
				`may not include a ${type} in AUTHENTICATION templates`,
				'BODY, FOOTER, BUTTONS',
				type,
			);
	}
	const body = components.find((c) => c.type === 'BODY')!;
	// Meta presets the text of authentication templates; only options are sent.
	if (body.text !== undefined)
		fail(
			'body.text',
			'must be left out of AUTHENTICATION templates (Meta presets it)',
			'no text',
			'text',
		);
	const security = body.add_security_recommendation;
	if (security !== undefined && typeof security !== 'boolean')
		fail(
			'body.add_security_recommendation',
			`must be true or false; it is ${showValue(security)}`,
			'true or false',
			showValue(security),
		);
	const footer = components.find((c) => c.type === 'FOOTER');
	if (footer) {
		if (footer.text !== undefined)
			fail(
				'footer.text',
				'must be left out of AUTHENTICATION templates (Meta presets it from code_expiration_minutes)',
				'no text',
				'text',
			);
		const minutes = footer.code_expiration_minutes;
		if (
			minutes !== undefined &&
			(typeof minutes !== 'number' ||
				!Number.isInteger(minutes) ||
				minutes < 1 ||
				minutes > CODE_EXPIRATION_MINUTES_MAX)
		) {
			fail(
				'footer.code_expiration_minutes',
				`must be a whole number from 1 to ${CODE_EXPIRATION_MINUTES_MAX}; it is ${showValue(minutes)}`,
				`1 to ${CODE_EXPIRATION_MINUTES_MAX}`,
				showValue(minutes),
			);
		}
	}
	const buttons = components.find((c) => c.type === 'BUTTONS');
	if (!buttons)
		fail(
			'buttons',
			'of an AUTHENTICATION template must be exactly one OTP button',
			'one OTP button',
			'none',
		);
	checkButtons(buttons, 'AUTHENTICATION');
}

/** `message_send_ttl_seconds` within the category's range. */
export function checkTimeToLive(value: unknown, category: TemplateCategory): number | undefined {
	if (value === undefined) return undefined;
	const { min, max } = TTL_SECONDS[category];
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		fail(
			'message_send_ttl_seconds',
			`must be a whole number of seconds from ${min} to ${max} for ${category} templates${category === 'MARKETING' ? ' (honoured by the Marketing Messages API only)' : ''}; it is ${showValue(value)}`,
			`${min} to ${max} seconds`,
			showValue(value),
		);
	}
	return value;
}

/** The standard parts: header (text, media, location), body, footer, buttons. */
function checkStandard(
	components: Json[],
	category: TemplateCategory,
	format: TemplateParameterFormat,
	offer: boolean,
): void {
	const find = (type: string) => components.find((c) => c.type === type);
	checkBodyText('body', find('BODY')!, format, BODY_TEXT_MAX);

	const header = find('HEADER');
	if (header) {
		const headerFormat = upper(header.format);
		if (!HEADER_FORMATS.includes(headerFormat)) {
			fail(
				'header.format',
				`must be one of ${HEADER_FORMATS.join(', ')}; it is ${showValue(header.format)}`,
				HEADER_FORMATS.join(', '),
				showValue(header.format),
			);
		}
		header.format = headerFormat;
		const example = isPlainObject(header.example) ? header.example : {};
		if (headerFormat === 'TEXT') {
			const headerText = text('header.text', header.text, HEADER_TEXT_MAX);
			const variables = checkPlaceholders('header.text', headerText, format);
			if (variables.length > HEADER_VARIABLES_MAX) {
				fail(
					'header.text',
					`may have at most ${HEADER_VARIABLES_MAX} placeholder; it has ${variables.length}`,
					`at most ${HEADER_VARIABLES_MAX} placeholder`,
					`${variables.length}`,
				);
			}
			checkExamples(
				'header.text',
				variables,
				format,
				example.header_text,
				example.header_text_named_params,
			);
		} else if (headerFormat !== 'LOCATION') {
			checkMediaHandle('header', headerFormat, example);
		}
	}

	const footer = find('FOOTER');
	if (footer && !offer) {
		const footerText = text('footer.text', footer.text, FOOTER_TEXT_MAX);
		if (placeholderNames(footerText).length)
			fail(
				'footer.text',
				'cannot contain placeholders',
				'no placeholders',
				`${placeholderNames(footerText).length}`,
			);
	}

	const buttons = find('BUTTONS');
	if (buttons) checkButtons(buttons, category);
}

/**
 * Returns the definition to POST (with `parameter_format` filled in) or throws a PayloadError.
 * Accepts component and button types in either case, as Meta does. Every kind: standard, carousel,
 * limited-time offer, coupon (a copy code button), catalog, multi-product and authentication.
 */
export function validateTemplateCreate(input: unknown): ClientTemplateCreate {
	if (!isPlainObject(input))
		fail('template', `must be an object; it is ${showValue(input)}`, 'object', showValue(input));
	const name = input.name;
	if (typeof name !== 'string' || !TEMPLATE_NAME.test(name)) {
		fail(
			'name',
			`must be 1 to 512 lowercase letters, digits or underscores; it is ${showValue(name)}`,
			'^[a-z0-9_]{1,512}$',
			showValue(name),
		);
	}
	const category = upper(input.category) as TemplateCategory;
	if (!CATEGORIES.includes(category)) {
		fail(
			'category',
			`must be one of ${CATEGORIES.join(', ')}; it is ${showValue(input.category)}`,
			CATEGORIES.join(', '),
			showValue(input.category),
		);
	}
	const language = input.language;
	if (typeof language !== 'string' || !TEMPLATE_LANGUAGE.test(language)) {
		fail(
			'language',
			`must be a language code such as en, en_US or pt_BR; it is ${showValue(language)}`,
			'language code',
			showValue(language),
		);
	}
	const components = checkComponentList(input.components);
	const declared = input.parameter_format;
	if (declared !== undefined && declared !== 'POSITIONAL' && declared !== 'NAMED') {
		fail(
			'parameter_format',
			`must be POSITIONAL or NAMED; it is ${showValue(declared)}`,
			'POSITIONAL, NAMED',
			showValue(declared),
		);
	}
	const format: TemplateParameterFormat = declared ?? inferFormat(components);
	const find = (type: string) => components.find((c) => c.type === type);
	if (!find('BODY')) fail('components', 'must include a BODY component', 'a BODY', 'none');

	const carousel = find('CAROUSEL');
	const offer = find('LIMITED_TIME_OFFER');
	if (category === 'AUTHENTICATION') {
		checkAuthentication(components);
	} else if (carousel) {
		checkCarousel(components, carousel, category, format);
		checkBodyText('body', find('BODY')!, format, BODY_TEXT_MAX);
	} else {
		if (offer) checkOffer(components, offer, category);
		checkStandard(components, category, format, offer !== undefined);
		checkProductButtons(components, category);
	}
	const ttl = checkTimeToLive(input.message_send_ttl_seconds, category);

	const result: ClientTemplateCreate = {
		name,
		language,
		category,
		parameter_format: format,
		components: components as unknown as ClientTemplateCreate['components'],
	};
	if (typeof input.allow_category_change === 'boolean')
		result.allow_category_change = input.allow_category_change;
	if (ttl !== undefined) result.message_send_ttl_seconds = ttl;
	return result;
}

/** The components as a list of known types, one of each, with upper-case types. */
function checkComponentList(value: unknown): Json[] {
	if (!Array.isArray(value) || value.length === 0) {
		fail(
			'components',
			`must be a list of components with at least a BODY; it is ${showValue(value)}`,
			'list of components',
			showValue(value),
		);
	}
	const components = value.map((c, i): Json => {
		if (!isPlainObject(c))
			return fail(
				`components[${i}]`,
				`must be an object; it is ${showValue(c)}`,
				'object',
				showValue(c),
			);
		const type = upper(c.type);
		if (!COMPONENT_TYPES.includes(type)) {
			fail(
				`components[${i}].type`,
				`must be ${COMPONENT_TYPES.slice(0, -1).join(', ')} or ${COMPONENT_TYPES.at(-1)}; it is ${showValue(c.type)}`,
				COMPONENT_TYPES.join(', '),
				showValue(c.type),
			);
		}
		return { ...c, type };
	});
	for (const type of COMPONENT_TYPES) {
		const count = components.filter((c) => c.type === type).length;
		if (count > 1)
			fail('components', `may have one ${type}; there are ${count}`, `one ${type}`, `${count}`);
	}
	return components;
}
