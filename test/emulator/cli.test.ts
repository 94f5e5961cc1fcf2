import { spawn } from 'node:child_process';
import * as path from 'node:path';

test('CLI prints base URL and credentials, serves config, stops on SIGTERM', async () => {
	const root = path.resolve(__dirname, '../..');
	const child = spawn(
		process.execPath,
		['-r', 'ts-node/register/transpile-only', 'test/emulator/cli.ts', '--port', '0'],
		{
			cwd: root,
			env: { ...process.env, WA_EMULATOR_TOKEN: 'cli-token', WA_EMULATOR_APP_SECRET: 'cli-secret' },
		},
	);
	let out = '';
	child.stdout.on('data', (c: Buffer) => (out += c.toString()));
	const t0 = Date.now();
	while (!out.includes('Control API')) {
		if (Date.now() - t0 > 20_000 || child.exitCode !== null)
			throw new Error(`CLI did not start: ${out}`);
		await new Promise((r) => setTimeout(r, 50));
	}
	const baseUrl = /Base URL:\s+(\S+)/.exec(out)![1];
	expect(out).toContain('cli-token');
	expect(out).toContain('cli-secret');
	expect(out).toMatch(/WABA ID:\s+\d+/);
	expect(out).toMatch(/Phone number IDs:\s+\d+/);
	const cfg = (await (await fetch(`${baseUrl}/__emulator/config`)).json()) as {
		token: string;
		appSecret: string;
	};
	expect(cfg).toMatchObject({ token: 'cli-token', appSecret: 'cli-secret' });
	const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
	child.kill('SIGTERM');
	expect(await exited).toBe(0);
}, 30_000);
