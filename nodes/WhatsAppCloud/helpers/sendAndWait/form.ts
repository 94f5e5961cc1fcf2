/**
 * Send and Wait's Free Text and Custom Form: the fields the user defines, the WhatsApp Flow JSON
 * the node publishes for them (one screen, no endpoint: the Flow closes with `complete` and
 * WhatsApp sends the values back as an `nfm_reply`), and the typed output of an answer.
 * Component rules: https://developers.facebook.com/docs/whatsapp/flows/reference/components
 */
import { createHash } from 'crypto';

import { checkCount, checkUnique, fail, isBlank, isPlainObject } from '../check';

export type FormFieldKind =
	| 'text'
	| 'textarea'
	| 'number'
	| 'email'
	| 'phone'
	| 'password'
	| 'date'
	| 'dropdown'
	| 'radio'
	| 'checkbox';

export const FORM_FIELD_KINDS: readonly FormFieldKind[] = [
	'text',
	'textarea',
	'number',
	'email',
	'phone',
	'password',
	'date',
	'dropdown',
	'radio',
	'checkbox',
];

export interface FormField {
	/** The key of the value in the output. */
	key: string;
	label: string;
	kind: FormFieldKind;
	required: boolean;
	helperText?: string;
	/** Dropdown, radio and checkbox options as the customer sees them (and the output carries). */
	options?: string[];
	/** Checkboxes: how many the customer must / may tick. */
	minSelections?: number;
	maxSelections?: number;
}

export interface FormDefinition {
	/** The screen's title bar. */
	title: string;
	/** Text above the fields. */
	description?: string;
	/** The label of the button that sends the form. */
	submitLabel: string;
	fields: FormField[];
}

/** Flow JSON version the node writes (publishable: 5.1–7.3 [U]); dates come back as YYYY-MM-DD. */
export const FORM_FLOW_JSON_VERSION = '7.3';
/** The one screen of a generated Flow (screen ids: letters and underscores). */
export const FORM_SCREEN_ID = 'ANSWER';

/** Meta's component limits (characters unless said otherwise). */
export const FORM_LIMITS = {
	componentsPerScreen: 50,
	textInputLabel: 20,
	textAreaLabel: 20,
	dropdownLabel: 20,
	datePickerLabel: 40,
	checkboxLabel: 30,
	radioLabel: 30,
	helperText: 80,
	optionTitle: 30,
	dropdownOptions: 200,
	checkboxOptions: 20,
	radioOptions: 20,
	footerLabel: 35,
	screenTitle: 80,
	textBody: 4096,
	/** The Flow message's button (`flow_cta`), no emoji. */
	flowCta: 20,
} as const;

/** Output keys the node sets itself: a field of that name would be overwritten. */
export const RESERVED_FORM_KEYS = [
	'from',
	'fromUserId',
	'messageId',
	'questionMessageId',
	'phoneNumberId',
	'respondedAt',
	'formDelivery',
];

/** What the node writes around the fields: the screen holds Form + TextBody + Footer. */
const FIXED_COMPONENTS = 3;
export const FORM_FIELDS_MAX = FORM_LIMITS.componentsPerScreen - FIXED_COMPONENTS;

function labelMax(kind: FormFieldKind): number {
	switch (kind) {
		case 'textarea':
			return FORM_LIMITS.textAreaLabel;
		case 'dropdown':
			return FORM_LIMITS.dropdownLabel;
		case 'date':
			return FORM_LIMITS.datePickerLabel;
		case 'checkbox':
			return FORM_LIMITS.checkboxLabel;
		case 'radio':
			return FORM_LIMITS.radioLabel;
		default:
			return FORM_LIMITS.textInputLabel;
	}
}

function optionsMax(kind: FormFieldKind): number {
	if (kind === 'dropdown') return FORM_LIMITS.dropdownOptions;
	if (kind === 'checkbox') return FORM_LIMITS.checkboxOptions;
	return FORM_LIMITS.radioOptions;
}

const hasOptions = (kind: FormFieldKind) =>
	kind === 'dropdown' || kind === 'radio' || kind === 'checkbox';

function text(field: string, value: unknown, max: number, required: boolean): string | undefined {
	if (isBlank(value)) {
		if (required) fail(field, 'is required; it is empty', `1 to ${max} characters`, 'empty');
		return undefined;
	}
	const result = String(value).trim();
	if ([...result].length > max) {
		fail(
			field,
			`is ${[...result].length} characters; WhatsApp Flows allow at most ${max}`,
			`at most ${max} characters`,
			`${[...result].length} characters`,
		);
	}
	return result;
}

function count(field: string, value: unknown): number | undefined {
	if (isBlank(value) || value === 0) return undefined;
	const number = Number(value);
	if (!Number.isInteger(number) || number < 0)
		fail(field, 'must be a whole number of 0 or more', '0 or more', String(value));
	return number;
}

/** A field as the node's parameters give it (the n8n form field names). */
export interface FormFieldInput {
	fieldLabel?: unknown;
	fieldName?: unknown;
	fieldType?: unknown;
	requiredField?: unknown;
	helperText?: unknown;
	fieldOptions?: { values?: Array<{ option?: unknown }> };
	minSelections?: unknown;
	maxSelections?: unknown;
}

/** One field, checked against Meta's limits for its component. */
export function formField(input: FormFieldInput, index: number): FormField {
	const at = `Form Fields[${index}]`;
	const kind = String(input.fieldType ?? 'text') as FormFieldKind;
	if (!FORM_FIELD_KINDS.includes(kind)) {
		fail(
			`${at}.fieldType`,
			`must be one of ${FORM_FIELD_KINDS.join(', ')}; it is "${String(input.fieldType)}"`,
			FORM_FIELD_KINDS.join(', '),
			String(input.fieldType),
		);
	}
	const label = text(`${at}.fieldLabel`, input.fieldLabel, labelMax(kind), true)!;
	const key = isBlank(input.fieldName) ? label : String(input.fieldName).trim();
	if (RESERVED_FORM_KEYS.includes(key)) {
		fail(
			`${at}.fieldName`,
			`"${key}" is a key the output sets itself (${RESERVED_FORM_KEYS.join(', ')}): give the field another name`,
			'a key not in the output already',
			`"${key}"`,
		);
	}
	const field: FormField = { key, label, kind, required: input.requiredField === true };
	const helperText = text(`${at}.helperText`, input.helperText, FORM_LIMITS.helperText, false);
	if (helperText) field.helperText = helperText;
	if (hasOptions(kind)) {
		const options = (input.fieldOptions?.values ?? []).map((value, optionIndex) =>
			text(`${at}.fieldOptions[${optionIndex}]`, value.option, FORM_LIMITS.optionTitle, true)!,
		);
		checkCount(`${at}.fieldOptions`, options.length, 1, optionsMax(kind), 'options');
		checkUnique(options, (i) => `${at}.fieldOptions[${i}]`, 'option');
		field.options = options;
	}
	if (kind === 'checkbox') {
		const min = count(`${at}.minSelections`, input.minSelections);
		const max = count(`${at}.maxSelections`, input.maxSelections);
		const total = field.options!.length;
		if (max !== undefined && max > total)
			fail(
				`${at}.maxSelections`,
				`is ${max}, more than the ${total} options`,
				`at most ${total}`,
				String(max),
			);
		if (min !== undefined && min > (max ?? total))
			fail(
				`${at}.minSelections`,
				`is ${min}, more than can be ticked`,
				`at most ${max ?? total}`,
				String(min),
			);
		if (min !== undefined) field.minSelections = min;
		if (max !== undefined) field.maxSelections = max;
	}
	return field;
}

/** The form of a question: Free Text is one required long-text field keyed `text`. */
export function formDefinition(input: {
	responseType: 'freeText' | 'customForm';
	title?: unknown;
	description?: unknown;
	submitLabel?: unknown;
	fields?: FormFieldInput[];
	/** The question's text, the form's description when none is given (as n8n does). */
	message?: string;
}): FormDefinition {
	const title = text('Form Title', input.title, FORM_LIMITS.screenTitle, false) ?? 'Your answer';
	const description =
		text('Form Description', input.description, FORM_LIMITS.textBody, false) ??
		text('Message', input.message, FORM_LIMITS.textBody, false);
	const submitLabel =
		text('Submit Button Label', input.submitLabel, FORM_LIMITS.footerLabel, false) ?? 'Submit';
	const fields =
		input.responseType === 'freeText'
			? [{ key: 'text', label: 'Response', kind: 'textarea' as const, required: true }]
			: (input.fields ?? []).map((field, index) => formField(field, index));
	checkCount('Form Fields', fields.length, 1, FORM_FIELDS_MAX, 'fields');
	checkUnique(
		fields.map((field) => field.key),
		(i) => `Form Fields[${i}] (output key)`,
		'field name',
	);
	return { title, ...(description ? { description } : {}), submitLabel, fields };
}

/** The Flow component name of the i-th field (and the key its value comes back under). */
export const formComponentName = (index: number) => `field_${index}`;
/** The Flow option id of the j-th option. */
const optionId = (index: number) => `option_${index}`;

type Component = Record<string, unknown>;

function component(field: FormField, index: number): Component {
	const name = formComponentName(index);
	const common: Component = {
		name,
		label: field.label,
		required: field.required,
		...(field.helperText ? { 'helper-text': field.helperText } : {}),
	};
	const dataSource = () =>
		(field.options ?? []).map((title, optionIndex) => ({ id: optionId(optionIndex), title }));
	switch (field.kind) {
		case 'textarea':
			return { type: 'TextArea', ...common };
		case 'date':
			return { type: 'DatePicker', ...common };
		case 'dropdown':
			return { type: 'Dropdown', ...common, 'data-source': dataSource() };
		case 'radio':
			return { type: 'RadioButtonsGroup', ...common, 'data-source': dataSource() };
		case 'checkbox':
			return {
				type: 'CheckboxGroup',
				...common,
				'data-source': dataSource(),
				...(field.minSelections !== undefined ? { 'min-selected-items': field.minSelections } : {}),
				...(field.maxSelections !== undefined ? { 'max-selected-items': field.maxSelections } : {}),
			};
		default:
			return { type: 'TextInput', ...common, 'input-type': field.kind };
	}
}

/** The Flow JSON for a form: one terminal screen whose button completes the Flow with every value. */
export function formFlowJson(form: FormDefinition): Record<string, unknown> {
	const payload = Object.fromEntries(
		form.fields.map((_, index) => [
			formComponentName(index),
			`\${form.${formComponentName(index)}}`,
		]),
	);
	const children: Component[] = [];
	if (form.description) children.push({ type: 'TextBody', text: form.description });
	children.push({
		type: 'Form',
		name: 'form',
		children: [
			...form.fields.map((field, index) => component(field, index)),
			{
				type: 'Footer',
				label: form.submitLabel,
				'on-click-action': { name: 'complete', payload },
			},
		],
	});
	return {
		version: FORM_FLOW_JSON_VERSION,
		screens: [
			{
				id: FORM_SCREEN_ID,
				title: form.title,
				terminal: true,
				success: true,
				layout: { type: 'SingleColumnLayout', children },
			},
		],
	};
}

/** The Flow JSON as uploaded, and the short hash of it that names the Flow. */
export function formFlow(form: FormDefinition): { json: string; hash: string; name: string } {
	const json = JSON.stringify(formFlowJson(form));
	const hash = createHash('sha256').update(json).digest('hex').slice(0, 16);
	return { json, hash, name: formFlowName(form.title, hash) };
}

/** Flow names carry the definition's hash: an unchanged form finds its Flow by name (Flow → List). */
export function formFlowName(title: string, hash: string): string {
	const readable = [...title.replace(/\s+/g, ' ').trim()].slice(0, 60).join('');
	return `n8n form ${readable} [${hash}]`;
}

/** The hash a Flow name carries, or undefined for Flows the node did not make. */
export function hashOfFormFlowName(name: unknown): string | undefined {
	if (typeof name !== 'string' || !name.startsWith('n8n form ')) return undefined;
	return /\[([0-9a-f]{16})\](?: \d+)?$/.exec(name)?.[1];
}

function optionTitle(field: FormField, id: unknown): string | null {
	if (typeof id !== 'string' || id === '') return null;
	const match = /^option_(\d+)$/.exec(id);
	const title = match ? field.options?.[Number(match[1])] : undefined;
	return title ?? id;
}

/** One field's value as the output carries it: numbers as numbers, options by title, dates ISO. */
function typedValue(field: FormField, raw: unknown): unknown {
	const empty = raw === undefined || raw === null || raw === '';
	switch (field.kind) {
		case 'number': {
			if (empty) return null;
			const number = typeof raw === 'number' ? raw : Number(String(raw).trim());
			return Number.isFinite(number) ? number : String(raw);
		}
		case 'date': {
			if (empty) return null;
			// Flow JSON before 5.0 sent a timestamp in milliseconds.
			if (typeof raw === 'number' || /^\d{10,}$/.test(String(raw)))
				return new Date(Number(raw)).toISOString().slice(0, 10);
			return String(raw);
		}
		case 'dropdown':
		case 'radio':
			return empty ? null : optionTitle(field, raw);
		case 'checkbox': {
			const ids = Array.isArray(raw) ? raw : empty ? [] : [raw];
			return ids.map((id) => optionTitle(field, id)).filter((title) => title !== null);
		}
		default:
			return empty ? '' : String(raw);
	}
}

/** The typed values of an answer whose keys are the component names (`field_0`, …). */
export function formAnswerValues(
	form: FormDefinition,
	response: Record<string, unknown>,
): Record<string, unknown> {
	return Object.fromEntries(
		form.fields.map((field, index) => [
			field.key,
			typedValue(field, response[formComponentName(index)]),
		]),
	);
}

/** The required fields an answer left empty (a form page posted without them). */
export function missingRequired(form: FormDefinition, response: Record<string, unknown>): string[] {
	return form.fields
		.filter((field, index) => {
			if (!field.required) return false;
			const raw = response[formComponentName(index)];
			return raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0);
		})
		.map((field) => field.label);
}

/** The values a Flow completion carries, without the token that routed it. */
export function flowResponseValues(data: unknown): Record<string, unknown> {
	if (!isPlainObject(data)) return {};
	const values = { ...data };
	delete values.flow_token;
	return values;
}

/** A one-line summary of the answer for the confirmation's `{answer}`. */
export function formAnswerSummary(form: FormDefinition, values: Record<string, unknown>): string {
	if (form.fields.length === 1) return summaryValue(values[form.fields[0].key]);
	return form.fields
		.map((field) => `${field.label}: ${summaryValue(values[field.key])}`)
		.join(', ');
}

function summaryValue(value: unknown): string {
	if (Array.isArray(value)) return value.join(', ');
	if (value === null || value === undefined) return '–';
	return String(value);
}
