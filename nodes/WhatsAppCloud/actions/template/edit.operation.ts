import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { prepareTemplateEdit } from '../../helpers/template/edit';
import type { ServerTemplate, TemplateCategory } from '../../helpers/types/template';
import { requireBusinessAccountId } from '../../transport/graph';
import { editTemplate, getTemplateById, templatesNamed } from '../../transport/templates';
import { forItem } from '../errors';
import type { ItemOperation } from '../node.type';
import {
	componentFields,
	declaredParameterFormat,
	readComponents,
	templateOptionFields,
} from './components';
import { quoteInput } from '../../helpers/errors';

const fields: INodeProperties[] = [
	{
		displayName: 'Edit By',
		name: 'editBy',
		type: 'options',
		default: 'id',
		options: [
			{ name: 'ID', value: 'id', description: 'The template version with this ID' },
			{ name: 'Name and Language', value: 'name', description: 'The version in this language' },
		],
	},
	{
		displayName: 'Template ID',
		name: 'templateId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 1209876543210001',
		description: 'ID of the template version (from the List or Get operation)',
		displayOptions: { show: { editBy: ['id'] } },
	},
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. order_update',
		displayOptions: { show: { editBy: ['name'] } },
	},
	{
		displayName: 'Language',
		name: 'templateLanguage',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. en_US',
		description: 'Language code of the version to edit',
		displayOptions: { show: { editBy: ['name'] } },
	},
	{
		displayName: 'New Category',
		name: 'newCategory',
		type: 'options',
		default: 'keep',
		description:
			'Only REJECTED or PAUSED templates may change category, with components for the new one',
		options: [
			{ name: 'Authentication', value: 'AUTHENTICATION' },
			{ name: 'Keep Current', value: 'keep' },
			{ name: 'Marketing', value: 'MARKETING' },
			{ name: 'Utility', value: 'UTILITY' },
		],
	},
	{
		displayName: 'Components From',
		name: 'componentsFrom',
		type: 'options',
		default: 'fields',
		description: 'The new content replaces the whole template content (Meta reviews it again)',
		options: [
			{ name: 'Fields', value: 'fields', description: 'The fields below, for every template kind' },
			{ name: 'JSON', value: 'json', description: "Meta's components array" },
			{
				name: 'Keep Current',
				value: 'keep',
				description: 'Change only the category or the time-to-live',
			},
		],
	},
	{
		displayName: 'Components (JSON)',
		name: 'componentsJson',
		type: 'json',
		default: '[]',
		required: true,
		description: "Meta's components array, as for creating a template",
		displayOptions: { show: { componentsFrom: ['json'] } },
	},
	...componentFields,
	{
		displayName: 'Options',
		name: 'editOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...templateOptionFields('unchanged')],
	},
];

/** The version to edit, by ID or by name and language. */
async function templateToEdit(
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<ServerTemplate> {
	const editBy = context.getNodeParameter('editBy', itemIndex, 'id') as 'id' | 'name';
	if (editBy === 'id') {
		const templateId = String(context.getNodeParameter('templateId', itemIndex, '')).trim();
		if (!/^\d+$/.test(templateId)) {
			throw new NodeOperationError(
				context.getNode(),
				`Template ID ${quoteInput(templateId)} is not a template ID (only digits)`,
				{ itemIndex, description: 'Use the id of a template from the List or Get operation.' },
			);
		}
		return await getTemplateById.call(context, templateId, itemIndex);
	}
	const name = String(context.getNodeParameter('templateName', itemIndex, '')).trim();
	const language = String(context.getNodeParameter('templateLanguage', itemIndex, '')).trim();
	if (name === '' || language === '') {
		throw new NodeOperationError(
			context.getNode(),
			'Template Name and Language are both needed to find the version to edit',
			{ itemIndex },
		);
	}
	const wabaId = await requireBusinessAccountId.call(context, itemIndex);
	const [template] = await templatesNamed.call(context, wabaId, name, language, itemIndex);
	if (!template) {
		throw new NodeOperationError(
			context.getNode(),
			`Template ${quoteInput(name)} has no ${language} version in WhatsApp Business Account ${wabaId}`,
			{ itemIndex, description: 'Names are exact and lowercase; use the List operation.' },
		);
	}
	return template;
}

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const template = await templateToEdit(this, itemIndex);
	const newCategory = this.getNodeParameter('newCategory', itemIndex, 'keep') as string;
	const category = (newCategory === 'keep' ? template.category : newCategory) as TemplateCategory;
	const componentsFrom = this.getNodeParameter('componentsFrom', itemIndex, 'fields') as string;
	const options = this.getNodeParameter('editOptions', itemIndex, {}) as IDataObject;
	const declaredFormat = declaredParameterFormat(options);
	const components = readComponents(this, itemIndex, componentsFrom, category, declaredFormat);

	const edit = forItem(this, itemIndex, () =>
		prepareTemplateEdit(template, {
			components,
			category,
			messageSendTtlSeconds: Number(options.messageSendTtlSeconds ?? 0),
			parameterFormat: declaredFormat,
		}),
	);
	const answer = await editTemplate.call(this, template.id, edit, itemIndex);
	return [
		{
			json: {
				success: answer.success === true,
				id: template.id,
				name: template.name,
				language: template.language,
				category,
				edited: Object.keys(edit),
			},
		},
	];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Edit',
		value: 'edit',
		description:
			"Change a template's content, category (rejected or paused only) or time-to-live; Meta reviews it again",
		action: 'Edit a template',
	},
	properties: fields,
	execute,
};
