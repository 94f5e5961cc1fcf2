import type { ItemOperation } from '../node.type';
import { changeStatus, flowFields } from './fields';

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Publish',
		value: 'publish',
		description:
			'Publish a draft Flow so it can be sent; its Flow JSON must be free of validation errors',
		action: 'Publish a flow',
	},
	properties: flowFields(
		'The draft Flow to publish. Published Flows cannot be changed; clone one to change it.',
	),
	execute: changeStatus('publish'),
};
