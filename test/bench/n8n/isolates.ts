/**
 * Counts, inside a real n8n 2.41.1, the expression isolates n8n builds and the expressions it
 * evaluates per request, and which n8n code asked for them — the figure that explains the `vm`
 * engine's cost and does not depend on how busy the machine is. Requests run one at a time:
 *
 * - Flow Trigger → Switch → Flow → Respond (the booking endpoint of bench:flow), per request;
 * - n8n's Webhook → Switch → Respond to Webhook computing the same screens (the floor);
 * - the WhatsApp Cloud API Trigger alone, one signed inbound message per request;
 * - Send and Wait resumed by a tap through our trigger, next to n8n's Wait node resumed by its URL.
 *
 *   npx ts-node --transpile-only test/bench/n8n/isolates.ts [--requests 3] [--env K=V ...] [--verbose]
 *
 * `--env` sets n8n environment variables (e.g. N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true). A preload
 * (isolatePreload.js, diagnostic only) logs isolate creations, acquires and evaluations; needs
 * `npm run build`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startEmulator, type Emulator } from '../../emulator';
import { startN8n, type N8nInstance } from '../../e2e/harness';
import { DEFAULT_N8N_VERSION, ensureN8n } from '../../e2e/install';
import { bookingEndpointWorkflow, createFlowCredential } from '../../e2e/support/flowWorkflows';
import {
	createEmulatorCredential,
	triggerNode,
	until,
	type CredentialRef,
} from '../../e2e/support/nodes';
import { BOOKING_FLOW_JSON } from '../../support/bookingFlow';
import { opensslKeyPair, removeKeyPair, requireOpenssl } from '../../support/flowVectors';
import {
	sendAndWaitWorkflow,
	waitingExecutions,
	waitNodeWorkflow,
	webhookFloorWorkflow,
} from './contenders';
import { n8nEnvFromArgs } from './probes';

type Obj = Record<string, any>;

const argValue = (name: string) => {
	const at = process.argv.indexOf(name);
	return at > 0 ? process.argv[at + 1] : undefined;
};
const REQUESTS = Number(argValue('--requests') ?? 3);
const VERBOSE = process.argv.includes('--verbose');
const EXTRA_ENV = n8nEnvFromArgs();

interface LogEntry {
	at: number;
	kind: 'create' | 'acquire' | 'eval' | 'mark' | 'preload-failed';
	callers?: string[];
	code?: string;
	label?: string;
	ms?: number;
	error?: string;
}

/** Which part of n8n's request handling an acquire or evaluation came from. */
function phaseOf(callers: string[] = []): string {
	const text = callers.join(' ');
	if (/credentials-helper/.test(text)) return 'credentials read';
	if (/waiting-webhooks/.test(text)) return 'waiting webhook';
	if (
		/live-webhooks|webhook-helpers|webhook\.service|webhook-execution-context|webhook-context/.test(
			text,
		)
	)
		return 'webhook';
	if (/workflow-execute|node-execution-context|routing-node/.test(text)) return 'execution';
	return 'other';
}

function readLog(file: string): LogEntry[] {
	if (!fs.existsSync(file)) return [];
	return fs
		.readFileSync(file, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as LogEntry);
}

function mark(file: string, label: string) {
	fs.appendFileSync(file, `${JSON.stringify({ at: Date.now(), kind: 'mark', label })}\n`);
}

/** Per-request counts between two marks. */
function summarize(entries: LogEntry[], label: string, requests: number) {
	const from = entries.findIndex((e) => e.kind === 'mark' && e.label === `${label}:start`);
	const to = entries.findIndex((e) => e.kind === 'mark' && e.label === `${label}:end`);
	const window = entries.slice(from + 1, to);
	const per = (n: number) => Math.round((n / requests) * 100) / 100;
	const count = (kind: LogEntry['kind']) => {
		const byPhase: Record<string, number> = {};
		for (const e of window.filter((x) => x.kind === kind)) {
			const phase = phaseOf(e.callers);
			byPhase[phase] = (byPhase[phase] ?? 0) + 1;
		}
		return Object.fromEntries(Object.entries(byPhase).map(([k, v]) => [k, per(v)]));
	};
	const creations = window.filter((e) => e.kind === 'create');
	const evaluated: Record<string, number> = {};
	for (const e of window.filter((x) => x.kind === 'eval')) {
		const key = `${phaseOf(e.callers)}: ${e.code?.replace(/\s+/g, ' ').slice(0, 70)} ← ${e.callers?.slice(0, 2).join(' < ')}`;
		evaluated[key] = (evaluated[key] ?? 0) + 1;
	}
	return {
		label,
		requests,
		isolatesCreatedPerRequest: per(creations.length),
		isolateCreateMsMedian: median(creations.map((e) => e.ms ?? 0)),
		acquiresPerRequest: count('acquire'),
		evaluationsPerRequest: count('eval'),
		...(VERBOSE
			? { evaluations: Object.fromEntries(Object.entries(evaluated).map(([k, v]) => [k, per(v)])) }
			: {}),
	};
}

function median(values: number[]) {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

/** Runs `requests` operations one after another between two marks; replenishing isolates land before the end mark. */
async function measured(log: string, label: string, requests: number, run: () => Promise<unknown>) {
	await settle();
	mark(log, `${label}:start`);
	await run();
	await settle();
	mark(log, `${label}:end`);
	return { label, requests };
}

/** Follow-ups the emulator accepted for these customers: each is one resumed execution. */
function resumedCount(emu: Emulator, customers: string[]): number {
	return emu
		.messages()
		.filter(
			(m) =>
				m.type === 'text' && (m.body.text as Obj).body === 'resumed' && customers.includes(m.to),
		).length;
}

async function sendAndWaitThroughTrigger(
	n8n: N8nInstance,
	emu: Emulator,
	cred: CredentialRef,
	log: string,
) {
	const phoneNumberId = emu.config.phoneNumberIds[0];
	const workflowId = await n8n.createWorkflow(
		sendAndWaitWorkflow(cred, phoneNumberId, 'iso-saw', 'isolates: send and wait'),
	);
	await n8n.activate(workflowId);
	await n8n.waitForWebhook('iso-saw/webhook');
	const url = `${n8n.webhookBaseUrl}iso-saw/webhook`;
	const customers = Array.from(
		{ length: REQUESTS },
		(_, i) => `1650888${String(i).padStart(4, '0')}`,
	);
	for (const c of customers) await emu.deliver(emu.inbound.text(c, 'hi'), { url });
	const questions = await until(
		'questions',
		() => {
			const asked = emu
				.messages()
				.filter((m) => m.type === 'interactive' && customers.includes(m.to));
			return asked.length >= REQUESTS ? asked : undefined;
		},
		60_000,
	);
	await waitingExecutions(n8n, workflowId, REQUESTS, 60_000);
	return measured(log, 'send and wait (our trigger → waiting endpoint)', REQUESTS, async () => {
		for (const [i, q] of questions.entries()) {
			const button = (q.body.interactive as Obj).action.buttons[0].reply;
			const tap = emu.inbound.buttonReply(q.to, button.id, button.title, {
				context: { from: '15550783881', id: q.wamid },
			});
			await emu.deliver(tap, { url });
			await until('follow-up', () => resumedCount(emu, customers) > i, 60_000);
		}
	});
}

async function sendAndWaitThroughWaitNode(
	n8n: N8nInstance,
	emu: Emulator,
	cred: CredentialRef,
	log: string,
) {
	const phoneNumberId = emu.config.phoneNumberIds[0];
	const workflowId = await n8n.createWorkflow(
		waitNodeWorkflow(
			cred,
			phoneNumberId,
			'iso-wait-start',
			'iso-wait-resume',
			'isolates: wait node',
		),
	);
	await n8n.activate(workflowId);
	await n8n.waitForWebhook('iso-wait-start');
	const customers = Array.from(
		{ length: REQUESTS },
		(_, i) => `1650999${String(i).padStart(4, '0')}`,
	);
	for (const to of customers) {
		await fetch(`${n8n.webhookBaseUrl}iso-wait-start`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ to }),
		}).then((r) => r.arrayBuffer());
	}
	const urls = await until(
		'resume URLs',
		() => {
			const sent = emu
				.messages()
				.filter(
					(m) =>
						m.type === 'text' &&
						customers.includes(m.to) &&
						String((m.body.text as Obj).body).startsWith('http'),
				);
			return sent.length >= REQUESTS ? sent : undefined;
		},
		60_000,
	);
	await waitingExecutions(n8n, workflowId, REQUESTS, 60_000);
	return measured(log, "send and wait (n8n's Wait node, resume URL)", REQUESTS, async () => {
		for (const [i, m] of urls.entries()) {
			await fetch(String((m.body.text as Obj).body), { method: 'POST' }).then((r) =>
				r.arrayBuffer(),
			);
			await until('follow-up', () => resumedCount(emu, customers) > i, 60_000);
		}
	});
}

async function main() {
	requireOpenssl();
	const install = await ensureN8n(DEFAULT_N8N_VERSION);
	const log = path.join(os.tmpdir(), `n8n-isolates-${process.pid}.jsonl`);
	fs.rmSync(log, { force: true });
	const keys = opensslKeyPair();
	const emu = await startEmulator({ port: 0, messagesPerSecond: 1000 });
	const n8n = await startN8n({
		logName: 'bench-isolates',
		env: {
			NODE_OPTIONS: `--require ${path.join(__dirname, 'isolatePreload.js')}`,
			ISOLATE_LOG: log,
			ISOLATE_RUNTIME_DIR: path.join(install.dir, 'node_modules', '@n8n', 'expression-runtime'),
			...EXTRA_ENV,
		},
	});
	try {
		const runs: Array<{ label: string; requests: number }> = [];
		// Flow endpoint: 4 requests per booking.
		const flowCred = await createFlowCredential(n8n, emu, keys, 'WhatsApp (isolates, Flows)');
		await n8n.activate(
			await n8n.createWorkflow(
				bookingEndpointWorkflow(flowCred, 'iso-flow', 'isolates: Flow endpoint'),
			),
		);
		await n8n.activate(
			await n8n.createWorkflow(webhookFloorWorkflow('iso-baseline', 'isolates: Webhook → Respond')),
		);
		await n8n.waitForWebhook('iso-flow/flow');
		await n8n.waitForWebhook('iso-baseline');
		emu.flows.uploadPublicKey(emu.config.phoneNumberIds[0], keys.publicPem);
		const flowId = emu.flows.create({
			name: `isolates booking ${Date.now()}`,
			categories: ['APPOINTMENT_BOOKING'],
			flow_json: BOOKING_FLOW_JSON,
			endpoint_uri: `${n8n.webhookBaseUrl}iso-flow/flow`,
		}).id;
		const book = async (token: string) => {
			const session = await emu.flowClient.open({ flowId, flowToken: token });
			for (const data of [
				{ date: '2026-12-24' },
				{ date: '2026-12-24', slot: '09:30' },
				{ date: '2026-12-24', slot: '09:30' },
			]) {
				if (session.status !== 'open') break;
				await emu.flowClient.exchange(session.id, { data });
			}
			const ok = session.exchanges.filter((x) => x.status === 200 && x.accepted).length;
			if (ok !== 4) throw new Error(`booking ${token}: ${ok}/4 requests answered`);
		};
		const plain = async () => {
			const r = await fetch(`${n8n.webhookBaseUrl}iso-baseline`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ version: '3.0', action: 'INIT', flow_token: 't' }),
			});
			if (r.status !== 200) throw new Error(`baseline answered ${r.status}`);
			await r.arrayBuffer();
		};
		await book('warm');
		await plain();
		runs.push(
			await measured(log, 'Flow Trigger → Switch → Flow → Respond', REQUESTS * 4, async () => {
				for (let i = 0; i < REQUESTS; i++) await book(`iso-${i}`);
			}),
		);
		runs.push(
			await measured(log, 'Webhook → Respond to Webhook', REQUESTS, async () => {
				for (let i = 0; i < REQUESTS; i++) await plain();
			}),
		);

		// The trigger alone: one signed inbound message per request, no other node.
		const cred = await createEmulatorCredential(n8n, emu);
		const trigger = triggerNode('On WhatsApp', cred, 'iso-trigger', { events: ['message'] });
		await n8n.activate(
			await n8n.createWorkflow({ name: 'isolates: trigger', nodes: [trigger], connections: {} }),
		);
		await n8n.waitForWebhook('iso-trigger/webhook');
		const triggerUrl = `${n8n.webhookBaseUrl}iso-trigger/webhook`;
		await emu.deliver(emu.inbound.text('16507770000', 'warm'), { url: triggerUrl });
		runs.push(
			await measured(log, 'WhatsApp Cloud API Trigger (signed message)', REQUESTS, async () => {
				for (let i = 0; i < REQUESTS; i++) {
					const delivery = await emu.deliver(emu.inbound.text(`1650777${1000 + i}`, `m${i}`), {
						url: triggerUrl,
					});
					if (!delivery.delivered)
						throw new Error(`trigger answered ${delivery.statusCodes.join(',')}`);
				}
			}),
		);

		runs.push(await sendAndWaitThroughTrigger(n8n, emu, cred, log));
		runs.push(await sendAndWaitThroughWaitNode(n8n, emu, cred, log));

		const entries = readLog(log);
		const failed = entries.find((e) => e.kind === 'preload-failed');
		if (failed) throw new Error(`preload: ${failed.error}`);
		const summaries = runs.map((r) => summarize(entries, r.label, r.requests));
		process.stdout.write(
			`${JSON.stringify({ n8n: n8n.version, env: EXTRA_ENV, perRequest: summaries }, null, 2)}\n`,
		);
	} finally {
		await n8n.stop();
		await emu.stop();
		removeKeyPair(keys);
		if (!process.env.ISOLATE_KEEP_LOG) fs.rmSync(log, { force: true });
	}
}

void main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exitCode = 1;
});
