/**
 * n8n 2.41 in queue mode (main + 2 workers + 1 webhook processor, Redis, PostgreSQL) with this
 * package: signed inbound webhooks through the webhook processor, four concurrent broadcasts on
 * one phone number spread over both workers, and a worker killed mid-broadcast.
 *
 * Opt out with N8N_E2E_QUEUE=0. Needs `npm run build`; installs redis-server/postgresql with
 * apt-get when missing (root). Figures go to test/e2e/.artifacts/queue-report.json and stderr.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startEmulator, type Emulator } from '../../emulator';
import { AGENCY_ACCOUNTS } from '../../emulator/agency';
import { ARTIFACTS_DIR, CREDENTIAL_TYPE, type Execution } from '../harness';
import { runAgencyScenario } from '../scenarios/agency';
import { DEFAULT_N8N_VERSION, REPO_ROOT } from '../install';
import { startQueueCluster, type N8nProcess, type QueueCluster } from './cluster';
import { formatBuckets, isSend, rateReport } from './metrics';
import {
	MANAGER,
	N8N_HAS_HITL_TOOLS,
	REFUND_TEXT,
	REVIEW_BODY,
	agentReviewWorkflow,
	createOpenAiCredential,
	refundAgent,
} from '../support/agentReview';
import { startChatModel, textOf } from '../support/chatModel';
import { until } from '../support/nodes';
import { log } from './services';
import {
	ASK_PATH,
	askWorkflow,
	BOT_PATH,
	BROADCAST_PATH,
	DEDUPE_BOT_PATH,
	SHARED_BROADCAST_PATH,
	botWorkflow,
	dedupeBotWorkflow,
	broadcastRecipients,
	broadcastWorkflow,
} from './workflows';

jest.setTimeout(600_000);

const enabled = process.env.N8N_E2E_QUEUE !== '0' && !DEFAULT_N8N_VERSION.startsWith('1.');
const describeQueue = enabled ? describe : describe.skip;

const LIMIT = 80;
const PER_BROADCAST = Number(process.env.N8N_E2E_QUEUE_ITEMS ?? 500);
const VERIFY_TOKEN = 'queue-e2e-verify';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Everything measured, written to .artifacts/queue-report.json at the end. */
const report: Record<string, unknown> = {};

async function waitForPath(url: string, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last = 0;
	while (Date.now() < deadline) {
		try {
			const r = await fetch(url, {
				method: 'OPTIONS',
				headers: { origin: 'http://127.0.0.1', 'access-control-request-method': 'POST' },
				signal: AbortSignal.timeout(5000),
			});
			last = r.status;
			await r.arrayBuffer();
			if (r.status >= 200 && r.status < 300) return;
		} catch {
			last = -1;
		}
		await sleep(200);
	}
	throw new Error(`${url} not registered (last status ${last})`);
}

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

async function postBroadcast(
	webhook: N8nProcess,
	run: string,
	k: number,
	webhookPath = BROADCAST_PATH,
): Promise<number> {
	const r = await fetch(`${webhook.webhookBaseUrl}${webhookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ run, k, recipients: broadcastRecipients(run, k, PER_BROADCAST) }),
		signal: AbortSignal.timeout(30_000),
	});
	await r.arrayBuffer();
	return r.status;
}

/** Meta waits longer than the emulator's 3 s default for a webhook answer; CPU here is scarce. */
const resetEmulator = () => {
	emu.reset();
	emu.configure({ webhook: { timeoutMs: 20_000 } });
};

const sendItems = (e: Execution) =>
	(e.data?.resultData.runData.Send?.[0]?.data?.main?.[0] ?? []) as Array<{ json: any }>;

let emu: Emulator;

describeQueue('n8n queue mode (main + 2 workers + webhook processor)', () => {
	let cluster: QueueCluster;
	let credId = '';
	let botId = '';
	let broadcastId = '';
	let sharedBroadcastId = '';
	let dedupeBotId = '';
	let askId = '';
	let phoneNumberId = '';
	const suiteStart = Date.now();

	beforeAll(async () => {
		if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes'))) {
			throw new Error('dist/ is missing: run `npm run build` before the e2e tests');
		}
		// The agency's extra accounts are used by the agency case only; the seeded ones stay as they were.
		emu = await startEmulator({ port: 0, messagesPerSecond: LIMIT, accounts: AGENCY_ACCOUNTS });
		phoneNumberId = emu.options.phoneNumbers[0].id;
		cluster = await startQueueCluster({
			workers: 2,
			webhooks: 1,
			// two jobs per worker: four broadcasts land two on each worker
			workerConcurrency: 2,
			// dev only: measure a prototype build (a scratch copy of the package with its dist/)
			packageDir: process.env.N8N_E2E_QUEUE_PACKAGE_DIR || undefined,
			env: {
				// test-speed tuning of stalled-job detection (defaults 60 s / 10 s / 30 s) and of the
				// main's recovery of dangling executions (default 180 min)
				QUEUE_WORKER_LOCK_DURATION: '15000',
				QUEUE_WORKER_LOCK_RENEW_TIME: '3000',
				QUEUE_WORKER_STALLED_INTERVAL: '5000',
				N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '0.25',
			},
		});
		report.setup = {
			package: process.env.N8N_E2E_QUEUE_PACKAGE_DIR || 'repo',
			n8n: cluster.main.version,
			db: 'postgresdb',
			timings: cluster.timings,
			workers: cluster.workers.length,
			webhooks: cluster.webhooks.length,
		};
		credId = await cluster.main.createCredential({
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
		broadcastId = await cluster.main.createWorkflow(
			broadcastWorkflow(credId, phoneNumberId, LIMIT),
		);
		sharedBroadcastId = await cluster.main.createWorkflow(
			broadcastWorkflow(credId, phoneNumberId, LIMIT / 2, SHARED_BROADCAST_PATH),
		);
		dedupeBotId = await cluster.main.createWorkflow(dedupeBotWorkflow(credId, phoneNumberId));
		askId = await cluster.main.createWorkflow(askWorkflow(credId, phoneNumberId));
		await cluster.main.activate(botId);
		await cluster.main.activate(askId);
		await cluster.main.activate(dedupeBotId);
		await cluster.main.activate(broadcastId);
		await cluster.main.activate(sharedBroadcastId);
		const wh = cluster.webhooks[0];
		await waitForPath(`${wh.webhookBaseUrl}${BOT_PATH}`);
		await waitForPath(`${wh.webhookBaseUrl}${DEDUPE_BOT_PATH}`);
		await waitForPath(`${wh.webhookBaseUrl}${ASK_PATH}`);
		await waitForPath(`${wh.webhookBaseUrl}${BROADCAST_PATH}`);
		await waitForPath(`${wh.webhookBaseUrl}${SHARED_BROADCAST_PATH}`);
	}, 600_000);

	afterAll(async () => {
		report.suiteSeconds = (Date.now() - suiteStart) / 1000;
		fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
		fs.writeFileSync(
			path.join(ARTIFACTS_DIR, 'queue-report.json'),
			JSON.stringify(report, null, 2) + '\n',
		);
		await cluster?.stop();
		await emu?.stop();
	}, 120_000);

	it('verifies and runs signed inbound webhooks: webhook processor → workers → replies', async () => {
		const wh = cluster.webhooks[0];
		const main = cluster.main;
		resetEmulator();
		emu.setCallback(`${wh.webhookBaseUrl}${BOT_PATH}`, VERIFY_TOKEN);

		// Meta's GET handshake, answered by the webhook processor
		const handshake = await emu.verify();
		expect(handshake.ok).toBe(true);

		const senders = Array.from({ length: 20 }, (_, i) => `1651555${String(i).padStart(4, '0')}`);
		const payloads = senders.map((s, i) => emu.inbound.text(s, `hello ${i}`));
		const first = await Promise.all(payloads.map((p) => emu.deliver(p)));
		expect(first.map((d) => d.statusCodes)).toEqual(payloads.map(() => [200]));
		// a wrongly signed call is refused by the webhook processor
		const bad = await emu.deliver(emu.inbound.text('16515559999', 'forged'), {
			signature: 'bad',
			maxAttempts: 1,
		});
		expect(bad.statusCodes).toEqual([401]);

		const execs = await main.waitForExecutions(botId, { count: 20, timeoutMs: 120_000 });
		expect(execs).toHaveLength(20);
		const failed = execs
			.filter((e) => e.status !== 'success')
			.map((e) => ({ id: e.id, status: e.status, error: e.data?.resultData?.error?.message }));
		expect(failed).toEqual([]);
		const ranOn = cluster.executionsByWorker();
		const perWorker = [0, 0];
		for (const e of execs) {
			expect(ranOn.has(e.id)).toBe(true); // every execution ran on a worker, none on the main
			perWorker[ranOn.get(e.id)!]++;
		}
		const replies = () => emu.messages().filter((m) => senders.includes(m.to));
		expect(replies()).toHaveLength(20);
		for (const [i, s] of senders.entries()) {
			const mine = replies().filter((m) => m.to === s);
			expect(mine).toHaveLength(1);
			expect((mine[0].body as any).text.body).toBe(`echo: hello ${i}`);
		}

		// Meta re-delivers the same payload (e.g. after a slow 200): the same webhook processor
		const again = await Promise.all(payloads.slice(0, 10).map((p) => emu.deliver(p)));
		expect(again.map((d) => d.statusCodes)).toEqual(again.map(() => [200]));
		await sleep(4000);
		const afterSame = (await main.executions(botId, { includeData: false })).length;
		const repliesAfterSame = replies().length;
		expect(afterSame).toBe(20);
		expect(repliesAfterSame).toBe(20);

		// The same re-delivery reaching ANOTHER process (main also serves production webhooks; with
		// several webhook processors behind a load balancer this is the normal case): the trigger's
		// de-duplication memory is per process.
		const crossUrl = `${main.webhookBaseUrl}${BOT_PATH}`;
		const cross = await Promise.all(
			payloads.slice(10, 15).map((p) => emu.deliver(p, { url: crossUrl })),
		);
		expect(cross.map((d) => d.statusCodes)).toEqual(cross.map(() => [200]));
		// wait until the replies stop growing (≤ 15 s), then count
		let seen = -1;
		const deadline = Date.now() + 15_000;
		while (Date.now() < deadline && (replies().length !== seen || replies().length < 25)) {
			seen = replies().length;
			await sleep(1500);
		}
		const crossDoubled = replies().length - 20;
		const crossExecs = (
			await main
				.waitForExecutions(botId, { count: 20 + crossDoubled, timeoutMs: 10_000 })
				.catch(() => main.executions(botId, { includeData: false }))
		).length;

		report.inbound = {
			delivered: 20,
			executions: 20,
			executionsPerWorker: perWorker,
			replies: 20,
			redeliveredSameProcess: 10,
			doubledSameProcess: repliesAfterSame - 20,
			redeliveredOtherProcess: 5,
			executionsFromOtherProcess: crossExecs - 20,
			doubledOtherProcess: crossDoubled,
		};
		log(`inbound: ${JSON.stringify(report.inbound)}`);
		// measured on 2.41.1: doubled (per-process memory); the test pins "at most all of them"
		expect(crossDoubled).toBeGreaterThanOrEqual(0);
		expect(crossDoubled).toBeLessThanOrEqual(5);
	});

	it('Send and Wait: the webhook processor takes the tap, a worker runs the resumed execution', async () => {
		const wh = cluster.webhooks[0];
		const main = cluster.main;
		resetEmulator();
		const url = `${wh.webhookBaseUrl}${ASK_PATH}`;
		const customer = '16515550777';
		const hello = await emu.deliver(emu.inbound.text(customer, 'hi'), { url, maxAttempts: 1 });
		expect(hello.statusCodes).toEqual([200]);
		const question = await until('the question', () =>
			emu.messages().find((m) => m.to === customer && m.type === 'interactive'),
		);
		const waiting = await until('a waiting execution', async () =>
			(await main.executions(askId, { includeData: false })).find((e) => e.status === 'waiting'),
		);
		const buttons = (question.body.interactive as any).action.buttons as Array<{
			reply: { id: string; title: string };
		}>;
		const tap = emu.inbound.buttonReply(customer, buttons[0].reply.id, buttons[0].reply.title, {
			context: { from: '15550783881', id: question.wamid },
		});
		expect((await emu.deliver(tap, { url, maxAttempts: 1 })).statusCodes).toEqual([200]);
		const done = await until(
			'the resumed execution',
			async () => {
				const e = await main.execution(waiting.id);
				return e.status === 'success' ? e : undefined;
			},
			60_000,
		);
		expect(done.data?.resultData.runData.Ask?.[0]?.data?.main?.[0]?.[0]?.json).toMatchObject({
			approved: true,
			from: customer,
		});
		const texts = () =>
			emu
				.messages()
				.filter((m) => m.to === customer && m.type === 'text')
				.map((m) => (m.body as any).text.body);
		await until('the follow-up', () => texts().includes('approved=true'));
		// the resumed part ran on a worker, not on the main or the webhook processor
		expect(cluster.executionsByWorker().has(waiting.id)).toBe(true);
		report.sendAndWait = {
			resumed: 1,
			followUps: texts().filter((t) => t === 'approved=true').length,
		};
		expect(texts().filter((t) => t === 'approved=true')).toHaveLength(1);
	});

	(N8N_HAS_HITL_TOOLS ? it : it.skip)(
		"AI Agent human review: the manager's tap on the webhook processor resumes the agent on a worker, which runs the gated tool once",
		async () => {
			const wh = cluster.webhooks[0];
			const main = cluster.main;
			resetEmulator();
			const llm = await startChatModel(refundAgent);
			try {
				const openAi = await createOpenAiCredential(main, llm.baseUrl);
				const webhookId = 'e2e-queue-agent-review';
				const workflowId = await main.createWorkflow(
					agentReviewWorkflow({
						name: 'e2e queue agent review',
						webhookId,
						whatsApp: { id: credId, name: 'WhatsApp queue e2e' },
						openAi,
						phoneNumberId,
						triggerVersion: 1,
					}),
				);
				await main.activate(workflowId);
				const url = `${wh.webhookBaseUrl}${webhookId}/webhook`;
				await waitForPath(url);
				const customer = '16515550888';
				const hello = await emu.deliver(emu.inbound.text(customer, 'refund please'), {
					url,
					maxAttempts: 1,
				});
				expect(hello.statusCodes).toEqual([200]);
				const question = await until(
					'the approval question',
					() => emu.messages().find((m) => m.to === MANAGER && m.type === 'interactive'),
					60_000,
				);
				const interactive = question.body.interactive as any;
				expect(interactive.body.text).toBe(REVIEW_BODY);
				const waiting = await until('a waiting execution', async () =>
					(await main.executions(workflowId, { includeData: false })).find(
						(e) => e.status === 'waiting',
					),
				);
				const approve = interactive.action.buttons[0].reply as { id: string; title: string };
				const tap = emu.inbound.buttonReply(MANAGER, approve.id, approve.title, {
					context: { from: '15550783881', id: question.wamid },
				});
				expect((await emu.deliver(tap, { url, maxAttempts: 1 })).statusCodes).toEqual([200]);
				await until(
					'the resumed execution',
					async () => {
						const e = await main.execution(waiting.id, { includeData: false });
						return e.status === 'success' ? e : undefined;
					},
					90_000,
				);
				const toCustomer = emu
					.messages()
					.filter((m) => m.to === customer && m.type === 'text')
					.map((m) => (m.body as any).text.body);
				expect(toCustomer).toEqual([REFUND_TEXT]);
				expect(llm.requests).toHaveLength(2);
				expect(textOf(llm.requests[1].messages.find((m) => m.role === 'tool')!)).toContain(
					'wamid.',
				);
				// the resumed agent ran on a worker, not on the main or the webhook processor
				expect(cluster.executionsByWorker().has(waiting.id)).toBe(true);
				report.agentReview = { resumed: 1, gatedSends: toCustomer.length, modelTurns: 2 };
			} finally {
				await llm.stop();
			}
		},
	);

	it('agency: three automatically registered workflows on one app, each with exactly its events, through the webhook processor', async () => {
		resetEmulator();
		const wh = cluster.webhooks[0];
		// Registration sends the main's public webhook URL (the processor's): Meta's handshakes
		// during activation on the main, and every event after, go to the webhook processor.
		const { timings, workflowIds } = await runAgencyScenario({
			n8n: cluster.main,
			emu,
			cred: { id: credId, name: 'WhatsApp queue e2e' },
			webhookBaseUrl: wh.webhookBaseUrl,
			prefix: 'queue-agency',
			rival: false, // the regular e2e covers it; it costs n8n's retry time
		});
		const ranOn = cluster.executionsByWorker();
		const executions = (
			await Promise.all(
				workflowIds.map((id) => cluster.main.executions(id, { includeData: false })),
			)
		).flat();
		expect(executions.length).toBeGreaterThan(0);
		for (const e of executions) expect(ranOn.has(e.id)).toBe(true);
		report.agency = { ...timings, executions: executions.length };
		log(`agency: ${JSON.stringify(report.agency)}`);
	});

	it("re-deliveries to another process: n8n's Remove Duplicates node (DB-backed) drops them", async () => {
		const wh = cluster.webhooks[0];
		const main = cluster.main;
		resetEmulator();
		emu.setCallback(`${wh.webhookBaseUrl}${DEDUPE_BOT_PATH}`, VERIFY_TOKEN);
		const senders = Array.from({ length: 5 }, (_, i) => `1652555${String(i).padStart(4, '0')}`);
		const payloads = senders.map((s, i) => emu.inbound.text(s, `dd ${i}`));
		// One at a time: n8n stores Remove Duplicates' history in one row and rewrites it without a
		// lock, so executions passing it at the same moment on two workers can lose a record (seen
		// once: a later re-delivery then replied twice; README → queue mode). This test pins what the
		// node does for re-deliveries, not that race.
		for (const [index, payload] of payloads.entries()) {
			const delivery = await emu.deliver(payload);
			expect(delivery.statusCodes).toEqual([200]);
			await main.waitForExecutions(dedupeBotId, { count: index + 1, timeoutMs: 120_000 });
		}
		const replies = () => emu.messages().filter((m) => senders.includes(m.to));
		expect(replies()).toHaveLength(5);

		// Meta re-delivers the same payloads; this time they reach the other process (main)
		const crossUrl = `${main.webhookBaseUrl}${DEDUPE_BOT_PATH}`;
		const cross = await Promise.all(payloads.map((p) => emu.deliver(p, { url: crossUrl })));
		expect(cross.map((d) => d.statusCodes)).toEqual(cross.map(() => [200]));
		// these run (the trigger in main has not seen them) and stop at Remove Duplicates. Under load
		// n8n's execution list has shown one of them late (its reply count was right): the replies
		// are the outcome that matters, so a slow listing only delays the check.
		await main
			.waitForExecutions(dedupeBotId, { count: 10, timeoutMs: 60_000 })
			.catch((error: Error) => log(`listing lagged: ${error.message}`));
		await sleep(3000);
		report.inboundRemoveDuplicates = {
			delivered: 5,
			redeliveredOtherProcess: 5,
			executions: (await main.executions(dedupeBotId, { includeData: false })).length,
			replies: replies().length,
		};
		log(`inbound + Remove Duplicates: ${JSON.stringify(report.inboundRemoveDuplicates)}`);
		expect(replies()).toHaveLength(5);
	});

	/** Four broadcasts of PER_BROADCAST messages posted at once to `webhookPath`; all figures. */
	async function runBroadcasts(run: string, ks: number[], workflowId: string, webhookPath: string) {
		resetEmulator();
		const wh = cluster.webhooks[0];
		const before = new Set(
			(await cluster.main.executions(workflowId, { includeData: false })).map((e) => e.id),
		);
		const started = Date.now();
		const statuses = await Promise.all(ks.map((k) => postBroadcast(wh, run, k, webhookPath)));
		expect(statuses).toEqual(ks.map(() => 200));

		const execs = await waitFor(
			`${ks.length} finished broadcasts`,
			async () => {
				const l = (await cluster.main.executions(workflowId, { includeData: false })).filter(
					(e) => !before.has(e.id) && e.stoppedAt,
				);
				return l.length >= ks.length ? l : undefined;
			},
			300_000,
			1000,
		);
		const wall = (Date.now() - started) / 1000;
		const full = await Promise.all(execs.map((e) => cluster.main.execution(e.id)));
		const ranOn = cluster.executionsByWorker();
		const workersUsed = full.map((e) => ranOn.get(e.id));

		const messages = emu.messages();
		const rr = rateReport(messages, emu.requests());
		const expected = new Set(
			ks.flatMap((k) => broadcastRecipients(run, k, PER_BROADCAST).map((r) => r.to)),
		);
		const got = new Set(messages.map((m) => m.to));
		const lost = [...expected].filter((to) => !got.has(to)).length;
		const duplicated = emu.stats().duplicates;
		const items = full.flatMap(sendItems);
		const surfaced = items.filter((i) => i.json.error !== undefined).length;
		const byWorker: Record<string, { items: number; attempts: number; acceptedPerS: number[] }> =
			{};
		const t0 = rr.buckets.length ? Math.min(...messages.map((m) => m.at)) : 0;
		for (const e of full) {
			const w = String(ranOn.get(e.id));
			const a = (byWorker[w] ??= {
				items: 0,
				attempts: 0,
				acceptedPerS: rr.buckets.map(() => 0),
			});
			for (const i of sendItems(e)) {
				a.items++;
				a.attempts += Number(i.json.attempts ?? 1);
			}
			const k = Number(
				e.data?.resultData.runData.Webhook?.[0]?.data?.main?.[0]?.[0]?.json?.body?.k,
			);
			for (const m of messages) {
				if (m.to.startsWith(`1650${k}`)) a.acceptedPerS[Math.floor((m.at - t0) / 1000)]++;
			}
		}
		const maxAttempts = Math.max(...items.map((i) => Number(i.json.attempts ?? 1)));
		const figures = {
			limit: LIMIT,
			broadcasts: ks.length,
			perBroadcast: PER_BROADCAST,
			wallSeconds: wall,
			executionStatuses: full.map((e) => e.status),
			workersUsed,
			maxAttemptsOfOneMessage: maxAttempts,
			lost,
			duplicated,
			surfaced,
			...rr,
			byWorker,
		};
		const { buckets: _b, byWorker: _w, ...summary } = figures;
		log(
			`${run}: ${JSON.stringify(summary)}\n${formatBuckets(rr.buckets, LIMIT)}\nper worker acc/s: ${Object.entries(
				byWorker,
			)
				.map(([w, v]) => `\n  w${w}: ${v.acceptedPerS.join(' ')}`)
				.join('')}`,
		);

		expect(full.map((e) => e.status)).toEqual(ks.map(() => 'success'));
		expect(new Set(workersUsed)).toEqual(new Set([0, 1])); // spread over both workers
		expect(items).toHaveLength(ks.length * PER_BROADCAST);
		expect(lost).toBe(0);
		expect(duplicated).toBe(0);
		expect(surfaced).toBe(0);
		expect(messages).toHaveLength(ks.length * PER_BROADCAST);
		return figures;
	}

	it('four concurrent broadcasts on one number across both workers: adaptive pacing', async () => {
		const f = await runBroadcasts('s2', [0, 1, 2, 3], broadcastId, BROADCAST_PATH);
		report.broadcast = f;
		// Accepted per second can never exceed the emulator's bucket (80/s + a 1 s burst); what
		// the pacing controls is how far the offered rate overshoots. Loose bound for a noisy box.
		expect(f.throttledShare).toBeLessThan(0.5);
	});

	it('the same with Messages per Second = limit ÷ workers: (next to) no 130429', async () => {
		const f = await runBroadcasts('s2b', [0, 1, 2, 3], sharedBroadcastId, SHARED_BROADCAST_PATH);
		report.broadcastShared = f;
		// 40 + 40 = 80: the GCRA spacing of two processes never drains Meta's bucket (tolerance
		// for a noisy machine: CPU stalls let a process burst its queued reservations; measured 0–1.2 %)
		expect(f.throttledShare).toBeLessThan(0.05);
	});

	it('a worker killed (SIGKILL) mid-broadcast: what n8n re-runs, and whether anything is sent twice', async () => {
		resetEmulator();
		const wh = cluster.webhooks[0];
		const [victim, survivor] = cluster.workers;
		const known = new Set(cluster.executionsByWorker().keys());
		const ks = [4, 5, 6, 7];
		const statuses = await Promise.all(ks.map((k) => postBroadcast(wh, 's3', k)));
		expect(statuses).toEqual([200, 200, 200, 200]);

		// wait until both workers run their two broadcasts and ~20 % is sent
		const fresh = () =>
			[...cluster.executionsByWorker()].filter(([id]) => !known.has(id)) as Array<[string, number]>;
		await waitFor(
			'both workers busy and 20 % sent',
			() =>
				fresh().length >= 4 && emu.messages().length >= 0.2 * 4 * PER_BROADCAST ? true : undefined,
			120_000,
			100,
		);
		const killedIds = fresh()
			.filter(([, w]) => w === victim.index)
			.map(([id]) => id);
		const survivorIds = fresh()
			.filter(([, w]) => w === survivor.index)
			.map(([id]) => id);
		const sentAtKill = emu.messages().length;
		const killAt = Date.now();
		await victim.kill('SIGKILL');
		log(`killed worker ${victim.index} (executions ${killedIds.join(', ')}) at ${sentAtKill} sent`);

		// the survivor's broadcasts finish
		await waitFor(
			'survivor executions finished',
			async () => {
				const l = await Promise.all(
					survivorIds.map((id) => cluster.main.execution(id, { includeData: false })),
				);
				return l.every((e) => e.stoppedAt) ? l : undefined;
			},
			300_000,
			1000,
		);
		// the killed worker's executions: wait until n8n gives them a final status
		const killedFinal = await waitFor(
			'killed executions to get a final status',
			async () => {
				const l = await Promise.all(
					killedIds.map((id) => cluster.main.execution(id, { includeData: false })),
				);
				return l.every((e) => !['new', 'running'].includes(e.status)) ? l : undefined;
			},
			180_000,
			1000,
		).catch(async () =>
			Promise.all(killedIds.map((id) => cluster.main.execution(id, { includeData: false }))),
		);
		const finalAfterS = (Date.now() - killAt) / 1000;
		// give a possible re-run time to show up
		await sleep(8000);

		const messages = emu.messages();
		const byBroadcast = ks.map((k) => {
			const prefix = `1650${k}`;
			const mine = messages.filter((m) => m.to.startsWith(prefix));
			return { k, accepted: mine.length, distinct: new Set(mine.map((m) => m.to)).size };
		});
		const rerunOnSurvivor = killedIds.filter((id) =>
			survivor.logs().includes(`Worker started execution ${id} `),
		);
		const newExecutions = fresh().filter(
			([id]) => !killedIds.includes(id) && !survivorIds.includes(id),
		);
		const sentAfterKillFromKilled = messages.filter(
			(m) => m.at > killAt + 2000 && byKilledPrefix(m.to),
		).length;
		function byKilledPrefix(to: string): boolean {
			return killedBroadcastKs().some((k) => to.startsWith(`1650${k}`));
		}
		function killedBroadcastKs(): number[] {
			// a killed broadcast is one that did not reach PER_BROADCAST accepted
			return byBroadcast.filter((b) => b.distinct < PER_BROADCAST).map((b) => b.k);
		}
		const duplicated = emu.stats().duplicates;
		const survivorExecs = await Promise.all(survivorIds.map((id) => cluster.main.execution(id)));

		report.workerKill = {
			sentAtKill,
			killedExecutions: killedIds,
			killedFinalStatus: killedFinal.map((e) => ({
				id: e.id,
				status: e.status,
				stoppedAt: e.stoppedAt,
			})),
			finalStatusAfterSeconds: finalAfterS,
			survivorExecutions: survivorExecs.map((e) => ({ id: e.id, status: e.status })),
			rerunOnSurvivor,
			newExecutionsAfterKill: newExecutions.length,
			acceptedPerBroadcast: byBroadcast,
			sentAfterKillFromKilledBroadcasts: sentAfterKillFromKilled,
			duplicated,
			sendRequestsTotal: emu.requests().filter(isSend).length,
		};
		log(`worker kill: ${JSON.stringify(report.workerKill)}`);

		expect(killedIds.length).toBeGreaterThan(0);
		expect(survivorExecs.every((e) => e.status === 'success')).toBe(true);
		// nothing is sent twice: n8n (maxStalledCount 0) never re-runs a job whose worker died
		expect(duplicated).toBe(0);
		expect(rerunOnSurvivor).toEqual([]);
		for (const b of byBroadcast) expect(b.accepted).toBe(b.distinct);
	});
});
