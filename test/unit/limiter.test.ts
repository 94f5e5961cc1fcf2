import { getEventListeners } from 'node:events';

import { MAX_SLEEP_MS, systemClock } from '../../nodes/WhatsAppCloud/transport/clock';
import {
	limiterFor,
	NumberLimiter,
	PAIR_BURST,
	PAIR_INTERVAL_MS,
	resetLimiters,
} from '../../nodes/WhatsAppCloud/transport/limiter';
import {
	appLimitWaitMs,
	businessUseCaseWaitMs,
	exponentialBackoff,
	MAX_ANNOUNCED_WAIT_MS,
	retryAfterMs,
} from '../../nodes/WhatsAppCloud/transport/retry';
import { FakeClock } from './support/fakeClock';
import { runSharedNumber, shareOf } from './support/sharedNumber';

/** Sends `count` messages through the limiter as fast as it lets them; returns the send times. */
async function sendTimes(clock: FakeClock, limiter: NumberLimiter, count: number) {
	const times: number[] = [];
	await clock.run(
		Promise.all(
			Array.from({ length: count }, async () => {
				await limiter.acquire();
				times.push(clock.now());
			}),
		),
	);
	return times.sort((a, b) => a - b);
}

/** Most sends in any window of `windowMs` (sliding over the send times). */
function maxInWindow(times: number[], windowMs: number) {
	let best = 0;
	for (let start = 0, end = 0; end < times.length; end++) {
		while (times[end] - times[start] >= windowMs) start++;
		best = Math.max(best, end - start + 1);
	}
	return best;
}

describe('NumberLimiter: token bucket', () => {
	test.each([20, 80, 1000])('paces %i msg/s with a burst of 100 ms worth', async (rate) => {
		const clock = new FakeClock();
		const limiter = new NumberLimiter(clock, rate);
		const count = rate * 5;
		const times = await sendTimes(clock, limiter, count);
		const burst = Math.max(1, Math.floor(rate / 10));
		expect(times.filter((t) => t === 0).length).toBe(burst);
		// Never more than one second's worth plus the burst in any second.
		expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(rate + burst);
		const elapsedS = times[times.length - 1] / 1000;
		expect(count / elapsedS).toBeGreaterThan(rate * 0.99);
		expect(count / elapsedS).toBeLessThan(rate * 1.03);
	});

	test('after an event-loop stall, at most a burst goes out at once', async () => {
		const clock = new FakeClock();
		const limiter = new NumberLimiter(clock, 80);
		const sleep = clock.sleep.bind(clock);
		let stalls = 0;
		// The pump's timer fires 2 s late twice, as when n8n's thread was busy.
		clock.sleep = async (ms: number) => await sleep(ms > 0 && stalls++ < 2 ? ms + 2000 : ms);
		const times = await sendTimes(clock, limiter, 400);
		expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(80 + 8);
		// A burst (8) plus what the rate allows within the window (8).
		expect(maxInWindow(times, 100)).toBeLessThanOrEqual(16);
	});

	test('a refunded slot (5xx: Meta did not count the send) goes to the next sender', async () => {
		const clock = new FakeClock();
		const limiter = new NumberLimiter(clock, 10, 0);
		await clock.run(limiter.acquire());
		await clock.run(limiter.acquire());
		expect(clock.now()).toBe(100);
		limiter.refund();
		await clock.run(limiter.acquire());
		expect(clock.now()).toBe(100);
	});

	test('a pause (app limit) holds every send until it ends', async () => {
		const clock = new FakeClock();
		const limiter = new NumberLimiter(clock, 80);
		limiter.pauseFor(60_000);
		const times = await sendTimes(clock, limiter, 3);
		expect(times[0]).toBe(60_000);
	});
});

describe('NumberLimiter: adaptive rate', () => {
	test('130429 lowers the rate multiplicatively, accepted sends restore it gradually', () => {
		const limiter = new NumberLimiter(new FakeClock(), 80);
		for (let i = 0; i < 10; i++) limiter.onThrottled();
		expect(limiter.currentRate).toBeCloseTo(80 * 0.96 ** 10, 5);
		limiter.onAccepted();
		expect(limiter.currentRate).toBeCloseTo(80 * 0.96 ** 10 + 80 * 0.004, 5);
		for (let i = 0; i < 1000; i++) limiter.onAccepted();
		expect(limiter.currentRate).toBe(80);
	});

	test('a burst of 130429 never takes the rate below a quarter of the limit', () => {
		const limiter = new NumberLimiter(new FakeClock(), 80);
		for (let i = 0; i < 120; i++) limiter.onThrottled();
		expect(limiter.currentRate).toBe(20);
	});

	test('isolated throttling (5 % of answers) leaves the rate at the limit', () => {
		const limiter = new NumberLimiter(new FakeClock(), 80);
		for (let i = 0; i < 2000; i++) {
			if (i % 20 === 0) limiter.onThrottled();
			else limiter.onAccepted();
		}
		expect(limiter.currentRate).toBeGreaterThan(80 * 0.95);
	});

	test('two senders sharing one number converge below Meta’s limit', async () => {
		// Meta's side: a token bucket of 80/s holding one second's worth.
		const clock = new FakeClock();
		const metaRate = 80;
		let tokens = metaRate;
		let last = 0;
		const meta = () => {
			tokens = Math.min(metaRate, tokens + ((clock.now() - last) * metaRate) / 1000);
			last = clock.now();
			if (tokens < 1) return false;
			tokens -= 1;
			return true;
		};
		const accepted: number[] = [];
		let throttled = 0;
		const a = new NumberLimiter(clock, 80);
		const b = new NumberLimiter(clock, 80);
		const finished: number[] = [];
		const worker = async (limiter: NumberLimiter, messages: number) => {
			for (let sent = 0; sent < messages;) {
				await limiter.acquire();
				if (meta()) {
					limiter.onAccepted();
					accepted.push(clock.now());
					sent++;
				} else {
					limiter.onThrottled();
					throttled++;
				}
			}
			if (finished.length === 0) combinedPace = a.currentRate + b.currentRate;
			finished.push(clock.now());
		};
		let combinedPace = 0;
		await clock.run(Promise.all([worker(a, 2400), worker(b, 2400)]));
		// While both send: the aggregate accepted rate is Meta's limit (its full bucket at the start
		// aside), and the two paces settled near it instead of 2 × 80.
		const bothUntil = Math.min(...finished);
		const acceptedWhileBoth = accepted.filter((t) => t <= bothUntil).length;
		const rate = (acceptedWhileBoth - metaRate) / (bothUntil / 1000);
		expect(rate).toBeGreaterThan(metaRate * 0.95);
		expect(rate).toBeLessThanOrEqual(metaRate * 1.02);
		expect(combinedPace).toBeLessThan(metaRate * 1.3);
		// Throttled attempts (each retried, none surfaced) stay a minority once converged.
		expect(throttled / (accepted.length + throttled)).toBeLessThan(0.2);
	});

	test('a new limit applies at once unless the number was throttled in the last minute', () => {
		const clock = new FakeClock();
		const limiter = new NumberLimiter(clock, 80);
		limiter.setLimit(1000);
		expect(limiter.currentRate).toBe(1000);
		limiter.onThrottled();
		limiter.setLimit(80);
		expect(limiter.currentRate).toBe(80);
		limiter.setLimit(1000);
		expect(limiter.currentRate).toBe(80);
	});
});

describe('NumberLimiter: pair rate (131056)', () => {
	test('one recipient gets a burst of 45, then one message per 6 s', async () => {
		const clock = new FakeClock();
		const limiter = new NumberLimiter(clock, 80);
		const times: number[] = [];
		await clock.run(
			(async () => {
				for (let i = 0; i < 60; i++) {
					await limiter.acquirePair('15550001111');
					times.push(clock.now());
				}
			})(),
		);
		expect(times.slice(0, PAIR_BURST).every((t) => t === 0)).toBe(true);
		expect(times[PAIR_BURST]).toBe(PAIR_INTERVAL_MS);
		expect(times[59]).toBe((59 - PAIR_BURST + 1) * PAIR_INTERVAL_MS);
	});

	test('other recipients are not slowed by one busy recipient', async () => {
		const clock = new FakeClock();
		const limiter = new NumberLimiter(clock, 80);
		await clock.run(
			(async () => {
				for (let i = 0; i < PAIR_BURST + 5; i++) await limiter.acquirePair('busy');
			})(),
		);
		const before = clock.now();
		await clock.run(limiter.acquirePair('other'));
		expect(clock.now()).toBe(before);
	});

	test('retries wait 4^X seconds: 1, 4, 16, 64, 256; a delivery starts over', () => {
		const limiter = new NumberLimiter(new FakeClock(), 80);
		const waits = [0, 1, 2, 3, 4].map(() => limiter.onPairLimited('15550001111'));
		expect(waits).toEqual([1_000, 4_000, 16_000, 64_000, 256_000]);
		limiter.onPairDelivered('15550001111');
		expect(limiter.onPairLimited('15550001111')).toBe(1_000);
		expect(limiter.onPairLimited('someone-else')).toBe(1_000);
	});
});

describe('retry waits', () => {
	test('exponential backoff doubles, is jittered within [half, full] and capped', () => {
		expect(exponentialBackoff(1, 1000, 32_000, () => 0)).toBe(500);
		expect(exponentialBackoff(1, 1000, 32_000, () => 1)).toBe(1000);
		expect(exponentialBackoff(3, 1000, 32_000, () => 1)).toBe(4000);
		expect(exponentialBackoff(10, 1000, 32_000, () => 1)).toBe(32_000);
	});

	test.each([
		['{"123":[{"type":"whatsapp","call_count":100,"estimated_time_to_regain_access":7}]}', 420_000],
		[
			'{"1":[{"estimated_time_to_regain_access":2}],"2":[{"estimated_time_to_regain_access":5}]}',
			300_000,
		],
		['{"123":[{"type":"whatsapp","call_count":10,"estimated_time_to_regain_access":0}]}', 0],
		['{"123":[{"type":"whatsapp","call_count":10}]}', undefined],
		['not json', undefined],
		['', undefined],
		[undefined, undefined],
	])('X-Business-Use-Case-Usage %s → %s ms', (header, expected) => {
		expect(businessUseCaseWaitMs(header)).toBe(expected);
	});

	test('Retry-After in seconds or as a date', () => {
		expect(retryAfterMs('30', 0)).toBe(30_000);
		expect(retryAfterMs(new Date(90_000).toUTCString(), 30_000)).toBe(60_000);
		expect(retryAfterMs('soon', 0)).toBeUndefined();
	});

	test('app limits wait what the headers announce (at least 5 s), else from a minute up', () => {
		const buc = '{"1":[{"estimated_time_to_regain_access":3}]}';
		expect(appLimitWaitMs({ 'x-business-use-case-usage': buc }, 1, 0, () => 1)).toBe(180_000);
		expect(appLimitWaitMs({ 'retry-after': '1' }, 1, 0, () => 1)).toBe(5_000);
		expect(appLimitWaitMs({}, 1, 0, () => 1)).toBe(60_000);
		expect(appLimitWaitMs({}, 2, 0, () => 1)).toBe(120_000);
	});
});

describe('NumberLimiter: several workers on one number converge (issue 21)', () => {
	// Each worker has its own limiter at the default 80 msg/s; Meta's bucket is the emulator's.
	test.each([
		[2, 1],
		[2, 2],
		[2, 3],
		[4, 1],
		[4, 2],
		[4, 3],
	])(
		'%i workers (seed %i): < 3 %% refused after the first 5 s, ≥ 0.9 × the limit accepted',
		async (workers, seed) => {
			const run = await runSharedNumber({ workers, messagesPerWorker: 3200 / workers, seed });
			const allSending = Math.min(...run.finishedAt);
			expect(allSending).toBeGreaterThan(25_000);
			const steady = shareOf(run, 5_000, allSending);
			expect(steady.refusedShare).toBeLessThan(0.03);
			expect(steady.acceptedPerSecond).toBeGreaterThanOrEqual(0.9 * 80);
			// and Meta's bucket was the limit, not the workers: they accepted at most what it gives
			expect(steady.acceptedPerSecond).toBeLessThanOrEqual(80 * 1.03);
		},
	);

	test('a worker left alone takes the whole limit again within 20 s', async () => {
		const run = await runSharedNumber({
			workers: 2,
			messagesPerWorker: 0,
			perWorker: [1200, 4000],
		});
		const alone = Math.min(...run.finishedAt);
		expect(Math.max(...run.finishedAt)).toBeGreaterThan(alone + 25_000);
		const later = shareOf(run, alone + 20_000, alone + 25_000);
		expect(later.acceptedPerSecond).toBeGreaterThanOrEqual(0.9 * 80);
		expect(later.refusedShare).toBe(0);
	});

	test('one worker configured above Meta’s limit settles at Meta’s limit', async () => {
		const run = await runSharedNumber({
			workers: 1,
			limit: 40,
			configured: 80,
			messagesPerWorker: 1600,
		});
		const steady = shareOf(run, 5_000, run.finishedAt[0]);
		expect(steady.refusedShare).toBeLessThan(0.03);
		expect(steady.acceptedPerSecond).toBeGreaterThanOrEqual(0.9 * 40);
	});
});

describe('NumberLimiter: waits are bounded and can be given up (audit finding 5)', () => {
	/**
	 * Counts the clock's sleeps. The fake clock overflows like Node (a timer past ~24.8 days fires
	 * after 1 ms); after 100 sleeps this stops the overflow so that a busy loop ends and fails.
	 */
	const countSleeps = (clock: FakeClock) => {
		const sleep = clock.sleep.bind(clock);
		let count = 0;
		clock.sleep = async (ms: number) =>
			await sleep(++count > 100 ? Math.min(ms, MAX_SLEEP_MS) : ms);
		return () => count;
	};

	test('an announced 24 h or 41-day wait pauses the number for at most an hour', () => {
		const day = '{"1":[{"estimated_time_to_regain_access":1440}]}';
		const weeks = '{"1":[{"estimated_time_to_regain_access":60000}]}';
		expect(appLimitWaitMs({ 'x-business-use-case-usage': day }, 1, 0, () => 1)).toBe(
			MAX_ANNOUNCED_WAIT_MS,
		);
		expect(appLimitWaitMs({ 'x-business-use-case-usage': weeks }, 1, 0, () => 1)).toBe(
			MAX_ANNOUNCED_WAIT_MS,
		);
		expect(appLimitWaitMs({ 'retry-after': '99999999999' }, 1, 0, () => 1)).toBe(
			MAX_ANNOUNCED_WAIT_MS,
		);
		expect(MAX_ANNOUNCED_WAIT_MS).toBe(3_600_000);
	});

	test('a pause past the timer limit (~24.8 days) never wakes the pump every millisecond', async () => {
		const clock = new FakeClock();
		const limiter = new NumberLimiter(clock, 80);
		const sleeps = countSleeps(clock);
		limiter.pauseFor(30 * 24 * 3_600_000);
		await clock.run(limiter.acquire());
		expect(clock.now()).toBe(MAX_ANNOUNCED_WAIT_MS);
		expect(sleeps()).toBeLessThan(5);
		expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(MAX_SLEEP_MS);
	});

	test('non-numbers never pause or unpause', async () => {
		const clock = new FakeClock();
		const limiter = new NumberLimiter(clock, 80);
		const sleeps = countSleeps(clock);
		limiter.pauseFor(Number.NaN);
		limiter.pauseFor(-5);
		await clock.run(limiter.acquire());
		expect(clock.now()).toBe(0);
		limiter.pauseFor(Number.POSITIVE_INFINITY);
		await clock.run(limiter.acquire());
		expect(clock.now()).toBe(MAX_ANNOUNCED_WAIT_MS);
		expect(sleeps()).toBeLessThan(5);
	});

	test('the system clock sleeps a long wait in timers Node can hold', async () => {
		jest.useFakeTimers();
		try {
			const timeout = jest.spyOn(global, 'setTimeout');
			let done = false;
			const sleeping = systemClock.sleep(40 * 24 * 3_600_000).then(() => (done = true));
			await Promise.resolve();
			const delays = () => timeout.mock.calls.map((call) => Number(call[1]));
			expect(Math.max(...delays())).toBeLessThanOrEqual(MAX_SLEEP_MS);
			await jest.advanceTimersByTimeAsync(39 * 24 * 3_600_000);
			expect(done).toBe(false);
			await jest.advanceTimersByTimeAsync(24 * 3_600_000);
			await sleeping;
			expect(done).toBe(true);
			expect(Math.max(...delays())).toBeLessThanOrEqual(MAX_SLEEP_MS);
		} finally {
			jest.useRealTimers();
		}
	});

	test('a message whose budget ends before the pause gives up at once, not after 24 h', async () => {
		const clock = new FakeClock();
		const limiter = new NumberLimiter(clock, 80);
		const day = '{"1":[{"estimated_time_to_regain_access":1440}]}';
		limiter.pauseFor(appLimitWaitMs({ 'x-business-use-case-usage': day }, 1, 0, () => 1));
		// the next execution: Max Wait per Message 600 s
		const outcome = await clock.run(limiter.acquire(clock.now() + 600_000));
		expect(outcome).toEqual({
			ok: false,
			reason: 'deadline',
			readyAt: MAX_ANNOUNCED_WAIT_MS,
			paused: true,
		});
		expect(clock.now()).toBe(0);
		// one with budget to spare waits the (capped) pause out
		expect(await clock.run(limiter.acquire(clock.now() + 2 * MAX_ANNOUNCED_WAIT_MS))).toEqual({
			ok: true,
			waitedMs: MAX_ANNOUNCED_WAIT_MS,
		});
	});

	test('the pacing gives up on a waiter whose deadline comes before its slot, and keeps the slot', async () => {
		const clock = new FakeClock();
		const limiter = new NumberLimiter(clock, 10, 0); // one slot per 100 ms
		const results: Array<[string, unknown, number]> = [];
		const take = async (name: string, deadline?: number) => {
			const outcome = await limiter.acquire(deadline);
			results.push([name, outcome, clock.now()]);
		};
		await clock.run(Promise.all([take('a'), take('b', 50), take('c')]));
		expect(results).toEqual([
			['a', { ok: true, waitedMs: 0 }, 0],
			['b', { ok: false, reason: 'deadline', readyAt: 100, paused: false }, 0],
			['c', { ok: true, waitedMs: 100 }, 100],
		]);
	});

	test('cancelling ends the wait at once; the slot goes to the next waiter; no listener is left', async () => {
		const clock = new FakeClock();
		const limiter = new NumberLimiter(clock, 80);
		const controller = new AbortController();
		limiter.pauseFor(60_000);
		const cancelled = limiter.acquire(Number.POSITIVE_INFINITY, controller.signal);
		const other = limiter.acquire();
		const at: number[] = [];
		await clock.run(
			Promise.all([
				cancelled.then((outcome) => {
					at.push(clock.now());
					expect(outcome).toEqual({ ok: false, reason: 'cancelled' });
				}),
				clock.sleep(5_000).then(() => controller.abort()),
				other.then(() => at.push(clock.now())),
			]),
		);
		expect(at).toEqual([5_000, 60_000]);
		expect(await limiter.acquire(Number.POSITIVE_INFINITY, controller.signal)).toEqual({
			ok: false,
			reason: 'cancelled',
		});
		// granted waits remove their abort listener
		const signal = new AbortController().signal;
		await clock.run(
			Promise.all(Array.from({ length: 50 }, () => limiter.acquire(Infinity, signal))),
		);
		expect(getEventListeners(signal, 'abort')).toHaveLength(0);
	});

	test('the pair wait honours the deadline and the cancel signal, and gives its slot back', async () => {
		const clock = new FakeClock();
		const limiter = new NumberLimiter(clock, 80);
		await clock.run(
			(async () => {
				for (let i = 0; i < PAIR_BURST; i++) await limiter.acquirePair('busy');
			})(),
		);
		// the 46th message may go at 6 s: a budget of 1 s does not wait for it
		expect(await clock.run(limiter.acquirePair('busy', 1_000))).toEqual({
			ok: false,
			reason: 'deadline',
			readyAt: PAIR_INTERVAL_MS,
			paused: false,
		});
		const controller = new AbortController();
		const waiting = limiter.acquirePair('busy', Number.POSITIVE_INFINITY, controller.signal);
		await clock.run(clock.sleep(2_000).then(() => controller.abort()));
		expect(await waiting).toEqual({ ok: false, reason: 'cancelled' });
		expect(clock.now()).toBe(2_000);
		// neither kept a slot: the next message still goes at 6 s
		expect(await clock.run(limiter.acquirePair('busy'))).toEqual({ ok: true, waitedMs: 4_000 });
		expect(clock.now()).toBe(PAIR_INTERVAL_MS);
	});
});

describe('NumberLimiter: recipient state is bounded (audit finding 8)', () => {
	/** `count` messages to distinct recipients at `rate` per second on the fake clock. */
	async function broadcast(clock: FakeClock, limiter: NumberLimiter, count: number, rate: number) {
		let most = 0;
		for (let i = 0; i < count; i++) {
			await clock.run(limiter.acquirePair(`1555${String(i).padStart(8, '0')}`));
			most = Math.max(most, limiter.trackedRecipients);
			await clock.run(clock.sleep(1000 / rate));
		}
		return most;
	}

	test('recipients are forgotten once their pacing no longer matters', async () => {
		const clock = new FakeClock();
		const limiter = new NumberLimiter(clock, 1000);
		const most = await broadcast(clock, limiter, 50_000, 1000);
		// alive 6 s after their message, pruned at least every 10 s (or when the map doubles)
		expect(most).toBeLessThanOrEqual(16_000 + 1024);
		await clock.run(clock.sleep(20_000));
		await clock.run(limiter.acquirePair('someone'));
		expect(limiter.trackedRecipients).toBe(1);
	});

	test('recipients with 131056 failures are kept through their retry, then forgotten', async () => {
		const clock = new FakeClock();
		const limiter = new NumberLimiter(clock, 80);
		for (let i = 0; i < 2000; i++) limiter.onPairLimited(`r${i}`);
		expect(limiter.onPairLimited('r0')).toBe(4_000); // still remembered: 4^1 s
		await clock.run(clock.sleep(PAIR_INTERVAL_MS * PAIR_BURST + 4_000 + 1));
		await clock.run(limiter.acquirePair('someone'));
		expect(limiter.trackedRecipients).toBe(1);
		expect(limiter.onPairLimited('r0')).toBe(1_000); // Meta's bank has refilled: a fresh start
	});

	test('forgetting a recipient changes no pacing: its next burst is the same as a new one’s', async () => {
		const clock = new FakeClock();
		const limiter = new NumberLimiter(clock, 80);
		const times = async (recipient: string, count: number) => {
			const at: number[] = [];
			await clock.run(
				(async () => {
					for (let i = 0; i < count; i++) {
						await limiter.acquirePair(recipient);
						at.push(clock.now());
					}
				})(),
			);
			return at.map((t) => t - at[0]);
		};
		await times('seen', 10);
		await clock.run(clock.sleep(10 * PAIR_INTERVAL_MS + 1));
		for (let i = 0; i < 1100; i++) await clock.run(limiter.acquirePair(`other${i}`)); // prunes
		expect(await times('seen', 50)).toEqual(await times('new', 50));
	});

	test('a number idle for a minute is dropped with its state; limiterFor starts it afresh', async () => {
		resetLimiters();
		const clock = new FakeClock();
		const first = limiterFor('106540352242922', 80, clock);
		await clock.run(first.acquirePair('15550001111'));
		first.onPairLimited('15550002222');
		expect(limiterFor('106540352242922', 80, clock)).toBe(first);
		await clock.run(clock.sleep(24 * 3_600_000));
		limiterFor('another-number', 80, clock);
		expect(limiterFor('106540352242922', 80, clock)).not.toBe(first);
		resetLimiters();
	});
});
