import type { ItemOperation } from '../node.type';
import { changeStatus, flowFields } from './fields';

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Deprecate',
		value: 'deprecate',
		description: 'Stop a published Flow from being sent (messages already sent keep working)',
		action: 'Deprecate a flow',
	},
	properties: flowFields('The published Flow to deprecate'),
	execute: changeStatus('deprecate'),
};
