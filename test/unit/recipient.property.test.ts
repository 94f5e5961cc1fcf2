import fc from 'fast-check';

import {
	isPayloadError,
	QUOTE_MAX_CHARACTERS,
	quoteInput,
} from '../../nodes/WhatsAppCloud/helpers/errors';
import { normalizeRecipient } from '../../nodes/WhatsAppCloud/helpers/recipient';

/** E.164 without `+`: a country code never starts with 0, 7 to 15 digits in all. */
const e164 = fc
	.tuple(
		fc.integer({ min: 1, max: 9 }),
		fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 6, maxLength: 14 }),
	)
	.map(([first, rest]) => `${first}${rest.join('')}`);

/** How people write a number: separators between digits, a prefix, surrounding blanks. */
const written = (digits: string) =>
	fc
		.tuple(
			fc.array(fc.constantFrom('', '', '', ' ', '-', '.', '/', '(', ')', ' - '), {
				minLength: digits.length,
				maxLength: digits.length,
			}),
			fc.constantFrom('', '+', '00', 'whatsapp:', 'WhatsApp:+', '+ ', '('),
			fc.constantFrom('', ' ', '\t', '  '),
		)
		.map(
			([separators, prefix, blank]) =>
				`${blank}${prefix}${[...digits].map((digit, i) => `${digit}${separators[i]}`).join('')}${blank}`,
		);

const bsuid = fc
	.tuple(
		fc.constantFrom('US', 'DE', 'BR', 'IN'),
		fc.boolean(),
		fc.stringMatching(/^[A-Za-z0-9]{1,128}$/),
	)
	.map(([country, parent, id]) => `${country}.${parent ? 'ENT.' : ''}${id}`);

/** Runs the normalizer; any throw other than our PayloadError fails the property. */
function attempt(input: unknown, field?: string) {
	try {
		return { value: normalizeRecipient(input, field) };
	} catch (error) {
		if (!isPayloadError(error)) throw error;
		return { error };
	}
}

describe('normalizeRecipient: properties', () => {
	it('any way of writing a number normalizes to its digits', () => {
		fc.assert(
			fc.property(
				e164.chain((digits) => fc.tuple(fc.constant(digits), written(digits))),
				([digits, text]) => {
					expect(normalizeRecipient(text)).toEqual({ to: digits });
				},
			),
			{ numRuns: 2000 },
		);
	});

	it('digits given as a number are the same recipient as the text', () => {
		fc.assert(
			fc.property(e164, (digits) => {
				expect(normalizeRecipient(Number(digits))).toEqual({ to: digits });
				expect(normalizeRecipient(BigInt(digits))).toEqual({ to: digits });
			}),
		);
	});

	it('is idempotent, and a BSUID is kept as it is', () => {
		fc.assert(
			fc.property(fc.oneof(e164, bsuid, fc.string()), (input) => {
				const first = attempt(input);
				if (!first.value) return;
				const again = 'to' in first.value ? first.value.to : first.value.recipient;
				expect(normalizeRecipient(again)).toEqual(first.value);
			}),
			{ numRuns: 2000 },
		);
		fc.assert(
			fc.property(bsuid, (id) => expect(normalizeRecipient(id)).toEqual({ recipient: id })),
		);
	});

	it('for anything at all: a valid recipient, or our error naming the field — never a TypeError', () => {
		fc.assert(
			fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true }), (input) => {
				const result = attempt(input, 'recipient');
				if (result.value) {
					if ('to' in result.value) expect(result.value.to).toMatch(/^\d{7,15}$/);
					else expect(result.value.recipient).toMatch(/^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/);
				} else {
					expect(result.error.message).toContain('The recipient');
					expect(result.error.field).toBe('recipient');
					expect(result.error.limit).toBeTruthy();
				}
			}),
			{ numRuns: 3000 },
		);
	});

	it('a refusal quotes at most the start of the input, however long it is', () => {
		fc.assert(
			fc.property(
				fc.string({ unit: 'grapheme', minLength: 0, maxLength: 400 }),
				fc.integer({ min: 1, max: 5000 }),
				(text, repeat) => {
					const input = `x${text.repeat(repeat)}`;
					const result = attempt(input, 'to');
					if (!result.error) return;
					// the field, the verdict and at most QUOTE_MAX_CHARACTERS of the input (JSON-escaped)
					expect(result.error.message.length).toBeLessThan(200 + 6 * QUOTE_MAX_CHARACTERS);
					expect(String(result.error.actual ?? '').length).toBeLessThan(
						40 + 6 * QUOTE_MAX_CHARACTERS,
					);
				},
			),
			{ numRuns: 300 },
		);
	});
});

describe('normalizeRecipient: errors (audit finding 8)', () => {
	it('a 1 MB recipient is not echoed: the message quotes its start and says how long it is', () => {
		const huge = `+49 151 ${'9'.repeat(1024 * 1024)}`;
		const start = huge.slice(0, QUOTE_MAX_CHARACTERS);
		expect(() => normalizeRecipient(huge)).toThrow(
			`The recipient "${start}…" (${huge.length} characters) has ${huge.length - 3} digits`,
		);
		const letters = `call me ${'maybe '.repeat(200_000)}`.trim();
		const error = attempt(letters).error!;
		const quoted = `"${letters.slice(0, QUOTE_MAX_CHARACTERS)}…" (${letters.length} characters)`;
		expect(error.message).toBe(
			`The recipient ${quoted} is not a phone number: only digits, spaces, +, -, ( ), . and / are allowed`,
		);
		expect(error.actual).toBe(quoted);
	});

	it.each([
		[
			{ phone: '16505551234' },
			'The recipient is an object: give a phone number or a business-scoped user ID as text',
		],
		[
			['16505551234'],
			'The recipient is a list: give a phone number or a business-scoped user ID as text',
		],
		[
			true,
			'The recipient is the boolean true: give a phone number or a business-scoped user ID as text',
		],
	])('%p is refused by its kind, not sent as "[object Object]"', (input, message) => {
		expect(() => normalizeRecipient(input)).toThrow(message);
	});

	it('short inputs are quoted whole, as before', () => {
		expect(() => normalizeRecipient('call me')).toThrow(
			'The recipient "call me" is not a phone number',
		);
		expect(() => normalizeRecipient('12345')).toThrow('The recipient "12345" has 5 digits');
	});

	it('quoteInput never splits a surrogate pair and escapes control characters', () => {
		const emoji = '👋'.repeat(40);
		expect(quoteInput(emoji, 5)).toBe(`"👋👋…" (${emoji.length} characters)`);
		expect(quoteInput('a\nb')).toBe('"a\\nb"');
	});
});
