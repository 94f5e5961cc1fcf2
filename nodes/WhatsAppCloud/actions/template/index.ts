import { defineResource } from '../resource';
import * as create from './create.operation';
import * as deleteTemplate from './delete.operation';
import * as edit from './edit.operation';
import * as get from './get.operation';
import * as list from './list.operation';

export const template = defineResource({
	name: 'Template',
	value: 'template',
	defaultOperation: 'list',
	operations: [
		create.operation,
		deleteTemplate.operation,
		edit.operation,
		get.operation,
		list.operation,
	],
});
