import {
	NumberLimiter,
	PAIR_BURST,
	PAIR_INTERVAL_MS,
} from '../../nodes/WhatsAppCloud/transport/limiter';
import {
	appLimitWaitMs,
	businessUseCaseWaitMs,
	exponentialBackoff,
	retryAfterMs,
} from '../../nodes/WhatsAppCloud/transport/retry';
import { FakeClock } from './support/fakeClock';

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
