import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ItemOperation } from '../node.type';
import { blockFields, executeBlockChange } from './fields';

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	return await executeBlockChange(this, 'block', itemIndex);
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Block',
		value: 'block',
		description: 'Block users from messaging or calling this number (one result per user)',
		action: 'Block users',
	},
	properties: blockFields('block'),
	execute,
};
