import type { RetryClass } from '../helpers/graphError';
import { classifyGraphError } from '../helpers/graphError';

/** How long each kind of failure waits before the next attempt (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes). */
export const BACKOFF = {
	transientBaseMs: 1_000,
	transientMaxMs: 32_000,
	throughputBaseMs: 1_000,
	throughputMaxMs: 30_000,
	appLimitBaseMs: 60_000,
	appLimitMaxMs: 15 * 60_000,
} as const;

/** Exponential backoff with full jitter in [base·2^(n-1) / 2, base·2^(n-1)], capped. */
export function exponentialBackoff(
	retryNumber: number,
	baseMs: number,
	maxMs: number,
	random: () => number,
): number {
	const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retryNumber - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * `X-Business-Use-Case-Usage`: `{"<id>":[{"type":…,"estimated_time_to_regain_access":<minutes>}]}`.
 * Returns the longest wait it announces, in ms; undefined when absent or unreadable.
 */
export function businessUseCaseWaitMs(header: unknown): number | undefined {
	if (typeof header !== 'string' || header.trim() === '') return undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(header);
	} catch {
		return undefined;
	}
	if (typeof parsed !== 'object' || parsed === null) return undefined;
	let minutes: number | undefined;
	for (const entries of Object.values(parsed as Record<string, unknown>)) {
		if (!Array.isArray(entries)) continue;
		for (const entry of entries) {
			const value = Number(
				(entry as { estimated_time_to_regain_access?: unknown })?.estimated_time_to_regain_access,
			);
			if (Number.isFinite(value) && value >= 0) minutes = Math.max(minutes ?? 0, value);
		}
	}
	return minutes === undefined ? undefined : minutes * 60_000;
}

/** `Retry-After` in seconds or as an HTTP date (not documented for Graph; honoured if present). */
export function retryAfterMs(header: unknown, now: number): number | undefined {
	if (typeof header !== 'string' || header.trim() === '') return undefined;
	const seconds = Number(header);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(header);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The longest wait taken from Meta's word, and the longest pause of a number. Meta counts these
 * limits over a rolling hour (https://developers.facebook.com/docs/graph-api/overview/rate-limiting/),
 * so an hour without calls always brings the count down; a longer announcement (a 24 h estimate, or
 * a value that would overflow a timer) is checked again then by one request instead of obeyed.
 */
export const MAX_ANNOUNCED_WAIT_MS = 60 * 60_000;

/**
 * The wait before retrying an app/business limit error: the headers' word (at least 5 s, at most
 * `MAX_ANNOUNCED_WAIT_MS`), else minutes-scale backoff.
 */
export function appLimitWaitMs(
	headers: Record<string, string | undefined>,
	retryNumber: number,
	now: number,
	random: () => number,
): number {
	const announced = [
		businessUseCaseWaitMs(headers['x-business-use-case-usage']),
		retryAfterMs(headers['retry-after'], now),
	].filter((ms): ms is number => ms !== undefined);
	// A zero estimate still means "throttled now": wait at least a few seconds.
	if (announced.length > 0) return Math.min(MAX_ANNOUNCED_WAIT_MS, Math.max(5_000, ...announced));
	return exponentialBackoff(retryNumber, BACKOFF.appLimitBaseMs, BACKOFF.appLimitMaxMs, random);
}

/** The classes the sender retries, each with its own backoff. */
export type RetriedClass = Exclude<RetryClass, 'uncertain' | 'later' | 'fatal'>;

/**
 * How the sender treats an error answer: an `uncertain` one (Meta may have processed the call)
 * is retried like a transient one only when the user accepts duplicates ("Retry Uncertain
 * Failures"); by default it is surfaced, as a timeout after sending is.
 */
export function retryClassFor(
	code: number | undefined,
	httpStatus: number,
	retryUncertain: boolean,
): RetryClass {
	const retryClass = classifyGraphError(code, httpStatus);
	return retryClass === 'uncertain' && retryUncertain ? 'transient' : retryClass;
}

/** Retry classes that are retried; `uncertain`, `later` and `fatal` are not. */
export function isRetryable(retryClass: RetryClass): retryClass is RetriedClass {
	return retryClass !== 'uncertain' && retryClass !== 'later' && retryClass !== 'fatal';
}
