import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { phoneNumberIdField, recipientField, sendOptions } from '../../descriptions/common';
import { requiredText, showValue } from '../../helpers/check';
import { MEDIA_CAPTION_MAX } from '../../helpers/limits';
import { checkMediaFile, isAnimatedWebp } from '../../helpers/media';
import { trimmedValue } from '../../helpers/parameters';
import { buildMessage } from '../../helpers/payloads/envelope';
import type { MediaInput } from '../../helpers/payloads/media';
import { buildMediaContent } from '../../helpers/payloads/media';
import type { ClientMediaKind } from '../../helpers/types/client';
import { uploadMedia } from '../../transport/media';
import type { MessageSend } from '../../transport/sender';
import type { SendOperation } from '../node.type';
import { forItem } from '../errors';
import { readEnvelope } from './envelope';
import { buildTemplateFallback, templateFallbackOptions } from './sendTemplate.operation';

type MediaSourceOption = 'url' | 'id' | 'binary';

const fields: INodeProperties[] = [
	phoneNumberIdField,
	recipientField,
	{
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		noDataExpression: true,
		default: 'image',
		options: [
			{
				name: 'Audio',
				value: 'audio',
				description: 'AAC, AMR, MP3, M4A or OGG (Opus) audio, up to 16 MB',
			},
			{
				name: 'Document',
				value: 'document',
				description: 'PDF, TXT, Word, Excel or PowerPoint file, up to 100 MB',
			},
			{ name: 'Image', value: 'image', description: 'JPEG or PNG image, up to 5 MB' },
			{
				name: 'Sticker',
				value: 'sticker',
				description: 'WebP sticker, 512×512, up to 100 KB (500 KB animated)',
			},
			{
				name: 'Video',
				value: 'video',
				description: 'MP4 or 3GPP video (H.264 + AAC), up to 16 MB',
			},
		],
		description: 'The kind of media to send',
	},
	{
		displayName: 'Media Source',
		name: 'mediaSource',
		type: 'options',
		noDataExpression: true,
		default: 'url',
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: 'A file in a binary field of the input item, uploaded to WhatsApp first',
			},
			{
				name: 'Media ID',
				value: 'id',
				description: 'The ID of media uploaded earlier (valid 30 days)',
			},
			{
				name: 'URL',
				value: 'url',
				description: 'A public http(s) link WhatsApp downloads the file from',
			},
		],
		description: 'Where the file comes from',
	},
	{
		displayName: 'Media URL',
		name: 'mediaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/catalog.pdf',
		description:
			'Public http(s) URL of the file; WhatsApp fetches it, so it must be reachable without login',
		displayOptions: { show: { mediaSource: ['url'] } },
	},
	{
		displayName: 'Media ID',
		name: 'mediaId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 1037543291543636',
		description: 'The media ID returned by an earlier upload (Media → Upload)',
		displayOptions: { show: { mediaSource: ['id'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to be sent',
		description:
			"The binary field of the input item holding the file. It is uploaded first; its MIME type and size must fit the media type. The new media ID appears in the output as 'mediaId'.",
		displayOptions: { show: { mediaSource: ['binary'] } },
	},
	{
		displayName: 'Caption',
		name: 'caption',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: `Text shown under the image, video or document, up to ${MEDIA_CAPTION_MAX} characters`,
		displayOptions: { show: { mediaType: ['image', 'video', 'document'] } },
	},
	{
		displayName: 'File Name',
		name: 'documentFileName',
		type: 'string',
		default: '',
		placeholder: 'e.g. invoice-1042.pdf',
		description:
			"The document's file name as the recipient sees it; its extension picks the icon. Empty: the binary's file name (binary source) or none.",
		displayOptions: { show: { mediaType: ['document'] } },
	},
	{
		displayName: 'Voice Note',
		name: 'voice',
		type: 'boolean',
		default: false,
		description:
			'Whether to send the audio as a recorded voice note (must be OGG with the Opus codec): it is transcribed, downloads automatically, and reports a "played" status',
		displayOptions: { show: { mediaType: ['audio'] } },
	},
	sendOptions(templateFallbackOptions),
];

/** A name n8n gives a binary field; longer ones are typing accidents, not field names. */
const BINARY_PROPERTY_NAME_MAX = 1000;

/** Uploads the item's binary (after checking MIME type and size for `kind`); returns its media ID. */
async function uploadBinary(
	context: IExecuteFunctions,
	itemIndex: number,
	phoneNumberId: string,
	kind: ClientMediaKind,
	binaryPropertyName: string,
): Promise<{ mediaId: string; fileName?: string }> {
	const binary = forItem(context, itemIndex, () =>
		context.helpers.assertBinaryData(itemIndex, binaryPropertyName),
	);
	const data = await context.helpers.getBinaryDataBuffer(itemIndex, binaryPropertyName);
	const mimeType = forItem(context, itemIndex, () =>
		checkMediaFile(
			kind,
			binary.mimeType ?? '',
			data.length,
			`Input Binary Field "${binaryPropertyName}"`,
			{
				animated: kind === 'sticker' ? isAnimatedWebp(data) : undefined,
			},
		),
	);
	const fileName = binary.fileName || `${kind}.${binary.fileExtension || 'bin'}`;
	const mediaId = await uploadMedia.call(
		context,
		phoneNumberId,
		{ data, mimeType, fileName },
		itemIndex,
	);
	return { mediaId, fileName: binary.fileName };
}

async function build(this: IExecuteFunctions, itemIndex: number): Promise<MessageSend> {
	const { phoneNumberId, envelope, options } = readEnvelope(this, itemIndex);
	const kind = this.getNodeParameter('mediaType', itemIndex) as ClientMediaKind;
	const source = this.getNodeParameter('mediaSource', itemIndex) as MediaSourceOption;
	const input: MediaInput = { kind };
	if (kind === 'image' || kind === 'video' || kind === 'document') {
		input.caption = this.getNodeParameter('caption', itemIndex, '') as string;
	}
	if (kind === 'document') {
		input.filename = trimmedValue(
			this.getNodeParameter('documentFileName', itemIndex, ''),
		) as string;
	}
	if (kind === 'audio') input.voice = this.getNodeParameter('voice', itemIndex, false) as boolean;

	// Before any upload, so a bad fallback template does not leave orphaned media either.
	const fallback = await buildTemplateFallback.call(this, itemIndex, envelope, options);
	const extraOutput: IDataObject = {};
	if (source === 'url') {
		input.link = trimmedValue(this.getNodeParameter('mediaUrl', itemIndex, '')) as string;
	} else if (source === 'id') {
		input.id = trimmedValue(this.getNodeParameter('mediaId', itemIndex, '')) as string;
	} else if (source === 'binary') {
		const binaryPropertyName = forItem(this, itemIndex, () =>
			requiredText(
				'binaryPropertyName',
				trimmedValue(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')),
				BINARY_PROPERTY_NAME_MAX,
			),
		);
		// Check the rest of the message first, so a bad caption does not leave an orphaned upload.
		forItem(this, itemIndex, () =>
			buildMessage(envelope, buildMediaContent({ ...input, id: 'pending' })),
		);
		const uploaded = await uploadBinary(this, itemIndex, phoneNumberId, kind, binaryPropertyName);
		input.id = uploaded.mediaId;
		if (kind === 'document' && !input.filename && uploaded.fileName) {
			input.filename = uploaded.fileName;
		}
		extraOutput.mediaId = uploaded.mediaId;
	} else {
		throw new NodeOperationError(this.getNode(), `Unknown media source ${showValue(source)}`, {
			itemIndex,
		});
	}

	const message = forItem(this, itemIndex, () => buildMessage(envelope, buildMediaContent(input)));
	return {
		phoneNumberId,
		payload: message as IDataObject,
		...(Object.keys(extraOutput).length ? { extraOutput } : {}),
		...(fallback ? { fallback } : {}),
	};
}

export const operation: SendOperation = {
	kind: 'send',
	option: {
		name: 'Send Media',
		value: 'sendMedia',
		description: 'Send an image, video, audio, voice note, document or sticker',
		action: 'Send media',
	},
	properties: fields,
	build,
};
