/**
 * WhatsApp Flows on a real n8n: the emulator plays the customer's WhatsApp client against the Flow
 * Trigger's endpoint — health check, a whole booking (INIT → date → slot computed by the workflow →
 * confirm → close, then the nfm_reply at the normal trigger), a stale or foreign public key, a
 * forged signature, a workflow that never answers and one that fails.
 *
 * Flow → Respond is the action node's operation (resource `flow`, operation `respond`); its answer
 * goes through n8n's own respond-to-webhook path (`this.sendResponse` → the webhook's response).
 */
import { randomUUID } from 'node:crypto';

import { startEmulator, type Emulator } from '../emulator';
import { BOOKING_FLOW_JSON } from '../support/bookingFlow';
import type { OpensslKeyPair } from '../support/flowVectors';
import { opensslKeyPair, removeKeyPair, requireOpenssl } from '../support/flowVectors';
import { startN8n, type N8nInstance } from './harness';
import {
	bookingEndpointWorkflow,
	createFlowCredential,
	flowTriggerNode,
} from './support/flowWorkflows';
import {
	connect,
	node,
	nodeOutput,
	triggerNode,
	type CredentialRef,
	type Json,
} from './support/nodes';

jest.setTimeout(600_000);

describe('WhatsApp Flows endpoint on a real n8n', () => {
	let n8n: N8nInstance;
	let emu: Emulator;
	let keys: OpensslKeyPair;
	let foreign: OpensslKeyPair;
	let cred: CredentialRef;
	const ids = {
		booking: randomUUID(),
		silent: randomUUID(),
		failing: randomUUID(),
		chat: randomUUID(),
	};
	const flows: Record<'booking' | 'silent' | 'failing', string> = {
		booking: '',
		silent: '',
		failing: '',
	};
	let bookingWorkflowId = '';
	let chatWorkflowId = '';

	beforeAll(async () => {
		requireOpenssl();
		keys = opensslKeyPair();
		foreign = opensslKeyPair();
		emu = await startEmulator({ port: 0 });
		n8n = await startN8n({ logName: 'flows' });
		cred = await createFlowCredential(n8n, emu, keys, 'WhatsApp (emulator, Flows)');
		const flowTrigger = (id: string) => flowTriggerNode(cred, id);
		bookingWorkflowId = await n8n.createWorkflow(
			bookingEndpointWorkflow(cred, ids.booking, 'e2e Flow booking endpoint'),
		);
		const silentTrigger = flowTrigger(ids.silent);
		const nothing = node('Nothing', 'n8n-nodes-base.noOp', 1, {});
		const silentId = await n8n.createWorkflow({
			name: 'e2e Flow endpoint that never answers',
			nodes: [silentTrigger, nothing],
			connections: connect([silentTrigger.name, nothing.name]),
		});
		const failingTrigger = flowTrigger(ids.failing);
		const fail = node('Fail', 'n8n-nodes-base.stopAndError', 1, {
			errorMessage: 'The booking system is down',
		});
		const failingId = await n8n.createWorkflow({
			name: 'e2e Flow endpoint that fails',
			nodes: [failingTrigger, fail],
			connections: connect([failingTrigger.name, fail.name]),
		});
		const chat = triggerNode('On WhatsApp', cred, ids.chat, { events: ['message'] });
		chatWorkflowId = await n8n.createWorkflow({
			name: 'e2e chat trigger',
			nodes: [chat],
			connections: {},
		});
		for (const id of [bookingWorkflowId, silentId, failingId, chatWorkflowId])
			await n8n.activate(id);
		for (const id of [ids.booking, ids.silent, ids.failing]) await n8n.waitForWebhook(`${id}/flow`);
		await n8n.waitForWebhook(`${ids.chat}/webhook`);
	}, 600_000);

	afterAll(async () => {
		await n8n?.stop();
		await emu?.stop();
		if (keys) removeKeyPair(keys);
		if (foreign) removeKeyPair(foreign);
	}, 60_000);

	beforeEach(() => {
		emu.reset();
		const phones = emu.config.phoneNumberIds;
		emu.flows.uploadPublicKey(phones[0], keys.publicPem);
		emu.flows.uploadPublicKey(phones[1], foreign.publicPem);
		for (const name of ['booking', 'silent', 'failing'] as const) {
			flows[name] = emu.flows.create({
				name,
				categories: ['APPOINTMENT_BOOKING'],
				flow_json: BOOKING_FLOW_JSON,
				endpoint_uri: `${n8n.webhookBaseUrl}${ids[name]}/flow`,
			}).id;
		}
		emu.setCallback(`${n8n.webhookBaseUrl}${ids.chat}/webhook`);
	});

	test('health check: answered by the trigger, no execution', async () => {
		const before = (await n8n.executions(bookingWorkflowId)).length;
		const ping = await emu.flowClient.ping(flows.booking);
		expect(ping).toMatchObject({
			status: 200,
			accepted: true,
			response: { data: { status: 'active' } },
		});
		expect(ping.signature).toMatch(/^sha256=/);
		expect((await n8n.executions(bookingWorkflowId)).length).toBe(before);
	});

	test('a whole booking: the workflow computes each screen, closes the Flow, the nfm_reply arrives', async () => {
		const session = await emu.flowClient.open({
			flowId: flows.booking,
			flowToken: 'booking-e2e-1',
			from: '16505550199',
		});
		expect(session).toMatchObject({ status: 'open', screen: 'PICK_DATE' });
		let step = await emu.flowClient.exchange(session.id, { data: { date: '2026-12-24' } });
		expect(step).toMatchObject({ accepted: true, problems: [] });
		expect(session).toMatchObject({
			screen: 'PICK_SLOT',
			screenData: {
				date: '2026-12-24',
				slots: [
					{ id: '09:00', title: '09:00' },
					{ id: '09:30', title: '09:30' },
				],
			},
		});
		step = await emu.flowClient.exchange(session.id, {
			data: { date: '2026-12-24', slot: '09:30' },
		});
		expect(session).toMatchObject({
			screen: 'CONFIRM',
			screenData: { summary: '2026-12-24 at 09:30' },
		});
		step = await emu.flowClient.exchange(session.id, {
			data: { date: '2026-12-24', slot: '09:30' },
		});
		expect(step.accepted).toBe(true);
		expect(session).toMatchObject({
			status: 'completed',
			completion: {
				flow_token: 'booking-e2e-1',
				date: '2026-12-24',
				slot: '09:30',
				booking: 'B-09:30',
			},
			delivery: { delivered: true },
		});
		// Each answer came within Meta's time; every exchange was one execution.
		expect(session.exchanges.every((x) => x.status === 200 && x.ms < 10_000)).toBe(true);
		const executions = await n8n.waitForExecutions(bookingWorkflowId, { count: 4 });
		expect(executions.slice(0, 4).every((e) => e.status === 'success')).toBe(true);
		// The last execution closed the Flow through the action node's Flow → Respond.
		const closing = await n8n.execution(executions[0].id, { includeData: true });
		expect(nodeOutput(closing, 'Book')[0]?.json.flowResponse).toMatchObject({
			responded: true,
			response: 'close',
			statusCode: 200,
			action: 'data_exchange',
			flowToken: 'booking-e2e-1',
			late: false,
		});
		// The nfm_reply reached the normal trigger as an interactive message.
		const [chat] = await n8n.waitForExecutions(chatWorkflowId, { count: 1 });
		const item = nodeOutput(await n8n.execution(chat.id, { includeData: true }), 'On WhatsApp')[0]
			.json as Json;
		expect(JSON.stringify(item)).toContain('booking-e2e-1');
		expect(JSON.stringify(item)).toContain('nfm_reply');
	});

	test('a stale key is fixed by the client’s refetch; a foreign key and a forged signature are refused', async () => {
		const stale = await emu.flowClient.open({
			flowId: flows.booking,
			flowToken: 't-stale',
			publicKeyPem: foreign.publicPem,
		});
		expect(stale.exchanges.map((x) => [x.status, x.retryOf421 ?? false])).toEqual([[200, true]]);
		expect(stale.screen).toBe('PICK_DATE');

		const wrongNumber = await emu.flowClient.open({
			flowId: flows.booking,
			flowToken: 't-foreign',
			phoneNumberId: emu.config.phoneNumberIds[1],
		});
		expect(wrongNumber).toMatchObject({
			status: 'failed',
			reason: expect.stringMatching(/decrypted/),
		});
		expect(wrongNumber.exchanges[0]).toMatchObject({ status: 421 });

		const forged = await emu.flowClient.ping(flows.booking, undefined, 'bad');
		expect(forged).toMatchObject({ status: 432, accepted: false });
		const unsigned = await emu.flowClient.ping(flows.booking, undefined, 'none');
		expect(unsigned).toMatchObject({ status: 432 });
	});

	test('a workflow that never answers, or fails, gets 500 at once: the customer sees the error', async () => {
		for (const name of ['silent', 'failing'] as const) {
			const t0 = Date.now();
			const session = await emu.flowClient.open({ flowId: flows[name], flowToken: `t-${name}` });
			if (n8n.install.major === 1) {
				// n8n 1.x ends a workflow that never responded, or failed, with an empty 200: no screen decrypts
				// from it, so WhatsApp shows its error all the same (no hang)
				expect(session.exchanges[0]).toMatchObject({ status: 200, accepted: false });
			} else {
				expect({ name, status: session.status, http: session.exchanges[0].status }).toEqual({
					name,
					status: 'failed',
					http: 500,
				});
			}
			expect(Date.now() - t0).toBeLessThan(10_000);
		}
		const logs = n8n.logs();
		expect(logs).not.toContain(keys.passphrase);
		expect(logs).not.toContain(keys.privatePem.split('\n')[1]);
	});
});
