import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { buildQrCodeCreate } from '../../helpers/account/qrCode';
import { createQrCode } from '../../transport/account';
import { forItem } from '../errors';
import type { ItemOperation } from '../node.type';
import { readPhoneNumberId } from '../parameters';
import {
	imageFieldName,
	imageFormatField,
	prefilledMessageField,
	qrCodeItem,
	qrNumberField,
	readImageChoice,
} from './fields';

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = readPhoneNumberId(this, itemIndex, 'Phone Number');
	const { format, binaryPropertyName } = readImageChoice(this, itemIndex);
	const request = forItem(this, itemIndex, () =>
		buildQrCodeCreate({
			prefilledMessage: this.getNodeParameter('prefilledMessage', itemIndex, '') as string,
			imageFormat: format ?? 'PNG',
		}),
	);
	const qrCode = await createQrCode.call(this, phoneNumberId, request, itemIndex);
	// Meta's image URL is short-lived: the image is fetched right away.
	return [await qrCodeItem(this, phoneNumberId, qrCode, itemIndex, { binaryPropertyName })];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Create',
		value: 'create',
		description:
			'Create a QR code and wa.me link that open a chat with a prefilled message; the image comes as binary data',
		action: 'Create a QR code',
	},
	properties: [qrNumberField, prefilledMessageField, imageFormatField, imageFieldName],
	execute,
};
