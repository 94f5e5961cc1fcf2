import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { defaultMediaFileName } from '../../helpers/media';
import { downloadMedia } from '../../transport/media';
import type { ItemOperation } from '../node.type';
import {
	mediaIdField,
	ownerPhoneNumberIdOption,
	readMediaId,
	readOwnerPhoneNumberId,
} from './fields';

const fields: INodeProperties[] = [
	mediaIdField,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
		description: 'The binary field of the output item that receives the downloaded file',
	},
	{
		displayName: 'Options',
		name: 'downloadOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'e.g. invoice.pdf',
				description:
					'Name of the output file; default: the media ID with the extension of its MIME type, e.g. 1013859600285441.pdf',
			},
			ownerPhoneNumberIdOption,
		],
	},
];

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const mediaId = readMediaId.call(this, itemIndex);
	const binaryPropertyName = String(this.getNodeParameter('binaryPropertyName', itemIndex)).trim();
	const options = this.getNodeParameter('downloadOptions', itemIndex, {}) as {
		fileName?: string;
		phoneNumberId?: string;
	};
	const ownerPhoneNumberId = readOwnerPhoneNumberId.call(this, options, itemIndex);
	const media = await downloadMedia.call(this, mediaId, itemIndex, ownerPhoneNumberId);
	const fileName = options.fileName?.trim() || defaultMediaFileName(mediaId, media.mimeType);
	const binaryData = await this.helpers.prepareBinaryData(media.data, fileName, media.mimeType);
	// prepareBinaryData may guess another type from the name; Meta's type is authoritative.
	binaryData.mimeType = media.mimeType;
	binaryData.fileName = fileName;
	const json: IDataObject = {
		mediaId,
		mimeType: media.mimeType,
		fileName,
		fileSize: media.fileSize,
		sha256: media.sha256,
	};
	return [{ json, binary: { [binaryPropertyName]: binaryData } }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Download',
		value: 'download',
		description: 'Download a media file (e.g. one a customer sent) into binary data',
		action: 'Download media',
	},
	properties: fields,
	execute,
};
