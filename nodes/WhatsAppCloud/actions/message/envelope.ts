import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { readPhoneNumberId } from '../../descriptions/common';
import { isPayloadError } from '../../helpers/errors';
import type { ClientEnvelopeInput } from '../../helpers/payloads/envelope';
import { normalizeRecipient } from '../../helpers/recipient';

/** The `messageOptions` collection of `sendOptions()`: the common options plus the operation's own. */
export type MessageOptions = IDataObject & { callbackData?: string; replyToMessageId?: string };

/**
 * A failure of `build()` as n8n should show it: a PayloadError becomes a NodeOperationError naming
 * the field, the limit, the actual value and the item; n8n errors pass through unchanged.
 */
export function itemError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeOperationError | NodeApiError {
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
		throw itemError(context, error, itemIndex);
	}
}

/** Trimmed text of an option; undefined when unset or blank. */
function optionText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	return text === '' ? undefined : text;
}

/**
 * Reads what every send shares — sender, recipient, reply-to, callback data — once per item.
 * Also returns the whole `messageOptions` collection so the operation does not read it again.
 */
export function readEnvelope(
	context: IExecuteFunctions,
	itemIndex: number,
): { phoneNumberId: string; envelope: ClientEnvelopeInput; options: MessageOptions } {
	const phoneNumberId = readPhoneNumberId(context, itemIndex);
	const recipientInput = context.getNodeParameter('recipient', itemIndex, '');
	const recipient = forItem(context, itemIndex, () => normalizeRecipient(recipientInput));
	const options = context.getNodeParameter('messageOptions', itemIndex, {}) as MessageOptions;
	const envelope: ClientEnvelopeInput = { recipient };
	const replyToMessageId = optionText(options.replyToMessageId);
	// Callback data is opaque: keep its spaces, drop it only when empty.
	const callbackData =
		options.callbackData === undefined ||
		options.callbackData === null ||
		options.callbackData === ''
			? undefined
			: String(options.callbackData);
	if (replyToMessageId !== undefined) envelope.replyToMessageId = replyToMessageId;
	if (callbackData !== undefined) envelope.callbackData = callbackData;
	return { phoneNumberId, envelope, options };
}
