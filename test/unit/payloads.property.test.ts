/**
 * Property tests of the payload builders:
 * 1. any input (random shapes and values) → a payload or a PayloadError, never another exception;
 * 2. every payload a builder returns is accepted by the emulator's validation of Meta's rules.
 */
import fc from 'fast-check';

import { PayloadError } from '../../nodes/WhatsAppCloud/helpers/errors';
import { buildContactsContent } from '../../nodes/WhatsAppCloud/helpers/payloads/contacts';
import { buildMessage } from '../../nodes/WhatsAppCloud/helpers/payloads/envelope';
import { buildInteractiveContent } from '../../nodes/WhatsAppCloud/helpers/payloads/interactive';
import { buildLocationContent } from '../../nodes/WhatsAppCloud/helpers/payloads/location';
import { buildMediaContent } from '../../nodes/WhatsAppCloud/helpers/payloads/media';
import { buildReactionContent } from '../../nodes/WhatsAppCloud/helpers/payloads/reaction';
import { buildReadReceipt } from '../../nodes/WhatsAppCloud/helpers/payloads/read';
import { buildTextContent } from '../../nodes/WhatsAppCloud/helpers/payloads/text';
import type { ClientMessageContent } from '../../nodes/WhatsAppCloud/helpers/types/client';
import type { Emulator } from '../emulator';
import { SEEDED_MEDIA_IDS, startEmulator } from '../emulator';

/** Runs a builder; a PayloadError counts as a (correct) refusal, anything else fails the property. */
function attempt<T>(build: () => T): T | undefined {
	try {
		return build();
	} catch (error) {
		if (error instanceof PayloadError) return undefined;
		throw error;
	}
}

// ── Arbitraries: mostly near Meta's limits, sometimes past them, sometimes of the wrong type ──

const text = (max: number) =>
	fc.oneof(
		{ weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: max }) },
		{
			weight: 2,
			arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: Math.ceil(max / 2) }),
		},
		{ weight: 1, arbitrary: fc.string({ minLength: max - 1, maxLength: max + 2 }) },
		{ weight: 1, arbitrary: fc.constant('') },
	);
const junk = fc.oneof(fc.anything(), fc.constant(undefined), fc.constant(null));
const maybeJunk = <T>(arb: fc.Arbitrary<T>) =>
	fc.oneof({ weight: 9, arbitrary: arb }, { weight: 1, arbitrary: junk as fc.Arbitrary<unknown> });
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const id = (max: number) =>
	fc.oneof(
		{ weight: 8, arbitrary: fc.stringMatching(new RegExp(`^[a-z0-9_]{1,${Math.min(max, 40)}}$`)) },
		{ weight: 1, arbitrary: text(max) },
	);
const link = fc.oneof(
	{ weight: 8, arbitrary: fc.webUrl({ validSchemes: ['https', 'http'] }) },
	{ weight: 1, arbitrary: fc.constantFrom('ftp://x.test/a', 'not a url', '') },
);
const mediaId = fc.constantFrom(...Object.values(SEEDED_MEDIA_IDS));
const emoji = fc.constantFrom('👍', '❤️', '🇩🇪', '1️⃣', '👨‍👩‍👧', '', 'a', '👍👍', ' 👍 ');

const textInput = fc.record({ body: maybeJunk(text(4100)), previewUrl: optional(fc.boolean()) });

/** Mostly exactly one source; sometimes both or neither. */
const mediaSource = fc.oneof(
	{ weight: 4, arbitrary: fc.record({ id: mediaId }) },
	{ weight: 4, arbitrary: fc.record({ link }) },
	{ weight: 1, arbitrary: fc.record({ id: optional(mediaId), link: optional(link) }) },
);
const mediaInput = fc
	.tuple(
		mediaSource,
		fc.record({
			kind: maybeJunk(fc.constantFrom('image', 'video', 'audio', 'document', 'sticker')),
			caption: optional(maybeJunk(text(1030))),
			filename: optional(text(30)),
			voice: optional(fc.boolean()),
		}),
	)
	.map(([source, rest]) => ({ ...source, ...rest }));

const header = fc.oneof(
	fc.constant(undefined),
	fc.record({ type: fc.constant('none') }),
	fc.record({ type: fc.constant('text'), text: maybeJunk(text(65)) }),
	fc
		.tuple(fc.constantFrom('image', 'video', 'document'), mediaSource)
		.map(([type, source]) => ({ type, ...source })),
	junk,
);
const buttonsArb = fc.array(maybeJunk(fc.record({ id: id(260), title: text(22) })), {
	maxLength: 4,
});
const rowArb = fc.record({ id: id(205), title: text(26), description: optional(text(75)) });
const sectionsArb = fc.array(
	maybeJunk(
		fc.record({
			title: optional(text(26)),
			rows: fc.array(rowArb, { minLength: 0, maxLength: 6 }),
		}),
	),
	{ minLength: 0, maxLength: 4 },
);
const flowArb = fc.record({
	flowId: optional(fc.stringMatching(/^\d{1,16}$/)),
	flowName: optional(text(30)),
	cta: text(22),
	token: optional(text(40)),
	action: optional(maybeJunk(fc.constantFrom('navigate', 'data_exchange'))),
	screen: optional(fc.stringMatching(/^[A-Z_]{1,20}$/)),
	data: optional(
		fc.oneof(
			fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 }),
			junk,
		),
	),
	mode: optional(fc.constantFrom('draft', 'published')),
});
const interactiveInput = fc.record({
	type: maybeJunk(fc.constantFrom('button', 'list', 'cta_url', 'location_request_message', 'flow')),
	header,
	body: maybeJunk(text(1030)),
	footer: optional(text(62)),
	buttons: buttonsArb,
	buttonLabel: text(22),
	sections: sectionsArb,
	displayText: text(22),
	url: link,
	flow: flowArb,
});

const contactArb = fc.record({
	name: maybeJunk(
		fc.record({
			formatted_name: text(40),
			first_name: fc.oneof(
				{ weight: 4, arbitrary: text(20) },
				{ weight: 1, arbitrary: fc.constant(undefined) },
			),
			last_name: optional(text(20)),
		}),
	),
	phones: optional(
		fc.array(
			fc.record({
				phone: text(20),
				type: optional(
					fc.oneof(
						{ weight: 5, arbitrary: fc.constantFrom('CELL', 'home', 'WORK') },
						{ weight: 1, arbitrary: fc.constant('FAX') },
					),
				),
				wa_id: optional(fc.stringMatching(/^\d{5,16}$/)),
			}),
			{ maxLength: 2 },
		),
	),
	emails: optional(
		fc.array(
			fc.record({
				email: fc.oneof(
					{ weight: 5, arbitrary: fc.emailAddress() },
					{ weight: 1, arbitrary: text(10) },
				),
			}),
			{ maxLength: 2 },
		),
	),
	urls: optional(fc.array(fc.record({ url: link }), { maxLength: 2 })),
	org: optional(fc.record({ company: optional(text(20)), title: optional(text(20)) })),
	birthday: optional(
		fc.oneof(
			{
				weight: 5,
				arbitrary: fc
					.date({ min: new Date('1900-01-01'), max: new Date('2020-12-31'), noInvalidDate: true })
					.map((d) => d.toISOString().slice(0, 10)),
			},
			{ weight: 1, arbitrary: text(10) },
		),
	),
});
const contactsInput = fc.oneof(
	{ weight: 9, arbitrary: fc.array(contactArb, { minLength: 1, maxLength: 2 }) },
	{ weight: 1, arbitrary: fc.array(maybeJunk(contactArb), { minLength: 0, maxLength: 4 }) },
);

const locationInput = fc.record({
	latitude: fc.oneof(fc.double({ min: -95, max: 95, noNaN: true }), fc.constant('12.5'), junk),
	longitude: fc.oneof(fc.double({ min: -185, max: 185, noNaN: true }), junk),
	name: optional(text(30)),
	address: optional(text(30)),
});
const reactionInput = fc.record({
	messageId: fc.oneof(fc.constant('wamid.HBgLMTY1MDU1NTEyMzQVAgAR'), text(10)),
	emoji: maybeJunk(emoji),
});
const envelopeInput = fc.record({
	recipient: fc.oneof(
		fc.constant({ to: '16505551234' }),
		fc.constant({ recipient: 'US.13491208655302741918' }),
		fc.record({ to: text(16) }),
	),
	replyToMessageId: optional(fc.oneof(fc.constant('wamid.HBgLMTY1MDU1NTEyMzQVAgAR'), text(10))),
	callbackData: optional(text(515)),
});

const contentBuilders: Array<
	[string, fc.Arbitrary<unknown>, (input: never) => ClientMessageContent]
> = [
	['text', textInput, buildTextContent],
	['media', mediaInput, buildMediaContent],
	['interactive', interactiveInput, buildInteractiveContent],
	['contacts', contactsInput, buildContactsContent],
	['location', locationInput, buildLocationContent],
	['reaction', reactionInput, buildReactionContent],
];

describe('builders never throw anything but a PayloadError', () => {
	test.each(contentBuilders)('%s: structured random input', (_name, arbitrary, build) => {
		fc.assert(
			fc.property(arbitrary, (input) => void attempt(() => build(input as never))),
			{
				numRuns: 400,
			},
		);
	});

	test.each(contentBuilders)('%s: anything at all', (_name, _arbitrary, build) => {
		fc.assert(
			fc.property(fc.anything(), (input) => void attempt(() => build(input as never))),
			{
				numRuns: 200,
			},
		);
	});

	test('envelope and read receipt', () => {
		fc.assert(
			fc.property(envelopeInput, textInput, (envelope, input) => {
				attempt(() => buildMessage(envelope as never, buildTextContent(input as never)));
			}),
			{ numRuns: 300 },
		);
		fc.assert(
			fc.property(fc.anything(), fc.anything(), (messageId, showTypingIndicator) => {
				attempt(() => buildReadReceipt({ messageId, showTypingIndicator } as never));
			}),
			{ numRuns: 200 },
		);
	});
});

describe('every payload the builders return is accepted by the emulator', () => {
	let emu: Emulator;
	let url: string;
	let headers: Record<string, string>;

	beforeAll(async () => {
		emu = await startEmulator({ port: 0 });
		// Only validation is under test here, not pacing.
		emu.configure({
			messagesPerSecond: 1_000_000,
			pairRate: { enabled: false, intervalMs: 6000, burst: 45 },
		});
		url = `${emu.baseUrl}/${emu.config.apiVersion}/${emu.config.phoneNumberIds[0]}/messages`;
		headers = { authorization: `Bearer ${emu.config.token}`, 'content-type': 'application/json' };
	});
	afterAll(async () => {
		await emu?.stop();
	});

	async function post(body: unknown): Promise<{ status: number; body: unknown }> {
		const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
		return { status: response.status, body: await response.json() };
	}

	test.each(contentBuilders)(
		'%s',
		async (_name, arbitrary, build) => {
			let accepted = 0;
			await fc.assert(
				fc.asyncProperty(arbitrary, envelopeInput, async (input, envelope) => {
					const message = attempt(() => buildMessage(envelope as never, build(input as never)));
					if (!message) return;
					const response = await post(message);
					if (response.status !== 200) {
						throw new Error(
							`emulator refused ${JSON.stringify(message)}: ${JSON.stringify(response.body)}`,
						);
					}
					accepted++;
				}),
				{ numRuns: 300 },
			);
			// The arbitraries must reach the valid space often enough for the property to mean something.
			expect(accepted).toBeGreaterThan(5);
		},
		60_000,
	);

	test('read receipts', async () => {
		let accepted = 0;
		await fc.assert(
			fc.asyncProperty(reactionInput, fc.boolean(), async ({ messageId }, showTypingIndicator) => {
				const receipt = attempt(() => buildReadReceipt({ messageId, showTypingIndicator }));
				if (!receipt) return;
				expect((await post(receipt)).status).toBe(200);
				accepted++;
			}),
			{ numRuns: 50 },
		);
		// Guards against vacuity: the inputs must produce receipts the emulator is asked about.
		expect(accepted).toBeGreaterThan(5);
	});
});
