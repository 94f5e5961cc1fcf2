/**
 * The Graph API stand-in for n8n: the Cloud API emulator plus a TLS front that serves it as
 * https://graph.facebook.com (certificate from ./tls.ts), both in a child process so that neither
 * competes with the benchmark's own event loop (which polls n8n's /healthz).
 *
 * The front forwards every request to the emulator unchanged, except `POST /vNN/oauth/access_token`
 * (app access token, client_credentials), which the emulator does not implement and n8n's built-in
 * WhatsApp Trigger calls before every Graph request it makes on activation: the front answers it
 * with the emulator's token when client_id/client_secret are the emulator's app ID and app secret.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

import type { AcceptedMessage, EmulatorConfig, RequestRecord, SettingsPatch } from '../../emulator';

const READY = 'STANDIN_READY ';
const EVENT = 'STANDIN_EVENT ';

export interface StandIn {
	/** plain http base URL of the emulator (control API; also usable as a Graph base URL) */
	emulatorUrl: string;
	/** port of the TLS front on 127.0.0.1 (443 when it could be bound) */
	graphPort: number;
	config: EmulatorConfig;
	/** oauth/access_token calls answered by the front */
	events: string[];
	/** TLS connections the front has accepted so far (new handshakes: no keep-alive reuse) */
	tlsConnections(): number;
	reset(): Promise<void>;
	configure(patch: SettingsPatch): Promise<void>;
	messages(): Promise<AcceptedMessage[]>;
	requests(): Promise<RequestRecord[]>;
	stop(): Promise<void>;
}

export async function startStandIn(
	tls: { leafKey: string; leafCert: string },
	settings: SettingsPatch,
): Promise<StandIn> {
	const child: ChildProcess = spawn(
		process.execPath,
		['-r', 'ts-node/register/transpile-only', __filename, '--serve'],
		{
			stdio: ['ignore', 'pipe', 'inherit'],
			env: {
				...process.env,
				STANDIN_KEY: tls.leafKey,
				STANDIN_CERT: tls.leafCert,
				STANDIN_SETTINGS: JSON.stringify(settings),
				TS_NODE_TRANSPILE_ONLY: 'true',
			},
		},
	);
	const events: string[] = [];
	let tlsConnections = 0;
	const ready = await new Promise<{ emulatorUrl: string; graphPort: number }>((resolve, reject) => {
		let buffer = '';
		child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
			buffer += chunk;
			let newline: number;
			while ((newline = buffer.indexOf('\n')) >= 0) {
				const line = buffer.slice(0, newline);
				buffer = buffer.slice(newline + 1);
				if (line.startsWith(READY)) resolve(JSON.parse(line.slice(READY.length)));
				else if (line === `${EVENT}tls`) tlsConnections++;
				else if (line.startsWith(EVENT)) events.push(line.slice(EVENT.length));
			}
		});
		child.once('exit', (code) => reject(new Error(`stand-in exited (${code}) before ready`)));
	});
	const control = async (route: string, body?: unknown) => {
		const response = await fetch(`${ready.emulatorUrl}/__emulator/${route}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (response.status >= 300) {
			throw new Error(`emulator ${route} → ${response.status}: ${await response.text()}`);
		}
		return (await response.json()) as Record<string, unknown>;
	};
	const config = (await control('config')) as unknown as EmulatorConfig;
	return {
		...ready,
		config,
		events,
		tlsConnections: () => tlsConnections,
		reset: async () => {
			await control('reset', {});
		},
		configure: async (patch) => {
			await control('settings', patch);
		},
		messages: async () => (await control('messages')).data as AcceptedMessage[],
		requests: async () => (await control('requests')).data as RequestRecord[],
		stop: async () => {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(timer);
		},
	};
}

// ---------------------------------------------------------------------------------------------
// child process

async function listenFront(server: https.Server): Promise<number> {
	const tryPort = (port: number) =>
		new Promise<number>((resolve, reject) => {
			const onError = (error: Error) => reject(error);
			server.once('error', onError);
			server.listen(port, '127.0.0.1', () => {
				server.off('error', onError);
				resolve((server.address() as AddressInfo).port);
			});
		});
	try {
		return await tryPort(443);
	} catch {
		return tryPort(0); // 443 taken or not allowed: the preload then redirects the port
	}
}

async function serve(): Promise<void> {
	// imported here so that the parent process does not load the emulator
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { startEmulator } = require('../../emulator') as typeof import('../../emulator');
	const settings = JSON.parse(process.env.STANDIN_SETTINGS ?? '{}') as SettingsPatch;
	const emulator = await startEmulator({ port: 0, ...settings });
	const target = new URL(emulator.baseUrl);
	const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

	const front = https.createServer(
		{
			key: fs.readFileSync(process.env.STANDIN_KEY!),
			cert: fs.readFileSync(process.env.STANDIN_CERT!),
		},
		(req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const body = Buffer.concat(chunks);
				if (
					req.method === 'POST' &&
					/^\/v\d+\.\d+\/oauth\/access_token\/?(\?|$)/.test(req.url ?? '')
				) {
					const text = body.toString('utf8');
					let params: Record<string, unknown> = {};
					try {
						params = /json/i.test(req.headers['content-type'] ?? '')
							? JSON.parse(text)
							: Object.fromEntries(new URLSearchParams(text));
					} catch {
						params = {};
					}
					const ok =
						String(params.client_id) === emulator.options.appId &&
						String(params.client_secret) === emulator.options.appSecret;
					process.stdout.write(`${EVENT}oauth/access_token ${ok ? 200 : 400}\n`);
					res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' });
					res.end(
						JSON.stringify(
							ok
								? { access_token: emulator.options.token, token_type: 'bearer' }
								: {
										error: {
											message: 'Error validating client secret.',
											type: 'OAuthException',
											code: 1,
										},
									},
						),
					);
					return;
				}
				const headers = { ...req.headers, host: target.host };
				delete headers['content-length'];
				const upstream = http.request(
					{
						host: target.hostname,
						port: target.port,
						method: req.method,
						path: req.url,
						headers: { ...headers, 'content-length': String(body.length) },
						agent,
					},
					(answer) => {
						res.writeHead(answer.statusCode ?? 502, answer.headers);
						answer.pipe(res);
					},
				);
				upstream.on('error', () => {
					if (!res.headersSent) res.writeHead(502);
					res.end();
				});
				upstream.end(body);
			});
		},
	);
	front.keepAliveTimeout = 30_000;
	front.on('secureConnection', () => process.stdout.write(`${EVENT}tls\n`));
	const graphPort = await listenFront(front);
	process.stdout.write(`${READY}${JSON.stringify({ emulatorUrl: emulator.baseUrl, graphPort })}\n`);
	const shutdown = async () => {
		front.closeAllConnections?.();
		front.close();
		await emulator.stop();
		process.exit(0);
	};
	process.once('SIGTERM', () => void shutdown());
	process.once('SIGINT', () => void shutdown());
	// exit with the parent
	setInterval(() => {
		if (process.ppid === 1) void shutdown();
	}, 1000).unref();
}

if (require.main === module && process.argv.includes('--serve')) {
	serve().catch((error: unknown) => {
		process.stderr.write(`stand-in failed: ${String(error)}\n`);
		process.exit(1);
	});
}

export const standInScript = path.basename(__filename);
