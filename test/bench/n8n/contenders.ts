/**
 * Workflows the n8n benchmarks share (bench:flow, bench:send-and-wait, isolates.ts): this
 * package's Send and Wait and, for scale, n8n's own Wait node and Webhook → Respond to Webhook.
 */
import type { N8nInstance } from '../../e2e/harness';
import { BOOKING_DATA, BOOKING_SCREEN } from '../../e2e/support/flowWorkflows';
import {
	actionNode,
	connect,
	locator,
	node,
	triggerNode,
	until,
	type CredentialRef,
	type WorkflowNode,
} from '../../e2e/support/nodes';

/** The follow-up message a resumed execution sends (how the benchmarks see it resumed). */
export function followUp(
	cred: CredentialRef,
	phoneNumberId: string,
	recipient: string,
): WorkflowNode {
	return actionNode('Follow up', cred, {
		resource: 'message',
		operation: 'sendText',
		phoneNumberId: locator(phoneNumberId, 'id'),
		recipient,
		textBody: 'resumed',
	});
}

/** Our trigger → Send and Wait (approval) → follow-up; the trigger's URL is `<webhookId>/webhook`. */
export function sendAndWaitWorkflow(
	cred: CredentialRef,
	phoneNumberId: string,
	webhookId: string,
	name: string,
) {
	const trigger = triggerNode('On WhatsApp', cred, webhookId, { events: ['message'] });
	const ask = actionNode('Ask', cred, {
		resource: 'message',
		operation: 'sendAndWait',
		phoneNumberId: locator(phoneNumberId, 'id'),
		recipient: '={{ $json.from }}',
		message: 'Ship today?',
		responseType: 'approval',
		waitOptions: { replyAfterAnswer: '' },
	});
	const next = followUp(cred, phoneNumberId, '={{ $json.from }}');
	return {
		name,
		nodes: [trigger, ask, next],
		connections: connect([trigger.name, ask.name], [ask.name, next.name]),
	};
}

/**
 * n8n's Webhook (at `startPath`) → our send of `$execution.resumeUrl` → n8n's Wait node resumed by
 * a POST to that URL → follow-up: the floor for Send and Wait.
 */
export function waitNodeWorkflow(
	cred: CredentialRef,
	phoneNumberId: string,
	startPath: string,
	resumeWebhookId: string,
	name: string,
) {
	const start: WorkflowNode = {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: startPath,
		parameters: { path: startPath, httpMethod: 'POST', responseMode: 'onReceived' },
	};
	const announce = actionNode('Send resume URL', cred, {
		resource: 'message',
		operation: 'sendText',
		phoneNumberId: locator(phoneNumberId, 'id'),
		recipient: '={{ $json.body.to }}',
		textBody: '={{ $execution.resumeUrl }}',
	});
	const wait: WorkflowNode = {
		name: 'Wait',
		type: 'n8n-nodes-base.wait',
		typeVersion: 1.1,
		position: [400, 0],
		webhookId: resumeWebhookId,
		parameters: { resume: 'webhook', httpMethod: 'POST' },
	};
	const next = followUp(cred, phoneNumberId, "={{ $('Webhook').item.json.body.to }}");
	return {
		name,
		nodes: [start, announce, wait, next],
		connections: connect(
			[start.name, announce.name],
			[announce.name, wait.name],
			[wait.name, next.name],
		),
	};
}

/** Resolves once `count` executions of the workflow wait. */
export async function waitingExecutions(
	n8n: N8nInstance,
	workflowId: string,
	count: number,
	timeoutMs = 180_000,
) {
	await until(
		`${count} waiting executions`,
		async () =>
			(await n8n.executions(workflowId, { includeData: false, limit: 250 })).filter(
				(e) => e.status === 'waiting',
			).length >= count,
		timeoutMs,
	);
}

/** n8n's Webhook → Switch → Respond to Webhook with the Flow workflow's own expressions. */
export function webhookFloorWorkflow(path: string, name: string) {
	const body = (expression: string) => expression.replace(/\$json\./g, '$json.body.');
	const webhook = node(
		'Webhook',
		'n8n-nodes-base.webhook',
		2,
		{ httpMethod: 'POST', path, responseMode: 'responseNode', options: {} },
		{ webhookId: path },
	);
	const route = node('Last screen?', 'n8n-nodes-base.switch', 3, {
		mode: 'expression',
		numberOutputs: 2,
		output: "={{ $json.body.screen === 'CONFIRM' ? 1 : 0 }}",
	});
	const respond = (respondName: string, expression: string) =>
		node(respondName, 'n8n-nodes-base.respondToWebhook', 1.1, {
			respondWith: 'text',
			responseBody: `={{ JSON.stringify(${expression}) }}`,
			options: {},
		});
	const next = respond(
		'Next screen',
		`{ screen: ${body(BOOKING_SCREEN).slice(4, -3)}, data: ${body(BOOKING_DATA).slice(4, -3)} }`,
	);
	const close = respond(
		'Book',
		'{ screen: "SUCCESS", data: { extension_message_response: { params: { flow_token: $json.body.flow_token, booking: "B-" + $json.body.data.slot } } } }',
	);
	return {
		name,
		nodes: [webhook, route, next, close],
		connections: connect(
			[webhook.name, route.name],
			[route.name, next.name, 0],
			[route.name, close.name, 1],
		),
	};
}
