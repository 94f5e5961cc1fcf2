import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { TEMPLATE_NAME } from '../../helpers/template/limits';
import { requireBusinessAccountId } from '../../transport/graph';
import { deleteTemplate } from '../../transport/templates';
import type { ItemOperation } from '../node.type';
import { businessAccountField } from '../../descriptions/common';
import { quoteInput } from '../../helpers/errors';

const fields: INodeProperties[] = [
	businessAccountField,
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. order_update',
		description:
			'Name of the template to delete. Without a Template ID, every language version with this name is deleted.',
	},
	{
		displayName: 'Template ID',
		name: 'templateId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1209876543210003',
		description:
			'Delete only this language version (its ID, the hsm_id); leave empty to delete all versions',
	},
];

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const name = String(this.getNodeParameter('templateName', itemIndex, '')).trim();
	const templateId = String(this.getNodeParameter('templateId', itemIndex, '')).trim();
	if (!TEMPLATE_NAME.test(name)) {
		throw new NodeOperationError(
			this.getNode(),
			`Template Name ${quoteInput(name)} is not a template name`,
			{
				itemIndex,
				description: 'Template names have 1 to 512 lowercase letters, digits and underscores.',
			},
		);
	}
	if (templateId !== '' && !/^\d+$/.test(templateId)) {
		throw new NodeOperationError(
			this.getNode(),
			`Template ID ${quoteInput(templateId)} is not a template ID (only digits)`,
			{
				itemIndex,
			},
		);
	}
	const wabaId = await requireBusinessAccountId.call(this, itemIndex);
	const success = await deleteTemplate.call(
		this,
		wabaId,
		{ name, templateId: templateId || undefined },
		itemIndex,
	);
	return [
		{
			json: {
				success,
				name,
				...(templateId ? { templateId } : {}),
			},
		},
	];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Delete',
		value: 'delete',
		description: 'Delete a message template by name',
		action: 'Delete a template',
	},
	properties: fields,
	execute,
};
