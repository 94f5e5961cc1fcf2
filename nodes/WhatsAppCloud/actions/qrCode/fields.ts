import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { QrCode, QrImageFormat } from '../../helpers/account/qrCode';
import { QR_PREFILLED_MESSAGE_MAX, qrCodeId } from '../../helpers/account/qrCode';
import { downloadQrImage } from '../../transport/account';
import { forItem } from '../errors';
import { businessNumberField } from '../user/fields';

export const qrNumberField = businessNumberField(
	'The business phone number the QR code opens a chat with',
);

export const qrCodeIdField: INodeProperties = {
	displayName: 'QR Code ID',
	name: 'qrCode',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. ANOVZ6RINRD7G1',
	description: 'The code of the QR code (the last part of its wa.me/message/… link)',
};

export const prefilledMessageField: INodeProperties = {
	displayName: 'Prefilled Message',
	name: 'prefilledMessage',
	type: 'string',
	typeOptions: { rows: 2 },
	default: '',
	required: true,
	placeholder: 'e.g. Hi! I would like to know more about the summer offer',
	description: `The message the customer's chat opens with, 1 to ${QR_PREFILLED_MESSAGE_MAX} characters (they can edit it before sending)`,
};

export const imageFieldName: INodeProperties = {
	displayName: 'Put Image in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	hint: 'The name of the output binary field to put the QR image in',
	description: 'The binary field of the output item that receives the QR code image',
};

export const imageFormatField: INodeProperties = {
	displayName: 'Image Format',
	name: 'imageFormat',
	type: 'options',
	default: 'PNG',
	options: [
		{ name: 'PNG', value: 'PNG' },
		{ name: 'SVG', value: 'SVG' },
	],
	description: 'The format of the QR code image',
};

/** For reads: the image is optional there. */
export const optionalImageFormatField: INodeProperties = {
	displayName: 'Image Format',
	name: 'imageFormat',
	type: 'options',
	default: 'none',
	options: [
		{ name: 'No Image', value: 'none' },
		{ name: 'PNG', value: 'PNG' },
		{ name: 'SVG', value: 'SVG' },
	],
	description: 'Whether to get the QR code image too, and in which format',
};

export function readQrCodeId(context: IExecuteFunctions, itemIndex: number): string {
	return forItem(context, itemIndex, () =>
		qrCodeId(String(context.getNodeParameter('qrCode', itemIndex, '')).trim()),
	);
}

/** A QR code as its output item: Graph's fields, and the image as binary when asked for. */
export async function qrCodeItem(
	context: IExecuteFunctions,
	phoneNumberId: string,
	qrCode: QrCode,
	itemIndex: number,
	image?: { binaryPropertyName: string },
): Promise<INodeExecutionData> {
	const item: INodeExecutionData = { json: { phoneNumberId, ...(qrCode as IDataObject) } };
	if (!image) return item;
	const file = await downloadQrImage.call(context, qrCode, itemIndex);
	const binary = await context.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
	binary.mimeType = file.mimeType;
	binary.fileName = file.fileName;
	item.binary = { [image.binaryPropertyName]: binary };
	return item;
}

/** The image format chosen (undefined for none) and the binary field for it. */
export function readImageChoice(
	context: IExecuteFunctions,
	itemIndex: number,
): { format?: QrImageFormat; binaryPropertyName: string } {
	const format = context.getNodeParameter('imageFormat', itemIndex, 'none') as string;
	const binaryPropertyName =
		String(context.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim() || 'data';
	return { format: format === 'none' ? undefined : (format as QrImageFormat), binaryPropertyName };
}
