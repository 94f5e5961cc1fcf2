/**
 * `POST /{phone-number-id}/whatsapp_business_profile`: a partial update, each field's limit checked.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/business-profiles
 */
import { PayloadError, quoteInput } from '../errors';
import {
	checkCount,
	describeType,
	httpUrl,
	isPlainObject,
	oneOf,
	requiredList,
	requiredObject,
	requiredText,
	requiredToken,
} from '../check';
import { checkLength } from '../text';

export const PROFILE_ABOUT_MAX = 139;
export const PROFILE_ADDRESS_MAX = 256;
export const PROFILE_DESCRIPTION_MAX = 512;
export const PROFILE_EMAIL_MAX = 128;
export const PROFILE_WEBSITES_MAX = 2;
export const PROFILE_WEBSITE_MAX = 256;

/** Meta's industry values; `''` clears the vertical. */
export const PROFILE_VERTICALS = [
	'ALCOHOL',
	'APPAREL',
	'AUTO',
	'BEAUTY',
	'EDU',
	'ENTERTAIN',
	'EVENT_PLAN',
	'FINANCE',
	'GOVT',
	'GROCERY',
	'HEALTH',
	'HOTEL',
	'NONPROFIT',
	'ONLINE_GAMBLING',
	'OTC_DRUGS',
	'OTHER',
	'PHYSICAL_GAMBLING',
	'PROF_SERVICES',
	'RESTAURANT',
	'RETAIL',
	'TRAVEL',
] as const;

export type ProfileVertical = (typeof PROFILE_VERTICALS)[number];

/** The fields Graph returns for a profile read. */
export const BUSINESS_PROFILE_FIELDS = [
	'about',
	'address',
	'description',
	'email',
	'profile_picture_url',
	'websites',
	'vertical',
] as const;

/**
 * What to change. Absent (undefined/null) leaves a field as it is; an empty string or list clears
 * it, except `about`, which Meta never accepts empty.
 */
export type BusinessProfileUpdateInput = {
	about?: string;
	address?: string;
	description?: string;
	email?: string;
	websites?: string[];
	vertical?: ProfileVertical | '';
	/** A handle from the Resumable Upload API (`uploadResumable` in transport/account.ts). */
	profilePictureHandle?: string;
};

export type BusinessProfileUpdate = {
	messaging_product: 'whatsapp';
	about?: string;
	address?: string;
	description?: string;
	email?: string;
	websites?: string[];
	vertical?: ProfileVertical | '';
	profile_picture_handle?: string;
};

/** Graph's answer to a profile read, one entry per number. */
export type BusinessProfile = {
	about?: string;
	address?: string;
	description?: string;
	email?: string;
	profile_picture_url?: string;
	websites?: string[];
	vertical?: string;
	messaging_product?: 'whatsapp';
};

/** Deliberately simple: one @, no spaces, a dot in the domain. Meta only says "valid email format". */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const given = (value: unknown) => value !== undefined && value !== null;

/** Text that may be cleared with '': checked for type and length, never trimmed away. */
function clearableText(field: string, value: unknown, max: number): string {
	if (typeof value !== 'string') {
		throw new PayloadError(`${field} must be text; it is ${describeType(value)}`, {
			field,
			limit: 'text',
			actual: describeType(value),
		});
	}
	return checkLength(field, value, max);
}

export function buildBusinessProfileUpdate(
	input: BusinessProfileUpdateInput,
): BusinessProfileUpdate {
	const fields = requiredObject('profile', input);
	const update: BusinessProfileUpdate = { messaging_product: 'whatsapp' };
	if (given(fields.about)) update.about = requiredText('about', fields.about, PROFILE_ABOUT_MAX);
	if (given(fields.address))
		update.address = clearableText('address', fields.address, PROFILE_ADDRESS_MAX);
	if (given(fields.description))
		update.description = clearableText('description', fields.description, PROFILE_DESCRIPTION_MAX);
	if (given(fields.email)) {
		const email = clearableText('email', fields.email, PROFILE_EMAIL_MAX);
		if (email !== '' && !EMAIL.test(email)) {
			throw new PayloadError(`email must be an email address; ${quoteInput(email)} is not`, {
				field: 'email',
				limit: 'an email address',
				actual: 'not an email address',
			});
		}
		update.email = email;
	}
	if (given(fields.websites)) {
		const list = requiredList('websites', fields.websites);
		checkCount('websites', list.length, 0, PROFILE_WEBSITES_MAX, 'websites');
		update.websites = list.map((website, index) => {
			const field = `websites[${index}]`;
			return checkLength(field, httpUrl(field, website), PROFILE_WEBSITE_MAX);
		});
	}
	if (given(fields.vertical)) {
		update.vertical =
			fields.vertical === '' ? '' : oneOf('vertical', fields.vertical, PROFILE_VERTICALS);
	}
	if (given(fields.profilePictureHandle)) {
		update.profile_picture_handle = requiredToken(
			'profilePictureHandle',
			fields.profilePictureHandle,
			'an upload handle',
		);
	}
	if (Object.keys(update).length === 1) {
		throw new PayloadError('The profile update changes nothing: give at least one field', {
			field: 'profile',
			limit: 'at least one field',
			actual: 'no fields',
		});
	}
	return update;
}

/** The first profile of Graph's `{data:[…]}` answer (one per number), or an empty profile. */
export function profileFromResponse(response: unknown): BusinessProfile {
	const data = isPlainObject(response) && Array.isArray(response.data) ? response.data : [];
	return isPlainObject(data[0]) ? (data[0] as BusinessProfile) : {};
}

// ── From the node's parameters ──────────────────────────────────────────────────────────────────

/** The Industry option that clears the vertical (Meta's empty string). */
export const PROFILE_NO_VERTICAL = 'NONE';

/** The Update Fields collection as n8n hands it over; absent fields are left as they are. */
export type ProfileUpdateFields = {
	about?: unknown;
	address?: unknown;
	description?: unknown;
	email?: unknown;
	vertical?: unknown;
	websites?: unknown;
	profilePhotoBinaryField?: unknown;
};

/** Websites from the field (a list) or an expression (a list, or text separated by commas). */
function websitesFrom(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	return value
		.split(/[\s,]+/)
		.map((site) => site.trim())
		.filter((site) => site !== '');
}

/** The builder's input from the collection (the photo's handle is added after its upload). */
export function profileUpdateFromFields(given: ProfileUpdateFields): BusinessProfileUpdateInput {
	const fields = isPlainObject(given) ? given : {};
	return {
		about: fields.about,
		address: fields.address,
		description: fields.description,
		email: fields.email,
		websites: fields.websites === undefined ? undefined : websitesFrom(fields.websites),
		vertical:
			fields.vertical === undefined
				? undefined
				: fields.vertical === PROFILE_NO_VERTICAL
					? ''
					: fields.vertical,
	} as BusinessProfileUpdateInput;
}
