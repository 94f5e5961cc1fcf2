import { PayloadError, quoteInput } from '../errors';
import { CONTACTS_MAX, CONTACTS_MIN } from '../limits';
import type {
	ClientContact,
	ClientContactAddress,
	ClientContactEmail,
	ClientContactName,
	ClientContactOrg,
	ClientContactPhone,
	ClientContactPhoneType,
	ClientContactsContent,
	ClientContactUrl,
} from '../types/client';
import {
	checkCount,
	httpUrl,
	oneOf,
	optionalText,
	requiredList,
	requiredObject,
	requiredText,
} from '../check';

/**
 * Contacts in Meta's own shape (`name.formatted_name`, `phones[]`, …), from fields or from JSON.
 * Unknown keys are dropped; known ones are checked.
 */
export type ContactInput = {
	name: Partial<ClientContactName>;
	phones?: Array<Partial<ClientContactPhone>>;
	emails?: Array<Partial<ClientContactEmail>>;
	urls?: Array<Partial<ClientContactUrl>>;
	addresses?: Array<Partial<ClientContactAddress>>;
	org?: Partial<ClientContactOrg>;
	birthday?: string;
};

export const CONTACT_PHONE_TYPES: readonly ClientContactPhoneType[] = [
	'CELL',
	'MAIN',
	'IPHONE',
	'HOME',
	'WORK',
];
const HOME_WORK = ['HOME', 'WORK'] as const;

/** Meta sets no lengths on contact fields; this cap only stops runaway values. */
const FIELD_MAX = 1000;

const NAME_PARTS = ['first_name', 'last_name', 'middle_name', 'prefix', 'suffix'] as const;

function optionalType<T extends string>(
	field: string,
	value: unknown,
	allowed: readonly T[],
): T | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return oneOf(field, typeof value === 'string' ? value.toUpperCase() : value, allowed);
}

function optionalList(field: string, value: unknown): unknown[] {
	if (value === undefined || value === null) return [];
	return requiredList(field, value);
}

function buildName(field: string, value: unknown): ClientContactName {
	const input = requiredObject(field, value);
	const name: ClientContactName = {
		formatted_name: requiredText(`${field}.formatted_name`, input.formatted_name, FIELD_MAX),
	};
	for (const part of NAME_PARTS) {
		const text = optionalText(`${field}.${part}`, input[part], FIELD_MAX);
		if (text !== undefined) name[part] = text;
	}
	// Meta's docs want at least one name part besides formatted_name; not a documented hard limit, so we
	// enforce it (safe side) rather than let Meta reject the message.
	if (!NAME_PARTS.some((part) => name[part] !== undefined)) {
		throw new PayloadError(
			`${field} needs a first_name, last_name, middle_name, prefix or suffix besides formatted_name`,
			{ field: `${field}.first_name`, limit: 'at least one name part', actual: 'none' },
		);
	}
	return name;
}

function buildPhone(field: string, value: unknown): ClientContactPhone {
	const input = requiredObject(field, value);
	const phone: ClientContactPhone = { phone: requiredText(`${field}.phone`, input.phone, 64) };
	const type = optionalType(`${field}.type`, input.type, CONTACT_PHONE_TYPES);
	if (type) phone.type = type;
	const waId = optionalText(`${field}.wa_id`, input.wa_id, 15);
	if (waId !== undefined) {
		if (!/^\d{7,15}$/.test(waId)) {
			throw new PayloadError(`${field}.wa_id must be the WhatsApp ID: 7 to 15 digits`, {
				field: `${field}.wa_id`,
				limit: '7 to 15 digits',
				actual: `${waId.length} characters`,
			});
		}
		phone.wa_id = waId;
	}
	return phone;
}

function buildEmail(field: string, value: unknown): ClientContactEmail {
	const input = requiredObject(field, value);
	const email = requiredText(`${field}.email`, input.email, 320);
	if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
		throw new PayloadError(`${field}.email must be an email address`, {
			field: `${field}.email`,
			limit: 'an email address',
			actual: 'no address form (name@domain)',
		});
	}
	const type = optionalType(`${field}.type`, input.type, HOME_WORK);
	return type ? { email, type } : { email };
}

function buildUrl(field: string, value: unknown): ClientContactUrl {
	const input = requiredObject(field, value);
	const url = httpUrl(`${field}.url`, input.url);
	const type = optionalType(`${field}.type`, input.type, HOME_WORK);
	return type ? { url, type } : { url };
}

const ADDRESS_PARTS = ['street', 'city', 'state', 'zip', 'country', 'country_code'] as const;

function buildAddress(field: string, value: unknown): ClientContactAddress {
	const input = requiredObject(field, value);
	const address: ClientContactAddress = {};
	for (const part of ADDRESS_PARTS) {
		const text = optionalText(`${field}.${part}`, input[part], FIELD_MAX);
		if (text !== undefined) address[part] = text;
	}
	const type = optionalType(`${field}.type`, input.type, HOME_WORK);
	if (type) address.type = type;
	return address;
}

function buildOrg(field: string, value: unknown): ClientContactOrg | undefined {
	if (value === undefined || value === null) return undefined;
	const input = requiredObject(field, value);
	const org: ClientContactOrg = {};
	for (const part of ['company', 'department', 'title'] as const) {
		const text = optionalText(`${field}.${part}`, input[part], FIELD_MAX);
		if (text !== undefined) org[part] = text;
	}
	return Object.keys(org).length ? org : undefined;
}

function buildBirthday(field: string, value: unknown): string | undefined {
	const text = optionalText(field, value, 10);
	if (text === undefined) return undefined;
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	const date = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : undefined;
	if (!match || !date || date.getUTCMonth() !== +match[2] - 1 || date.getUTCDate() !== +match[3]) {
		throw new PayloadError(
			`${field} must be a date written YYYY-MM-DD; it is ${quoteInput(text)}`,
			{
				field,
				limit: 'a date YYYY-MM-DD',
				actual: quoteInput(text),
			},
		);
	}
	return text;
}

function buildContact(index: number, value: unknown): ClientContact {
	const field = `contacts[${index}]`;
	const input = requiredObject(field, value);
	const contact: ClientContact = { name: buildName(`${field}.name`, input.name) };
	const phones = optionalList(`${field}.phones`, input.phones).map((item, i) =>
		buildPhone(`${field}.phones[${i}]`, item),
	);
	const emails = optionalList(`${field}.emails`, input.emails).map((item, i) =>
		buildEmail(`${field}.emails[${i}]`, item),
	);
	const urls = optionalList(`${field}.urls`, input.urls).map((item, i) =>
		buildUrl(`${field}.urls[${i}]`, item),
	);
	const addresses = optionalList(`${field}.addresses`, input.addresses).map((item, i) =>
		buildAddress(`${field}.addresses[${i}]`, item),
	);
	const org = buildOrg(`${field}.org`, input.org);
	const birthday = buildBirthday(`${field}.birthday`, input.birthday);
	if (phones.length) contact.phones = phones;
	if (emails.length) contact.emails = emails;
	if (urls.length) contact.urls = urls;
	if (addresses.length) contact.addresses = addresses;
	if (org) contact.org = org;
	if (birthday) contact.birthday = birthday;
	return contact;
}

export function buildContactsContent(contacts: ContactInput[]): ClientContactsContent {
	const list = requiredList('contacts', contacts);
	checkCount('contacts', list.length, CONTACTS_MIN, CONTACTS_MAX, 'contacts');
	return { type: 'contacts', contacts: list.map((item, index) => buildContact(index, item)) };
}
