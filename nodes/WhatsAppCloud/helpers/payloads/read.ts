import type { ClientReadReceipt } from '../types/client';
import { flag, requiredObject, requiredToken } from '../check';

export type ReadReceiptInput = {
	/** The wamid of the received message. */
	messageId: string;
	/** Show "typing…" to the user until the reply is sent or for at most 25 seconds. */
	showTypingIndicator?: boolean;
};

export function buildReadReceipt(input: ReadReceiptInput): ClientReadReceipt {
	requiredObject('readReceipt', input);
	const receipt: ClientReadReceipt = {
		messaging_product: 'whatsapp',
		status: 'read',
		message_id: requiredToken('messageId', input.messageId, 'a message ID (wamid)'),
	};
	if (flag('showTypingIndicator', input.showTypingIndicator)) {
		receipt.typing_indicator = { type: 'text' };
	}
	return receipt;
}
