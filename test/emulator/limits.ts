/** Meta's send limits (fact sheet §8): per-number throughput, per-pair rate, Business Management calls/hour. */

/** Continuous-refill token bucket; `take` only consumes when a token is available. */
export class TokenBucket {
	private tokens: number;
	private last: number;
	constructor(
		private rate: number,
		private capacity: number,
		now: number,
	) {
		this.tokens = capacity;
		this.last = now;
	}
	private refill(now: number) {
		if (now > this.last) {
			this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
			this.last = now;
		}
	}
	available(now: number): boolean {
		this.refill(now);
		return this.tokens >= 1;
	}
	take(now: number): void {
		this.refill(now);
		this.tokens -= 1;
	}
	/** Milliseconds until one token is available. */
	waitMs(now: number): number {
		this.refill(now);
		return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.rate) * 1000;
	}
}

export interface PairRateSettings {
	enabled: boolean;
	/** Sustained interval between messages to one recipient (Meta: ~1 per 6 s). */
	intervalMs: number;
	/** Messages that may be sent back-to-back before the interval applies (Meta: 45). */
	burst: number;
}

export interface BusinessRateSettings {
	/** Calls per rolling hour to templates / phone_numbers / subscribed_apps; 0 disables (default). */
	callsPerHour: number;
}

/**
 * Per-number throughput and per-(number, recipient) pair buckets. The pair bank is a token bucket of
 * `burst` tokens refilled one per `intervalMs` — Meta's "45 in a burst, then borrow future quota".
 */
export class Limits {
	private buckets = new Map<string, { rate: number; bucket: TokenBucket }>();
	private pairs = new Map<string, { key: string; bucket: TokenBucket }>();
	private bmCalls: number[] = [];

	reset() {
		this.buckets.clear();
		this.pairs.clear();
		this.bmCalls = [];
	}

	/**
	 * Checks both limits for one send and consumes a token of each only if both pass — rejected
	 * sends consume nothing (our reading of Meta: only accepted messages count toward throughput).
	 */
	check(
		phoneNumberId: string,
		recipient: string,
		rate: number,
		burstSeconds: number,
		pair: PairRateSettings,
		now: number,
	): 0 | 130429 | 131056 {
		let b = this.buckets.get(phoneNumberId);
		if (!b || b.rate !== rate) {
			b = { rate, bucket: new TokenBucket(rate, Math.max(1, rate * burstSeconds), now) };
			this.buckets.set(phoneNumberId, b);
		}
		if (!b.bucket.available(now)) return 130429;
		let p: TokenBucket | undefined;
		if (pair.enabled) {
			const key = `${phoneNumberId}|${recipient}|${pair.intervalMs}|${pair.burst}`;
			const pk = `${phoneNumberId}|${recipient}`;
			let entry = this.pairs.get(pk);
			if (!entry || entry.key !== key) {
				entry = { key, bucket: new TokenBucket(1000 / pair.intervalMs, pair.burst, now) };
				this.pairs.set(pk, entry);
			}
			p = entry.bucket;
			if (!p.available(now)) return 131056;
		}
		b.bucket.take(now);
		p?.take(now);
		return 0;
	}

	/** Returns null when allowed, else minutes until access is regained (for 80007). */
	businessCall(
		settings: BusinessRateSettings,
		nowMs: number,
	): { usagePct: number; regainMinutes: number | null } {
		if (!settings.callsPerHour) return { usagePct: 0, regainMinutes: null };
		const hourAgo = nowMs - 3_600_000;
		while (this.bmCalls.length && this.bmCalls[0] <= hourAgo) this.bmCalls.shift();
		if (this.bmCalls.length >= settings.callsPerHour) {
			const regainMs =
				this.bmCalls[this.bmCalls.length - settings.callsPerHour] + 3_600_000 - nowMs;
			return { usagePct: 100, regainMinutes: Math.max(1, Math.ceil(regainMs / 60_000)) };
		}
		this.bmCalls.push(nowMs);
		return {
			usagePct: Math.min(100, Math.round((this.bmCalls.length / settings.callsPerHour) * 100)),
			regainMinutes: null,
		};
	}
}
