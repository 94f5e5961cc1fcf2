/** Fault injection for /messages (and optionally media): latency, 5xx, resets, timeouts, forced codes. */
import { Prng } from './random';

export type LatencySpec =
	| { kind: 'none' }
	| { kind: 'fixed'; ms: number }
	| { kind: 'uniform'; min: number; max: number }
	/** Log-normal with the given median and 99th percentile. */
	| { kind: 'longtail'; p50: number; p99: number };

export interface FaultSettings {
	/** Probability of a Graph 5xx (HTTP 500/503) with one of `serverErrorCodes`; nothing recorded. */
	serverErrorRate: number;
	serverErrorCodes: number[];
	/** Probability the socket is destroyed before processing (nothing recorded). */
	resetBeforeRate: number;
	/** Probability the message is accepted and recorded, then the socket destroyed (no answer). */
	resetAfterRate: number;
	/** Probability the message is accepted and recorded, and no answer is ever sent. */
	timeoutRate: number;
	/**
	 * Probability the message is accepted and recorded, then answered with one of
	 * `processedErrorAnswers`: what a proxy's 502/504 or Meta's generic errors look like when the
	 * message went through behind them.
	 */
	processedErrorRate: number;
	processedErrorAnswers: ProcessedErrorAnswer[];
	/** Probability a valid send is rejected with one of `errorCodes`. */
	errorRate: number;
	errorCodes: number[];
	/** Restrict `errorRate` to these recipients (digits or BSUID); empty = all. */
	errorRecipients: string[];
	/** Also apply latency/5xx/reset/timeout to media upload, URL and download. */
	applyToMedia: boolean;
}

/** An HTTP status alone (an HTML page, as a gateway answers) or with a Graph error code. */
export interface ProcessedErrorAnswer {
	status: number;
	code?: number;
}

/** A gateway's page for a status without a Graph error. */
export function gatewayPage(status: number): Buffer {
	return Buffer.from(
		`<html><body><h1>${status}</h1>The upstream server did not answer in time.</body></html>`,
	);
}

export const DEFAULT_FAULTS: FaultSettings = {
	serverErrorRate: 0,
	serverErrorCodes: [1, 2, 131000, 131016],
	resetBeforeRate: 0,
	resetAfterRate: 0,
	timeoutRate: 0,
	processedErrorRate: 0,
	processedErrorAnswers: [{ status: 502 }, { status: 504 }, { status: 500, code: 131000 }],
	errorRate: 0,
	errorCodes: [131056, 130429, 131047],
	errorRecipients: [],
	applyToMedia: false,
};

/** Longtail sigma from the p50→p99 ratio; z(0.99) = 2.3263. */
export function sampleLatency(spec: LatencySpec, rng: Prng): number {
	switch (spec.kind) {
		case 'fixed':
			return spec.ms;
		case 'uniform':
			return spec.min + rng.next() * (spec.max - spec.min);
		case 'longtail': {
			const sigma = Math.log(Math.max(spec.p99, spec.p50 + 1e-9) / spec.p50) / 2.3263;
			return Math.min(spec.p50 * Math.exp(sigma * rng.normal()), spec.p99 * 5);
		}
		default:
			return 0;
	}
}

/** One-shot queue: the next `count` sends to `to` answer `code`. */
export class ErrorQueue {
	private entries: { to: string; code: number; left: number; details?: string }[] = [];
	add(to: string, code: number, count = 1, details?: string) {
		this.entries.push({ to: normalizeRecipient(to), code, left: count, details });
	}
	take(recipients: string[]): { code: number; details?: string } | undefined {
		const set = recipients.map(normalizeRecipient);
		const e = this.entries.find((x) => x.left > 0 && (x.to === '*' || set.includes(x.to)));
		if (!e) return undefined;
		e.left--;
		this.entries = this.entries.filter((x) => x.left > 0);
		return { code: e.code, details: e.details };
	}
	clear() {
		this.entries = [];
	}
	pending() {
		return this.entries.map((e) => ({ to: e.to, code: e.code, count: e.left }));
	}
}

export const normalizeRecipient = (s: string) =>
	/^\+?[\d\s\-()]+$/.test(s) ? s.replace(/\D/g, '') : s;
