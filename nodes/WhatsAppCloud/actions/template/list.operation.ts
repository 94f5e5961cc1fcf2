import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { ServerTemplate } from '../../helpers/types/template';
import type { ItemOperation } from '../node.type';
import { listTemplatePage, TEMPLATE_PAGE_SIZE } from '../../transport/templates';
import { requireBusinessAccountId } from '../../transport/graph';
import { businessAccountField, returnAllOrLimit } from '../../descriptions/common';

const STATUSES = ['APPROVED', 'DISABLED', 'IN_APPEAL', 'PAUSED', 'PENDING', 'REJECTED'];
const CATEGORIES = ['AUTHENTICATION', 'MARKETING', 'UTILITY'];
const title = (value: string) =>
	value
		.split('_')
		.map((word) => word.charAt(0) + word.slice(1).toLowerCase())
		.join(' ');

const fields: INodeProperties[] = [
	businessAccountField,
	...returnAllOrLimit(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Category',
				name: 'category',
				type: 'multiOptions',
				default: [],
				options: CATEGORIES.map((value) => ({ name: title(value), value })),
				description: 'Only templates of these categories',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'string',
				default: '',
				placeholder: 'e.g. en_US',
				description: 'Only template versions in this language code',
			},
			{
				displayName: 'Name Contains',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. order',
				description: 'Only templates whose name contains this text',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				default: [],
				options: STATUSES.map((value) => ({ name: title(value), value })),
				description: 'Only templates in these review states (only Approved ones can be sent)',
			},
		],
	},
];

interface ListFilters {
	category?: string[];
	language?: string;
	name?: string;
	status?: string[];
}

/** Graph filters on one value per field; several selected values are filtered here. */
function single(values: string[] | undefined): string | undefined {
	return values && values.length === 1 ? values[0] : undefined;
}

export function matchesListFilters(template: ServerTemplate, filters: ListFilters): boolean {
	const name = (filters.name ?? '').trim();
	const language = (filters.language ?? '').trim();
	return (
		(!filters.status?.length || filters.status.includes(template.status)) &&
		(!filters.category?.length || filters.category.includes(template.category)) &&
		(language === '' || template.language === language) &&
		(name === '' || template.name.includes(name))
	);
}

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as ListFilters;
	const wabaId = await requireBusinessAccountId.call(this, itemIndex);
	const templates: ServerTemplate[] = [];
	let after: string | undefined;
	do {
		const page = await listTemplatePage.call(
			this,
			wabaId,
			{
				limit: Math.min(TEMPLATE_PAGE_SIZE, Math.max(1, limit - templates.length)),
				after,
				status: single(filters.status),
				category: single(filters.category),
				language: (filters.language ?? '').trim() || undefined,
				name: (filters.name ?? '').trim() || undefined,
			},
			itemIndex,
		);
		templates.push(...page.templates.filter((template) => matchesListFilters(template, filters)));
		after = page.after;
	} while (after && templates.length < limit);
	return templates
		.slice(0, limit)
		.map((template) => ({ json: template as unknown as IDataObject }));
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'List',
		value: 'list',
		description: 'List the message templates of the business account',
		action: 'List templates',
	},
	properties: fields,
	execute,
};
