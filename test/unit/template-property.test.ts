import fc from 'fast-check';

import { SEED_TEMPLATES } from '../emulator/seed';
import { PayloadError } from '../../nodes/WhatsAppCloud/helpers/errors';
import { buildTemplateContent } from '../../nodes/WhatsAppCloud/helpers/template/build';
import { validateTemplateCreate } from '../../nodes/WhatsAppCloud/helpers/template/create';
import { templateVariables } from '../../nodes/WhatsAppCloud/helpers/template/variables';
import type { ServerTemplate } from '../../nodes/WhatsAppCloud/helpers/types/template';

const templates = SEED_TEMPLATES as unknown as ServerTemplate[];

/** Media headers take a media ID or link, not any text: on the template or on a carousel card. */
const hasMediaHeader = (t: ServerTemplate) =>
	t.components.some(
		(c) =>
			(c.type === 'HEADER' && c.format !== 'TEXT') ||
			(c.type === 'CAROUSEL' &&
				c.cards.some((card) => card.components.some((cc) => cc.type === 'HEADER'))),
	);

/** Any value a resource mapper or an expression could hand over. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
	fc.string(),
	fc.string({ unit: 'grapheme', maxLength: 80 }),
	fc.constantFrom(
		'',
		'   ',
		'a\nb',
		'a     b',
		'https://cdn.example.com/a.png',
		'http://x',
		'1013859600285441',
		'SAVE20',
	),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.constant(undefined),
	fc.array(fc.string(), { maxLength: 3 }),
	fc.record({
		currency: fc.record(
			{
				fallback_value: fc.string(),
				code: fc.string({ maxLength: 4 }),
				amount_1000: fc.oneof(fc.integer(), fc.double(), fc.string()),
			},
			{ requiredKeys: [] },
		),
	}),
	fc.record({ date_time: fc.oneof(fc.record({ fallback_value: fc.string() }), fc.string()) }),
	fc.record({ id: fc.string(), link: fc.string() }, { requiredKeys: [] }),
	fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }),
	fc.string().map((s) => s.repeat(300)),
);

/** Either a payload or a PayloadError — nothing else, ever. */
function payloadOrPayloadError(fn: () => unknown): void {
	try {
		fn();
	} catch (error) {
		if (!(error instanceof PayloadError)) throw error;
		expect(error.field).toEqual(expect.any(String));
		expect(error.message).toContain(error.field);
	}
}

describe('property: random values → payload or PayloadError', () => {
	test('random values for the template’s own variables', () => {
		fc.assert(
			fc.property(fc.constantFrom(...templates), fc.func(anyValue), (template, valueFor) => {
				const values = Object.fromEntries(
					templateVariables(template).map((v, i) => [v.id, valueFor(i)]),
				);
				payloadOrPayloadError(() => {
					const content = buildTemplateContent(template, undefined, values);
					// Anything built is shaped as Meta wants it.
					expect(content.type).toBe('template');
					expect(content.template.language.policy).toBe('deterministic');
					for (const component of content.template.components ?? []) {
						if (component.type === 'carousel') {
							for (const card of component.cards) {
								expect(Number.isInteger(card.card_index)).toBe(true);
								for (const c of card.components) expect(c.parameters.length).toBeGreaterThan(0);
							}
							continue;
						}
						expect(component.parameters?.length).toBeGreaterThan(0);
						if (component.type === 'button') expect(component.index).toMatch(/^\d+$/);
					}
				});
			}),
			{ numRuns: 2000 },
		);
	});

	test('random keys and values', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...templates),
				fc.dictionary(
					fc.oneof(fc.string(), fc.constantFrom('body.1', 'header.image', 'button.0.payload')),
					anyValue,
				),
				fc.option(fc.string(), { nil: undefined }),
				(template, values, languageCode) => {
					payloadOrPayloadError(() => buildTemplateContent(template, languageCode, values));
				},
			),
			{ numRuns: 1000 },
		);
	});

	test('values that fill every variable with safe text always build', () => {
		const safeText = fc.stringMatching(/^[A-Za-z0-9]{1,15}$/);
		fc.assert(
			fc.property(
				fc.constantFrom(...templates.filter((t) => t.status === 'APPROVED' && !hasMediaHeader(t))),
				safeText,
				(template, text) => {
					const values = Object.fromEntries(
						templateVariables(template).map((v) => [
							v.id,
							v.type === 'object' ? { a: text } : text,
						]),
					);
					expect(() => buildTemplateContent(template, undefined, values)).not.toThrow();
				},
			),
		);
	});

	test('random template definitions for creation', () => {
		const component = fc.record(
			{
				type: fc.constantFrom('HEADER', 'BODY', 'FOOTER', 'BUTTONS', 'body', 'OTHER', 1),
				format: fc.constantFrom('TEXT', 'IMAGE', 'LOCATION', 'x'),
				text: fc.oneof(
					fc.string(),
					fc.constantFrom('Hi {{1}}', 'Hi {{name}}', '{{1}} {{2}}'),
					fc.integer(),
				),
				example: fc.anything(),
				buttons: fc.array(
					fc.record(
						{
							type: fc.constantFrom(
								'QUICK_REPLY',
								'URL',
								'PHONE_NUMBER',
								'COPY_CODE',
								'FLOW',
								'OTP',
								'NOPE',
							),
							text: fc.string(),
							url: fc.constantFrom('https://a.example/{{1}}', 'https://a.example', 'x'),
							example: fc.anything(),
							phone_number: fc.string(),
						},
						{ requiredKeys: [] },
					),
					{ maxLength: 12 },
				),
			},
			{ requiredKeys: ['type'] },
		);
		fc.assert(
			fc.property(
				fc.record(
					{
						name: fc.oneof(fc.string(), fc.stringMatching(/^[a-z_]{1,20}$/)),
						language: fc.constantFrom('en_US', 'es', 'xx-YY', ''),
						category: fc.constantFrom('UTILITY', 'MARKETING', 'AUTHENTICATION', 'x'),
						parameter_format: fc.constantFrom('POSITIONAL', 'NAMED', 'X', undefined),
						components: fc.oneof(fc.array(component, { maxLength: 5 }), fc.anything()),
					},
					{ requiredKeys: [] },
				),
				(input) => payloadOrPayloadError(() => validateTemplateCreate(input)),
			),
			{ numRuns: 2000 },
		);
	});
});
