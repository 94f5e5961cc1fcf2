import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { quoteInput } from '../../helpers/errors';

/** Shared by download, getUrl and delete. */
export const mediaIdField: INodeProperties = {
	displayName: 'Media ID',
	name: 'mediaId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 1013859600285441',
	description:
		'The ID of the media: returned by the Upload operation (valid 30 days) or found in an incoming message webhook, e.g. image.ID (valid 7 days)',
};

/** The optional ownership check Meta offers on media lookups. */
export const ownerPhoneNumberIdOption: INodeProperties = {
	displayName: 'Phone Number ID',
	name: 'phoneNumberId',
	type: 'string',
	default: '',
	placeholder: 'e.g. 106540352242922',
	description:
		'Only act on the media if it belongs to this business phone number ID (Meta answers with an error otherwise)',
};

/** The media ID, trimmed; a clear error for an empty or malformed one. */
export function readMediaId(this: IExecuteFunctions, itemIndex: number): string {
	const mediaId = String(this.getNodeParameter('mediaId', itemIndex, '')).trim();
	if (mediaId === '') {
		throw new NodeOperationError(this.getNode(), 'Media ID is empty', {
			itemIndex,
			description:
				'Give the ID returned by the Upload operation or the media ID of an incoming message.',
		});
	}
	if (/[\s/?#]/.test(mediaId)) {
		throw new NodeOperationError(
			this.getNode(),
			`Media ID ${quoteInput(mediaId)} is not a valid media ID`,
			{
				itemIndex,
				description: 'A media ID is a single token of digits, e.g. 1013859600285441.',
			},
		);
	}
	return mediaId;
}

/** The optional owner phone number ID from the options, trimmed (undefined when not set). */
export function readOwnerPhoneNumberId(
	this: IExecuteFunctions,
	options: { phoneNumberId?: string },
	itemIndex: number,
): string | undefined {
	const value = String(options.phoneNumberId ?? '').trim();
	if (value === '') return undefined;
	if (!/^\d+$/.test(value)) {
		throw new NodeOperationError(
			this.getNode(),
			`Phone Number ID ${quoteInput(value)} must have only digits`,
			{
				itemIndex,
			},
		);
	}
	return value;
}
