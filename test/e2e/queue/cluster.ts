/**
 * n8n in queue mode on loopback for the e2e scenarios: Redis + PostgreSQL (./services), one main
 * (the harness's startN8n with queue env, so all its API helpers work), N workers (`n8n worker`)
 * and M webhook processors (`n8n webhook`). Every process gets its own user folder holding a copy
 * of the packed package (as separate hosts would), and they share the encryption key, the DB and
 * Redis.
 *
 *   const cluster = await startQueueCluster({ workers: 2, webhooks: 1 });
 *   cluster.webhooks[0].webhookBaseUrl   // where Meta's calls go
 *   cluster.main.activate(id)            // harness API on the main
 *   cluster.workers[0].kill('SIGKILL')
 *   await cluster.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ARTIFACTS_DIR, ENCRYPTION_KEY, freePort, startN8n, type N8nInstance } from '../harness';
import { DEFAULT_N8N_VERSION, ensureN8n, type N8nInstall } from '../install';
import {
	killGroup,
	log,
	startPostgres,
	startRedis,
	trackGroup,
	untrackGroup,
	type Postgres,
	type Service,
} from './services';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface QueueClusterOptions {
	workers?: number;
	webhooks?: number;
	/** `n8n worker --concurrency` (jobs per worker); default 10 like n8n */
	workerConcurrency?: number;
	/** extra env for every n8n process */
	env?: Record<string, string>;
	/** extra env for workers only */
	workerEnv?: Record<string, string>;
	version?: string;
	/** package to load (default the repo root); for prototypes: a scratch copy with its dist/ */
	packageDir?: string;
}

export interface N8nProcess {
	role: 'worker' | 'webhook';
	index: number;
	/** webhook: its HTTP port; worker: its health-check port */
	port: number;
	baseUrl: string;
	/** webhook processors: `${baseUrl}/webhook/` */
	webhookBaseUrl: string;
	userFolder: string;
	logFile: string;
	pid: number;
	logs(): string;
	alive(): boolean;
	/** signal to the whole process group (n8n + its task runner) */
	kill(signal: NodeJS.Signals): Promise<void>;
	stop(): Promise<void>;
}

export interface QueueCluster {
	main: N8nInstance;
	workers: N8nProcess[];
	webhooks: N8nProcess[];
	redis: Service;
	postgres: Postgres;
	/** env shared by all n8n processes (queue + DB) */
	sharedEnv: Record<string, string>;
	timings: Record<string, number>;
	/** Worker index that ran each execution id, from the workers' logs. */
	executionsByWorker(): Map<string, number>;
	stop(): Promise<void>;
}

/** The env the harness gives its main, for processes we spawn ourselves. */
function processEnv(
	install: N8nInstall,
	userFolder: string,
	port: number,
	brokerPort: number,
	webhookUrl: string,
): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (v === undefined) continue;
		if (
			/^(npm_|N8N_|DB_|WEBHOOK_URL$|EXECUTIONS_|QUEUE_|GENERIC_TIMEZONE$|NODE_OPTIONS$|INIT_CWD$|OFFLOAD_)/i.test(
				k,
			)
		)
			continue;
		if (k === 'JEST_WORKER_ID' || k === 'NODE_ENV') continue;
		env[k] = v;
	}
	return {
		...env,
		...install.childEnv,
		HOME: userFolder,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: webhookUrl,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_DISABLED_MODULES: 'mcp-registry',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		...install.env,
	};
}

async function spawnN8nProcess(
	install: N8nInstall,
	role: 'worker' | 'webhook',
	index: number,
	mainUserFolder: string,
	env: Record<string, string>,
	args: string[],
	fixedPort?: number,
): Promise<N8nProcess> {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-queue-${role}${index}-`));
	// the community package, as installed on that "host"
	fs.cpSync(path.join(mainUserFolder, '.n8n', 'nodes'), path.join(userFolder, '.n8n', 'nodes'), {
		recursive: true,
	});
	const port = fixedPort ?? (await freePort());
	const brokerPort = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const procEnv = {
		...processEnv(install, userFolder, port, brokerPort, `${baseUrl}/`),
		...env,
		...(role === 'worker'
			? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port) }
			: {}),
	};
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	const logFile = path.join(ARTIFACTS_DIR, `queue-${role}${index}-${stamp}-${port}.log`);
	const fd = fs.openSync(logFile, 'a');
	let text = '';
	const redact = (s: string) => s.split(ENCRYPTION_KEY).join('***');
	const child: ChildProcess = spawn(install.nodeBin, [install.n8nBin, role, ...args], {
		cwd: userFolder,
		env: procEnv,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const pgid = child.pid!;
	trackGroup(pgid);
	const append = (d: string) => {
		const r = redact(d);
		text += r;
		try {
			fs.writeSync(fd, r);
		} catch {
			// closed
		}
	};
	child.stdout!.setEncoding('utf8').on('data', append);
	child.stderr!.setEncoding('utf8').on('data', append);
	let exited = false;
	const done = new Promise<void>((resolve) => {
		child.on('exit', (code, signal) => {
			exited = true;
			append(`\n### n8n ${role} exited (code ${code}, signal ${signal})\n`);
			killGroup(pgid, 'SIGKILL');
			resolve();
		});
	});
	const started = Date.now();
	for (;;) {
		if (exited) throw new Error(`n8n ${role} ${index} exited during start:\n${text.slice(-3000)}`);
		if (Date.now() - started > 180_000) {
			throw new Error(`n8n ${role} ${index} not ready after 180 s:\n${text.slice(-3000)}`);
		}
		try {
			const r = await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
			await r.arrayBuffer();
			if (r.status === 200 && (role === 'webhook' || text.includes('n8n worker is now ready'))) {
				break;
			}
		} catch {
			// not listening yet
		}
		await sleep(250);
	}
	append(`### e2e-queue: ready after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
	const kill = async (signal: NodeJS.Signals) => {
		if (exited) return;
		killGroup(pgid, signal);
		const t = setTimeout(() => killGroup(pgid, 'SIGKILL'), 10_000);
		await done;
		clearTimeout(t);
	};
	return {
		role,
		index,
		port,
		baseUrl,
		webhookBaseUrl: `${baseUrl}/webhook/`,
		userFolder,
		logFile,
		pid: pgid,
		logs: () => text,
		alive: () => !exited,
		kill,
		stop: async () => {
			await kill('SIGTERM');
			killGroup(pgid, 'SIGKILL');
			untrackGroup(pgid);
			try {
				fs.closeSync(fd);
			} catch {
				// already
			}
			if (!process.env.N8N_E2E_KEEP) fs.rmSync(userFolder, { recursive: true, force: true });
		},
	};
}

export async function startQueueCluster(opts: QueueClusterOptions = {}): Promise<QueueCluster> {
	const version = opts.version ?? DEFAULT_N8N_VERSION;
	const timings: Record<string, number> = {};
	const t0 = Date.now();
	fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
	const install = await ensureN8n(version);
	timings.n8nInstall = (Date.now() - t0) / 1000;

	const cleanups: Array<() => Promise<void>> = [];
	const stopAll = async () => {
		for (const c of cleanups.reverse()) await c().catch(() => undefined);
		cleanups.length = 0;
	};
	try {
		let t = Date.now();
		const redis = await startRedis(ARTIFACTS_DIR);
		cleanups.push(() => redis.stop());
		timings.redis = (Date.now() - t) / 1000;
		timings.redisInstall = redis.installSeconds;
		t = Date.now();
		const postgres = await startPostgres(ARTIFACTS_DIR);
		cleanups.push(() => postgres.stop());
		timings.postgres = (Date.now() - t) / 1000;
		timings.postgresInstall = postgres.installSeconds;

		const sharedEnv: Record<string, string> = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			...postgres.env,
			...(opts.env ?? {}),
		};
		// The main's public webhook URL is the first webhook processor's, as a load balancer would
		// route it: what automatic registration sends to Meta, so Meta's calls reach a processor.
		const webhookPorts = await Promise.all(
			Array.from({ length: opts.webhooks ?? 1 }, () => freePort()),
		);
		t = Date.now();
		const main = await startN8n({
			version,
			env: {
				...sharedEnv,
				...(webhookPorts.length > 0 ? { WEBHOOK_URL: `http://127.0.0.1:${webhookPorts[0]}/` } : {}),
			},
			logName: 'queue-main',
			packageDir: opts.packageDir,
		});
		cleanups.push(() => main.stop());
		timings.main = (Date.now() - t) / 1000;

		t = Date.now();
		const workerArgs = [`--concurrency=${opts.workerConcurrency ?? 10}`];
		const [workers, webhooks] = await Promise.all([
			Promise.all(
				Array.from({ length: opts.workers ?? 2 }, (_, i) =>
					spawnN8nProcess(
						install,
						'worker',
						i,
						main.userFolder,
						{ ...sharedEnv, ...(opts.workerEnv ?? {}) },
						workerArgs,
					).then((p) => {
						cleanups.push(() => p.stop());
						return p;
					}),
				),
			),
			Promise.all(
				Array.from({ length: opts.webhooks ?? 1 }, (_, i) =>
					spawnN8nProcess(
						install,
						'webhook',
						i,
						main.userFolder,
						sharedEnv,
						[],
						webhookPorts[i],
					).then((p) => {
						cleanups.push(() => p.stop());
						return p;
					}),
				),
			),
		]);
		timings.workersAndWebhooks = (Date.now() - t) / 1000;
		timings.total = (Date.now() - t0) / 1000;
		log(`cluster up: ${JSON.stringify(timings)}`);

		return {
			main,
			workers,
			webhooks,
			redis,
			postgres,
			sharedEnv,
			timings,
			executionsByWorker() {
				const map = new Map<string, number>();
				for (const w of workers) {
					for (const m of w.logs().matchAll(/Worker started execution (\d+)/g)) {
						map.set(m[1], w.index);
					}
				}
				return map;
			},
			stop: stopAll,
		};
	} catch (e) {
		await stopAll();
		throw e;
	}
}
