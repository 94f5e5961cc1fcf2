/**
 * Benchmarks inside a real n8n (2.41.1, test/e2e harness) against what users would use instead,
 * all in one run against the same Cloud API emulator:
 *
 *  - n8nBroadcast: 2,000 texts at an 80 msg/s limit with 150 ms latency, through our node, the HTTP
 *    Request node (defaults; batching 80 per 1,000 ms) and n8n's built-in WhatsApp node; with n8n's
 *    default expression engine (vm) and again with N8N_EXPRESSION_ENGINE=legacy.
 *  - n8nBroadcast1000: 10,000 texts on a number whose limit is 1,000 msg/s, through our node
 *    (Messages per Second 1,000) and the HTTP Request node batching 1,000 per 1,000 ms (vm engine).
 *  - n8nTrigger: the same stream of signed webhook payloads through our trigger, n8n's bare Webhook
 *    node and the built-in WhatsApp Trigger.
 *  - n8nMemory: peak RSS of n8n (main + task runner) above idle for a 10,000-item broadcast.
 *  - n8nForgedSignature: 30 forged webhooks (16 MiB of non-ASCII JSON, gzipped to ~16 KiB, a
 *    well-formed wrong signature), 10 at a time, through our trigger and through n8n's Webhook node
 *    behind Header Auth (n8n's own cost of such a request): max /healthz latency while they arrive.
 *    `--forged-before` adds our trigger as it was before the fix (built from git in a temp dir).
 *
 * The built-in nodes call https://graph.facebook.com; inside the n8n process only, a --require
 * preload resolves that name to 127.0.0.1 and NODE_EXTRA_CA_CERTS trusts a throwaway test CA whose
 * certificate the stand-in's TLS front presents. Our node uses the same URL (its default base URL).
 *
 *   npx ts-node --transpile-only test/bench/n8n/run.ts
 *     [--only broadcast,broadcast1000,trigger,memory,forged]
 *     [--no-legacy] [--forged-before]
 *
 * Needs `npm run build` (n8n loads the package from `npm pack`) and the n8n install in .cache/.
 * Merges its keys into test/bench/results.json and exits 0 even when a target is missed.
 */
import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import { sign } from '../../emulator';
import {
	inboundMessages,
	messagesPayload,
	statusObject,
	statusesPayload,
	batch,
} from '../../emulator';
import type { AcceptedMessage, RequestRecord } from '../../emulator';
import type { Execution, N8nInstance, WorkflowJson } from '../../e2e/harness';
import { CREDENTIAL_TYPE, startN8n } from '../../e2e/harness';
import { REPO_ROOT } from '../../e2e/install';
import { webhookOf } from '../forgedSignature';
import { BEFORE_COMMIT } from '../fromGit';
import type { HealthzFigures, LoadFigures, LoadRequest, RssSample } from './probes';
import {
	callN8n,
	commandOf,
	n8nCpu,
	descendants,
	findN8nMainPid,
	percentile,
	pollHealthz,
	postLoad,
	round,
	rssMb,
	sampleRss,
	sleep,
} from './probes';
import type { StandIn } from './standIn';
import { startStandIn } from './standIn';
import { makeTestPki, type TestPki } from './tls';
import type { BroadcastContender, TriggerContender } from './workflows';
import {
	broadcastWorkflow,
	recipient,
	SENDER_NODE,
	TRIGGER_NODE,
	triggerPath,
	triggerWorkflow,
} from './workflows';

const RESULTS_FILE = path.join(__dirname, '..', 'results.json');
const LIMIT = 80;
const LATENCY_MS = 150;
/** `--quick`: small counts to try the setup (numbers are not comparable to a full run) */
const QUICK = process.argv.includes('--quick');
const BROADCAST_ITEMS = QUICK ? 240 : 2000;
const MEMORY_ITEMS = QUICK ? 1000 : 10_000;
const MEMORY_RATE = 1000;
/** n8nBroadcast1000: on the HIGH number (phone index 1), whose limit is MEMORY_RATE */
const BROADCAST_1000_ITEMS = QUICK ? 2000 : 10_000;
const TRIGGER_REQUESTS = QUICK ? 60 : 150;
/** measured rounds per contender, alternating the order (A B C, C B A, …); medians are reported */
const TRIGGER_ROUNDS = QUICK ? 2 : 3;
const TRIGGER_WARMUP = 30;
const TRIGGER_CONCURRENCY = 50;
const TRIGGER_CAP_SECONDS = 12;
const API_VERSION = 'v23.0';

type Engine = 'vm' | 'legacy';
const ENGINE_LABEL: Record<Engine, string> = {
	vm: 'vm (n8n 2.41 default, N8N_EXPRESSION_ENGINE unset)',
	legacy: 'legacy (N8N_EXPRESSION_ENGINE=legacy)',
};

function log(message: string): void {
	process.stdout.write(`${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// n8n calls (fresh connection per call, see callN8n)

async function must<T = any>(
	n8n: N8nInstance,
	method: string,
	apiPath: string,
	body?: unknown,
	auth: 'api' | 'cookie' = 'api',
): Promise<T> {
	const r = await callN8n<T>(n8n, method, apiPath, body, auth);
	if (r.status >= 300)
		throw new Error(`${method} ${apiPath} → ${r.status}: ${r.text.slice(0, 500)}`);
	return r.body;
}

async function createCredential(
	n8n: N8nInstance,
	name: string,
	type: string,
	data: Record<string, unknown>,
): Promise<{ id: string; name: string }> {
	const body = await must<{ id: string }>(n8n, 'POST', '/credentials', { name, type, data });
	return { id: String(body.id), name };
}

async function createWorkflow(n8n: N8nInstance, workflow: WorkflowJson): Promise<string> {
	const { name, nodes, connections, settings } = workflow;
	const body = await must<{ id: string }>(n8n, 'POST', '/workflows', {
		name,
		nodes,
		connections,
		settings,
	});
	return String(body.id);
}

const isDone = (e: Execution) =>
	!['new', 'running', 'waiting', 'unknown'].includes(e.status) && !!e.stoppedAt;

/** Runs a workflow from its Manual Trigger like the editor does and waits for the result. */
async function executeManual(
	n8n: N8nInstance,
	workflowId: string,
	timeoutMs: number,
): Promise<Execution> {
	const started = await must(
		n8n,
		'POST',
		`/rest/workflows/${workflowId}/run`,
		{ triggerToStartFrom: { name: 'Start' } },
		'cookie',
	);
	let executionId: string | undefined = started?.data?.executionId;
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		await sleep(250);
		if (!executionId) {
			const list = await must<{ data: Execution[] }>(
				n8n,
				'GET',
				`/executions?workflowId=${workflowId}&includeData=false&limit=1`,
			);
			executionId = list.data[0] ? String(list.data[0].id) : undefined;
			continue;
		}
		// A node that blocks n8n's main thread (the HTTP Request node evaluating a 1,000-item batch on
		// a busy machine) can leave a poll unanswered past its timeout: poll again until the deadline.
		const r = await callN8n<Execution>(
			n8n,
			'GET',
			`/executions/${executionId}?includeData=false`,
		).catch(() => undefined);
		if (r?.status === 200 && isDone(r.body)) {
			return must<Execution>(n8n, 'GET', `/executions/${executionId}?includeData=true`);
		}
	}
	throw new Error(`execution of ${workflowId} did not finish in ${timeoutMs} ms`);
}

// ---------------------------------------------------------------------------------------------
// shared setup

interface Context {
	pki: TestPki;
	standIn: StandIn;
	runCounter: number;
}

function n8nEnv(ctx: Context, engine: Engine): Record<string, string> {
	const env: Record<string, string> = {
		// BENCH_N8N_NODE_OPTIONS adds flags for n8n only, e.g. --cpu-prof --cpu-prof-dir=/tmp/prof
		NODE_OPTIONS: `--require ${ctx.pki.preload} ${process.env.BENCH_N8N_NODE_OPTIONS ?? ''}`.trim(),
		NODE_EXTRA_CA_CERTS: ctx.pki.caCert,
		BENCH_GRAPH_PORT: String(ctx.standIn.graphPort),
	};
	if (engine === 'legacy') env.N8N_EXPRESSION_ENGINE = 'legacy';
	// experiments, e.g. BENCH_N8N_ENV='{"N8N_EXPRESSION_ENGINE_POOL_SIZE":"4"}' (printed with the results)
	if (process.env.BENCH_N8N_ENV) Object.assign(env, JSON.parse(process.env.BENCH_N8N_ENV));
	return env;
}

interface Credentials {
	ours: { id: string; name: string };
	builtin: { id: string; name: string };
	builtinTrigger: { id: string; name: string };
	/** for n8n's Webhook node behind Header Auth (the forged scenario's baseline) */
	headerAuth: { id: string; name: string };
}

async function createCredentials(n8n: N8nInstance, ctx: Context): Promise<Credentials> {
	const c = ctx.standIn.config;
	const ours = await createCredential(n8n, 'WhatsApp Cloud (bench)', CREDENTIAL_TYPE, {
		accessToken: c.token,
		appSecret: c.appSecret,
		appId: c.appId,
		businessAccountId: c.wabaId,
		verifyToken: 'bench-verify-token',
		apiVersion: API_VERSION,
		// BENCH_OURS_PLAIN_HTTP=1: our credential calls the emulator over plain http (experiment: what
		// TLS costs n8n); by default it uses Meta's URL through the TLS stand-in like the others
		baseUrl: process.env.BENCH_OURS_PLAIN_HTTP
			? ctx.standIn.emulatorUrl
			: 'https://graph.facebook.com',
	});
	const builtin = await createCredential(n8n, 'WhatsApp API (bench)', 'whatsAppApi', {
		accessToken: c.token,
		businessAccountId: c.wabaId,
	});
	const builtinTrigger = await createCredential(
		n8n,
		'WhatsApp OAuth (bench)',
		'whatsAppTriggerApi',
		{
			clientId: c.appId,
			clientSecret: c.appSecret,
		},
	);
	const headerAuth = await createCredential(n8n, 'Header Auth (bench)', 'httpHeaderAuth', {
		name: 'x-bench-key',
		value: 'bench-header-secret',
	});
	return { ours, builtin, builtinTrigger, headerAuth };
}

async function startInstance(ctx: Context, engine: Engine, logName: string, packageDir?: string) {
	const started = Date.now();
	const n8n = await startN8n({ env: n8nEnv(ctx, engine), logName, packageDir });
	const credentials = await createCredentials(n8n, ctx);
	log(`  n8n ${n8n.version} (${engine}) ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return { n8n, credentials };
}

// ---------------------------------------------------------------------------------------------
// broadcast

export interface BroadcastResult {
	engine: Engine;
	executionStatus: string;
	/** n8n's execution startedAt → stoppedAt */
	wallSeconds: number;
	/** (accepted − 1) / (last − first acceptance) / limit — same definition as test/bench/run.ts */
	rateRatio: number;
	/** accepted msg/s: (accepted − 1) / (last − first acceptance) */
	rate: number;
	/** accepted / wallSeconds / limit */
	wallRateRatio: number;
	acceptanceSpanSeconds: number;
	peakPerSecond: number;
	/** from the run request to the first acceptance (preparing items before the first send) */
	firstAcceptanceSeconds: number;
	accepted: number;
	/** recipients (of 2,000) that got at least one message */
	delivered: number;
	lost: number;
	duplicates: number;
	okItems: number;
	errorItems: number;
	/** error items / node errors about throughput (130429, HTTP 429, "too many requests") */
	throttleErrorsSurfaced: number;
	surfacedErrors: number;
	nodeError: string | null;
	emulator130429: number;
	messageRequests: number;
	/** CPU seconds n8n's main process used from the run request until the execution finished */
	n8nMainCpuSeconds: number;
	/** … per message request sent (n8n's main thread cost of one send, load-independent) */
	mainCpuMsPerRequest: number;
	/** CPU seconds of the task runner (the Code node making the items) */
	runnerCpuSeconds: number;
	/** new TLS connections to graph.facebook.com during the run (1 per request = no keep-alive) */
	tlsConnections: number;
	maxHealthzMs: number;
	healthzP99Ms: number;
	healthzOver100Ms: number;
	healthzSamples: number;
	/** /healthz during the sending phase only (first to last acceptance) */
	maxHealthzWhileSendingMs: number;
	healthzOver100WhileSending: number;
	/** slowest probes, with the execution's start/stop on the same clock (ms after polling began) */
	healthzSlowest: Array<{ atMs: number; ms: number }>;
	timeline: {
		executionStartMs: number;
		firstAcceptanceMs: number;
		lastAcceptanceMs: number;
		executionStopMs: number;
	};
	probeLoopDelayMaxMs: number;
}

const THROTTLE = /130429|\b429\b|too many requests|rate limit|throughput/i;

function outputsOf(execution: Execution): { ok: any[]; errors: any[] } {
	const run = execution.data?.resultData.runData[SENDER_NODE]?.[0];
	const main = (run?.data?.main ?? []) as Array<Array<{ json: unknown }> | null>;
	return { ok: main[0] ?? [], errors: main[1] ?? [] };
}

function deliveryOf(messages: AcceptedMessage[], run: number, count: number) {
	const perRecipient = new Map<string, number>();
	for (let i = 0; i < count; i++) perRecipient.set(recipient(run, i), 0);
	let accepted = 0;
	const times: number[] = [];
	for (const message of messages) {
		const seen = perRecipient.get(message.to);
		if (seen === undefined) continue;
		perRecipient.set(message.to, seen + 1);
		accepted++;
		times.push(message.at);
	}
	let lost = 0;
	let duplicates = 0;
	for (const seen of perRecipient.values()) {
		if (seen === 0) lost++;
		else duplicates += seen - 1;
	}
	times.sort((a, b) => a - b);
	let peak = 0;
	for (let end = 0, start = 0; end < times.length; end++) {
		while (times[end] - times[start] >= 1000) start++;
		peak = Math.max(peak, end - start + 1);
	}
	return { accepted, lost, duplicates, delivered: count - lost, times, peak };
}

async function runBroadcast(
	n8n: N8nInstance,
	ctx: Context,
	credentials: Credentials,
	contender: BroadcastContender,
	engine: Engine,
	opts: { count: number; limit: number; phoneIndex: number; messagesPerSecond?: number },
): Promise<BroadcastResult> {
	const run = ++ctx.runCounter;
	const phoneNumberId = ctx.standIn.config.phoneNumberIds[opts.phoneIndex];
	const credential = contender === 'builtin' ? credentials.builtin : credentials.ours;
	const workflowId = await createWorkflow(
		n8n,
		broadcastWorkflow(contender, run, opts.count, {
			credentialId: credential.id,
			credentialName: credential.name,
			phoneNumberId,
			token: ctx.standIn.config.token,
			messagesPerSecond: opts.messagesPerSecond,
		}),
	);
	await ctx.standIn.reset();
	await ctx.standIn.configure({
		messagesPerSecond: LIMIT,
		highMessagesPerSecond: MEMORY_RATE,
		latency: { kind: 'fixed', ms: LATENCY_MS },
	});
	await sleep(1000); // a full bucket for everyone, and a quiet n8n before the probes start
	const healthz = pollHealthz(n8n.baseUrl, 50);
	const tlsBefore = ctx.standIn.tlsConnections();
	const mainPid = findN8nMainPid(n8n.userFolder);
	const cpuBefore = n8nCpu(mainPid);
	const t0 = Date.now();
	const execution = await executeManual(n8n, workflowId, 600_000);
	const cpuAfter = n8nCpu(mainPid);
	const messages = await ctx.standIn.messages();
	const requests: RequestRecord[] = await ctx.standIn.requests();
	const delivery = deliveryOf(messages, run, opts.count);
	// the sending phase: first to last acceptance (n8n's own work before and after is excluded)
	const health: HealthzFigures = healthz.stop(
		delivery.times.length
			? {
					fromMs: delivery.times[0] - healthz.startedAt,
					toMs: delivery.times[delivery.times.length - 1] - healthz.startedAt,
				}
			: undefined,
	);
	const executionStartMs = Date.parse(execution.startedAt) - healthz.startedAt;
	const executionStopMs =
		Date.parse(execution.stoppedAt ?? execution.startedAt) - healthz.startedAt;
	const { ok, errors } = outputsOf(execution);
	const nodeError = execution.data?.resultData.error
		? String(execution.data.resultData.error.message ?? 'error')
		: null;
	const messageRequests = requests.filter(
		(r) => r.method === 'POST' && r.path.endsWith('/messages'),
	);
	const emulator130429 = messageRequests.filter((r) => r.code === 130429).length;
	const throttleItems = errors.filter((item) => THROTTLE.test(JSON.stringify(item.json))).length;
	// A node that stops surfaces one error for the whole node; count what it answered with
	const throttleErrorsSurfaced =
		throttleItems + (nodeError && THROTTLE.test(nodeError) ? emulator130429 - throttleItems : 0);
	const wallSeconds =
		(Date.parse(execution.stoppedAt ?? new Date().toISOString()) -
			Date.parse(execution.startedAt)) /
		1000;
	const span =
		delivery.times.length > 1
			? (delivery.times[delivery.times.length - 1] - delivery.times[0]) / 1000
			: 0;
	return {
		engine,
		executionStatus: execution.status,
		wallSeconds: round(wallSeconds, 2),
		rateRatio: span > 0 ? round((delivery.accepted - 1) / span / opts.limit) : 0,
		rate: span > 0 ? round((delivery.accepted - 1) / span, 1) : 0,
		wallRateRatio: wallSeconds > 0 ? round(delivery.accepted / wallSeconds / opts.limit) : 0,
		acceptanceSpanSeconds: round(span, 2),
		peakPerSecond: delivery.peak,
		firstAcceptanceSeconds: delivery.times.length ? round((delivery.times[0] - t0) / 1000, 2) : -1,
		accepted: delivery.accepted,
		delivered: delivery.delivered,
		lost: delivery.lost,
		duplicates: delivery.duplicates,
		okItems: ok.length,
		errorItems: errors.length,
		throttleErrorsSurfaced,
		surfacedErrors: errors.length + (nodeError ? 1 : 0),
		nodeError,
		emulator130429,
		messageRequests: messageRequests.length,
		tlsConnections: ctx.standIn.tlsConnections() - tlsBefore,
		n8nMainCpuSeconds: round(cpuAfter.main - cpuBefore.main, 2),
		mainCpuMsPerRequest: messageRequests.length
			? round(((cpuAfter.main - cpuBefore.main) * 1000) / messageRequests.length, 2)
			: 0,
		runnerCpuSeconds: round(cpuAfter.runner - cpuBefore.runner, 2),
		maxHealthzMs: health.maxMs,
		healthzP99Ms: health.p99Ms,
		healthzOver100Ms: health.over100,
		healthzSamples: health.samples,
		maxHealthzWhileSendingMs: health.maxInWindowMs ?? 0,
		healthzOver100WhileSending: health.over100InWindow ?? 0,
		healthzSlowest: health.slowest,
		timeline: {
			executionStartMs,
			firstAcceptanceMs: delivery.times.length ? delivery.times[0] - healthz.startedAt : -1,
			lastAcceptanceMs: delivery.times.length
				? delivery.times[delivery.times.length - 1] - healthz.startedAt
				: -1,
			executionStopMs,
		},
		probeLoopDelayMaxMs: health.probeLoopDelayMaxMs,
	};
}

// ---------------------------------------------------------------------------------------------
// trigger

export interface TriggerResult {
	engine: Engine;
	activated: boolean;
	activationError?: string;
	requests: number;
	ok: number;
	failed: number;
	statusCounts: Record<string, number>;
	/** HTTP level: responses per second over the burst */
	rps: number;
	p50ms: number;
	p99ms: number;
	maxMs: number;
	/** finished executions started by the measured burst */
	executions: number;
	/** executions / (last execution stopped − first request) */
	executionsPerSecond: number;
	maxHealthzMs: number;
	/** n8n main-process CPU ms per request (median of the rounds): the cost, independent of load */
	cpuMsPerRequest: number;
	/** every measured round (order A B C, C B A, …); rps/p50/p99/executionsPerSecond are their medians */
	runs?: Array<Record<string, number>>;
}

const streamCache = new Map<
	number,
	{ warmup: LoadRequest[]; measured: LoadRequest[]; mix: Record<string, number> }
>();

/**
 * Signed payloads: single inbound messages of mixed types, single statuses and batches. Every
 * contender gets the same bytes in a round; each round has its own message IDs, since our trigger
 * drops re-deliveries of IDs it has seen (Meta retries) and would otherwise run nothing.
 */
function triggerStream(appSecret: string, round_ = 0) {
	const cached = streamCache.get(round_);
	if (cached) return cached;
	const mix: Record<string, number> = { message: 0, status: 0, batched: 0 };
	const from = (i: number) => `1650555${String(i % 10000).padStart(4, '0')}`;
	const wamid = (i: number, k: string) =>
		`wamid.${Buffer.from(`bench-${k}-${round_}-${i}-${Date.now()}`).toString('base64')}`;
	const inbound = (i: number) => {
		const f = from(i);
		switch (i % 6) {
			case 0:
				return inboundMessages.text(f, `Hello ${i} 👋`);
			case 1:
				return inboundMessages.image(f, {
					id: `10138596002854${String(i % 100).padStart(2, '0')}`,
					mime_type: 'image/jpeg',
					sha256: 'a'.repeat(64),
					caption: `photo ${i}`,
				} as never);
			case 2:
				return inboundMessages.location(f, {
					latitude: 52.52,
					longitude: 13.405,
					name: `Place ${i}`,
				});
			case 3:
				return inboundMessages.buttonReply(f, `btn-${i}`, 'Confirm');
			case 4:
				return inboundMessages.reaction(f, wamid(i, 'orig'), '👍');
			default:
				return inboundMessages.listReply(f, `row-${i}`, 'Option', 'An option');
		}
	};
	const kinds = ['sent', 'delivered', 'read'] as const;
	const build = (i: number) => {
		const r = i % 20;
		if (r < 12) {
			mix.message++;
			return messagesPayload(inbound(i));
		}
		if (r < 17) {
			mix.status++;
			return statusesPayload(statusObject(wamid(i, 'out'), kinds[i % 3], from(i)));
		}
		mix.batched++;
		return batch(
			messagesPayload([inbound(i), inbound(i + 1), inbound(i + 2)]),
			statusesPayload([
				statusObject(wamid(i, 'a'), 'delivered', from(i)),
				statusObject(wamid(i, 'b'), 'read', from(i + 1)),
			]),
		);
	};
	const toRequest = (i: number): LoadRequest => {
		const body = Buffer.from(JSON.stringify(build(i + round_ * 1_000_000)));
		return {
			body,
			headers: {
				'content-type': 'application/json',
				'user-agent': 'facebookexternalua',
				'x-hub-signature-256': sign(body, appSecret),
			},
		};
	};
	const warmup = Array.from({ length: TRIGGER_WARMUP }, (_, i) => toRequest(100_000 + i));
	for (const k of Object.keys(mix)) mix[k] = 0;
	const measured = Array.from({ length: TRIGGER_REQUESTS }, (_, i) => toRequest(i));
	const stream = { warmup, measured, mix };
	streamCache.set(round_, stream);
	return stream;
}

async function finishedExecutions(n8n: N8nInstance, workflowId: string): Promise<Execution[]> {
	const all: Execution[] = [];
	let cursor: string | undefined;
	for (;;) {
		const qs = new URLSearchParams({ workflowId, includeData: 'false', limit: '250' });
		if (cursor) qs.set('cursor', cursor);
		const r = await callN8n<{ data: Execution[]; nextCursor?: string | null }>(
			n8n,
			'GET',
			`/executions?${qs}`,
		);
		if (r.status !== 200) throw new Error(`executions → ${r.status}: ${r.text.slice(0, 300)}`);
		all.push(...r.body.data);
		cursor = r.body.nextCursor ?? undefined;
		if (!cursor || r.body.data.length === 0) return all;
	}
}

async function waitForExecutionCount(
	n8n: N8nInstance,
	workflowId: string,
	expected: number,
	timeoutMs: number,
): Promise<Execution[]> {
	const deadline = Date.now() + timeoutMs;
	let last = -1;
	let stableSince = Date.now();
	for (;;) {
		const list = await finishedExecutions(n8n, workflowId);
		if (list.length >= expected) return list;
		if (list.length !== last) {
			last = list.length;
			stableSince = Date.now();
		}
		if (Date.now() > deadline || Date.now() - stableSince > 8000) return list;
		await sleep(2000); // listing executions costs n8n CPU too: poll rarely
	}
}

interface ActiveTrigger {
	contender: TriggerContender;
	workflowId: string;
	url: string;
	activated: boolean;
	activationError?: string;
}

async function activateTrigger(
	n8n: N8nInstance,
	credentials: Credentials,
	contender: TriggerContender,
	engine: Engine,
): Promise<ActiveTrigger> {
	const webhookId = `bench-${contender}-${engine}-${Date.now().toString(36)}`;
	const credential =
		contender === 'ours' || contender === 'oursNoDedupe'
			? credentials.ours
			: contender === 'builtin'
				? credentials.builtinTrigger
				: contender === 'webhookNodeHeaderAuth'
					? credentials.headerAuth
					: undefined;
	const workflowId = await createWorkflow(
		n8n,
		triggerWorkflow(contender, {
			webhookId,
			credentialId: credential?.id,
			credentialName: credential?.name,
		}),
	);
	const url = `${n8n.webhookBaseUrl}${triggerPath(contender, webhookId)}`;
	try {
		await must(n8n, 'POST', `/workflows/${workflowId}/activate`);
		await n8n.waitForWebhook(triggerPath(contender, webhookId), { timeoutMs: 15_000 });
		return { contender, workflowId, url, activated: true };
	} catch (error) {
		const message = String((error as Error).message).slice(0, 500);
		return { contender, workflowId, url, activated: false, activationError: message };
	}
}

interface TriggerRun {
	load: LoadFigures;
	/** n8n main-process CPU per webhook request, until its execution finished (load-independent) */
	cpuMsPerRequest: number;
	executions: number;
	executionsPerSecond: number;
	maxHealthzMs: number;
	loadAverage: number;
}

async function measureTrigger(
	n8n: N8nInstance,
	ctx: Context,
	active: ActiveTrigger,
	round_: number,
): Promise<TriggerRun> {
	const warm = round_ === 0;
	const stream = triggerStream(ctx.standIn.config.appSecret, round_);
	const before = (await finishedExecutions(n8n, active.workflowId)).length;
	if (warm) {
		await postLoad(active.url, stream.warmup, 10, 30);
		await waitForExecutionCount(n8n, active.workflowId, before + stream.warmup.length, 30_000);
	}
	const baseline = (await finishedExecutions(n8n, active.workflowId)).length;
	await sleep(500);
	const healthz = pollHealthz(n8n.baseUrl, 50);
	const mainPid = findN8nMainPid(n8n.userFolder);
	const cpuBefore = n8nCpu(mainPid);
	const load = await postLoad(
		active.url,
		stream.measured,
		TRIGGER_CONCURRENCY,
		TRIGGER_CAP_SECONDS,
	);
	const executions = await waitForExecutionCount(
		n8n,
		active.workflowId,
		baseline + load.sent,
		120_000,
	);
	const cpuAfter = n8nCpu(mainPid);
	const health = healthz.stop();
	const measured = executions.filter((e) => Date.parse(e.startedAt) >= load.firstStartedAt - 50);
	const lastStop = Math.max(...measured.map((e) => Date.parse(e.stoppedAt ?? e.startedAt)));
	return {
		load,
		cpuMsPerRequest: load.sent
			? round(((cpuAfter.main - cpuBefore.main) * 1000) / load.sent, 1)
			: 0,
		executions: measured.length,
		executionsPerSecond: measured.length
			? round(measured.length / ((lastStop - load.firstStartedAt) / 1000), 1)
			: 0,
		maxHealthzMs: health.maxMs,
		loadAverage: round(os.loadavg()[0], 2),
	};
}

const median = (values: number[]) => {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function combineTriggerRuns(
	active: ActiveTrigger,
	engine: Engine,
	runs: TriggerRun[],
): TriggerResult {
	if (!active.activated || runs.length === 0) {
		return {
			engine,
			activated: false,
			activationError: active.activationError,
			requests: 0,
			ok: 0,
			failed: 0,
			statusCounts: {},
			rps: 0,
			p50ms: 0,
			p99ms: 0,
			maxMs: 0,
			executions: 0,
			executionsPerSecond: 0,
			maxHealthzMs: 0,
			cpuMsPerRequest: 0,
		};
	}
	const statusCounts: Record<string, number> = {};
	for (const run of runs) {
		for (const [code, n] of Object.entries(run.load.statusCounts)) {
			statusCounts[code] = (statusCounts[code] ?? 0) + n;
		}
	}
	return {
		engine,
		activated: true,
		requests: runs.reduce((sum, r) => sum + r.load.sent, 0),
		ok: runs.reduce((sum, r) => sum + r.load.ok, 0),
		failed: runs.reduce((sum, r) => sum + r.load.failed, 0),
		statusCounts,
		rps: round(median(runs.map((r) => r.load.rps)), 1),
		p50ms: round(median(runs.map((r) => r.load.p50ms)), 1),
		p99ms: round(median(runs.map((r) => r.load.p99ms)), 1),
		maxMs: Math.max(...runs.map((r) => r.load.maxMs)),
		executions: runs.reduce((sum, r) => sum + r.executions, 0),
		executionsPerSecond: round(median(runs.map((r) => r.executionsPerSecond)), 1),
		maxHealthzMs: Math.max(...runs.map((r) => r.maxHealthzMs)),
		cpuMsPerRequest: round(median(runs.map((r) => r.cpuMsPerRequest)), 1),
		runs: runs.map((r) => ({
			cpuMsPerRequest: r.cpuMsPerRequest,
			rps: r.load.rps,
			p50ms: r.load.p50ms,
			p99ms: r.load.p99ms,
			requests: r.load.sent,
			executionsPerSecond: r.executionsPerSecond,
			loadAverage: r.loadAverage,
		})),
	};
}

// ---------------------------------------------------------------------------------------------
// forged signatures (audit finding 1)

const FORGED_BODY_BYTES = 16 * 1024 * 1024;
const FORGED_REQUESTS = QUICK ? 10 : 30;
const FORGED_CONCURRENCY = 10;

export interface ForgedResult {
	activated: boolean;
	activationError?: string;
	requests: number;
	statusCounts: Record<string, number>;
	seconds: number;
	/** /healthz while the forged requests arrive (50 ms polling) */
	maxHealthzMs: number;
	healthzP99Ms: number;
	healthzOver100Ms: number;
	healthzSamples: number;
	healthzSlowest: Array<{ atMs: number; ms: number }>;
	/** n8n main-process CPU ms per forged request (decompress + parse + our check) */
	cpuMsPerRequest: number;
	/** highest main-process RSS during the load, above what it was before */
	peakMainRssAboveBeforeMB: number;
	p50ms: number;
	maxMs: number;
	/** executions the forged requests started (must be 0 for ours) */
	executions: number;
}

/**
 * Forged webhooks: a Meta-shaped JSON body of 16 MiB whose text is non-ASCII, gzipped (n8n
 * decompresses before its 16 MiB limit applies), with a well-formed but wrong signature; 10 at a
 * time while /healthz is polled.
 */
function forgedRequests(): { requests: LoadRequest[]; bodyBytes: number; gzippedBytes: number } {
	const body = webhookOf(FORGED_BODY_BYTES, 'äöü漢字 ');
	const gzipped = zlib.gzipSync(body, { level: 9 });
	const request: LoadRequest = {
		body: gzipped,
		headers: {
			'content-type': 'application/json',
			'content-encoding': 'gzip',
			'user-agent': 'facebookexternalua',
			'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
		},
	};
	return {
		requests: Array.from({ length: FORGED_REQUESTS }, () => request),
		bodyBytes: body.length,
		gzippedBytes: gzipped.length,
	};
}

async function measureForged(
	n8n: N8nInstance,
	credentials: Credentials,
	contender: TriggerContender,
	requests: LoadRequest[],
): Promise<ForgedResult> {
	const active = await activateTrigger(n8n, credentials, contender, 'vm');
	const empty = {
		requests: 0,
		statusCounts: {},
		seconds: 0,
		maxHealthzMs: 0,
		healthzP99Ms: 0,
		healthzOver100Ms: 0,
		healthzSamples: 0,
		healthzSlowest: [],
		cpuMsPerRequest: 0,
		peakMainRssAboveBeforeMB: 0,
		p50ms: 0,
		maxMs: 0,
		executions: 0,
	};
	if (!active.activated) {
		return { activated: false, activationError: active.activationError, ...empty };
	}
	const mainPid = findN8nMainPid(n8n.userFolder);
	const rssBefore = rssMb(mainPid);
	await sleep(1000);
	const rss = sampleRss(mainPid, 100);
	const healthz = pollHealthz(n8n.baseUrl, 50);
	const cpuBefore = n8nCpu(mainPid);
	const load = await postLoad(active.url, requests, FORGED_CONCURRENCY, 600);
	const cpuAfter = n8nCpu(mainPid);
	const health = healthz.stop();
	const samples = rss.stop();
	await sleep(2000);
	const executions = (await finishedExecutions(n8n, active.workflowId)).length;
	return {
		activated: true,
		requests: load.sent,
		statusCounts: load.statusCounts,
		seconds: load.seconds,
		maxHealthzMs: health.maxMs,
		healthzP99Ms: health.p99Ms,
		healthzOver100Ms: health.over100,
		healthzSamples: health.samples,
		healthzSlowest: health.slowest,
		cpuMsPerRequest: load.sent
			? round(((cpuAfter.main - cpuBefore.main) * 1000) / load.sent, 1)
			: 0,
		peakMainRssAboveBeforeMB: round(Math.max(...samples.map((s) => s.mainMb)) - rssBefore, 1),
		p50ms: load.p50ms,
		maxMs: load.maxMs,
		executions,
	};
}

/** The package as it was before the fix, built in a temporary copy (git archive + npm run build). */
function buildBeforePackage(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wa-cloud-${BEFORE_COMMIT}-`));
	execSync(`git archive ${BEFORE_COMMIT} | tar -x -C ${JSON.stringify(dir)}`, {
		cwd: REPO_ROOT,
		stdio: 'inherit',
	});
	fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
	execSync('npm run build', { cwd: dir, stdio: 'ignore' });
	return dir;
}

function forgedTable(results: Record<string, ForgedResult>): string {
	const rows = Object.entries(results).map(([name, r]) => ({
		cells: [
			name,
			r.activated ? 'yes' : `no: ${r.activationError?.slice(0, 60)}`,
			String(r.requests),
			JSON.stringify(r.statusCounts),
			r.seconds.toFixed(1),
			`${r.maxHealthzMs.toFixed(0)} (${r.healthzOver100Ms} > 100)`,
			r.healthzP99Ms.toFixed(0),
			r.cpuMsPerRequest.toFixed(0),
			r.peakMainRssAboveBeforeMB.toFixed(0),
			String(r.executions),
		],
	}));
	return table(
		[
			'contender',
			'active',
			'requests',
			'HTTP',
			'seconds',
			'max /healthz ms',
			'p99 /healthz ms',
			'n8n CPU ms/req',
			'peak RSS + MB',
			'executions',
		],
		rows,
	);
}

// ---------------------------------------------------------------------------------------------
// memory

export interface MemoryResult {
	engine: Engine;
	items: number;
	messagesPerSecond: number;
	idleMainMB: number;
	idleRunnerMB: number;
	peakMainMB: number;
	peakRunnerMB: number;
	/** peak of (main + runner) − idle (main + runner) */
	peakRssAboveIdleMB: number;
	peakMainAboveIdleMB: number;
	peakRunnerAboveIdleMB: number;
	/** main-process RSS 10 s after the execution finished, above idle: memory not returned yet */
	mainAfterRunAboveIdleMB: number;
	/** the same 10,000 items into a No Operation node instead of ours: n8n's own share */
	noOpPeakRssAboveIdleMB?: number;
	accepted: number;
	lost: number;
	duplicates: number;
	wallSeconds: number;
	executionStatus: string;
	processes: string[];
}

async function settle(
	mainPid: number,
	maxSeconds: number,
): Promise<{ main: number; runner: number }> {
	const history: number[] = [];
	const deadline = Date.now() + maxSeconds * 1000;
	for (;;) {
		const runner = descendants(mainPid).reduce((sum, pid) => sum + rssMb(pid), 0);
		const main = rssMb(mainPid);
		history.push(main + runner);
		const recent = history.slice(-5);
		if (
			(recent.length === 5 && Math.max(...recent) - Math.min(...recent) < 8) ||
			Date.now() > deadline
		) {
			return { main, runner };
		}
		await sleep(1000);
	}
}

async function measuredRun(
	n8n: N8nInstance,
	mainPid: number,
	workflowId: string,
): Promise<{ execution: Execution; samples: RssSample[]; idle: { main: number; runner: number } }> {
	const idle = await settle(mainPid, 60);
	const sampler = sampleRss(mainPid, 100);
	let execution: Execution;
	try {
		execution = await executeManual(n8n, workflowId, 600_000);
		// execution data is saved and released after the run; then see what n8n keeps
		await sleep(10_000);
	} finally {
		var samples = sampler.stop();
	}
	return { execution, samples, idle };
}

async function runMemory(ctx: Context, engine: Engine): Promise<MemoryResult> {
	const { n8n, credentials } = await startInstance(ctx, engine, 'bench-memory');
	try {
		const mainPid = findN8nMainPid(n8n.userFolder);
		await ctx.standIn.reset();
		await ctx.standIn.configure({
			highMessagesPerSecond: MEMORY_RATE,
			latency: { kind: 'fixed', ms: LATENCY_MS },
		});
		const setup = (run: number, count: number, contender: BroadcastContender) =>
			broadcastWorkflow(contender, run, count, {
				credentialId: credentials.ours.id,
				credentialName: credentials.ours.name,
				phoneNumberId: ctx.standIn.config.phoneNumberIds[1], // HIGH: 1,000 msg/s
				token: ctx.standIn.config.token,
				messagesPerSecond: MEMORY_RATE,
			});
		// warm-up: load our node's code and the task runner once, so idle means "ready to send"
		const warm = await createWorkflow(n8n, setup(++ctx.runCounter, 50, 'ours'));
		await executeManual(n8n, warm, 120_000);

		const run = ++ctx.runCounter;
		const workflowId = await createWorkflow(n8n, setup(run, MEMORY_ITEMS, 'ours'));
		await ctx.standIn.reset();
		await ctx.standIn.configure({
			highMessagesPerSecond: MEMORY_RATE,
			latency: { kind: 'fixed', ms: LATENCY_MS },
		});
		const { execution, samples, idle } = await measuredRun(n8n, mainPid, workflowId);
		const delivery = deliveryOf(await ctx.standIn.messages(), run, MEMORY_ITEMS);
		const peakMain = Math.max(...samples.map((s) => s.mainMb));
		const peakRunner = Math.max(...samples.map((s) => s.childrenMb));
		const peakSum = Math.max(...samples.map((s) => s.mainMb + s.childrenMb));

		// n8n's own share: the same items into a No Operation node
		const noOp = broadcastWorkflow('ours', ++ctx.runCounter, MEMORY_ITEMS, {
			credentialId: credentials.ours.id,
			credentialName: credentials.ours.name,
			phoneNumberId: ctx.standIn.config.phoneNumberIds[1],
			token: ctx.standIn.config.token,
		});
		const sender = noOp.nodes[2] as Record<string, unknown>;
		sender.type = 'n8n-nodes-base.noOp';
		sender.typeVersion = 1;
		sender.parameters = {};
		delete sender.credentials;
		delete sender.onError;
		const noOpId = await createWorkflow(n8n, noOp);
		const noOpRun = await measuredRun(n8n, mainPid, noOpId);
		const noOpPeak = Math.max(...noOpRun.samples.map((s) => s.mainMb + s.childrenMb));

		return {
			engine,
			items: MEMORY_ITEMS,
			messagesPerSecond: MEMORY_RATE,
			idleMainMB: round(idle.main, 1),
			idleRunnerMB: round(idle.runner, 1),
			peakMainMB: round(peakMain, 1),
			peakRunnerMB: round(peakRunner, 1),
			peakRssAboveIdleMB: round(peakSum - idle.main - idle.runner, 1),
			peakMainAboveIdleMB: round(peakMain - idle.main, 1),
			peakRunnerAboveIdleMB: round(peakRunner - idle.runner, 1),
			mainAfterRunAboveIdleMB: round(samples[samples.length - 1].mainMb - idle.main, 1),
			noOpPeakRssAboveIdleMB: round(noOpPeak - noOpRun.idle.main - noOpRun.idle.runner, 1),
			accepted: delivery.accepted,
			lost: delivery.lost,
			duplicates: delivery.duplicates,
			wallSeconds: round(
				(Date.parse(execution.stoppedAt ?? '') - Date.parse(execution.startedAt)) / 1000,
				2,
			),
			executionStatus: execution.status,
			processes: [mainPid, ...descendants(mainPid)].map((pid) => `${pid}: ${commandOf(pid)}`),
		};
	} finally {
		await n8n.stop();
	}
}

// ---------------------------------------------------------------------------------------------
// report

interface Row {
	cells: string[];
}

function table(headers: string[], rows: Row[]): string {
	const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i].length)));
	const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	return [
		line(headers),
		`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
		...rows.map((r) => line(r.cells)),
	].join('\n');
}

function verdict(name: string, pass: boolean, detail: string): string {
	return `${pass ? 'PASS' : 'FAIL'}  ${name}: ${detail}`;
}

function broadcastTable(results: Record<string, BroadcastResult>): string {
	const rows = Object.entries(results).map(([name, r]) => ({
		cells: [
			`${name} (${r.engine})`,
			r.executionStatus,
			r.wallSeconds.toFixed(2),
			r.rateRatio.toFixed(3),
			r.wallRateRatio.toFixed(3),
			String(r.accepted),
			String(r.throttleErrorsSurfaced),
			String(r.lost),
			String(r.duplicates),
			`${r.okItems}/${r.errorItems}`,
			r.firstAcceptanceSeconds.toFixed(2),
			`${r.maxHealthzMs.toFixed(0)} (${r.healthzOver100Ms} > 100)`,
			`${r.maxHealthzWhileSendingMs.toFixed(0)} (${r.healthzOver100WhileSending} > 100)`,
			r.mainCpuMsPerRequest.toFixed(1),
		],
	}));
	return table(
		[
			'contender',
			'execution',
			'wall s',
			'rate/limit',
			'accepted/wall/limit',
			'accepted',
			'throttle errs',
			'lost',
			'dups',
			'items ok/err',
			'1st send s',
			'max /healthz ms',
			'… while sending',
			'n8n CPU ms/request',
		],
		rows,
	);
}

function triggerTable(results: Record<string, TriggerResult>): string {
	const rows = Object.entries(results).map(([name, r]) => ({
		cells: [
			`${name} (${r.engine})`,
			r.activated ? 'yes' : `no: ${r.activationError?.slice(0, 60)}`,
			String(r.requests),
			JSON.stringify(r.statusCounts),
			r.rps.toFixed(1),
			r.p50ms.toFixed(1),
			r.p99ms.toFixed(1),
			`${r.executions} @ ${r.executionsPerSecond.toFixed(1)}/s`,
			r.cpuMsPerRequest.toFixed(1),
			r.maxHealthzMs.toFixed(0),
		],
	}));
	return table(
		[
			'contender',
			'active',
			'requests',
			'HTTP',
			'req/s',
			'p50 ms',
			'p99 ms',
			'executions',
			'n8n CPU ms/req',
			'max /healthz ms',
		],
		rows,
	);
}

function mergeResults(figures: Record<string, unknown>): void {
	let existing: Record<string, unknown> = {};
	try {
		const parsed: unknown = JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8'));
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
			existing = parsed as Record<string, unknown>;
		}
	} catch {
		// missing or unreadable: start fresh
	}
	fs.writeFileSync(RESULTS_FILE, `${JSON.stringify({ ...existing, ...figures }, null, '\t')}\n`);
}

// ---------------------------------------------------------------------------------------------

export interface N8nBenchOptions {
	scenarios?: Array<'broadcast' | 'broadcast1000' | 'trigger' | 'memory' | 'forged'>;
	/** forged scenario: also run the package as it was before the fix (built from git) */
	forgedBefore?: boolean;
	/** expression engines for broadcast and trigger (default vm then legacy) */
	engines?: Engine[];
	/** expression engines for the memory scenario (default vm only: it takes minutes per engine) */
	memoryEngines?: Engine[];
	legacy?: boolean;
	/** write results.json (default true) */
	write?: boolean;
}

export async function runN8nBenchmarks(
	options: N8nBenchOptions = {},
): Promise<Record<string, unknown>> {
	const scenarios = new Set(
		options.scenarios ?? ['broadcast', 'broadcast1000', 'trigger', 'memory', 'forged'],
	);
	const engines: Engine[] =
		options.engines ?? (options.legacy === false ? ['vm'] : ['vm', 'legacy']);
	const started = Date.now();
	const machine = {
		cores: os.cpus().length,
		cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
		memoryGb: round(os.totalmem() / 2 ** 30, 1),
		loadAverage1mAtStart: round(os.loadavg()[0], 2),
	};
	const pki = makeTestPki();
	const standIn = await startStandIn(pki, {
		messagesPerSecond: LIMIT,
		latency: { kind: 'fixed', ms: LATENCY_MS },
	});
	const ctx: Context = { pki, standIn, runCounter: 10 };
	const broadcast: Record<string, BroadcastResult> = {};
	const broadcast1000: Record<string, BroadcastResult> = {};
	const trigger: Record<string, TriggerResult> = {};
	const memory: Partial<Record<Engine, MemoryResult>> = {};
	const forged: Record<string, ForgedResult> = {};
	let forgedSizes = { bodyBytes: 0, gzippedBytes: 0 };
	let n8nVersion = '';
	try {
		for (const engine of engines) {
			const withBroadcast1000 = scenarios.has('broadcast1000') && engine === engines[0];
			if (!scenarios.has('broadcast') && !scenarios.has('trigger') && !withBroadcast1000) break;
			log(`\n== n8n with the ${ENGINE_LABEL[engine]} expression engine`);
			const { n8n, credentials } = await startInstance(ctx, engine, `bench-${engine}`);
			n8nVersion = n8n.version;
			try {
				if (scenarios.has('broadcast')) {
					// BENCH_CONTENDERS=ours,builtin runs a subset (for profiling)
					const subset = process.env.BENCH_CONTENDERS?.split(',');
					const contenders = (
						['ours', 'httpRequest', 'httpRequestBatched', 'builtin'] as BroadcastContender[]
					).filter((c) => !subset || subset.includes(c));
					for (const contender of contenders) {
						const key = engine === 'vm' ? contender : `legacy.${contender}`;
						log(`  broadcast ${key} …`);
						const r = await runBroadcast(n8n, ctx, credentials, contender, engine, {
							count: BROADCAST_ITEMS,
							limit: LIMIT,
							phoneIndex: 0,
						});
						broadcast[key] = r;
						log(
							`    ${r.executionStatus}, ${r.wallSeconds} s, accepted ${r.accepted}, rate/limit ${r.rateRatio} over ${r.acceptanceSpanSeconds} s (first send after ${r.firstAcceptanceSeconds} s, peak ${r.peakPerSecond}/s), 130429 answered ${r.emulator130429}, surfaced ${r.throttleErrorsSurfaced}, items ${r.okItems}/${r.errorItems}, n8n main CPU ${r.n8nMainCpuSeconds} s = ${r.mainCpuMsPerRequest} ms/request (runner ${r.runnerCpuSeconds} s), TLS connections ${r.tlsConnections}, /healthz max ${r.maxHealthzMs} ms p99 ${r.healthzP99Ms}, while sending max ${r.maxHealthzWhileSendingMs} (${r.healthzOver100WhileSending} > 100), slowest ${JSON.stringify(r.healthzSlowest)}, timeline ${JSON.stringify(r.timeline)} (probe loop ${r.probeLoopDelayMaxMs}), load ${round(os.loadavg()[0], 1)}`,
						);
					}
				}
				if (withBroadcast1000) {
					for (const contender of ['ours', 'httpRequestBatched'] as const) {
						log(`  broadcast at ${MEMORY_RATE} msg/s: ${contender} (${engine}) …`);
						const r = await runBroadcast(n8n, ctx, credentials, contender, engine, {
							count: BROADCAST_1000_ITEMS,
							limit: MEMORY_RATE,
							phoneIndex: 1,
							messagesPerSecond: MEMORY_RATE,
						});
						broadcast1000[contender] = r;
						log(
							`    ${r.executionStatus}, ${r.wallSeconds} s, accepted ${r.accepted} at ${r.rate} msg/s, lost ${r.lost}, dups ${r.duplicates}, 130429 answered ${r.emulator130429}, items ${r.okItems}/${r.errorItems}, n8n main CPU ${r.n8nMainCpuSeconds} s = ${r.mainCpuMsPerRequest} ms/request, TLS connections ${r.tlsConnections}, /healthz max ${r.maxHealthzMs} ms, load ${round(os.loadavg()[0], 1)}`,
						);
					}
				}
				if (scenarios.has('trigger')) {
					const order: TriggerContender[] = ['ours', 'oursNoDedupe', 'webhookNode', 'builtin'];
					const active = new Map<TriggerContender, ActiveTrigger>();
					for (const contender of order) {
						const a = await activateTrigger(n8n, credentials, contender, engine);
						active.set(contender, a);
						if (!a.activated) log(`  trigger ${contender}: not activated: ${a.activationError}`);
					}
					await ctx.standIn.reset();
					const runs = new Map<TriggerContender, TriggerRun[]>(order.map((c) => [c, []]));
					// rounds in alternating order, so drift in the machine's load hits everyone alike
					const orders = Array.from({ length: TRIGGER_ROUNDS }, (_, i) =>
						i % 2 === 0 ? order : [...order].reverse(),
					);
					for (const [round_, contenders] of orders.entries()) {
						for (const contender of contenders) {
							const a = active.get(contender)!;
							if (!a.activated) continue;
							const r = await measureTrigger(n8n, ctx, a, round_);
							runs.get(contender)!.push(r);
							log(
								`  trigger ${contender} (${engine}, round ${round_ + 1}): ${r.load.rps} req/s, p50 ${r.load.p50ms} ms, p99 ${r.load.p99ms} ms, ${r.load.sent} sent ${JSON.stringify(r.load.statusCounts)}, ${r.executions} executions at ${r.executionsPerSecond}/s, n8n CPU ${r.cpuMsPerRequest} ms/request, load ${r.loadAverage}`,
							);
						}
					}
					for (const contender of order) {
						const key = engine === 'vm' ? contender : `legacy.${contender}`;
						trigger[key] = combineTriggerRuns(active.get(contender)!, engine, runs.get(contender)!);
					}
				}
			} finally {
				await n8n.stop();
			}
		}
		if (scenarios.has('forged')) {
			const built = forgedRequests();
			forgedSizes = { bodyBytes: built.bodyBytes, gzippedBytes: built.gzippedBytes };
			log(
				`\n== forged signatures: ${FORGED_REQUESTS} × ${built.bodyBytes} bytes (${built.gzippedBytes} gzipped), ${FORGED_CONCURRENCY} at a time`,
			);
			const packages: Array<['now' | 'beforeFix', string | undefined]> = [['now', undefined]];
			if (options.forgedBefore) packages.push(['beforeFix', buildBeforePackage()]);
			for (const [label, packageDir] of packages) {
				const { n8n, credentials } = await startInstance(ctx, 'vm', 'bench-forged', packageDir);
				n8nVersion = n8n.version;
				try {
					const contenders: TriggerContender[] =
						label === 'now' ? ['ours', 'webhookNodeHeaderAuth'] : ['ours'];
					for (const contender of contenders) {
						const key =
							contender !== 'ours' ? contender : label === 'now' ? 'ours' : 'oursBeforeFix';
						const r = await measureForged(n8n, credentials, contender, built.requests);
						forged[key] = r;
						log(
							`  ${key}: ${JSON.stringify(r.statusCounts)} in ${r.seconds} s, /healthz max ${r.maxHealthzMs} ms (p99 ${r.healthzP99Ms}, ${r.healthzOver100Ms} > 100 ms, slowest ${JSON.stringify(r.healthzSlowest)}), n8n CPU ${r.cpuMsPerRequest} ms/request, peak RSS +${r.peakMainRssAboveBeforeMB} MB, executions ${r.executions}`,
						);
					}
				} finally {
					await n8n.stop();
					if (packageDir) fs.rmSync(packageDir, { recursive: true, force: true });
				}
			}
		}
		if (scenarios.has('memory')) {
			for (const engine of options.memoryEngines ?? (['vm'] as Engine[])) {
				log(`\n== memory: ${MEMORY_ITEMS} items through our node (${ENGINE_LABEL[engine]})`);
				const m = await runMemory(ctx, engine);
				memory[engine] = m;
				log(
					`    peak above idle ${m.peakRssAboveIdleMB} MB (main ${m.peakMainAboveIdleMB}, runner ${m.peakRunnerAboveIdleMB}; main 10 s after the run ${m.mainAfterRunAboveIdleMB}); NoOp ${m.noOpPeakRssAboveIdleMB} MB; ${m.wallSeconds} s`,
				);
			}
		}
	} finally {
		await standIn.stop();
		pki.remove();
	}

	const meta = {
		n8n: n8nVersion || '2.41.1',
		...(process.env.BENCH_N8N_ENV ? { extraN8nEnv: JSON.parse(process.env.BENCH_N8N_ENV) } : {}),
		machine: { ...machine, loadAverage1mAtEnd: round(os.loadavg()[0], 2) },
		runSeconds: round((Date.now() - started) / 1000, 1),
		measuredAt: new Date().toISOString(),
	};
	const figures: Record<string, unknown> = {};
	const nest = (flat: Record<string, unknown>) => {
		const out: Record<string, any> = {};
		for (const [key, value] of Object.entries(flat)) {
			if (key.startsWith('legacy.')) {
				out.legacy ??= { engine: ENGINE_LABEL.legacy };
				out.legacy[key.slice(7)] = value;
			} else out[key] = value;
		}
		return out;
	};
	const lines: string[] = [];
	if (Object.keys(broadcast).length) {
		figures.n8nBroadcast = {
			engine: ENGINE_LABEL.vm,
			messages: BROADCAST_ITEMS,
			limit: LIMIT,
			latencyMs: LATENCY_MS,
			...nest(broadcast),
			...meta,
		};
		lines.push(
			`\nBroadcast in n8n: ${BROADCAST_ITEMS} texts, limit ${LIMIT} msg/s, ${LATENCY_MS} ms latency`,
		);
		lines.push(broadcastTable(broadcast));
		const ours = broadcast.ours;
		if (ours) {
			lines.push(
				verdict('ours rate/limit >= 0.97', ours.rateRatio >= 0.97, String(ours.rateRatio)),
			);
			lines.push(
				verdict(
					'ours throttle errors surfaced = 0',
					ours.throttleErrorsSurfaced === 0,
					String(ours.throttleErrorsSurfaced),
				),
			);
			lines.push(verdict('ours lost = 0', ours.lost === 0, String(ours.lost)));
			lines.push(verdict('ours duplicates = 0', ours.duplicates === 0, String(ours.duplicates)));
			lines.push(
				verdict(
					'ours max /healthz <= 100 ms (whole execution)',
					ours.maxHealthzMs <= 100,
					`${ours.maxHealthzMs} ms; while sending ${ours.maxHealthzWhileSendingMs} ms; this process's own loop delay ${ours.probeLoopDelayMaxMs} ms`,
				),
			);
		}
		for (const prefix of ['', 'legacy.']) {
			const oursCpu = broadcast[`${prefix}ours`];
			const batched = broadcast[`${prefix}httpRequestBatched`];
			if (!oursCpu || !batched) continue;
			lines.push(
				verdict(
					`ours CPU per message <= HTTP Request node batched${prefix ? ' (legacy)' : ''}`,
					oursCpu.mainCpuMsPerRequest <= batched.mainCpuMsPerRequest,
					`${oursCpu.mainCpuMsPerRequest} ms vs ${batched.mainCpuMsPerRequest} ms`,
				),
			);
		}
		const legacyOurs = broadcast['legacy.ours'];
		if (legacyOurs) {
			lines.push(
				verdict(
					'ours (legacy) rate/limit >= 0.97',
					legacyOurs.rateRatio >= 0.97,
					String(legacyOurs.rateRatio),
				),
			);
			lines.push(
				verdict(
					'ours (legacy) max /healthz <= 100 ms (whole execution)',
					legacyOurs.maxHealthzMs <= 100,
					`${legacyOurs.maxHealthzMs} ms; while sending ${legacyOurs.maxHealthzWhileSendingMs} ms; this process's own loop delay ${legacyOurs.probeLoopDelayMaxMs} ms`,
				),
			);
		}
	}
	if (Object.keys(broadcast1000).length) {
		const pick = (r: BroadcastResult) => ({
			rate: r.rate,
			mainCpuMsPerRequest: r.mainCpuMsPerRequest,
			lost: r.lost,
			duplicates: r.duplicates,
			maxHealthzMs: r.maxHealthzMs,
			accepted: r.accepted,
			wallSeconds: r.wallSeconds,
			executionStatus: r.executionStatus,
			okItems: r.okItems,
			errorItems: r.errorItems,
			emulator130429: r.emulator130429,
			tlsConnections: r.tlsConnections,
			n8nMainCpuSeconds: r.n8nMainCpuSeconds,
			maxHealthzWhileSendingMs: r.maxHealthzWhileSendingMs,
			firstAcceptanceSeconds: r.firstAcceptanceSeconds,
		});
		figures.n8nBroadcast1000 = {
			engine: ENGINE_LABEL[Object.values(broadcast1000)[0].engine],
			messages: BROADCAST_1000_ITEMS,
			limit: MEMORY_RATE,
			latencyMs: LATENCY_MS,
			...Object.fromEntries(Object.entries(broadcast1000).map(([key, r]) => [key, pick(r)])),
			...meta,
		};
		lines.push(
			`\nBroadcast in n8n at ${MEMORY_RATE} msg/s: ${BROADCAST_1000_ITEMS} texts on a number limited to ${MEMORY_RATE} msg/s, ${LATENCY_MS} ms latency`,
		);
		lines.push(broadcastTable(broadcast1000));
		const { ours, httpRequestBatched } = broadcast1000;
		if (ours && httpRequestBatched) {
			lines.push(
				verdict(
					'ours rate >= HTTP Request node batched (1,000 msg/s)',
					ours.rate >= httpRequestBatched.rate,
					`${ours.rate} vs ${httpRequestBatched.rate} msg/s`,
				),
			);
		}
		if (ours) {
			lines.push(
				verdict(
					'ours lost = 0 and duplicates = 0 (1,000 msg/s)',
					ours.lost === 0 && ours.duplicates === 0,
					`${ours.lost} lost, ${ours.duplicates} duplicates`,
				),
			);
		}
	}
	if (Object.keys(trigger).length) {
		const ratio = (a?: TriggerResult, b?: TriggerResult) =>
			a && b && b.rps > 0 ? round(a.rps / b.rps) : 0;
		const execRatio = (a?: TriggerResult, b?: TriggerResult) =>
			a && b && b.executionsPerSecond > 0
				? round(a.executionsPerSecond / b.executionsPerSecond)
				: 0;
		const stream = triggerStream(standIn.config.appSecret);
		figures.n8nTrigger = {
			engine: ENGINE_LABEL.vm,
			requests: TRIGGER_REQUESTS,
			concurrency: TRIGGER_CONCURRENCY,
			capSeconds: TRIGGER_CAP_SECONDS,
			streamMix: stream.mix,
			...nest(trigger),
			oursVsWebhookNode: ratio(trigger.ours, trigger.webhookNode),
			oursVsWebhookNodeExecutions: execRatio(trigger.ours, trigger.webhookNode),
			/** what de-duplication (process memory + tokens in static data, saved by n8n) costs per webhook */
			dedupeCpuMsPerRequest:
				trigger.ours && trigger.oursNoDedupe
					? round(trigger.ours.cpuMsPerRequest - trigger.oursNoDedupe.cpuMsPerRequest, 1)
					: 0,
			dedupeP50Ms:
				trigger.ours && trigger.oursNoDedupe
					? round(trigger.ours.p50ms - trigger.oursNoDedupe.p50ms, 1)
					: 0,
			/** webhook node CPU per request ÷ ours: the throughput ratio if CPU-bound (load-independent) */
			oursVsWebhookNodeByCpu:
				trigger.ours && trigger.webhookNode && trigger.ours.cpuMsPerRequest > 0
					? round(trigger.webhookNode.cpuMsPerRequest / trigger.ours.cpuMsPerRequest)
					: 0,
			...(trigger['legacy.ours']
				? {
						legacyOursVsWebhookNode: ratio(trigger['legacy.ours'], trigger['legacy.webhookNode']),
					}
				: {}),
			...meta,
		};
		lines.push(
			`\nTrigger throughput: ${TRIGGER_REQUESTS} signed payloads (${JSON.stringify(stream.mix)}), ${TRIGGER_CONCURRENCY} concurrent`,
		);
		lines.push(triggerTable(trigger));
		const r = ratio(trigger.ours, trigger.webhookNode);
		lines.push(verdict('ours ÷ bare Webhook node >= 0.90 (req/s)', r >= 0.9, String(r)));
		if (trigger['legacy.ours']) {
			const l = ratio(trigger['legacy.ours'], trigger['legacy.webhookNode']);
			lines.push(verdict('ours ÷ bare Webhook node >= 0.90 (legacy, req/s)', l >= 0.9, String(l)));
		}
	}
	const memoryRuns = Object.values(memory);
	if (memoryRuns.length) {
		const first = memory.vm ?? memoryRuns[0];
		// top-level keys: the default engine's run; `legacy` holds the other one
		figures.n8nMemory = {
			...first,
			engineLabel: ENGINE_LABEL[first.engine],
			...(memory.vm && memory.legacy
				? { legacy: { ...memory.legacy, engineLabel: ENGINE_LABEL.legacy } }
				: {}),
			...meta,
		};
		lines.push(
			`\nMemory: ${MEMORY_ITEMS} items through our node at ${MEMORY_RATE} msg/s (HIGH number); RSS sampled every 100 ms`,
		);
		const rows: Row[] = [];
		for (const m of memoryRuns) {
			rows.push(
				{
					cells: [
						`${m.engine}: n8n main`,
						String(m.idleMainMB),
						String(m.peakMainMB),
						String(m.peakMainAboveIdleMB),
						'',
					],
				},
				{
					cells: [
						`${m.engine}: task runner`,
						String(m.idleRunnerMB),
						String(m.peakRunnerMB),
						String(m.peakRunnerAboveIdleMB),
						'',
					],
				},
				{
					cells: [
						`${m.engine}: main + runner (peak of sum)`,
						String(round(m.idleMainMB + m.idleRunnerMB, 1)),
						'',
						String(m.peakRssAboveIdleMB),
						`${m.accepted}/${m.items} accepted, lost ${m.lost}, dups ${m.duplicates}, ${m.wallSeconds} s`,
					],
				},
				{
					cells: [
						`${m.engine}: same items → No Operation`,
						'',
						'',
						String(m.noOpPeakRssAboveIdleMB),
						'n8n without our node',
					],
				},
			);
		}
		lines.push(table(['process', 'idle MB', 'peak MB', 'peak − idle MB', 'run'], rows));
		for (const m of memoryRuns) {
			lines.push(
				verdict(
					`peak RSS above idle < 150 MB (${m.engine})`,
					m.peakRssAboveIdleMB < 150,
					`${m.peakRssAboveIdleMB} MB`,
				),
			);
		}
	}
	if (Object.keys(forged).length) {
		const ours = forged.ours;
		const baseline = forged.webhookNodeHeaderAuth;
		figures.n8nForgedSignature = {
			requests: FORGED_REQUESTS,
			concurrency: FORGED_CONCURRENCY,
			...forgedSizes,
			signature: 'well-formed, wrong',
			...forged,
			...(forged.oursBeforeFix ? { beforeFixCommit: BEFORE_COMMIT } : {}),
			/** our trigger's max /healthz ÷ the Webhook node's (both refuse; n8n decompresses and parses) */
			oursVsWebhookNodeMaxHealthz:
				ours && baseline && baseline.maxHealthzMs > 0
					? round(ours.maxHealthzMs / baseline.maxHealthzMs, 2)
					: 0,
			...meta,
		};
		lines.push(
			`\nForged signatures: ${FORGED_REQUESTS} gzipped bodies of ${forgedSizes.bodyBytes} bytes (${forgedSizes.gzippedBytes} on the wire), non-ASCII, wrong signature, ${FORGED_CONCURRENCY} concurrent`,
		);
		lines.push(forgedTable(forged));
		if (ours) {
			lines.push(
				verdict(
					'ours refuses every forged request (401), starts no execution',
					(ours.statusCounts['401'] ?? 0) === ours.requests && ours.executions === 0,
					JSON.stringify(ours.statusCounts),
				),
			);
			if (baseline) {
				lines.push(
					verdict(
						'ours max /healthz <= 1.5 × n8n Webhook node refusing the same requests',
						ours.maxHealthzMs <= 1.5 * baseline.maxHealthzMs,
						`${ours.maxHealthzMs} ms vs ${baseline.maxHealthzMs} ms`,
					),
				);
			}
		}
	}
	lines.push(
		`\nmachine: ${machine.cores} cores (${machine.cpuModel}), load ${machine.loadAverage1mAtStart} → ${meta.machine.loadAverage1mAtEnd}; ${meta.runSeconds} s`,
	);
	log(lines.join('\n'));
	if (options.write !== false) mergeResults(figures);
	return figures;
}

function parseArgs(argv: string[]): N8nBenchOptions {
	const only = argv.find((arg) => arg.startsWith('--only'));
	const value = only?.includes('=') ? only.split('=')[1] : only && argv[argv.indexOf(only) + 1];
	const enginesFlag = argv.find((arg) => arg.startsWith('--engines='));
	const memoryFlag = argv.find((arg) => arg.startsWith('--memory-engines='));
	return {
		scenarios: value ? (value.split(',') as N8nBenchOptions['scenarios']) : undefined,
		engines: enginesFlag ? (enginesFlag.split('=')[1].split(',') as Engine[]) : undefined,
		memoryEngines: memoryFlag ? (memoryFlag.split('=')[1].split(',') as Engine[]) : undefined,
		legacy: !argv.includes('--no-legacy'),
		write: !argv.includes('--no-write'),
		forgedBefore: argv.includes('--forged-before'),
	};
}

if (require.main === module) {
	runN8nBenchmarks(parseArgs(process.argv.slice(2)))
		.then(() => process.exit(0))
		.catch((error: unknown) => {
			process.stderr.write(
				`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
			);
			process.exit(1);
		});
}

export { percentile };
