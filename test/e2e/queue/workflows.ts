/** Workflow fixtures of the queue-mode scenarios. */
import { NODE_TYPE, TRIGGER_NODE_TYPE, type WorkflowJson } from '../harness';

export const BOT_WEBHOOK_ID = 'e2e-queue-bot';
export const BOT_PATH = `${BOT_WEBHOOK_ID}/webhook`;
export const BROADCAST_PATH = 'e2e-queue-broadcast';
/** The same broadcast with Messages per Second = limit ÷ workers. */
export const SHARED_BROADCAST_PATH = 'e2e-queue-broadcast-shared';

const cred = (id: string) => ({ whatsAppCloudApi: { id, name: 'WhatsApp queue e2e' } });

/** Trigger (manual registration, messages only) → reply "echo: <text>" to the sender. */
export function botWorkflow(credId: string, phoneNumberId: string): WorkflowJson {
	return {
		name: 'e2e queue bot',
		nodes: [
			{
				id: 'b0000000-0000-4000-8000-000000000001',
				name: 'WhatsApp Trigger',
				type: TRIGGER_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: BOT_WEBHOOK_ID,
				parameters: { registration: 'manual', events: ['message'], options: {} },
				credentials: cred(credId),
			},
			{
				id: 'b0000000-0000-4000-8000-000000000002',
				name: 'Reply',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					resource: 'message',
					operation: 'sendText',
					phoneNumberId: { __rl: true, mode: 'id', value: phoneNumberId },
					recipient: '={{ $json.from }}',
					textBody: '={{ "echo: " + $json.text }}',
				},
				credentials: cred(credId),
			},
		],
		connections: {
			'WhatsApp Trigger': { main: [[{ node: 'Reply', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * Webhook {recipients:[{to,text}]} → Split Out → send one text per recipient at `messagesPerSecond`
 * (errors continue as output items, so the scenario can count surfaced failures).
 */
export function broadcastWorkflow(
	credId: string,
	phoneNumberId: string,
	messagesPerSecond: number,
	webhookPath = BROADCAST_PATH,
): WorkflowJson {
	return {
		name: `e2e queue broadcast ${webhookPath} (${messagesPerSecond}/s)`,
		nodes: [
			{
				id: 'c0000000-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${webhookPath}-hook`,
				parameters: {
					httpMethod: 'POST',
					path: webhookPath,
					responseMode: 'onReceived',
					options: { responseData: 'noData' },
				},
			},
			{
				id: 'c0000000-0000-4000-8000-000000000002',
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [240, 0],
				parameters: { fieldToSplitOut: 'body.recipients', include: 'noOtherFields', options: {} },
			},
			{
				id: 'c0000000-0000-4000-8000-000000000003',
				name: 'Send',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [480, 0],
				onError: 'continueRegularOutput',
				parameters: {
					resource: 'message',
					operation: 'sendText',
					phoneNumberId: { __rl: true, mode: 'id', value: phoneNumberId },
					recipient: '={{ $json.to }}',
					textBody: '={{ $json.text }}',
					sendingOptions: { messagesPerSecond },
				},
				credentials: cred(credId),
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
		},
	};
}

/** The recipients of broadcast `k` (distinct across broadcasts, so the pair limit never applies). */
export function broadcastRecipients(
	run: string,
	k: number,
	count: number,
): Array<{ to: string; text: string }> {
	return Array.from({ length: count }, (_, i) => ({
		to: `1650${k}${String(i).padStart(6, '0')}`,
		text: `${run} broadcast ${k} item ${i}`,
	}));
}

export const DEDUPE_BOT_WEBHOOK_ID = 'e2e-queue-bot-dedupe';
export const DEDUPE_BOT_PATH = `${DEDUPE_BOT_WEBHOOK_ID}/webhook`;

/**
 * The bot with n8n's Remove Duplicates node ("Remove Items Processed in Previous Executions" on
 * the message ID) between trigger and reply: its history lives in the DB, so every worker sees it.
 */
export function dedupeBotWorkflow(credId: string, phoneNumberId: string): WorkflowJson {
	const wf = botWorkflow(credId, phoneNumberId);
	wf.name = 'e2e queue bot (Remove Duplicates)';
	wf.nodes[0] = {
		...wf.nodes[0],
		id: 'd0000000-0000-4000-8000-000000000001',
		webhookId: DEDUPE_BOT_WEBHOOK_ID,
	};
	wf.nodes[1] = { ...wf.nodes[1], id: 'd0000000-0000-4000-8000-000000000002' };
	wf.nodes.push({
		id: 'd0000000-0000-4000-8000-000000000003',
		name: 'Remove Duplicates',
		type: 'n8n-nodes-base.removeDuplicates',
		typeVersion: 2,
		position: [120, 0],
		parameters: {
			operation: 'removeItemsSeenInPreviousExecutions',
			logic: 'removeItemsWithAlreadySeenKeyValues',
			dedupeValue: '={{ $json.messageId }}',
			options: {},
		},
	});
	wf.connections = {
		'WhatsApp Trigger': { main: [[{ node: 'Remove Duplicates', type: 'main', index: 0 }]] },
		'Remove Duplicates': { main: [[{ node: 'Reply', type: 'main', index: 0 }]] },
	};
	return wf;
}

export const ASK_WEBHOOK_ID = 'e2e-queue-ask';
export const ASK_PATH = `${ASK_WEBHOOK_ID}/webhook`;

/** Trigger → Send and Wait (approve / decline) → "approved=<bool>" to the sender. */
export function askWorkflow(credId: string, phoneNumberId: string): WorkflowJson {
	const phone = { __rl: true, mode: 'id', value: phoneNumberId };
	return {
		name: 'e2e queue send and wait',
		nodes: [
			{
				id: 'c0000000-0000-4000-8000-000000000001',
				name: 'WhatsApp Trigger',
				type: TRIGGER_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: ASK_WEBHOOK_ID,
				parameters: { registration: 'manual', events: ['message'], options: {} },
				credentials: cred(credId),
			},
			{
				id: 'c0000000-0000-4000-8000-000000000002',
				name: 'Ask',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					resource: 'message',
					operation: 'sendAndWait',
					phoneNumberId: phone,
					recipient: '={{ $json.from }}',
					message: 'Ship today?',
					responseType: 'approval',
				},
				credentials: cred(credId),
			},
			{
				id: 'c0000000-0000-4000-8000-000000000003',
				name: 'Follow up',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [480, 0],
				parameters: {
					resource: 'message',
					operation: 'sendText',
					phoneNumberId: phone,
					recipient: '={{ $json.from }}',
					textBody: '={{ "approved=" + $json.approved }}',
				},
				credentials: cred(credId),
			},
		],
		connections: {
			'WhatsApp Trigger': { main: [[{ node: 'Ask', type: 'main', index: 0 }]] },
			Ask: { main: [[{ node: 'Follow up', type: 'main', index: 0 }]] },
		},
	};
}
