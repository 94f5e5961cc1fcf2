/** Measuring n8n from the outside: /healthz latency, RSS of its processes, a webhook load generator. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function percentile(values: number[], p: number): number {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[index];
}

export const round = (value: number, digits = 3) => {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
};

/** n8n environment variables from `--env NAME=VALUE` arguments (repeatable), e.g. engine settings. */
export function n8nEnvFromArgs(argv = process.argv): Record<string, string> {
	const env: Record<string, string> = {};
	argv.forEach((arg, i) => {
		const at = arg.indexOf('=');
		if (argv[i - 1] === '--env' && at > 0) env[arg.slice(0, at)] = arg.slice(at + 1);
	});
	return env;
}

// ---------------------------------------------------------------------------------------------
// /healthz responsiveness

export interface HealthzFigures {
	samples: number;
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
	/** probes slower than 100 ms */
	over100: number;
	/** this (measuring) process's own event-loop delay, to tell n8n's stalls from ours */
	probeLoopDelayMaxMs: number;
	/** the five slowest probes: when they started (ms after polling began) and how long they took */
	slowest: Array<{ atMs: number; ms: number }>;
	/** probes slower than 100 ms that started within the sending phase window given to stop() */
	over100InWindow?: number;
	maxInWindowMs?: number;
}

/**
 * Starts a /healthz request every `intervalMs` regardless of whether the previous one finished, so
 * a stall of n8n's main thread shows as one long probe (and several overlapping ones).
 */
export function pollHealthz(
	baseUrl: string,
	intervalMs = 50,
): { startedAt: number; stop(window?: { fromMs: number; toMs: number }): HealthzFigures } {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	const latencies: number[] = [];
	const probes: Array<{ atMs: number; ms: number }> = [];
	const startedAt = Date.now();
	const origin = performance.now();
	const pending = new Set<number>();
	const loop = monitorEventLoopDelay({ resolution: 10 });
	loop.enable();
	let id = 0;
	const probe = () => {
		const started = performance.now();
		const mine = ++id;
		pending.add(mine);
		const req = http.get(`${baseUrl}/healthz`, { agent }, (res) => {
			res.resume();
			res.on('end', () => {
				pending.delete(mine);
				latencies.push(performance.now() - started);
				probes.push({ atMs: started - origin, ms: performance.now() - started });
			});
		});
		req.on('error', () => {
			pending.delete(mine);
			latencies.push(performance.now() - started);
			probes.push({ atMs: started - origin, ms: performance.now() - started });
		});
	};
	const timer = setInterval(probe, intervalMs);
	probe();
	return {
		startedAt,
		stop(window) {
			clearInterval(timer);
			loop.disable();
			agent.destroy();
			const inWindow = window
				? probes.filter((p) => p.atMs >= window.fromMs && p.atMs <= window.toMs)
				: undefined;
			return {
				slowest: [...probes]
					.sort((a, b) => b.ms - a.ms)
					.slice(0, 5)
					.map((p) => ({ atMs: Math.round(p.atMs), ms: round(p.ms, 1) })),
				...(inWindow
					? {
							over100InWindow: inWindow.filter((p) => p.ms > 100).length,
							maxInWindowMs: round(Math.max(0, ...inWindow.map((p) => p.ms)), 1),
						}
					: {}),
				samples: latencies.length,
				p50Ms: round(percentile(latencies, 50), 1),
				p99Ms: round(percentile(latencies, 99), 1),
				maxMs: round(Math.max(0, ...latencies), 1),
				over100: latencies.filter((ms) => ms > 100).length,
				probeLoopDelayMaxMs: round(loop.max / 1e6, 1),
			};
		},
	};
}

// ---------------------------------------------------------------------------------------------
// processes and memory

function readProc(pid: number, file: string): string | undefined {
	try {
		return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
	} catch {
		return undefined;
	}
}

function allPids(): number[] {
	return fs
		.readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.map(Number);
}

/** The `n8n start` process whose working directory is the harness's user folder. */
export function findN8nMainPid(userFolder: string): number {
	for (const pid of allPids()) {
		let cwd: string;
		try {
			cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
		} catch {
			continue;
		}
		if (cwd !== userFolder) continue;
		const argv = (readProc(pid, 'cmdline') ?? '').split('\0');
		if (argv.some((arg) => /n8n/.test(arg)) && argv.includes('start')) return pid;
	}
	throw new Error(`no n8n process found with cwd ${userFolder}`);
}

/** Every descendant of `pid` (the task runner and whatever it starts). */
export function descendants(pid: number): number[] {
	const parentOf = new Map<number, number>();
	for (const p of allPids()) {
		const stat = readProc(p, 'stat');
		if (!stat) continue;
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		parentOf.set(p, Number(fields[1]));
	}
	const found: number[] = [];
	let frontier = [pid];
	while (frontier.length) {
		const next: number[] = [];
		for (const [child, parent] of parentOf) if (frontier.includes(parent)) next.push(child);
		found.push(...next);
		frontier = next;
	}
	return found;
}

export function rssMb(pid: number): number {
	const status = readProc(pid, 'status');
	const match = status ? /VmRSS:\s+(\d+)\s+kB/.exec(status) : null;
	return match ? Number(match[1]) / 1024 : 0;
}

export function commandOf(pid: number): string {
	return (readProc(pid, 'cmdline') ?? '').split('\0').filter(Boolean).slice(0, 3).join(' ');
}

export interface RssSample {
	t: number;
	mainMb: number;
	childrenMb: number;
}

/** Samples VmRSS of n8n's main process and of all its descendants every `intervalMs`. */
export function sampleRss(mainPid: number, intervalMs = 100): { stop(): RssSample[] } {
	const samples: RssSample[] = [];
	const start = performance.now();
	let children = descendants(mainPid);
	let tick = 0;
	const take = () => {
		if (++tick % 20 === 0) children = descendants(mainPid); // a runner may restart
		samples.push({
			t: performance.now() - start,
			mainMb: rssMb(mainPid),
			childrenMb: children.reduce((sum, pid) => sum + rssMb(pid), 0),
		});
	};
	take();
	const timer = setInterval(take, intervalMs);
	return {
		stop() {
			clearInterval(timer);
			take();
			return samples;
		},
	};
}

// ---------------------------------------------------------------------------------------------
// webhook load

export interface LoadRequest {
	body: Buffer;
	headers: Record<string, string>;
}

export interface LoadFigures {
	sent: number;
	ok: number;
	failed: number;
	statusCounts: Record<string, number>;
	seconds: number;
	rps: number;
	p50ms: number;
	p99ms: number;
	maxMs: number;
	firstStartedAt: number;
}

/**
 * POSTs `requests` to `url` with at most `concurrency` in flight (keep-alive), stopping to issue
 * new ones after `capSeconds`. Bodies and signatures are prepared beforehand.
 */
export async function postLoad(
	url: string,
	requests: LoadRequest[],
	concurrency: number,
	capSeconds: number,
): Promise<LoadFigures> {
	const target = new URL(url);
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const latencies: number[] = [];
	const statusCounts: Record<string, number> = {};
	let next = 0;
	let ok = 0;
	let failed = 0;
	const firstStartedAt = Date.now();
	const started = performance.now();
	const deadline = started + capSeconds * 1000;
	const one = (request: LoadRequest) =>
		new Promise<void>((resolve) => {
			const t0 = performance.now();
			const req = http.request(
				{
					host: target.hostname,
					port: target.port,
					path: target.pathname + target.search,
					method: 'POST',
					agent,
					headers: { ...request.headers, 'content-length': String(request.body.length) },
				},
				(res) => {
					res.resume();
					res.on('end', () => {
						latencies.push(performance.now() - t0);
						const code = String(res.statusCode);
						statusCounts[code] = (statusCounts[code] ?? 0) + 1;
						if (res.statusCode === 200) ok++;
						else failed++;
						resolve();
					});
				},
			);
			req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
			req.on('error', () => {
				latencies.push(performance.now() - t0);
				statusCounts.error = (statusCounts.error ?? 0) + 1;
				failed++;
				resolve();
			});
			req.end(request.body);
		});
	const worker = async () => {
		while (next < requests.length && performance.now() < deadline) await one(requests[next++]);
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	const seconds = (performance.now() - started) / 1000;
	agent.destroy();
	return {
		sent: latencies.length,
		ok,
		failed,
		statusCounts,
		seconds: round(seconds, 2),
		rps: round(latencies.length / seconds, 1),
		p50ms: round(percentile(latencies, 50), 1),
		p99ms: round(percentile(latencies, 99), 1),
		maxMs: round(Math.max(0, ...latencies), 1),
		firstStartedAt,
	};
}

// ---------------------------------------------------------------------------------------------
// n8n API calls on fresh connections (a reused keep-alive socket that n8n has just closed makes
// fetch fail with "fetch failed" under load; a new connection per call avoids that race)

export interface ApiTarget {
	baseUrl: string;
	apiKey: string;
	cookie: string;
}

export function callN8n<T = any>(
	target: ApiTarget,
	method: string,
	apiPath: string,
	body?: unknown,
	auth: 'api' | 'cookie' = 'api',
): Promise<{ status: number; body: T; text: string }> {
	const url = new URL(
		auth === 'api' ? `${target.baseUrl}/api/v1${apiPath}` : `${target.baseUrl}${apiPath}`,
	);
	const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
	const headers: Record<string, string> = { accept: 'application/json' };
	if (auth === 'api') headers['X-N8N-API-KEY'] = target.apiKey;
	else headers.cookie = target.cookie;
	if (payload) {
		headers['content-type'] = 'application/json';
		headers['content-length'] = String(payload.length);
	}
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: url.hostname,
				port: url.port,
				path: url.pathname + url.search,
				method,
				headers,
				agent: false,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let parsed: any = text;
					try {
						parsed = text ? JSON.parse(text) : undefined;
					} catch {
						// not JSON
					}
					resolve({ status: res.statusCode ?? 0, body: parsed as T, text });
				});
				res.on('error', reject);
			},
		);
		req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${apiPath}: timeout`)));
		req.on('error', reject);
		req.end(payload);
	});
}

/** CPU seconds (user + system) a process has used so far; 0 if it is gone. */
export function cpuSeconds(pid: number): number {
	const stat = readProc(pid, 'stat');
	if (!stat) return 0;
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// fields[11] = utime, fields[12] = stime (proc(5) fields 14 and 15), in clock ticks
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds of n8n's main process and of its descendants (task runner). */
export function n8nCpu(mainPid: number): { main: number; runner: number } {
	return {
		main: cpuSeconds(mainPid),
		runner: descendants(mainPid).reduce((sum, pid) => sum + cpuSeconds(pid), 0),
	};
}
