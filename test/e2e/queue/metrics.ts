/** Per-second throughput figures from the emulator's records. */
import type { AcceptedMessage, RequestRecord } from '../../emulator';

export interface SecondBucket {
	/** seconds since the first send attempt */
	s: number;
	attempts: number;
	accepted: number;
	throttled: number;
}

export interface RateReport {
	durationS: number;
	accepted: number;
	attempts: number;
	throttled: number;
	/** accepted / duration */
	meanAcceptedPerS: number;
	maxAcceptedPerS: number;
	maxAttemptsPerS: number;
	/** throttled / attempts: all, in the `convergeS` seconds from the first 130429, afterwards */
	throttledShare: number;
	throttledShareConverging: number;
	throttledShareSteady: number;
	convergeS: number;
	firstThrottleS: number | null;
	lastThrottleS: number | null;
	buckets: SecondBucket[];
}

export const isSend = (r: RequestRecord) => r.method === 'POST' && /\/messages$/.test(r.path);

export function rateReport(
	messages: AcceptedMessage[],
	requests: RequestRecord[],
	convergeS = 5,
): RateReport {
	const sends = requests.filter(isSend);
	const t0 = Math.min(...sends.map((r) => r.at), ...messages.map((m) => m.at));
	const buckets: SecondBucket[] = [];
	const bucket = (at: number) => {
		const s = Math.floor((at - t0) / 1000);
		for (let i = buckets.length; i <= s; i++)
			buckets.push({ s: i, attempts: 0, accepted: 0, throttled: 0 });
		return buckets[s];
	};
	for (const r of sends) {
		const b = bucket(r.at);
		b.attempts++;
		if (r.code === 130429) b.throttled++;
	}
	for (const m of messages) bucket(m.at).accepted++;
	const lastAt = Math.max(...messages.map((m) => m.at));
	const durationS = (lastAt - t0) / 1000;
	const sum = (l: SecondBucket[], k: keyof SecondBucket) => l.reduce((n, b) => n + b[k], 0);
	// convergence: the `convergeS` seconds from the first 130429 on
	const first = buckets.findIndex((b) => b.throttled > 0);
	const last = buckets.map((b) => b.throttled > 0).lastIndexOf(true);
	const from = first < 0 ? buckets.length : first;
	const early = buckets.slice(from, from + convergeS);
	const steady = buckets.slice(from + convergeS);
	const share = (l: SecondBucket[]) => {
		const a = sum(l, 'attempts');
		return a ? sum(l, 'throttled') / a : 0;
	};
	// the last bucket is partial: leave it out of the maxima
	const full = buckets.length > 1 ? buckets.slice(0, -1) : buckets;
	return {
		durationS,
		accepted: messages.length,
		attempts: sends.length,
		throttled: sum(buckets, 'throttled'),
		meanAcceptedPerS: durationS > 0 ? messages.length / durationS : messages.length,
		maxAcceptedPerS: Math.max(...full.map((b) => b.accepted)),
		maxAttemptsPerS: Math.max(...full.map((b) => b.attempts)),
		throttledShare: share(buckets),
		throttledShareConverging: share(early),
		throttledShareSteady: share(steady),
		convergeS,
		firstThrottleS: first < 0 ? null : first,
		lastThrottleS: last < 0 ? null : last,
		buckets,
	};
}

/** One line per second: `s  accepted  attempts  throttled  bar`. */
export function formatBuckets(buckets: SecondBucket[], limit: number): string {
	const lines = ['   s  acc/s  att/s  130429  (| = limit)'];
	for (const b of buckets) {
		const bar = '#'.repeat(Math.round(b.accepted / 4)).padEnd(Math.round(limit / 4), ' ') + '|';
		lines.push(
			`${String(b.s).padStart(4)}  ${String(b.accepted).padStart(5)}  ${String(b.attempts).padStart(5)}  ${String(b.throttled).padStart(6)}  ${bar}`,
		);
	}
	return lines.join('\n');
}
