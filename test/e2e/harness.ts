/**
 * Real-n8n harness: starts a pinned n8n (installed by ./install.ts into .cache/) on loopback with
 * this package loaded as a community package, sets up an owner and a public-API key, and offers
 * helpers to import credentials/workflows, activate them, call webhooks and read executions.
 *
 *   const n8n = await startN8n();            // n8n 2.41.1, package from /work/main (npm pack)
 *   try { ... } finally { await n8n.stop(); }
 *
 * Needs `npm run build` beforehand (the package is loaded from `npm pack`, i.e. from dist/).
 * Facts behind it: /work/shared/reference/n8n-harness-notes.md; usage: /work/notes/e2e-harness.md.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { DEFAULT_N8N_VERSION, ensureN8n, REPO_ROOT, type N8nInstall } from './install';

export const PACKAGE_NAME = 'n8n-nodes-whatsapp-cloud';
export const NODE_TYPE = `${PACKAGE_NAME}.whatsAppCloud`;
export const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.whatsAppCloudTrigger`;
/** The triggers' current version (what the editor adds); 1 behaves the same (queue tests keep it). */
export const TRIGGER_VERSION = 1.1;
export const CREDENTIAL_TYPE = 'whatsAppCloudApi';

/** Fixed so that a DB/user folder can be reused and the CLI and the server agree. Test-only. */
export const ENCRYPTION_KEY = 'e2e-harness-encryption-key-not-a-secret-0001';
export const OWNER = {
	email: 'owner@example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'Passw0rd!e2e',
};
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test', 'e2e', '.artifacts');

export interface StartOptions {
	/** n8n version from the cache (installed on first use); default 2.41.1 or $N8N_E2E_VERSION */
	version?: string;
	/** package to `npm pack` and load; default the repo root. `false` = load no package. */
	packageDir?: string | false;
	/** extra env for n8n (wins over the harness defaults) */
	env?: Record<string, string>;
	/** n8n port; default a random free port */
	port?: number;
	/**
	 * Drop package.json "n8n" entries whose files are missing from the packed package (in the
	 * unpacked copy only). n8n refuses the whole package if one entry is missing ("Failed to load
	 * package … Cannot find module"), credentials included. Default false (load it as users would).
	 */
	pruneMissingEntries?: boolean;
	/** reuse an existing user folder (its DB) instead of a fresh temp one */
	userFolder?: string;
	/** readiness timeout, ms (default 180 s; start takes 8–47 s depending on machine load) */
	startTimeoutMs?: number;
	/** log file name prefix under test/e2e/.artifacts (default 'n8n') */
	logName?: string;
}

export interface CredentialImport {
	/** kept as given (so fixtures can reference it); default a random 16-char id */
	id?: string;
	name: string;
	type: string;
	/** plaintext credential data; encrypted on import */
	data: Record<string, unknown>;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[k: string]: unknown;
}

export interface Execution {
	id: string;
	workflowId: string;
	status: string;
	finished: boolean;
	mode: string;
	startedAt: string;
	stoppedAt: string | null;
	data?: {
		resultData: {
			runData: Record<string, Array<Record<string, any>>>;
			lastNodeExecuted?: string;
			error?: Record<string, any>;
		};
		[k: string]: any;
	};
	[k: string]: any;
}

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

export interface HttpResult<T = any> {
	status: number;
	headers: Headers;
	body: T;
	text: string;
}

export interface N8nInstance {
	version: string;
	baseUrl: string;
	/** `${baseUrl}/webhook/` */
	webhookBaseUrl: string;
	port: number;
	apiKey: string;
	/** the login cookie (`n8n-auth=…`) for internal /rest and /types endpoints */
	cookie: string;
	userFolder: string;
	logFile: string;
	install: N8nInstall;
	/** where the packed package was unpacked (undefined with packageDir: false) */
	packageInstallDir: string | undefined;
	/** package.json "n8n" entries dropped by pruneMissingEntries */
	prunedEntries: string[];

	/** Imports via `n8n import:credentials` (ids kept). Returns the ids. */
	importCredentials(list: CredentialImport[]): Promise<string[]>;
	/** Imports via `n8n import:workflow` (inactive; id kept or generated). Returns the id. */
	importWorkflow(json: WorkflowJson): Promise<string>;
	/** Several workflows in one CLI call. */
	importWorkflows(list: WorkflowJson[]): Promise<string[]>;
	/**
	 * Faster alternatives (~0.1 s instead of a ~2–4 s CLI run) through the public API, while the
	 * server runs. n8n assigns the id (any `id` in the input is ignored), so fixtures that
	 * reference a credential must be built after createCredential() returned its id.
	 */
	createCredential(cred: CredentialImport): Promise<string>;
	createWorkflow(json: WorkflowJson): Promise<string>;
	/** Activates/publishes a workflow on the running server (public API); webhooks then exist. */
	activate(workflowId: string): Promise<void>;
	/** Alias of activate() */
	publish(workflowId: string): Promise<void>;
	deactivate(workflowId: string): Promise<void>;
	/**
	 * Polls until `${webhookBaseUrl}${path}` is registered: by default with a CORS preflight
	 * (OPTIONS + Origin → 204 once registered, for any HTTP method, runs nothing); with `method`
	 * set, until that request stops answering 404 (note: that request may run the workflow).
	 */
	waitForWebhook(
		webhookPath: string,
		opts?: { timeoutMs?: number; method?: string; test?: boolean },
	): Promise<void>;
	/** Polls until the path is no longer registered (deactivation unregisters ~0.1–0.3 s later). */
	waitForWebhookGone(
		webhookPath: string,
		opts?: { timeoutMs?: number; test?: boolean },
	): Promise<void>;
	/** Executions of a workflow, newest first, with data (public API). */
	executions(
		workflowId: string,
		opts?: { includeData?: boolean; limit?: number },
	): Promise<Execution[]>;
	execution(executionId: string, opts?: { includeData?: boolean }): Promise<Execution>;
	/** Waits until the workflow has `count` finished (not running/waiting/new) executions. */
	waitForExecutions(
		workflowId: string,
		opts?: { count?: number; timeoutMs?: number },
	): Promise<Execution[]>;
	/**
	 * Runs a workflow manually on the running server (`POST /rest/workflows/:id/run`, like the
	 * editor's "Execute workflow") from its Manual Trigger (or `triggerName`) and waits for the
	 * finished execution (mode 'manual'), read back through the public API.
	 */
	execute(
		workflowId: string,
		opts?: { timeoutMs?: number; triggerName?: string },
	): Promise<Execution>;
	/** Runs `n8n execute --id` as a separate CLI process (own broker port); parses --rawOutput. */
	executeCli(workflowId: string): Promise<{ code: number | null; run: any; output: string }>;
	/** Any n8n CLI command against this instance's DB/user folder. */
	cli(args: string[], opts?: { timeoutMs?: number }): Promise<CliResult>;
	/** Public API call (`/api/v1` + path) with the API key. */
	api<T = any>(method: string, apiPath: string, body?: unknown): Promise<HttpResult<T>>;
	/** Internal REST call (path as given, e.g. `/rest/workflows` or `/types/nodes.json`) with cookie. */
	rest<T = any>(method: string, restPath: string, body?: unknown): Promise<HttpResult<T>>;
	/** Names of loaded node types / credential types. */
	nodeTypes(): Promise<string[]>;
	credentialTypes(): Promise<string[]>;
	/** n8n's (redacted) stdout+stderr so far. */
	logs(): string;
	/** Stops and starts the same user folder/DB (activation 'init' path). */
	restart(): Promise<void>;
	/** Stops n8n and all its children; idempotent; removes the temp user folder unless kept. */
	stop(opts?: { keepUserFolder?: boolean }): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// process bookkeeping: every spawned group is killed on stop(), on process exit and on signals

const liveGroups = new Set<number>();
let exitHooksInstalled = false;

function killGroup(pgid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pgid, signal);
	} catch {
		// already gone
	}
}

function installExitHooks(): void {
	if (exitHooksInstalled) return;
	exitHooksInstalled = true;
	process.on('exit', () => {
		for (const g of liveGroups) killGroup(g, 'SIGKILL');
	});
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(sig, () => {
			for (const g of liveGroups) killGroup(g, 'SIGKILL');
			process.kill(process.pid, sig);
		});
	}
}

/**
 * A detached watchdog that kills the n8n process group when this (harness) process dies
 * without running its exit hooks (e.g. a jest worker killed with SIGKILL).
 */
function spawnWatchdog(pgid: number): ChildProcess {
	const script =
		`while kill -0 ${process.pid} 2>/dev/null && kill -0 -${pgid} 2>/dev/null; do sleep 1; done; ` +
		`kill -TERM -${pgid} 2>/dev/null; sleep 3; kill -KILL -${pgid} 2>/dev/null; exit 0`;
	const w = spawn('bash', ['-c', script], { detached: true, stdio: 'ignore' });
	w.unref();
	return w;
}

// ---------------------------------------------------------------------------------------------
// helpers

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function randomId(len = 16): string {
	const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = randomBytes(len);
	let s = '';
	for (let i = 0; i < len; i++) s += abc[bytes[i] % abc.length];
	return s;
}

/** Env of this process without npm's lifecycle/config leakage (npx exports ignore-scripts etc.). */
function cleanEnv(): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (v === undefined) continue;
		if (
			/^(npm_|N8N_|DB_|WEBHOOK_URL$|EXECUTIONS_|QUEUE_|GENERIC_TIMEZONE$|NODE_OPTIONS$|INIT_CWD$)/i.test(
				k,
			)
		)
			continue;
		// jest sets these; n8n must not think it is under test
		if (k === 'JEST_WORKER_ID' || k === 'NODE_ENV') continue;
		env[k] = v;
	}
	return env;
}

/** Secrets that must never reach logs/console: replaced on the way into the log file. */
class Redactor {
	private secrets: string[] = [];
	add(...s: Array<string | undefined>): void {
		for (const x of s) if (x && x.length >= 6 && !this.secrets.includes(x)) this.secrets.push(x);
		this.secrets.sort((a, b) => b.length - a.length);
	}
	apply(text: string): string {
		let t = text;
		for (const s of this.secrets) t = t.split(s).join('***');
		// n8n's own patterns: API keys are JWTs, encrypted credential blobs start with U2FsdGVkX1
		t = t.replace(/eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/g, '***jwt***');
		return t;
	}
}

function packPackage(packageDir: string, intoDir: string): string {
	const pkgJson = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const env = cleanEnv();
	const r = spawnSync(
		'npm',
		['pack', '--ignore-scripts', '--json', '--pack-destination', intoDir],
		{
			cwd: packageDir,
			env,
			encoding: 'utf8',
		},
	);
	if (r.status !== 0) throw new Error(`npm pack failed in ${packageDir}:\n${r.stderr}`);
	const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ filename: string }>;
	const tgz = path.join(intoDir, info[0].filename);
	if (!fs.existsSync(tgz)) throw new Error(`npm pack produced no ${tgz}`);
	if (!pkgJson.name) throw new Error('package without a name');
	return tgz;
}

/** Unpacks the package as n8n's community-package installer would place it. */
function installPackage(tgz: string, userFolder: string, name: string): string {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', ...name.split('/'));
	fs.mkdirSync(target, { recursive: true });
	const r = spawnSync('tar', ['-xzf', tgz, '-C', target, '--strip-components=1'], {
		encoding: 'utf8',
	});
	if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
	// what n8n writes when it installs community packages itself
	const nodesPkg = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(nodesPkg)) {
		fs.writeFileSync(
			nodesPkg,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	}
	const p = JSON.parse(fs.readFileSync(nodesPkg, 'utf8'));
	p.dependencies = { ...(p.dependencies ?? {}), [name]: `file:${tgz}` };
	fs.writeFileSync(nodesPkg, JSON.stringify(p, null, 2));
	return target;
}

/** Which of the package.json "n8n" entries exist in the unpacked package (dist may be partial). */
export function packageEntries(pkgDir: string): {
	nodes: Array<{ file: string; exists: boolean }>;
	credentials: Array<{ file: string; exists: boolean }>;
} {
	const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
	const map = (files: string[] = []) =>
		files.map((file) => ({ file, exists: fs.existsSync(path.join(pkgDir, file)) }));
	return { nodes: map(pkg.n8n?.nodes), credentials: map(pkg.n8n?.credentials) };
}

/** Removes missing files from the "n8n" section of an unpacked package; returns what it removed. */
function pruneEntries(pkgDir: string): string[] {
	const file = path.join(pkgDir, 'package.json');
	const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
	const removed: string[] = [];
	for (const key of ['nodes', 'credentials'] as const) {
		const list: string[] = pkg.n8n?.[key] ?? [];
		pkg.n8n[key] = list.filter((f) => {
			const ok = fs.existsSync(path.join(pkgDir, f));
			if (!ok) removed.push(f);
			return ok;
		});
	}
	if (removed.length) {
		fs.writeFileSync(file, JSON.stringify(pkg, null, 2));
		process.stderr.write(
			`[e2e-harness] package entries missing from dist, pruned: ${removed.join(', ')}\n`,
		);
	}
	return removed;
}

function versionAtLeast(v: string, major: number, minor: number): boolean {
	const [a, b] = v.split('.').map(Number);
	return a > major || (a === major && b >= minor);
}

// ---------------------------------------------------------------------------------------------

export async function startN8n(opts: StartOptions = {}): Promise<N8nInstance> {
	installExitHooks();
	const version = opts.version ?? DEFAULT_N8N_VERSION;
	const install = await ensureN8n(version);
	const port = opts.port ?? (await freePort());
	let brokerPort = await freePort();
	const tempUserFolder = !opts.userFolder;
	const userFolder =
		opts.userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${version}-`));
	fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
	fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	const logFile = path.join(
		ARTIFACTS_DIR,
		`${opts.logName ?? 'n8n'}-${version}-${stamp}-${port}.log`,
	);
	const baseUrl = `http://127.0.0.1:${port}`;
	const redactor = new Redactor();
	redactor.add(ENCRYPTION_KEY, OWNER.password);

	// the package, the way users get it: npm pack → nodes/node_modules/<name>
	const packageDir = opts.packageDir === undefined ? REPO_ROOT : opts.packageDir;
	let packageInstallDir: string | undefined;
	const prunedEntries: string[] = [];
	if (packageDir) {
		const pkgName = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')).name;
		const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-pack-'));
		try {
			const tgz = packPackage(packageDir, packDir);
			const nodesDir = path.join(userFolder, '.n8n', 'nodes');
			const keep = path.join(nodesDir, path.basename(tgz));
			fs.mkdirSync(nodesDir, { recursive: true });
			fs.copyFileSync(tgz, keep);
			packageInstallDir = installPackage(keep, userFolder, pkgName);
			if (opts.pruneMissingEntries) prunedEntries.push(...pruneEntries(packageInstallDir));
		} finally {
			fs.rmSync(packDir, { recursive: true, force: true });
		}
	}

	const baseEnv = (): Record<string, string> => {
		const env: Record<string, string> = {
			...cleanEnv(),
			...install.childEnv,
			HOME: userFolder,
			N8N_USER_FOLDER: userFolder,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `${baseUrl}/`,
			WEBHOOK_URL: `${baseUrl}/`,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			DB_TYPE: 'sqlite',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_RUNNERS_MODE: 'internal',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			N8N_PUBLIC_API_DISABLED: 'false',
			N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
			GENERIC_TIMEZONE: 'UTC',
			TZ: 'UTC',
			...install.env,
		};
		if (install.major === 1) env.N8N_RUNNERS_ENABLED = 'true';
		// 2.41 fetches api.n8n.io for the MCP registry; 1.x/2.8 reject unknown module names
		if (versionAtLeast(version, 2, 30)) env.N8N_DISABLED_MODULES = 'mcp-registry';
		return { ...env, ...(opts.env ?? {}) };
	};

	let child: ChildProcess | undefined;
	let watchdog: ChildProcess | undefined;
	let exited: Promise<void> = Promise.resolve();
	let logText = '';
	let logFd: number | undefined;
	let stopped = false;

	const appendLog = (chunk: string) => {
		const red = redactor.apply(chunk);
		logText += red;
		if (logFd !== undefined) fs.writeSync(logFd, red);
	};

	async function spawnServer(): Promise<void> {
		logFd = fs.openSync(logFile, 'a');
		appendLog(`### ${new Date().toISOString()} n8n@${version} start on ${baseUrl}\n`);
		const started = Date.now();
		const c = spawn(install.nodeBin, [install.n8nBin, 'start'], {
			cwd: userFolder,
			env: baseEnv(),
			detached: true, // own process group → stop() kills n8n and its task runners together
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		child = c;
		const pgid = c.pid!;
		liveGroups.add(pgid);
		watchdog = spawnWatchdog(pgid);
		c.stdout!.setEncoding('utf8').on('data', appendLog);
		c.stderr!.setEncoding('utf8').on('data', appendLog);
		let exitInfo: string | undefined;
		c.on('error', (e) => {
			exitInfo = `spawn error: ${e.message}`;
		});
		exited = new Promise<void>((resolve) => {
			c.on('exit', (code, signal) => {
				exitInfo = `code ${code}, signal ${signal}`;
				appendLog(`\n### n8n exited (${exitInfo})\n`);
				killGroup(pgid, 'SIGKILL'); // leftover task runners
				liveGroups.delete(pgid);
				resolve();
			});
		});
		const timeout = opts.startTimeoutMs ?? 180_000;
		for (;;) {
			if (exitInfo) {
				throw new Error(
					`n8n exited during start (${exitInfo}); log ${logFile}:\n${logText.slice(-3000)}`,
				);
			}
			if (Date.now() - started > timeout) {
				throw new Error(
					`n8n not ready after ${timeout} ms; log ${logFile}:\n${logText.slice(-3000)}`,
				);
			}
			try {
				const r = await fetch(`${baseUrl}/healthz/readiness`, {
					signal: AbortSignal.timeout(2000),
				});
				await r.arrayBuffer();
				if (r.status === 200) {
					// 1.x answers readiness before the REST routes exist: wait for /rest/login (401 ≠ 404)
					const l = await fetch(`${baseUrl}/rest/login`, { signal: AbortSignal.timeout(2000) });
					await l.arrayBuffer();
					if (l.status !== 404) break;
				}
			} catch {
				// not listening yet
			}
			await sleep(250);
		}
		appendLog(`### harness: ready after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
	}

	async function stopServer(): Promise<void> {
		const c = child;
		if (!c || c.exitCode !== null || c.signalCode !== null) {
			if (c?.pid) killGroup(c.pid, 'SIGKILL');
			return;
		}
		const pgid = c.pid!;
		killGroup(pgid, 'SIGTERM');
		const t = setTimeout(() => killGroup(pgid, 'SIGKILL'), 10_000);
		await exited;
		clearTimeout(t);
		killGroup(pgid, 'SIGKILL');
		liveGroups.delete(pgid);
		if (watchdog?.pid) killGroup(watchdog.pid, 'SIGKILL');
		if (logFd !== undefined) {
			fs.closeSync(logFd);
			logFd = undefined;
		}
	}

	// --- HTTP
	let cookie = '';
	let apiKey = '';

	async function http<T>(
		method: string,
		url: string,
		headers: Record<string, string>,
		body?: unknown,
	): Promise<HttpResult<T>> {
		const h: Record<string, string> = { accept: 'application/json', ...headers };
		if (body !== undefined) h['content-type'] = 'application/json';
		const r = await fetch(url, {
			method,
			headers: h,
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const text = await r.text();
		let parsed: any = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON
		}
		return { status: r.status, headers: r.headers, body: parsed as T, text };
	}
	const must = <T>(r: HttpResult<T>, what: string): HttpResult<T> => {
		if (r.status >= 300) {
			throw new Error(`${what} → HTTP ${r.status}: ${redactor.apply(r.text).slice(0, 1000)}`);
		}
		return r;
	};
	const rest = <T = any>(method: string, p: string, body?: unknown) =>
		http<T>(method, `${baseUrl}${p}`, cookie ? { cookie } : {}, body);
	const api = <T = any>(method: string, p: string, body?: unknown) =>
		http<T>(method, `${baseUrl}/api/v1${p}`, { 'X-N8N-API-KEY': apiKey }, body);

	async function setupOwner(): Promise<void> {
		const setup = await rest('POST', '/rest/owner/setup', OWNER);
		// 400 "Instance owner already setup" when reusing a user folder
		if (setup.status >= 300 && !/already/i.test(setup.text)) must(setup, 'owner setup');
		const login = await http(
			'POST',
			`${baseUrl}/rest/login`,
			{},
			{ emailOrLdapLoginId: OWNER.email, email: OWNER.email, password: OWNER.password },
		);
		must(login, 'login');
		const setCookie = login.headers.getSetCookie?.() ?? [login.headers.get('set-cookie') ?? ''];
		const auth = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		if (!auth) throw new Error('login returned no n8n-auth cookie');
		cookie = auth;
		redactor.add(cookie.slice('n8n-auth='.length));
		if (!apiKey) {
			const scopes = await availableApiKeyScopes();
			const key = must(
				await rest('POST', '/rest/api-keys', {
					label: `e2e-${Date.now()}`,
					scopes,
					expiresAt: null,
				}),
				'create API key',
			);
			apiKey = key.body?.data?.rawApiKey ?? key.body?.data?.apiKey;
			if (!apiKey) throw new Error('API key response without rawApiKey');
			redactor.add(apiKey);
		}
	}

	async function availableApiKeyScopes(): Promise<string[]> {
		const r = await rest('GET', '/rest/api-keys/scopes');
		if (r.status === 200 && Array.isArray(r.body?.data)) return r.body.data as string[];
		return [
			'workflow:read',
			'workflow:list',
			'workflow:create',
			'workflow:update',
			'workflow:delete',
			'workflow:activate',
			'workflow:deactivate',
			'execution:read',
			'execution:list',
			'execution:delete',
			'credential:create',
			'credential:delete',
		];
	}

	// --- CLI
	async function cli(args: string[], o: { timeoutMs?: number } = {}): Promise<CliResult> {
		const cliBroker = await freePort();
		const env = { ...baseEnv(), N8N_RUNNERS_BROKER_PORT: String(cliBroker) };
		return new Promise((resolve, reject) => {
			const c = spawn(install.nodeBin, [install.n8nBin, ...args], {
				cwd: userFolder,
				env,
				detached: true,
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			const pgid = c.pid!;
			liveGroups.add(pgid);
			let stdout = '';
			let stderr = '';
			c.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
			c.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
			const t = setTimeout(() => killGroup(pgid, 'SIGKILL'), o.timeoutMs ?? 120_000);
			c.on('error', reject);
			c.on('exit', (code) => {
				clearTimeout(t);
				killGroup(pgid, 'SIGKILL');
				liveGroups.delete(pgid);
				stdout = redactor.apply(stdout);
				stderr = redactor.apply(stderr);
				appendLog(`### cli: n8n ${args.join(' ')} → ${code}\n${stderr.slice(-2000)}`);
				resolve({ code, stdout, stderr });
			});
		});
	}
	const mustCli = async (args: string[]): Promise<CliResult> => {
		const r = await cli(args);
		if (r.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} failed (${r.code}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`,
			);
		}
		return r;
	};

	const tmpFile = (name: string, content: unknown): string => {
		const dir = path.join(userFolder, 'e2e-imports');
		fs.mkdirSync(dir, { recursive: true });
		const f = path.join(dir, `${Date.now()}-${randomId(6)}-${name}`);
		fs.writeFileSync(f, JSON.stringify(content, null, 2));
		return f;
	};

	async function importWorkflows(list: WorkflowJson[]): Promise<string[]> {
		const withIds = list.map((w) => ({
			active: false,
			settings: { executionOrder: 'v1' },
			...w,
			id: w.id ?? randomId(),
		}));
		const f = tmpFile('workflows.json', withIds);
		await mustCli(['import:workflow', `--input=${f}`]);
		fs.rmSync(f, { force: true });
		return withIds.map((w) => w.id);
	}

	/** Secret-looking credential fields are redacted from logs and error messages. */
	const addSecrets = (data: Record<string, unknown>) => {
		for (const [k, v] of Object.entries(data)) {
			if (typeof v === 'string' && /token|secret|password|key|auth/i.test(k)) redactor.add(v);
		}
	};

	const isDone = (e: Execution) =>
		!['new', 'running', 'waiting', 'unknown'].includes(e.status) && !!e.stoppedAt;

	const self: N8nInstance = {
		version,
		baseUrl,
		webhookBaseUrl: `${baseUrl}/webhook/`,
		port,
		get apiKey() {
			return apiKey;
		},
		get cookie() {
			return cookie;
		},
		userFolder,
		logFile,
		install,
		packageInstallDir,
		prunedEntries,

		async importCredentials(list) {
			const withIds = list.map((c) => ({ ...c, id: c.id ?? randomId() }));
			for (const c of withIds) addSecrets(c.data);
			const f = tmpFile('credentials.json', withIds);
			try {
				await mustCli(['import:credentials', `--input=${f}`]);
			} finally {
				fs.rmSync(f, { force: true });
			}
			return withIds.map((c) => c.id);
		},
		async importWorkflow(json) {
			return (await importWorkflows([json]))[0];
		},
		importWorkflows,
		async createCredential(c) {
			addSecrets(c.data);
			const body = { name: c.name, type: c.type, data: c.data };
			const r = await api('POST', '/credentials', body);
			if (r.status < 300) return String(r.body.id);
			// 1.123's public-API schema check demands fields the credential doesn't have
			// ("requires property allowedDomains"); the internal REST endpoint doesn't.
			if (r.status !== 400) must(r, `create credential ${c.name}`);
			const r2 = must(await rest('POST', '/rest/credentials', body), `create credential ${c.name}`);
			return String(r2.body.data.id);
		},
		async createWorkflow(w) {
			const body: Record<string, unknown> = {
				name: w.name,
				nodes: w.nodes,
				connections: w.connections,
				settings: w.settings ?? { executionOrder: 'v1' },
			};
			for (const k of ['staticData', 'pinData'] as const) if (w[k] !== undefined) body[k] = w[k];
			const r = must(await api('POST', '/workflows', body), `create workflow ${w.name}`);
			return String(r.body.id);
		},
		async activate(id) {
			must(await api('POST', `/workflows/${id}/activate`), `activate ${id}`);
		},
		async publish(id) {
			return self.activate(id);
		},
		async deactivate(id) {
			must(await api('POST', `/workflows/${id}/deactivate`), `deactivate ${id}`);
		},
		async waitForWebhook(webhookPath, o = {}) {
			const url = `${baseUrl}/${o.test ? 'webhook-test' : 'webhook'}/${webhookPath.replace(/^\/+/, '')}`;
			const deadline = Date.now() + (o.timeoutMs ?? 120_000);
			let last = 0;
			while (Date.now() < deadline) {
				try {
					// A CORS preflight (OPTIONS with Origin) looks the path up (any method) without
					// running the workflow: 204 if registered, 500/404 otherwise (measured on 2.41).
					const method = o.method ?? 'OPTIONS';
					const r = await fetch(url, {
						method,
						headers:
							method === 'OPTIONS'
								? { origin: baseUrl, 'access-control-request-method': 'POST' }
								: {},
						signal: AbortSignal.timeout(5000),
					});
					last = r.status;
					await r.arrayBuffer();
					if (method === 'OPTIONS' ? r.status >= 200 && r.status < 300 : r.status !== 404) return;
				} catch {
					last = -1;
				}
				await sleep(100);
			}
			throw new Error(`webhook ${url} still not registered (last status ${last})`);
		},
		async waitForWebhookGone(webhookPath, o = {}) {
			const url = `${baseUrl}/${o.test ? 'webhook-test' : 'webhook'}/${webhookPath.replace(/^\/+/, '')}`;
			const deadline = Date.now() + (o.timeoutMs ?? 120_000);
			let last = 0;
			while (Date.now() < deadline) {
				const r = await fetch(url, {
					method: 'OPTIONS',
					headers: { origin: baseUrl, 'access-control-request-method': 'POST' },
					signal: AbortSignal.timeout(5000),
				});
				last = r.status;
				await r.arrayBuffer();
				if (r.status < 200 || r.status >= 300) return;
				await sleep(100);
			}
			throw new Error(`webhook ${url} still registered (last status ${last})`);
		},
		async executions(workflowId, o = {}) {
			const qs = new URLSearchParams({
				workflowId,
				includeData: String(o.includeData ?? true),
				limit: String(o.limit ?? 100),
			});
			const r = must(
				await api<{ data: Execution[] }>('GET', `/executions?${qs}`),
				'list executions',
			);
			const listed = r.body.data.map((e) => ({ ...e, id: String(e.id) }));
			if (install.major !== 1) return listed;
			// n8n 1.x's public API leaves out the executions it still holds as active, waiting ones
			// included; its internal API (what the editor lists) has them: add them by ID.
			const filter = encodeURIComponent(JSON.stringify({ workflowId, status: ['waiting'] }));
			const internal = must(
				await rest<{ data: { results: Array<{ id: string | number }> } }>(
					'GET',
					`/rest/executions?filter=${filter}&limit=${o.limit ?? 100}`,
				),
				'list waiting executions',
			);
			const known = new Set(listed.map((e) => e.id));
			const missing = internal.body.data.results
				.map((e) => String(e.id))
				.filter((id) => !known.has(id));
			const waiting = await Promise.all(
				missing.map((id) => self.execution(id, { includeData: o.includeData ?? true })),
			);
			return [...waiting, ...listed].sort((a, b) => Number(b.id) - Number(a.id));
		},
		async execution(executionId, o = {}) {
			const r = must(
				await api<Execution>(
					'GET',
					`/executions/${executionId}?includeData=${String(o.includeData ?? true)}`,
				),
				`execution ${executionId}`,
			);
			return { ...r.body, id: String(r.body.id) };
		},
		async waitForExecutions(workflowId, o = {}) {
			const count = o.count ?? 1;
			const deadline = Date.now() + (o.timeoutMs ?? 30_000);
			let got: Execution[] = [];
			while (Date.now() < deadline) {
				got = (await self.executions(workflowId, { includeData: false })).filter(isDone);
				if (got.length >= count)
					return self.executions(workflowId, { includeData: true }).then((l) => l.filter(isDone));
				await sleep(200);
			}
			throw new Error(
				`workflow ${workflowId}: ${got.length}/${count} finished executions after timeout`,
			);
		},
		async execute(workflowId, o = {}) {
			const wf = must(
				await api('GET', `/workflows/${workflowId}`),
				`get workflow ${workflowId}`,
			).body;
			const nodes = wf.nodes as Array<{ name: string; type: string }>;
			const trigger = o.triggerName
				? nodes.find((n) => n.name === o.triggerName)
				: nodes.find((n) => /manualTrigger$/.test(n.type));
			if (!trigger) {
				throw new Error(`workflow ${workflowId} has no ${o.triggerName ?? 'Manual Trigger'} node`);
			}
			const before = new Set(
				(await self.executions(workflowId, { includeData: false })).map((e) => e.id),
			);
			// 2.x reads the workflow from the DB and needs triggerToStartFrom; 1.x needs workflowData
			const body = { workflowData: wf, triggerToStartFrom: { name: trigger.name } };
			const r = must(
				await rest('POST', `/rest/workflows/${workflowId}/run`, body),
				`run ${workflowId}`,
			);
			let executionId: string | undefined = r.body?.data?.executionId;
			const deadline = Date.now() + (o.timeoutMs ?? 60_000);
			while (Date.now() < deadline) {
				if (!executionId) {
					const fresh = (await self.executions(workflowId, { includeData: false })).find(
						(e) => !before.has(e.id),
					);
					executionId = fresh?.id;
				}
				if (executionId) {
					const e = await api<Execution>('GET', `/executions/${executionId}?includeData=false`);
					if (e.status === 200 && isDone(e.body)) return self.execution(executionId);
				}
				await sleep(200);
			}
			throw new Error(`execution of ${workflowId} did not finish in time (id ${executionId})`);
		},
		async executeCli(workflowId) {
			const r = await cli(['execute', `--id=${workflowId}`, '--rawOutput']);
			const lines = r.stdout.split('\n');
			const start = lines.findIndex((l) => l.startsWith('{'));
			let run: any;
			if (start >= 0) {
				try {
					run = JSON.parse(lines.slice(start).join('\n'));
				} catch {
					run = undefined;
				}
			}
			return { code: r.code, run, output: r.stdout + r.stderr };
		},
		cli,
		api,
		rest,
		async nodeTypes() {
			const r = must(await rest<Array<{ name: string }>>('GET', '/types/nodes.json'), 'nodes.json');
			return r.body.map((n) => n.name);
		},
		async credentialTypes() {
			const r = must(
				await rest<Array<{ name: string }>>('GET', '/types/credentials.json'),
				'credentials.json',
			);
			return r.body.map((n) => n.name);
		},
		logs() {
			return logText;
		},
		async restart() {
			await stopServer();
			brokerPort = await freePort();
			await spawnServer();
			await setupOwner();
		},
		async stop(o = {}) {
			if (stopped) return;
			stopped = true;
			await stopServer();
			if (tempUserFolder && !o.keepUserFolder && !process.env.N8N_E2E_KEEP) {
				fs.rmSync(userFolder, { recursive: true, force: true });
			}
		},
	};

	try {
		await spawnServer();
		await setupOwner();
	} catch (e) {
		await self.stop(); // the log in test/e2e/.artifacts stays; N8N_E2E_KEEP=1 keeps the folder
		throw e;
	}
	return self;
}
