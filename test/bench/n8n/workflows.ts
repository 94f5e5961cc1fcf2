/** Workflow JSON for every contender, built the way a user would configure the nodes. */
import { randomUUID } from 'node:crypto';

import type { WorkflowJson } from '../../e2e/harness';
import { NODE_TYPE, TRIGGER_NODE_TYPE, TRIGGER_VERSION } from '../../e2e/harness';

export const SENDER_NODE = 'Send';
export const TRIGGER_NODE = 'Trigger';

export type BroadcastContender = 'ours' | 'httpRequest' | 'httpRequestBatched' | 'builtin';
/** `webhookNodeHeaderAuth`: n8n's Webhook node behind Header Auth, refusing what lacks the header. */
/** `oursNoDedupe`: our trigger with the de-duplication window at 0, to price the de-duplication. */
export type TriggerContender =
	'ours' | 'oursNoDedupe' | 'webhookNode' | 'builtin' | 'webhookNodeHeaderAuth';

/** Recipients of one run: 1555 + a two-digit run number + a five-digit index (11 digits). */
export function recipient(run: number, index: number): string {
	return `1555${String(run).padStart(2, '0')}${String(index).padStart(5, '0')}`;
}

function codeNode(run: number, count: number) {
	// The same Code node (JavaScript, "Run once for all items") feeds every contender.
	const jsCode = [
		'const items = [];',
		`for (let i = 0; i < ${count}; i++) {`,
		`\tconst to = '1555${String(run).padStart(2, '0')}' + String(i).padStart(5, '0');`,
		`\titems.push({ json: { to, text: 'Benchmark run ${run}, message ' + i } });`,
		'}',
		'return items;',
	].join('\n');
	return {
		id: randomUUID(),
		name: 'Recipients',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [200, 0],
		parameters: { jsCode },
	};
}

const manualTrigger = () => ({
	id: randomUUID(),
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
});

export interface SenderSetup {
	credentialId: string;
	credentialName: string;
	phoneNumberId: string;
	token: string;
	/** ours: the node's Messages per Second (default 80); httpRequestBatched: the batch size per
	 * second (default 80) */
	messagesPerSecond?: number;
}

function senderNode(contender: BroadcastContender, setup: SenderSetup) {
	const base = {
		id: randomUUID(),
		name: SENDER_NODE,
		position: [400, 0],
		// every contender keeps going on errors so that each item's outcome can be counted
		onError: 'continueErrorOutput',
	};
	if (contender === 'ours') {
		return {
			...base,
			type: NODE_TYPE,
			typeVersion: 1,
			parameters: {
				resource: 'message',
				operation: 'sendText',
				phoneNumberId: { __rl: true, mode: 'id', value: setup.phoneNumberId },
				recipient: '={{ $json.to }}',
				textBody: '={{ $json.text }}',
				sendingOptions: setup.messagesPerSecond
					? { messagesPerSecond: setup.messagesPerSecond }
					: {},
			},
			credentials: { whatsAppCloudApi: { id: setup.credentialId, name: setup.credentialName } },
		};
	}
	if (contender === 'builtin') {
		return {
			...base,
			type: 'n8n-nodes-base.whatsApp',
			typeVersion: 1.1,
			parameters: {
				resource: 'message',
				operation: 'send',
				phoneNumberId: setup.phoneNumberId,
				recipientPhoneNumber: '={{ $json.to }}',
				messageType: 'text',
				textBody: '={{ $json.text }}',
				additionalFields: {},
			},
			credentials: { whatsAppApi: { id: setup.credentialId, name: setup.credentialName } },
		};
	}
	// HTTP Request node as in Meta's "Send messages" docs: POST, bearer header, JSON body
	return {
		...base,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `https://graph.facebook.com/v23.0/${setup.phoneNumberId}/messages`,
			sendHeaders: true,
			headerParameters: {
				parameters: [{ name: 'Authorization', value: `Bearer ${setup.token}` }],
			},
			sendBody: true,
			specifyBody: 'json',
			jsonBody:
				'={\n  "messaging_product": "whatsapp",\n  "to": "{{ $json.to }}",\n  "type": "text",\n  "text": { "body": "{{ $json.text }}" }\n}',
			options:
				contender === 'httpRequestBatched'
					? {
							batching: {
								batch: { batchSize: setup.messagesPerSecond ?? 80, batchInterval: 1000 },
							},
						}
					: {},
		},
	};
}

export function broadcastWorkflow(
	contender: BroadcastContender,
	run: number,
	count: number,
	setup: SenderSetup,
): WorkflowJson {
	const nodes = [manualTrigger(), codeNode(run, count), senderNode(contender, setup)];
	return {
		name: `bench broadcast ${contender} run ${run}`,
		nodes,
		connections: {
			Start: { main: [[{ node: 'Recipients', type: 'main', index: 0 }]] },
			Recipients: { main: [[{ node: SENDER_NODE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

export interface TriggerSetup {
	credentialId?: string;
	credentialName?: string;
	webhookId: string;
}

/** Path under /webhook/ where the contender's POST endpoint is served. */
export function triggerPath(contender: TriggerContender, webhookId: string): string {
	// n8n's Webhook node has isFullPath: /webhook/<path>; the others /webhook/<webhookId>/webhook
	return contender === 'webhookNode' || contender === 'webhookNodeHeaderAuth'
		? `bench/${webhookId}`
		: `${webhookId}/webhook`;
}

export function triggerWorkflow(contender: TriggerContender, setup: TriggerSetup): WorkflowJson {
	const base = {
		id: randomUUID(),
		name: TRIGGER_NODE,
		position: [0, 0],
		webhookId: setup.webhookId,
	};
	let node: Record<string, unknown>;
	if (contender === 'ours' || contender === 'oursNoDedupe') {
		node = {
			...base,
			type: TRIGGER_NODE_TYPE,
			typeVersion: TRIGGER_VERSION,
			parameters: {
				registration: 'manual',
				options: contender === 'oursNoDedupe' ? { dedupeWindowMinutes: 0 } : {},
			},
			credentials: {
				whatsAppCloudApi: { id: setup.credentialId, name: setup.credentialName },
			},
		};
	} else if (contender === 'builtin') {
		node = {
			...base,
			type: 'n8n-nodes-base.whatsAppTrigger',
			typeVersion: 1,
			parameters: { updates: ['messages'], options: {} },
			credentials: {
				whatsAppTriggerApi: { id: setup.credentialId, name: setup.credentialName },
			},
		};
	} else {
		const headerAuth = contender === 'webhookNodeHeaderAuth';
		node = {
			...base,
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			parameters: {
				httpMethod: 'POST',
				path: `bench/${setup.webhookId}`,
				...(headerAuth ? { authentication: 'headerAuth' } : {}),
				responseMode: 'onReceived',
				options: {},
			},
			...(headerAuth
				? {
						credentials: { httpHeaderAuth: { id: setup.credentialId, name: setup.credentialName } },
					}
				: {}),
		};
	}
	return {
		name: `bench trigger ${contender}`,
		nodes: [node],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}
