import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { returnAllOrLimit } from '../../descriptions/common';
import { listQrCodes } from '../../transport/account';
import { collectPages } from '../../transport/paging';
import type { ItemOperation } from '../node.type';
import { readPhoneNumberId } from '../parameters';
import { optionalImageFormatField, qrNumberField, readImageChoice } from './fields';

/** Meta states no page size for QR codes; 100 keeps each call small (a number holds up to 2,000). */
const PAGE_SIZE = 100;

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = readPhoneNumberId(this, itemIndex, 'Phone Number');
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const { format } = readImageChoice(this, itemIndex);
	const codes = await collectPages(
		(page) => listQrCodes.call(this, phoneNumberId, { ...page, format }, itemIndex),
		limit,
		PAGE_SIZE,
	);
	return codes.map((qrCode) => ({ json: { phoneNumberId, ...qrCode } }));
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'List',
		value: 'list',
		description: "List the number's QR codes",
		action: 'List QR codes',
	},
	properties: [
		qrNumberField,
		...returnAllOrLimit(),
		{
			...optionalImageFormatField,
			description:
				'Whether each QR code carries an image URL in this format (short-lived; Get downloads the image itself)',
		},
	],
	execute,
};
