/**
 * Where n8n's main thread spends its time per message, from a V8 CPU profile of a `bench:n8n`
 * broadcast, side by side for our node and the HTTP Request node:
 *
 *   BENCH_CONTENDERS=ours,httpRequestBatched \
 *   BENCH_N8N_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof --cpu-prof-interval 500" \
 *     npx ts-node --transpile-only test/bench/n8n/run.ts --only broadcast --no-legacy --no-write
 *   npx ts-node --transpile-only test/bench/n8n/cpuProfile.ts /tmp/prof/CPU.*.0.001.cpuprofile
 *
 * Each contender's window runs from the first to the last sample whose stack holds its node's
 * code (our `sendMessages`, the HTTP Request node's `execute`); a sample counts for the nearest
 * frame on its stack that belongs to a known part (TLS, n8n's request helper, this package, …).
 * The profiler itself adds CPU: compare the parts, and take absolute CPU from `/proc` (run.ts).
 */
import * as fs from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string };
	children?: number[];
}
interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	samples: number[];
	timeDeltas: number[];
}

const CONTENDERS: Array<{ name: string; marker: RegExp }> = [
	{ name: 'ours', marker: /sendMessages .*n8n-nodes-whatsapp-cloud/ },
	{ name: 'HTTP Request node', marker: /execute .*HttpRequestV3/ },
];

/** Checked in order; module loading anywhere on the stack wins, else the nearest frame decides. */
const PARTS: Array<[string, RegExp]> = [
	[
		'TLS: context, handshake, certificate check',
		/node:_tls|node:tls|internal\/tls|internal\/crypto|node:crypto/,
	],
	['expression engine', /isolated-vm|expression-runtime|n8n-workflow\/dist\/cjs\/expression/],
	['this package', /n8n-nodes-whatsapp-cloud/],
	['HTTP Request node code', /n8n-nodes-base/],
	[
		'n8n request helper (axios, agents, redirects)',
		/axios|follow-redirects|backend-network|proxy-from-env/,
	],
	[
		'Node http/net/streams/events/timers',
		/node:_http|node:https?|node:net|internal\/streams|node:stream|node:events|internal\/timers|node:timers|event_target|internal\/url|node:url|node:dns/,
	],
	['database (typeorm, sqlite)', /typeorm|sqlite3/],
	[
		'n8n REST server (the bench polls /healthz, executions)',
		/express|router|body-parser|\/n8n\/dist\/(controllers|server|abstract-server|public-api|executions)/,
	],
	['n8n core/workflow (execution engine)', /n8n-core|n8n-workflow|\/n8n\/dist|@n8n\//],
];
const MODULE_LOADING = /internal\/modules|loadClassInIsolation/;

function analyse(profile: CpuProfile, marker: RegExp) {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const stacks = new Map<number, ProfileNode[]>();
	const stackOf = (id: number) => {
		let stack = stacks.get(id);
		if (!stack) {
			stack = [];
			for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
				stack.push(byId.get(at)!);
			}
			stacks.set(id, stack);
		}
		return stack;
	};
	const times: number[] = [];
	let t = profile.startTime;
	for (const delta of profile.timeDeltas) times.push((t += delta));
	let first = -1;
	let last = -1;
	profile.samples.forEach((sample, index) => {
		const hit = stackOf(sample).some((node) =>
			marker.test(`${node.callFrame.functionName} ${node.callFrame.url}`),
		);
		if (hit) {
			if (first < 0) first = index;
			last = index;
		}
	});
	const parts = new Map<string, number>();
	let busyUs = 0;
	for (let index = first; first >= 0 && index < last; index++) {
		const stack = stackOf(profile.samples[index]);
		const leaf = stack[0].callFrame.functionName;
		if (leaf === '(idle)') continue;
		const us = times[index + 1] - times[index];
		busyUs += us;
		let part: string | undefined;
		if (leaf === '(garbage collector)') part = 'garbage collection';
		else if (leaf === '(program)') part = '(program): native, not attributed';
		else if (stack.some((node) => MODULE_LOADING.test(node.callFrame.url))) {
			part = 'module loading (first use of a node)';
		} else {
			for (const node of stack) {
				if (!node.callFrame.url) continue;
				part = PARTS.find(([, pattern]) => pattern.test(node.callFrame.url))?.[0];
				if (part) break;
			}
		}
		part ??= 'other';
		parts.set(part, (parts.get(part) ?? 0) + us);
	}
	return { windowSeconds: first >= 0 ? (times[last] - times[first]) / 1e6 : 0, busyUs, parts };
}

function main(): void {
	const args = process.argv.slice(2);
	const file = args.find((arg) => !arg.startsWith('--'));
	const requestsFlag = args.find((arg) => arg.startsWith('--requests='));
	const requests = requestsFlag ? Number(requestsFlag.split('=')[1]) : 2000;
	if (!file) throw new Error('usage: cpuProfile.ts <file.cpuprofile> [--requests=2000]');
	const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
	const results = CONTENDERS.map((c) => ({ name: c.name, ...analyse(profile, c.marker) }));
	const names = new Set(results.flatMap((r) => [...r.parts.keys()]));
	const ms = (us: number | undefined) => ((us ?? 0) / 1000 / requests).toFixed(2);
	const total = (name: string) => results.reduce((sum, r) => sum + (r.parts.get(name) ?? 0), 0);
	const rows = [...names].sort((a, b) => total(b) - total(a));
	const out = [`ms of main-thread CPU per message (${requests} messages), profiled`];
	out.push(`| part | ${results.map((r) => r.name).join(' | ')} |`);
	out.push(`|---|${results.map(() => '---').join('|')}|`);
	out.push(`| **busy** | ${results.map((r) => `**${ms(r.busyUs)}**`).join(' | ')} |`);
	for (const name of rows) {
		out.push(`| ${name} | ${results.map((r) => ms(r.parts.get(name))).join(' | ')} |`);
	}
	out.push(`| window (s) | ${results.map((r) => r.windowSeconds.toFixed(1)).join(' | ')} |`);
	process.stdout.write(`${out.join('\n')}\n`);
}

main();
