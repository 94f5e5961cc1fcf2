/** Catalog and product pickers (methods/commerce.ts) through n8n-core's LoadOptionsContext. */
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { commerceListSearch, productLabel } from '../../nodes/WhatsAppCloud/methods/commerce';
import type { Emulator } from '../emulator';
import { SEED_CATALOG_ID, startEmulator } from '../emulator';
import { callLoadOptions, emulatorCredentials } from './harness';

/** The fields the action node would declare: a catalog locator and a product locator. */
class PickerFixture implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Picker Fixture',
		name: 'pickerFixture',
		group: ['transform'],
		version: 1,
		description: 'Catalog and product pickers',
		defaults: { name: 'Picker Fixture' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'whatsAppCloudApi', required: true }],
		properties: [
			{
				displayName: 'Catalog',
				name: 'catalogId',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				modes: [
					{
						displayName: 'From List',
						name: 'list',
						type: 'list',
						typeOptions: { searchListMethod: 'searchCatalogs' },
					},
					{ displayName: 'By ID', name: 'id', type: 'string' },
				],
			},
			{
				displayName: 'Product',
				name: 'productRetailerId',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				modes: [
					{
						displayName: 'From List',
						name: 'list',
						type: 'list',
						typeOptions: { searchListMethod: 'searchProducts' },
					},
					{ displayName: 'By ID', name: 'id', type: 'string' },
				],
			},
		],
	};
	methods = { listSearch: commerceListSearch };
}

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

const credentials = () => emulatorCredentials(emu);

const search = (
	method: string,
	filter?: string,
	catalog = SEED_CATALOG_ID,
	paginationToken?: string,
) =>
	callLoadOptions({
		node: new PickerFixture(),
		kind: 'listSearch',
		method,
		credentials: credentials(),
		parameters: { catalogId: { __rl: true, mode: 'list', value: catalog } },
		filter,
		paginationToken,
	}) as Promise<{ results: Array<{ name: string; value: string }>; paginationToken?: string }>;

describe('catalog and product pickers', () => {
	it('lists the connected catalog', async () => {
		expect(await search('searchCatalogs')).toEqual({
			results: [{ name: `Emulator Shop Catalog (${SEED_CATALOG_ID})`, value: SEED_CATALOG_ID }],
		});
	});

	it("lists the chosen catalog's products by retailer ID, paged and filtered", async () => {
		const first = await search('searchProducts');
		expect(first.results).toHaveLength(40);
		expect(first.results[0]).toEqual({
			name: productLabel(emu.commerce.catalogs[0].products[0]),
			value: 'SKU-1',
		});
		expect(first.results[0].name).toMatch(/^Espresso beans 1 — €\d+\.\d\d \(SKU-1\)$/);
		const filtered = await search('searchProducts', 'grinder');
		expect(filtered.results.map((r) => r.value)).toEqual([
			'SKU-4',
			'SKU-9',
			'SKU-14',
			'SKU-19',
			'SKU-24',
			'SKU-29',
			'SKU-34',
			'SKU-39',
		]);
	});

	it('without catalog access, the picker says to switch to By ID', async () => {
		emu.commerce.catalogAccess = false;
		await expect(search('searchCatalogs')).rejects.toThrow(/catalog_management.*By ID/);
		await expect(search('searchProducts')).rejects.toThrow(/catalog_management.*By ID/);
	});

	it('the product picker needs a catalog', async () => {
		await expect(search('searchProducts', undefined, '')).rejects.toThrow(
			'Choose the catalog first',
		);
	});
});
