import { sleep } from 'n8n-workflow';

import type { Clock } from '../helpers/clock';

/** Node fires a timer of more than 2^31 − 1 ms (~24.8 days) at once; longer sleeps go in parts. */
export const MAX_SLEEP_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms) => {
		for (let left = ms; left > 0; left -= MAX_SLEEP_MS) await sleep(Math.min(left, MAX_SLEEP_MS));
	},
	random: () => Math.random(),
};

/**
 * Sleeps `ms` on `clock`, or less when `signal` aborts first. True when the whole time passed.
 * (The clock's timer may run on after an abort; nothing waits for it.)
 */
export async function sleepUnlessCancelled(
	clock: Clock,
	ms: number,
	signal?: AbortSignal,
): Promise<boolean> {
	if (signal?.aborted) return false;
	if (!signal) {
		await clock.sleep(ms);
		return true;
	}
	let onAbort = () => {};
	const aborted = new Promise<false>((resolve) => {
		onAbort = () => resolve(false);
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([clock.sleep(ms).then(() => true), aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
