/**
 * Failures where retrying is safe or not, through n8n-core's real request helper (the dev pair):
 * - no HTTP answer: a closed port and a host that does not resolve are read as such (the request
 *   never left, so they are retried), whatever shape n8n gives the error;
 * - answers that do not say whether Meta processed the call (a 5xx without a Graph error, codes
 *   1, 2, 131000) are not retried by default, and are with "Retry Uncertain Failures";
 * - refusals for a passing reason (131016 …) are retried: Meta did not take the message.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { closedPort } from '../support/closedPort';
import { emulatorCredentials, runNode } from './harness';

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => emu.reset());

const TO = '16505551234';

async function sendText(baseUrl: string, sendingOptions: IDataObject = {}) {
	return await runNode({
		node: new WhatsAppCloud(),
		parameters: {
			resource: 'message',
			operation: 'sendText',
			phoneNumberId: { mode: 'id', value: emu.config.phoneNumberIds[0] },
			recipient: TO,
			textBody: 'hello',
			sendingOptions: { maxAttempts: 3, ...sendingOptions },
		},
		credentials: emulatorCredentials(emu, { baseUrl }),
		continueOnFail: true,
	});
}

const failureOf = (item: INodeExecutionData) => item.json.error as IDataObject;

describe('no HTTP answer, through n8n-core 2.8 (which drops the wrapped error)', () => {
	it('a closed port is ECONNREFUSED: never sent, so retried up to Max Attempts', async () => {
		const result = await sendText(`http://127.0.0.1:${await closedPort()}`);
		const failure = failureOf(result.outputs[0][0]);
		expect(failure).toMatchObject({ code: 'ECONNREFUSED', uncertain: false, attempts: 3 });
		expect(String(failure.message)).not.toContain('may or may not');
	});

	it('a host that does not resolve is a DNS failure: never sent, so retried', async () => {
		const result = await sendText('http://whatsapp-emulator.invalid');
		const failure = failureOf(result.outputs[0][0]);
		expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(failure.code);
		expect(failure).toMatchObject({ uncertain: false, attempts: 3 });
	});
});

describe('answers that do not say whether Meta processed the call (emulator: processed, then this answer)', () => {
	const cases: Array<[string, { status: number; code?: number }]> = [
		['502 without a Graph body', { status: 502 }],
		['504 without a Graph body', { status: 504 }],
		['code 1', { status: 500, code: 1 }],
		['code 2', { status: 503, code: 2 }],
		['code 131000', { status: 500, code: 131000 }],
	];

	it.each(cases)('%s: 1 POST by default, the item says Meta may have it', async (_, answer) => {
		emu.configure({ faults: { processedErrorRate: 1, processedErrorAnswers: [answer] } });
		const result = await sendText(emu.baseUrl);
		const posts = emu.requests().filter((r) => r.method === 'POST' && /\/messages$/.test(r.path));
		expect(posts).toHaveLength(1);
		// Meta did take it: exactly one message
		expect(emu.messages().filter((m) => m.to === TO)).toHaveLength(1);
		expect(emu.stats().duplicates).toBe(0);
		const failure = failureOf(result.outputs[0][0]);
		expect(failure).toMatchObject({
			code: answer.code ?? answer.status,
			uncertain: true,
			attempts: 1,
		});
		expect(String(failure.hint)).toContain('Not retried, to avoid sending the message twice');
	});

	it('with "Retry Uncertain Failures" they are retried, at the documented risk of a duplicate', async () => {
		emu.configure({
			faults: { processedErrorRate: 1, processedErrorAnswers: [{ status: 504 }] },
		});
		const result = await sendText(emu.baseUrl, { retryUncertain: true, maxAttempts: 2 });
		expect(failureOf(result.outputs[0][0])).toMatchObject({ code: 504, attempts: 2 });
		expect(emu.messages().filter((m) => m.to === TO)).toHaveLength(2);
		expect(emu.stats().duplicates).toBe(1);
	});
});

describe('refusals for a passing reason (emulator: refused before processing)', () => {
	it.each([131016, 131057])('%s is retried and the message goes out once', async (code) => {
		emu.configure({ faults: { serverErrorRate: 1, serverErrorCodes: [code] } });
		const pending = sendText(emu.baseUrl, { maxAttempts: 2 });
		// the first attempt fails; let the retry through
		await new Promise((resolve) => setTimeout(resolve, 300));
		emu.configure({ faults: { serverErrorRate: 0 } });
		const result = await pending;
		expect(result.outputs[0][0].json).toMatchObject({ status: 'accepted', attempts: 2 });
		expect(emu.messages().filter((m) => m.to === TO)).toHaveLength(1);
	});
});
