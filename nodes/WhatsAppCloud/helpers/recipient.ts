import { describeKind, PayloadError, quoteInput } from './errors';

/** Where a message goes: a phone number (`to`) or a business-scoped user ID (`recipient`). */
export type ClientRecipient = { to: string } | { recipient: string };

/** BSUID: ISO country code, a dot, then up to 128 alphanumerics (parent IDs contain `.ENT.`). */
const BSUID = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/;

/**
 * Accepts `+1 (650) 555-1234`, `0049 151 …`, `whatsapp:+49…`, a wa_id (text or a number), or a
 * BSUID. Meta wants E.164 digits without `+`; anything that is not 7–15 digits once cleaned is
 * refused. Errors quote at most the start of the input.
 */
export function normalizeRecipient(input: unknown, field = 'recipient'): ClientRecipient {
	if (
		input !== undefined &&
		input !== null &&
		typeof input !== 'string' &&
		typeof input !== 'number' &&
		typeof input !== 'bigint'
	) {
		throw new PayloadError(
			`The ${field} is ${describeKind(input)}: give a phone number or a business-scoped user ID as text`,
			{ field, limit: 'text or a number', actual: describeKind(input) },
		);
	}
	const raw = String(input ?? '').trim();
	if (raw === '') {
		throw new PayloadError(
			`The ${field} is empty: give a phone number or a business-scoped user ID`,
			{
				field,
				limit: 'a phone number in international format or a business-scoped user ID',
				actual: 'empty',
			},
		);
	}
	if (BSUID.test(raw)) return { recipient: raw };
	let phone = raw.replace(/^whatsapp:/i, '');
	if (/[^\d\s+().\-/]/.test(phone)) {
		throw new PayloadError(
			`The ${field} ${quoteInput(raw)} is not a phone number: only digits, spaces, +, -, ( ), . and / are allowed`,
			{ field, limit: 'digits with optional + - ( ) . / and spaces', actual: quoteInput(raw) },
		);
	}
	phone = phone.replace(/[\s().\-/]/g, '');
	if (phone.startsWith('00')) phone = phone.slice(2);
	phone = phone.replace(/^\+/, '');
	if (!/^\d{7,15}$/.test(phone)) {
		throw new PayloadError(
			`The ${field} ${quoteInput(raw)} has ${phone.replace(/\D/g, '').length} digits: a phone number in international format (country code first) has 7 to 15`,
			{
				field,
				limit: '7 to 15 digits including the country code',
				actual: `${phone.length} characters`,
			},
		);
	}
	return { to: phone };
}
