/**
 * Send and Wait as an AI agent's human review: n8n's default message shows `{{ $tool.parameters }}`;
 * the reviewer must read the tool's input (not "[object Object]"), within Meta's body limit.
 */
import fc from 'fast-check';

import { INTERACTIVE_BODY_MAX } from '../../nodes/WhatsAppCloud/helpers/limits';
import {
	fillToolParameters,
	formatToolParameters,
	markToolParameters,
	shorten,
	TOOL_PARAMETERS_MARK,
} from '../../nodes/WhatsAppCloud/helpers/sendAndWait/toolReview';

// n8n 2.41's default message of every generated Human-in-the-Loop tool
const N8N_DEFAULT =
	'=The agent wants to run this tool: {{ $tool.name }}\n\nInput:\n{{ $tool.parameters }}';

describe('markToolParameters', () => {
	it("marks n8n's default message, keeping every other expression for n8n to evaluate", () => {
		expect(markToolParameters(N8N_DEFAULT)).toBe(
			`=The agent wants to run this tool: {{ $tool.name }}\n\nInput:\n${TOOL_PARAMETERS_MARK}`,
		);
	});

	it('marks each occurrence, spaces inside the braces or not', () => {
		expect(markToolParameters('={{$tool.parameters}} and {{  $tool.parameters  }}')).toBe(
			`=${TOOL_PARAMETERS_MARK} and ${TOOL_PARAMETERS_MARK}`,
		);
	});

	it('leaves messages alone that pick a parameter, are fixed text or are not text', () => {
		expect(markToolParameters('=Send {{ $tool.parameters.text }}?')).toBeUndefined();
		expect(markToolParameters('Approve {{ $tool.parameters }}')).toBeUndefined(); // not an expression
		expect(markToolParameters('=Approve the refund?')).toBeUndefined();
		expect(markToolParameters(undefined)).toBeUndefined();
		expect(markToolParameters(42)).toBeUndefined();
	});
});

describe('formatToolParameters', () => {
	it('writes one line per parameter, strings as they are and the rest as JSON', () => {
		expect(
			formatToolParameters({
				text: 'Your refund of EUR 40 is approved.',
				amount: 40,
				notify: true,
				items: ['a', 'b'],
				address: { city: 'Lisbon' },
				note: null,
			}),
		).toBe(
			[
				'text: Your refund of EUR 40 is approved.',
				'amount: 40',
				'notify: true',
				'items: ["a","b"]',
				'address: {"city":"Lisbon"}',
				'note: null',
			].join('\n'),
		);
	});

	it('shows a bare value as itself and nothing as empty', () => {
		expect(formatToolParameters('just text')).toBe('just text');
		expect(formatToolParameters([1, 2])).toBe('[1,2]');
		expect(formatToolParameters(undefined)).toBe('');
		expect(formatToolParameters(null)).toBe('');
		expect(formatToolParameters({})).toBe('');
	});
});

describe('fillToolParameters', () => {
	const head = 'The agent wants to run this tool: Send_to_customer\n\nInput:\n';

	it('puts the lines where the mark was', () => {
		expect(fillToolParameters(`${head}${TOOL_PARAMETERS_MARK}`, { text: 'Hi' }, 1024)).toBe(
			`${head}text: Hi`,
		);
	});

	it('returns text without a mark unchanged', () => {
		expect(fillToolParameters('Approve?', { text: 'Hi' }, 1024)).toBe('Approve?');
	});

	it('shortens a long input to fit the body limit and says how long it was', () => {
		const text = 'x'.repeat(5000);
		const body = fillToolParameters(
			`${head}${TOOL_PARAMETERS_MARK}`,
			{ text },
			INTERACTIVE_BODY_MAX,
		);
		expect(body.length).toBe(INTERACTIVE_BODY_MAX);
		expect(body.startsWith(`${head}text: xxx`)).toBe(true);
		expect(body.endsWith('… (5006 characters in all)')).toBe(true);
	});

	it('always fits the limit when the rest of the text leaves room (property)', () => {
		fc.assert(
			fc.property(
				fc.string({ maxLength: 300 }),
				fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue(), { maxKeys: 8 }),
				fc.integer({ min: 1, max: 3 }),
				(prefix, parameters, marks) => {
					const text = prefix + Array(marks).fill(TOOL_PARAMETERS_MARK).join(' / ');
					const body = fillToolParameters(text, parameters, INTERACTIVE_BODY_MAX);
					expect(body).not.toContain(TOOL_PARAMETERS_MARK);
					expect(body).not.toContain('[object Object]');
					expect(body.length).toBeLessThanOrEqual(INTERACTIVE_BODY_MAX);
				},
			),
		);
	});
});

describe('shorten', () => {
	it('keeps what fits and never splits a surrogate pair', () => {
		expect(shorten('short', 10)).toBe('short');
		const emoji = '😀'.repeat(100); // 200 UTF-16 code units
		const cut = shorten(emoji, 50);
		expect(cut.length).toBeLessThanOrEqual(50);
		expect(cut).toMatch(/^(?:😀)+… \(200 characters in all\)$/u);
	});
});
