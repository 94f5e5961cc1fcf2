/**
 * How a send fails inside a real n8n (2.41.1, or $N8N_E2E_VERSION), whose request helper wraps
 * errors its own way: a closed port and a host that does not resolve are read as "never sent" and
 * retried; a gateway's 504 after Meta took the message is not retried by default.
 * Needs `npm run build` first; installs n8n into .cache/ on first use.
 */
import { closedPort } from '../support/closedPort';
import type { Emulator } from '../emulator';
import { CREDENTIAL_TYPE, type N8nInstance } from './harness';
import { useN8nWithEmulator } from './support/fixture';
import {
	actionNode,
	connect,
	emulatorCredentialData,
	locator,
	manualTrigger,
	nodeOutput,
	type CredentialRef,
} from './support/nodes';

jest.setTimeout(600_000);

const TO = '16505551234';

describe('send failures on a real n8n', () => {
	const world = useN8nWithEmulator({ logName: 'send-failures' });
	let n8n: N8nInstance;
	let emu: Emulator;
	beforeEach(() => ({ n8n, emu } = world));

	/** Start → Send Text (errors as output, 3 attempts) with a credential pointing at `baseUrl`. */
	async function sendThrough(baseUrl: string) {
		const name = `WhatsApp → ${baseUrl}`;
		const id = await n8n.createCredential({
			name,
			type: CREDENTIAL_TYPE,
			data: { ...emulatorCredentialData(emu), baseUrl },
		});
		const cred: CredentialRef = { id, name };
		const start = manualTrigger();
		const send = actionNode(
			'Send',
			cred,
			{
				resource: 'message',
				operation: 'sendText',
				phoneNumberId: locator(emu.config.phoneNumberIds[0], 'id'),
				recipient: TO,
				textBody: 'hello',
				sendingOptions: { maxAttempts: 3 },
			},
			{ onError: 'continueRegularOutput' },
		);
		const workflowId = await n8n.createWorkflow({
			name: `e2e send failure ${baseUrl}`,
			nodes: [start, send],
			connections: connect([start.name, send.name]),
		});
		const execution = await n8n.execute(workflowId);
		expect(execution.status).toBe('success');
		const [item] = nodeOutput(execution, 'Send');
		return item.json.error as Record<string, unknown>;
	}

	it('a closed port: ECONNREFUSED, never sent, retried up to Max Attempts', async () => {
		const failure = await sendThrough(`http://127.0.0.1:${await closedPort()}`);
		expect(failure).toMatchObject({ code: 'ECONNREFUSED', uncertain: false, attempts: 3 });
	});

	it('a host that does not resolve: a DNS failure, never sent, retried', async () => {
		const failure = await sendThrough('http://whatsapp-emulator.invalid');
		expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(failure.code);
		expect(failure).toMatchObject({ uncertain: false, attempts: 3 });
	});

	it('a bare 504 after Meta took the message: 1 POST, marked uncertain', async () => {
		emu.configure({ faults: { processedErrorRate: 1, processedErrorAnswers: [{ status: 504 }] } });
		const failure = await sendThrough(emu.baseUrl);
		expect(failure).toMatchObject({ code: 504, uncertain: true, attempts: 1 });
		expect(emu.requests().filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(emu.messages()).toHaveLength(1);
	});
});
