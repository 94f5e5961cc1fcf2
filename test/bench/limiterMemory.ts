/**
 * What the limiter's per-recipient state holds (audit finding 8): a broadcast to 500,000 distinct
 * recipients at 1,000 msg/s (a HIGH number; the most recipients per minute), 1 % of them answered
 * 131056 once and never delivered (their message gave up), then a day without sends on that number.
 * For the limiter before the fix (loaded from git, commit BEFORE_COMMIT) and now, each in a fresh
 * process with --expose-gc: recipients held and heap above the empty limiter, at the end of the
 * broadcast, a day later with no activity, and a day later after one send on another number and
 * one on this number. Merges the figures into test/bench/results.json under `limiterMemory`.
 *
 *   npx ts-node --transpile-only test/bench/limiterMemory.ts [--quick]
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { BEFORE_COMMIT, moduleFromGit } from './fromGit';
import type { TableRow } from './measure';
import { formatTable, machineInfo, mergeResults, round } from './measure';
import * as current from '../../nodes/WhatsAppCloud/transport/limiter';
import type { Clock } from '../../nodes/WhatsAppCloud/helpers/clock';

const RESULTS_FILE = path.join(__dirname, 'results.json');
const LIMITER_FILE = 'nodes/WhatsAppCloud/transport/limiter.ts';
const QUICK = process.argv.includes('--quick');
const RECIPIENTS = QUICK ? 50_000 : 500_000;
const RATE = 1000;
const FAILED_SHARE = 0.01;
const MiB = 1024 * 1024;

type Version = 'before' | 'after';
type LimiterModule = Pick<typeof current, 'limiterFor'>;

interface Figures {
	recipients: number;
	peakHeld: number;
	heldAtEnd: number;
	heapAtEndMB: number;
	heldDayLater: number;
	heapDayLaterMB: number;
	heldAfterNextSends: number;
	heapAfterNextSendsMB: number;
	/** limiterFor dropped the idle number's limiter and made a new one */
	idleLimiterReplaced: boolean;
	broadcastCpuMs: number;
}

const loadBefore = () => moduleFromGit<LimiterModule>(LIMITER_FILE);

/** Both versions keep the recipients in a private `pairs` map; the bench reads its size. */
const held = (limiter: unknown) => (limiter as { pairs: Map<string, unknown> }).pairs.size;

async function measureInChild(version: Version): Promise<Figures> {
	const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
	const { limiterFor } = version === 'before' ? loadBefore() : current;
	let time = 1_000_000;
	const clock: Clock = { now: () => time, sleep: async () => {}, random: () => 0.5 };
	const heap = () => {
		gc();
		return process.memoryUsage().heapUsed;
	};
	const number = '106540352242922';
	// the bench's own reference is dropped before the last measurement: what is left is the module's
	let limiter: ReturnType<typeof limiterFor> | undefined = limiterFor(number, RATE, clock);
	const baseline = heap();
	let peakHeld = 0;
	const cpuBefore = process.cpuUsage();
	for (let i = 0; i < RECIPIENTS; i++) {
		const recipient = `49151${String(i).padStart(8, '0')}`;
		await limiter.acquirePair(recipient);
		if (i % Math.round(1 / FAILED_SHARE) === 0) limiter.onPairLimited(recipient);
		time += 1000 / RATE;
		if (i % 1000 === 0) peakHeld = Math.max(peakHeld, held(limiter));
	}
	const cpu = process.cpuUsage(cpuBefore);
	const heldAtEnd = held(limiter);
	const heapAtEnd = heap() - baseline;
	time += 24 * 3_600_000;
	const heldDayLater = held(limiter);
	const heapDayLater = heap() - baseline;
	limiterFor('another-number', RATE, clock);
	const again = limiterFor(number, RATE, clock);
	const replaced = again !== limiter;
	limiter = undefined;
	await again.acquirePair('4915199999999');
	return {
		recipients: RECIPIENTS,
		peakHeld: Math.max(peakHeld, heldAtEnd),
		heldAtEnd,
		heapAtEndMB: round(heapAtEnd / MiB, 1),
		heldDayLater,
		heapDayLaterMB: round(heapDayLater / MiB, 1),
		heldAfterNextSends: held(again),
		heapAfterNextSendsMB: round((heap() - baseline) / MiB, 1),
		idleLimiterReplaced: replaced,
		broadcastCpuMs: round((cpu.user + cpu.system) / 1000, 0),
	};
}

function spawnMeasurement(version: Version): Figures {
	const out = execFileSync(
		process.execPath,
		[
			'--expose-gc',
			'-r',
			'ts-node/register/transpile-only',
			__filename,
			'--child',
			version,
			...(QUICK ? ['--quick'] : []),
		],
		{ encoding: 'utf8', maxBuffer: 1024 * 1024 },
	);
	return JSON.parse(out.trim().split('\n').pop()!) as Figures;
}

function main(): void {
	const started = Date.now();
	const before = spawnMeasurement('before');
	const after = spawnMeasurement('after');
	const row = (figure: string, pick: (f: Figures) => string, target?: string, pass?: boolean) => ({
		figure,
		value: `before ${pick(before)} → now ${pick(after)}`,
		...(target ? { target, verdict: pass ? ('PASS' as const) : ('FAIL' as const) } : {}),
	});
	// alive 6 s after their message, pruned at least every 10 s; failures kept 1 s + 270 s
	const bound = RATE * 16 + Math.ceil(RATE * FAILED_SHARE * 271);
	const rows: TableRow[] = [
		row('recipients held, most during the broadcast', (f) => String(f.peakHeld)),
		row('recipients held at its end', (f) => String(f.heldAtEnd)),
		row('heap above the empty limiter at its end', (f) => `${f.heapAtEndMB} MB`),
		row(
			'recipients held a day later, no activity',
			(f) => String(f.heldDayLater),
			`≤ ${bound} (16 s of sends, + 271 s of the 131056s)`,
			after.heldDayLater <= bound,
		),
		row('heap a day later, no activity', (f) => `${f.heapDayLaterMB} MB`),
		row(
			'held after one send on another number and one on this',
			(f) => String(f.heldAfterNextSends),
			'≤ 1',
			after.heldAfterNextSends <= 1,
		),
		row(
			'heap after those sends',
			(f) => `${f.heapAfterNextSendsMB} MB`,
			'< 1 MB',
			after.heapAfterNextSendsMB < 1,
		),
		row('CPU for the broadcast’s pacing calls', (f) => `${f.broadcastCpuMs} ms`),
	];
	process.stdout.write(
		`${RECIPIENTS} recipients at ${RATE} msg/s, ${FAILED_SHARE * 100} % answered 131056 once\n${formatTable(rows)}\n`,
	);
	mergeResults(RESULTS_FILE, {
		limiterMemory: {
			recipients: RECIPIENTS,
			messagesPerSecond: RATE,
			failedShare: FAILED_SHARE,
			before,
			after,
			beforeCommit: BEFORE_COMMIT,
			machine: machineInfo(),
			runSeconds: round((Date.now() - started) / 1000, 1),
			measuredAt: new Date().toISOString(),
		},
	});
}

if (process.argv[2] === '--child') {
	void measureInChild(process.argv[3] as Version).then((figures) =>
		process.stdout.write(`${JSON.stringify(figures)}\n`),
	);
} else if (require.main === module) {
	main();
}
