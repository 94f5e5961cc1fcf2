import { defineResource } from '../resource';
import * as markAsRead from './markAsRead.operation';
import * as sendAndWait from './sendAndWait';
import * as sendContacts from './sendContacts.operation';
import * as sendInteractive from './sendInteractive.operation';
import * as sendLocation from './sendLocation.operation';
import * as sendMedia from './sendMedia.operation';
import * as sendReaction from './sendReaction.operation';
import * as sendTemplate from './sendTemplate.operation';
import * as sendText from './sendText.operation';

export const message = defineResource({
	name: 'Message',
	value: 'message',
	defaultOperation: 'sendText',
	operations: [
		markAsRead.operation,
		sendAndWait.operation,
		sendContacts.operation,
		sendInteractive.operation,
		sendLocation.operation,
		sendMedia.operation,
		sendReaction.operation,
		sendTemplate.operation,
		sendText.operation,
	],
});
