/**
 * n8n's verification scanner (@n8n/scan-community-package), offline: its own `analyzePackage` with
 * its own ESLint configuration (no rule changed, inline disables ignored as the scanner ignores
 * them) on
 *   1. the unpacked `npm pack` tarball — every .js/.ts/.json in it (the analyzer's default set,
 *      wider than the `.js` + package.json the online scan lints), and
 *   2. the sources — the scanner's own SOURCE_FILE_PATTERNS (package.json, nodes/, credentials/).
 * Exits 1 on any error. Needs a built dist/ (npm test builds first).
 *
 *   node test/release/scan.mjs [package root, default this repository]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(process.argv[2] ?? path.join(fileURLToPath(import.meta.url), '../../..'));
const require = createRequire(import.meta.url);
const scannerDir = path.dirname(require.resolve('@n8n/scan-community-package/package.json'));
const fromScanner = createRequire(path.join(scannerDir, 'scanner', 'scanner.mjs'));

const fail = (message) => {
	process.stderr.write(`scan: ${message}\n`);
	process.exit(1);
};

// The scanner declares TypeScript 7, whose package exports only its version, not the compiler
// API that @typescript-eslint's parser loads: every parser in the scan must resolve the project's
// own TypeScript (npm ls typescript shows it at the top of node_modules).
const projectTs = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
	.devDependencies?.typescript;
const parserEntry = fromScanner.resolve('@typescript-eslint/parser');
const pluginEntry = fromScanner.resolve('@n8n/eslint-plugin-community-nodes');
for (const from of [
	parserEntry,
	createRequire(pluginEntry).resolve('@typescript-eslint/typescript-estree'),
]) {
	const tsVersion = createRequire(from)('typescript/package.json').version;
	if (projectTs && tsVersion !== projectTs) {
		fail(`${from} loads TypeScript ${tsVersion}, not the project's ${projectTs}`);
	}
}

// The scanner's lint plugin imports n8n-workflow (its peer dependency), found beside it only
// because the project installs it as a dev dependency.
try {
	createRequire(pluginEntry).resolve('n8n-workflow');
} catch {
	fail(`the scanner's lint plugin (${pluginEntry}) finds no n8n-workflow: install it beside it`);
}

if (!fs.existsSync(path.join(root, 'dist')))
	fail(`${root}/dist is missing: run npm run build first`);

// The scanner makes a temp dir when it is loaded; keep it inside ours and remove both at the end.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-scan-'));
process.env.TMPDIR = work;
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(
	path.join(scannerDir, 'scanner', 'scanner.mjs')
);
const glob = fromScanner('fast-glob');

let failed = false;
try {
	const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', work], {
		cwd: root,
		encoding: 'utf8',
	});
	if (pack.status !== 0) fail(`npm pack failed: ${pack.stderr}`);
	const tarball = path.join(work, JSON.parse(pack.stdout)[0].filename);
	const unpacked = path.join(work, 'package');
	fs.mkdirSync(unpacked);
	const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], {
		encoding: 'utf8',
	});
	if (tar.status !== 0) fail(`tar failed: ${tar.stderr}`);

	const legs = [
		{ name: 'tarball', dir: unpacked, patterns: ['**/*.js', '**/*.ts', '**/*.json'] },
		{ name: 'sources', dir: root, patterns: SOURCE_FILE_PATTERNS },
	];
	for (const { name, dir, patterns } of legs) {
		// the same file set analyzePackage globs, counted so an empty scan cannot pass unnoticed
		const files = glob.sync(patterns, {
			cwd: dir,
			ignore: ['node_modules/**', '**/package-lock.json'],
		});
		const result = await analyzePackage(dir, patterns);
		if (files.length === 0 || !result.passed) {
			failed = true;
			process.stdout.write(
				`✖ ${name}: ${files.length} files, ${result.message ?? 'no files'}\n${result.details ?? ''}\n`,
			);
		} else {
			process.stdout.write(`✔ ${name}: ${files.length} files, 0 errors (${patterns.join(' ')})\n`);
		}
	}
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
