import { defineResource } from '../resource';
import * as get from './get.operation';
import * as update from './update.operation';

export const conversationalAutomation = defineResource({
	name: 'Conversational Automation',
	value: 'conversationalAutomation',
	defaultOperation: 'get',
	operations: [get.operation, update.operation],
});
