/**
 * The release workflow's guard (.github/scripts/release-guard.js): its checks on crafted inputs,
 * the real package.json/CHANGELOG.md, and the script as the workflow runs it (env, exit code).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface ReleaseInput {
	refType?: string;
	tag?: string;
	repository?: string;
	serverUrl?: string;
	packageJson: Record<string, unknown>;
	changelog: string | null;
}
interface ReleaseGuard {
	versionFromTag(tag: string | undefined): string | null;
	repositorySlug(value: unknown, host?: string): string | null;
	changelogSection(changelog: string, version: string): { date: string; body: string } | null;
	checkRelease(input: ReleaseInput): string[];
}

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, '.github', 'scripts', 'release-guard.js');
// plain CommonJS without declarations (the workflow runs it before anything is installed)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const guard: ReleaseGuard = require(SCRIPT);

const REPO = 'acme/n8n-nodes-whatsapp-cloud';
const packageJson = (overrides: Record<string, unknown> = {}) => ({
	name: 'n8n-nodes-whatsapp-cloud',
	version: '1.4.0',
	repository: { type: 'git', url: `git+https://github.com/${REPO}.git` },
	bugs: { url: `https://github.com/${REPO}/issues` },
	homepage: `https://github.com/${REPO}#readme`,
	...overrides,
});
const CHANGELOG = [
	'# Changelog',
	'',
	'## [1.5.0] - Unreleased',
	'',
	'## [1.4.0] - 2027-01-15',
	'',
	'### Added',
	'',
	'- Something users get.',
	'',
	'## [1.3.0] - 2026-12-01',
	'',
	'- Older.',
].join('\n');
const good = (overrides: Partial<ReleaseInput> = {}): ReleaseInput => ({
	refType: 'tag',
	tag: 'v1.4.0',
	repository: REPO,
	serverUrl: 'https://github.com',
	packageJson: packageJson(),
	changelog: CHANGELOG,
	...overrides,
});

describe('release guard: checks', () => {
	test('a consistent release passes, with or without the v prefix', () => {
		expect(guard.checkRelease(good())).toEqual([]);
		expect(guard.checkRelease(good({ tag: '1.4.0' }))).toEqual([]);
		expect(guard.checkRelease(good({ repository: 'ACME/N8N-Nodes-WhatsApp-Cloud' }))).toEqual([]);
	});

	test('tag and package.json version must agree', () => {
		expect(guard.checkRelease(good({ tag: 'v1.4.1' }))).toEqual([
			"tag v1.4.1 says 1.4.1 but package.json's version is 1.4.0",
		]);
		expect(guard.checkRelease(good({ tag: 'release-1.4.0' }))[0]).toMatch(
			/^tag "release-1.4.0" is not a version tag/,
		);
		expect(guard.checkRelease(good({ tag: undefined }))[0]).toMatch(/is not a version tag/);
		expect(guard.checkRelease(good({ refType: 'branch', tag: 'main' }))[0]).toMatch(
			/runs on a branch, not a tag/,
		);
	});

	test('the CHANGELOG needs a dated, non-empty section for the version', () => {
		const v = (version: string) =>
			guard.checkRelease(good({ tag: `v${version}`, packageJson: packageJson({ version }) }));
		expect(v('1.5.0')).toEqual([
			'CHANGELOG.md\'s 1.5.0 section is dated "Unreleased": give it the release date (YYYY-MM-DD)',
			"CHANGELOG.md's 1.5.0 section lists no changes",
		]);
		expect(v('1.6.0')).toEqual(['CHANGELOG.md has no "## [1.6.0] - YYYY-MM-DD" section']);
		expect(v('1.3.0')).toEqual([]);
		// a version matches whole: "1.4" is not the 1.4.0 section
		expect(guard.changelogSection(CHANGELOG, '1.4')).toBeNull();
		expect(guard.checkRelease(good({ changelog: null }))).toEqual(['CHANGELOG.md is missing']);
	});

	test('repository, bugs and homepage must name the repository the workflow runs in', () => {
		const problems = guard.checkRelease(good({ repository: 'someone-else/fork' }));
		expect(problems).toHaveLength(3);
		expect(problems[0]).toBe(
			"package.json's repository points at github.com/acme/n8n-nodes-whatsapp-cloud, not github.com/someone-else/fork where this workflow runs",
		);
		expect(
			guard.checkRelease(good({ packageJson: packageJson({ repository: undefined }) })),
		).toEqual([
			"package.json's repository points at null, not github.com/acme/n8n-nodes-whatsapp-cloud where this workflow runs",
		]);
		expect(
			guard.checkRelease(
				good({ packageJson: packageJson({ homepage: 'https://www.npmjs.com/package/x' }) }),
			),
		).toEqual([
			'package.json\'s homepage points at "https://www.npmjs.com/package/x", not github.com/acme/n8n-nodes-whatsapp-cloud where this workflow runs',
		]);
		expect(guard.checkRelease(good({ repository: undefined }))).toEqual([
			'the repository the workflow runs in is unknown ("")',
		]);
	});

	test('repository URLs in every form npm accepts', () => {
		const forms = [
			`git+https://github.com/${REPO}.git`,
			`https://github.com/${REPO}`,
			`https://github.com/${REPO}#readme`,
			`https://github.com/${REPO}/issues`,
			`git@github.com:${REPO}.git`,
			`git://github.com/${REPO}.git`,
			`ssh://git@github.com/${REPO}.git`,
			`github:${REPO}`,
			REPO,
		];
		for (const url of forms) expect([url, guard.repositorySlug(url)]).toEqual([url, REPO]);
		expect(guard.repositorySlug({ type: 'git', url: forms[0] })).toBe(REPO);
		expect(guard.repositorySlug(`https://gitlab.com/${REPO}`)).toBeNull();
		expect(guard.repositorySlug(`https://github.com.evil.example/${REPO}`)).toBeNull();
		expect(guard.repositorySlug(`https://ghe.example.com/${REPO}`, 'ghe.example.com')).toBe(REPO);
		expect(guard.repositorySlug('')).toBeNull();
		expect(guard.versionFromTag('v2.0.0-rc.1')).toBe('2.0.0-rc.1');
		expect(guard.versionFromTag('v2.0')).toBeNull();
	});
});

describe('release guard: this repository', () => {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');

	test('package.json names one GitHub repository in repository, bugs and homepage', () => {
		const slug = guard.repositorySlug(pkg.repository);
		expect(slug).not.toBeNull();
		expect(guard.repositorySlug(pkg.bugs)).toBe(slug);
		expect(guard.repositorySlug(pkg.homepage)).toBe(slug);
	});

	test("CHANGELOG.md has a section for package.json's version", () => {
		const section = guard.changelogSection(changelog, pkg.version);
		expect(section).not.toBeNull();
		expect(section?.body).toMatch(/^\s*- \S/m);
		// dated once released; until then the guard refuses the tag (see the next test)
		expect(section?.date).toMatch(/^(Unreleased|\d{4}-\d{2}-\d{2})$/);
	});
});

describe('release guard: as the workflow runs it', () => {
	const run = (dir: string, env: Record<string, string>) =>
		spawnSync(process.execPath, [SCRIPT, '--dir', dir], {
			encoding: 'utf8',
			env: { PATH: process.env.PATH ?? '', GITHUB_SERVER_URL: 'https://github.com', ...env },
		});
	const fixture = (pkg: Record<string, unknown>, changelog: string) => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-guard-'));
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
		fs.writeFileSync(path.join(dir, 'CHANGELOG.md'), changelog);
		return dir;
	};

	test('exit 0 and a one-line go for a consistent tag, exit 1 with every reason otherwise', () => {
		const dir = fixture(packageJson(), CHANGELOG);
		try {
			const ok = run(dir, {
				GITHUB_REF_TYPE: 'tag',
				GITHUB_REF_NAME: 'v1.4.0',
				GITHUB_REPOSITORY: REPO,
			});
			expect([ok.status, ok.stdout.trim()]).toEqual([
				0,
				'Release n8n-nodes-whatsapp-cloud@1.4.0: tag, version, CHANGELOG and repository agree',
			]);
			const bad = run(dir, {
				GITHUB_REF_TYPE: 'tag',
				GITHUB_REF_NAME: 'v1.5.0',
				GITHUB_REPOSITORY: 'someone-else/fork',
			});
			expect(bad.status).toBe(1);
			expect(bad.stderr.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(4);
			expect(bad.stderr).toMatch(/^Release refused:\n {2}- tag v1\.5\.0 says 1\.5\.0/);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	test("this repository's own files: refused while the version is undated, accepted once dated", () => {
		const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
		const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
		const repository = guard.repositorySlug(pkg.repository) ?? '';
		const env = {
			GITHUB_REF_TYPE: 'tag',
			GITHUB_REF_NAME: `v${pkg.version}`,
			GITHUB_REPOSITORY: repository,
		};
		const section = guard.changelogSection(changelog, pkg.version);
		const dated = changelog.replace(
			new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\] - .*$`, 'm'),
			`## [${pkg.version}] - 2027-01-01`,
		);
		const dir = fixture(pkg, dated);
		try {
			expect(run(dir, env).status).toBe(0);
			const asIs = run(ROOT, env);
			expect(asIs.status).toBe(section?.date === 'Unreleased' ? 1 : 0);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
