/** Runs the real WhatsApp Cloud node (message → sendText) through n8n-core against the emulator. */
import type { INodeExecutionData } from 'n8n-workflow';

import type * as NodeModule from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import { resetLimiters } from '../../nodes/WhatsAppCloud/transport/limiter';
import type { EmulatorConfig } from '../emulator';
import { runNode } from '../nodes/harness';
import type { BroadcastItem, ProcessProfile } from './measure';
import { profiled } from './measure';

// Under ts-node, `…/WhatsAppCloud.node` resolves to the codex file WhatsAppCloud.node.json (Node
// tries .json before ts-node's .ts), so the source file is named with its extension.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { WhatsAppCloud } =
	require('../../nodes/WhatsAppCloud/WhatsAppCloud.node.ts') as typeof NodeModule;

export interface SendTextRun {
	outputs: INodeExecutionData[][];
	error?: Error;
	profile: ProcessProfile;
	/** Date.now() when the node's execution started (the emulator records acceptances in ms). */
	startedAt: number;
}

export interface SendTextOptions {
	/** The emulator's connection data (in this process or another). */
	emulator: { config: EmulatorConfig };
	phoneNumberId: string;
	items: BroadcastItem[];
	messagesPerSecond: number;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
}

/**
 * One node execution with one input item per message. Recipient and text come from expressions,
 * as in a real broadcast workflow. The process-wide limiters are reset first so nothing learned
 * in an earlier scenario carries over.
 */
export async function runSendText(options: SendTextOptions): Promise<SendTextRun> {
	resetLimiters();
	const config = options.emulator.config;
	const startedAt = Date.now();
	const { value, profile } = await profiled(
		async () =>
			await runNode({
				node: new WhatsAppCloud(),
				parameters: {
					resource: 'message',
					operation: 'sendText',
					phoneNumberId: { __rl: true, mode: 'id', value: options.phoneNumberId },
					recipient: '={{ $json.to }}',
					textBody: '={{ $json.text }}',
					sendingOptions: { messagesPerSecond: options.messagesPerSecond },
				},
				items: options.items.map((item) => ({ json: { ...item } })),
				credentials: {
					whatsAppCloudApi: {
						accessToken: config.token,
						appSecret: config.appSecret,
						appId: config.appId,
						businessAccountId: config.wabaId,
						apiVersion: config.apiVersion,
						baseUrl: config.baseUrl,
						verifyToken: 'bench',
					},
				},
				onError: options.onError ?? 'continueErrorOutput',
			}),
	);
	return { outputs: value.outputs, error: value.error, profile, startedAt };
}
