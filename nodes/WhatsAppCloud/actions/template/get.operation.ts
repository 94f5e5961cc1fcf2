import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ServerTemplate } from '../../helpers/types/template';
import { requireBusinessAccountId } from '../../transport/graph';
import type { ItemOperation } from '../node.type';
import { getTemplateById, templatesNamed } from '../../transport/templates';
import { businessAccountField } from '../../descriptions/common';
import { quoteInput } from '../../helpers/errors';

const fields: INodeProperties[] = [
	businessAccountField,
	{
		displayName: 'Get By',
		name: 'getBy',
		type: 'options',
		default: 'name',
		options: [
			{
				name: 'ID',
				value: 'id',
				description: 'One template version by its ID (e.g. from the List operation)',
			},
			{
				name: 'Name',
				value: 'name',
				description: 'Every language version of the template with this name, or one language',
			},
		],
	},
	{
		displayName: 'Template ID',
		name: 'templateId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 1209876543210001',
		description: 'ID of the template version',
		displayOptions: { show: { getBy: ['id'] } },
	},
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. order_update',
		description: 'Exact name of the template (lowercase, with underscores)',
		displayOptions: { show: { getBy: ['name'] } },
	},
	{
		displayName: 'Language',
		name: 'templateLanguage',
		type: 'string',
		default: '',
		placeholder: 'e.g. en_US',
		description: 'Only this language version; empty returns every language version (one item each)',
		displayOptions: { show: { getBy: ['name'] } },
	},
];

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const getBy = this.getNodeParameter('getBy', itemIndex, 'name') as 'id' | 'name';
	if (getBy === 'id') {
		const templateId = String(this.getNodeParameter('templateId', itemIndex, '')).trim();
		if (!/^\d+$/.test(templateId)) {
			throw new NodeOperationError(
				this.getNode(),
				`Template ID ${quoteInput(templateId)} is not a template ID (only digits)`,
				{
					itemIndex,
					description:
						'Use the id of a template from the List operation, or get the template by name.',
				},
			);
		}
		const template = await getTemplateById.call(this, templateId, itemIndex);
		return [{ json: template as IDataObject }];
	}
	const name = String(this.getNodeParameter('templateName', itemIndex, '')).trim();
	const language = String(this.getNodeParameter('templateLanguage', itemIndex, '')).trim();
	if (name === '') {
		throw new NodeOperationError(this.getNode(), 'Template Name is empty', { itemIndex });
	}
	const wabaId = await requireBusinessAccountId.call(this, itemIndex);
	const templates: ServerTemplate[] = await templatesNamed.call(
		this,
		wabaId,
		name,
		language || undefined,
		itemIndex,
	);
	if (templates.length === 0) {
		throw new NodeOperationError(
			this.getNode(),
			language
				? `Template ${quoteInput(name)} has no ${language} version in WhatsApp Business Account ${wabaId}`
				: `Template ${quoteInput(name)} does not exist in WhatsApp Business Account ${wabaId}`,
			{
				itemIndex,
				description: 'Names are exact and lowercase; use the List operation to see what exists.',
			},
		);
	}
	return templates.map((template) => ({ json: template as unknown as IDataObject }));
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Get',
		value: 'get',
		description: 'Get a message template with its components',
		action: 'Get a template',
	},
	properties: fields,
	execute,
};
