/**
 * Several n8n workers on one phone number, each with its own limiter at the default 80 msg/s, on
 * the fake clock against the emulator's model of Meta's bucket (test/unit/support/sharedNumber.ts,
 * the simulation the limiter's unit tests use): refused share of the attempts after the first 5 s
 * and the aggregate accepted rate, for the limiter before the fix (loaded from git, commit
 * BEFORE_COMMIT) and now. Merges the figures into test/bench/results.json under `sharedNumber`.
 *
 *   npx ts-node --transpile-only test/bench/sharedNumber.ts
 */
import path from 'node:path';

import { BEFORE_COMMIT, moduleFromGit } from './fromGit';
import type { TableRow } from './measure';
import { formatTable, machineInfo, mergeResults, round } from './measure';
import { NumberLimiter } from '../../nodes/WhatsAppCloud/transport/limiter';
import type { WorkerLimiter } from '../unit/support/sharedNumber';
import { runSharedNumber, shareOf } from '../unit/support/sharedNumber';
import type { FakeClock } from '../unit/support/fakeClock';

const RESULTS_FILE = path.join(__dirname, 'results.json');
const LIMIT = 80;
const MESSAGES = 3200;
const SEEDS = [1, 2, 3, 4, 5];

type Create = (clock: FakeClock, rate: number) => WorkerLimiter;

function loadBefore(): Create {
	const { NumberLimiter: Old } = moduleFromGit<{
		NumberLimiter: new (clock: FakeClock, rate: number) => WorkerLimiter;
	}>('nodes/WhatsAppCloud/transport/limiter.ts');
	return (clock, rate) => new Old(clock, rate);
}

async function scenario(workers: number, create: Create) {
	const runs = [];
	for (const seed of SEEDS) {
		const run = await runSharedNumber({
			workers,
			messagesPerWorker: MESSAGES / workers,
			seed,
			createLimiter: create,
		});
		const allSending = Math.min(...run.finishedAt);
		const steady = shareOf(run, 5_000, allSending);
		runs.push({
			seed,
			refusedShareAfter5s: round(steady.refusedShare, 4),
			acceptedPerSecond: round(steady.acceptedPerSecond, 1),
			allSendingSeconds: round(allSending / 1000, 1),
			attempts: run.attempts.length,
		});
	}
	return {
		worstRefusedShareAfter5s: Math.max(...runs.map((r) => r.refusedShareAfter5s)),
		leastAcceptedPerLimit: round(Math.min(...runs.map((r) => r.acceptedPerSecond)) / LIMIT, 3),
		runs,
	};
}

async function main(): Promise<void> {
	const started = Date.now();
	const before = loadBefore();
	const now: Create = (clock, rate) => new NumberLimiter(clock, rate);
	const figures: Record<string, unknown> = {};
	const rows: TableRow[] = [];
	for (const workers of [2, 4]) {
		const old = await scenario(workers, before);
		const fixed = await scenario(workers, now);
		figures[`workers${workers}`] = { before: old, after: fixed };
		const pct = (share: number) => `${round(share * 100, 1)} %`;
		rows.push(
			{
				figure: `${workers} workers: refused after 5 s (worst of ${SEEDS.length})`,
				value: `before ${pct(old.worstRefusedShareAfter5s)} → now ${pct(fixed.worstRefusedShareAfter5s)}`,
				target: '< 3 %',
				verdict: fixed.worstRefusedShareAfter5s < 0.03 ? 'PASS' : 'FAIL',
			},
			{
				figure: `${workers} workers: accepted / limit (least of ${SEEDS.length})`,
				value: `before ${old.leastAcceptedPerLimit} → now ${fixed.leastAcceptedPerLimit}`,
				target: '≥ 0.9',
				verdict: fixed.leastAcceptedPerLimit >= 0.9 ? 'PASS' : 'FAIL',
			},
		);
	}
	process.stdout.write(
		`${MESSAGES} messages over the workers, limit ${LIMIT} msg/s, each worker at ${LIMIT} msg/s (default), 150 ms latency, fake clock\n${formatTable(rows)}\n`,
	);
	mergeResults(RESULTS_FILE, {
		sharedNumber: {
			limit: LIMIT,
			messages: MESSAGES,
			seeds: SEEDS,
			...figures,
			beforeCommit: BEFORE_COMMIT,
			machine: machineInfo(),
			runSeconds: round((Date.now() - started) / 1000, 1),
			measuredAt: new Date().toISOString(),
		},
	});
}

if (require.main === module) void main();
