/**
 * `n8n-node cloud-support` (from @n8n/node-cli) must report the package eligible for n8n Cloud
 * verification: strict mode in package.json and the unmodified `@n8n/node-cli/eslint` config.
 * The command exits 0 either way, so its verdict is read from what it prints.
 *
 *   node test/release/cloud-support.mjs [package root, default this repository]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(process.argv[2] ?? path.join(fileURLToPath(import.meta.url), '../../..'));
const require = createRequire(import.meta.url);
// the package exports only ./eslint (dist/configs/eslint.js); its bin sits two levels above dist/
const cliDir = path.resolve(require.resolve('@n8n/node-cli/eslint'), '../../..');
const bin = path.join(
	cliDir,
	JSON.parse(fs.readFileSync(path.join(cliDir, 'package.json'), 'utf8')).bin['n8n-node'],
);

const run = spawnSync(process.execPath, [bin, 'cloud-support'], {
	cwd: root,
	encoding: 'utf8',
	stdio: ['ignore', 'pipe', 'pipe'],
	env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
});
const output = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
const status = /Status:\s*(NOT eligible|eligible)/.exec(output)?.[1];
if (run.status !== 0 || status !== 'eligible') {
	process.stdout.write(output);
	process.stderr.write(`cloud-support: ${status ?? 'no verdict'} (exit ${run.status})\n`);
	process.exit(1);
}
process.stdout.write('✔ n8n-node cloud-support: eligible for n8n Cloud verification\n');
