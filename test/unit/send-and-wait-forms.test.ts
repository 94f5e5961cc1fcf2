/**
 * Send and Wait's forms: the Flow JSON generated from every field kind (valid by the emulator's
 * copy of Meta's rules, and refused before Meta sees it when over Meta's limits), the typed values
 * of an answer, the Flow token's round trip, tampering and length, and the form page.
 */
import { newRound } from '../../nodes/WhatsAppCloud/helpers/sendAndWait/round';
import { validateFlowJson } from '../emulator/flowJson';
import { checkSubmission, completionPayload } from '../emulator/flowComponents';
import { isPayloadError } from '../../nodes/WhatsAppCloud/helpers/errors';
import { buildInteractiveContent } from '../../nodes/WhatsAppCloud/helpers/payloads/interactive';
import {
	REPORT_FIELD,
	answerReportForm,
	decodeAnswerId,
	encodeAnswerId,
	isBoundTo,
	parseAnswerReport,
	signAnswerReport,
	verifyAnswerReport,
} from '../../nodes/WhatsAppCloud/helpers/sendAndWait/answerId';
import type { FormFieldInput } from '../../nodes/WhatsAppCloud/helpers/sendAndWait/form';
import {
	FORM_FIELDS_MAX,
	FORM_FIELD_KINDS,
	FORM_LIMITS,
	FORM_SCREEN_ID,
	flowResponseValues,
	formAnswerSummary,
	formAnswerValues,
	formDefinition,
	formFlow,
	formFlowJson,
	formFlowName,
	hashOfFormFlowName,
	missingRequired,
} from '../../nodes/WhatsAppCloud/helpers/sendAndWait/form';
import {
	postedFormFields,
	renderFormPage,
} from '../../nodes/WhatsAppCloud/helpers/sendAndWait/formPage';

type Obj = Record<string, any>;

const options = (...titles: string[]) => ({ values: titles.map((option) => ({ option })) });

/** One field of every kind, as the node's parameters give them. */
const everyKind: FormFieldInput[] = [
	{ fieldLabel: 'Name', fieldType: 'text', requiredField: true, helperText: 'As on the order' },
	{ fieldLabel: 'Notes', fieldType: 'textarea' },
	{ fieldLabel: 'Quantity', fieldName: 'qty', fieldType: 'number', requiredField: true },
	{ fieldLabel: 'Email', fieldType: 'email' },
	{ fieldLabel: 'Phone', fieldType: 'phone' },
	{ fieldLabel: 'PIN', fieldType: 'password' },
	{ fieldLabel: 'Delivery date', fieldName: 'date', fieldType: 'date', requiredField: true },
	{ fieldLabel: 'Size', fieldType: 'dropdown', fieldOptions: options('S', 'M', 'L') },
	{ fieldLabel: 'Colour', fieldType: 'radio', fieldOptions: options('Red', 'Blue') },
	{
		fieldLabel: 'Extras',
		fieldType: 'checkbox',
		fieldOptions: options('Gift wrap', 'Card', 'Ribbon'),
		minSelections: 1,
		maxSelections: 2,
	},
];

const custom = (fields: FormFieldInput[], extra: Obj = {}) =>
	formDefinition({ responseType: 'customForm', fields, message: 'Tell us more', ...extra });

function payloadError(run: () => unknown): { field?: string; message: string } {
	try {
		run();
	} catch (error) {
		if (isPayloadError(error)) return { field: error.field, message: error.message };
		throw error;
	}
	throw new Error('expected a PayloadError');
}

describe('form Flow JSON', () => {
	it('every field kind becomes its Flow component, and Meta finds nothing wrong', () => {
		const form = custom(everyKind, { title: 'Order details', submitLabel: 'Send' });
		const { json, hash, name } = formFlow(form);
		expect(validateFlowJson(json).errors).toEqual([]);
		const screen = (JSON.parse(json) as Obj).screens[0];
		expect(screen).toMatchObject({ id: FORM_SCREEN_ID, title: 'Order details', terminal: true });
		const [body, formComponent] = screen.layout.children;
		expect(body).toEqual({ type: 'TextBody', text: 'Tell us more' });
		const components = formComponent.children as Obj[];
		expect(components.map((c) => [c.type, c['input-type']])).toEqual([
			['TextInput', 'text'],
			['TextArea', undefined],
			['TextInput', 'number'],
			['TextInput', 'email'],
			['TextInput', 'phone'],
			['TextInput', 'password'],
			['DatePicker', undefined],
			['Dropdown', undefined],
			['RadioButtonsGroup', undefined],
			['CheckboxGroup', undefined],
			['Footer', undefined],
		]);
		expect(components[0]).toMatchObject({
			name: 'field_0',
			label: 'Name',
			required: true,
			'helper-text': 'As on the order',
		});
		expect(components[9]).toMatchObject({
			'data-source': [
				{ id: 'option_0', title: 'Gift wrap' },
				{ id: 'option_1', title: 'Card' },
				{ id: 'option_2', title: 'Ribbon' },
			],
			'min-selected-items': 1,
			'max-selected-items': 2,
		});
		expect(components[10]).toEqual({
			type: 'Footer',
			label: 'Send',
			'on-click-action': {
				name: 'complete',
				payload: Object.fromEntries(everyKind.map((_, i) => [`field_${i}`, `\${form.field_${i}}`])),
			},
		});
		expect(FORM_FIELD_KINDS).toHaveLength(everyKind.length);
		expect(hashOfFormFlowName(name)).toBe(hash);
		expect(name).toBe(`n8n form Order details [${hash}]`);
	});

	it('free text is one required long-text field keyed text; the message describes the form', () => {
		const form = formDefinition({ responseType: 'freeText', message: 'Why?' });
		expect(form.fields).toEqual([
			{ key: 'text', label: 'Response', kind: 'textarea', required: true },
		]);
		expect(validateFlowJson(formFlow(form).json).errors).toEqual([]);
		expect(form).toMatchObject({
			title: 'Your answer',
			description: 'Why?',
			submitLabel: 'Submit',
		});
	});

	it('the same definition gives the same hash; any change gives another', () => {
		const a = formFlow(custom(everyKind));
		expect(formFlow(custom(everyKind)).hash).toBe(a.hash);
		const changed = everyKind.map((f, i) => (i === 1 ? { ...f, requiredField: true } : f));
		expect(formFlow(custom(changed)).hash).not.toBe(a.hash);
		expect(formFlow(custom(everyKind, { title: 'Other' })).hash).not.toBe(a.hash);
		expect(hashOfFormFlowName(`${a.name} 2`)).toBe(a.hash);
		expect(hashOfFormFlowName('My own Flow [0123456789abcdef]')).toBeUndefined();
		expect(formFlowName('x'.repeat(300), a.hash).length).toBeLessThanOrEqual(200);
	});

	it("refuses what Meta's rules refuse, naming the field and the limit", () => {
		const label21 = 'x'.repeat(FORM_LIMITS.textInputLabel + 1);
		expect(payloadError(() => custom([{ fieldLabel: label21 }]))).toMatchObject({
			field: 'Form Fields[0].fieldLabel',
			message: expect.stringContaining('at most 20'),
		});
		// a date label may be 40, checkbox 30
		expect(() => custom([{ fieldLabel: 'x'.repeat(40), fieldType: 'date' }])).not.toThrow();
		expect(
			payloadError(() =>
				custom([{ fieldLabel: 'x'.repeat(31), fieldType: 'checkbox', fieldOptions: options('a') }]),
			).field,
		).toBe('Form Fields[0].fieldLabel');
		expect(payloadError(() => custom([{ fieldLabel: '' }])).field).toBe(
			'Form Fields[0].fieldLabel',
		);
		expect(payloadError(() => custom([{ fieldLabel: 'A', fieldType: 'file' }])).field).toBe(
			'Form Fields[0].fieldType',
		);
		expect(payloadError(() => custom([])).message).toContain(`1 to ${FORM_FIELDS_MAX} fields`);
		const many = Array.from({ length: FORM_FIELDS_MAX + 1 }, (_, i) => ({ fieldLabel: `F${i}` }));
		expect(payloadError(() => custom(many)).field).toBe('Form Fields');
		const most = many.slice(0, FORM_FIELDS_MAX);
		expect(validateFlowJson(formFlow(custom(most)).json).errors).toEqual([]);
		// one more component than Meta allows on a screen: its validator refuses it too
		const over = formFlowJson(custom(most)) as Obj;
		over.screens[0].layout.children[1].children.unshift({ type: 'TextBody', text: 'one more' });
		expect(validateFlowJson(JSON.stringify(over)).errors[0].message).toContain('at most 50');
		expect(
			payloadError(() => custom([{ fieldLabel: 'A' }, { fieldLabel: 'B', fieldName: 'A' }])).field,
		).toBe('Form Fields[1] (output key)');
		expect(payloadError(() => custom([{ fieldLabel: 'from' }])).field).toBe(
			'Form Fields[0].fieldName',
		);
		const tooMany = options(...Array.from({ length: 21 }, (_, i) => `o${i}`));
		expect(
			payloadError(() => custom([{ fieldLabel: 'A', fieldType: 'radio', fieldOptions: tooMany }]))
				.field,
		).toBe('Form Fields[0].fieldOptions');
		expect(() =>
			custom([{ fieldLabel: 'A', fieldType: 'dropdown', fieldOptions: tooMany }]),
		).not.toThrow();
		expect(
			payloadError(() =>
				custom([{ fieldLabel: 'A', fieldType: 'dropdown', fieldOptions: options('a', 'a') }]),
			).field,
		).toBe('Form Fields[0].fieldOptions[1]');
		expect(
			payloadError(() =>
				custom([{ fieldLabel: 'A', fieldType: 'dropdown', fieldOptions: options('x'.repeat(31)) }]),
			).field,
		).toBe('Form Fields[0].fieldOptions[0]');
		expect(
			payloadError(() =>
				custom([
					{ fieldLabel: 'A', fieldType: 'checkbox', fieldOptions: options('a'), maxSelections: 2 },
				]),
			).field,
		).toBe('Form Fields[0].maxSelections');
		expect(
			payloadError(() => custom([{ fieldLabel: 'A', helperText: 'h'.repeat(81) }])).field,
		).toBe('Form Fields[0].helperText');
		expect(payloadError(() => custom(everyKind, { submitLabel: 's'.repeat(36) })).field).toBe(
			'Submit Button Label',
		);
	});
});

describe('form answers', () => {
	const form = custom(everyKind);

	it('the emulated customer fills the Flow in; the values come out typed', () => {
		const screen = (formFlowJson(form) as Obj).screens[0];
		const values = {
			field_0: 'Ada',
			field_2: '3',
			field_3: 'ada@example.com',
			field_6: '2026-12-24',
			field_7: 'option_1',
			field_8: 'option_0',
			field_9: ['option_0', 'option_2'],
		};
		expect(checkSubmission(screen, values)).toEqual([]);
		const completion = completionPayload(screen, values)!;
		expect(formAnswerValues(form, completion)).toEqual({
			Name: 'Ada',
			Notes: '',
			qty: 3,
			Email: 'ada@example.com',
			Phone: '',
			PIN: '',
			date: '2026-12-24',
			Size: 'M',
			Colour: 'Red',
			Extras: ['Gift wrap', 'Ribbon'],
		});
		expect(checkSubmission(screen, { ...values, field_0: '' })).toEqual(['field_0 is required']);
		expect(checkSubmission(screen, { ...values, field_2: 'three' })).toEqual([
			'field_2 must be a number',
		]);
		expect(
			checkSubmission(screen, { ...values, field_9: ['option_0', 'option_1', 'option_2'] }),
		).toEqual(['field_9 allows at most 2 ticked']);
	});

	it('empty and odd values: numbers and dates null, options by id when unknown, old timestamps as dates', () => {
		expect(
			formAnswerValues(form, {
				field_2: '',
				field_6: 1766534400000,
				field_7: 'x',
				field_9: 'option_1',
			}),
		).toMatchObject({ qty: null, date: '2025-12-24', Size: 'x', Extras: ['Card'] });
		expect(missingRequired(form, { field_0: 'a', field_2: '1' })).toEqual(['Delivery date']);
		expect(flowResponseValues({ flow_token: 't', field_0: 'a' })).toEqual({ field_0: 'a' });
		expect(flowResponseValues('nope')).toEqual({});
		const free = formDefinition({ responseType: 'freeText' });
		expect(formAnswerSummary(free, { text: 'Fine' })).toBe('Fine');
		expect(formAnswerSummary(form, formAnswerValues(form, { field_9: ['option_1'] }))).toContain(
			'Extras: Card',
		);
	});
});

describe('flow token', () => {
	const SECRET = 'app-secret';
	const reference = {
		executionId: '9'.repeat(20),
		nodeId: '0f6a7c2e-4b1d-4e8f-9a3b-2c5d6e7f8a9b',
		choice: 0,
		round: newRound(),
		signature: 'cd'.repeat(32),
	};

	it('the answer id rides as the Flow token: round trip, bound to the recipient, within 200 characters', () => {
		const token = encodeAnswerId(reference, SECRET, '16505550101');
		expect(token.length).toBeLessThanOrEqual(200);
		const message = buildInteractiveContent({
			type: 'flow',
			body: 'Tell us',
			flow: { flowId: '1592', cta: 'Respond', token, action: 'navigate', screen: FORM_SCREEN_ID },
		}) as Obj;
		expect(message.interactive.action.parameters.flow_token).toBe(token);
		const decoded = decodeAnswerId(token)!;
		expect(decoded).toMatchObject(reference);
		expect(isBoundTo(decoded, SECRET, { from: '16505550101' })).toBe(true);
		expect(isBoundTo(decoded, SECRET, { from: '16505550202' })).toBe(false);
		expect(isBoundTo(decoded, 'other-secret', { from: '16505550101' })).toBe(false);
	});

	it('a tampered token decodes to nothing or binds to nobody', () => {
		const token = encodeAnswerId(reference, SECRET, '16505550101');
		const parts = token.split('~');
		const tampered = [...parts];
		tampered[1] = '1'.repeat(20); // another execution
		expect(isBoundTo(decodeAnswerId(tampered.join('~'))!, SECRET, { from: '16505550101' })).toBe(
			false,
		);
		expect(decodeAnswerId(`${token}x`)).toBeUndefined();
		expect(decodeAnswerId('unused')).toBeUndefined();
		expect(decodeAnswerId(token.replace('n8nwa1', 'n8nwa2'))).toBeUndefined();
	});

	it("the trigger's report signs the form values: a changed value fails", () => {
		const report = parseAnswerReport({
			choice: 0,
			messageId: 'wamid.a',
			from: '16505550101',
			response: { field_0: 'yes' },
		})!;
		const signature = signAnswerReport(report, SECRET);
		expect(verifyAnswerReport(report, signature, SECRET)).toBe(true);
		expect(verifyAnswerReport({ ...report, response: { field_0: 'no' } }, signature, SECRET)).toBe(
			false,
		);
		expect(verifyAnswerReport({ ...report, response: undefined }, signature, SECRET)).toBe(false);
	});
	it("the report travels as multipart/form-data (n8n's only body for a custom form) and still verifies", async () => {
		const report = parseAnswerReport({
			choice: 0,
			messageId: 'wamid.a',
			from: '16505550101',
			timestamp: '1767225600',
			response: { field_0: 'Ada\r\n--x', field_1: 3, field_5: ['option_0', 'option_1'] },
		})!;
		const form = answerReportForm(report);
		expect(form.contentType).toMatch(/^multipart\/form-data; boundary=n8nwa-[0-9a-f]{32}$/);
		// a real multipart parser, then the shape n8n's parse gives the webhook
		const parsed = await new Response(form.body, {
			headers: { 'content-type': form.contentType },
		}).formData();
		expect([...parsed.keys()]).toEqual([REPORT_FIELD]);
		const received = parseAnswerReport({
			data: { [REPORT_FIELD]: parsed.get(REPORT_FIELD) },
			files: {},
		});
		expect(received).toEqual(report);
		expect(verifyAnswerReport(received!, signAnswerReport(report, SECRET), SECRET)).toBe(true);
		expect(parseAnswerReport({ data: { [REPORT_FIELD]: '{not json' }, files: {} })).toBeUndefined();
		expect(parseAnswerReport({ data: { [REPORT_FIELD]: '"text"' }, files: {} })).toBeUndefined();
	});
});

describe('form page (the form-link fallback)', () => {
	it("reads the fields of n8n's parse of the page's multipart post", () => {
		expect(
			postedFormFields({ data: { field_0: '4', field_1: ['option_0', 'option_1'] }, files: {} }),
		).toEqual({ field_0: '4', field_1: ['option_0', 'option_1'] });
		expect(postedFormFields({ field_0: '4' })).toEqual({});
		expect(postedFormFields(undefined)).toEqual({});
	});

	it('shows every field with its kind, escapes text and posts to its own URL', () => {
		const form = custom([...everyKind, { fieldLabel: '<b>&"' }], { title: '<script>' });
		const html = renderFormPage(form);
		expect(html).toContain('<form method="post" enctype="multipart/form-data">');
		expect(html).not.toContain('<script>');
		expect(html).toContain('&lt;b&gt;&amp;&quot;');
		for (const fragment of [
			'name="field_0" type="text" required',
			'<textarea id="field_1" name="field_1"',
			'name="field_2" type="number" step="any" required',
			'type="email"',
			'type="tel"',
			'type="password"',
			'name="field_6" type="date" required',
			'<option value="option_2">L</option>',
			'<input type="radio" name="field_8" value="option_1">',
			'<input type="checkbox" name="field_9" value="option_0">',
		])
			expect(html).toContain(fragment);
	});
});
