import { defineResource } from '../resource';
import * as get from './get.operation';
import * as update from './update.operation';

export const businessProfile = defineResource({
	name: 'Business Profile',
	value: 'businessProfile',
	defaultOperation: 'get',
	operations: [get.operation, update.operation],
});
