/** Measurement helpers shared by the sending benchmark scenarios. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import type { INodeExecutionData } from 'n8n-workflow';

import type { AcceptedMessage, RequestRecord } from '../emulator';

export interface MachineInfo {
	cores: number;
	cpuModel: string;
	memoryGb: number;
	node: string;
	platform: string;
	loadAverage1m: number;
}

export function machineInfo(): MachineInfo {
	const list = cpus();
	return {
		cores: list.length,
		cpuModel: list[0]?.model.trim() ?? 'unknown',
		memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
		node: process.version,
		platform: `${process.platform}-${process.arch}`,
		loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
	};
}

/** One input item of a broadcast: a distinct recipient and a text unique to the item. */
export interface BroadcastItem {
	to: string;
	text: string;
}

/** `count` distinct, valid, non-business recipients (country code 49, 12 digits). */
export function distinctRecipients(count: number, scenario: string): BroadcastItem[] {
	return Array.from({ length: count }, (_, i) => ({
		to: `4915${String(100000000 + i).slice(1)}`,
		text: `${scenario} message ${i + 1} of ${count}`,
	}));
}

/** `count` messages to a single recipient, each with its own text. */
export function sameRecipient(count: number, to: string, scenario: string): BroadcastItem[] {
	return Array.from({ length: count }, (_, i) => ({
		to,
		text: `${scenario} message ${i + 1} of ${count}`,
	}));
}

export interface DeliveryFigures {
	/** Input items the emulator never accepted. */
	lost: number;
	/** Extra acceptances of an item already accepted (the same recipient and text). */
	duplicates: number;
	/** Accepted messages that match no input item, or whose body differs from what was expected. */
	unexpected: number;
	accepted: number;
}

const itemKey = (to: string, text: string) => `${to}\u0000${text}`;

/**
 * Compares the emulator's accepted messages with the input items. An item is identified by its
 * recipient and its unique text, so "duplicate" means the same message accepted twice.
 */
export function deliveryFigures(
	items: BroadcastItem[],
	accepted: AcceptedMessage[],
): DeliveryFigures {
	const expected = new Map(items.map((item) => [itemKey(item.to, item.text), 0]));
	let unexpected = 0;
	for (const message of accepted) {
		const body = message.body as { to?: unknown; type?: unknown; text?: { body?: unknown } };
		const key = itemKey(message.to, String(body.text?.body ?? ''));
		const seen = expected.get(key);
		if (seen === undefined || body.type !== 'text' || body.to !== message.to) {
			unexpected++;
			continue;
		}
		expected.set(key, seen + 1);
	}
	let lost = 0;
	let duplicates = 0;
	for (const count of expected.values()) {
		if (count === 0) lost++;
		else duplicates += count - 1;
	}
	return { lost, duplicates, unexpected, accepted: accepted.length };
}

export interface RateFigures {
	/** (accepted − 1) / (last acceptance − first acceptance), per second. */
	acceptedPerSecond: number;
	/** Span between the first and the last acceptance. */
	acceptanceSpanSeconds: number;
	/**
	 * The most the emulator's bucket, full at the start, could add to the ratio over that span:
	 * capacity / span / limit. The ratio is at most 1 + this when the emulator never refused.
	 */
	initialBucketAllowance: number;
	/** Accepted per second in the busiest one-second window (sliding over acceptances). */
	peakPerSecond: number;
}

/**
 * Rate from the first to the last acceptance, so neither the node's start-up (n8n, credentials)
 * nor the last response's latency dilutes it. Acceptance times are the emulator's clock (ms).
 */
export function rateFigures(
	accepted: AcceptedMessage[],
	limit: number,
	bucketSeconds: number,
): RateFigures {
	const times = accepted.map((message) => message.at).sort((a, b) => a - b);
	if (times.length < 2) {
		return {
			acceptedPerSecond: 0,
			acceptanceSpanSeconds: 0,
			initialBucketAllowance: 0,
			peakPerSecond: 0,
		};
	}
	const spanSeconds = (times[times.length - 1] - times[0]) / 1000;
	let peak = 0;
	let start = 0;
	for (let end = 0; end < times.length; end++) {
		while (times[end] - times[start] >= 1000) start++;
		peak = Math.max(peak, end - start + 1);
	}
	return {
		acceptedPerSecond: spanSeconds > 0 ? (times.length - 1) / spanSeconds : 0,
		acceptanceSpanSeconds: spanSeconds,
		initialBucketAllowance: spanSeconds > 0 ? (limit * bucketSeconds) / spanSeconds / limit : 0,
		peakPerSecond: peak,
	};
}

/** How often the emulator answered each Graph error code, split into limit-caused and injected. */
export function emulatorAnswers(requests: RequestRecord[]): {
	messageRequests: number;
	byCode: Record<string, number>;
	injected: Record<string, number>;
} {
	const byCode: Record<string, number> = {};
	const injected: Record<string, number> = {};
	let messageRequests = 0;
	for (const request of requests) {
		if (request.method !== 'POST' || !request.path.endsWith('/messages')) continue;
		messageRequests++;
		if (request.code === undefined) continue;
		const wasInjected = request.fault === 'forced' || request.fault === '5xx';
		const target = wasInjected ? injected : byCode;
		target[request.code] = (target[request.code] ?? 0) + 1;
	}
	return { messageRequests, byCode, injected };
}

export interface OutputFigures {
	/** Output items that carry a messageId (accepted by the emulator). */
	sent: number;
	/** Output items that carry an error, in any output. */
	errors: number;
	/** Error items by their `code`. */
	errorCodes: Record<string, number>;
	/** Sum of the items' `attempts`. */
	attempts: number;
	/** Items missing from the output altogether (neither sent nor failed). */
	missing: number;
}

export function outputFigures(outputs: INodeExecutionData[][], inputCount: number): OutputFigures {
	const figures: OutputFigures = { sent: 0, errors: 0, errorCodes: {}, attempts: 0, missing: 0 };
	let seen = 0;
	for (const output of outputs) {
		for (const item of output) {
			seen++;
			const json = item.json;
			figures.attempts += typeof json.attempts === 'number' ? json.attempts : 0;
			if (typeof json.messageId === 'string' && json.error === undefined) {
				figures.sent++;
				continue;
			}
			figures.errors++;
			const code = String(json.code ?? 'none');
			figures.errorCodes[code] = (figures.errorCodes[code] ?? 0) + 1;
		}
	}
	figures.missing = Math.max(0, inputCount - seen);
	return figures;
}

export interface ProcessProfile {
	wallSeconds: number;
	/** CPU time of this process (node + n8n + in-process emulator) / wall time; 1.0 = one core. */
	cpuCores: number;
	/** Event-loop delay while the scenario ran (ms): high values mean the thread was saturated. */
	eventLoopDelayP50Ms: number;
	eventLoopDelayP99Ms: number;
	eventLoopDelayMaxMs: number;
	/** The machine's 1-minute load average when the scenario ended (other processes compete). */
	loadAverage1m: number;
}

/** Runs `work`, measuring wall time, this process's CPU and its event-loop delay. */
export async function profiled<T>(
	work: () => Promise<T>,
): Promise<{ value: T; profile: ProcessProfile }> {
	const histogram = monitorEventLoopDelay({ resolution: 10 });
	histogram.enable();
	const cpuBefore = process.cpuUsage();
	const started = process.hrtime.bigint();
	const value = await work();
	const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
	const cpu = process.cpuUsage(cpuBefore);
	histogram.disable();
	return {
		value,
		profile: {
			wallSeconds: round(wallSeconds, 3),
			cpuCores: round((cpu.user + cpu.system) / 1e6 / wallSeconds, 2),
			eventLoopDelayP50Ms: round(histogram.percentile(50) / 1e6, 1),
			eventLoopDelayP99Ms: round(histogram.percentile(99) / 1e6, 1),
			eventLoopDelayMaxMs: round(histogram.max / 1e6, 1),
			loadAverage1m: round(loadavg()[0], 2),
		},
	};
}

export function round(value: number, digits = 3): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

/** Writes `figures` into the JSON file, replacing only these top-level keys. */
export function mergeResults(path: string, figures: Record<string, unknown>): void {
	let existing: Record<string, unknown> = {};
	if (existsSync(path)) {
		try {
			const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
			if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
				existing = parsed as Record<string, unknown>;
			}
		} catch {
			// An unreadable file is replaced rather than failing the measurement.
		}
	}
	writeFileSync(path, `${JSON.stringify({ ...existing, ...figures }, null, '\t')}\n`);
}

export interface TableRow {
	figure: string;
	value: string;
	target?: string;
	verdict?: 'PASS' | 'FAIL';
}

export function formatTable(rows: TableRow[]): string {
	const headers = ['Figure', 'Value', 'Target', ''];
	const cells = rows.map((row) => [row.figure, row.value, row.target ?? '', row.verdict ?? '']);
	const widths = headers.map((header, column) =>
		Math.max(header.length, ...cells.map((cell) => cell[column].length)),
	);
	const line = (cell: string[]) =>
		`| ${cell.map((text, column) => text.padEnd(widths[column])).join(' | ')} |`;
	return [
		line(headers),
		`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
		...cells.map(line),
	].join('\n');
}
