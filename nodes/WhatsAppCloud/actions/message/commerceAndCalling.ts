/**
 * Send Interactive's commerce and calling types — Product, Product List, Catalog, Call Permission
 * Request, Voice Call Button — kept apart from the other interactive types: their own fields and
 * their own reading. Body and Footer are Send Interactive's, except a product's optional Body.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	VOICE_CALL_DISPLAY_TEXT_MAX,
	VOICE_CALL_PAYLOAD_MAX,
	VOICE_CALL_TTL_MINUTES_MAX,
	VOICE_CALL_TTL_MINUTES_MIN,
	buildCallPermissionRequestContent,
	buildVoiceCallContent,
} from '../../helpers/payloads/calling';
import {
	PRODUCT_LIST_PRODUCTS_MAX,
	PRODUCT_LIST_SECTIONS_MAX,
	PRODUCT_SECTION_TITLE_MAX,
	buildCatalogContent,
	buildProductContent,
	buildProductListContent,
	productSectionsFromFields,
	productSectionsFromJson,
} from '../../helpers/payloads/commerce';
import { trimmedValue } from '../../helpers/parameters';
import { INTERACTIVE_BODY_MAX, INTERACTIVE_HEADER_TEXT_MAX } from '../../helpers/limits';
import type { ClientInteractiveContent } from '../../helpers/types/client';
import { forItem } from '../errors';

export type CommerceOrCallingType =
	'product' | 'product_list' | 'catalog_message' | 'call_permission_request' | 'voice_call';

const TYPES: readonly string[] = [
	'product',
	'product_list',
	'catalog_message',
	'call_permission_request',
	'voice_call',
];

/** The commerce types show Send Interactive's Footer field. */
export const COMMERCE_WITH_FOOTER = ['product', 'product_list', 'catalog_message'] as const;

const CATALOG_ACCESS_HINT =
	'The list needs a token with the catalog_management permission on the catalog; without it, switch to "By ID"';

const show = (...types: CommerceOrCallingType[]) => ({ show: { interactiveType: types } });

const catalogField: INodeProperties = {
	displayName: 'Catalog',
	name: 'catalogId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The catalog connected to the business account that holds the products',
	hint: CATALOG_ACCESS_HINT,
	displayOptions: show('product', 'product_list'),
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchCatalogs', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 194836987003835',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A catalog ID has only digits' },
				},
			],
		},
	],
};

function productLocator(
	name: string,
	displayName: string,
	searchListMethod: string,
	description: string,
	type: CommerceOrCallingType,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		displayOptions: show(type),
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. SKU-1042',
			},
		],
	};
}

/** Send Interactive's fields for these types, shown only for them. */
export const commerceAndCallingFields: INodeProperties[] = [
	catalogField,
	productLocator(
		'productRetailerId',
		'Product',
		'searchProducts',
		"The product to show, by its retailer ID (the catalog's SKU)",
		'product',
	),
	{
		displayName: 'Body',
		name: 'productBody',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: `Optional text under the product, up to ${INTERACTIVE_BODY_MAX} characters; WhatsApp shows the product's name, image and price either way`,
		displayOptions: show('product'),
	},
	{
		displayName: 'Header Text',
		name: 'productListHeader',
		type: 'string',
		default: '',
		required: true,
		description: `Bold header line of the product list, 1 to ${INTERACTIVE_HEADER_TEXT_MAX} characters`,
		displayOptions: show('product_list'),
	},
	{
		displayName: 'Define Sections',
		name: 'productSectionsInput',
		type: 'options',
		noDataExpression: true,
		default: 'fields',
		options: [
			{ name: 'Using Fields', value: 'fields' },
			{ name: 'Using JSON', value: 'json' },
		],
		description:
			'Whether to enter the sections below, or give them as JSON (e.g. built by an expression)',
		displayOptions: show('product_list'),
	},
	{
		displayName: 'Sections',
		name: 'productSections',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Section',
		default: {},
		description: `Up to ${PRODUCT_LIST_SECTIONS_MAX} sections with ${PRODUCT_LIST_PRODUCTS_MAX} products in total; with more than one section each needs a title`,
		displayOptions: {
			show: { interactiveType: ['product_list'], productSectionsInput: ['fields'] },
		},
		options: [
			{
				displayName: 'Section',
				name: 'section',
				values: [
					{
						displayName: 'Product Retailer IDs',
						name: 'productRetailerIds',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. SKU-1, SKU-2, SKU-7',
						description:
							"The products of this section by retailer ID (the catalog's SKU), separated by commas, spaces or new lines",
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: `Section heading, up to ${PRODUCT_SECTION_TITLE_MAX} characters; required when there is more than one section`,
					},
				],
			},
		],
	},
	{
		displayName: 'Sections (JSON)',
		name: 'productSectionsJson',
		type: 'json',
		default: '[\n  {\n    "title": "Coffee",\n    "productRetailerIds": ["SKU-1", "SKU-2"]\n  }\n]',
		required: true,
		description:
			'An array of sections, each {"title", "productRetailerIds": [...]}; Meta\'s own {"title", "product_items": [{"product_retailer_id"}]} works too',
		displayOptions: {
			show: { interactiveType: ['product_list'], productSectionsInput: ['json'] },
		},
	},
	productLocator(
		'thumbnailProductRetailerId',
		'Thumbnail Product',
		'searchConnectedProducts',
		"The product whose image represents the catalog in the message, by retailer ID (the catalog's SKU)",
		'catalog_message',
	),
	{
		displayName:
			'WhatsApp adds the Allow and Decline buttons; only the body is yours. Calling must be enabled on the number, and the user must have messaged in the last 24 hours (outside that window, use an approved call permission template).',
		name: 'callPermissionNotice',
		type: 'notice',
		default: '',
		displayOptions: show('call_permission_request'),
	},
	{
		displayName: 'Call Button Options',
		name: 'voiceCallOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show('voice_call'),
		options: [
			{
				displayName: 'Button Text',
				name: 'displayText',
				type: 'string',
				default: '',
				placeholder: 'e.g. Call us',
				description: `The button label, up to ${VOICE_CALL_DISPLAY_TEXT_MAX} characters; WhatsApp shows "Call Now" when empty`,
			},
			{
				displayName: 'Payload',
				name: 'payload',
				type: 'string',
				default: '',
				description: `Up to ${VOICE_CALL_PAYLOAD_MAX} characters returned as cta_payload in the calls webhooks of a call started from this button`,
			},
			{
				displayName: 'Valid for (Minutes)',
				name: 'ttlMinutes',
				type: 'number',
				typeOptions: { minValue: VOICE_CALL_TTL_MINUTES_MIN, maxValue: VOICE_CALL_TTL_MINUTES_MAX },
				default: 10080,
				description: `How long the button can be used, ${VOICE_CALL_TTL_MINUTES_MIN} to ${VOICE_CALL_TTL_MINUTES_MAX} minutes (30 days); WhatsApp's default is 10,080 (7 days)`,
			},
		],
	},
];

export function isCommerceOrCallingType(type: string): type is CommerceOrCallingType {
	return TYPES.includes(type);
}

/** A resource locator's value, trimmed; other kinds go to the builder, which refuses them. */
function locatorValue(context: IExecuteFunctions, name: string, itemIndex: number): string {
	return (trimmedValue(context.getNodeParameter(name, itemIndex, '', { extractValue: true })) ??
		'') as string;
}

/** The interactive content of a commerce or calling type, its limits checked (errors per item). */
export function readCommerceOrCallingContent(
	context: IExecuteFunctions,
	itemIndex: number,
	type: CommerceOrCallingType,
	body: string,
	footer: string,
): ClientInteractiveContent {
	const param = (name: string, fallback: unknown = '') =>
		context.getNodeParameter(name, itemIndex, fallback);
	return forItem(context, itemIndex, (): ClientInteractiveContent => {
		switch (type) {
			case 'product':
				return buildProductContent({
					catalogId: locatorValue(context, 'catalogId', itemIndex),
					productRetailerId: locatorValue(context, 'productRetailerId', itemIndex),
					body,
					footer,
				});
			case 'product_list': {
				const sections =
					param('productSectionsInput', 'fields') === 'json'
						? productSectionsFromJson(param('productSectionsJson', '[]'))
						: productSectionsFromFields(param('productSections', {}));
				return buildProductListContent({
					catalogId: locatorValue(context, 'catalogId', itemIndex),
					header: param('productListHeader') as string,
					body,
					footer,
					sections,
				});
			}
			case 'catalog_message':
				return buildCatalogContent({
					body,
					footer,
					thumbnailProductRetailerId: locatorValue(
						context,
						'thumbnailProductRetailerId',
						itemIndex,
					),
				});
			case 'call_permission_request':
				return buildCallPermissionRequestContent({ body });
			case 'voice_call': {
				const options = param('voiceCallOptions', {}) as {
					displayText?: string;
					payload?: string;
					ttlMinutes?: number | string;
				};
				return buildVoiceCallContent({ body, ...options });
			}
		}
	});
}
