/**
 * Product, product list, catalog, call permission request and voice call builders: each limit at
 * its edge and one past it, and a property test of the product list builder (a payload the
 * emulator accepts, or a PayloadError — never another exception or a malformed request).
 */
import fc from 'fast-check';

import {
	buildCallPermissionRequestContent,
	buildVoiceCallContent,
} from '../../nodes/WhatsAppCloud/helpers/payloads/calling';
import {
	buildCatalogContent,
	buildProductContent,
	buildProductListContent,
	productSectionsFromFields,
	productSectionsFromJson,
} from '../../nodes/WhatsAppCloud/helpers/payloads/commerce';
import { buildMessage } from '../../nodes/WhatsAppCloud/helpers/payloads/envelope';
import type { Emulator } from '../emulator';
import { SEED_CATALOG_ID, startEmulator } from '../emulator';
import { assertAcceptedOrRefused, junk, refusal, textNear } from './support/builderProperty';

const CATALOG = SEED_CATALOG_ID;
const text = (n: number) => 'a'.repeat(n);
const skus = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `SKU-${from + i}`);

describe('product', () => {
	it('builds the product message with optional body and footer', () => {
		expect(
			buildProductContent({
				catalogId: CATALOG,
				productRetailerId: 'SKU-1',
				body: 'Look',
				footer: 'Now',
			}),
		).toEqual({
			type: 'interactive',
			interactive: {
				type: 'product',
				body: { text: 'Look' },
				footer: { text: 'Now' },
				action: { catalog_id: CATALOG, product_retailer_id: 'SKU-1' },
			},
		});
		expect(
			buildProductContent({ catalogId: CATALOG, productRetailerId: 'SKU-1' }).interactive,
		).toEqual({
			type: 'product',
			action: { catalog_id: CATALOG, product_retailer_id: 'SKU-1' },
		});
	});

	it('body 1024 / footer 60 at the edge, one more is refused naming the field', () => {
		expect(() =>
			buildProductContent({
				catalogId: CATALOG,
				productRetailerId: 'S',
				body: text(1024),
				footer: text(60),
			}),
		).not.toThrow();
		expect(
			refusal(() =>
				buildProductContent({ catalogId: CATALOG, productRetailerId: 'S', body: text(1025) }),
			),
		).toMatchObject({ field: 'body', limit: 'at most 1024 characters', actual: '1025 characters' });
		expect(
			refusal(() =>
				buildProductContent({ catalogId: CATALOG, productRetailerId: 'S', footer: text(61) }),
			).field,
		).toBe('footer');
	});

	it('retailer IDs: 100 characters pass, 101 are refused', () => {
		expect(() =>
			buildProductContent({ catalogId: CATALOG, productRetailerId: text(100) }),
		).not.toThrow();
		expect(
			refusal(() => buildProductContent({ catalogId: CATALOG, productRetailerId: text(101) })),
		).toMatchObject({ field: 'productRetailerId', actual: '101 characters' });
	});

	it('catalog ID must be numeric, the retailer ID a token', () => {
		expect(
			refusal(() => buildProductContent({ catalogId: 'abc', productRetailerId: 'S' })).field,
		).toBe('catalogId');
		expect(
			refusal(() => buildProductContent({ catalogId: CATALOG, productRetailerId: 'a b' })).field,
		).toBe('productRetailerId');
		expect(
			refusal(() => buildProductContent({ catalogId: CATALOG, productRetailerId: '' })).field,
		).toBe('productRetailerId');
	});
});

describe('product list', () => {
	const list = (sections: Array<{ title?: string; productRetailerIds: string[] }>, extra = {}) =>
		buildProductListContent({
			catalogId: CATALOG,
			header: 'Picks',
			body: 'Choose',
			sections,
			...extra,
		});

	it('builds sections of product items', () => {
		expect(
			list([{ title: 'Coffee', productRetailerIds: ['SKU-1', 'SKU-2'] }], { footer: 'f' }),
		).toEqual({
			type: 'interactive',
			interactive: {
				type: 'product_list',
				header: { type: 'text', text: 'Picks' },
				body: { text: 'Choose' },
				footer: { text: 'f' },
				action: {
					catalog_id: CATALOG,
					sections: [
						{
							title: 'Coffee',
							product_items: [{ product_retailer_id: 'SKU-1' }, { product_retailer_id: 'SKU-2' }],
						},
					],
				},
			},
		});
	});

	it('10 sections pass, 11 are refused', () => {
		const sections = (n: number) =>
			Array.from({ length: n }, (_, i) => ({
				title: `S${i}`,
				productRetailerIds: [`SKU-${i + 1}`],
			}));
		expect(() => list(sections(10))).not.toThrow();
		expect(refusal(() => list(sections(11)))).toMatchObject({
			field: 'sections',
			limit: '1 to 10 sections',
			actual: '11 sections',
		});
		expect(refusal(() => list([])).field).toBe('sections');
	});

	it('30 products in total pass, 31 are refused — in one section or across several', () => {
		expect(() => list([{ productRetailerIds: skus(30) }])).not.toThrow();
		expect(refusal(() => list([{ productRetailerIds: skus(31) }])).field).toBe(
			'sections[0].productRetailerIds',
		);
		expect(() =>
			list([
				{ title: 'A', productRetailerIds: skus(15) },
				{ title: 'B', productRetailerIds: skus(15, 16) },
			]),
		).not.toThrow();
		expect(
			refusal(() =>
				list([
					{ title: 'A', productRetailerIds: skus(15) },
					{ title: 'B', productRetailerIds: skus(16, 16) },
				]),
			),
		).toMatchObject({ field: 'sections[*].productRetailerIds', actual: '31 products in total' });
	});

	it('section titles: required with several sections, 24 characters at most', () => {
		expect(() => list([{ productRetailerIds: ['SKU-1'] }])).not.toThrow();
		expect(
			refusal(() =>
				list([{ productRetailerIds: ['SKU-1'] }, { title: 'B', productRetailerIds: ['SKU-2'] }]),
			).field,
		).toBe('sections[0].title');
		expect(() => list([{ title: text(24), productRetailerIds: ['SKU-1'] }])).not.toThrow();
		expect(refusal(() => list([{ title: text(25), productRetailerIds: ['SKU-1'] }])).field).toBe(
			'sections[0].title',
		);
	});

	it('header 60 and body 1024 at the edge; one more, a missing header or a repeated product is refused', () => {
		expect(() =>
			list([{ productRetailerIds: ['SKU-1'] }], { header: text(60), body: text(1024) }),
		).not.toThrow();
		expect(
			refusal(() => list([{ productRetailerIds: ['SKU-1'] }], { header: text(61) })).field,
		).toBe('header');
		expect(
			refusal(() => list([{ productRetailerIds: ['SKU-1'] }], { body: text(1025) })).field,
		).toBe('body');
		expect(refusal(() => list([{ productRetailerIds: ['SKU-1'] }], { header: '' })).field).toBe(
			'header',
		);
		expect(
			refusal(() =>
				list([
					{ title: 'A', productRetailerIds: ['SKU-1'] },
					{ title: 'B', productRetailerIds: ['SKU-1'] },
				]),
			).field,
		).toBe('sections[1].productRetailerIds[0]');
	});
});

describe('catalog message', () => {
	it('needs a body and the thumbnail product', () => {
		expect(buildCatalogContent({ body: 'Browse', thumbnailProductRetailerId: 'SKU-1' })).toEqual({
			type: 'interactive',
			interactive: {
				type: 'catalog_message',
				body: { text: 'Browse' },
				action: { name: 'catalog_message', parameters: { thumbnail_product_retailer_id: 'SKU-1' } },
			},
		});
		expect(
			refusal(() => buildCatalogContent({ body: 'Browse', thumbnailProductRetailerId: '' })).field,
		).toBe('thumbnailProductRetailerId');
		expect(() =>
			buildCatalogContent({ body: text(1024), thumbnailProductRetailerId: 'S' }),
		).not.toThrow();
		expect(
			refusal(() => buildCatalogContent({ body: text(1025), thumbnailProductRetailerId: 'S' }))
				.field,
		).toBe('body');
	});
});

describe('calling messages', () => {
	it('call permission request: only the body, 1024 at most', () => {
		expect(buildCallPermissionRequestContent({ body: 'May we call you?' })).toEqual({
			type: 'interactive',
			interactive: {
				type: 'call_permission_request',
				body: { text: 'May we call you?' },
				action: { name: 'call_permission_request' },
			},
		});
		expect(() => buildCallPermissionRequestContent({ body: text(1024) })).not.toThrow();
		expect(refusal(() => buildCallPermissionRequestContent({ body: text(1025) })).field).toBe(
			'body',
		);
		expect(refusal(() => buildCallPermissionRequestContent({ body: '  ' })).field).toBe('body');
	});

	it('voice call: parameters left out when empty, each limit at the edge and one past it', () => {
		expect(buildVoiceCallContent({ body: 'Call us' }).interactive).toEqual({
			type: 'voice_call',
			body: { text: 'Call us' },
			action: { name: 'voice_call' },
		});
		expect(
			buildVoiceCallContent({
				body: 'b',
				displayText: text(20),
				ttlMinutes: '43200',
				payload: text(512),
			}).interactive.action,
		).toEqual({
			name: 'voice_call',
			parameters: { display_text: text(20), ttl_minutes: 43_200, payload: text(512) },
		});
		expect(
			buildVoiceCallContent({ body: 'b', ttlMinutes: 1 }).interactive.action.parameters,
		).toEqual({
			ttl_minutes: 1,
		});
		expect(refusal(() => buildVoiceCallContent({ body: 'b', displayText: text(21) })).field).toBe(
			'displayText',
		);
		expect(refusal(() => buildVoiceCallContent({ body: 'b', ttlMinutes: 43_201 }))).toMatchObject({
			field: 'ttlMinutes',
			limit: 'a whole number from 1 to 43200',
		});
		expect(refusal(() => buildVoiceCallContent({ body: 'b', ttlMinutes: 0 })).field).toBe(
			'ttlMinutes',
		);
		expect(refusal(() => buildVoiceCallContent({ body: 'b', ttlMinutes: 1.5 })).field).toBe(
			'ttlMinutes',
		);
		expect(refusal(() => buildVoiceCallContent({ body: 'b', payload: text(513) })).field).toBe(
			'payload',
		);
	});
});

// ── Property: the product list builder against the emulator ─────────────────────────────────────

const maybe = <T>(arb: fc.Arbitrary<T>) =>
	fc.oneof({ weight: 12, arbitrary: arb }, { weight: 1, arbitrary: junk as fc.Arbitrary<unknown> });
/** Retailer IDs of the emulator's catalog, or IDs no catalog could hold. */
const retailerId = fc.oneof(
	{ weight: 12, arbitrary: fc.integer({ min: 1, max: 40 }).map((n) => `SKU-${n}`) },
	{ weight: 1, arbitrary: fc.constantFrom('', ' ', 'a b', 'x'.repeat(101)) },
);
const section = fc.record({
	title: fc.oneof(
		{ weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,22}[a-z]$/) },
		{ weight: 1, arbitrary: fc.constant(undefined) },
		{ weight: 1, arbitrary: textNear(24) },
	),
	productRetailerIds: maybe(
		fc.oneof(
			{ weight: 8, arbitrary: fc.array(retailerId, { minLength: 1, maxLength: 4 }) },
			{ weight: 1, arbitrary: fc.array(retailerId, { minLength: 0, maxLength: 32 }) },
		),
	),
});
const productListInput = fc.record({
	catalogId: fc.oneof(
		{ weight: 12, arbitrary: fc.constant(CATALOG) },
		{ weight: 1, arbitrary: junk },
	),
	header: maybe(textNear(60)),
	body: maybe(textNear(1024)),
	footer: fc.option(textNear(60), { nil: undefined }),
	sections: maybe(
		fc.oneof(
			{ weight: 8, arbitrary: fc.array(section, { minLength: 1, maxLength: 3 }) },
			{ weight: 1, arbitrary: fc.array(section, { minLength: 0, maxLength: 12 }) },
		),
	),
});

/** An emulator per describe that takes any send rate: property runs send hundreds of messages. */
function propertyEmulator(): () => Emulator {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ port: 0 });
		emu.configure({
			messagesPerSecond: 1_000_000,
			pairRate: { enabled: false, intervalMs: 6000, burst: 45 },
		});
	});
	afterAll(() => emu.stop());
	return () => emu;
}

describe('property: product list builder', () => {
	const emulator = propertyEmulator();

	it('returns a payload the emulator accepts, or a PayloadError', async () => {
		await assertAcceptedOrRefused({
			arbitrary: productListInput,
			build: (input) =>
				buildMessage({ recipient: { to: '16505551234' } }, buildProductListContent(input as never)),
			url: `${emulator().baseUrl}/${emulator().config.apiVersion}/${emulator().config.phoneNumberIds[0]}/messages`,
			token: emulator().config.token,
			// IDs given as JSON numbers are sent as text; a product or catalog (e.g. `0`) the account
			// does not hold is Meta's 131009: well-formed, refused for state only Meta knows.
			isStateRefusal: (answer) => {
				const error = (answer as { error?: { code?: number; error_data?: { details?: string } } })
					?.error;
				return (
					error?.code === 131009 &&
					/not found in catalog|does not exist or is not connected/.test(
						error.error_data?.details ?? '',
					)
				);
			},
		});
	}, 60_000);
});

// ── Property: from the node's parameters (fields or JSON) to the product list ───────────────────

/**
 * Retailer IDs of the emulator's catalog, or IDs refused by their form. (No numbers or other text:
 * those are well-formed IDs the catalog does not hold, which only Meta can refuse.)
 */
const knownOrMalformedId = fc.oneof(
	{ weight: 12, arbitrary: fc.integer({ min: 1, max: 40 }).map((n) => `SKU-${n}`) },
	{ weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(101), ' ') },
);
/** Values of the wrong type that cannot pass for an ID. */
const notIds = fc.oneof(
	fc.constant(null),
	fc.constant(undefined),
	fc.boolean(),
	fc.object(),
	fc.array(fc.object(), { maxLength: 2 }),
);
const sometimesWrong = <T>(arb: fc.Arbitrary<T>) =>
	fc.oneof(
		{ weight: 12, arbitrary: arb },
		{ weight: 1, arbitrary: notIds as fc.Arbitrary<unknown> },
	);
const sectionTitle = fc.oneof(
	{ weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,22}[a-z]$/) },
	{ weight: 1, arbitrary: fc.constant(undefined) },
	{ weight: 1, arbitrary: textNear(24) },
);
const idList = fc.oneof(
	{ weight: 8, arbitrary: fc.array(knownOrMalformedId, { minLength: 1, maxLength: 5 }) },
	{ weight: 1, arbitrary: fc.array(knownOrMalformedId, { minLength: 0, maxLength: 32 }) },
);
const sectionCount = fc.oneof(
	{ weight: 8, arbitrary: fc.integer({ min: 1, max: 3 }) },
	{ weight: 1, arbitrary: fc.integer({ min: 0, max: 11 }) },
);
/** The fixed collection's value as n8n hands it over: IDs typed with any allowed separator. */
const fieldsValue = fc.oneof(
	{
		weight: 10,
		arbitrary: sectionCount.chain((n) =>
			fc
				.array(
					fc.record({
						title: sectionTitle,
						productRetailerIds: sometimesWrong(
							fc
								.tuple(
									idList.map((ids) => ids.filter((id) => id.trim() !== '')),
									fc.constantFrom(', ', ',', ' ', '\n', ' ,\n'),
								)
								.map(([ids, separator]) => ids.join(separator)),
						),
					}),
					{ minLength: n, maxLength: n },
				)
				.map((section) => ({ section })),
		),
	},
	{ weight: 1, arbitrary: notIds },
);
const jsonSections = sectionCount.chain((n) =>
	fc.array(fc.record({ title: sectionTitle, productRetailerIds: sometimesWrong(idList) }), {
		minLength: n,
		maxLength: n,
	}),
);
/** Sections as JSON: this node's shape or Meta's, as text or as a value, sometimes not JSON. */
const jsonValue = fc.oneof(
	{ weight: 5, arbitrary: jsonSections.map((sections) => JSON.stringify(sections)) },
	{
		weight: 5,
		arbitrary: jsonSections.map((sections) => ({
			sections: sections.map((section) => ({
				...(section.title === undefined ? {} : { title: section.title }),
				product_items: Array.isArray(section.productRetailerIds)
					? section.productRetailerIds.map((id) => ({ product_retailer_id: id }))
					: section.productRetailerIds,
			})),
		})),
	},
	{ weight: 1, arbitrary: fc.constantFrom('[{"title": "x",', 'null', '{}', '"SKU-1"', '') },
	{ weight: 1, arbitrary: notIds },
);

describe('property: product list from the node parameters', () => {
	const emulator = propertyEmulator();
	const url = () =>
		`${emulator().baseUrl}/${emulator().config.apiVersion}/${emulator().config.phoneNumberIds[0]}/messages`;
	const message = (sections: unknown) =>
		buildMessage(
			{ recipient: { to: '16505551234' } },
			buildProductListContent({
				catalogId: CATALOG,
				header: 'Shop',
				body: 'Pick',
				sections,
			} as never),
		);

	it('fields: a message the emulator accepts, or a PayloadError', async () => {
		await assertAcceptedOrRefused({
			arbitrary: fieldsValue,
			build: (value) => message(productSectionsFromFields(value)),
			url: url(),
			token: emulator().config.token,
		});
	}, 60_000);

	it('JSON: a message the emulator accepts, or a PayloadError', async () => {
		await assertAcceptedOrRefused({
			arbitrary: jsonValue,
			build: (value) => message(productSectionsFromJson(value)),
			url: url(),
			token: emulator().config.token,
		});
	}, 60_000);
});
