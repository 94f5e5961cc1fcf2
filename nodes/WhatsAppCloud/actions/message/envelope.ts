import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readPhoneNumberId } from '../parameters';
import type { ClientEnvelopeInput } from '../../helpers/payloads/envelope';
import { isPlainObject } from '../../helpers/check';
import { optionalValue } from '../../helpers/parameters';
import { normalizeRecipient } from '../../helpers/recipient';
import { forItem } from '../errors';

/** The `messageOptions` collection of `sendOptions()`: the common options plus the operation's own. */
export type MessageOptions = IDataObject & { callbackData?: string; replyToMessageId?: string };

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
	const rawOptions = context.getNodeParameter('messageOptions', itemIndex, {});
	const options = (isPlainObject(rawOptions) ? rawOptions : {}) as MessageOptions;
	const envelope: ClientEnvelopeInput = { recipient };
	// Values other than text go to the builder as they are, which refuses objects by kind.
	const replyToMessageId = optionalValue(options.replyToMessageId);
	// Callback data is opaque: keep its spaces, drop it only when empty.
	const callbackData =
		options.callbackData === null || options.callbackData === ''
			? undefined
			: (options.callbackData as unknown);
	if (replyToMessageId !== undefined) envelope.replyToMessageId = replyToMessageId as string;
	if (callbackData !== undefined) envelope.callbackData = callbackData as string;
	return { phoneNumberId, envelope, options };
}
