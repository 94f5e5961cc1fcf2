import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { buildQrCodeUpdate } from '../../helpers/account/qrCode';
import { updateQrCode } from '../../transport/account';
import { forItem } from '../errors';
import type { ItemOperation } from '../node.type';
import { readPhoneNumberId } from '../parameters';
import { prefilledMessageField, qrCodeIdField, qrNumberField, readQrCodeId } from './fields';

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = readPhoneNumberId(this, itemIndex, 'Phone Number');
	const code = readQrCodeId(this, itemIndex);
	const request = forItem(this, itemIndex, () =>
		buildQrCodeUpdate({
			code,
			prefilledMessage: this.getNodeParameter('prefilledMessage', itemIndex, '') as string,
		}),
	);
	const qrCode = await updateQrCode.call(this, phoneNumberId, request, itemIndex);
	return [{ json: { phoneNumberId, ...qrCode } }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Update',
		value: 'update',
		description: "Change a QR code's prefilled message; its code, link and image stay the same",
		action: 'Update a QR code',
	},
	properties: [qrNumberField, qrCodeIdField, prefilledMessageField],
	execute,
};
