import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { deleteMedia } from '../../transport/media';
import type { ItemOperation } from '../node.type';
import {
	mediaIdField,
	ownerPhoneNumberIdOption,
	readMediaId,
	readOwnerPhoneNumberId,
} from './fields';

const fields: INodeProperties[] = [
	{
		...mediaIdField,
		description:
			"The ID of uploaded media to delete from Meta's servers; messages already sent with it keep their copy",
	},
	{
		displayName: 'Options',
		name: 'deleteOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [ownerPhoneNumberIdOption],
	},
];

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const mediaId = readMediaId.call(this, itemIndex);
	const options = this.getNodeParameter('deleteOptions', itemIndex, {}) as {
		phoneNumberId?: string;
	};
	const ownerPhoneNumberId = readOwnerPhoneNumberId.call(this, options, itemIndex);
	const success = await deleteMedia.call(this, mediaId, itemIndex, ownerPhoneNumberId);
	return [{ json: { success, mediaId } }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Delete',
		value: 'delete',
		description: 'Delete an uploaded media file',
		action: 'Delete media',
	},
	properties: fields,
	execute,
};
