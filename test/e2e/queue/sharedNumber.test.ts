/**
 * Several queue-mode workers sending on one phone number at the default settings (Messages per
 * Second left at 80, Meta's default, on every worker): the adaptive rate must converge without any
 * shared state. n8n 2.41 in queue mode (main + 4 workers at concurrency 1, Redis, PostgreSQL);
 * 2 broadcasts on one number (2 workers), then 4 broadcasts on another (4 workers).
 *
 * Passes when, from the 5th second after the first attempt: < 3 % of attempts answered 130429,
 * ≥ 0.9 × the number's limit accepted per second while every worker sends, 0 lost, 0 doubled.
 *
 * Opt out with N8N_E2E_QUEUE=0. Needs `npm run build`. Figures go to
 * test/e2e/.artifacts/queue-shared-number.json and stderr.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startEmulator, type Emulator } from '../../emulator';
import { ARTIFACTS_DIR, CREDENTIAL_TYPE, type WorkflowJson } from '../harness';
import { DEFAULT_N8N_VERSION, REPO_ROOT } from '../install';
import { startQueueCluster, type QueueCluster } from './cluster';
import { formatBuckets, isSend, rateReport } from './metrics';
import { log } from './services';
import { broadcastRecipients, broadcastWorkflow } from './workflows';

jest.setTimeout(900_000);

const enabled = process.env.N8N_E2E_QUEUE !== '0' && !DEFAULT_N8N_VERSION.startsWith('1.');
const describeQueue = enabled ? describe : describe.skip;

/** Meta's default throughput for a number, and the node's default Messages per Second. */
const LIMIT = 80;
const WORKERS = 4;
/** Messages in all per case: ~30 s of sending at the limit, so the steady part is ≥ 20 s. */
const TOTAL = Number(process.env.N8N_E2E_SHARED_MESSAGES ?? 2400);
const SETTLE_MS = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const report: Record<string, unknown> = {};

/** The queue suite's broadcast with every sending option left at its default. */
function defaultBroadcast(
	credId: string,
	phoneNumberId: string,
	webhookPath: string,
): WorkflowJson {
	const wf = broadcastWorkflow(credId, phoneNumberId, LIMIT, webhookPath);
	const send = wf.nodes.find((n) => n.name === 'Send')!;
	const { sendingOptions: _defaults, ...parameters } = send.parameters as Record<string, unknown>;
	send.parameters = parameters;
	wf.name = `e2e queue shared number ${webhookPath} (defaults)`;
	return wf;
}

let emu: Emulator;

describeQueue(`n8n queue mode: ${WORKERS} workers, several on one number at the defaults`, () => {
	let cluster: QueueCluster;
	let credId = '';

	beforeAll(async () => {
		if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes'))) {
			throw new Error('dist/ is missing: run `npm run build` before the e2e tests');
		}
		emu = await startEmulator({ port: 0, messagesPerSecond: LIMIT });
		cluster = await startQueueCluster({
			workers: WORKERS,
			// broadcasts are posted to the main's webhook: no webhook processor needed
			webhooks: 0,
			// one job per worker: n broadcasts run on n different workers
			workerConcurrency: 1,
		});
		report.setup = { n8n: cluster.main.version, timings: cluster.timings, workers: WORKERS };
		credId = await cluster.main.createCredential({
			name: 'WhatsApp queue e2e',
			type: CREDENTIAL_TYPE,
			data: {
				accessToken: emu.options.token,
				appSecret: emu.options.appSecret,
				verifyToken: 'queue-shared-verify',
				appId: emu.options.appId,
				businessAccountId: emu.options.wabaId,
				apiVersion: emu.options.apiVersion,
				baseUrl: emu.baseUrl,
			},
		});
	}, 600_000);

	afterAll(async () => {
		fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
		fs.writeFileSync(
			path.join(ARTIFACTS_DIR, 'queue-shared-number.json'),
			JSON.stringify(report, null, 2) + '\n',
		);
		await cluster?.stop();
		await emu?.stop();
	}, 120_000);

	/**
	 * `workers` broadcasts of TOTAL / workers messages posted at once on one number (a number no
	 * earlier case used, so every worker's limiter starts fresh), and the figures.
	 */
	async function sharedNumber(workers: number, phoneIndex: number) {
		const phoneNumberId = emu.options.phoneNumbers[phoneIndex].id;
		expect(emu.rateFor(phoneNumberId)).toBe(LIMIT);
		const webhookPath = `e2e-queue-shared-${workers}`;
		const workflowId = await cluster.main.createWorkflow(
			defaultBroadcast(credId, phoneNumberId, webhookPath),
		);
		await cluster.main.activate(workflowId);
		await cluster.main.waitForWebhook(webhookPath);
		emu.reset();

		const run = `w${workers}`;
		const perBroadcast = Math.round(TOTAL / workers);
		const ks = Array.from({ length: workers }, (_, k) => k);
		const statuses = await Promise.all(
			ks.map(async (k) => {
				const r = await fetch(`${cluster.main.webhookBaseUrl}${webhookPath}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ recipients: broadcastRecipients(run, k, perBroadcast) }),
					signal: AbortSignal.timeout(30_000),
				});
				await r.arrayBuffer();
				return r.status;
			}),
		);
		expect(statuses).toEqual(ks.map(() => 200));
		const finished = await cluster.main.waitForExecutions(workflowId, {
			count: workers,
			timeoutMs: 600_000,
		});
		await sleep(1000);

		const ranOn = cluster.executionsByWorker();
		const workersUsed = new Set(finished.map((e) => ranOn.get(e.id)));
		const messages = emu.messages().filter((m) => m.phoneNumberId === phoneNumberId);
		const sends = emu.requests().filter((r) => isSend(r) && r.path.includes(`/${phoneNumberId}/`));
		const expected = new Set(
			ks.flatMap((k) => broadcastRecipients(run, k, perBroadcast).map((r) => r.to)),
		);
		const got = new Set(messages.map((m) => m.to));
		const lost = [...expected].filter((to) => !got.has(to)).length;
		const doubled = messages.length - got.size;

		// From the 5th second after the first attempt; the accepted rate while every worker sends
		// (until the first broadcast has had its last message accepted).
		const t0 = Math.min(...sends.map((r) => r.at));
		const from = t0 + SETTLE_MS;
		const lastAcceptedOf = ks.map((k) =>
			Math.max(...messages.filter((m) => m.to.startsWith(`1650${k}`)).map((m) => m.at)),
		);
		const firstAcceptedOf = ks.map((k) =>
			Math.min(...messages.filter((m) => m.to.startsWith(`1650${k}`)).map((m) => m.at)),
		);
		const allSendingUntil = Math.min(...lastAcceptedOf);
		const after = sends.filter((r) => r.at >= from);
		const refusedAfter = after.filter((r) => r.code === 130429).length;
		const acceptedWhileAll = messages.filter((m) => m.at >= from && m.at < allSendingUntil).length;
		const allSendingSeconds = (allSendingUntil - from) / 1000;
		const rr = rateReport(messages, sends);
		const figures = {
			workers,
			limit: LIMIT,
			messages: expected.size,
			workersUsed: workersUsed.size,
			statuses: finished.map((e) => e.status),
			lost,
			doubled,
			duplicatesByEmulator: emu.stats().duplicates,
			attempts: sends.length,
			refused: sends.filter((r) => r.code === 130429).length,
			attemptsAfter5s: after.length,
			refusedAfter5s: refusedAfter,
			refusedShareAfter5s: after.length ? refusedAfter / after.length : 0,
			allSendingSeconds,
			acceptedPerSecondWhileAll: acceptedWhileAll / allSendingSeconds,
			acceptedPerLimit: acceptedWhileAll / allSendingSeconds / LIMIT,
			startOffsetsS: firstAcceptedOf.map((at) => (at - t0) / 1000),
			finishedAtS: lastAcceptedOf.map((at) => (at - t0) / 1000),
			meanAcceptedPerS: rr.meanAcceptedPerS,
			buckets: rr.buckets,
		};
		const { buckets: _b, ...summary } = figures;
		log(
			`shared number, ${workers} workers: ${JSON.stringify(summary)}\n${formatBuckets(rr.buckets, LIMIT)}`,
		);
		report[`workers${workers}`] = figures;

		expect(figures.statuses).toEqual(ks.map(() => 'success'));
		expect(workersUsed.size).toBe(workers);
		expect(lost).toBe(0);
		expect(doubled).toBe(0);
		expect(emu.stats().duplicates).toBe(0);
		// a meaningful steady part: at least 10 s with every worker sending
		expect(allSendingSeconds).toBeGreaterThanOrEqual(10);
		expect(figures.refusedShareAfter5s).toBeLessThan(0.03);
		expect(figures.acceptedPerLimit).toBeGreaterThanOrEqual(0.9);
		await cluster.main.deactivate(workflowId);
		return figures;
	}

	it('2 workers on one number: < 3 % refused after 5 s, ≥ 0.9 × the limit, 0 lost, 0 doubled', async () => {
		await sharedNumber(2, 0);
	});

	it('4 workers on one number: < 3 % refused after 5 s, ≥ 0.9 × the limit, 0 lost, 0 doubled', async () => {
		await sharedNumber(4, 2);
	});
});
