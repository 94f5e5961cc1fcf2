import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { phoneNumberIdField } from '../../descriptions/common';
import { readPhoneNumberId } from '../parameters';
import { buildReadReceipt } from '../../helpers/payloads/read';
import type { MessageSend } from '../../transport/sender';
import type { SendOperation } from '../node.type';
import { forItem } from '../errors';

const fields: INodeProperties[] = [
	{
		...phoneNumberIdField,
		description: 'The business phone number that received the message (its phone number ID)',
	},
	{
		displayName: 'Message ID',
		name: 'readMessageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA',
		description:
			'The wamid of the received message to mark as read (blue ticks); earlier messages of the chat are marked too. Works up to 30 days after receipt.',
	},
	{
		displayName: 'Show Typing Indicator',
		name: 'showTypingIndicator',
		type: 'boolean',
		default: false,
		description:
			'Whether to show "typing…" to the user until you reply or for at most 25 seconds; only use it when a reply follows',
	},
];

/** Goes through the paced sender like a message; its output item is `{ success: true, … }`. */
async function build(this: IExecuteFunctions, itemIndex: number): Promise<MessageSend> {
	const phoneNumberId = readPhoneNumberId(this, itemIndex);
	const messageId = String(this.getNodeParameter('readMessageId', itemIndex, '')).trim();
	const showTypingIndicator = this.getNodeParameter(
		'showTypingIndicator',
		itemIndex,
		false,
	) as boolean;
	const receipt = forItem(this, itemIndex, () =>
		buildReadReceipt({ messageId, showTypingIndicator }),
	);
	return { phoneNumberId, payload: receipt as IDataObject };
}

export const operation: SendOperation = {
	kind: 'send',
	option: {
		name: 'Mark as Read',
		value: 'markAsRead',
		description:
			'Mark a received message as read (blue ticks), optionally showing a typing indicator',
		action: 'Mark a message as read',
	},
	properties: fields,
	build,
};
