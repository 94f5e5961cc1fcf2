import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { phoneNumberIdField } from '../../descriptions/common';
import { readPhoneNumberId } from '../parameters';
import { isPayloadError, quoteInput } from '../../helpers/errors';
import {
	checkMediaFile,
	extensionForMime,
	isAnimatedWebp,
	mediaKindForMime,
	MIME_TYPE_MAX,
	normalizeMimeType,
	sha256Hex,
	SUPPORTED_MIME_TYPES,
} from '../../helpers/media';
import { uploadMedia } from '../../transport/media';
import type { ItemOperation } from '../node.type';

const fields: INodeProperties[] = [
	{
		...phoneNumberIdField,
		displayName: 'Phone Number',
		description:
			'The business phone number that uploads (and owns) the media; send the returned media ID from this number',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to be uploaded',
		description:
			'The binary field of the input item that holds the file. Supported: JPEG/PNG images (5 MB), WebP stickers (100 KB static, 500 KB animated), MP4/3GPP video and AAC/AMR/MP3/M4A/OGG-Opus audio (16 MB), TXT/PDF/Word/Excel/PowerPoint documents (100 MB).',
	},
	{
		displayName: 'Options',
		name: 'uploadOptions',
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
				description: "File name sent with the upload; default: the binary's file name",
			},
			{
				displayName: 'MIME Type',
				name: 'mimeType',
				type: 'string',
				default: '',
				placeholder: 'e.g. application/pdf',
				description:
					"Overrides the binary's MIME type, e.g. when an upstream node stored audio/ogg as application/octet-stream",
			},
		],
	},
];

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = readPhoneNumberId(this, itemIndex, 'Phone Number');
	const binaryPropertyName = String(this.getNodeParameter('binaryPropertyName', itemIndex)).trim();
	const options = this.getNodeParameter('uploadOptions', itemIndex, {}) as {
		fileName?: string;
		mimeType?: string;
	};
	const binary = this.helpers.assertBinaryData(itemIndex, binaryPropertyName);
	const declaredMime = options.mimeType?.trim() || binary.mimeType || '';
	const kind = mediaKindForMime(declaredMime);
	if (!kind) {
		throw new NodeOperationError(
			this.getNode(),
			`The file in ${quoteInput(binaryPropertyName)} has MIME type ${quoteInput(declaredMime || 'none', MIME_TYPE_MAX)}, which WhatsApp does not accept`,
			{
				itemIndex,
				description: `Supported types: ${SUPPORTED_MIME_TYPES.join(', ')}. If the file is of a supported type but was stored with a generic one, set Options → MIME Type.`,
			},
		);
	}
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, binaryPropertyName);
	let mimeType: string;
	try {
		mimeType = checkMediaFile(
			kind,
			declaredMime,
			data.length,
			`Input Binary Field ${quoteInput(binaryPropertyName)}`,
			{
				animated: kind === 'sticker' ? isAnimatedWebp(data) : undefined,
			},
		);
	} catch (error) {
		if (isPayloadError(error)) {
			throw new NodeOperationError(this.getNode(), error.message, {
				itemIndex,
				description: `Limit: ${error.limit}; actual: ${error.actual}.`,
			});
		}
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
	}
	const fileName =
		options.fileName?.trim() ||
		binary.fileName ||
		`upload.${extensionForMime(normalizeMimeType(mimeType))}`;
	const mediaId = await uploadMedia.call(
		this,
		phoneNumberId,
		{ data, mimeType, fileName },
		itemIndex,
	);
	const json: IDataObject = {
		mediaId,
		phoneNumberId,
		kind,
		mimeType,
		fileName,
		fileSize: data.length,
		sha256: sha256Hex(data),
	};
	return [{ json }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Upload',
		value: 'upload',
		description: 'Upload binary data and get a media ID to send',
		action: 'Upload media',
	},
	properties: fields,
	execute,
};
