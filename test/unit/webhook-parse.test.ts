import { readdirSync, readFileSync } from 'fs';
import path from 'path';
import fc from 'fast-check';

import {
	MESSAGE_TYPES,
	STATUS_VALUES,
	WEBHOOK_FIELDS,
} from '../../nodes/WhatsAppCloud/helpers/types/webhook';
import type {
	WebhookItem,
	WebhookMessageItem,
	WebhookStatusItem,
} from '../../nodes/WhatsAppCloud/helpers/types/webhook';
import {
	parseWebhookBody,
	parseWebhookPayload,
	toIso,
} from '../../nodes/WhatsAppCloud/helpers/webhook/parse';

interface Fixture {
	payload: unknown;
	expected: WebhookItem[];
}

const FIXTURE_DIR = path.join(__dirname, 'fixtures', 'webhooks');
const fixtures: Array<[string, Fixture]> = readdirSync(FIXTURE_DIR)
	.filter((file) => file.endsWith('.json'))
	.sort()
	.map((file) => [
		file.replace(/\.json$/, ''),
		JSON.parse(readFileSync(path.join(FIXTURE_DIR, file), 'utf8')) as Fixture,
	]);

const byName = new Map(fixtures);
const fixture = (name: string) => {
	const found = byName.get(name);
	if (!found) throw new Error(`no fixture ${name}`);
	return found;
};

describe('parseWebhookBody: every fixture → its exact items', () => {
	it.each(fixtures)('%s', (_name, { payload, expected }) => {
		const result = parseWebhookBody(Buffer.from(JSON.stringify(payload), 'utf8'));
		expect(result).toEqual({ ok: true, items: expected });
	});

	it.each(fixtures)('%s: the raw event is always included', (_name, { payload }) => {
		const result = parseWebhookPayload(payload);
		for (const item of result.items) {
			if (item.event === 'message') expect((item as WebhookMessageItem).message).toBeDefined();
			else if (item.event === 'status' || item.event === 'error' || item.event === 'call') {
				expect((item as { raw: unknown }).raw).toBeDefined();
			} else expect(item).toHaveProperty('value');
		}
	});
});

describe('fixture coverage', () => {
	const items = fixtures.flatMap(([, f]) => f.expected);

	it.each(MESSAGE_TYPES.map((type) => [type]))('message type %s has a fixture', (type) => {
		expect(
			items.some((item) => item.event === 'message' && (item as WebhookMessageItem).type === type),
		).toBe(true);
	});

	it.each(STATUS_VALUES.map((status) => [status]))('status %s has a fixture', (status) => {
		expect(
			items.some(
				(item) => item.event === 'status' && (item as WebhookStatusItem).status === status,
			),
		).toBe(true);
	});

	it.each(WEBHOOK_FIELDS.filter((field) => field !== 'messages').map((field) => [field]))(
		'field %s has a fixture',
		(field) => {
			// The calls field has items of its own kind.
			const event = field === 'calls' ? 'call' : field;
			expect(items.some((item) => item.event === event)).toBe(true);
		},
	);

	it('errors in all three places have fixtures', () => {
		expect(items.some((item) => item.event === 'error')).toBe(true);
		expect(
			items.some((item) => item.event === 'message' && (item as WebhookMessageItem).errors),
		).toBe(true);
		expect(
			items.some((item) => item.event === 'status' && (item as WebhookStatusItem).errors),
		).toBe(true);
	});
});

describe('parseWebhookBody: specific behaviour', () => {
	it('walks every entry, change, message, status and error of a batch, in order', () => {
		const { expected } = fixture('batched-multi-entry');
		const items = parseWebhookPayload(fixture('batched-multi-entry').payload).items;
		expect(items.map((item) => item.event)).toEqual([
			'message',
			'message',
			'status',
			'status',
			'error',
			'message_template_status_update',
		]);
		expect(items).toEqual(expected);
		expect(items.map((item) => item.wabaId)).toEqual([
			'102290129340398',
			'102290129340398',
			'102290129340398',
			'102290129340398',
			'109876543210123',
			'109876543210123',
		]);
	});

	it('matches each message of a batch to its own contact', () => {
		const [first, second] = parseWebhookPayload(fixture('batched-multi-entry').payload)
			.items as WebhookMessageItem[];
		expect(first.contact?.name).toBe('Sheena Nelson');
		expect(second.contact).toEqual({ name: 'Bob', waId: '447700900123', userId: 'GB.112233' });
	});

	it('a BSUID-only sender has no phone but a user ID and username', () => {
		const [item] = parseWebhookPayload(fixture('message-bsuid-only-sender').payload)
			.items as WebhookMessageItem[];
		expect(item.from).toBeUndefined();
		expect(item.fromUserId).toBe('US.13491208655302741918');
		expect(item.contact).toEqual({
			name: 'Ana',
			username: 'ana.designs',
			userId: 'US.13491208655302741918',
		});
	});

	it('a flow reply with invalid response_json keeps the string and does not throw', () => {
		const [item] = parseWebhookPayload(
			fixture('message-interactive-flow-reply-invalid-json').payload,
		).items as WebhookMessageItem[];
		expect(item.flowResponse).toEqual({
			name: 'flow',
			body: 'Sent',
			data: null,
			responseJson: '{"flow_token": "tok-1", broken',
		});
	});

	it('an unknown message type passes through with knownType false and the raw message', () => {
		const [item] = parseWebhookPayload(fixture('message-future-type').payload)
			.items as WebhookMessageItem[];
		expect(item.type).toBe('hologram');
		expect(item.knownType).toBe(false);
		expect(item.message).toMatchObject({ type: 'hologram', hologram: { depth: 3 } });
	});

	it('an unknown field passes through with knownField false', () => {
		const [item] = parseWebhookPayload(fixture('field-unknown-future-field').payload).items;
		expect(item).toMatchObject({ event: 'quantum_entanglement_update', knownField: false });
	});

	it.each([
		['not JSON', 'hello', 'not-json'],
		['truncated JSON', '{"object":"whatsapp_business_account","entry":[', 'not-json'],
		['empty body', '', 'not-json'],
		['another object', '{"object":"page","entry":[]}', 'not-whatsapp'],
		['no entry array', '{"object":"whatsapp_business_account","entry":{}}', 'not-whatsapp'],
		['JSON array', '[1,2,3]', 'not-whatsapp'],
		['JSON null', 'null', 'not-whatsapp'],
	])('%s → not ok (%s)', (_name, body, reason) => {
		expect(parseWebhookBody(body)).toEqual({ ok: false, reason, items: [] });
	});

	it('skips malformed entries, changes and events but keeps the good ones', () => {
		const result = parseWebhookPayload({
			object: 'whatsapp_business_account',
			entry: [
				null,
				'x',
				{ id: 1, changes: 'nope' },
				{
					id: '1',
					changes: [
						null,
						{
							field: 'messages',
							value: {
								metadata: null,
								messages: [null, 7, { id: 'wamid.ok', type: 'text', text: 'bad' }],
							},
						},
					],
				},
			],
		});
		expect(result.ok).toBe(true);
		expect(result.items).toEqual([
			{
				event: 'message',
				field: 'messages',
				wabaId: '1',
				messageId: 'wamid.ok',
				type: 'text',
				timestamp: null,
				knownType: true,
				message: { id: 'wamid.ok', type: 'text', text: 'bad' },
			},
		]);
	});

	it.each([
		['1749416383', '2025-06-08T20:59:43.000Z'],
		[1749416383, '2025-06-08T20:59:43.000Z'],
		['0', '1970-01-01T00:00:00.000Z'],
		['', null],
		['soon', null],
		[undefined, null],
		[1e20, null],
		[Number.NaN, null],
	])('toIso(%p) = %p', (input, output) => {
		expect(toIso(input)).toBe(output);
	});
});

describe('parse fuzzing: never throws', () => {
	it('random JSON values', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (value) => {
				const result = parseWebhookBody(JSON.stringify(value) ?? '');
				expect(Array.isArray(result.items)).toBe(true);
			}),
			{ numRuns: 500 },
		);
	});

	it('random payloads shaped like Meta envelopes', () => {
		const anything = fc.anything({ maxDepth: 3 });
		const message = fc.record(
			{
				id: fc.oneof(fc.string(), fc.integer()),
				from: fc.string(),
				timestamp: fc.oneof(fc.string(), fc.double(), fc.constant(undefined)),
				type: fc.oneof(fc.constantFrom(...MESSAGE_TYPES, 'interactive', 'edit'), fc.string()),
				text: anything,
				interactive: fc.oneof(
					anything,
					fc.record({
						type: fc.constantFrom(
							'button_reply',
							'list_reply',
							'nfm_reply',
							'call_permission_reply',
						),
						nfm_reply: fc.record({ response_json: fc.oneof(fc.string(), fc.json()) }),
					}),
				),
				edit: anything,
				context: anything,
				referral: anything,
				errors: anything,
			},
			{ requiredKeys: [] },
		);
		const value = fc.record(
			{
				metadata: anything,
				contacts: fc.oneof(anything, fc.array(anything)),
				messages: fc.oneof(anything, fc.array(message)),
				statuses: fc.oneof(anything, fc.array(fc.dictionary(fc.string(), anything))),
				errors: fc.oneof(anything, fc.array(anything)),
			},
			{ requiredKeys: [] },
		);
		const payload = fc.record({
			object: fc.constant('whatsapp_business_account'),
			entry: fc.array(
				fc.record(
					{
						id: anything,
						time: anything,
						changes: fc.array(
							fc.record({ field: fc.oneof(fc.constant('messages'), fc.string()), value }),
						),
					},
					{ requiredKeys: [] },
				),
			),
		});
		fc.assert(
			fc.property(payload, (body) => {
				const result = parseWebhookPayload(body);
				expect(result.ok).toBe(true);
				// Items must be serialisable: n8n stores them as JSON.
				expect(() => JSON.stringify(result.items)).not.toThrow();
			}),
			{ numRuns: 500 },
		);
	});

	it('truncated fixtures', () => {
		const bodies = fixtures.map(([, f]) => JSON.stringify(f.payload));
		fc.assert(
			fc.property(fc.constantFrom(...bodies), fc.nat(), (body, cut) => {
				const truncated = body.slice(0, cut % (body.length + 1));
				const result = parseWebhookBody(truncated);
				expect(result.ok).toBe(truncated === body);
			}),
			{ numRuns: 500 },
		);
	});

	it('a huge batched body (~3 MB, Meta’s cap) parses every event', () => {
		const { payload } = fixture('message-text');
		const envelope = payload as {
			entry: Array<{ changes: Array<{ value: { messages: unknown[] } }> }>;
		};
		const template = envelope.entry[0].changes[0].value.messages[0] as Record<string, unknown>;
		const messages = Array.from({ length: 12_000 }, (_, index) => ({
			...template,
			id: `wamid.${index}`,
			text: { body: 'x'.repeat(200) },
		}));
		envelope.entry[0].changes[0].value.messages = messages;
		const body = Buffer.from(JSON.stringify(envelope));
		expect(body.length).toBeGreaterThan(2_500_000);
		const result = parseWebhookBody(body);
		expect(result.items).toHaveLength(12_000);
		expect((result.items[11_999] as WebhookMessageItem).messageId).toBe('wamid.11999');
	});
});

describe('order items', () => {
	const order = (items: unknown[]) =>
		parseWebhookPayload({
			object: 'whatsapp_business_account',
			entry: [
				{
					id: '1',
					changes: [
						{
							field: 'messages',
							value: {
								messaging_product: 'whatsapp',
								metadata: { display_phone_number: '1', phone_number_id: '2' },
								messages: [
									{
										from: '16505551234',
										id: 'wamid.x',
										timestamp: '1',
										type: 'order',
										order: { catalog_id: '9', product_items: items },
									},
								],
							},
						},
					],
				},
			],
		}).items[0] as WebhookMessageItem;

	it('totals in exact decimal arithmetic (3 × 0.1 + 0.2 is 0.5)', () => {
		expect(
			order([
				{ product_retailer_id: 'a', quantity: 3, item_price: 0.1, currency: 'EUR' },
				{ product_retailer_id: 'b', quantity: '1', item_price: '0.2', currency: 'EUR' },
			]).order?.total,
		).toEqual({ amount: 0.5, currency: 'EUR' });
	});

	it('no total without prices, with mixed currencies or without products', () => {
		expect(
			order([{ product_retailer_id: 'a', quantity: 1, item_price: 'n/a', currency: 'EUR' }]).order
				?.total,
		).toBeNull();
		expect(order([]).order).toEqual({ catalogId: '9', products: [], total: null });
	});

	it('property: the total equals the sum in cents for two-decimal prices', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						quantity: fc.integer({ min: 1, max: 99 }),
						cents: fc.integer({ min: 0, max: 99_999 }),
					}),
					{ minLength: 1, maxLength: 30 },
				),
				(lines) => {
					const item = order(
						lines.map((l, i) => ({
							product_retailer_id: `SKU-${i}`,
							quantity: l.quantity,
							item_price: l.cents / 100,
							currency: 'USD',
						})),
					);
					const cents = lines.reduce((sum, l) => sum + l.quantity * l.cents, 0);
					expect(item.order?.total).toEqual({ amount: cents / 100, currency: 'USD' });
				},
			),
		);
	});
});
