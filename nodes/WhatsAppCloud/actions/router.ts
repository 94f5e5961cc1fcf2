import type { INodeProperties } from 'n8n-workflow';

import * as mediaDelete from './media/delete.operation';
import * as mediaDownload from './media/download.operation';
import * as mediaGetUrl from './media/getUrl.operation';
import * as mediaUpload from './media/upload.operation';
import * as markAsRead from './message/markAsRead.operation';
import * as sendContacts from './message/sendContacts.operation';
import * as sendInteractive from './message/sendInteractive.operation';
import * as sendLocation from './message/sendLocation.operation';
import * as sendMedia from './message/sendMedia.operation';
import * as sendReaction from './message/sendReaction.operation';
import * as sendTemplate from './message/sendTemplate.operation';
import * as sendText from './message/sendText.operation';
import type { Operation, WhatsAppCloudResource } from './node.type';
import * as phoneNumberGet from './phoneNumber/get.operation';
import * as phoneNumberList from './phoneNumber/list.operation';
import * as templateCreate from './template/create.operation';
import * as templateDelete from './template/delete.operation';
import * as templateGet from './template/get.operation';
import * as templateList from './template/list.operation';

/** Every operation, by resource. */
const operations: Record<WhatsAppCloudResource, Record<string, Operation>> = {
	media: {
		delete: mediaDelete.operation,
		download: mediaDownload.operation,
		getUrl: mediaGetUrl.operation,
		upload: mediaUpload.operation,
	},
	message: {
		markAsRead: markAsRead.operation,
		sendContacts: sendContacts.operation,
		sendInteractive: sendInteractive.operation,
		sendLocation: sendLocation.operation,
		sendMedia: sendMedia.operation,
		sendReaction: sendReaction.operation,
		sendTemplate: sendTemplate.operation,
		sendText: sendText.operation,
	},
	phoneNumber: {
		get: phoneNumberGet.operation,
		list: phoneNumberList.operation,
	},
	template: {
		create: templateCreate.operation,
		delete: templateDelete.operation,
		get: templateGet.operation,
		list: templateList.operation,
	},
};

export function operationFor(resource: string, operation: string): Operation | undefined {
	return operations[resource as WhatsAppCloudResource]?.[operation];
}

/** Every operation's own fields (each carries its displayOptions). */
export const operationFields: INodeProperties[] = Object.values(operations).flatMap((byName) =>
	Object.values(byName).flatMap((operation) => operation.description),
);
