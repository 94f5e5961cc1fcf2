/**
 * The emulator in a child process (`test/emulator/cli.ts`), driven through its control API, so the
 * node's thread does not also serve the emulator. Used by profile.ts to separate the two CPU costs.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

import type { AcceptedMessage, EmulatorConfig, RequestRecord, SettingsPatch } from '../emulator';

export interface EmulatorProcess {
	config: EmulatorConfig;
	configure(patch: SettingsPatch): Promise<void>;
	messages(): Promise<AcceptedMessage[]>;
	requests(): Promise<RequestRecord[]>;
	stop(): Promise<void>;
}

export async function startEmulatorProcess(): Promise<EmulatorProcess> {
	const cli = path.join(__dirname, '..', 'emulator', 'cli.ts');
	const child = spawn(
		process.execPath,
		['-r', 'ts-node/register/transpile-only', cli, '--port', '0'],
		{
			stdio: ['ignore', 'pipe', 'inherit'],
		},
	);
	const baseUrl = await new Promise<string>((resolve, reject) => {
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			const match = /Base URL:\s+(http:\/\/\S+)/.exec(output);
			if (match) resolve(match[1]);
		});
		child.once('exit', (code) => reject(new Error(`Emulator process exited (${code}): ${output}`)));
	});
	const control = async (route: string, body?: unknown) => {
		const response = await fetch(`${baseUrl}/__emulator/${route}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return (await response.json()) as Record<string, unknown>;
	};
	const config = (await control('config')) as unknown as EmulatorConfig;
	return {
		config,
		configure: async (patch) => {
			await control('settings', patch);
		},
		messages: async () => (await control('messages')).data as AcceptedMessage[],
		requests: async () => (await control('requests')).data as RequestRecord[],
		stop: async () => {
			child.kill('SIGTERM');
			await new Promise((resolve) => child.once('exit', resolve));
		},
	};
}
