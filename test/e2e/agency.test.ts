/**
 * One Meta app, many clients, on a real n8n (2.41.1, or $N8N_E2E_VERSION) with this package loaded
 * from `npm pack`: three workflows registered automatically against the emulator — one scoped to
 * WABA A, one to number B1 of WABA B, one app-scoped — each getting exactly its own events (see
 * scenarios/agency.ts). Needs `npm run build` first.
 */
import { startEmulator, type Emulator } from '../emulator';
import { AGENCY_ACCOUNTS } from '../emulator/agency';
import { startN8n, type N8nInstance } from './harness';
import { runAgencyScenario } from './scenarios/agency';
import { createEmulatorCredential } from './support/nodes';

jest.setTimeout(600_000);

describe('agency: one app, a workflow per client (real n8n)', () => {
	let n8n: N8nInstance;
	let emu: Emulator;

	beforeAll(async () => {
		// Meta's handshake during activation waits for n8n; on a loaded machine that can take seconds.
		emu = await startEmulator({
			port: 0,
			accounts: AGENCY_ACCOUNTS,
			webhook: { timeoutMs: 20_000 },
		});
		n8n = await startN8n({ logName: 'agency' });
	}, 600_000);

	afterAll(async () => {
		await n8n?.stop();
		await emu?.stop();
	}, 60_000);

	it('WABA A, number B1 and the app each get exactly their events; deactivating and re-activating one moves only its events', async () => {
		const cred = await createEmulatorCredential(n8n, emu);
		const { timings } = await runAgencyScenario({
			n8n,
			emu,
			cred,
			webhookBaseUrl: n8n.webhookBaseUrl,
			prefix: 'agency',
		});
		process.stderr.write(`[e2e agency] n8n ${n8n.version}: ${JSON.stringify(timings)}\n`);
	});
});
