/** Pure payload builders: every Meta limit at its edge and one past it, and every shape rule. */
import { PayloadError } from '../../nodes/WhatsAppCloud/helpers/errors';
import * as L from '../../nodes/WhatsAppCloud/helpers/limits';
import { buildContactsContent } from '../../nodes/WhatsAppCloud/helpers/payloads/contacts';
import type { ContactInput } from '../../nodes/WhatsAppCloud/helpers/payloads/contacts';
import { buildMessage } from '../../nodes/WhatsAppCloud/helpers/payloads/envelope';
import { buildInteractiveContent } from '../../nodes/WhatsAppCloud/helpers/payloads/interactive';
import type {
	FlowInput,
	InteractiveInput,
	ListSectionInput,
} from '../../nodes/WhatsAppCloud/helpers/payloads/interactive';
import { buildLocationContent } from '../../nodes/WhatsAppCloud/helpers/payloads/location';
import { buildMediaContent } from '../../nodes/WhatsAppCloud/helpers/payloads/media';
import { buildReactionContent } from '../../nodes/WhatsAppCloud/helpers/payloads/reaction';
import { buildReadReceipt } from '../../nodes/WhatsAppCloud/helpers/payloads/read';
import { buildTextContent } from '../../nodes/WhatsAppCloud/helpers/payloads/text';

const chars = (n: number) => 'a'.repeat(n);
const WAMID = 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA';

/** Runs `fn`, expecting a PayloadError; returns it. */
function payloadError(fn: () => unknown): PayloadError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(PayloadError);
		return error as PayloadError;
	}
	throw new Error('expected a PayloadError, got a result');
}

const buttons = (n: number) =>
	Array.from({ length: n }, (_, i) => ({ id: `id_${i}`, title: `Title ${i}` }));
const rows = (n: number, prefix = 'r') =>
	Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, title: `Row ${i}` }));
const button = (over: Partial<InteractiveInput> & Record<string, unknown> = {}) =>
	({ type: 'button', body: 'Pick one', buttons: buttons(2), ...over }) as InteractiveInput;
const list = (sections: ListSectionInput[], over: Record<string, unknown> = {}) =>
	({ type: 'list', body: 'Pick', buttonLabel: 'Open', sections, ...over }) as InteractiveInput;
const flow = (over: Partial<FlowInput> = {}, extra: Record<string, unknown> = {}) =>
	({
		type: 'flow',
		body: 'Book',
		flow: { flowId: '123', cta: 'Book now', screen: 'START', ...over },
		...extra,
	}) as InteractiveInput;
const cta = (over: Record<string, unknown> = {}) =>
	({
		type: 'cta_url',
		body: 'Track',
		displayText: 'Track',
		url: 'https://example.com/t',
		...over,
	}) as InteractiveInput;
const contact = (over: Partial<ContactInput> = {}): ContactInput => ({
	name: { formatted_name: 'Ana Silva', first_name: 'Ana' },
	...over,
});
const envelope = { recipient: { to: '16505551234' } };

interface LengthCase {
	name: string;
	field: string;
	max: number;
	/** 1 when the text is required (0 characters fails). */
	min: number;
	build: (text: string) => unknown;
}

const lengthCases: LengthCase[] = [
	{
		name: 'text body',
		field: 'text',
		max: L.TEXT_BODY_MAX,
		min: 1,
		build: (t) => buildTextContent({ body: t }),
	},
	...(['image', 'video', 'document'] as const).map((kind): LengthCase => ({
		name: `${kind} caption`,
		field: 'caption',
		max: L.MEDIA_CAPTION_MAX,
		min: 0,
		build: (t) => buildMediaContent({ kind, link: 'https://x.test/f', caption: t }),
	})),
	{
		name: 'interactive header text',
		field: 'header.text',
		max: L.INTERACTIVE_HEADER_TEXT_MAX,
		min: 1,
		build: (t) => buildInteractiveContent(button({ header: { type: 'text', text: t } })),
	},
	{
		name: 'interactive body',
		field: 'body',
		max: L.INTERACTIVE_BODY_MAX,
		min: 1,
		build: (t) => buildInteractiveContent(button({ body: t })),
	},
	{
		name: 'interactive footer',
		field: 'footer',
		max: L.INTERACTIVE_FOOTER_MAX,
		min: 0,
		build: (t) => buildInteractiveContent(button({ footer: t })),
	},
	{
		name: 'reply button title',
		field: 'buttons[1].title',
		max: L.REPLY_BUTTON_TITLE_MAX,
		min: 1,
		build: (t) =>
			buildInteractiveContent(
				button({
					buttons: [
						{ id: 'a', title: 'A' },
						{ id: 'b', title: t },
					],
				}),
			),
	},
	{
		name: 'reply button id',
		field: 'buttons[0].id',
		max: L.REPLY_BUTTON_ID_MAX,
		min: 1,
		build: (t) => buildInteractiveContent(button({ buttons: [{ id: t, title: 'A' }] })),
	},
	{
		name: 'list button label',
		field: 'buttonLabel',
		max: L.LIST_BUTTON_LABEL_MAX,
		min: 1,
		build: (t) => buildInteractiveContent(list([{ rows: rows(1) }], { buttonLabel: t })),
	},
	{
		name: 'section title (two sections: required)',
		field: 'sections[1].title',
		max: L.LIST_SECTION_TITLE_MAX,
		min: 1,
		build: (t) =>
			buildInteractiveContent(
				list([
					{ title: 'First', rows: rows(1, 'a') },
					{ title: t, rows: rows(1, 'b') },
				]),
			),
	},
	{
		name: 'section title (one section: optional)',
		field: 'sections[0].title',
		max: L.LIST_SECTION_TITLE_MAX,
		min: 0,
		build: (t) => buildInteractiveContent(list([{ title: t, rows: rows(1) }])),
	},
	{
		name: 'row title',
		field: 'sections[0].rows[0].title',
		max: L.LIST_ROW_TITLE_MAX,
		min: 1,
		build: (t) => buildInteractiveContent(list([{ rows: [{ id: 'x', title: t }] }])),
	},
	{
		name: 'row description',
		field: 'sections[0].rows[0].description',
		max: L.LIST_ROW_DESCRIPTION_MAX,
		min: 0,
		build: (t) =>
			buildInteractiveContent(list([{ rows: [{ id: 'x', title: 'X', description: t }] }])),
	},
	{
		name: 'row id',
		field: 'sections[0].rows[0].id',
		max: L.LIST_ROW_ID_MAX,
		min: 1,
		build: (t) => buildInteractiveContent(list([{ rows: [{ id: t, title: 'X' }] }])),
	},
	{
		name: 'CTA display text',
		field: 'displayText',
		max: L.CTA_DISPLAY_TEXT_MAX,
		min: 1,
		build: (t) => buildInteractiveContent(cta({ displayText: t })),
	},
	{
		name: 'flow CTA',
		field: 'flowCta',
		max: L.FLOW_CTA_MAX,
		min: 1,
		build: (t) => buildInteractiveContent(flow({ cta: t })),
	},
	{
		name: 'callback data',
		field: 'callbackData',
		max: L.CALLBACK_DATA_MAX,
		min: 0,
		build: (t) => buildMessage({ ...envelope, callbackData: t }, buildTextContent({ body: 'x' })),
	},
];

describe('character limits: edge passes, edge+1 fails naming field, limit and length', () => {
	test.each(lengthCases)('$name ($max)', ({ field, max, min, build }) => {
		expect(() => build(chars(max))).not.toThrow();
		const error = payloadError(() => build(chars(max + 1)));
		expect(error.field).toBe(field);
		expect(error.message).toContain(field);
		expect(error.message).toContain(String(max));
		expect(error.message).toContain(`it has ${max + 1}`);
		expect(error.actual).toBe(`${max + 1} characters`);
		if (min === 1) {
			const empty = payloadError(() => build(''));
			expect(empty.field).toBe(field);
		} else {
			expect(() => build('')).not.toThrow();
		}
	});

	test('lengths count UTF-16 code units (an emoji counts 2)', () => {
		const emoji = '😀'.repeat(L.REPLY_BUTTON_TITLE_MAX / 2);
		expect(() =>
			buildInteractiveContent(button({ buttons: [{ id: 'a', title: emoji }] })),
		).not.toThrow();
		const error = payloadError(() =>
			buildInteractiveContent(button({ buttons: [{ id: 'a', title: `${emoji}a` }] })),
		);
		expect(error.message).toBe('buttons[0].title must be 1 to 20 characters; it has 21');
	});
});

interface CountCase {
	name: string;
	field: string;
	ok: number;
	bad: number[];
	build: (n: number) => unknown;
}

const countCases: CountCase[] = [
	{
		name: 'reply buttons 1-3',
		field: 'buttons',
		ok: L.REPLY_BUTTONS_MAX,
		bad: [0, L.REPLY_BUTTONS_MAX + 1],
		build: (n) => buildInteractiveContent(button({ buttons: buttons(n) })),
	},
	{
		name: 'sections ≤ 10',
		field: 'sections',
		ok: L.LIST_SECTIONS_MAX,
		bad: [0, L.LIST_SECTIONS_MAX + 1],
		build: (n) =>
			buildInteractiveContent(
				list(Array.from({ length: n }, (_, i) => ({ title: `S${i}`, rows: rows(1, `s${i}r`) }))),
			),
	},
	{
		name: 'rows ≤ 10 in one section',
		field: 'sections[0].rows',
		ok: L.LIST_ROWS_TOTAL_MAX,
		bad: [0, L.LIST_ROWS_TOTAL_MAX + 1],
		build: (n) => buildInteractiveContent(list([{ rows: rows(n) }])),
	},
	{
		name: 'rows ≤ 10 across sections',
		field: 'sections[*].rows',
		ok: L.LIST_ROWS_TOTAL_MAX,
		bad: [L.LIST_ROWS_TOTAL_MAX + 1],
		build: (n) =>
			buildInteractiveContent(
				list([
					{ title: 'A', rows: rows(5, 'a') },
					{ title: 'B', rows: rows(n - 5, 'b') },
				]),
			),
	},
	{
		name: 'contacts 1-257',
		field: 'contacts',
		ok: L.CONTACTS_MAX,
		bad: [0, L.CONTACTS_MAX + 1],
		build: (n) => buildContactsContent(Array.from({ length: n }, () => contact())),
	},
];

describe('count limits', () => {
	test.each(countCases)('$name', ({ field, ok, bad, build }) => {
		expect(() => build(ok)).not.toThrow();
		for (const n of bad) {
			const error = payloadError(() => build(n));
			expect(error.field).toBe(field);
			expect(error.message).toContain(`it has ${n}`);
		}
	});
});

describe('coordinates', () => {
	test.each([
		['latitude', 90, true],
		['latitude', -90, true],
		['latitude', 90.000001, false],
		['latitude', -90.000001, false],
		['longitude', 180, true],
		['longitude', -180, true],
		['longitude', 180.000001, false],
		['longitude', -180.000001, false],
		['latitude', Number.NaN, false],
		['latitude', '52.52', true],
		['latitude', 'north', false],
		['latitude', '', false],
	] as const)('%s %p → ok=%p', (field, value, ok) => {
		const input = { latitude: 0, longitude: 0, [field]: value };
		if (ok) expect(() => buildLocationContent(input)).not.toThrow();
		else expect(payloadError(() => buildLocationContent(input)).field).toBe(field);
	});

	test('exact content; name and address only when given', () => {
		expect(buildLocationContent({ latitude: '52.52', longitude: 13.405 })).toEqual({
			type: 'location',
			location: { latitude: 52.52, longitude: 13.405 },
		});
		expect(
			buildLocationContent({ latitude: 1, longitude: 2, name: 'Shop', address: '1 Main St' }),
		).toEqual({
			type: 'location',
			location: { latitude: 1, longitude: 2, name: 'Shop', address: '1 Main St' },
		});
	});
});

describe('reaction: exactly one emoji, or empty to remove', () => {
	test.each([
		['👍', true],
		['❤️', true],
		['🇩🇪', true],
		['1️⃣', true],
		['👨‍👩‍👧‍👦', true],
		['👍🏽', true],
		['', true],
		['👍👍', false],
		['a', false],
		['ok', false],
		['1', false],
	])('%p → ok=%p', (emoji, ok) => {
		const build = () => buildReactionContent({ messageId: WAMID, emoji });
		if (ok) expect(build()).toEqual({ type: 'reaction', reaction: { message_id: WAMID, emoji } });
		else expect(payloadError(build).field).toBe('emoji');
	});

	test('message ID must be a wamid-like token', () => {
		expect(payloadError(() => buildReactionContent({ messageId: '', emoji: '👍' })).field).toBe(
			'messageId',
		);
		expect(
			payloadError(() => buildReactionContent({ messageId: 'wamid 1', emoji: '👍' })).field,
		).toBe('messageId');
	});
});

describe('text', () => {
	test('exact content; preview_url only when on', () => {
		expect(buildTextContent({ body: 'Hi' })).toEqual({ type: 'text', text: { body: 'Hi' } });
		expect(buildTextContent({ body: 'Hi https://x.test', previewUrl: true })).toEqual({
			type: 'text',
			text: { body: 'Hi https://x.test', preview_url: true },
		});
	});
});

describe('media', () => {
	test('exactly one source', () => {
		expect(payloadError(() => buildMediaContent({ kind: 'image' })).actual).toBe(
			'neither an ID nor a link',
		);
		expect(
			payloadError(() => buildMediaContent({ kind: 'image', id: '1', link: 'https://x.test/a' }))
				.actual,
		).toBe('both an ID and a link');
	});

	test.each([
		'ftp://x.test/a.jpg',
		'x.test/a.jpg',
		'https://',
		'javascript:alert(1)',
		'https://a b',
	])('link %p is refused', (link) => {
		expect(payloadError(() => buildMediaContent({ kind: 'image', link })).field).toBe('image.link');
	});

	test('media ID without spaces', () => {
		expect(payloadError(() => buildMediaContent({ kind: 'video', id: '12 34' })).field).toBe(
			'video.id',
		);
	});

	test.each(['audio', 'sticker'] as const)('no caption on %s', (kind) => {
		const error = payloadError(() =>
			buildMediaContent({ kind, link: 'https://x.test/f', caption: 'hi' }),
		);
		expect(error.field).toBe('caption');
		expect(error.message).toContain(`not allowed on ${kind}`);
	});

	test.each(['image', 'video', 'audio', 'sticker'] as const)('no filename on %s', (kind) => {
		expect(
			payloadError(() => buildMediaContent({ kind, link: 'https://x.test/f', filename: 'a.pdf' }))
				.field,
		).toBe('filename');
	});

	test('voice only on audio', () => {
		expect(
			payloadError(() => buildMediaContent({ kind: 'video', id: '1', voice: true })).field,
		).toBe('voice');
		expect(buildMediaContent({ kind: 'audio', id: '1', voice: true })).toEqual({
			type: 'audio',
			audio: { id: '1', voice: true },
		});
	});

	test('exact content per kind', () => {
		expect(
			buildMediaContent({ kind: 'image', link: 'https://x.test/a.jpg', caption: 'Hi' }),
		).toEqual({ type: 'image', image: { link: 'https://x.test/a.jpg', caption: 'Hi' } });
		expect(
			buildMediaContent({ kind: 'document', id: '42', caption: 'Invoice', filename: 'inv.pdf' }),
		).toEqual({
			type: 'document',
			document: { id: '42', caption: 'Invoice', filename: 'inv.pdf' },
		});
		expect(buildMediaContent({ kind: 'sticker', id: '7' })).toEqual({
			type: 'sticker',
			sticker: { id: '7' },
		});
		expect(buildMediaContent({ kind: 'video', id: '8', caption: '' })).toEqual({
			type: 'video',
			video: { id: '8' },
		});
	});

	test('unknown kind', () => {
		expect(payloadError(() => buildMediaContent({ kind: 'gif' as never, id: '1' })).field).toBe(
			'mediaType',
		);
	});
});

describe('interactive', () => {
	test('reply buttons: exact content with media header and footer', () => {
		expect(
			buildInteractiveContent(
				button({
					header: { type: 'image', link: 'https://x.test/a.jpg' },
					footer: 'Thanks',
					buttons: [
						{ id: 'yes', title: 'Yes' },
						{ id: 'no', title: 'No' },
					],
				}),
			),
		).toEqual({
			type: 'interactive',
			interactive: {
				type: 'button',
				header: { type: 'image', image: { link: 'https://x.test/a.jpg' } },
				body: { text: 'Pick one' },
				footer: { text: 'Thanks' },
				action: {
					buttons: [
						{ type: 'reply', reply: { id: 'yes', title: 'Yes' } },
						{ type: 'reply', reply: { id: 'no', title: 'No' } },
					],
				},
			},
		});
	});

	test('button IDs and titles are unique', () => {
		const sameId = payloadError(() =>
			buildInteractiveContent(
				button({
					buttons: [
						{ id: 'a', title: 'A' },
						{ id: 'a', title: 'B' },
					],
				}),
			),
		);
		expect(sameId.field).toBe('buttons[1].id');
		expect(sameId.message).toContain('buttons[0].id');
		const sameTitle = payloadError(() =>
			buildInteractiveContent(
				button({
					buttons: [
						{ id: 'a', title: 'A' },
						{ id: 'b', title: 'A' },
					],
				}),
			),
		);
		expect(sameTitle.field).toBe('buttons[1].title');
	});

	test('button IDs without leading or trailing spaces', () => {
		expect(
			payloadError(() => buildInteractiveContent(button({ buttons: [{ id: ' a', title: 'A' }] })))
				.field,
		).toBe('buttons[0].id');
	});

	test('row IDs are unique across sections', () => {
		const error = payloadError(() =>
			buildInteractiveContent(
				list([
					{ title: 'A', rows: [{ id: 'x', title: 'X' }] },
					{ title: 'B', rows: [{ id: 'x', title: 'Y' }] },
				]),
			),
		);
		expect(error.field).toBe('sections[1].rows[0].id');
	});

	test('section title required when more than one section', () => {
		const error = payloadError(() =>
			buildInteractiveContent(list([{ rows: rows(1, 'a') }, { title: 'B', rows: rows(1, 'b') }])),
		);
		expect(error.field).toBe('sections[0].title');
	});

	test.each(['list', 'cta_url', 'flow'] as const)('%s takes only a text header', (type) => {
		const base = type === 'list' ? list([{ rows: rows(1) }]) : type === 'flow' ? flow() : cta();
		const error = payloadError(() =>
			buildInteractiveContent({ ...base, header: { type: 'image', link: 'https://x.test/a.jpg' } }),
		);
		expect(error.field).toBe('header.type');
		expect(() =>
			buildInteractiveContent({ ...base, header: { type: 'text', text: 'Hello' } }),
		).not.toThrow();
	});

	test('media header: exactly one source, link or id', () => {
		expect(
			payloadError(() => buildInteractiveContent(button({ header: { type: 'video' } }))).field,
		).toBe('header');
		expect(
			buildInteractiveContent(button({ header: { type: 'document', id: '99' } })).interactive,
		).toMatchObject({ header: { type: 'document', document: { id: '99' } } });
	});

	test('location request: no header or footer; exact content', () => {
		expect(
			buildInteractiveContent({ type: 'location_request_message', body: 'Where are you?' }),
		).toEqual({
			type: 'interactive',
			interactive: {
				type: 'location_request_message',
				body: { text: 'Where are you?' },
				action: { name: 'send_location' },
			},
		});
		expect(
			payloadError(() =>
				buildInteractiveContent({
					type: 'location_request_message',
					body: 'x',
					header: { type: 'text', text: 'h' },
				}),
			).field,
		).toBe('header');
		expect(
			payloadError(() =>
				buildInteractiveContent({ type: 'location_request_message', body: 'x', footer: 'f' }),
			).field,
		).toBe('footer');
	});

	test('CTA URL: exact content, http(s) only', () => {
		expect(buildInteractiveContent(cta({ header: { type: 'text', text: 'Order' } }))).toEqual({
			type: 'interactive',
			interactive: {
				type: 'cta_url',
				header: { type: 'text', text: 'Order' },
				body: { text: 'Track' },
				action: {
					name: 'cta_url',
					parameters: { display_text: 'Track', url: 'https://example.com/t' },
				},
			},
		});
		expect(payloadError(() => buildInteractiveContent(cta({ url: 'mailto:a@b.c' }))).field).toBe(
			'url',
		);
	});

	test('list: exact content', () => {
		expect(
			buildInteractiveContent(
				list([{ title: 'Morning', rows: [{ id: 's9', title: '09:00', description: 'Desk' }] }]),
			),
		).toEqual({
			type: 'interactive',
			interactive: {
				type: 'list',
				body: { text: 'Pick' },
				action: {
					button: 'Open',
					sections: [
						{ title: 'Morning', rows: [{ id: 's9', title: '09:00', description: 'Desk' }] },
					],
				},
			},
		});
	});

	describe('flow', () => {
		test('navigate: exact parameters, token defaults to "unused"', () => {
			expect(
				buildInteractiveContent(flow({ data: { name: 'Ana' }, mode: 'draft' })).interactive,
			).toEqual({
				type: 'flow',
				body: { text: 'Book' },
				action: {
					name: 'flow',
					parameters: {
						flow_message_version: '3',
						flow_token: 'unused',
						flow_id: '123',
						flow_cta: 'Book now',
						mode: 'draft',
						flow_action: 'navigate',
						flow_action_payload: { screen: 'START', data: { name: 'Ana' } },
					},
				},
			});
		});

		test('data_exchange: no payload; screen refused', () => {
			const content = buildInteractiveContent(
				flow({
					action: 'data_exchange',
					screen: undefined,
					flowId: undefined,
					flowName: 'signup',
					token: 't1',
				}),
			);
			expect(content.interactive).toMatchObject({
				action: {
					parameters: { flow_name: 'signup', flow_token: 't1', flow_action: 'data_exchange' },
				},
			});
			expect(
				(content.interactive as { action: { parameters: object } }).action.parameters,
			).not.toHaveProperty('flow_action_payload');
			expect(
				payloadError(() => buildInteractiveContent(flow({ action: 'data_exchange' }))).field,
			).toBe('flowScreen');
		});

		test.each<[string, Partial<FlowInput>, string]>([
			['navigate needs a screen', { screen: '' }, 'flowScreen'],
			['data must be non-empty', { data: {} }, 'flowData'],
			['data must be an object', { data: [1] as never }, 'flowData'],
			['one of ID and name', { flowName: 'x' }, 'flowId'],
			['neither ID nor name', { flowId: '' }, 'flowId'],
			['no emoji in CTA', { cta: 'Book 📅' }, 'flowCta'],
			['mode', { mode: 'live' as never }, 'flowMode'],
			['action', { action: 'open' as never }, 'flowAction'],
		])('%s', (_name, over, field) => {
			expect(payloadError(() => buildInteractiveContent(flow(over))).field).toBe(field);
		});
	});

	test('unknown interactive type', () => {
		expect(
			payloadError(() => buildInteractiveContent({ type: 'carousel', body: 'x' } as never)).field,
		).toBe('interactiveType');
	});
});

describe('contacts', () => {
	test('exact content; unknown keys dropped; types upper-cased', () => {
		expect(
			buildContactsContent([
				{
					name: { formatted_name: 'Ana Silva', first_name: 'Ana', last_name: 'Silva' },
					phones: [{ phone: '+1 650 555 1234', type: 'cell' as never, wa_id: '16505551234' }],
					emails: [{ email: 'ana@example.com', type: 'WORK' }],
					urls: [{ url: 'https://ana.example.com' }],
					addresses: [{ city: 'Lisbon', country_code: 'PT', type: 'HOME' }],
					org: { company: 'ACME', title: 'CTO' },
					birthday: '1990-04-23',
					extra: 'dropped',
				} as ContactInput,
			]),
		).toEqual({
			type: 'contacts',
			contacts: [
				{
					name: { formatted_name: 'Ana Silva', first_name: 'Ana', last_name: 'Silva' },
					phones: [{ phone: '+1 650 555 1234', type: 'CELL', wa_id: '16505551234' }],
					emails: [{ email: 'ana@example.com', type: 'WORK' }],
					urls: [{ url: 'https://ana.example.com' }],
					addresses: [{ city: 'Lisbon', country_code: 'PT', type: 'HOME' }],
					org: { company: 'ACME', title: 'CTO' },
					birthday: '1990-04-23',
				},
			],
		});
	});

	test.each<[string, ContactInput, string]>([
		['formatted name required', { name: { first_name: 'A' } }, 'contacts[0].name.formatted_name'],
		[
			'a name part besides formatted',
			{ name: { formatted_name: 'A' } },
			'contacts[0].name.first_name',
		],
		['birthday format', contact({ birthday: '23.04.1990' }), 'contacts[0].birthday'],
		['birthday real date', contact({ birthday: '1990-02-30' }), 'contacts[0].birthday'],
		['email form', contact({ emails: [{ email: 'nope' }] }), 'contacts[0].emails[0].email'],
		['url http(s)', contact({ urls: [{ url: 'ftp://x' }] }), 'contacts[0].urls[0].url'],
		[
			'wa_id digits',
			contact({ phones: [{ phone: '1', wa_id: '+1 650' }] }),
			'contacts[0].phones[0].wa_id',
		],
		[
			'phone type',
			contact({ phones: [{ phone: '1', type: 'FAX' as never }] }),
			'contacts[0].phones[0].type',
		],
		['phones list', contact({ phones: 'x' as never }), 'contacts[0].phones'],
	])('%s', (_name, input, field) => {
		expect(payloadError(() => buildContactsContent([input])).field).toBe(field);
	});
});

describe('envelope', () => {
	test('exact message: phone recipient, reply-to, callback data', () => {
		expect(
			buildMessage(
				{ recipient: { to: '16505551234' }, replyToMessageId: WAMID, callbackData: 'order-1' },
				buildTextContent({ body: 'Hi' }),
			),
		).toEqual({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: '16505551234',
			context: { message_id: WAMID },
			biz_opaque_callback_data: 'order-1',
			type: 'text',
			text: { body: 'Hi' },
		});
	});

	test('BSUID recipient', () => {
		expect(
			buildMessage(
				{ recipient: { recipient: 'US.13491208655302741918' } },
				buildTextContent({ body: 'x' }),
			),
		).toMatchObject({ recipient: 'US.13491208655302741918' });
	});

	test.each(['', 'wamid 123', ' '])('reply-to %p is refused', (replyToMessageId) => {
		expect(
			payloadError(() =>
				buildMessage({ ...envelope, replyToMessageId }, buildTextContent({ body: 'x' })),
			).field,
		).toBe('replyToMessageId');
	});

	test('recipient re-checked', () => {
		expect(
			payloadError(() =>
				buildMessage({ recipient: { to: 'abc' } }, buildTextContent({ body: 'x' })),
			).field,
		).toBe('recipient');
	});
});

describe('read receipt', () => {
	test('exact bodies', () => {
		expect(buildReadReceipt({ messageId: WAMID })).toEqual({
			messaging_product: 'whatsapp',
			status: 'read',
			message_id: WAMID,
		});
		expect(buildReadReceipt({ messageId: WAMID, showTypingIndicator: true })).toEqual({
			messaging_product: 'whatsapp',
			status: 'read',
			message_id: WAMID,
			typing_indicator: { type: 'text' },
		});
		expect(payloadError(() => buildReadReceipt({ messageId: '' })).field).toBe('messageId');
	});
});
