import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { phoneNumberIdField, readPhoneNumberId } from '../../descriptions/common';
import { buildReadReceipt } from '../../helpers/payloads/read';
import type { MessageSend, SendOperation } from '../node.type';
import { forItem } from './envelope';

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

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['markAsRead'] } },
	fields,
);

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

export const operation: SendOperation = { kind: 'send', description, build };
