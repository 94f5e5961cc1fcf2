import { flowIdField } from '../../descriptions/flows';
import type { ItemOperation } from '../node.type';
import { changeStatus } from './fields';

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Publish',
		value: 'publish',
		description:
			'Publish a draft Flow so it can be sent; its Flow JSON must be free of validation errors',
		action: 'Publish a flow',
	},
	properties: [
		{
			...flowIdField,
			description:
				'The draft Flow to publish. Published Flows cannot be changed; clone one to change it.',
		},
	],
	execute: changeStatus('publish'),
};
