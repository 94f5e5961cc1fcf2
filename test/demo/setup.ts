/**
 * The demo setup shared by `npm run demo` (run.ts) and the README screenshots (screenshots.ts):
 * the Cloud API emulator, a real n8n (installed into .cache/ on first use, through the e2e harness)
 * with this package loaded, a credential pointing at the emulator and the example workflows from
 * test/demo/workflows/ imported and active.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { startEmulator, type Emulator } from '../emulator';
import { CREDENTIAL_TYPE, OWNER, startN8n, type N8nInstance } from '../e2e/harness';
import { DEFAULT_N8N_VERSION, isInstalled } from '../e2e/install';

export const WORKFLOWS_DIR = path.join(__dirname, 'workflows');
/** The name the example workflows use for their credential. */
export const DEMO_CREDENTIAL_NAME = 'WhatsApp Cloud API (emulator)';
export const SUPPORT_BOT_FILE = 'support-bot.json';
export const DEMO_LOGIN = { email: OWNER.email, password: OWNER.password };

type Json = Record<string, any>;

export interface Demo {
	n8n: N8nInstance;
	emu: Emulator;
	/** workflow file name → n8n id */
	workflowIds: Record<string, string>;
	supportBotId: string;
	credentialId: string;
	stop(): Promise<void>;
}

export interface DemoOptions {
	/** n8n port (the demo uses 5678); 0 = any free port */
	port?: number;
	/** emulator port; default 8089 when free, else any */
	emulatorPort?: number;
	/** progress lines */
	log?: (line: string) => void;
}

export async function portIsFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

export function readWorkflow(file: string): Json {
	return JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8')) as Json;
}

/** Points every node's `whatsAppCloudApi` credential that is referenced by `name` at `id`. */
export function bindCredential(workflow: Json, name: string, id: string): Json {
	const copy = JSON.parse(JSON.stringify(workflow)) as Json;
	for (const node of copy.nodes as Json[]) {
		const ref = node.credentials?.whatsAppCloudApi as Json | undefined;
		if (ref && ref.name === name) ref.id = id;
	}
	return copy;
}

export async function startDemo(opts: DemoOptions = {}): Promise<Demo> {
	const log = opts.log ?? (() => undefined);
	const emulatorPort = opts.emulatorPort ?? ((await portIsFree(8089)) ? 8089 : 0);
	const emu = await startEmulator({
		port: emulatorPort,
		// Meta's receipts, slowed down a little so the ticks are visible in the transcript
		autoStatuses: { enabled: true, sentMs: 150, deliveredMs: 450, readMs: 900 },
	});
	log(`Cloud API emulator on ${emu.baseUrl}`);
	let n8n: N8nInstance | undefined;
	try {
		if (!isInstalled(DEFAULT_N8N_VERSION)) {
			log(
				`Installing n8n ${DEFAULT_N8N_VERSION} into .cache/ — first run only, takes 4–7 minutes (progress below)…`,
			);
		}
		log(`Starting n8n ${DEFAULT_N8N_VERSION} with this package loaded…`);
		n8n = await startN8n({
			...(opts.port ? { port: opts.port } : {}),
			logName: 'demo',
		});
		log(`n8n is up on ${n8n.baseUrl}`);
		const c = emu.config;
		const credentialId = await n8n.createCredential({
			name: DEMO_CREDENTIAL_NAME,
			type: CREDENTIAL_TYPE,
			data: {
				accessToken: c.token,
				appSecret: c.appSecret,
				appId: c.appId,
				businessAccountId: c.wabaId,
				verifyToken: 'demo-verify-token',
				apiVersion: c.apiVersion,
				baseUrl: emu.baseUrl,
			},
		});
		const workflowIds: Record<string, string> = {};
		for (const file of fs
			.readdirSync(WORKFLOWS_DIR)
			.filter((f) => f.endsWith('.json'))
			.sort()) {
			const wf = bindCredential(readWorkflow(file), DEMO_CREDENTIAL_NAME, credentialId);
			workflowIds[file] = await n8n.createWorkflow({
				name: wf.name,
				nodes: wf.nodes,
				connections: wf.connections,
				settings: wf.settings,
			});
		}
		const supportBotId = workflowIds[SUPPORT_BOT_FILE];
		// Activation runs the trigger's automatic registration against the emulator: it points the
		// app's webhook at n8n (the emulator performs Meta's GET handshake) and subscribes the WABA.
		await n8n.activate(supportBotId);
		const bot = readWorkflow(SUPPORT_BOT_FILE);
		const trigger = (bot.nodes as Json[]).find((n) => /whatsAppCloudTrigger$/.test(n.type));
		await n8n.waitForWebhook(`${trigger!.webhookId}/webhook`);
		// the registration may finish just after the API call returns
		const deadline = Date.now() + 30_000;
		while (!emu.callback?.url && Date.now() < deadline)
			await new Promise((r) => setTimeout(r, 100));
		if (!emu.callback?.url)
			throw new Error('the trigger did not register its webhook at the emulator');
		log(`Support bot active; the emulator delivers webhooks to ${emu.callback.url}`);
		const started = n8n;
		return {
			n8n: started,
			emu,
			workflowIds,
			supportBotId,
			credentialId,
			async stop() {
				await started.stop();
				await emu.stop();
			},
		};
	} catch (error) {
		await n8n?.stop();
		await emu.stop();
		throw error;
	}
}
