import { TokenBucket } from '../../emulator/limits';
import { NumberLimiter } from '../../../nodes/WhatsAppCloud/transport/limiter';
import { BACKOFF, exponentialBackoff } from '../../../nodes/WhatsAppCloud/transport/retry';
import { FakeClock } from './fakeClock';

/** A fake clock whose chance is a seeded generator (mulberry32), so runs are varied but repeatable. */
export class SeededClock extends FakeClock {
	constructor(private seed: number) {
		super();
	}

	random(): number {
		this.seed = (this.seed + 0x6d2b79f5) | 0;
		let t = this.seed;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}
}

/** What the simulated workers use of a limiter (the current one, or an older one in the bench). */
export interface WorkerLimiter {
	acquire(): Promise<unknown>;
	onAccepted(): void;
	onThrottled(): void;
	readonly currentRate: number;
}

export interface SharedNumberOptions {
	workers: number;
	/** Meta's limit for the number, and what each worker is configured with (the default: 80). */
	limit?: number;
	configured?: number;
	messagesPerWorker: number;
	/** messages per worker, when they differ (overrides messagesPerWorker) */
	perWorker?: number[];
	/** One-way network + Meta time; the answer arrives after twice this (±jitter). */
	halfLatencyMs?: number;
	seed?: number;
	createLimiter?: (clock: FakeClock, messagesPerSecond: number) => WorkerLimiter;
}

export interface Attempt {
	worker: number;
	/** when the request left the worker */
	at: number;
	accepted: boolean;
}

export interface SharedNumberRun {
	attempts: Attempt[];
	/** when each worker sent its last accepted message */
	finishedAt: number[];
	limiters: WorkerLimiter[];
}

/**
 * Several n8n workers sending on one phone number, each with its own limiter (no shared state),
 * against Meta's per-number token bucket (the emulator's model: `limit`/s, one second's worth of
 * burst, refused sends consume nothing). Each worker behaves like the sender: up to `concurrency`
 * requests in flight and twice that many messages in progress, one limiter slot per attempt, and
 * after a 130429 the limiter is told and the message waits its backoff before the next attempt.
 */
export async function runSharedNumber(options: SharedNumberOptions): Promise<SharedNumberRun> {
	const limit = options.limit ?? 80;
	const configured = options.configured ?? 80;
	const halfLatency = options.halfLatencyMs ?? 75;
	const clock = new SeededClock(options.seed ?? 1);
	const meta = new TokenBucket(limit, limit, 0);
	const attempts: Attempt[] = [];
	const create =
		options.createLimiter ?? ((fake, rate) => new NumberLimiter(fake, rate) as WorkerLimiter);
	const limiters = Array.from({ length: options.workers }, () => create(clock, configured));
	const finishedAt = new Array<number>(options.workers).fill(0);
	const concurrency = Math.min(500, Math.max(16, Math.ceil(configured / 2)));

	const worker = async (index: number) => {
		const limiter = limiters[index];
		let inFlight = 0;
		const requestSlots: Array<() => void> = [];
		const takeSlot = async () => {
			if (inFlight < concurrency) inFlight++;
			else await new Promise<void>((resolve) => requestSlots.push(resolve));
		};
		const releaseSlot = () => {
			const waiting = requestSlots.shift();
			if (waiting) waiting();
			else inFlight--;
		};
		let next = 0;
		const oneMessage = async () => {
			for (let retry = 1; ; retry++) {
				await takeSlot();
				await limiter.acquire();
				const at = clock.now();
				await clock.sleep(halfLatency * (0.7 + 0.6 * clock.random()));
				const accepted = meta.available(clock.now());
				if (accepted) meta.take(clock.now());
				await clock.sleep(halfLatency * (0.7 + 0.6 * clock.random()));
				releaseSlot();
				attempts.push({ worker: index, at, accepted });
				if (accepted) {
					limiter.onAccepted();
					finishedAt[index] = Math.max(finishedAt[index], at);
					return;
				}
				limiter.onThrottled();
				await clock.sleep(
					exponentialBackoff(retry, BACKOFF.throughputBaseMs, BACKOFF.throughputMaxMs, () =>
						clock.random(),
					),
				);
			}
		};
		const lane = async () => {
			const messages = options.perWorker?.[index] ?? options.messagesPerWorker;
			while (next < messages) {
				next++;
				await oneMessage();
			}
		};
		await Promise.all(Array.from({ length: concurrency * 2 }, lane));
	};
	await clock.run(Promise.all(limiters.map((_, index) => worker(index))));
	return { attempts, finishedAt, limiters };
}

/** Refused share of the attempts sent in [fromMs, toMs), and the accepted rate over that span. */
export function shareOf(run: SharedNumberRun, fromMs: number, toMs: number) {
	const inSpan = run.attempts.filter((a) => a.at >= fromMs && a.at < toMs);
	const accepted = inSpan.filter((a) => a.accepted).length;
	return {
		attempts: inSpan.length,
		refusedShare: inSpan.length === 0 ? 0 : (inSpan.length - accepted) / inSpan.length,
		acceptedPerSecond: accepted / ((toMs - fromMs) / 1000),
	};
}
