/**
 * `npm run bench`: the sending benchmark. Runs the real node (message → sendText) through n8n-core
 * against the Cloud API emulator and prints ratios measured in this run: achieved rate / limit,
 * delivery completeness, and the cost of injected faults. Exits 0 even when a target is missed.
 *
 * `--only broadcast80,faults` runs a subset (faults needs broadcast80 and adds it).
 */
import path from 'node:path';

import type { TableRow } from './measure';
import { formatTable, machineInfo, mergeResults } from './measure';
import type { BroadcastFigures, BroadcastOptions } from './scenarios/broadcast';
import { LATENCY_MS, runBroadcast } from './scenarios/broadcast';
import type { FaultFigures } from './scenarios/faults';
import { runFaults } from './scenarios/faults';
import type { PairBurstFigures } from './scenarios/pairBurst';
import { runPairBurst } from './scenarios/pairBurst';

const RESULTS_FILE = path.join(__dirname, 'results.json');
const SCENARIOS = ['broadcast80', 'broadcast1000', 'sustained1000', 'faults', 'pairBurst'] as const;
type ScenarioName = (typeof SCENARIOS)[number];

/** Emulator phone numbers: 0 and 2 are STANDARD, 1 is HIGH (1,000 msg/s). Limiters are reset anyway. */
const PHONE = { standard: 0, high: 1, support: 2 } as const;

function selectedScenarios(argv: string[]): Set<ScenarioName> {
	const flag = argv.find((arg) => arg.startsWith('--only'));
	const value = flag?.includes('=') ? flag.split('=')[1] : flag && argv[argv.indexOf(flag) + 1];
	if (!value) return new Set(SCENARIOS);
	const names = value.split(',').map((name) => name.trim());
	const unknown = names.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
	if (unknown.length > 0) {
		throw new Error(`Unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
	}
	const selected = new Set(names as ScenarioName[]);
	if (selected.has('faults')) selected.add('broadcast80');
	return selected;
}

function log(message: string): void {
	process.stdout.write(`${message}\n`);
}

const fixed = (value: number, digits = 3) => value.toFixed(digits);

function check(
	figure: string,
	value: number,
	target: { atLeast?: number; atMost?: number; equals?: number },
	digits = 3,
): TableRow {
	let pass = true;
	let text = '';
	if (target.atLeast !== undefined) {
		pass = value >= target.atLeast;
		text = `>= ${target.atLeast}`;
	} else if (target.atMost !== undefined) {
		pass = value <= target.atMost;
		text = `<= ${target.atMost}`;
	} else if (target.equals !== undefined) {
		pass = value === target.equals;
		text = `= ${target.equals}`;
	}
	return { figure, value: fixed(value, digits), target: text, verdict: pass ? 'PASS' : 'FAIL' };
}

function info(figure: string, value: string | number): TableRow {
	return { figure, value: typeof value === 'number' ? String(value) : value };
}

function broadcastRows(key: string, figures: BroadcastFigures, minRateRatio: number): TableRow[] {
	const rows = [
		check(`${key}.rateRatio`, figures.rateRatio, { atLeast: minRateRatio }),
		info(
			`${key}  (rate: first→last acceptance)`,
			`${fixed(figures.rateRatio * figures.limit, 1)}/s of ${figures.limit}/s over ${fixed(figures.acceptanceSpanSeconds, 2)} s; full initial bucket could add <= ${fixed(figures.initialBucketAllowance)}`,
		),
		info(`${key}.wallRateRatio`, fixed(figures.wallRateRatio)),
		info(
			`${key}.peakPerSecond`,
			`${figures.peakPerSecond} accepted in the busiest 1 s window (${fixed(figures.peakPerSecond / figures.limit, 2)}× limit)`,
		),
		check(`${key}.throttleErrorsSurfaced`, figures.throttleErrorsSurfaced, { equals: 0 }, 0),
		check(`${key}.lost`, figures.lost, { equals: 0 }, 0),
		check(`${key}.duplicates`, figures.duplicates, { equals: 0 }, 0),
		info(
			`${key}.wallSeconds`,
			`${fixed(figures.wallSeconds, 2)} (first acceptance after ${fixed(figures.firstAcceptanceSeconds, 2)} s)`,
		),
		info(`${key}.emulator130429`, figures.emulator130429),
		info(`${key}.surfacedErrors`, figures.surfacedErrors),
		info(
			`${key}  (process)`,
			`${figures.messageRequests} requests, CPU ${figures.cpuMsPerMessage} ms/message (${figures.cpuCores} cores), event-loop delay p99 ${figures.eventLoopDelayP99Ms} / max ${figures.eventLoopDelayMaxMs} ms, load ${figures.loadAverage1m}`,
		),
	];
	rows.push(
		info(
			`${key}.cpuBoundCeilingRatio`,
			`${fixed(figures.cpuBoundCeilingRatio)} (1000 / ${figures.cpuMsPerMessage} ms CPU per message / limit: the most one free core allows)`,
		),
	);
	if (figures.rawClientRateRatio !== undefined) {
		rows.push(
			info(
				`${key}.rawClientRateRatio`,
				`${fixed(figures.rawClientRateRatio)} (plain keep-alive HTTP client, no n8n: the machine's ceiling)`,
			),
		);
	}
	if (figures.nodeError) rows.push(info(`${key}  (node error)`, figures.nodeError));
	return rows;
}

/** A verdict on the node is only meaningful when a bare client reaches the target on this machine. */
function machineCeilingWarning(key: string, figures: BroadcastFigures, target: number): string[] {
	if (figures.rawClientRateRatio === undefined || figures.rawClientRateRatio >= target) return [];
	return [
		`WARNING: ${key}: in this run a plain HTTP client (no n8n) reached only ${fixed(figures.rawClientRateRatio)} of the limit against the same emulator (load ${figures.loadAverage1m} on ${machineInfo().cores} cores): this machine could not sustain the limit at all, so the ${key}.rateRatio verdict says little about the node; rerun on a quieter machine.`,
	];
}

function faultRows(figures: FaultFigures): TableRow[] {
	const rows = [
		check('faults.lost', figures.lost, { equals: 0 }, 0),
		check('faults.duplicates', figures.duplicates, { equals: 0 }, 0),
		check('faults.timeRatio', figures.timeRatio, { atMost: 1.3 }),
		info(
			'faults  (pacing floor)',
			`${figures.messageRequests} attempts / ${figures.limit}/s = ${fixed(figures.requestPacingSeconds, 2)} s, timeRatio >= ${fixed(figures.pacingFloorRatio)}`,
		),
		info('faults.surfacedErrors', figures.surfacedErrors),
		info('faults.wallSeconds', fixed(figures.wallSeconds, 2)),
		info('faults.rateRatio', fixed(figures.rateRatio)),
		info(
			'faults  (injected)',
			`${Object.entries(figures.injected)
				.map(([code, count]) => `${code}×${count}`)
				.join(', ')}; limit 130429×${figures.emulator130429}; ${figures.messageRequests} requests`,
		),
	];
	if (figures.nodeError) rows.push(info('faults  (node error)', figures.nodeError));
	return rows;
}

function pairRows(figures: PairBurstFigures): TableRow[] {
	const rows = [
		check('pairBurst.delivered', figures.delivered, { equals: figures.messages }, 0),
		check('pairBurst.lost', figures.lost, { equals: 0 }, 0),
		check('pairBurst.duplicates', figures.duplicates, { equals: 0 }, 0),
		info('pairBurst.code131056Retries', figures.code131056Retries),
		info('pairBurst.inOrder', String(figures.inOrder)),
		info(
			'pairBurst.wallSeconds',
			`${fixed(figures.wallSeconds, 2)} (pair limit allows >= ${figures.minimumSeconds} s: ${figures.messages - figures.pairBurst} after the burst of ${figures.pairBurst}, 1 per ${figures.pairIntervalSeconds} s)`,
		),
	];
	if (figures.nodeError) rows.push(info('pairBurst  (node error)', figures.nodeError));
	return rows;
}

function scenarioLoads(results: Record<string, unknown>): number[] {
	return Object.values(results)
		.map((figures) => (figures as { loadAverage1m?: unknown }).loadAverage1m)
		.filter((load): load is number => typeof load === 'number');
}

async function main(): Promise<void> {
	const selected = selectedScenarios(process.argv.slice(2));
	const machine = machineInfo();
	const startedAt = new Date().toISOString();
	log(
		`Sending benchmark — ${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}, ${machine.platform}, load ${machine.loadAverage1m}`,
	);
	log(
		`Emulator in this process, ${LATENCY_MS} ms fixed latency per request; node run through n8n-core (test/nodes/harness.ts).`,
	);

	const results: Record<string, unknown> = {};
	const rows: TableRow[] = [];
	const warnings: string[] = [];

	/** One broadcast scenario: distinct recipients at `messagesPerSecond`, judged on its rate. */
	const broadcast = async (
		scenario: ScenarioName,
		options: Omit<BroadcastOptions, 'scenario'>,
		minRateRatio: number,
	): Promise<BroadcastFigures> => {
		const count = options.messages.toLocaleString('en-US');
		log(
			`${scenario}: ${count} messages to ${count} recipients at ${options.messagesPerSecond.toLocaleString('en-US')} msg/s …`,
		);
		const figures = await runBroadcast({ scenario, ...options });
		results[scenario] = figures;
		rows.push(...broadcastRows(scenario, figures, minRateRatio));
		warnings.push(...machineCeilingWarning(scenario, figures, minRateRatio));
		return figures;
	};

	const broadcast80 = selected.has('broadcast80')
		? await broadcast(
				'broadcast80',
				{ messages: 2000, messagesPerSecond: 80, phoneNumberIndex: PHONE.standard },
				0.97,
			)
		: undefined;
	if (selected.has('broadcast1000')) {
		await broadcast(
			'broadcast1000',
			{
				messages: 2000,
				messagesPerSecond: 1000,
				phoneNumberIndex: PHONE.high,
				rawClientBaseline: true,
			},
			0.9,
		);
	}
	if (selected.has('sustained1000')) {
		// At 1,000 msg/s, 2,000 messages take 2 s, and the emulator's bucket (full at the start, 1 s
		// of capacity) can add up to half the limit to that rate: ten seconds show the sustained rate.
		await broadcast(
			'sustained1000',
			{ messages: 10_000, messagesPerSecond: 1000, phoneNumberIndex: PHONE.high },
			0.9,
		);
	}
	if (selected.has('faults') && broadcast80) {
		log('faults: 2,000 messages at 80 msg/s with 10 % injected 5xx and 5 % injected 130429 …');
		const figures = await runFaults({
			messages: 2000,
			messagesPerSecond: 80,
			phoneNumberIndex: PHONE.standard,
			faultFreeWallSeconds: broadcast80.wallSeconds,
		});
		results.faults = figures;
		rows.push(...faultRows(figures));
	}
	if (selected.has('pairBurst')) {
		log('pairBurst: 60 messages to one recipient (pair limit: 45 in a burst, then 1 per 6 s) …');
		const figures = await runPairBurst({ messages: 60, phoneNumberIndex: PHONE.support });
		results.pairBurst = figures;
		rows.push(...pairRows(figures));
	}

	const loads = [machine.loadAverage1m, ...scenarioLoads(results)];
	const peakLoad = Math.max(...loads);
	if (peakLoad > machine.cores) {
		warnings.unshift(
			`WARNING: the machine was busy (1-minute load average up to ${peakLoad} on ${machine.cores} cores): other processes took CPU from this one (see "(process)" rows: CPU cores and event-loop delay), so rates are lower bounds.`,
		);
	}
	const failed = rows.filter((row) => row.verdict === 'FAIL').map((row) => row.figure);
	results.sendingBench = {
		startedAt,
		finishedAt: new Date().toISOString(),
		command: 'npm run bench',
		machine,
		scenarios: [...selected],
		failedTargets: failed,
		warnings,
	};
	log('');
	log(formatTable(rows));
	log('');
	for (const warning of warnings) log(warning);
	log(
		failed.length === 0
			? 'All targets met.'
			: `MISSED TARGETS: ${failed.join(', ')} (a measurement: the exit code stays 0)`,
	);
	mergeResults(RESULTS_FILE, results);
	log(`Figures written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

main()
	.then(() => process.exit(0))
	.catch((error: unknown) => {
		process.stderr.write(
			`Benchmark failed to run: ${error instanceof Error ? error.stack : String(error)}\n`,
		);
		process.exit(1);
	});
