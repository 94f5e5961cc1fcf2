/**
 * Product, product list and catalog messages (interactive `product`, `product_list`,
 * `catalog_message`). The catalog must be connected to the business account, and the products must
 * exist in it; Meta checks that at send time.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/sell-products-and-services/share-products
 */
import { PayloadError, quoteInput } from '../errors';
import {
	INTERACTIVE_BODY_MAX,
	INTERACTIVE_FOOTER_MAX,
	INTERACTIVE_HEADER_TEXT_MAX,
} from '../limits';
import type {
	ClientInteractiveCatalog,
	ClientInteractiveProduct,
	ClientInteractiveProductList,
	ClientProductSection,
} from '../types/client';
import {
	checkCount,
	checkUnique,
	isPlainObject,
	optionalText,
	parseJsonParameter,
	requiredList,
	requiredObject,
	requiredText,
	requiredToken,
} from '../check';
import { parseIdList } from '../webhook/filter';

/** Sections per product list. */
export const PRODUCT_LIST_SECTIONS_MAX = 10;

/** Products across all sections of one product list. */
export const PRODUCT_LIST_PRODUCTS_MAX = 30;

/** `sections[].title`, required when there is more than one section. */
export const PRODUCT_SECTION_TITLE_MAX = 24;

/** Meta states no length for retailer IDs (the catalog's SKU); this cap only stops runaway values. */
export const PRODUCT_RETAILER_ID_MAX = 100;

export type ProductInput = {
	catalogId: string;
	productRetailerId: string;
	body?: string;
	footer?: string;
};

export type ProductSectionInput = { title?: string; productRetailerIds: string[] };

export type ProductListInput = {
	catalogId: string;
	/** Text header, required on product lists. */
	header: string;
	body: string;
	footer?: string;
	sections: ProductSectionInput[];
};

export type CatalogInput = {
	body: string;
	footer?: string;
	/** The product whose image represents the catalog in the message. */
	thumbnailProductRetailerId: string;
};

export type ProductContent = { type: 'interactive'; interactive: ClientInteractiveProduct };
export type ProductListContent = { type: 'interactive'; interactive: ClientInteractiveProductList };
export type CatalogContent = { type: 'interactive'; interactive: ClientInteractiveCatalog };

function catalogId(value: unknown): string {
	const id = requiredToken('catalogId', value, 'a catalog ID');
	if (!/^\d+$/.test(id)) {
		throw new PayloadError(`catalogId must be the catalog's numeric ID; ${quoteInput(id)} is not`, {
			field: 'catalogId',
			limit: 'a numeric catalog ID',
			actual: 'not numeric',
		});
	}
	return id;
}

function retailerId(field: string, value: unknown): string {
	requiredToken(field, value, "a product's retailer ID (SKU)");
	return requiredText(field, value, PRODUCT_RETAILER_ID_MAX);
}

function footerPart(value: unknown) {
	const text = optionalText('footer', value, INTERACTIVE_FOOTER_MAX);
	return text === undefined ? {} : { footer: { text } };
}

/** One product from a catalog: body and footer optional, no header (Meta shows the product's). */
export function buildProductContent(input: ProductInput): ProductContent {
	const fields = requiredObject('product', input);
	const body = optionalText('body', fields.body, INTERACTIVE_BODY_MAX);
	return {
		type: 'interactive',
		interactive: {
			type: 'product',
			...(body === undefined ? {} : { body: { text: body } }),
			...footerPart(fields.footer),
			action: {
				catalog_id: catalogId(fields.catalogId),
				product_retailer_id: retailerId('productRetailerId', fields.productRetailerId),
			},
		},
	};
}

function buildProductSections(value: unknown): ClientProductSection[] {
	const list = requiredList('sections', value);
	checkCount('sections', list.length, 1, PRODUCT_LIST_SECTIONS_MAX, 'sections');
	const idFields: string[] = [];
	const ids: string[] = [];
	const sections = list.map((item, sectionIndex): ClientProductSection => {
		const field = `sections[${sectionIndex}]`;
		const section = requiredObject(field, item);
		const title =
			list.length > 1
				? requiredText(`${field}.title`, section.title, PRODUCT_SECTION_TITLE_MAX)
				: optionalText(`${field}.title`, section.title, PRODUCT_SECTION_TITLE_MAX);
		const itemsInput = requiredList(`${field}.productRetailerIds`, section.productRetailerIds);
		checkCount(
			`${field}.productRetailerIds`,
			itemsInput.length,
			1,
			PRODUCT_LIST_PRODUCTS_MAX,
			'products',
		);
		const productItems = itemsInput.map((id, itemIndex) => {
			const idField = `${field}.productRetailerIds[${itemIndex}]`;
			const productRetailerId = retailerId(idField, id);
			idFields.push(idField);
			ids.push(productRetailerId);
			return { product_retailer_id: productRetailerId };
		});
		return title === undefined
			? { product_items: productItems }
			: { title, product_items: productItems };
	});
	checkCount(
		'sections[*].productRetailerIds',
		ids.length,
		1,
		PRODUCT_LIST_PRODUCTS_MAX,
		'products in total',
	);
	// Meta does not say whether a product may repeat; refusing repeats is the side that never fails there.
	checkUnique(ids, (index) => idFields[index], 'product');
	return sections;
}

/** Up to 10 sections and 30 products in total, with a text header and a body. */
export function buildProductListContent(input: ProductListInput): ProductListContent {
	const fields = requiredObject('productList', input);
	return {
		type: 'interactive',
		interactive: {
			type: 'product_list',
			header: {
				type: 'text',
				text: requiredText('header', fields.header, INTERACTIVE_HEADER_TEXT_MAX),
			},
			body: { text: requiredText('body', fields.body, INTERACTIVE_BODY_MAX) },
			...footerPart(fields.footer),
			action: {
				catalog_id: catalogId(fields.catalogId),
				sections: buildProductSections(fields.sections),
			},
		},
	};
}

/**
 * The catalog message. Meta documents the thumbnail as optional, but sends without one have been
 * refused, so it is required here.
 */
export function buildCatalogContent(input: CatalogInput): CatalogContent {
	const fields = requiredObject('catalog', input);
	return {
		type: 'interactive',
		interactive: {
			type: 'catalog_message',
			body: { text: requiredText('body', fields.body, INTERACTIVE_BODY_MAX) },
			...footerPart(fields.footer),
			action: {
				name: 'catalog_message',
				parameters: {
					thumbnail_product_retailer_id: retailerId(
						'thumbnailProductRetailerId',
						fields.thumbnailProductRetailerId,
					),
				},
			},
		},
	};
}

// ── From the node's parameters ──────────────────────────────────────────────────────────────────

/** Retailer IDs typed as one text (comma, space or newline separated) or given as a list. */
export function retailerIdList(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	return parseIdList(value);
}

/** The "Sections" fixed collection: `{section: [{title, productRetailerIds}]}`. */
export function productSectionsFromFields(value: unknown): ProductSectionInput[] {
	const sections = isPlainObject(value) && Array.isArray(value.section) ? value.section : [];
	return sections.map((section: unknown) => {
		const fields = isPlainObject(section) ? section : {};
		return {
			title: typeof fields.title === 'string' ? fields.title : undefined,
			productRetailerIds: retailerIdList(fields.productRetailerIds) as string[],
		};
	});
}

/**
 * Sections from JSON: a list of `{title, productRetailerIds: [...]}` or of Meta's own
 * `{title, product_items: [{product_retailer_id}]}`, or Meta's whole `action` object with
 * `sections`. Anything else is handed on unchanged, for the builder to refuse with a clear error.
 */
export function productSectionsFromJson(value: unknown): ProductSectionInput[] {
	const parsed = parseJsonParameter('sections', value);
	const list = isPlainObject(parsed) && 'sections' in parsed ? parsed.sections : parsed;
	if (!Array.isArray(list)) return list as ProductSectionInput[];
	return list.map((section: unknown): ProductSectionInput => {
		if (!isPlainObject(section) || !('product_items' in section)) {
			return section as ProductSectionInput;
		}
		const items = section.product_items;
		const ids = Array.isArray(items)
			? items.map((item: unknown) => (isPlainObject(item) ? item.product_retailer_id : item))
			: items;
		return { title: section.title, productRetailerIds: ids } as ProductSectionInput;
	});
}
