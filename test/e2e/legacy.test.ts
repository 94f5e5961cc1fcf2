/**
 * The second n8n line: 1.123.81 on the system Node 20 (LEGACY_N8N_VERSION in install.ts). Opt-in,
 * because a cold install takes ~3–4 minutes more:
 *
 *   N8N_E2E_LEGACY=1 npx jest --selectProjects e2e --testPathPattern legacy
 *
 * Runs a smoke check (package loads, credential, webhook round trip) and scenario 1 (conversation).
 * The whole suite also runs on it: N8N_E2E_VERSION=1.123.81 npx jest --selectProjects e2e
 */
import { startEmulator, type Emulator } from '../emulator';
import {
	CREDENTIAL_TYPE,
	NODE_TYPE,
	startN8n,
	TRIGGER_NODE_TYPE,
	type N8nInstance,
} from './harness';
import { LEGACY_N8N_VERSION } from './install';
import { CUSTOMER, runConversation } from './scenarios/conversation';
import { createEmulatorCredential, sleep, triggerNode, type CredentialRef } from './support/nodes';

jest.setTimeout(600_000);

const enabled = process.env.N8N_E2E_LEGACY === '1';

(enabled ? describe : describe.skip)(`n8n ${LEGACY_N8N_VERSION} (N8N_E2E_LEGACY=1)`, () => {
	let n8n: N8nInstance;
	let emu: Emulator;
	let cred: CredentialRef;

	beforeAll(async () => {
		emu = await startEmulator({ port: 0 });
		n8n = await startN8n({ version: LEGACY_N8N_VERSION, logName: 'legacy' });
	}, 600_000);

	afterAll(async () => {
		await n8n?.stop();
		await emu?.stop();
	}, 60_000);

	beforeEach(() => emu.reset());

	it('smoke: loads the package (credential, action, trigger) and stores a credential', async () => {
		expect(n8n.version).toBe(LEGACY_N8N_VERSION);
		expect(await n8n.credentialTypes()).toContain(CREDENTIAL_TYPE);
		const types = await n8n.nodeTypes();
		expect(types).toEqual(expect.arrayContaining([NODE_TYPE, TRIGGER_NODE_TYPE]));
		cred = await createEmulatorCredential(n8n, emu);
		expect(cred.id).toBeTruthy();
	});

	it('scenario 1: conversation (reply buttons quoting the message, template on button tap)', async () => {
		await runConversation(n8n, emu, cred, 'legacy-conversation');
	});

	it('scenario 2: a forged webhook gets 401 and starts nothing', async () => {
		const webhookId = 'legacy-forged';
		const id = await n8n.createWorkflow({
			name: 'legacy forged',
			nodes: [triggerNode('On WhatsApp event', cred, webhookId)],
			connections: {},
		});
		await n8n.activate(id);
		await n8n.waitForWebhook(`${webhookId}/webhook`);
		const url = `${n8n.webhookBaseUrl}${webhookId}/webhook`;
		const bad = await emu.deliver(emu.inbound.text(CUSTOMER, 'x'), {
			url,
			signature: 'bad',
			maxAttempts: 1,
		});
		expect(bad.statusCodes).toEqual([401]);
		await sleep(1000);
		expect(await n8n.executions(id, { includeData: false })).toHaveLength(0);
	});
});
