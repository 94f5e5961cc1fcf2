/**
 * Catalog and product pickers. Listing needs a token with the `catalog_management` permission on
 * the catalog; without it the picker says to enter the ID instead ("By ID" mode).
 */
import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CREDENTIALS_NAME } from '../helpers/constants';
import type { GraphCatalog, GraphProduct } from '../transport/commerce';
import { listCatalogs, listProducts } from '../transport/commerce';

const PAGE_SIZE = 100;

/** The parameter the product picker reads its catalog from. */
export const CATALOG_PARAMETER = 'catalogId';

export function catalogLabel(catalog: GraphCatalog): string {
	return catalog.name ? `${catalog.name} (${catalog.id})` : catalog.id;
}

/** "Espresso beans — €9.99 (SKU-1)"; the value is the retailer ID product messages need. */
export function productLabel(product: GraphProduct): string {
	const id = product.retailer_id ?? product.id;
	const name = product.name ?? id;
	return product.price ? `${name} — ${product.price} (${id})` : `${name} (${id})`;
}

export function matchesProductFilter(product: GraphProduct, filter: string): boolean {
	const needle = filter.trim().toLowerCase();
	return needle === '' || productLabel(product).toLowerCase().includes(needle);
}

/** Graph's permission errors (10, 200-299) mean the token may not list catalogs. */
function withoutCatalogAccess(context: ILoadOptionsFunctions, error: unknown): never {
	const code = error instanceof NodeApiError ? Number(error.errorResponse?.code) : NaN;
	if (code === 10 || (code >= 200 && code <= 299)) {
		throw new NodeOperationError(
			context.getNode(),
			'This token may not list catalogs (Meta needs the catalog_management permission on the catalog): switch to "By ID"',
		);
	}
	throw error;
}

/** The credential's business account ID, which listing catalogs needs. */
async function businessAccountIdForPicker(this: ILoadOptionsFunctions): Promise<string> {
	const credentials = await this.getCredentials(CREDENTIALS_NAME);
	const wabaId = String(credentials.businessAccountId ?? '').trim();
	if (wabaId === '') {
		throw new NodeOperationError(
			this.getNode(),
			'Add the WhatsApp Business Account ID to the credential to pick from a catalog, or switch to "By ID"',
		);
	}
	return wabaId;
}

/** The catalogs connected to the credential's business account (value = catalog ID). */
export async function searchCatalogs(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const wabaId = await businessAccountIdForPicker.call(this);
	let page;
	try {
		page = await listCatalogs.call(this, wabaId, { limit: PAGE_SIZE, after: paginationToken });
	} catch (error) {
		withoutCatalogAccess(this, error);
	}
	const needle = (filter ?? '').trim().toLowerCase();
	const results: INodeListSearchItems[] = page.items
		.filter((catalog) => needle === '' || catalogLabel(catalog).toLowerCase().includes(needle))
		.map((catalog) => ({ name: catalogLabel(catalog), value: catalog.id }));
	return { results, paginationToken: page.after };
}

/** One page of a catalog's products as picker entries (value = retailer ID). */
async function productResults(
	context: ILoadOptionsFunctions,
	catalogId: string,
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	let page;
	try {
		page = await listProducts.call(context, catalogId, {
			limit: PAGE_SIZE,
			after: paginationToken,
		});
	} catch (error) {
		withoutCatalogAccess(context, error);
	}
	const results: INodeListSearchItems[] = page.items
		.filter((product) => matchesProductFilter(product, filter ?? ''))
		.map((product) => ({
			name: productLabel(product),
			value: product.retailer_id ?? product.id,
		}));
	return { results, paginationToken: page.after };
}

/** The products of the catalog chosen in `catalogId` (value = retailer ID). */
export async function searchProducts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const catalogId = String(
		this.getCurrentNodeParameter(CATALOG_PARAMETER, { extractValue: true }) ?? '',
	).trim();
	if (catalogId === '') {
		throw new NodeOperationError(this.getNode(), 'Choose the catalog first, or switch to "By ID"');
	}
	return await productResults(this, catalogId, filter, paginationToken);
}

/**
 * The products of the catalog connected to the business account, for messages that name no
 * catalog (the catalog message's thumbnail). Meta connects one catalog to a business account.
 */
export async function searchConnectedProducts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const wabaId = await businessAccountIdForPicker.call(this);
	let catalogs;
	try {
		catalogs = await listCatalogs.call(this, wabaId, { limit: 1 });
	} catch (error) {
		withoutCatalogAccess(this, error);
	}
	const catalog = catalogs.items[0];
	if (!catalog) {
		throw new NodeOperationError(
			this.getNode(),
			'No catalog is connected to this business account (Commerce Manager → WhatsApp): connect one, or switch to "By ID"',
		);
	}
	return await productResults(this, catalog.id, filter, paginationToken);
}

export const commerceListSearch = { searchCatalogs, searchProducts, searchConnectedProducts };
