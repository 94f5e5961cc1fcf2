import { defineResource } from '../resource';
import * as get from './get.operation';
import * as list from './list.operation';

export const phoneNumber = defineResource({
	name: 'Phone Number',
	value: 'phoneNumber',
	defaultOperation: 'list',
	operations: [get.operation, list.operation],
});
