import type { IDataObject } from 'n8n-workflow';

import { parseGraphError } from '../helpers/graphError';
import type { GraphCall, GraphContext } from './graph';
import { graphApiError, graphCall, graphRequest } from './graph';

/** The business number's state, requested explicitly (Graph returns only a few fields by default). */
const PHONE_NUMBER_FIELDS = [
	'id',
	'display_phone_number',
	'verified_name',
	'quality_rating',
	'throughput',
	'whatsapp_business_manager_messaging_limit',
	'name_status',
	'platform_type',
	'code_verification_status',
	'status',
];

const MESSAGING_LIMIT_FIELD = 'whatsapp_business_manager_messaging_limit';
/** Deprecated predecessor of MESSAGING_LIMIT_FIELD; older API versions know only this one. */
const LEGACY_MESSAGING_LIMIT_FIELD = 'messaging_limit_tier';

export interface GraphPhoneNumber extends IDataObject {
	id: string;
	display_phone_number?: string;
	verified_name?: string;
}

export interface PhoneNumberPage {
	numbers: GraphPhoneNumber[];
	/** Cursor of the next page; undefined on the last page. */
	after?: string;
}

interface GraphPhoneNumberList {
	data?: GraphPhoneNumber[];
	paging?: { cursors?: { after?: string }; next?: string };
}

/**
 * GET with `fields`; when the API version does not know the new messaging-limit field (Graph error
 * 100 naming it), asks again with the legacy one instead of failing the whole lookup.
 */
async function getWithFields<T>(
	this: GraphContext,
	call: Omit<GraphCall, 'method'>,
	itemIndex?: number,
): Promise<T> {
	const fields = PHONE_NUMBER_FIELDS.join(',');
	const outcome = await graphCall.call(this, {
		...call,
		method: 'GET',
		qs: { ...call.qs, fields },
	});
	if (outcome.kind === 'response') {
		if (outcome.statusCode >= 200 && outcome.statusCode < 300) return outcome.body as T;
		const error = parseGraphError(outcome.body);
		const unknownField =
			error?.code === 100 &&
			`${error.message} ${error.details ?? ''}`.includes(MESSAGING_LIMIT_FIELD);
		if (!unknownField) throw graphApiError(this, outcome.statusCode, outcome.body, itemIndex);
	}
	// A network failure is retried once through graphRequest, which turns a second one into a NodeApiError.
	const legacyFields =
		outcome.kind === 'response'
			? fields.replace(MESSAGING_LIMIT_FIELD, LEGACY_MESSAGING_LIMIT_FIELD)
			: fields;
	return await graphRequest.call<GraphContext, [GraphCall, number | undefined], Promise<T>>(
		this,
		{ ...call, method: 'GET', qs: { ...call.qs, fields: legacyFields } },
		itemIndex,
	);
}

/** One page of `GET /{wabaId}/phone_numbers`. */
export async function listPhoneNumbers(
	this: GraphContext,
	businessAccountId: string,
	page: { limit?: number; after?: string } = {},
	itemIndex?: number,
): Promise<PhoneNumberPage> {
	const qs: IDataObject = {};
	if (page.limit !== undefined) qs.limit = page.limit;
	if (page.after) qs.after = page.after;
	const response = await getWithFields.call<
		GraphContext,
		[Omit<GraphCall, 'method'>, number | undefined],
		Promise<GraphPhoneNumberList>
	>(this, { path: `/${encodeURIComponent(businessAccountId)}/phone_numbers`, qs }, itemIndex);
	const numbers = Array.isArray(response?.data) ? response.data : [];
	// Graph gives a cursor on every page; only `next` says another page exists.
	const after = response?.paging?.next ? response.paging.cursors?.after : undefined;
	return { numbers, after };
}

/** `GET /{phoneNumberId}` with its quality, throughput, messaging limit and verification state. */
export async function getPhoneNumber(
	this: GraphContext,
	phoneNumberId: string,
	itemIndex?: number,
): Promise<GraphPhoneNumber> {
	return await getWithFields.call<
		GraphContext,
		[Omit<GraphCall, 'method'>, number | undefined],
		Promise<GraphPhoneNumber>
	>(this, { path: `/${encodeURIComponent(phoneNumberId)}` }, itemIndex);
}
