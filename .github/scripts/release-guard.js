#!/usr/bin/env node
/**
 * Release guard, run by .github/workflows/release.yml before anything is installed (plain Node,
 * no dependencies). It refuses the release unless
 *   - the pushed tag is `v<version>` (or `<version>`) and equals package.json's version,
 *   - CHANGELOG.md has a dated, non-empty section `## [<version>] - YYYY-MM-DD`,
 *   - package.json's repository (and bugs/homepage) name the GitHub repository the workflow runs
 *     in — npm's provenance ties the package to that repository, and n8n's scanner lints it.
 *
 * In GitHub Actions it reads GITHUB_REF_TYPE, GITHUB_REF_NAME, GITHUB_REPOSITORY and
 * GITHUB_SERVER_URL. Locally (npm run release:check -- …):
 *   node .github/scripts/release-guard.js --tag v0.2.0 --repository owner/name
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z.-]+)?$/;

/** `v1.2.3` / `1.2.3` → `1.2.3`; anything else → null */
function versionFromTag(tag) {
	const version = String(tag ?? '').replace(/^v/, '');
	return SEMVER.test(version) ? version : null;
}

/**
 * The `owner/name` (lowercase) a package.json URL field points at on the given host, or null.
 * Accepts npm's forms: `git+https://host/o/n.git`, `https://host/o/n#readme`, `git@host:o/n.git`,
 * `git://host/o/n`, `ssh://git@host/o/n`, and the shorthands `github:o/n` / `o/n`.
 */
function repositorySlug(value, host = 'github.com') {
	const url = typeof value === 'string' ? value : value?.url;
	if (typeof url !== 'string' || url.trim() === '') return null;
	const text = url.trim();
	const shorthand = /^(?:github:)?([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(text);
	if (shorthand && host === 'github.com') return clean(shorthand[1], shorthand[2]);
	const escapedHost = host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const full = new RegExp(
		`^(?:git\\+)?(?:https?|git|ssh)://(?:[^@/]+@)?${escapedHost}(?::\\d+)?/([^/]+)/([^/#?]+)|^git@${escapedHost}:([^/]+)/([^/#?]+)`,
		'i',
	).exec(text);
	if (!full) return null;
	return clean(full[1] ?? full[3], full[2] ?? full[4]);
}

function clean(owner, name) {
	return `${owner}/${name.replace(/\.git$/, '')}`.toLowerCase();
}

/** The `## [version] - date` section of a Keep a Changelog file: { date, body } or null. */
function changelogSection(changelog, version) {
	const lines = String(changelog).split(/\r?\n/);
	const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const heading = new RegExp(`^##\\s+\\[?${escaped}\\]?(?:\\s+-\\s+(.*))?\\s*$`);
	const start = lines.findIndex((line) => heading.test(line));
	if (start === -1) return null;
	const end = lines.findIndex((line, i) => i > start && /^##\s/.test(line));
	const date = (heading.exec(lines[start])[1] ?? '').trim();
	return { date, body: lines.slice(start + 1, end === -1 ? undefined : end).join('\n') };
}

/**
 * Every reason to refuse the release (empty = go).
 * @param {{ refType?: string, tag?: string, repository?: string, serverUrl?: string,
 *   packageJson: Record<string, any>, changelog: string | null }} input
 */
function checkRelease(input) {
	const { refType, tag, repository, packageJson, changelog } = input;
	const problems = [];
	const version = packageJson.version;
	const host = new URL(input.serverUrl || 'https://github.com').host;

	if (refType !== undefined && refType !== 'tag') {
		problems.push(
			`the workflow runs on a ${refType}, not a tag: releases start from a version tag`,
		);
	}
	const tagVersion = versionFromTag(tag);
	if (!tagVersion) {
		problems.push(`tag "${tag ?? ''}" is not a version tag like v${version ?? '1.2.3'}`);
	} else if (tagVersion !== version) {
		problems.push(`tag ${tag} says ${tagVersion} but package.json's version is ${version}`);
	}

	if (changelog === null) {
		problems.push('CHANGELOG.md is missing');
	} else if (typeof version === 'string') {
		const section = changelogSection(changelog, version);
		if (!section) {
			problems.push(`CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section`);
		} else {
			if (!/^\d{4}-\d{2}-\d{2}$/.test(section.date)) {
				problems.push(
					`CHANGELOG.md's ${version} section is dated "${section.date || 'nothing'}": give it the release date (YYYY-MM-DD)`,
				);
			}
			if (!/^\s*[-*]\s+\S/m.test(section.body)) {
				problems.push(`CHANGELOG.md's ${version} section lists no changes`);
			}
		}
	}

	const expected = String(repository ?? '').toLowerCase();
	if (!/^[^/\s]+\/[^/\s]+$/.test(expected)) {
		problems.push(`the repository the workflow runs in is unknown ("${repository ?? ''}")`);
	} else {
		const fields = [
			['repository', packageJson.repository],
			['bugs', packageJson.bugs],
			['homepage', packageJson.homepage],
		];
		for (const [field, value] of fields) {
			const slug = repositorySlug(value, host);
			if (slug !== expected) {
				problems.push(
					`package.json's ${field} points at ${slug ? `${host}/${slug}` : JSON.stringify(value ?? null)}, not ${host}/${expected} where this workflow runs`,
				);
			}
		}
	}
	return problems;
}

function argument(argv, name) {
	const i = argv.indexOf(`--${name}`);
	return i === -1 ? undefined : argv[i + 1];
}

function main(argv = process.argv.slice(2), env = process.env) {
	const dir = path.resolve(argument(argv, 'dir') ?? path.join(__dirname, '..', '..'));
	const packageJson = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const changelogPath = path.join(dir, 'CHANGELOG.md');
	const fromArgs = argument(argv, 'tag') !== undefined;
	const problems = checkRelease({
		refType: fromArgs ? undefined : env.GITHUB_REF_TYPE,
		tag: argument(argv, 'tag') ?? env.GITHUB_REF_NAME,
		repository: argument(argv, 'repository') ?? env.GITHUB_REPOSITORY,
		serverUrl: env.GITHUB_SERVER_URL,
		packageJson,
		changelog: fs.existsSync(changelogPath) ? fs.readFileSync(changelogPath, 'utf8') : null,
	});
	if (problems.length > 0) {
		process.stderr.write(`Release refused:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
		return 1;
	}
	process.stdout.write(
		`Release ${packageJson.name}@${packageJson.version}: tag, version, CHANGELOG and repository agree\n`,
	);
	return 0;
}

module.exports = { versionFromTag, repositorySlug, changelogSection, checkRelease, main };

if (require.main === module) process.exitCode = main();
