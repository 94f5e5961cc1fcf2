/**
 * The AI Agent human-review workflow of the e2e tests, shared by the single-process and the queue
 * suites: On WhatsApp → AI Agent (n8n's OpenAI Chat Model, pointed at the local stand-in of
 * `chatModel.ts`), whose tool "Send to customer" (this node as a tool) is gated by "Ask the manager"
 * (the generated `whatsAppCloudHitlTool`).
 */
import { NODE_TYPE } from '../harness';
import { DEFAULT_N8N_VERSION } from '../install';
import { textOf, type ChatReply, type ChatRequest } from './chatModel';
import {
	connect,
	locator,
	node,
	triggerNode,
	type CredentialRef,
	type Json,
	type WorkflowNode,
} from './nodes';

/** n8n 2.x generates Human-in-the-Loop tools; 1.x (1.123.81 checked) does not, so there is nothing to test. */
export const N8N_HAS_HITL_TOOLS = Number(DEFAULT_N8N_VERSION.split('.')[0]) >= 2;

export const REFUND_TEXT = 'Your refund of EUR 40 for order #1042 is approved.';
export const MANAGER = '16505550202';

/** The model: call the one tool it is offered with the refund text, then quote what came back. */
export function refundAgent(request: ChatRequest): ChatReply {
	const toolResult = request.messages.find((m) => m.role === 'tool');
	if (toolResult) return { text: `DONE: ${textOf(toolResult)}` };
	const tools = request.tools ?? [];
	if (tools.length !== 1) throw new Error(`expected one tool, got ${tools.length}`);
	return {
		toolCall: {
			name: tools[0].function.name,
			arguments: { toolParameters: { text: REFUND_TEXT }, hitlParameters: {} },
		},
	};
}

/** n8n's OpenAI credential with its Base URL at the stand-in. */
export async function createOpenAiCredential(
	n8n: { createCredential(c: { name: string; type: string; data: Json }): Promise<string> },
	baseUrl: string,
): Promise<CredentialRef> {
	const name = 'OpenAI (local stand-in)';
	const id = await n8n.createCredential({
		name,
		type: 'openAiApi',
		data: { apiKey: 'sk-local-stand-in', url: baseUrl, header: false },
	});
	return { id, name };
}

export function agentReviewWorkflow(options: {
	name: string;
	webhookId: string;
	whatsApp: CredentialRef;
	openAi: CredentialRef;
	phoneNumberId: string;
	triggerVersion?: number;
}): { name: string; nodes: WorkflowNode[]; connections: Json } {
	const { webhookId, whatsApp, openAi, phoneNumberId } = options;
	const credentials = { whatsAppCloudApi: whatsApp };
	const trigger = triggerNode('On WhatsApp', whatsApp, webhookId, { events: ['message'] });
	if (options.triggerVersion) trigger.typeVersion = options.triggerVersion;
	const agent = node('AI Agent', '@n8n/n8n-nodes-langchain.agent', 3.1, {
		promptType: 'define',
		text: '={{ $json.text }}',
		options: { systemMessage: 'You handle refunds. Tell the customer the outcome.' },
	});
	const model = node(
		'OpenAI Chat Model',
		'@n8n/n8n-nodes-langchain.lmChatOpenAi',
		1.2,
		{ model: locator('gpt-4o-mini', 'id'), options: {} },
		{ credentials: { openAiApi: openAi } },
	);
	// n8n's default review message is kept: the test checks what the approver reads from it
	const review = node(
		'Ask the manager',
		`${NODE_TYPE}HitlTool`,
		1,
		{
			phoneNumberId: locator(phoneNumberId, 'id'),
			recipient: `=${MANAGER}`,
			approvalOptions: {
				values: { approvalType: 'double', approveLabel: 'Send it', disapproveLabel: 'No' },
			},
		},
		{ webhookId: `${webhookId}-review`, credentials },
	);
	const sendTool = node(
		'Send to customer',
		`${NODE_TYPE}Tool`,
		1,
		{
			descriptionType: 'manual',
			toolDescription: 'Sends a WhatsApp text message to the customer',
			resource: 'message',
			operation: 'sendText',
			phoneNumberId: locator(phoneNumberId, 'id'),
			recipient: "={{ $('On WhatsApp').first().json.from }}",
			textBody: "={{ $fromAI('text', 'The message for the customer', 'string') }}",
		},
		{ credentials },
	);
	const ai = (from: WorkflowNode, to: WorkflowNode, type: string) => ({
		[from.name]: { [type]: [[{ node: to.name, type, index: 0 }]] },
	});
	return {
		name: options.name,
		nodes: [trigger, agent, model, review, sendTool],
		connections: {
			...connect([trigger.name, agent.name]),
			...ai(model, agent, 'ai_languageModel'),
			...ai(review, agent, 'ai_tool'),
			...ai(sendTool, review, 'ai_tool'),
		},
	};
}

/** The body the approver reads for the refund call (n8n's default message, the input as lines). */
export const REVIEW_BODY = `The agent wants to run this tool: Send_to_customer\n\nInput:\ntext: ${REFUND_TEXT}`;
