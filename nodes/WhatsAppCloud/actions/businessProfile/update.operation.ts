import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { ProfileUpdateFields, ProfileVertical } from '../../helpers/account/profile';
import {
	PROFILE_ABOUT_MAX,
	PROFILE_ADDRESS_MAX,
	PROFILE_DESCRIPTION_MAX,
	PROFILE_EMAIL_MAX,
	PROFILE_VERTICALS,
	PROFILE_WEBSITE_MAX,
	PROFILE_WEBSITES_MAX,
	PROFILE_NO_VERTICAL,
	buildBusinessProfileUpdate,
	profileUpdateFromFields,
} from '../../helpers/account/profile';
import { checkMediaFile, extensionForMime } from '../../helpers/media';
import { requireAppId, updateBusinessProfile, uploadResumable } from '../../transport/account';
import { forItem } from '../errors';
import type { ItemOperation } from '../node.type';
import { readPhoneNumberId } from '../parameters';
import { businessNumberField } from '../user/fields';

/** Meta's industry names as the profile screen shows them. */
const VERTICAL_NAMES: Record<ProfileVertical, string> = {
	ALCOHOL: 'Alcoholic Beverages',
	APPAREL: 'Clothing and Apparel',
	AUTO: 'Automotive',
	BEAUTY: 'Beauty, Spa and Salon',
	EDU: 'Education',
	ENTERTAIN: 'Entertainment',
	EVENT_PLAN: 'Event Planning and Service',
	FINANCE: 'Finance and Banking',
	GOVT: 'Public Service',
	GROCERY: 'Food and Grocery',
	HEALTH: 'Medical and Health',
	HOTEL: 'Hotel and Lodging',
	NONPROFIT: 'Non-Profit',
	ONLINE_GAMBLING: 'Online Gambling and Gaming',
	OTC_DRUGS: 'Over-the-Counter Drugs',
	OTHER: 'Other',
	PHYSICAL_GAMBLING: 'Non-Online Gambling and Gaming',
	PROF_SERVICES: 'Professional Services',
	RESTAURANT: 'Restaurant',
	RETAIL: 'Shopping and Retail',
	TRAVEL: 'Travel and Transportation',
};

const fields: INodeProperties[] = [
	businessNumberField('The business phone number whose profile to change'),
	{
		displayName: 'Update Fields',
		name: 'profileUpdate',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'Only the fields added here change; an added field left empty clears it (except About)',
		options: [
			{
				displayName: 'About',
				name: 'about',
				type: 'string',
				default: '',
				description: `The profile's status line, 1 to ${PROFILE_ABOUT_MAX} characters (no formatting)`,
			},
			{
				displayName: 'Address',
				name: 'address',
				type: 'string',
				default: '',
				description: `Up to ${PROFILE_ADDRESS_MAX} characters`,
			},
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: `Up to ${PROFILE_DESCRIPTION_MAX} characters`,
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: `Contact email address, up to ${PROFILE_EMAIL_MAX} characters`,
			},
			{
				displayName: 'Industry',
				name: 'vertical',
				type: 'options',
				default: 'OTHER',
				options: [
					...PROFILE_VERTICALS.map((value) => ({ name: VERTICAL_NAMES[value], value })),
					{ name: 'None (Clear It)', value: PROFILE_NO_VERTICAL },
				].sort((a, b) => a.name.localeCompare(b.name)),
				description: "The business's industry (Meta's vertical)",
			},
			{
				displayName: 'Profile Photo (Input Binary Field)',
				name: 'profilePhotoBinaryField',
				type: 'string',
				default: 'data',
				description:
					"The binary field of the input item that holds the new profile photo (JPEG or PNG, up to 5 MB). It is uploaded through Meta's Resumable Upload API, which needs the credential's App ID.",
			},
			{
				displayName: 'Websites',
				name: 'websites',
				type: 'string',
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Website' },
				default: [],
				placeholder: 'e.g. https://example.com',
				description: `Up to ${PROFILE_WEBSITES_MAX} http(s) URLs of up to ${PROFILE_WEBSITE_MAX} characters; they replace the current ones`,
			},
		],
	},
];

/** Uploads the photo of `binaryField` and returns Meta's handle for it. */
async function uploadProfilePhoto(
	context: IExecuteFunctions,
	binaryField: string,
	itemIndex: number,
): Promise<string> {
	const binary = context.helpers.assertBinaryData(itemIndex, binaryField);
	const data = await context.helpers.getBinaryDataBuffer(itemIndex, binaryField);
	const mimeType = forItem(context, itemIndex, () =>
		checkMediaFile('image', binary.mimeType ?? '', data.length, `Profile Photo "${binaryField}"`),
	);
	const appId = await requireAppId.call(context, itemIndex);
	const fileName = binary.fileName || `profile.${extensionForMime(mimeType)}`;
	return await uploadResumable.call(context, appId, { data, mimeType, fileName }, itemIndex);
}

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = readPhoneNumberId(this, itemIndex, 'Phone Number');
	const given = this.getNodeParameter('profileUpdate', itemIndex, {}) as ProfileUpdateFields;
	const input = profileUpdateFromFields(given);
	const withPhoto = given.profilePhotoBinaryField !== undefined;
	// The fields are checked before the photo is uploaded, so a bad field costs no upload.
	if (!withPhoto || Object.values(input).some((value) => value !== undefined)) {
		forItem(this, itemIndex, () => buildBusinessProfileUpdate(input));
	}
	if (withPhoto) {
		const binaryField = String(given.profilePhotoBinaryField).trim() || 'data';
		input.profilePictureHandle = await uploadProfilePhoto(this, binaryField, itemIndex);
	}
	const update = forItem(this, itemIndex, () => buildBusinessProfileUpdate(input));
	const success = await updateBusinessProfile.call(this, phoneNumberId, update, itemIndex);
	const changes: IDataObject = { ...update };
	delete changes.messaging_product;
	return [{ json: { success, phoneNumberId, changes } }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Update',
		value: 'update',
		description: "Change the number's business profile, including its photo from binary data",
		action: 'Update the business profile',
	},
	properties: fields,
	execute,
};
