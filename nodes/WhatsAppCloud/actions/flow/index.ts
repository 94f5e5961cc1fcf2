import { defineResource } from '../resource';
import * as create from './create.operation';
import * as deleteFlow from './delete.operation';
import * as deprecate from './deprecate.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as publish from './publish.operation';
import * as respond from './respond.operation';
import * as update from './update.operation';
import * as updateJson from './updateJson.operation';

export const flow = defineResource({
	name: 'Flow',
	value: 'flow',
	// Respond was the Flow resource's first operation: nodes saved with the default keep it.
	defaultOperation: 'respond',
	operations: [
		create.operation,
		deleteFlow.operation,
		deprecate.operation,
		get.operation,
		list.operation,
		publish.operation,
		respond.operation,
		update.operation,
		updateJson.operation,
	],
});
