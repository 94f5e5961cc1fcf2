import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { phoneNumberIdField, recipientField, sendOptions } from '../../descriptions/common';
import { buildMessage } from '../../helpers/payloads/envelope';
import { trimmedValue } from '../../helpers/parameters';
import { buildReactionContent } from '../../helpers/payloads/reaction';
import type { MessageSend } from '../../transport/sender';
import type { SendOperation } from '../node.type';
import { forItem } from '../errors';
import { readEnvelope } from './envelope';

const fields: INodeProperties[] = [
	phoneNumberIdField,
	recipientField,
	{
		displayName: 'Message ID',
		name: 'reactionMessageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA',
		description:
			"The wamid of the message to react to (e.g. the trigger's message ID). Reactions to messages older than 30 days are not delivered.",
	},
	{
		displayName: 'Emoji',
		name: 'emoji',
		type: 'string',
		default: '👍',
		description: 'Exactly one emoji; leave empty to remove your earlier reaction',
	},
	sendOptions(),
];

async function build(this: IExecuteFunctions, itemIndex: number): Promise<MessageSend> {
	const { phoneNumberId, envelope } = readEnvelope(this, itemIndex);
	const messageId = trimmedValue(this.getNodeParameter('reactionMessageId', itemIndex, ''));
	const emoji = this.getNodeParameter('emoji', itemIndex, '') as string;
	const message = forItem(this, itemIndex, () =>
		buildMessage(envelope, buildReactionContent({ messageId: messageId as string, emoji })),
	);
	return { phoneNumberId, payload: message as IDataObject };
}

export const operation: SendOperation = {
	kind: 'send',
	option: {
		name: 'Send Reaction',
		value: 'sendReaction',
		description: 'React to a message with an emoji, or remove the reaction',
		action: 'Send a reaction',
	},
	properties: fields,
	build,
};
