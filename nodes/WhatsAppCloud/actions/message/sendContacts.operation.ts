import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { phoneNumberIdField, recipientField, sendOptions } from '../../descriptions/common';
import { CONTACTS_MAX } from '../../helpers/limits';
import { parseJsonParameter } from '../../helpers/check';
import type { ContactInput } from '../../helpers/payloads/contacts';
import { buildContactsContent } from '../../helpers/payloads/contacts';
import { buildMessage } from '../../helpers/payloads/envelope';
import type { MessageSend } from '../../transport/sender';
import type { SendOperation } from '../node.type';
import { forItem } from '../errors';
import { readEnvelope } from './envelope';

const homeWorkOptions = [
	{ name: 'Home', value: 'HOME' },
	{ name: 'None', value: 'none' },
	{ name: 'Work', value: 'WORK' },
];

const contactValues: INodeProperties[] = [
	{
		displayName: 'Birthday',
		name: 'birthday',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1990-04-23',
		description: 'Date of birth as YYYY-MM-DD; optional',
	},
	{
		displayName: 'Company',
		name: 'company',
		type: 'string',
		default: '',
		description: 'Organization name; optional',
	},
	{
		displayName: 'Department',
		name: 'department',
		type: 'string',
		default: '',
		description: 'Department in the organization; optional',
	},
	{
		displayName: 'Emails',
		name: 'emails',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Email',
		default: {},
		options: [
			{
				displayName: 'Email',
				name: 'email',
				values: [
					{
						displayName: 'Email',
						name: 'email',
						type: 'string',
						placeholder: 'name@email.com',
						default: '',
						required: true,
						description: 'Email address',
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: homeWorkOptions,
						default: 'none',
						description: 'Label of the address',
					},
				],
			},
		],
	},
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		default: '',
		description: 'Given name; a first or last name is required',
	},
	{
		displayName: 'Formatted Name',
		name: 'formattedName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Ana Silva',
		description: 'The full name as shown on the contact card',
	},
	{
		displayName: 'Job Title',
		name: 'jobTitle',
		type: 'string',
		default: '',
		description: 'Title in the organization; optional',
	},
	{
		displayName: 'Last Name',
		name: 'lastName',
		type: 'string',
		default: '',
		description: 'Family name; a first or last name is required',
	},
	{
		displayName: 'Phones',
		name: 'phones',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Phone',
		default: {},
		options: [
			{
				displayName: 'Phone',
				name: 'phone',
				values: [
					{
						displayName: 'Phone',
						name: 'phone',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. +1 650 555 1234',
						description: 'Phone number as it should appear',
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: [
							{ name: 'Cell', value: 'CELL' },
							{ name: 'Home', value: 'HOME' },
							{ name: 'iPhone', value: 'IPHONE' },
							{ name: 'Main', value: 'MAIN' },
							{ name: 'None', value: 'none' },
							{ name: 'Work', value: 'WORK' },
						],
						default: 'CELL',
						description: 'Label of the number',
					},
					{
						displayName: 'WhatsApp ID',
						name: 'waId',
						type: 'string',
						default: '',
						placeholder: 'e.g. 16505551234',
						description:
							'The WhatsApp ID (digits) of this number; when given, the card shows "Message" and "Add contact" buttons',
					},
				],
			},
		],
	},
	{
		displayName: 'URLs',
		name: 'urls',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add URL',
		default: {},
		options: [
			{
				displayName: 'URL',
				name: 'url',
				values: [
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: homeWorkOptions,
						default: 'none',
						description: 'Label of the URL',
					},
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. https://example.com',
						description: 'An http(s) URL',
					},
				],
			},
		],
	},
];

const fields: INodeProperties[] = [
	phoneNumberIdField,
	recipientField,
	{
		displayName: 'Define Contacts',
		name: 'contactsInput',
		type: 'options',
		noDataExpression: true,
		default: 'fields',
		options: [
			{ name: 'Using Fields', value: 'fields' },
			{ name: 'Using JSON', value: 'json' },
		],
		description:
			"Whether to enter the contacts below, or give them as JSON in Meta's contact format",
	},
	{
		displayName: 'Contacts',
		name: 'contactCards',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Contact',
		default: {},
		description: `1 to ${CONTACTS_MAX} contact cards (fewer is better)`,
		displayOptions: { show: { contactsInput: ['fields'] } },
		options: [{ displayName: 'Contact', name: 'contact', values: contactValues }],
	},
	{
		displayName: 'Contacts (JSON)',
		name: 'contactsJson',
		type: 'json',
		default:
			'[\n  {\n    "name": { "formatted_name": "Ana Silva", "first_name": "Ana", "last_name": "Silva" },\n    "phones": [{ "phone": "+1 650 555 1234", "type": "CELL", "wa_id": "16505551234" }]\n  }\n]',
		required: true,
		description:
			"An array of contacts in Meta's format: name {formatted_name, first_name, last_name, …}, phones, emails, URLs, addresses, org, birthday (keys as Meta names them)",
		displayOptions: { show: { contactsInput: ['json'] } },
	},
	sendOptions(),
];

type ContactFields = {
	formattedName?: string;
	firstName?: string;
	lastName?: string;
	birthday?: string;
	company?: string;
	department?: string;
	jobTitle?: string;
	phones?: { phone?: Array<{ phone?: string; type?: string; waId?: string }> };
	emails?: { email?: Array<{ email?: string; type?: string }> };
	urls?: { url?: Array<{ url?: string; type?: string }> };
};

function label<T extends string>(type: string | undefined): T | undefined {
	return type && type !== 'none' ? (type as T) : undefined;
}

function definedOnly<T extends object>(value: T): T {
	return Object.fromEntries(
		Object.entries(value).filter(([, v]) => v !== undefined && v !== ''),
	) as T;
}

/** The UI's fields in Meta's contact shape; the builder checks them. */
function contactFromFields(contact: ContactFields): ContactInput {
	const org = definedOnly({
		company: contact.company?.trim(),
		department: contact.department?.trim(),
		title: contact.jobTitle?.trim(),
	});
	return definedOnly({
		name: definedOnly({
			formatted_name: contact.formattedName?.trim() ?? '',
			first_name: contact.firstName?.trim(),
			last_name: contact.lastName?.trim(),
		}),
		phones: (contact.phones?.phone ?? []).map((phone) =>
			definedOnly({
				phone: phone.phone?.trim() ?? '',
				type: label(phone.type),
				wa_id: phone.waId?.trim(),
			}),
		),
		emails: (contact.emails?.email ?? []).map((email) =>
			definedOnly({ email: email.email?.trim() ?? '', type: label(email.type) }),
		),
		urls: (contact.urls?.url ?? []).map((url) =>
			definedOnly({ url: url.url?.trim() ?? '', type: label(url.type) }),
		),
		org: Object.keys(org).length ? org : undefined,
		birthday: contact.birthday?.trim(),
	}) as ContactInput;
}

async function build(this: IExecuteFunctions, itemIndex: number): Promise<MessageSend> {
	const { phoneNumberId, envelope } = readEnvelope(this, itemIndex);
	const mode = this.getNodeParameter('contactsInput', itemIndex, 'fields') as string;
	let contacts: ContactInput[];
	if (mode === 'json') {
		const raw = this.getNodeParameter('contactsJson', itemIndex, '[]');
		contacts = forItem(this, itemIndex, () => {
			const parsed = parseJsonParameter('contactsJson', raw);
			// One contact object is taken as a list of one.
			return (
				parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? [parsed] : parsed
			) as ContactInput[];
		});
	} else {
		const cards = this.getNodeParameter('contactCards', itemIndex, {}) as {
			contact?: ContactFields[];
		};
		contacts = (cards.contact ?? []).map(contactFromFields);
	}
	const message = forItem(this, itemIndex, () =>
		buildMessage(envelope, buildContactsContent(contacts)),
	);
	return { phoneNumberId, payload: message as IDataObject };
}

export const operation: SendOperation = {
	kind: 'send',
	option: {
		name: 'Send Contacts',
		value: 'sendContacts',
		description: 'Send one or more contact cards',
		action: 'Send contacts',
	},
	properties: fields,
	build,
};
