/**
 * De-duplication that holds across n8n processes (queue mode: several webhook processes, or the
 * main and a webhook process behind one URL). A node's webhook context has no database helpers, but
 * n8n loads the workflow's static data fresh from the database for every production webhook call
 * and saves it after the call, only when the execution was handed over (an error answer saves
 * nothing). The trigger keeps compact tokens of the events it accepted there, next to the
 * process's own memory, which stays the fast path.
 *
 * Static data is one value rewritten whole, so two calls at the same moment can each save a copy
 * without the other's tokens. A process therefore keeps the tokens it accepted until it has seen
 * them in a value loaded from the database, and adds them again to each save until then.
 */
import { createHash } from 'node:crypto';

/** Tokens are 10 base64url characters (60 bits of SHA-256): a false match needs ~2^30 events. */
export const TOKEN_LENGTH = 10;

/** Tokens kept in static data per trigger: ~100 kB saved with each call at the cap. */
export const SHARED_DEDUPE_MAX_TOKENS = 10_000;

/** How static data holds them: buckets of tokens by the time their bucket started. */
export interface SharedSeenEvents {
	v: 1;
	/** [bucket start (ms since epoch), tokens concatenated], oldest first. */
	buckets: Array<[number, string]>;
}

/** The static-data key the trigger keeps its tokens under (node scope). */
export const SHARED_DEDUPE_FIELD = 'seenEvents';

export function eventToken(key: string): string {
	return createHash('sha256').update(key).digest('base64url').slice(0, TOKEN_LENGTH);
}

/** The saved tokens, or none when the value is missing or not in this shape. */
export function readSharedSeen(value: unknown): SharedSeenEvents {
	const candidate = value as SharedSeenEvents | undefined;
	if (candidate?.v !== 1 || !Array.isArray(candidate.buckets)) return { v: 1, buckets: [] };
	const buckets = candidate.buckets.filter(
		(bucket): bucket is [number, string] =>
			Array.isArray(bucket) &&
			typeof bucket[0] === 'number' &&
			typeof bucket[1] === 'string' &&
			bucket[1].length % TOKEN_LENGTH === 0,
	);
	return { v: 1, buckets };
}

function bucketLengthMs(windowMs: number): number {
	return Math.max(1000, Math.ceil(windowMs / 20));
}

/** Whether `token` is among the saved tokens that are still inside the window. */
export function hasSharedToken(
	seen: SharedSeenEvents,
	token: string,
	now: number,
	windowMs: number,
): boolean {
	const oldestKept = now - windowMs - bucketLengthMs(windowMs);
	for (const [start, tokens] of seen.buckets) {
		if (start < oldestKept) continue;
		for (let at = tokens.indexOf(token); at >= 0; at = tokens.indexOf(token, at + 1)) {
			if (at % TOKEN_LENGTH === 0) return true;
		}
	}
	return false;
}

/**
 * The tokens to save: the loaded ones still in the window, plus those of `add` it lacks (each with
 * when it was first seen), minus `remove`; the newest `maxTokens` at most. Works on the buckets'
 * strings (no token-by-token rebuild), so a call costs about one scan of the saved value.
 */
export function mergeSharedSeen(
	seen: SharedSeenEvents,
	add: Iterable<[token: string, seenAt: number]>,
	remove: ReadonlySet<string>,
	now: number,
	windowMs: number,
	maxTokens = SHARED_DEDUPE_MAX_TOKENS,
): SharedSeenEvents {
	const bucketMs = bucketLengthMs(windowMs);
	const oldestKept = now - windowMs - bucketMs;
	const byStart = new Map<number, string>();
	for (const [start, tokens] of seen.buckets) {
		if (start < oldestKept) continue;
		byStart.set(start, (byStart.get(start) ?? '') + withoutTokens(tokens, remove));
	}
	const kept: SharedSeenEvents = { v: 1, buckets: [...byStart] };
	for (const [token, seenAt] of add) {
		if (seenAt < oldestKept || remove.has(token) || hasSharedToken(kept, token, now, windowMs))
			continue;
		const start = seenAt - (seenAt % bucketMs);
		byStart.set(start, (byStart.get(start) ?? '') + token);
	}
	const buckets = [...byStart].sort((a, b) => a[0] - b[0]);
	let excess =
		buckets.reduce((sum, [, tokens]) => sum + tokens.length, 0) - maxTokens * TOKEN_LENGTH;
	while (excess > 0 && buckets.length > 0) {
		const [start, tokens] = buckets[0];
		if (tokens.length <= excess) {
			buckets.shift();
			excess -= tokens.length;
		} else {
			buckets[0] = [start, tokens.slice(excess)];
			excess = 0;
		}
	}
	return { v: 1, buckets: buckets.filter(([, tokens]) => tokens.length > 0) };
}

function withoutTokens(tokens: string, remove: ReadonlySet<string>): string {
	if (remove.size === 0) return tokens;
	let kept = '';
	for (let at = 0; at < tokens.length; at += TOKEN_LENGTH) {
		const token = tokens.slice(at, at + TOKEN_LENGTH);
		if (!remove.has(token)) kept += token;
	}
	return kept;
}

/** How many tokens a saved value holds. */
export function sharedTokenCount(seen: SharedSeenEvents): number {
	return seen.buckets.reduce((sum, [, tokens]) => sum + tokens.length / TOKEN_LENGTH, 0);
}
