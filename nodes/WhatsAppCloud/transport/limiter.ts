import type { Clock } from '../helpers/clock';

/** Meta's pair limit: about 1 message per 6 s to the same user, with a bank of 45 for bursts. */
export const PAIR_INTERVAL_MS = 6_000;
export const PAIR_BURST = 45;

/** Adaptive rate: each 130429 takes 4 % off the rate, each accepted message gives back 0.4 % of the
 * configured rate. The rate falls only while more than ~9 % of sends are throttled: isolated
 * 130429s leave it at the limit, a number shared by several senders settles just under Meta's. */
const DECREASE_FACTOR = 0.96;
const INCREASE_SHARE = 0.004;
const MIN_RATE = 1;
/** A CPU-starved process gets 130429s in bursts of up to ~100 (measured in queue mode): never going
 * below a quarter of the configured rate keeps such a burst from stalling the number for seconds. */
const FLOOR_SHARE = 0.25;

/** Recipient pacing entries idle this long are full again and can be forgotten. */
const PAIR_IDLE_MS = PAIR_INTERVAL_MS * PAIR_BURST;

/**
 * Paces one phone number ID. A GCRA reservation scheduler: `acquire()` returns when the caller may
 * send, spacing sends at the current rate with a burst of `burstMs` worth of messages.
 */
export class NumberLimiter {
	private configuredRate: number;

	private rate: number;

	/** Theoretical arrival time of the next send (GCRA). */
	private nextAt = 0;

	/** Management or app limits (codes 4, 80007, …) pause every send until then. */
	private pausedUntil = 0;

	private lastThrottledAt = Number.NEGATIVE_INFINITY;

	private readonly pairs = new Map<string, { nextAt: number; failures: number }>();

	private readonly waiters: Array<() => void> = [];

	private pumping = false;

	/** Pair entries are pruned when the map outgrows this, so pruning stays linear overall. */
	private pruneAtSize = 1024;

	constructor(
		private readonly clock: Clock,
		messagesPerSecond: number,
		private readonly burstMs = 100,
	) {
		this.configuredRate = messagesPerSecond;
		this.rate = messagesPerSecond;
	}

	get currentRate(): number {
		return this.rate;
	}

	get limit(): number {
		return this.configuredRate;
	}

	/**
	 * A new execution may configure another limit. What was learned from recent 130429s is kept;
	 * without any in the last minute the new limit applies at once.
	 */
	setLimit(messagesPerSecond: number): void {
		if (messagesPerSecond === this.configuredRate) return;
		this.configuredRate = messagesPerSecond;
		const recentlyThrottled = this.clock.now() - this.lastThrottledAt < 60_000;
		this.rate = recentlyThrottled ? Math.min(this.rate, messagesPerSecond) : messagesPerSecond;
	}

	/**
	 * Waits for this number's next send slot. Waiters queue in order and one pump hands out slots,
	 * checking conformance when it wakes: after an event-loop stall at most a burst goes out at
	 * once, never every send that fell due meanwhile.
	 */
	async acquire(): Promise<void> {
		await new Promise<void>((resolve) => {
			this.waiters.push(resolve);
			if (!this.pumping) void this.pump();
		});
	}

	/** Meta rejected the send without counting it (5xx): its slot goes back to the next sender. */
	refund(): void {
		this.nextAt = Math.max(this.clock.now(), this.nextAt - 1000 / this.rate);
	}

	private async pump(): Promise<void> {
		this.pumping = true;
		try {
			while (this.waiters.length > 0) {
				const now = this.clock.now();
				const interval = 1000 / this.rate;
				const tolerance = Math.max(0, this.burstMs - interval);
				const start = Math.max(now, this.pausedUntil, this.nextAt - tolerance);
				if (start > now) {
					await this.clock.sleep(start - now);
					continue;
				}
				this.nextAt = Math.max(this.nextAt, now) + interval;
				this.waiters.shift()?.();
			}
		} finally {
			this.pumping = false;
		}
	}

	/** Waits until `recipient` may receive another message under the pair limit. */
	async acquirePair(recipient: string): Promise<void> {
		const now = this.clock.now();
		this.prunePairs(now);
		const pair = this.pairs.get(recipient) ?? { nextAt: now, failures: 0 };
		const tolerance = (PAIR_BURST - 1) * PAIR_INTERVAL_MS;
		const start = Math.max(now, pair.nextAt - tolerance);
		pair.nextAt = Math.max(pair.nextAt, start) + PAIR_INTERVAL_MS;
		this.pairs.set(recipient, pair);
		await this.clock.sleep(start - now);
	}

	/** 131056 for `recipient`: Meta's bank is empty. Returns the wait before the retry: 4^X s. */
	onPairLimited(recipient: string): number {
		const now = this.clock.now();
		const pair = this.pairs.get(recipient) ?? { nextAt: now, failures: 0 };
		const waitMs = 4 ** pair.failures * 1000;
		pair.failures += 1;
		// Our bank was fuller than Meta's: treat it as drained.
		pair.nextAt = Math.max(pair.nextAt, now + PAIR_BURST * PAIR_INTERVAL_MS);
		this.pairs.set(recipient, pair);
		return waitMs;
	}

	/** A message reached `recipient`: the 4^X schedule starts over. */
	onPairDelivered(recipient: string): void {
		const pair = this.pairs.get(recipient);
		if (pair) pair.failures = 0;
	}

	onThrottled(): void {
		this.lastThrottledAt = this.clock.now();
		const floor = Math.max(MIN_RATE, this.configuredRate * FLOOR_SHARE);
		this.rate = Math.max(floor, this.rate * DECREASE_FACTOR);
	}

	onAccepted(): void {
		this.rate = Math.min(this.configuredRate, this.rate + this.configuredRate * INCREASE_SHARE);
	}

	/** App or business-use-case limit: nobody sends on this number before `ms` from now. */
	pauseFor(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
	}

	private prunePairs(now: number): void {
		if (this.pairs.size < this.pruneAtSize) return;
		for (const [recipient, pair] of this.pairs) {
			if (pair.nextAt + PAIR_IDLE_MS < now && pair.failures === 0) this.pairs.delete(recipient);
		}
		this.pruneAtSize = Math.max(1024, this.pairs.size * 2);
	}
}

/** One limiter per phone number ID, shared by every execution in this n8n process. */
const limiters = new Map<string, NumberLimiter>();

export function limiterFor(
	phoneNumberId: string,
	messagesPerSecond: number,
	clock: Clock,
): NumberLimiter {
	let limiter = limiters.get(phoneNumberId);
	if (!limiter) {
		limiter = new NumberLimiter(clock, messagesPerSecond);
		limiters.set(phoneNumberId, limiter);
	}
	limiter.setLimit(messagesPerSecond);
	return limiter;
}

/** Tests only: forget every number's learned state. */
export function resetLimiters(): void {
	limiters.clear();
}
