import { CALLBACK_DATA_MAX } from '../limits';
import type { ClientRecipient } from '../recipient';
import { normalizeRecipient } from '../recipient';
import type { ClientEnvelope, ClientMessage, ClientMessageContent } from '../types/client';
import { optionalText, requiredObject, requiredToken } from '../check';

export type ClientEnvelopeInput = {
	recipient: ClientRecipient;
	/** Quote-reply to this message (a wamid). */
	replyToMessageId?: string;
	/** Up to 512 characters echoed in the status webhooks of this message. */
	callbackData?: string;
};

/** The full body of `POST /{phone-number-id}/messages`: envelope first, then the content. */
export function buildMessage(
	envelope: ClientEnvelopeInput,
	content: ClientMessageContent,
): ClientMessage {
	requiredObject('envelope', envelope);
	requiredObject('content', content);
	// Re-normalized so a hand-built recipient is exactly one of `to` and `recipient` (phone wins, as at Meta).
	const given = requiredObject('recipient', envelope.recipient);
	const recipient = normalizeRecipient(given.to !== undefined ? given.to : given.recipient);
	const head: ClientEnvelope = {
		messaging_product: 'whatsapp',
		recipient_type: 'individual',
		...recipient,
	};
	if (envelope.replyToMessageId !== undefined) {
		head.context = {
			message_id: requiredToken(
				'replyToMessageId',
				envelope.replyToMessageId,
				'a message ID (wamid)',
			),
		};
	}
	const callbackData = optionalText('callbackData', envelope.callbackData, CALLBACK_DATA_MAX);
	if (callbackData !== undefined) head.biz_opaque_callback_data = callbackData;
	return { ...head, ...content };
}
