import type { Clock } from '../helpers/clock';
import { MAX_SLEEP_MS, sleepUnlessCancelled } from './clock';
import { MAX_ANNOUNCED_WAIT_MS } from './retry';

/** Meta's pair limit: about 1 message per 6 s to the same user, with a bank of 45 for bursts. */
export const PAIR_INTERVAL_MS = 6_000;
export const PAIR_BURST = 45;

/*
 * Adaptive rate: several n8n processes may send on one number, each with its own limiter and no
 * shared state, against Meta's per-number bucket. Two parts:
 *
 * Per answer (fast, within a burst): each 130429 takes 4 % off the pace, each accepted message gives
 * back 0.4 % of the configured rate, never below a quarter of it and never above the ceiling.
 *
 * Per second (slow): the ceiling. A second with a 130429 means the senders together exceed Meta's
 * limit, and the messages this process got accepted in that second are its share of the limit (the
 * "knee"): the ceiling drops to the knee less 5 %. Every process doing so brings the total just under
 * the limit in one step, whatever the number of processes. Seconds without 130429 raise the ceiling:
 * back towards the knee halving the gap each second, then past it by only 0.5 % of the configured
 * rate per second (Meta's bucket holds a second's worth, so an overshoot shows up seconds late: it
 * must grow slowly), and after 10 s without any 130429 (another sender has stopped) by a step that
 * doubles each second, up to the configured rate. A per-answer law alone settles where decreases and
 * increases balance: at 2 processes, 14 % of attempts refused for as long as they share the number.
 */
const DECREASE_FACTOR = 0.96;
const INCREASE_SHARE = 0.004;
const MIN_RATE = 1;
/** A CPU-starved process gets 130429s in bursts of up to ~100 (measured in queue mode): the fast
 * part never goes below a quarter of the configured rate, so such a burst cannot stall the number. */
const FLOOR_SHARE = 0.25;
const WINDOW_MS = 1_000;
const KNEE_MARGIN = 0.05;
const APPROACH_SHARE = 0.5;
const PROBE_SHARE = 0.005;
const PROBE_GROWTH = 2;
const PROBE_MAX_SHARE = 0.25;
const QUIET_MS = 10_000;
const MAX_CUT = 0.5;
/** The ceiling follows the process's share of the limit, so it may go lower: 16 processes. */
const CEILING_FLOOR_SHARE = 1 / 16;
/** What was learned from 130429 is forgotten a minute after the last one. */
const FORGET_MS = 60_000;

/** Recipient pacing entries are scanned at least this often while the limiter is in use. */
const PAIR_PRUNE_EVERY_MS = 10_000;
/** After a 131056 the recipient's entry is kept while Meta's bank refills (45 × 6 s). */
const PAIR_REFILL_MS = PAIR_INTERVAL_MS * PAIR_BURST;

/** The limiter's answer to a wait: a slot, or why the caller should not wait for one. */
export type Acquired = { ok: true; waitedMs: number } | GaveUp;
export type GaveUp =
	| { ok: false; reason: 'cancelled' }
	| {
			ok: false;
			reason: 'deadline';
			/** when the slot would come: the end of a pause, or the pacing's next slot */
			readyAt: number;
			/** the number is paused (app or business limit) until `readyAt` */
			paused: boolean;
	  };

const CANCELLED: GaveUp = { ok: false, reason: 'cancelled' };

interface Waiter {
	deadline: number;
	enqueuedAt: number;
	settle: (outcome: Acquired) => void;
}

interface PairState {
	/** Theoretical arrival time of the recipient's next message (GCRA). */
	nextAt: number;
	/** 131056s in a row, for Meta's 4^X s schedule. */
	failures: number;
	/** A recipient with failures is remembered until then. */
	holdUntil: number;
}

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

	private lastUsedAt: number;

	private ceiling: number;

	private knee = 0;

	private probeShare = PROBE_SHARE;

	private window = { start: Number.NaN, accepted: 0, throttled: 0 };

	private readonly pairs = new Map<string, PairState>();

	private readonly waiters: Waiter[] = [];

	/** No waiter's deadline is earlier (may be stale-early: it only saves scans). */
	private earliestDeadline = Number.POSITIVE_INFINITY;

	private pumping = false;

	/** Pair entries are pruned when the map outgrows this, so pruning stays linear overall. */
	private pruneAtSize = 1024;

	private nextPruneAt = Number.NEGATIVE_INFINITY;

	constructor(
		private readonly clock: Clock,
		messagesPerSecond: number,
		private readonly burstMs = 100,
	) {
		this.configuredRate = messagesPerSecond;
		this.rate = messagesPerSecond;
		this.ceiling = messagesPerSecond;
		this.lastUsedAt = clock.now();
	}

	get currentRate(): number {
		return this.rate;
	}

	get limit(): number {
		return this.configuredRate;
	}

	/** Recipients whose pacing state is held (diagnostics and tests). */
	get trackedRecipients(): number {
		return this.pairs.size;
	}

	/**
	 * A new execution may configure another limit. What was learned from recent 130429s is kept;
	 * without any in the last minute the new limit applies at once.
	 */
	setLimit(messagesPerSecond: number): void {
		if (messagesPerSecond === this.configuredRate) return;
		this.configuredRate = messagesPerSecond;
		if (this.recentlyThrottled()) {
			this.rate = Math.min(this.rate, messagesPerSecond);
			this.ceiling = Math.min(this.ceiling, messagesPerSecond);
		} else {
			this.forgetThrottling();
		}
	}

	/**
	 * Waits for this number's next send slot. Waiters queue in order and one pump hands out slots,
	 * checking conformance when it wakes: after an event-loop stall at most a burst goes out at
	 * once, never every send that fell due meanwhile.
	 *
	 * `deadline` (clock time): a slot that would come later is not waited for — the answer is a
	 * `deadline` outcome at once (a pause) or as soon as the pacing shows it. `signal`: aborting it
	 * ends the wait with a `cancelled` outcome. No slot is used by a caller that gave up.
	 */
	async acquire(deadline = Number.POSITIVE_INFINITY, signal?: AbortSignal): Promise<Acquired> {
		const now = this.clock.now();
		this.lastUsedAt = now;
		if (signal?.aborted) return CANCELLED;
		if (this.pausedUntil > deadline) {
			return { ok: false, reason: 'deadline', readyAt: this.pausedUntil, paused: true };
		}
		return await new Promise<Acquired>((resolve) => {
			const onAbort = () => {
				const index = this.waiters.indexOf(waiter);
				if (index !== -1) this.waiters.splice(index, 1);
				waiter.settle(CANCELLED);
			};
			const waiter: Waiter = {
				deadline,
				enqueuedAt: now,
				settle: (outcome) => {
					signal?.removeEventListener('abort', onAbort);
					resolve(outcome);
				},
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.waiters.push(waiter);
			this.earliestDeadline = Math.min(this.earliestDeadline, deadline);
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
					this.releaseWaitersDueBefore(start);
					if (this.waiters.length === 0) break;
					// Long waits in parts: a timer beyond ~24.8 days would fire at once.
					await this.clock.sleep(Math.min(start - now, MAX_SLEEP_MS));
					continue;
				}
				this.nextAt = Math.max(this.nextAt, now) + interval;
				const waiter = this.waiters.shift();
				waiter?.settle({ ok: true, waitedMs: now - waiter.enqueuedAt });
			}
		} finally {
			this.pumping = false;
		}
	}

	/** Waiters whose deadline comes before `start` (the earliest next slot) give up now. */
	private releaseWaitersDueBefore(start: number): void {
		if (this.earliestDeadline >= start) return;
		let earliest = Number.POSITIVE_INFINITY;
		for (let index = this.waiters.length - 1; index >= 0; index--) {
			const waiter = this.waiters[index];
			if (waiter.deadline >= start) {
				earliest = Math.min(earliest, waiter.deadline);
				continue;
			}
			this.waiters.splice(index, 1);
			const paused = this.pausedUntil >= start;
			waiter.settle({ ok: false, reason: 'deadline', readyAt: start, paused });
		}
		this.earliestDeadline = earliest;
	}

	/**
	 * Waits until `recipient` may receive another message under the pair limit. `deadline` and
	 * `signal` as for `acquire()`; a caller that gives up leaves the recipient's pacing as it was.
	 */
	async acquirePair(
		recipient: string,
		deadline = Number.POSITIVE_INFINITY,
		signal?: AbortSignal,
	): Promise<Acquired> {
		const now = this.clock.now();
		this.lastUsedAt = now;
		this.prunePairs(now);
		if (signal?.aborted) return CANCELLED;
		const pair = this.pairs.get(recipient) ?? { nextAt: now, failures: 0, holdUntil: 0 };
		const tolerance = (PAIR_BURST - 1) * PAIR_INTERVAL_MS;
		const start = Math.max(now, pair.nextAt - tolerance);
		if (start > deadline) return { ok: false, reason: 'deadline', readyAt: start, paused: false };
		const before = pair.nextAt;
		pair.nextAt = Math.max(pair.nextAt, start) + PAIR_INTERVAL_MS;
		const reserved = pair.nextAt;
		this.pairs.set(recipient, pair);
		if (start === now) return { ok: true, waitedMs: 0 };
		if (await sleepUnlessCancelled(this.clock, start - now, signal)) {
			return { ok: true, waitedMs: start - now };
		}
		// Give the slot back unless a later message has reserved after it.
		if (pair.nextAt === reserved) pair.nextAt = before;
		return CANCELLED;
	}

	/** 131056 for `recipient`: Meta's bank is empty. Returns the wait before the retry: 4^X s. */
	onPairLimited(recipient: string): number {
		const now = this.clock.now();
		this.lastUsedAt = now;
		const pair = this.pairs.get(recipient) ?? { nextAt: now, failures: 0, holdUntil: 0 };
		const waitMs = Math.min(MAX_ANNOUNCED_WAIT_MS, 4 ** pair.failures * 1000);
		pair.failures += 1;
		// Our bank was fuller than Meta's: treat it as drained.
		pair.nextAt = Math.max(pair.nextAt, now + PAIR_REFILL_MS);
		// Remember the failures through the retry and while Meta's bank refills after it.
		pair.holdUntil = now + waitMs + PAIR_REFILL_MS;
		this.pairs.set(recipient, pair);
		return waitMs;
	}

	/** A message reached `recipient`: the 4^X schedule starts over. */
	onPairDelivered(recipient: string): void {
		const pair = this.pairs.get(recipient);
		if (pair) {
			pair.failures = 0;
			pair.holdUntil = 0;
		}
	}

	onThrottled(): void {
		const now = this.clock.now();
		this.lastThrottledAt = now;
		this.lastUsedAt = now;
		this.window.throttled++;
		const floor = Math.max(MIN_RATE, this.configuredRate * FLOOR_SHARE);
		this.rate = Math.min(this.rate, Math.max(floor, this.rate * DECREASE_FACTOR));
		this.closeWindow(now);
	}

	onAccepted(): void {
		const now = this.clock.now();
		this.lastUsedAt = now;
		this.window.accepted++;
		this.closeWindow(now);
		this.rate = Math.min(this.ceiling, this.rate + this.configuredRate * INCREASE_SHARE);
	}

	/** The per-second part of the adaptive rate (see the top of this file). */
	private closeWindow(now: number): void {
		const window = this.window;
		if (Number.isNaN(window.start)) window.start = now;
		const elapsed = now - window.start;
		if (elapsed < WINDOW_MS) return;
		if (elapsed >= FORGET_MS) {
			// Idle for a minute: the counts say nothing about the present.
			if (!this.recentlyThrottled()) this.forgetThrottling();
		} else if (window.throttled > 0) {
			const floor = Math.max(MIN_RATE, this.configuredRate * CEILING_FLOOR_SHARE);
			// At most halved per second: a process short of CPU can see a burst of 130429 at once.
			const share = Math.max(window.accepted / (elapsed / 1000), this.ceiling * MAX_CUT);
			this.knee = Math.max(floor, Math.min(this.ceiling, share));
			this.ceiling = Math.max(floor, this.knee * (1 - KNEE_MARGIN));
			this.probeShare = PROBE_SHARE;
		} else {
			const seconds = elapsed / 1000;
			const probe = this.configuredRate * this.probeShare * seconds;
			const step =
				this.ceiling < this.knee
					? Math.max(probe, (this.knee - this.ceiling) * APPROACH_SHARE)
					: probe;
			this.ceiling = Math.min(this.configuredRate, this.ceiling + step);
			if (this.ceiling >= this.knee && now - this.lastThrottledAt >= QUIET_MS) {
				this.probeShare = Math.min(PROBE_MAX_SHARE, this.probeShare * PROBE_GROWTH);
			}
		}
		this.rate = Math.min(this.rate, this.ceiling);
		this.window = { start: now, accepted: 0, throttled: 0 };
	}

	private recentlyThrottled(): boolean {
		return this.clock.now() - this.lastThrottledAt < FORGET_MS;
	}

	private forgetThrottling(): void {
		this.rate = this.configuredRate;
		this.ceiling = this.configuredRate;
		this.knee = 0;
		this.probeShare = PROBE_SHARE;
	}

	/** App or business-use-case limit: nobody sends on this number before `ms` from now (capped). */
	pauseFor(ms: number): void {
		if (!(ms > 0)) return;
		const now = this.clock.now();
		this.pausedUntil = Math.max(this.pausedUntil, now + Math.min(ms, MAX_ANNOUNCED_WAIT_MS));
	}

	/**
	 * Forgets recipients whose entry no longer changes anything: a recipient whose next-arrival time
	 * has passed paces exactly like one never seen (its bank is full), and failures are kept only
	 * through their retry and Meta's refill after it. Runs when the map has doubled or every 10 s.
	 */
	private prunePairs(now: number): void {
		if (this.pairs.size < this.pruneAtSize && now < this.nextPruneAt) return;
		for (const [recipient, pair] of this.pairs) {
			if (pair.nextAt <= now && pair.holdUntil <= now) this.pairs.delete(recipient);
		}
		this.pruneAtSize = Math.max(1024, this.pairs.size * 2);
		this.nextPruneAt = now + PAIR_PRUNE_EVERY_MS;
	}

	/** Housekeeping from outside: prunes, and tells whether the limiter holds nothing worth keeping. */
	isIdle(now: number): boolean {
		this.nextPruneAt = Number.NEGATIVE_INFINITY;
		this.prunePairs(now);
		return (
			!this.pumping &&
			this.waiters.length === 0 &&
			this.pairs.size === 0 &&
			this.pausedUntil <= now &&
			now - this.lastUsedAt >= FORGET_MS &&
			!this.recentlyThrottled()
		);
	}
}

/** One limiter per phone number ID, shared by every execution in this n8n process. */
const limiters = new Map<string, NumberLimiter>();
/** Idle limiters (and their recipients) are swept at most this often, from `limiterFor`. */
const SWEEP_EVERY_MS = 60_000;
let nextSweepAt = Number.NEGATIVE_INFINITY;

export function limiterFor(
	phoneNumberId: string,
	messagesPerSecond: number,
	clock: Clock,
): NumberLimiter {
	const now = clock.now();
	if (now >= nextSweepAt) {
		nextSweepAt = now + SWEEP_EVERY_MS;
		for (const [id, idle] of limiters) if (idle.isIdle(now)) limiters.delete(id);
	}
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
	nextSweepAt = Number.NEGATIVE_INFINITY;
}
