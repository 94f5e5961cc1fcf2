import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getQrCode } from '../../transport/account';
import type { ItemOperation } from '../node.type';
import { readPhoneNumberId } from '../parameters';
import {
	imageFieldName,
	optionalImageFormatField,
	qrCodeIdField,
	qrCodeItem,
	qrNumberField,
	readImageChoice,
	readQrCodeId,
} from './fields';

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = readPhoneNumberId(this, itemIndex, 'Phone Number');
	const code = readQrCodeId(this, itemIndex);
	const { format, binaryPropertyName } = readImageChoice(this, itemIndex);
	const qrCode = await getQrCode.call(this, phoneNumberId, code, format, itemIndex);
	if (!qrCode) {
		throw new NodeOperationError(this.getNode(), `QR code ${code} was not found`, {
			itemIndex,
			description: `Phone number ${phoneNumberId} has no QR code with this ID; List shows the ones it has.`,
		});
	}
	return [
		await qrCodeItem(
			this,
			phoneNumberId,
			qrCode,
			itemIndex,
			format ? { binaryPropertyName } : undefined,
		),
	];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Get',
		value: 'get',
		description: 'Get a QR code, optionally with its image as binary data',
		action: 'Get a QR code',
	},
	properties: [
		qrNumberField,
		qrCodeIdField,
		optionalImageFormatField,
		{ ...imageFieldName, displayOptions: { hide: { imageFormat: ['none'] } } },
	],
	execute,
};
