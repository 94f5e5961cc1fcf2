/**
 * Redis and PostgreSQL for the queue-mode e2e scenarios: Debian's packages (installed with apt-get
 * when missing, as CI must), each started on a free loopback port with its own temp dir, no
 * persistence, and stopped afterwards. Process groups are killed on stop() and by a watchdog when
 * the test process dies.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { freePort } from '../harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const log = (msg: string) => process.stderr.write(`[e2e-queue] ${msg}\n`);

/** Groups to kill when the test process exits without calling stop(). */
const liveGroups = new Set<number>();
let hooksInstalled = false;

export function killGroup(pgid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pgid, signal);
	} catch {
		// gone
	}
}

export function trackGroup(pgid: number): void {
	if (!hooksInstalled) {
		hooksInstalled = true;
		process.on('exit', () => {
			for (const g of liveGroups) killGroup(g, 'SIGKILL');
		});
	}
	liveGroups.add(pgid);
	// jest's sandbox does not run process 'exit' hooks reliably: a detached watchdog kills the
	// group ≤ 1–3 s after this process is gone.
	const script =
		`while kill -0 ${process.pid} 2>/dev/null && kill -0 -${pgid} 2>/dev/null; do sleep 1; done; ` +
		`kill -TERM -${pgid} 2>/dev/null; sleep 2; kill -KILL -${pgid} 2>/dev/null; exit 0`;
	spawn('bash', ['-c', script], { detached: true, stdio: 'ignore' }).unref();
}

export function untrackGroup(pgid: number): void {
	liveGroups.delete(pgid);
}

/** Waits until something accepts TCP connections on 127.0.0.1:port. */
export async function waitForPort(port: number, timeoutMs: number, alive: () => boolean) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (!alive()) throw new Error(`process for port ${port} exited`);
		const ok = await new Promise<boolean>((resolve) => {
			const s = net.connect({ host: '127.0.0.1', port }, () => {
				s.destroy();
				resolve(true);
			});
			s.on('error', () => resolve(false));
		});
		if (ok) return;
		await sleep(100);
	}
	throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** `apt-get update && apt-get install -y <pkgs>` (root only); returns the seconds it took. */
export function aptInstall(pkgs: string[]): number {
	if (!isRoot()) {
		throw new Error(
			`${pkgs.join(', ')} missing and not root: run \`sudo apt-get update && sudo apt-get install -y ${pkgs.join(' ')}\``,
		);
	}
	const started = Date.now();
	log(`apt-get install -y ${pkgs.join(' ')} …`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [
		['update', '-qq'],
		['install', '-y', '-qq', '--no-install-recommends', ...pkgs],
	]) {
		const r = spawnSync('apt-get', args, { env, encoding: 'utf8', timeout: 600_000 });
		if (r.status !== 0) {
			throw new Error(`apt-get ${args.join(' ')} failed (${r.status}):\n${r.stderr?.slice(-2000)}`);
		}
	}
	const secs = (Date.now() - started) / 1000;
	log(`installed ${pkgs.join(' ')} in ${secs.toFixed(1)} s`);
	return secs;
}

function which(bin: string): string | undefined {
	const r = spawnSync('bash', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : undefined;
}

export interface Service {
	port: number;
	dir: string;
	logFile: string;
	pid: number;
	stop(): Promise<void>;
}

function spawnService(
	cmd: string,
	args: string[],
	dir: string,
	logFile: string,
	signal: NodeJS.Signals,
): { child: ChildProcess; stop: () => Promise<void>; alive: () => boolean } {
	const fd = fs.openSync(logFile, 'a');
	const child = spawn(cmd, args, { cwd: dir, detached: true, stdio: ['ignore', fd, fd] });
	fs.closeSync(fd);
	const pgid = child.pid!;
	trackGroup(pgid);
	let exited = false;
	const done = new Promise<void>((resolve) => {
		child.on('exit', () => {
			exited = true;
			resolve();
		});
	});
	return {
		child,
		alive: () => !exited,
		stop: async () => {
			if (!exited) {
				killGroup(pgid, signal);
				const t = setTimeout(() => killGroup(pgid, 'SIGKILL'), 10_000);
				await done;
				clearTimeout(t);
			}
			killGroup(pgid, 'SIGKILL');
			untrackGroup(pgid);
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Redis

export function ensureRedis(): { bin: string; installSeconds: number } {
	let bin = which('redis-server');
	let installSeconds = 0;
	if (!bin) {
		installSeconds = aptInstall(['redis-server']);
		bin = which('redis-server');
		if (!bin) throw new Error('redis-server still missing after apt-get install');
	}
	return { bin, installSeconds };
}

export async function startRedis(
	artifactsDir: string,
): Promise<Service & { installSeconds: number }> {
	const { bin, installSeconds } = ensureRedis();
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-queue-redis-'));
	const logFile = path.join(artifactsDir, `queue-redis-${port}.log`);
	const svc = spawnService(
		bin,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--protected-mode',
			'yes',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--daemonize',
			'no',
			'--databases',
			'4',
		],
		dir,
		logFile,
		'SIGTERM',
	);
	await waitForPort(port, 20_000, svc.alive);
	return {
		port,
		dir,
		logFile,
		pid: svc.child.pid!,
		installSeconds,
		stop: async () => {
			await svc.stop();
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL (n8n's supported database for queue mode)

function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const versions = fs
		.readdirSync(root)
		.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

export function ensurePostgres(): { binDir: string; installSeconds: number } {
	let binDir = postgresBinDir();
	let installSeconds = 0;
	if (!binDir) {
		installSeconds = aptInstall(['postgresql']);
		binDir = postgresBinDir();
		if (!binDir) throw new Error('initdb still missing after apt-get install postgresql');
	}
	return { binDir, installSeconds };
}

export interface Postgres extends Service {
	installSeconds: number;
	user: string;
	database: string;
	/** env for n8n */
	env: Record<string, string>;
}

export async function startPostgres(artifactsDir: string): Promise<Postgres> {
	const { binDir, installSeconds } = ensurePostgres();
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-queue-pg-'));
	const logFile = path.join(artifactsDir, `queue-postgres-${port}.log`);
	// initdb/postgres refuse to run as root: run them as the Debian package's `postgres` user.
	const asUser = (cmd: string, args: string[]): [string, string[]] =>
		isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
	if (isRoot()) spawnSync('chown', ['postgres', dir]);
	const data = path.join(dir, 'data');
	const user = 'n8n';
	const [icmd, iargs] = asUser(path.join(binDir, 'initdb'), [
		'-D',
		data,
		'-A',
		'trust',
		'-U',
		user,
		'--no-sync',
		'-E',
		'UTF8',
		'--locale',
		'C',
	]);
	const init = spawnSync(icmd, iargs, { encoding: 'utf8', timeout: 120_000 });
	if (init.status !== 0) {
		throw new Error(`initdb failed (${init.status}): ${init.stderr?.slice(-2000)}`);
	}
	const [pcmd, pargs] = asUser(path.join(binDir, 'postgres'), [
		'-D',
		data,
		'-p',
		String(port),
		'-k',
		dir,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=100',
	]);
	// SIGINT = postgres' "fast" shutdown
	const svc = spawnService(pcmd, pargs, dir, logFile, 'SIGINT');
	await waitForPort(port, 30_000, svc.alive);
	// the port opens slightly before connections are accepted
	const deadline = Date.now() + 20_000;
	while (!fs.readFileSync(logFile, 'utf8').includes('ready to accept connections')) {
		if (Date.now() > deadline) throw new Error(`postgres not ready; see ${logFile}`);
		await sleep(100);
	}
	const database = 'postgres';
	return {
		port,
		dir,
		logFile,
		pid: svc.child.pid!,
		installSeconds,
		user,
		database,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: '',
			// n8n's default pool (2) plus its 2-s DB ping (5-s timeout) answered 503 "Database is not
			// ready" under load here: a bigger pool and a patient ping
			DB_POSTGRESDB_POOL_SIZE: '10',
			DB_PING_TIMEOUT_MS: '15000',
		},
		stop: async () => {
			await svc.stop();
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}
