import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ItemOperation } from '../node.type';
import { blockFields, executeBlockChange } from './fields';

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	return await executeBlockChange(this, 'unblock', itemIndex);
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Unblock',
		value: 'unblock',
		description: 'Unblock users (one result per user)',
		action: 'Unblock users',
	},
	properties: blockFields('unblock'),
	execute,
};
