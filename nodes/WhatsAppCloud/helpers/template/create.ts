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
	ServerTemplateComponent,
	TemplateCategory,
	TemplateParameterFormat,
} from '../types/template';
import {
	BODY_TEXT_MAX,
	BUTTON_TEXT_MAX,
	BUTTON_TYPE_MAX,
	BUTTON_URL_MAX,
	BUTTONS_MAX,
	CODE_EXPIRATION_MINUTES_MAX,
	COUPON_CODE_MAX,
	FOOTER_TEXT_MAX,
	HEADER_TEXT_MAX,
	HEADER_VARIABLES_MAX,
	NAMED_PARAMETER,
	PHONE_NUMBER_MAX,
	TEMPLATE_LANGUAGE,
	TEMPLATE_NAME,
} from './limits';

const CATEGORIES: readonly TemplateCategory[] = ['AUTHENTICATION', 'MARKETING', 'UTILITY'];
const HEADER_FORMATS = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'];
const BUTTON_TYPES = Object.keys(BUTTON_TYPE_MAX);

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
	return inferParameterFormat(
		components.map((c) => (typeof c.text === 'string' ? c.text : '')),
		{ countEmpty: true },
	);
}

function checkButtons(component: Json, category: TemplateCategory): void {
	const buttons = component.buttons;
	if (!Array.isArray(buttons) || buttons.length === 0) {
		fail(
			'buttons',
			`must list 1 to ${BUTTONS_MAX} buttons; it has ${Array.isArray(buttons) ? 0 : showValue(buttons)}`,
			`1 to ${BUTTONS_MAX} buttons`,
			'0',
		);
	}
	if (buttons.length > BUTTONS_MAX) {
		fail(
			'buttons',
			`must be at most ${BUTTONS_MAX}; there are ${buttons.length}`,
			`at most ${BUTTONS_MAX} buttons`,
			`${buttons.length} buttons`,
		);
	}
	const types = buttons.map((button, i) => {
		if (!isPlainObject(button))
			return fail(
				`buttons[${i}]`,
				`must be an object; it is ${showValue(button)}`,
				'object',
				showValue(button),
			);
		const type = upper(button.type);
		if (!BUTTON_TYPES.includes(type)) {
			fail(
				`buttons[${i}].type`,
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
				'buttons',
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
			'buttons',
			'must keep quick reply buttons together (all before or all after the other buttons)',
			'quick replies grouped',
			'interleaved',
		);
	}
	if (category === 'AUTHENTICATION' && (types.length !== 1 || types[0] !== 'OTP')) {
		fail(
			'buttons',
			'of an AUTHENTICATION template must be exactly one OTP button',
			'one OTP button',
			types.join(', '),
		);
	}
	if (category !== 'AUTHENTICATION' && types.includes('OTP')) {
		fail('buttons', 'may only use OTP buttons in AUTHENTICATION templates', 'no OTP button', 'OTP');
	}
	buttons.forEach((raw, i) => {
		const button = raw as Json;
		const field = `buttons[${i}]`;
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
		if (type === 'OTP') {
			const otp = upper(button.otp_type);
			if (!['COPY_CODE', 'ONE_TAP', 'ZERO_TAP'].includes(otp)) {
				fail(
					`${field}.otp_type`,
					'must be COPY_CODE, ONE_TAP or ZERO_TAP',
					'COPY_CODE, ONE_TAP, ZERO_TAP',
					showValue(button.otp_type),
				);
			}
		}
	});
}

/**
 * Returns the definition to POST (with `parameter_format` filled in) or throws a PayloadError.
 * Accepts component and button types in either case, as Meta does.
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
	if (!Array.isArray(input.components) || input.components.length === 0) {
		fail(
			'components',
			`must be a list of components with at least a BODY; it is ${showValue(input.components)}`,
			'list of components',
			showValue(input.components),
		);
	}
	const components: Json[] = input.components.map((c, i): Json => {
		if (!isPlainObject(c))
			return fail(
				`components[${i}]`,
				`must be an object; it is ${showValue(c)}`,
				'object',
				showValue(c),
			);
		const type = upper(c.type);
		if (!['HEADER', 'BODY', 'FOOTER', 'BUTTONS'].includes(type)) {
			fail(
				`components[${i}].type`,
				`must be HEADER, BODY, FOOTER or BUTTONS; it is ${showValue(c.type)}`,
				'HEADER, BODY, FOOTER, BUTTONS',
				showValue(c.type),
			);
		}
		return { ...c, type };
	});
	for (const type of ['HEADER', 'BODY', 'FOOTER', 'BUTTONS']) {
		const count = components.filter((c) => c.type === type).length;
		if (count > 1)
			fail('components', `may have one ${type}; there are ${count}`, `one ${type}`, `${count}`);
	}
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

	const body = find('BODY');
	if (!body) fail('components', 'must include a BODY component', 'a BODY', 'none');
	if (category === 'AUTHENTICATION') {
		// Meta presets the text of authentication templates; only options are sent.
		if (body.text !== undefined)
			fail(
				'body.text',
				'must be left out of AUTHENTICATION templates (Meta presets it)',
				'no text',
				'text',
			);
	} else {
		const bodyText = text('body.text', body.text, BODY_TEXT_MAX);
		const example = isPlainObject(body.example) ? body.example : {};
		const firstRow = Array.isArray(example.body_text) ? example.body_text[0] : undefined;
		checkExamples(
			'body.text',
			checkPlaceholders('body.text', bodyText, format),
			format,
			firstRow,
			example.body_text_named_params,
		);
	}

	const header = find('HEADER');
	if (header) {
		if (category === 'AUTHENTICATION')
			fail('header', 'is not allowed in AUTHENTICATION templates', 'no header', 'HEADER');
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
			const handles = example.header_handle;
			if (
				!Array.isArray(handles) ||
				handles.length === 0 ||
				typeof handles[0] !== 'string' ||
				handles[0] === ''
			) {
				fail(
					'header.example.header_handle',
					`must hold the upload handle of a sample ${headerFormat.toLowerCase()} (Resumable Upload API) for Meta's review`,
					'one upload handle',
					'none',
				);
			}
		}
	}

	const footer = find('FOOTER');
	if (footer) {
		if (category === 'AUTHENTICATION') {
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
		} else {
			const footerText = text('footer.text', footer.text, FOOTER_TEXT_MAX);
			if (placeholderNames(footerText).length)
				fail(
					'footer.text',
					'cannot contain placeholders',
					'no placeholders',
					`${placeholderNames(footerText).length}`,
				);
		}
	}

	const buttons = find('BUTTONS');
	if (buttons) checkButtons(buttons, category);
	else if (category === 'AUTHENTICATION')
		fail(
			'buttons',
			'of an AUTHENTICATION template must be exactly one OTP button',
			'one OTP button',
			'none',
		);

	const result: ClientTemplateCreate = {
		name,
		language,
		category,
		parameter_format: format,
		components: components as unknown as ServerTemplateComponent[],
	};
	if (typeof input.allow_category_change === 'boolean')
		result.allow_category_change = input.allow_category_change;
	return result;
}
