/**
 * Send Interactive's commerce and calling types through n8n-core against the emulator: the exact
 * message the emulator accepted for Product, Product List, Catalog, Call Permission Request and
 * Voice Call Button, each of Meta's limits at its edge and one past it (refused before any request,
 * naming the field and the item), and the catalog/product pickers as the action node declares them.
 */
import type {
	IDataObject,
	INodeParameters,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import type { Emulator } from '../emulator';
import { SEED_CATALOG_ID, startEmulator } from '../emulator';
import type { RunNodeOptions } from './harness';
import { callLoadOptions, runNode, emulatorCredentials } from './harness';

let emu: Emulator;
const TO = '16505551234';
const CATALOG = SEED_CATALOG_ID;
const text = (n: number) => 'a'.repeat(n);
const skus = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `SKU-${from + i}`);
const locator = (value: string, mode = 'list') => ({ __rl: true, mode, value });
/** Empty from an expression: n8n itself refuses to run a node whose required field is typed empty. */
const EMPTY = '={{ "" }}';

const credentials = () => emulatorCredentials(emu);

beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

async function send(
	interactiveType: string,
	parameters: INodeParameters,
	options: Partial<Omit<RunNodeOptions, 'node' | 'parameters'>> = {},
) {
	return await runNode({
		node: new WhatsAppCloud(),
		parameters: {
			resource: 'message',
			operation: 'sendInteractive',
			phoneNumberId: { __rl: true, mode: 'id', value: emu.config.phoneNumberIds[0] },
			recipient: '+1 (650) 555-1234',
			interactiveType,
			...parameters,
		},
		credentials: credentials(),
		...options,
	});
}

const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to: TO };
const messagesPath = () => `/${emu.config.apiVersion}/${emu.config.phoneNumberIds[0]}/messages`;

/** The one request the node made was this message, and Meta (the emulator) accepted it. */
function sentExactly(result: Awaited<ReturnType<typeof send>>, interactive: IDataObject) {
	expect(result.error).toBeUndefined();
	expect(emu.requests().map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${messagesPath()}`]);
	const [message] = emu.messages();
	expect(message.body).toEqual({ ...envelope, type: 'interactive', interactive });
	expect(result.outputs[0][0].json).toMatchObject({
		messageId: message.wamid,
		status: 'accepted',
		to: TO,
	});
}

/** Refused before any request, with the field and the limit in the error. */
function refused(result: Awaited<ReturnType<typeof send>>, message: string) {
	expect(result.error).toBeInstanceOf(NodeOperationError);
	expect(result.error!.message).toBe(message);
	expect((result.error as NodeOperationError).description).toContain('(item 0)');
	expect(emu.requests()).toEqual([]);
}

describe('product', () => {
	it('sends the product picked by catalog and retailer ID, with body and footer', async () => {
		const result = await send('product', {
			catalogId: locator(CATALOG),
			productRetailerId: locator('SKU-3'),
			productBody: 'The mug you asked about',
			interactiveFooter: 'Ships tomorrow',
		});
		sentExactly(result, {
			type: 'product',
			body: { text: 'The mug you asked about' },
			footer: { text: 'Ships tomorrow' },
			action: { catalog_id: CATALOG, product_retailer_id: 'SKU-3' },
		});
	});

	it('by ID, without body or footer (Meta shows the product)', async () => {
		const result = await send('product', {
			catalogId: locator(` ${CATALOG} `, 'id'),
			productRetailerId: locator('SKU-1', 'id'),
		});
		sentExactly(result, {
			type: 'product',
			action: { catalog_id: CATALOG, product_retailer_id: 'SKU-1' },
		});
	});

	it('body 1,024 and footer 60 pass; one more character is refused', async () => {
		const base = { catalogId: locator(CATALOG), productRetailerId: locator('SKU-1') };
		sentExactly(
			await send('product', { ...base, productBody: text(1024), interactiveFooter: text(60) }),
			{
				type: 'product',
				body: { text: text(1024) },
				footer: { text: text(60) },
				action: { catalog_id: CATALOG, product_retailer_id: 'SKU-1' },
			},
		);
		emu.reset();
		refused(
			await send('product', { ...base, productBody: text(1025) }),
			'body must be at most 1024 characters; it has 1025',
		);
		refused(
			await send('product', { ...base, interactiveFooter: text(61) }),
			'footer must be at most 60 characters; it has 61',
		);
	});

	it('a catalog ID that is not numeric is refused; a product Meta does not know fails at Meta', async () => {
		refused(
			await send('product', {
				// typed by ID the editor's check refuses it; an expression reaches the node
				catalogId: locator('={{ "my-shop" }}', 'id'),
				productRetailerId: locator('SKU-1'),
			}),
			`catalogId must be the catalog's numeric ID; "my-shop" is not`,
		);
		const result = await send('product', {
			catalogId: locator(CATALOG),
			productRetailerId: locator('NO-SUCH-SKU', 'id'),
		});
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error!.message).toContain('NO-SUCH-SKU');
		expect(emu.messages()).toEqual([]);
	});
});

describe('product list', () => {
	const list = (sections: INodeParameters[], extra: INodeParameters = {}) => ({
		catalogId: locator(CATALOG),
		productListHeader: 'Our coffee',
		interactiveBody: 'Pick your beans',
		productSections: { section: sections },
		...extra,
	});

	it('sends sections entered as fields; IDs separated by commas, spaces or lines', async () => {
		const result = await send(
			'product_list',
			list(
				[
					{ title: 'Beans', productRetailerIds: 'SKU-1, SKU-6\nSKU-11' },
					{ title: 'Mugs', productRetailerIds: 'SKU-3 SKU-8' },
				],
				{ interactiveFooter: 'Free shipping over €30' },
			),
		);
		sentExactly(result, {
			type: 'product_list',
			header: { type: 'text', text: 'Our coffee' },
			body: { text: 'Pick your beans' },
			footer: { text: 'Free shipping over €30' },
			action: {
				catalog_id: CATALOG,
				sections: [
					{
						title: 'Beans',
						product_items: [
							{ product_retailer_id: 'SKU-1' },
							{ product_retailer_id: 'SKU-6' },
							{ product_retailer_id: 'SKU-11' },
						],
					},
					{
						title: 'Mugs',
						product_items: [{ product_retailer_id: 'SKU-3' }, { product_retailer_id: 'SKU-8' }],
					},
				],
			},
		});
	});

	it("takes JSON sections in this node's shape or Meta's, also from an expression", async () => {
		const expected = {
			type: 'product_list',
			header: { type: 'text', text: 'Our coffee' },
			body: { text: 'Pick your beans' },
			action: {
				catalog_id: CATALOG,
				sections: [{ product_items: [{ product_retailer_id: 'SKU-2' }] }],
			},
		};
		sentExactly(
			await send(
				'product_list',
				list([], {
					productSectionsInput: 'json',
					productSectionsJson: '[{"productRetailerIds": ["SKU-2"]}]',
				}),
			),
			expected,
		);
		emu.reset();
		sentExactly(
			await send(
				'product_list',
				list([], {
					productSectionsInput: 'json',
					productSectionsJson:
						'={{ { sections: [{ product_items: [{ product_retailer_id: $json.sku }] }] } }}',
				}),
				{ items: [{ json: { sku: 'SKU-2' } }] },
			),
			expected,
		);
	});

	it('10 sections pass, 11 are refused', async () => {
		const sections = (n: number) =>
			Array.from({ length: n }, (_, i) => ({ title: `S${i}`, productRetailerIds: `SKU-${i + 1}` }));
		const result = await send('product_list', list(sections(10)));
		expect(result.error).toBeUndefined();
		expect(
			(emu.messages()[0].body as { interactive: { action: { sections: unknown[] } } }).interactive
				.action.sections,
		).toHaveLength(10);
		emu.reset();
		refused(
			await send('product_list', list(sections(11))),
			'sections must have 1 to 10 sections; it has 11',
		);
	});

	it('30 products in total pass, 31 are refused', async () => {
		const result = await send(
			'product_list',
			list([
				{ title: 'A', productRetailerIds: skus(15).join(',') },
				{ title: 'B', productRetailerIds: skus(15, 16).join(',') },
			]),
		);
		expect(result.error).toBeUndefined();
		expect(emu.messages()).toHaveLength(1);
		emu.reset();
		refused(
			await send(
				'product_list',
				list([
					{ title: 'A', productRetailerIds: skus(15).join(',') },
					{ title: 'B', productRetailerIds: skus(16, 16).join(',') },
				]),
			),
			'sections[*].productRetailerIds must have 1 to 30 products in total; it has 31',
		);
	});

	it('section title 24 passes, 25 is refused; with two sections a title is required', async () => {
		const two = (title: string) => [
			{ title, productRetailerIds: 'SKU-1' },
			{ title: 'Other', productRetailerIds: 'SKU-2' },
		];
		expect((await send('product_list', list(two(text(24))))).error).toBeUndefined();
		emu.reset();
		refused(
			await send('product_list', list(two(text(25)))),
			'sections[0].title must be 1 to 24 characters; it has 25',
		);
		refused(
			await send('product_list', list(two(''))),
			'sections[0].title is required (1 to 24 characters); it is empty',
		);
	});

	it('header 60 passes, 61 is refused; a header and a body are required', async () => {
		const one = [{ productRetailerIds: 'SKU-1' }];
		expect(
			(await send('product_list', list(one, { productListHeader: text(60) }))).error,
		).toBeUndefined();
		emu.reset();
		refused(
			await send('product_list', list(one, { productListHeader: text(61) })),
			'header must be 1 to 60 characters; it has 61',
		);
		refused(
			await send('product_list', list(one, { productListHeader: EMPTY })),
			'header is required (1 to 60 characters); it is empty',
		);
		refused(
			await send('product_list', list(one, { interactiveBody: EMPTY })),
			'body is required (1 to 1024 characters); it is empty',
		);
	});
});

describe('catalog', () => {
	it('sends the catalog message with its thumbnail product', async () => {
		const result = await send('catalog_message', {
			interactiveBody: 'Browse our shop',
			interactiveFooter: 'Open 9–18',
			thumbnailProductRetailerId: locator('SKU-5'),
		});
		sentExactly(result, {
			type: 'catalog_message',
			body: { text: 'Browse our shop' },
			footer: { text: 'Open 9–18' },
			action: { name: 'catalog_message', parameters: { thumbnail_product_retailer_id: 'SKU-5' } },
		});
	});

	it('needs a body and a thumbnail', async () => {
		refused(
			await send('catalog_message', {
				interactiveBody: EMPTY,
				thumbnailProductRetailerId: locator('SKU-5'),
			}),
			'body is required (1 to 1024 characters); it is empty',
		);
		refused(
			await send('catalog_message', {
				interactiveBody: 'x',
				thumbnailProductRetailerId: locator(EMPTY, 'id'),
			}),
			"thumbnailProductRetailerId must be a product's retailer ID (SKU) (non-empty, no spaces); it is empty",
		);
	});
});

describe('call permission request', () => {
	it('sends only the body; body 1,024 passes, 1,025 is refused', async () => {
		sentExactly(await send('call_permission_request', { interactiveBody: text(1024) }), {
			type: 'call_permission_request',
			body: { text: text(1024) },
			action: { name: 'call_permission_request' },
		});
		emu.reset();
		refused(
			await send('call_permission_request', { interactiveBody: text(1025) }),
			'body must be 1 to 1024 characters; it has 1025',
		);
	});
});

describe('voice call button', () => {
	const call = (voiceCallOptions: INodeParameters) =>
		send('voice_call', { interactiveBody: 'Talk to us', voiceCallOptions });

	it("without options: Meta's defaults (no parameters)", async () => {
		sentExactly(await call({}), {
			type: 'voice_call',
			body: { text: 'Talk to us' },
			action: { name: 'voice_call' },
		});
	});

	it('button text 20, valid for 1 and 43,200 minutes and payload 512 pass', async () => {
		sentExactly(await call({ displayText: text(20), ttlMinutes: 43_200, payload: text(512) }), {
			type: 'voice_call',
			body: { text: 'Talk to us' },
			action: {
				name: 'voice_call',
				parameters: { display_text: text(20), ttl_minutes: 43_200, payload: text(512) },
			},
		});
		emu.reset();
		sentExactly(await call({ ttlMinutes: 1 }), {
			type: 'voice_call',
			body: { text: 'Talk to us' },
			action: { name: 'voice_call', parameters: { ttl_minutes: 1 } },
		});
	});

	it.each([
		[{ displayText: text(21) }, 'displayText must be at most 20 characters; it has 21'],
		[{ ttlMinutes: 0 }, 'ttlMinutes must be a whole number from 1 to 43200; it is 0'],
		[{ ttlMinutes: 43_201 }, 'ttlMinutes must be a whole number from 1 to 43200; it is 43201'],
		[{ payload: text(513) }, 'payload must be at most 512 characters; it has 513'],
	])('refuses %j', async (options, message) => {
		refused(await call(options), message);
	});
});

describe('voice call button on templates', () => {
	const create = (buttons: INodeParameters[]) =>
		runNode({
			node: new WhatsAppCloud(),
			parameters: {
				resource: 'template',
				operation: 'create',
				templateName: 'call_support',
				templateLanguage: 'en_US',
				category: 'UTILITY',
				componentsFrom: 'fields',
				templateKind: 'standard',
				headerFormat: 'none',
				bodyText: 'Hi {{1}}, questions about your order? Call us on WhatsApp.',
				bodyExamples: { example: [{ placeholder: '1', value: 'Ana' }] },
				buttons: { button: buttons },
			},
			credentials: credentials(),
		});

	it('Template → Create takes one Voice Call button; Send Template sends it without parameters', async () => {
		const created = await create([
			{ type: 'QUICK_REPLY', text: 'All good' },
			{ type: 'VOICE_CALL', text: 'Call support' },
		]);
		expect(created.error).toBeUndefined();
		expect(created.outputs[0][0].json).toMatchObject({ name: 'call_support', status: 'APPROVED' });
		const submitted = emu.templates.submissions().at(-1)?.body as { components: IDataObject[] };
		expect(submitted.components).toContainEqual({
			type: 'BUTTONS',
			buttons: [
				{ type: 'QUICK_REPLY', text: 'All good' },
				{ type: 'VOICE_CALL', text: 'Call support' },
			],
		});

		const template = { __rl: true, mode: 'list', value: 'call_support|en_US' };
		const { fields } = (await callLoadOptions({
			node: new WhatsAppCloud(),
			kind: 'resourceMapping',
			method: 'getTemplateVariables',
			credentials: credentials(),
			parameters: {
				resource: 'message',
				operation: 'sendTemplate',
				template,
				templateLanguage: '',
			},
		})) as ResourceMapperFields;
		// The body's variable and the quick reply's payload; the call button asks for nothing.
		expect(fields.map((f: ResourceMapperField) => f.id)).toEqual(['body.1', 'button.0.payload']);
		const values: Record<string, unknown> = Object.fromEntries(
			fields.map((f: ResourceMapperField) => [f.id, f.id.startsWith('body') ? 'Ana' : null]),
		);
		const sent = await send('button', {
			operation: 'sendTemplate',
			template,
			templateLanguage: '',
			templateVariables: {
				mappingMode: 'defineBelow',
				value: values,
				matchingColumns: [],
				schema: fields.map((f: ResourceMapperField) => ({ ...f, removed: false })),
				attemptToConvertTypes: false,
				convertFieldsToString: true,
			} as unknown as INodeParameters,
			messageOptions: {},
		});
		expect(sent.error).toBeUndefined();
		const [message] = emu.messages();
		expect(message.body).toMatchObject({
			type: 'template',
			template: {
				name: 'call_support',
				components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }],
			},
		});
	});

	it('a second Voice Call button or a label of 26 characters is refused', async () => {
		const two = await create([
			{ type: 'VOICE_CALL', text: 'Call' },
			{ type: 'VOICE_CALL', text: 'Call again' },
		]);
		expect(two.error!.message).toBe('buttons may have at most 1 VOICE_CALL button; there are 2');
		const long = await create([{ type: 'VOICE_CALL', text: text(26) }]);
		expect(long.error!.message).toBe('buttons[0].text must be 1 to 25 characters; it has 26');
		expect(emu.templates.submissions()).toEqual([]);
	});
});

describe('errors per item', () => {
	it('with continue on fail, a bad item is an error item and the good one is sent', async () => {
		const result = await send(
			'product',
			{
				catalogId: locator(CATALOG),
				productRetailerId: { __rl: true, mode: 'id', value: '={{ $json.sku }}' },
			},
			{ items: [{ json: { sku: 'SKU-1' } }, { json: { sku: 'two words' } }], continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		expect(emu.messages()).toHaveLength(1);
		const [sent, failed] = result.outputs[0];
		expect(sent.json.messageId).toBe(emu.messages()[0].wamid);
		expect(failed.pairedItem).toEqual({ item: 1 });
		expect((failed.json.error as { message: string }).message).toBe(
			"productRetailerId must be a product's retailer ID (SKU) (non-empty, no spaces); it is contains whitespace",
		);
	});
});

describe('pickers on the action node', () => {
	const search = (method: string, parameters: INodeParameters = {}, filter?: string) =>
		callLoadOptions({
			node: new WhatsAppCloud(),
			kind: 'listSearch',
			method,
			credentials: credentials(),
			parameters: {
				resource: 'message',
				operation: 'sendInteractive',
				interactiveType: 'product',
				...parameters,
			},
			filter,
		}) as Promise<{ results: Array<{ name: string; value: string }>; paginationToken?: string }>;

	it('catalogs, then the chosen catalog’s products', async () => {
		expect((await search('searchCatalogs')).results).toEqual([
			{ name: `Emulator Shop Catalog (${CATALOG})`, value: CATALOG },
		]);
		const products = await search('searchProducts', { catalogId: locator(CATALOG) }, 'mug 8');
		expect(products.results.map((r) => r.value)).toEqual(['SKU-8']);
	});

	it("the catalog thumbnail picks from the business account's connected catalog", async () => {
		const page = await search('searchConnectedProducts', { interactiveType: 'catalog_message' });
		expect(page.results).toHaveLength(40);
		expect(page.results[0].value).toBe('SKU-1');
		expect(emu.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /${emu.config.apiVersion}/${emu.config.wabaId}/product_catalogs`,
			`GET /${emu.config.apiVersion}/${CATALOG}/products`,
		]);
	});

	it('without catalog access the pickers say to switch to By ID', async () => {
		emu.commerce.catalogAccess = false;
		await expect(search('searchConnectedProducts')).rejects.toThrow(/catalog_management.*By ID/);
	});
});
