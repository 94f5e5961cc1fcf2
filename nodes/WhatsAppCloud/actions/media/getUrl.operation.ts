import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { getMediaInfo } from '../../transport/media';
import type { ItemOperation } from '../node.type';
import {
	mediaIdField,
	ownerPhoneNumberIdOption,
	readMediaId,
	readOwnerPhoneNumberId,
} from './fields';

/** Meta's media URLs stop working about 5 minutes after they are issued (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#retrieve-media-url). */
const URL_LIFETIME_MS = 5 * 60 * 1000;

const fields: INodeProperties[] = [
	mediaIdField,
	{
		displayName:
			'The URL works for about 5 minutes and only with the access token in an Authorization header. To get the file itself, use the Download operation.',
		name: 'getUrlNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Options',
		name: 'getUrlOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [ownerPhoneNumberIdOption],
	},
];

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const mediaId = readMediaId.call(this, itemIndex);
	const options = this.getNodeParameter('getUrlOptions', itemIndex, {}) as {
		phoneNumberId?: string;
	};
	const ownerPhoneNumberId = readOwnerPhoneNumberId.call(this, options, itemIndex);
	const info = await getMediaInfo.call(this, mediaId, itemIndex, ownerPhoneNumberId);
	const json: IDataObject = {
		id: info.id,
		url: info.url,
		mime_type: info.mimeType,
		sha256: info.sha256,
		file_size: info.fileSize ?? null,
		// An estimate: Meta does not say when the URL was issued, only that it lives ~5 minutes.
		expiresAt: new Date(Date.now() + URL_LIFETIME_MS).toISOString(),
	};
	return [{ json }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Get URL',
		value: 'getUrl',
		description: 'Get the short-lived download URL, type, size and hash of a media file',
		action: 'Get media URL',
	},
	properties: fields,
	execute,
};
