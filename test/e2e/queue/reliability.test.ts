/**
 * Issue 21 in n8n 2.41 queue mode (main + 2 workers + 2 webhook processors, Redis, PostgreSQL):
 * - re-deliveries that reach another webhook process: the trigger's de-duplication holds through
 *   the workflow's static data (0 doubled);
 * - a worker SIGKILLed mid-broadcast, the broadcast re-run with the same Campaign Key: every
 *   recipient gets its message, and at most the messages accepted but not yet recorded at the kill
 *   (printed) arrive twice; the re-run's output says how many it skipped.
 *
 * Opt out with N8N_E2E_QUEUE=0. Needs `npm run build`. Figures go to
 * test/e2e/.artifacts/queue-reliability-report.json and stderr.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startEmulator, type Emulator } from '../../emulator';
import { ARTIFACTS_DIR, CREDENTIAL_TYPE, type Execution } from '../harness';
import { DEFAULT_N8N_VERSION, REPO_ROOT } from '../install';
import { startQueueCluster, type N8nProcess, type QueueCluster } from './cluster';
import { ensurePostgres, log } from './services';
import { BOT_PATH, botWorkflow, broadcastRecipients, broadcastWorkflow } from './workflows';

jest.setTimeout(900_000);

const enabled = process.env.N8N_E2E_QUEUE !== '0' && !DEFAULT_N8N_VERSION.startsWith('1.');
const describeQueue = enabled ? describe : describe.skip;

const LIMIT = 80;
const CAMPAIGN_ITEMS = Number(process.env.N8N_E2E_QUEUE_ITEMS ?? 800);
const CAMPAIGN_PATH = 'e2e-queue-campaign';
const CAMPAIGN_KEY = 'queue-e2e-spring';
const VERIFY_TOKEN = 'queue-e2e-verify';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const report: Record<string, unknown> = {};

async function waitFor<T>(
	what: string,
	fn: () => Promise<T | undefined> | T | undefined,
	timeoutMs: number,
	everyMs = 250,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v !== undefined) return v;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(everyMs);
	}
}

async function waitForPath(url: string, method = 'OPTIONS'): Promise<void> {
	await waitFor(
		`${url} registered`,
		async () => {
			const r = await fetch(url, {
				method,
				headers: { origin: 'http://127.0.0.1', 'access-control-request-method': 'POST' },
				signal: AbortSignal.timeout(5000),
			}).catch(() => undefined);
			await r?.arrayBuffer();
			return r && r.status >= 200 && r.status < 300 ? true : undefined;
		},
		60_000,
		200,
	);
}

const sendItems = (e: Execution) =>
	(e.data?.resultData.runData.Send?.[0]?.data?.main?.[0] ?? []) as Array<{ json: any }>;

describeQueue('issue 21 in queue mode (main + 2 workers + 2 webhook processors)', () => {
	let emu: Emulator;
	let cluster: QueueCluster;
	let botId = '';
	let campaignId = '';
	let phoneNumberId = '';

	/** A value from n8n's PostgreSQL database. */
	function sql(query: string): string {
		const psql = path.join(ensurePostgres().binDir, 'psql');
		const { postgres } = cluster;
		const r = spawnSync(
			psql,
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(postgres.port),
				'-U',
				postgres.user,
				'-d',
				postgres.database,
				'-Atc',
				query,
			],
			{ encoding: 'utf8', timeout: 30_000 },
		);
		if (r.status !== 0) {
			log(`psql failed (${r.status}): ${r.stderr ?? r.error}`);
			return '';
		}
		return r.stdout.trim();
	}

	beforeAll(async () => {
		if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes'))) {
			throw new Error('dist/ is missing: run `npm run build` before the e2e tests');
		}
		emu = await startEmulator({ port: 0, messagesPerSecond: LIMIT });
		phoneNumberId = emu.options.phoneNumbers[0].id;
		cluster = await startQueueCluster({
			workers: 2,
			webhooks: 2,
			workerConcurrency: 2,
			env: {
				QUEUE_WORKER_LOCK_DURATION: '15000',
				QUEUE_WORKER_LOCK_RENEW_TIME: '3000',
				QUEUE_WORKER_STALLED_INTERVAL: '5000',
				N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '0.25',
			},
		});
		const credId = await cluster.main.createCredential({
			name: 'WhatsApp queue e2e',
			type: CREDENTIAL_TYPE,
			data: {
				accessToken: emu.options.token,
				appSecret: emu.options.appSecret,
				verifyToken: VERIFY_TOKEN,
				appId: emu.options.appId,
				businessAccountId: emu.options.wabaId,
				apiVersion: emu.options.apiVersion,
				baseUrl: emu.baseUrl,
			},
		});
		botId = await cluster.main.createWorkflow(botWorkflow(credId, phoneNumberId));
		const campaign = broadcastWorkflow(credId, phoneNumberId, LIMIT, CAMPAIGN_PATH);
		campaign.name = 'e2e queue campaign';
		const send = campaign.nodes.find((n) => n.name === 'Send')!;
		send.parameters = {
			...(send.parameters as Record<string, unknown>),
			sendingOptions: { messagesPerSecond: LIMIT, campaignKey: CAMPAIGN_KEY },
		};
		campaignId = await cluster.main.createWorkflow(campaign);
		await cluster.main.activate(botId);
		await cluster.main.activate(campaignId);
		for (const wh of cluster.webhooks) {
			await waitForPath(`${wh.webhookBaseUrl}${BOT_PATH}`);
			await waitForPath(`${wh.webhookBaseUrl}${CAMPAIGN_PATH}`);
		}
		report.setup = { n8n: cluster.main.version, timings: cluster.timings };
	}, 900_000);

	afterAll(async () => {
		fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
		fs.writeFileSync(
			path.join(ARTIFACTS_DIR, 'queue-reliability-report.json'),
			JSON.stringify(report, null, 2) + '\n',
		);
		await cluster?.stop();
		await emu?.stop();
	}, 120_000);

	it('re-deliveries that reach a second webhook process start no second execution', async () => {
		emu.reset();
		emu.configure({ webhook: { timeoutMs: 20_000 } });
		const [first, second] = cluster.webhooks;
		const senders = Array.from({ length: 20 }, (_, i) => `1653555${String(i).padStart(4, '0')}`);
		const payloads = senders.map((s, i) => emu.inbound.text(s, `hello ${i}`));
		const firstUrl = `${first.webhookBaseUrl}${BOT_PATH}`;
		// all at once: concurrent calls save static data over each other (the case the repair covers)
		const delivered = await Promise.all(payloads.map((p) => emu.deliver(p, { url: firstUrl })));
		expect(delivered.map((d) => d.statusCodes)).toEqual(payloads.map(() => [200]));
		const replies = () => emu.messages().filter((m) => senders.includes(m.to));
		await waitFor('20 replies', () => (replies().length >= 20 ? true : undefined), 120_000);
		// what n8n saved, read from its database
		const saved = sql(`select "staticData"::text from workflow_entity where id = '${botId}'`);
		const savedTokens = (saved.match(/"seenEvents"/g) ?? []).length;

		// Meta re-delivers every one: to the other webhook process, and to the main
		const secondUrl = `${second.webhookBaseUrl}${BOT_PATH}`;
		const mainUrl = `${cluster.main.webhookBaseUrl}${BOT_PATH}`;
		const again = await Promise.all([
			...payloads.map((p) => emu.deliver(p, { url: secondUrl })),
			...payloads.slice(0, 10).map((p) => emu.deliver(p, { url: mainUrl })),
		]);
		expect(again.map((d) => d.statusCodes)).toEqual(again.map(() => [200]));
		await sleep(8000); // time for any second execution to run and reply
		const executions = (await cluster.main.executions(botId, { includeData: false })).length;
		report.crossProcess = {
			delivered: 20,
			redeliveredToSecondWebhookProcess: 20,
			redeliveredToMain: 10,
			executions,
			replies: replies().length,
			doubled: replies().length - 20,
			staticDataHasTokens: savedTokens > 0,
		};
		log(`cross-process re-deliveries: ${JSON.stringify(report.crossProcess)}`);
		expect(replies()).toHaveLength(20);
		expect(executions).toBe(20);
	});

	it('a worker SIGKILLed mid-broadcast, re-run with the same Campaign Key: one message per recipient but the unrecorded in-flight ones', async () => {
		emu.reset();
		const recipients = broadcastRecipients('campaign', 8, CAMPAIGN_ITEMS);
		const post = async (via: N8nProcess) => {
			const r = await fetch(`${via.webhookBaseUrl}${CAMPAIGN_PATH}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ run: 'campaign', k: 8, recipients }),
				signal: AbortSignal.timeout(30_000),
			});
			await r.arrayBuffer();
			return r.status;
		};
		const known = new Set(cluster.executionsByWorker().keys());
		expect(await post(cluster.webhooks[0])).toBe(200);
		const [executionId, workerIndex] = await waitFor(
			'the broadcast on a worker, 30 % sent',
			() => {
				const started = [...cluster.executionsByWorker()].find(([id]) => !known.has(id));
				return started && emu.messages().length >= 0.3 * CAMPAIGN_ITEMS ? started : undefined;
			},
			180_000,
			50,
		);
		const victim = cluster.workers.find((w) => w.index === workerIndex)!;
		const sentAtKill = emu.messages().length;
		await victim.kill('SIGKILL');
		const killedAt = Date.now();
		await sleep(3000); // requests that were on the wire get their answers
		const acceptedRun1 = emu.messages().length;
		const recordedInDb = Number(
			sql(
				`select coalesce(sum(json_array_length((value::json)->'data')), 0) from processed_data where "workflowId" = '${campaignId}'`,
			),
		);
		log(
			`killed worker ${victim.index} running ${executionId}: ${sentAtKill} accepted at the kill, ${acceptedRun1} after, ${recordedInDb} recorded in processed_data`,
		);

		// the re-run, same key: on the surviving worker
		const before = new Set(
			(await cluster.main.executions(campaignId, { includeData: false })).map((e) => e.id),
		);
		expect(await post(cluster.webhooks[1])).toBe(200);
		const rerun = await waitFor(
			'the re-run to finish',
			async () => {
				const list = await cluster.main.executions(campaignId, { includeData: false });
				const fresh = list.find((e) => !before.has(e.id) && e.stoppedAt);
				return fresh ? await cluster.main.execution(fresh.id) : undefined;
			},
			300_000,
			1000,
		);
		const items = sendItems(rerun);
		const skippedReported = Number(items[0]?.json.campaign?.skipped);
		const skippedItems = items.filter((i) => i.json.status === 'skipped').length;
		// every recorded recipient is skipped by the re-run: the same count without reading the DB
		const recordedRun1 =
			Number.isFinite(recordedInDb) && recordedInDb > 0 ? recordedInDb : skippedItems;
		const inFlightAtKill = acceptedRun1 - recordedRun1;

		const perRecipient = new Map<string, number>();
		for (const m of emu.messages()) perRecipient.set(m.to, (perRecipient.get(m.to) ?? 0) + 1);
		const missing = recipients.filter((r) => !perRecipient.has(r.to)).length;
		const doubled = [...perRecipient.values()].filter((n) => n > 1).length;
		const moreThanTwice = [...perRecipient.values()].filter((n) => n > 2).length;
		report.campaignKill = {
			items: CAMPAIGN_ITEMS,
			killedWorker: victim.index,
			killedExecution: executionId,
			acceptedAtKill: sentAtKill,
			acceptedRun1,
			recordedRun1,
			inFlightAtKill,
			rerunStatus: rerun.status,
			rerunOutputs: items.length,
			skippedReported,
			skippedItems,
			sentByRerun: items.length - skippedItems,
			missing,
			doubled,
			moreThanTwice,
			rerunSeconds: (Date.now() - killedAt) / 1000,
		};
		log(`campaign kill + re-run: ${JSON.stringify(report.campaignKill)}`);
		expect(rerun.status).toBe('success');
		expect(items).toHaveLength(CAMPAIGN_ITEMS);
		expect(missing).toBe(0);
		expect(moreThanTwice).toBe(0);
		expect(doubled).toBeLessThanOrEqual(inFlightAtKill);
		expect(skippedReported).toBe(skippedItems);
		expect(skippedItems).toBe(recordedRun1);
	});
});
