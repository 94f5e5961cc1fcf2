import { defineResource } from '../resource';
import * as create from './create.operation';
import * as deleteQrCode from './delete.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as update from './update.operation';

export const qrCode = defineResource({
	name: 'QR Code',
	value: 'qrCode',
	defaultOperation: 'create',
	operations: [
		create.operation,
		deleteQrCode.operation,
		get.operation,
		list.operation,
		update.operation,
	],
});
