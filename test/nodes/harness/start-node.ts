/**
 * The workflow's first node. It passes its input items through unchanged, so the node under test
 * receives them from a real parent (proper `source`, `pairedItem`, `$('Start')` in expressions),
 * the way a Manual Trigger → node workflow would deliver pinned/test data.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

export const START_NODE_TYPE = 'n8n-nodes-harness.start';
export const START_NODE_NAME = 'Start';

export class HarnessStart implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Start',
		name: 'start',
		group: ['input'],
		version: 1,
		description: 'Emits the harness input items',
		defaults: { name: START_NODE_NAME },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}
