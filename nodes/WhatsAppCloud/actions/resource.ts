import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Operation } from './node.type';

/** A resource of the node: its entry in the Resource selector, its operations, and their fields. */
export interface Resource {
	option: INodePropertyOptions & { value: string };
	operations: ReadonlyMap<string, Operation>;
	/** The Operation selector, then every operation's fields shown only for it. */
	properties: INodeProperties[];
}

/** Builds a resource from its operations, listed once: the selector and display conditions follow. */
export function defineResource(definition: {
	name: string;
	value: string;
	defaultOperation: string;
	operations: Operation[];
}): Resource {
	const { name, value, defaultOperation, operations } = definition;
	const selector: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [value] } },
		options: operations
			.map((operation) => operation.option)
			.sort((a, b) => a.name.localeCompare(b.name)),
		default: defaultOperation,
	};
	return {
		option: { name, value },
		operations: new Map(operations.map((operation) => [operation.option.value, operation])),
		properties: [
			selector,
			...operations.flatMap((operation) =>
				updateDisplayOptions(
					{ show: { resource: [value], operation: [operation.option.value] } },
					operation.properties,
				),
			),
		],
	};
}
