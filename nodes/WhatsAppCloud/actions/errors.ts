import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isPayloadError } from '../helpers/errors';

export type NodeError = NodeApiError | NodeOperationError;

/**
 * Any failure of an item as n8n should show it: n8n errors pass through unchanged, a PayloadError
 * becomes a NodeOperationError naming the field, the limit, the actual value and the item, and
 * anything else is wrapped with the item index.
 */
export function toNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	if (isPayloadError(error)) {
		const parts = [`Field: ${error.field}`];
		if (error.limit) parts.push(`limit: ${error.limit}`);
		if (error.actual) parts.push(`actual: ${error.actual}`);
		return new NodeOperationError(context.getNode(), error.message, {
			itemIndex,
			description: `${parts.join('; ')} (item ${itemIndex})`,
		});
	}
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/** Runs pure payload code for one item, turning its PayloadError into the item's n8n error. */
export function forItem<T>(context: IExecuteFunctions, itemIndex: number, build: () => T): T {
	try {
		return build();
	} catch (error) {
		throw toNodeError(context, error, itemIndex);
	}
}
