import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { deleteQrCode } from '../../transport/account';
import type { ItemOperation } from '../node.type';
import { readPhoneNumberId } from '../parameters';
import { qrCodeIdField, qrNumberField, readQrCodeId } from './fields';

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = readPhoneNumberId(this, itemIndex, 'Phone Number');
	const code = readQrCodeId(this, itemIndex);
	const success = await deleteQrCode.call(this, phoneNumberId, code, itemIndex);
	return [{ json: { success, phoneNumberId, code } }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Delete',
		value: 'delete',
		description: 'Delete a QR code; its printed image and link stop opening the chat',
		action: 'Delete a QR code',
	},
	properties: [qrNumberField, qrCodeIdField],
	execute,
};
