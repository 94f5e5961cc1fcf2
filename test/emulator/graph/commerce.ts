/**
 * Commerce and calling: a seeded catalog connected to the business account (listable like Meta's
 * `/{waba-id}/product_catalogs` and `/{catalog-id}/products`, when the token has catalog access),
 * commerce settings per number, send-time validation of product / product_list / catalog_message /
 * call_permission_request / voice_call interactive messages (calling state: graph/calling.ts).
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/sell-products-and-services/share-products
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/
 */
import { GraphError, badParam, invalid, missing } from '../errors';
import type { RequestContext } from '../server';
import { bodyParams } from '../server';
import type { Caller } from './accounts';
import { page } from './phoneNumbers';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const len = (s: string) => [...s].length;

export const COMMERCE_LIMITS = { sections: 10, products: 30, sectionTitle: 24 };
export const VOICE_CALL_LIMITS = { displayText: 20, ttlMin: 1, ttlMax: 43_200, payload: 512 };

export interface Product {
	id: string;
	retailer_id: string;
	name: string;
	description: string;
	price: string;
	currency: string;
	availability: 'in stock' | 'out of stock';
	image_url: string;
}

export interface Catalog {
	id: string;
	name: string;
	products: Product[];
}

export const SEED_CATALOG_ID = '194836987003835';

function seedCatalog(): Catalog {
	const names = ['Espresso beans', 'Filter coffee', 'Ceramic mug', 'Grinder', 'Tea sampler'];
	const products: Product[] = [];
	for (let i = 1; i <= 40; i++) {
		const price = (4 + ((i * 37) % 60) + 0.99).toFixed(2);
		products.push({
			id: String(7400000000000000 + i),
			retailer_id: `SKU-${i}`,
			name: `${names[(i - 1) % names.length]} ${i}`,
			description: `Emulator product ${i}`,
			price: `€${price}`,
			currency: 'EUR',
			availability: i % 13 === 0 ? 'out of stock' : 'in stock',
			image_url: `https://example.invalid/products/SKU-${i}.jpg`,
		});
	}
	return { id: SEED_CATALOG_ID, name: 'Emulator Shop Catalog', products };
}

export interface CommerceSettings {
	is_cart_enabled: boolean;
	is_catalog_visible: boolean;
}

export class CommerceApi {
	catalogs: Catalog[] = [seedCatalog()];
	/** Whether the token may list catalogs (Meta needs `catalog_management`); sends work either way. */
	catalogAccess = true;
	private settings = new Map<string, CommerceSettings>();

	constructor(
		private readonly host: {
			/** The business account the seeded catalog is connected to. */
			wabaId(): string;
			/** Meta's 100 (unknown / out of reach) or 200 (no permission), else the account. */
			requireWaba(id: string, caller: Caller): unknown;
			requirePhone(id: string, caller: Caller): unknown;
			baseUrl(): string;
			business(c: RequestContext): void;
		},
	) {}

	reset(): void {
		this.catalogs = [seedCatalog()];
		this.catalogAccess = true;
		this.settings.clear();
	}

	catalog(id: string): Catalog | undefined {
		return this.catalogs.find((c) => c.id === id);
	}

	product(catalogId: string, retailerId: string): Product | undefined {
		return this.catalog(catalogId)?.products.find((p) => p.retailer_id === retailerId);
	}

	connectedProduct(retailerId: string): Product | undefined {
		for (const c of this.catalogs) {
			const found = this.product(c.id, retailerId);
			if (found) return found;
		}
		return undefined;
	}

	route(
		c: RequestContext,
		caller: Caller,
		node: string,
		edge: string | undefined,
		method: string,
	): boolean {
		if (edge === 'product_catalogs' && method === 'GET') {
			try {
				this.host.requireWaba(node, caller);
			} catch (error) {
				// Not a business account: some other node's edge, not ours.
				if (error instanceof GraphError && error.code === 100) return false;
				throw error;
			}
			this.host.business(c);
			this.requireAccess();
			const connected = node === this.host.wabaId() ? this.catalogs : [];
			return this.paged(
				c,
				connected.map((cat) => ({ id: cat.id, name: cat.name })),
			);
		}
		const catalog = this.catalog(node);
		if (catalog && edge === 'products' && method === 'GET') {
			this.requireAccess();
			const fields = (c.url.searchParams.get('fields') ?? 'id,retailer_id,name')
				.split(',')
				.map((f) => f.trim());
			const list = catalog.products.map((p) =>
				Object.fromEntries(Object.entries(p).filter(([k]) => k === 'id' || fields.includes(k))),
			);
			return this.paged(c, list);
		}
		if (catalog && !edge && method === 'GET') {
			this.requireAccess();
			return (
				c.send(200, { id: catalog.id, name: catalog.name, product_count: catalog.products.length }),
				true
			);
		}
		if (edge === 'whatsapp_commerce_settings') {
			this.host.requirePhone(node, caller);
			const current = this.settings.get(node) ?? {
				is_cart_enabled: true,
				is_catalog_visible: true,
			};
			if (method === 'GET') return (c.send(200, { data: [{ ...current, id: node }] }), true);
			if (method === 'POST') {
				const p = bodyParams(c);
				const next = { ...current };
				for (const k of ['is_cart_enabled', 'is_catalog_visible'] as const) {
					if (p[k] === undefined) continue;
					if (![true, false, 'true', 'false'].includes(p[k] as string))
						throw badParam(`Param ${k} must be a boolean.`);
					next[k] = p[k] === true || p[k] === 'true';
				}
				this.settings.set(node, next);
				return (c.send(200, { success: true }), true);
			}
		}
		return false;
	}

	private requireAccess() {
		if (!this.catalogAccess)
			throw new GraphError(
				10,
				'The access token lacks the catalog_management permission needed to read catalogs.',
			);
	}

	private paged(c: RequestContext, list: Obj[]): boolean {
		const paged = page(list, c.url.searchParams, `${this.host.baseUrl()}${c.url.pathname}`);
		if (!paged) throw new GraphError(100, 'Invalid cursor');
		c.send(200, paged);
		return true;
	}
}

// ---------------------------------------------------------------------------------------------
// Send-time validation of the commerce and calling interactive types

export const EXTRA_INTERACTIVE_TYPES = [
	'product',
	'product_list',
	'catalog_message',
	'call_permission_request',
	'voice_call',
];

export interface CatalogLookup {
	catalog(id: string): Catalog | undefined;
	product(catalogId: string, retailerId: string): Product | undefined;
	/** A product of any catalog connected to the business account (catalog messages name none). */
	connectedProduct(retailerId: string): Product | undefined;
}

function only(o: Obj, keys: string[], path: string) {
	for (const k of Object.keys(o))
		if (!keys.includes(k)) throw badParam(`Unexpected key "${k}" on param "${path}".`);
}

function text(
	o: Obj | undefined,
	path: string,
	max: number,
	required: boolean,
): string | undefined {
	if (o === undefined) {
		if (required) throw missing(path);
		return undefined;
	}
	if (!isObj(o)) throw badParam(`Param ${path} must be an object.`);
	only(o, ['text'], path);
	const v = o.text;
	if (v === undefined) throw missing(`${path}.text`);
	if (typeof v !== 'string') throw badParam(`Param ${path}.text must be a string.`);
	if (len(v) < 1 || len(v) > max)
		throw invalid(`${path}.text is too long or empty. Min length: 1, Max length: ${max}.`);
	return v;
}

function productRef(catalogs: CatalogLookup, catalogId: string, retailerId: unknown, path: string) {
	if (typeof retailerId !== 'string' || retailerId === '') throw missing(path);
	if (!catalogs.product(catalogId, retailerId))
		throw invalid(`Product with retailer ID '${retailerId}' not found in catalog ${catalogId}.`);
}

function catalogRef(catalogs: CatalogLookup, value: unknown): string {
	if (value === undefined) throw missing('interactive.action.catalog_id');
	if (typeof value !== 'string' || !/^\d+$/.test(value))
		throw badParam('Param interactive.action.catalog_id must be a numeric string.');
	if (!catalogs.catalog(value))
		throw invalid(
			`Catalog ${value} does not exist or is not connected to this WhatsApp Business Account.`,
		);
	return value;
}

/** The extra interactive types; `i` already passed the shared key and type checks. */
export function validateExtraInteractive(i: Obj, catalogs: CatalogLookup): void {
	const t = i.type as string;
	const header = i.header as Obj | undefined;
	const action = i.action;
	if (action === undefined) throw missing('interactive.action');
	if (!isObj(action)) throw badParam('Param interactive.action must be an object.');
	const noHeader = () => {
		if (header !== undefined) throw badParam(`interactive.header is not allowed for ${t}.`);
	};
	switch (t) {
		case 'product':
			noHeader();
			text(i.body as Obj | undefined, 'interactive.body', 1024, false);
			text(i.footer as Obj | undefined, 'interactive.footer', 60, false);
			only(action, ['catalog_id', 'product_retailer_id'], 'interactive.action');
			productRef(
				catalogs,
				catalogRef(catalogs, action.catalog_id),
				action.product_retailer_id,
				'interactive.action.product_retailer_id',
			);
			return;
		case 'product_list': {
			if (header === undefined) throw missing('interactive.header');
			if (!isObj(header) || header.type !== 'text')
				throw invalid('interactive.header.type must be "text" for product_list messages.');
			only(header, ['type', 'text'], 'interactive.header');
			if (typeof header.text !== 'string' || len(header.text) < 1 || len(header.text) > 60)
				throw invalid(
					'interactive.header.text is too long or empty. Min length: 1, Max length: 60.',
				);
			text(i.body as Obj | undefined, 'interactive.body', 1024, true);
			text(i.footer as Obj | undefined, 'interactive.footer', 60, false);
			only(action, ['catalog_id', 'sections'], 'interactive.action');
			const catalogId = catalogRef(catalogs, action.catalog_id);
			const sections = action.sections;
			if (sections === undefined) throw missing('interactive.action.sections');
			if (!Array.isArray(sections)) throw badParam('interactive.action.sections must be an array.');
			if (sections.length < 1 || sections.length > COMMERCE_LIMITS.sections)
				throw invalid(
					`Sections count invalid: ${sections.length}. Min: 1, Max: ${COMMERCE_LIMITS.sections}.`,
				);
			let total = 0;
			sections.forEach((s, n) => {
				const p = `interactive.action.sections[${n}]`;
				if (!isObj(s)) throw badParam(`${p} must be an object.`);
				only(s, ['title', 'product_items'], p);
				if (s.title === undefined) {
					if (sections.length > 1) throw missing(`${p}.title`);
				} else if (
					typeof s.title !== 'string' ||
					len(s.title) < 1 ||
					len(s.title) > COMMERCE_LIMITS.sectionTitle
				)
					throw invalid(
						`${p}.title is too long or empty. Min length: 1, Max length: ${COMMERCE_LIMITS.sectionTitle}.`,
					);
				const items = s.product_items;
				if (items === undefined) throw missing(`${p}.product_items`);
				if (!Array.isArray(items) || items.length < 1)
					throw invalid(`${p}.product_items must contain at least one product.`);
				items.forEach((item, m) => {
					const ip = `${p}.product_items[${m}]`;
					if (!isObj(item)) throw badParam(`${ip} must be an object.`);
					only(item, ['product_retailer_id'], ip);
					productRef(catalogs, catalogId, item.product_retailer_id, `${ip}.product_retailer_id`);
				});
				total += items.length;
			});
			if (total > COMMERCE_LIMITS.products)
				throw invalid(
					`Total product count exceeds the maximum of ${COMMERCE_LIMITS.products} (got ${total}).`,
				);
			return;
		}
		case 'catalog_message': {
			noHeader();
			text(i.body as Obj | undefined, 'interactive.body', 1024, true);
			text(i.footer as Obj | undefined, 'interactive.footer', 60, false);
			only(action, ['name', 'parameters'], 'interactive.action');
			if (action.name !== 'catalog_message')
				throw invalid('interactive.action.name must be "catalog_message".');
			const params = action.parameters;
			if (params === undefined) return;
			if (!isObj(params)) throw badParam('Param interactive.action.parameters must be an object.');
			only(params, ['thumbnail_product_retailer_id'], 'interactive.action.parameters');
			if (params.thumbnail_product_retailer_id !== undefined) {
				const id = params.thumbnail_product_retailer_id;
				if (typeof id !== 'string' || !catalogs.connectedProduct(id))
					throw invalid(`Thumbnail product '${String(id)}' not found in the connected catalog.`);
			}
			return;
		}
		case 'call_permission_request':
			noHeader();
			if (i.footer !== undefined)
				throw badParam('interactive.footer is not allowed for call_permission_request.');
			text(i.body as Obj | undefined, 'interactive.body', 1024, true);
			only(action, ['name'], 'interactive.action');
			if (action.name !== 'call_permission_request')
				throw invalid('interactive.action.name must be "call_permission_request".');
			return;
		case 'voice_call': {
			noHeader();
			if (i.footer !== undefined)
				throw badParam('interactive.footer is not allowed for voice_call.');
			text(i.body as Obj | undefined, 'interactive.body', 1024, true);
			only(action, ['name', 'parameters'], 'interactive.action');
			if (action.name !== 'voice_call')
				throw invalid('interactive.action.name must be "voice_call".');
			const params = action.parameters;
			if (params === undefined) return;
			if (!isObj(params)) throw badParam('Param interactive.action.parameters must be an object.');
			const pp = 'interactive.action.parameters';
			only(params, ['display_text', 'ttl_minutes', 'payload'], pp);
			if (params.display_text !== undefined) {
				const v = params.display_text;
				if (typeof v !== 'string' || len(v) < 1 || len(v) > VOICE_CALL_LIMITS.displayText)
					throw invalid(
						`${pp}.display_text is too long or empty. Min length: 1, Max length: ${VOICE_CALL_LIMITS.displayText}.`,
					);
			}
			if (params.ttl_minutes !== undefined) {
				const v = params.ttl_minutes;
				if (
					typeof v !== 'number' ||
					!Number.isInteger(v) ||
					v < VOICE_CALL_LIMITS.ttlMin ||
					v > VOICE_CALL_LIMITS.ttlMax
				)
					throw invalid(
						`${pp}.ttl_minutes must be an integer from ${VOICE_CALL_LIMITS.ttlMin} to ${VOICE_CALL_LIMITS.ttlMax}.`,
					);
			}
			if (params.payload !== undefined) {
				const v = params.payload;
				if (typeof v !== 'string' || len(v) > VOICE_CALL_LIMITS.payload)
					throw invalid(`${pp}.payload is too long. Max length: ${VOICE_CALL_LIMITS.payload}.`);
			}
			return;
		}
	}
}
