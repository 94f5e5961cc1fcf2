/**
 * The WhatsApp Flow endpoint inside a real n8n (2.41.1, default expression engine): 20 customers
 * book an appointment at the same time, round after round. The emulator plays each customer's
 * WhatsApp client (encrypts with the business public key, signs like Meta, validates each answer);
 * n8n runs the e2e test's Flow Trigger → Switch → Flow → Respond workflow for every request.
 * Measured per request: the answer time the client sees (POST sent → answer read), next to the
 * ~10 s Meta's client waits. A request the client gave up on counts with the time it waited, so a
 * p99 at or above Meta's limit means customers saw errors.
 *
 * For scale, in the same n8n and interleaved round by round: the floor, n8n's own Webhook → Switch
 * → Respond to Webhook computing the same screens from plaintext requests (no signature, no crypto);
 * and, unless --no-legacy, the same two under N8N_EXPRESSION_ENGINE=legacy.
 *
 *   npx ts-node --transpile-only test/bench/n8n/flowEndpoint.ts [--sessions 20] [--rounds 5]
 *     [--no-legacy] [--verbose] [--env NAME=VALUE ...]
 *
 * `--env` passes settings to n8n (both engines), e.g. N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true.
 *
 * Needs `npm run build`; merges `flowEndpoint` and `flowEndpointRun` into test/bench/results.json.
 */
import * as path from 'node:path';

import { META_ENDPOINT_TIMEOUT_MS } from '../../../nodes/WhatsAppCloud/helpers/flows/respond';
import { startEmulator, type Emulator } from '../../emulator';
import { startN8n, type N8nInstance } from '../../e2e/harness';
import { bookingEndpointWorkflow, createFlowCredential } from '../../e2e/support/flowWorkflows';
import { BOOKING_FLOW_JSON } from '../../support/bookingFlow';
import type { OpensslKeyPair } from '../../support/flowVectors';
import { opensslKeyPair, removeKeyPair, requireOpenssl } from '../../support/flowVectors';
import { machineInfo, mergeResults } from '../measure';
import { webhookFloorWorkflow } from './contenders';
import { n8nEnvFromArgs, percentile, round } from './probes';

const RESULTS_FILE = path.join(__dirname, '..', 'results.json');
const argNumber = (name: string, fallback: number) => {
	const at = process.argv.indexOf(name);
	return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const SESSIONS = argNumber('--sessions', 20);
const ROUNDS = argNumber('--rounds', 5);
const WITH_LEGACY = !process.argv.includes('--no-legacy');
const VERBOSE = process.argv.includes('--verbose');
const N8N_ENV = n8nEnvFromArgs();
const ENDPOINT_ID = 'bench-flow-endpoint';
const BASELINE_ID = 'bench-flow-baseline';

type Engine = 'vm' | 'legacy';

/** One request as the customer's client saw it. */
interface Answer {
	ms: number;
	ok: boolean;
}

/** The requests of one booking (INIT, a date, a slot, confirm), as the client sends them. */
const BOOKING_STEPS = [
	{ date: '2026-12-24' },
	{ date: '2026-12-24', slot: '09:30' },
	{ date: '2026-12-24', slot: '09:30' },
];

function report(label: string, answers: Answer[]) {
	if (VERBOSE) {
		const times = answers.map((a) => `${a.ok ? '' : '✗'}${a.ms}`).join(' ');
		process.stderr.write(`  ${label}: ${times}\n`);
	}
	return answers;
}

/** One customer's booking through the Flow Trigger, driven by the emulator's WhatsApp client. */
async function bookThroughFlow(emu: Emulator, flowId: string, token: string): Promise<Answer[]> {
	const session = await emu.flowClient.open({ flowId, flowToken: token });
	for (const data of BOOKING_STEPS) {
		if (session.status !== 'open') break;
		await emu.flowClient.exchange(session.id, { data });
	}
	const answers = session.exchanges.map((x) => ({ ms: x.ms, ok: x.status === 200 && x.accepted }));
	return report(`${token} ${session.status}`, answers);
}

/** The same booking as plaintext JSON to n8n's Webhook node (the floor: no signature, no crypto). */
async function bookThroughWebhook(url: string, token: string): Promise<Answer[]> {
	const requests = [
		{ version: '3.0', action: 'INIT', flow_token: token },
		...['PICK_DATE', 'PICK_SLOT', 'CONFIRM'].map((screen, i) => ({
			version: '3.0',
			action: 'data_exchange',
			screen,
			data: BOOKING_STEPS[i],
			flow_token: token,
		})),
	];
	const answers: Answer[] = [];
	for (const request of requests) {
		const t0 = Date.now();
		let ok = false;
		try {
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(request),
				signal: AbortSignal.timeout(META_ENDPOINT_TIMEOUT_MS),
			});
			const answer = JSON.parse(await response.text()) as { screen?: unknown };
			ok = response.status === 200 && typeof answer.screen === 'string';
		} catch {
			ok = false;
		}
		answers.push({ ms: Date.now() - t0, ok });
		if (!ok) break;
	}
	return report(`${token} baseline`, answers);
}

/** Percentiles over every request; one the client gave up on counts with the time it waited. */
function figures(answers: Answer[]) {
	const ms = answers.map((a) => a.ms);
	const answered = answers.filter((a) => a.ok).length;
	const p99 = percentile(ms, 99);
	return {
		requests: answers.length,
		answered,
		failed: answers.length - answered,
		p50Ms: round(percentile(ms, 50), 1),
		p99Ms: round(p99, 1),
		metaTimeoutMs: META_ENDPOINT_TIMEOUT_MS,
		p99Ratio: round(p99 / META_ENDPOINT_TIMEOUT_MS, 4),
	};
}

async function setUp(n8n: N8nInstance, emu: Emulator, keys: OpensslKeyPair) {
	const cred = await createFlowCredential(n8n, emu, keys, 'WhatsApp (bench, Flows)');
	for (const workflow of [
		bookingEndpointWorkflow(cred, ENDPOINT_ID, 'bench Flow booking endpoint'),
		webhookFloorWorkflow(BASELINE_ID, 'bench Flow baseline (Webhook node)'),
	]) {
		await n8n.activate(await n8n.createWorkflow(workflow));
	}
	await n8n.waitForWebhook(`${ENDPOINT_ID}/flow`);
	await n8n.waitForWebhook(BASELINE_ID);
	emu.flows.uploadPublicKey(emu.config.phoneNumberIds[0], keys.publicPem);
	return emu.flows.create({
		name: `bench booking ${Date.now()}`,
		categories: ['APPOINTMENT_BOOKING'],
		flow_json: BOOKING_FLOW_JSON,
		endpoint_uri: `${n8n.webhookBaseUrl}${ENDPOINT_ID}/flow`,
	}).id;
}

async function measure(engine: Engine, emu: Emulator, keys: OpensslKeyPair) {
	const n8n = await startN8n({
		logName: `bench-flow-endpoint-${engine}`,
		env: { ...N8N_ENV, ...(engine === 'legacy' ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}) },
	});
	try {
		const flowId = await setUp(n8n, emu, keys);
		const baselineUrl = `${n8n.webhookBaseUrl}${BASELINE_ID}`;
		// Warm-up (not counted): the first executions load and compile what the workflows need.
		for (let i = 0; i < 2; i++) {
			await bookThroughFlow(emu, flowId, `warm-${engine}-${i}`);
			await bookThroughWebhook(baselineUrl, `warm-${engine}-${i}`);
		}
		const ours: Answer[] = [];
		const baseline: Answer[] = [];
		const started = Date.now();
		let oursMs = 0;
		for (let r = 0; r < ROUNDS; r++) {
			// Alternating order, so that load drifting over the run hits both alike.
			const order = r % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours'];
			for (const contender of order) {
				const t0 = Date.now();
				const sessions = await Promise.all(
					Array.from({ length: SESSIONS }, (_, i) =>
						contender === 'ours'
							? bookThroughFlow(emu, flowId, `${engine}-r${r}-s${i}`)
							: bookThroughWebhook(baselineUrl, `${engine}-r${r}-s${i}`),
					),
				);
				(contender === 'ours' ? ours : baseline).push(...sessions.flat());
				if (contender === 'ours') oursMs += Date.now() - t0;
			}
		}
		return {
			ours: figures(ours),
			baseline: figures(baseline),
			oursRequestsPerSecond: round(ours.length / (oursMs / 1000), 1),
			maxMs: Math.max(0, ...ours.map((a) => a.ms)),
			seconds: round((Date.now() - started) / 1000, 1),
			n8n: n8n.version,
		};
	} finally {
		await n8n.stop();
	}
}

function line(label: string, f: ReturnType<typeof figures>) {
	return `  ${label.padEnd(34)} ${String(f.answered).padStart(4)}/${String(f.requests).padEnd(4)} answered  p50 ${String(f.p50Ms).padStart(7)} ms  p99 ${String(f.p99Ms).padStart(7)} ms  p99/limit ${f.p99Ratio}`;
}

async function main() {
	requireOpenssl();
	const keys = opensslKeyPair();
	const emu = await startEmulator({ port: 0 });
	const loadAtStart = machineInfo().loadAverage1m;
	try {
		const vm = await measure('vm', emu, keys);
		const legacy = WITH_LEGACY ? await measure('legacy', emu, keys) : undefined;
		const machine = machineInfo();
		process.stdout.write(
			[
				`Flow endpoint in n8n ${vm.n8n}: ${SESSIONS} concurrent bookings (4 requests each) × ${ROUNDS} rounds; Meta waits ${META_ENDPOINT_TIMEOUT_MS} ms`,
				line('Flow Trigger → Flow → Respond (vm)', vm.ours),
				line('n8n Webhook → Respond (vm, floor)', vm.baseline),
				...(legacy
					? [
							line('Flow Trigger → Flow → Respond (legacy)', legacy.ours),
							line('n8n Webhook → Respond (legacy)', legacy.baseline),
						]
					: []),
				...(Object.keys(N8N_ENV).length ? [`  n8n env: ${JSON.stringify(N8N_ENV)}`] : []),
				`  machine: ${machine.cores} cores, 1-minute load ${loadAtStart} at the start, ${machine.loadAverage1m} at the end`,
				'',
			].join('\n'),
		);
		mergeResults(RESULTS_FILE, {
			flowEndpoint: vm.ours,
			flowEndpointRun: {
				sessions: SESSIONS,
				rounds: ROUNDS,
				requestsPerSession: 4,
				n8n: vm.n8n,
				expressionEngine: 'vm (n8n 2 default)',
				n8nEnv: N8N_ENV,
				requestsPerSecond: vm.oursRequestsPerSecond,
				maxMs: vm.maxMs,
				webhookNodeFloor: vm.baseline,
				...(legacy
					? { legacy: { flowEndpoint: legacy.ours, webhookNodeFloor: legacy.baseline } }
					: {}),
				machine: { ...machine, loadAverage1mAtStart: loadAtStart },
			},
		});
	} finally {
		await emu.stop();
		removeKeyPair(keys);
	}
}

void main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exitCode = 1;
});
