import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';
import { pickerBusinessAccountId } from '../transport/graph';
import type { GraphPhoneNumber } from '../transport/phoneNumbers';
import { listPhoneNumbers } from '../transport/phoneNumbers';

const PAGE_SIZE = 100;

/** "+1 555-078-3881 (Emulator Shop)", or the ID when Graph sent no display number. */
export function phoneNumberLabel(phoneNumber: GraphPhoneNumber): string {
	const display = phoneNumber.display_phone_number ?? phoneNumber.id;
	return phoneNumber.verified_name ? `${display} (${phoneNumber.verified_name})` : display;
}

/**
 * Whether a number matches the typed filter: its label, ID, or its digits (so "5550783" finds
 * "+1 555-078-3881").
 */
export function matchesPhoneNumberFilter(phoneNumber: GraphPhoneNumber, filter: string): boolean {
	const needle = filter.trim().toLowerCase();
	if (needle === '') return true;
	if (phoneNumberLabel(phoneNumber).toLowerCase().includes(needle)) return true;
	if (phoneNumber.id.includes(needle)) return true;
	const digits = needle.replace(/\D/g, '');
	const displayDigits = (phoneNumber.display_phone_number ?? '').replace(/\D/g, '');
	return digits !== '' && displayDigits.includes(digits);
}

/**
 * The business numbers of the node's Business Account (or, without one, the credential's) for the
 * phone number picker (value = phone number ID).
 */
export async function searchPhoneNumbers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const wabaId = await pickerBusinessAccountId.call(this, 'pick from a list');
	const page = await listPhoneNumbers.call(this, wabaId, {
		limit: PAGE_SIZE,
		after: paginationToken,
	});
	const results: INodeListSearchItems[] = page.numbers
		.filter((phoneNumber) => matchesPhoneNumberFilter(phoneNumber, filter ?? ''))
		.map((phoneNumber) => ({ name: phoneNumberLabel(phoneNumber), value: phoneNumber.id }));
	return { results, paginationToken: page.after };
}

export const phoneNumberListSearch = { searchPhoneNumbers };
