import { defineResource } from '../resource';
import * as respond from './respond.operation';

export const flow = defineResource({
	name: 'Flow',
	value: 'flow',
	defaultOperation: 'respond',
	operations: [respond.operation],
});
