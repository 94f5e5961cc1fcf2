/**
 * Block Users API (`POST|DELETE|GET /{phone-number-id}/block_users`): the users of a workflow in
 * batches Meta accepts, and Meta's per-user answer mapped back to each user.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/block-users
 */
import { PayloadError } from '../errors';
import { checkCount, isPlainObject, requiredList } from '../check';
import { normalizeRecipient } from '../recipient';

/** Users per block or unblock request. */
export const BLOCK_USERS_PER_REQUEST_MAX = 1000;

/** A blocklist holds at most this many users (error 139101 beyond). */
export const BLOCKLIST_MAX = 64_000;

/** Graph codes of the Block Users API. */
export const BLOCK_ERROR_CODES = {
	/** Some users failed: the body still lists `added_users`/`removed_users` and `failed_users`. */
	partialFailure: 139100,
	blocklistFull: 139101,
	/** The list changed while paging through it: start again from the first page. */
	concurrentUpdate: 139102,
	internal: 139103,
	rateLimit: 130429,
	selfBlock: 131021,
	/** The user has not messaged the business in the last 24 hours (or is not a WhatsApp user). */
	reEngagementRequired: 131047,
} as const;

export type BlockAction = 'block' | 'unblock';

/** A phone number (`user`) or a business-scoped user ID (`user_id`). */
export type BlockUserEntry = { user: string } | { user_id: string };

export type BlockUsersRequest = { messaging_product: 'whatsapp'; block_users: BlockUserEntry[] };

/** One distinct user of the request, with the positions it had in the input list. */
export type BlockTarget = {
	/** As the workflow gave it. */
	input: string;
	/** As sent to Meta, which echoes it back as `input`. */
	sent: string;
	entry: BlockUserEntry;
	inputIndexes: number[];
};

export type BlockUsersPlan = { targets: BlockTarget[]; batches: BlockTarget[][] };

export type BlockUserError = { code: number | null; message?: string; details?: string };

export type BlockUserResult = {
	input: string;
	action: BlockAction;
	ok: boolean;
	waId?: string;
	userId?: string;
	error?: BlockUserError;
	inputIndexes: number[];
};

type GraphBlockedUser = { input?: string; wa_id?: string; user_id?: string };
type GraphFailedUser = GraphBlockedUser & {
	errors?: Array<{ message?: string; code?: number | string; error_data?: { details?: string } }>;
};

/** `POST`/`DELETE` answer; on partial failure (HTTP 400, code 139100) `error` comes alongside. */
export type GraphBlockUsersResponse = {
	messaging_product?: 'whatsapp';
	block_users?: {
		added_users?: GraphBlockedUser[];
		removed_users?: GraphBlockedUser[];
		failed_users?: GraphFailedUser[];
	};
	error?: { code?: number; message?: string; error_data?: { details?: string } };
};

export type BlockedUser = { messaging_product?: 'whatsapp'; wa_id?: string; user_id?: string };

/** Normalizes, de-duplicates and batches the users; a bad one fails naming its position. */
export function planBlockUsers(users: unknown, field = 'users'): BlockUsersPlan {
	const list = requiredList(field, users);
	checkCount(field, list.length, 1, BLOCKLIST_MAX, 'users');
	const byKey = new Map<string, BlockTarget>();
	list.forEach((value, index) => {
		const input = typeof value === 'number' ? String(value) : value;
		const recipient = normalizeRecipient(input, `${field}[${index}]`);
		const entry: BlockUserEntry =
			'to' in recipient ? { user: `+${recipient.to}` } : { user_id: recipient.recipient };
		const sent = 'user' in entry ? entry.user : entry.user_id;
		const existing = byKey.get(sent);
		if (existing) existing.inputIndexes.push(index);
		else byKey.set(sent, { input: String(input), sent, entry, inputIndexes: [index] });
	});
	const targets = [...byKey.values()];
	const batches: BlockTarget[][] = [];
	for (let start = 0; start < targets.length; start += BLOCK_USERS_PER_REQUEST_MAX) {
		batches.push(targets.slice(start, start + BLOCK_USERS_PER_REQUEST_MAX));
	}
	return { targets, batches };
}

export function blockUsersBody(batch: BlockTarget[]): BlockUsersRequest {
	if (batch.length > BLOCK_USERS_PER_REQUEST_MAX) {
		throw new PayloadError(`A block request takes at most ${BLOCK_USERS_PER_REQUEST_MAX} users`, {
			field: 'users',
			limit: `at most ${BLOCK_USERS_PER_REQUEST_MAX} users per request`,
			actual: `${batch.length} users`,
		});
	}
	return { messaging_product: 'whatsapp', block_users: batch.map((target) => target.entry) };
}

const digits = (value: string | undefined) => (value ?? '').replace(/\D/g, '');

/**
 * Finds Meta's entry for each user of a batch in constant time (a batch has up to 1,000 users on
 * each side). A user matches by the `input` Meta echoes — exactly, or by its digits for a phone
 * number, since Meta may echo another format — or, without `input`, by `wa_id` or `user_id`. When
 * several entries match, the first in Meta's list wins.
 */
function userFinder<T extends GraphBlockedUser>(
	list: unknown,
): (target: BlockTarget) => T | undefined {
	const byInput = new Map<string, number>();
	const byInputDigits = new Map<string, number>();
	const byWaId = new Map<string, number>();
	const byUserId = new Map<string, number>();
	const users: T[] = Array.isArray(list) ? (list as T[]) : [];
	const note = (map: Map<string, number>, key: string, index: number) => {
		if (!map.has(key)) map.set(key, index);
	};
	users.forEach((user, index) => {
		if (!isPlainObject(user)) return;
		if (typeof user.input === 'string') {
			note(byInput, user.input, index);
			note(byInputDigits, digits(user.input), index);
		} else {
			note(byWaId, digits(user.wa_id), index);
			if (typeof user.user_id === 'string') note(byUserId, user.user_id, index);
		}
	});
	return (target) => {
		const phone = 'user' in target.entry;
		const candidates = [
			byInput.get(target.sent),
			phone ? byInputDigits.get(digits(target.sent)) : undefined,
			'user' in target.entry
				? byWaId.get(digits(target.entry.user))
				: byUserId.get(target.entry.user_id),
		].filter((index): index is number => index !== undefined);
		return candidates.length ? users[Math.min(...candidates)] : undefined;
	};
}

function firstError(user: GraphFailedUser): BlockUserError {
	const error = Array.isArray(user.errors) && isPlainObject(user.errors[0]) ? user.errors[0] : {};
	const code = Number(error.code);
	const result: BlockUserError = { code: Number.isFinite(code) ? code : null };
	if (typeof error.message === 'string') result.message = error.message;
	if (typeof error.error_data?.details === 'string') result.details = error.error_data.details;
	return result;
}

/** Meta's answer for one batch → one result per user of that batch, in batch order. */
export function blockUsersResults(
	action: BlockAction,
	batch: BlockTarget[],
	response: unknown,
): BlockUserResult[] {
	const body = (isPlainObject(response) ? response : {}) as GraphBlockUsersResponse;
	const lists = isPlainObject(body.block_users) ? body.block_users : {};
	const findDone = userFinder<GraphBlockedUser>(
		action === 'block' ? lists.added_users : lists.removed_users,
	);
	const findFailed = userFinder<GraphFailedUser>(lists.failed_users);
	return batch.map((target) => {
		const base = { input: target.input, action, inputIndexes: target.inputIndexes };
		const ok = findDone(target);
		if (ok) return compactIds({ ...base, ok: true }, ok);
		const fail = findFailed(target);
		if (fail) return compactIds({ ...base, ok: false, error: firstError(fail) }, fail);
		return {
			...base,
			ok: false,
			error: { code: null, message: 'Meta reported no result for this user' },
		};
	});
}

/** A batch the Graph API refused as a whole (rate limit, bad token, …): every user failed alike. */
export function failedBatchResults(
	action: BlockAction,
	batch: BlockTarget[],
	error: BlockUserError,
): BlockUserResult[] {
	return batch.map((target) => ({
		input: target.input,
		action,
		ok: false,
		error,
		inputIndexes: target.inputIndexes,
	}));
}

function compactIds(result: BlockUserResult, user: GraphBlockedUser): BlockUserResult {
	if (typeof user.wa_id === 'string') result.waId = user.wa_id;
	if (typeof user.user_id === 'string') result.userId = user.user_id;
	return result;
}

/** Whether a Graph answer to block/unblock carries per-user lists (a 139100 partial failure does). */
export function hasPerUserResults(body: unknown): boolean {
	return isPlainObject(body) && isPlainObject(body.block_users);
}

/**
 * The users of one item's "Users" parameter: a list as given (from an expression), or text with
 * one user per line or separated by commas or semicolons (spaces stay: `+1 650 555 1234` is one).
 */
export function usersFromParameter(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value !== 'string') return value === undefined || value === null ? [] : [value];
	return value
		.split(/[\n,;]+/)
		.map((user) => user.trim())
		.filter((user) => user !== '');
}

/** Why Meta refused one user, said for blocking (Graph's general hints speak of messages). */
export function blockUserHint(code: number | null): string | undefined {
	switch (code) {
		case BLOCK_ERROR_CODES.reEngagementRequired:
			return 'Meta blocks only users who messaged this number in the last 24 hours (and who are WhatsApp users).';
		case BLOCK_ERROR_CODES.selfBlock:
			return 'A business number cannot block itself.';
		default:
			return undefined;
	}
}
