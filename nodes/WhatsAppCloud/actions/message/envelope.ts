import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readPhoneNumberId } from '../parameters';
import type { ClientEnvelopeInput } from '../../helpers/payloads/envelope';
import { normalizeRecipient } from '../../helpers/recipient';
import { forItem } from '../errors';

/** The `messageOptions` collection of `sendOptions()`: the common options plus the operation's own. */
export type MessageOptions = IDataObject & { callbackData?: string; replyToMessageId?: string };

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
