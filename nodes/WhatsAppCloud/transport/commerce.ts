/**
 * Catalogs and products for pickers, and the number's commerce settings. Listing needs a token with
 * the `catalog_management` permission on the catalog; without it Graph answers a permission error,
 * and product messages can still be sent by catalog and retailer ID.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/sell-products-and-services
 */
import type { IDataObject } from 'n8n-workflow';

import type { GraphContext } from './graph';
import { graphRequest } from './graph';
import type { GraphPage, PageRequest } from './paging';
import { graphPage, pageQuery } from './paging';

export interface GraphCatalog {
	id: string;
	name?: string;
}

export interface GraphProduct {
	id: string;
	/** The SKU that product messages name as `product_retailer_id`. */
	retailer_id?: string;
	name?: string;
	price?: string;
	currency?: string;
	availability?: string;
	image_url?: string;
}

export interface CommerceSettings {
	is_cart_enabled?: boolean;
	is_catalog_visible?: boolean;
	id?: string;
}

/** What product pickers show and product messages need. */
export const PRODUCT_FIELDS = ['id', 'retailer_id', 'name', 'price', 'currency', 'availability'];

const id = (value: string) => encodeURIComponent(value);

/** One page of `GET /{waba-id}/product_catalogs`: the catalogs connected to the business account. */
export async function listCatalogs(
	this: GraphContext,
	businessAccountId: string,
	page: PageRequest = {},
	itemIndex?: number,
): Promise<GraphPage<GraphCatalog>> {
	const response = (await graphRequest.call(
		this,
		{
			method: 'GET',
			path: `/${id(businessAccountId)}/product_catalogs`,
			qs: { ...pageQuery(page), fields: 'id,name' },
		},
		itemIndex,
	)) as IDataObject;
	return graphPage<GraphCatalog>(response);
}

/** One page of `GET /{catalog-id}/products`. */
export async function listProducts(
	this: GraphContext,
	catalogId: string,
	page: PageRequest = {},
	itemIndex?: number,
): Promise<GraphPage<GraphProduct>> {
	const response = (await graphRequest.call(
		this,
		{
			method: 'GET',
			path: `/${id(catalogId)}/products`,
			qs: { ...pageQuery(page), fields: PRODUCT_FIELDS.join(',') },
		},
		itemIndex,
	)) as IDataObject;
	return graphPage<GraphProduct>(response);
}

export async function getCommerceSettings(
	this: GraphContext,
	phoneNumberId: string,
	itemIndex?: number,
): Promise<CommerceSettings> {
	const response = (await graphRequest.call(
		this,
		{ method: 'GET', path: `/${id(phoneNumberId)}/whatsapp_commerce_settings` },
		itemIndex,
	)) as IDataObject;
	return graphPage<CommerceSettings>(response).items[0] ?? {};
}

/** Meta takes these settings as query parameters. */
export async function updateCommerceSettings(
	this: GraphContext,
	phoneNumberId: string,
	settings: Pick<CommerceSettings, 'is_cart_enabled' | 'is_catalog_visible'>,
	itemIndex?: number,
): Promise<boolean> {
	const qs: IDataObject = {};
	if (settings.is_cart_enabled !== undefined) qs.is_cart_enabled = settings.is_cart_enabled;
	if (settings.is_catalog_visible !== undefined)
		qs.is_catalog_visible = settings.is_catalog_visible;
	const response = (await graphRequest.call(
		this,
		{ method: 'POST', path: `/${id(phoneNumberId)}/whatsapp_commerce_settings`, qs },
		itemIndex,
	)) as IDataObject;
	return response?.success === true;
}
