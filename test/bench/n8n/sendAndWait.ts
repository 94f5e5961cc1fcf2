/**
 * Send and Wait inside a real n8n (2.41.1, default expression engine): 100 executions wait at once;
 * the emulator taps every answer at the same moment. Measured per customer: tap delivered → the
 * resumed execution's follow-up message accepted by the emulator. Next to it, the floor: n8n's own
 * Wait node resumed through its resume URL, followed by the same follow-up send.
 *
 *   npx ts-node --transpile-only test/bench/n8n/sendAndWait.ts [--waits 100] [--env NAME=VALUE ...]
 *
 * Needs `npm run build`; merges `sendAndWait` into test/bench/results.json.
 */
import * as path from 'node:path';

import { startEmulator, type AcceptedMessage, type Emulator } from '../../emulator';
import { startN8n, type N8nInstance } from '../../e2e/harness';
import { createEmulatorCredential, until, type CredentialRef } from '../../e2e/support/nodes';
import { mergeResults } from '../measure';
import { sendAndWaitWorkflow, waitingExecutions, waitNodeWorkflow } from './contenders';
import { n8nEnvFromArgs, percentile, round } from './probes';

const RESULTS_FILE = path.join(__dirname, '..', 'results.json');
const argWaits = process.argv.indexOf('--waits');
const WAITS = argWaits > 0 ? Number(process.argv[argWaits + 1]) : 100;

/** Meta waits several seconds for a webhook's answer; a loaded n8n needs more for 100 at once. */
const DELIVERY_TIMEOUT_MS = 60_000;

const customer = (i: number) => `1650777${String(i).padStart(4, '0')}`;
type Obj = Record<string, any>;

/** Tap time → follow-up time per customer; counts follow-ups so doubles and misses show. */
function latencies(emu: Emulator, tappedAt: Map<string, number>, since: number) {
	const followUps = new Map<string, AcceptedMessage[]>();
	for (const m of emu.messages()) {
		if (m.at < since || m.type !== 'text' || (m.body.text as Obj).body !== 'resumed') continue;
		followUps.set(m.to, [...(followUps.get(m.to) ?? []), m]);
	}
	const ms: number[] = [];
	let twice = 0;
	for (const [to, at] of tappedAt) {
		const mine = followUps.get(to) ?? [];
		if (mine.length > 1) twice++;
		if (mine.length > 0) ms.push(mine[0].at - at);
	}
	return { ms, twice, missed: tappedAt.size - ms.length };
}

async function ours(n8n: N8nInstance, emu: Emulator, cred: CredentialRef) {
	const phoneNumberId = emu.config.phoneNumberIds[0];
	const workflowId = await n8n.createWorkflow(
		sendAndWaitWorkflow(cred, phoneNumberId, 'bench-saw', 'bench send and wait'),
	);
	await n8n.activate(workflowId);
	await n8n.waitForWebhook('bench-saw/webhook');
	const url = `${n8n.webhookBaseUrl}bench-saw/webhook`;

	const customers = Array.from({ length: WAITS }, (_, i) => customer(i));
	// Setting up the waits is not measured: ten conversations at a time.
	for (let i = 0; i < customers.length; i += 10) {
		await Promise.all(
			customers
				.slice(i, i + 10)
				.map((c) =>
					emu.deliver(emu.inbound.text(c, 'hi'), { url, timeoutMs: DELIVERY_TIMEOUT_MS }),
				),
		);
	}
	const questions = await until(
		`${WAITS} questions`,
		() => {
			const asked = emu.messages().filter((m) => m.type === 'interactive');
			return asked.length >= WAITS ? asked : undefined;
		},
		180_000,
	).catch(async (error: Error) => {
		const executions = await n8n.executions(workflowId, { includeData: false, limit: 250 });
		const statuses = executions.map((e) => e.status).join(',');
		throw new Error(`${error.message}: ${emu.messages().length} messages, executions: ${statuses}`);
	});
	await waitingExecutions(n8n, workflowId, WAITS);

	const since = Date.now();
	const tappedAt = new Map<string, number>();
	await Promise.all(
		questions.map(async (q) => {
			const button = (q.body.interactive as Obj).action.buttons[0].reply;
			const tap = emu.inbound.buttonReply(q.to, button.id, button.title, {
				context: { from: '15550783881', id: q.wamid },
			});
			tappedAt.set(q.to, Date.now());
			await emu.deliver(tap, { url, timeoutMs: DELIVERY_TIMEOUT_MS });
		}),
	);
	await until(
		'follow-ups',
		() => latencies(emu, tappedAt, since).ms.length >= WAITS || undefined,
		180_000,
	).catch(() => undefined);
	await new Promise((r) => setTimeout(r, 3000)); // doubles would arrive late
	return latencies(emu, tappedAt, since);
}

async function waitNode(n8n: N8nInstance, emu: Emulator, cred: CredentialRef) {
	const phoneNumberId = emu.config.phoneNumberIds[0];
	const workflowId = await n8n.createWorkflow(
		waitNodeWorkflow(
			cred,
			phoneNumberId,
			'bench-wait-start',
			'bench-wait-resume',
			'bench wait node',
		),
	);
	await n8n.activate(workflowId);
	await n8n.waitForWebhook('bench-wait-start');
	const customers = Array.from({ length: WAITS }, (_, i) => customer(5000 + i));
	await Promise.all(
		customers.map((to) =>
			fetch(`${n8n.webhookBaseUrl}bench-wait-start`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ to }),
			}).then((r) => r.arrayBuffer()),
		),
	);
	const urls = await until(
		`${WAITS} resume URLs`,
		() => {
			const sent = emu
				.messages()
				.filter((m) => m.type === 'text' && String((m.body.text as Obj).body).startsWith('http'));
			return sent.length >= WAITS ? sent : undefined;
		},
		180_000,
	);
	await waitingExecutions(n8n, workflowId, WAITS);
	const since = Date.now();
	const tappedAt = new Map<string, number>();
	await Promise.all(
		urls.map(async (m) => {
			tappedAt.set(m.to, Date.now());
			const r = await fetch(String((m.body.text as Obj).body), { method: 'POST' });
			await r.arrayBuffer();
		}),
	);
	await until(
		'follow-ups',
		() => latencies(emu, tappedAt, since).ms.length >= WAITS || undefined,
		180_000,
	).catch(() => undefined);
	return latencies(emu, tappedAt, since);
}

async function main() {
	const emu = await startEmulator({ port: 0, messagesPerSecond: 1000 });
	const n8nEnv = n8nEnvFromArgs();
	const n8n = await startN8n({ logName: 'bench-send-and-wait', env: n8nEnv });
	try {
		const cred = await createEmulatorCredential(n8n, emu);
		const mine = await ours(n8n, emu, cred);
		const floor = await waitNode(n8n, emu, cred);
		const p99 = percentile(mine.ms, 99);
		const waitNodeP99 = percentile(floor.ms, 99);
		const figures = {
			waits: WAITS,
			resumed: mine.ms.length,
			resumedTwice: mine.twice,
			missed: mine.missed,
			p50Ms: round(percentile(mine.ms, 50), 1),
			p99Ms: round(p99, 1),
			waitNodeP50Ms: round(percentile(floor.ms, 50), 1),
			waitNodeP99Ms: round(waitNodeP99, 1),
			p99Ratio: round(waitNodeP99 > 0 ? p99 / waitNodeP99 : 0, 3),
			n8nEnv,
		};
		process.stdout.write(
			[
				'Send and Wait in n8n 2.41.1: tap → resumed follow-up reaches the emulator',
				`  ours       ${figures.resumed}/${WAITS} resumed, ${figures.resumedTwice} twice, ${figures.missed} missed; p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms`,
				`  Wait node  ${floor.ms.length}/${WAITS} resumed; p50 ${figures.waitNodeP50Ms} ms, p99 ${figures.waitNodeP99Ms} ms`,
				`  p99 ratio (ours ÷ Wait node): ${figures.p99Ratio}`,
				'',
			].join('\n'),
		);
		mergeResults(RESULTS_FILE, { sendAndWait: figures });
	} finally {
		await n8n.stop();
		await emu.stop();
	}
}

void main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exitCode = 1;
});
