/**
 * Shared by the Send and Wait e2e files: a conversation workflow (trigger → Send and Wait → a
 * follow-up text), the customer starting it, and waiting for the resumed execution.
 */
import type { AcceptedMessage, Emulator } from '../../emulator';
import type { N8nInstance } from '../harness';
import type { E2eWorld } from './fixture';
import {
	actionNode,
	connect,
	locator,
	triggerNode,
	until,
	type CredentialRef,
	type Json,
} from './nodes';

export const CUSTOMER = '16505550101';
export const OTHER = '16505550202';

export type SendAndWaitSetup = E2eWorld;

const DEFAULT_FOLLOW_UP =
	'={{ $json.timedOut ? "timed out" : ($json.approved !== undefined ? "approved=" + $json.approved : "choice=" + $json.choice) }}';

/** Trigger → Send and Wait (question from `question`) → a follow-up text to the customer. */
export async function conversation(
	{ n8n, emu, cred }: SendAndWaitSetup,
	webhookId: string,
	question: Json,
	followUpText = DEFAULT_FOLLOW_UP,
	askCred: CredentialRef = cred,
) {
	const phoneNumberId = emu.config.phoneNumberIds[0];
	const trigger = triggerNode('On WhatsApp', cred, webhookId, { events: ['message'] });
	const ask = actionNode('Ask', askCred, {
		resource: 'message',
		operation: 'sendAndWait',
		phoneNumberId: locator(phoneNumberId, 'id'),
		recipient: '={{ $json.from }}',
		message: 'Shall we ship order #1042 today?',
		...question,
	});
	const followUp = actionNode('Follow up', cred, {
		resource: 'message',
		operation: 'sendText',
		phoneNumberId: locator(phoneNumberId, 'id'),
		recipient: `=${CUSTOMER}`,
		textBody: followUpText,
	});
	const workflowId = await n8n.createWorkflow({
		name: `e2e ${webhookId}`,
		nodes: [trigger, ask, followUp],
		connections: connect([trigger.name, ask.name], [ask.name, followUp.name]),
	});
	await n8n.activate(workflowId);
	await n8n.waitForWebhook(`${webhookId}/webhook`);
	const url = `${n8n.webhookBaseUrl}${webhookId}/webhook`;
	return { workflowId, url, phoneNumberId };
}

export const sentTo = (emu: Emulator, to: string, type?: string): AcceptedMessage[] =>
	emu.messages().filter((m) => m.to === to && (!type || m.type === type));

/** The customer writes; the question (a message of `type`) arrives; the execution waits. */
export async function ask(
	{ n8n, emu }: SendAndWaitSetup,
	url: string,
	workflowId: string,
	type = 'interactive',
) {
	const before = emu.messages().length;
	const hello = await emu.deliver(emu.inbound.text(CUSTOMER, 'hi'), { url, maxAttempts: 1 });
	if (hello.statusCodes[0] !== 200) throw new Error(`the trigger answered ${hello.statusCodes}`);
	const question = await until('the question', () =>
		emu
			.messages()
			.slice(before)
			.find((m) => m.type === type),
	);
	const waiting = await until('a waiting execution', async () =>
		(await n8n.executions(workflowId, { includeData: false })).find((e) => e.status === 'waiting'),
	);
	return { question, executionId: waiting.id };
}

/** The execution once it finished successfully (after it resumed). */
export async function resumed(n8n: N8nInstance, executionId: string, timeoutMs?: number) {
	return await until(
		'the resumed execution',
		async () => {
			const e = await n8n.execution(executionId);
			return e.status === 'success' ? e : undefined;
		},
		timeoutMs,
	);
}
