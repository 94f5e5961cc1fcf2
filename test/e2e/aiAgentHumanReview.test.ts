/**
 * The node as an AI Agent's human review on a real n8n: the customer writes, n8n's AI Agent decides
 * to send them a WhatsApp message through this package's node as a tool, and the tool is gated by the
 * generated Human-in-the-Loop tool (`whatsAppCloudHitlTool`): the manager gets native Approve /
 * Decline buttons, the tap reaches the trigger, the execution resumes, and only an approval runs the
 * gated tool. The chat model is n8n's OpenAI Chat Model node pointed at a local stand-in
 * (`support/chatModel.ts`) that answers with a tool call and then with a final text.
 */
import type { AcceptedMessage } from '../emulator';
import { NODE_TYPE } from './harness';
import {
	MANAGER,
	N8N_HAS_HITL_TOOLS,
	REFUND_TEXT,
	REVIEW_BODY,
	agentReviewWorkflow,
	createOpenAiCredential,
	refundAgent,
} from './support/agentReview';
import { startChatModel, textOf, type ChatModelServer } from './support/chatModel';
import { useN8nWithEmulator } from './support/fixture';
import { nodeOutput, sleep, until, type CredentialRef } from './support/nodes';
import * as saw from './support/sendAndWait';
import { CUSTOMER } from './support/sendAndWait';

jest.setTimeout(600_000);

type Obj = Record<string, any>;

(N8N_HAS_HITL_TOOLS ? describe : describe.skip)(
	'Send and Wait as an AI Agent human review on a real n8n',
	() => {
		const world = useN8nWithEmulator({ logName: 'ai-agent-review' });
		let llm: ChatModelServer;
		let openAi: CredentialRef;

		beforeAll(async () => {
			llm = await startChatModel(refundAgent);
			openAi = await createOpenAiCredential(world.n8n, llm.baseUrl);
		}, 60_000);

		afterAll(async () => {
			await llm?.stop();
		});

		beforeEach(() => {
			llm.requests.length = 0;
		});

		async function refundWorkflow(webhookId: string) {
			const { n8n, emu, cred } = world;
			const workflowId = await n8n.createWorkflow(
				agentReviewWorkflow({
					name: `e2e ${webhookId}`,
					webhookId,
					whatsApp: cred,
					openAi,
					phoneNumberId: emu.config.phoneNumberIds[0],
				}),
			);
			await n8n.activate(workflowId);
			await n8n.waitForWebhook(`${webhookId}/webhook`);
			return { workflowId, url: `${n8n.webhookBaseUrl}${webhookId}/webhook` };
		}

		/** The customer writes; the manager's approval question arrives; the execution waits. */
		async function customerAsks(url: string, workflowId: string) {
			const { n8n, emu } = world;
			const hello = await emu.deliver(emu.inbound.text(CUSTOMER, 'I want my refund for #1042'), {
				url,
				maxAttempts: 1,
			});
			expect(hello.statusCodes).toEqual([200]);
			const question = await until(
				'the approval question',
				() => saw.sentTo(emu, MANAGER, 'interactive')[0],
				60_000,
			);
			const waiting = await until('a waiting execution', async () =>
				(await n8n.executions(workflowId, { includeData: false })).find(
					(e) => e.status === 'waiting',
				),
			);
			return { question, executionId: waiting.id };
		}

		async function managerTaps(url: string, question: AcceptedMessage, index: 0 | 1) {
			const { emu } = world;
			const button = (question.body.interactive as Obj).action.buttons[index].reply;
			const payload = emu.inbound.buttonReply(MANAGER, button.id, button.title, {
				context: { from: '15550783881', id: question.wamid },
			});
			const delivery = await emu.deliver(payload, { url, maxAttempts: 1 });
			expect(delivery.statusCodes).toEqual([200]);
		}

		const toCustomer = () =>
			saw.sentTo(world.emu, CUSTOMER, 'text').map((m) => (m.body.text as Obj).body as string);

		it('n8n lists the node as a Human-in-the-Loop tool and as a tool', async () => {
			const types = await world.n8n.nodeTypes();
			expect(types).toContain(`${NODE_TYPE}HitlTool`);
			expect(types).toContain(`${NODE_TYPE}Tool`);
		});

		it("approved: the manager's tap runs the gated tool once and the agent gets its result", async () => {
			const { workflowId, url } = await refundWorkflow('e2e-agent-approve');
			const { question, executionId } = await customerAsks(url, workflowId);

			// the manager sees what the agent wants to do, with the agent's own arguments
			const interactive = question.body.interactive as Obj;
			expect(interactive.type).toBe('button');
			expect(interactive.action.buttons.map((b: Obj) => b.reply.title)).toEqual(['Send it', 'No']);
			// n8n's default message, with the tool's input readable (not "[object Object]")
			expect(interactive.body.text).toBe(REVIEW_BODY);
			// nothing reached the customer while the manager has not answered
			await sleep(1000);
			expect(toCustomer()).toEqual([]);
			expect(llm.requests).toHaveLength(1);

			// someone else tapping the manager's button resumes nothing
			const button = interactive.action.buttons[0].reply;
			await world.emu.deliver(world.emu.inbound.buttonReply(CUSTOMER, button.id, button.title), {
				url,
				maxAttempts: 1,
			});
			await sleep(1500);
			expect((await world.n8n.execution(executionId, { includeData: false })).status).toBe(
				'waiting',
			);

			await managerTaps(url, question, 0);
			const done = await saw.resumed(world.n8n, executionId, 60_000);
			expect(toCustomer()).toEqual([REFUND_TEXT]);
			const [answer] = nodeOutput(done, 'AI Agent');
			expect(String(answer.json.output)).toMatch(/^DONE: /);
			// the model's second turn carried the gated tool's result (the message Meta accepted)
			expect(llm.requests).toHaveLength(2);
			const toolMessage = llm.requests[1].messages.find((m) => m.role === 'tool');
			expect(textOf(toolMessage!)).toContain('wamid.');
		});

		it('declined: the gated tool never runs and the agent is told the manager rejected it', async () => {
			const { workflowId, url } = await refundWorkflow('e2e-agent-decline');
			const { question, executionId } = await customerAsks(url, workflowId);
			await managerTaps(url, question, 1);
			const done = await saw.resumed(world.n8n, executionId, 60_000);
			expect(nodeOutput(done, 'AI Agent')[0].json.output).toMatch(/^DONE: /);
			const toolMessage = llm.requests[1].messages.find((m) => m.role === 'tool');
			expect(textOf(toolMessage!)).toContain('rejected');
			await sleep(1000);
			expect(toCustomer()).toEqual([]);
		});
	},
);
