/**
 * Send and Wait beyond a single question on a real n8n: outside the 24-hour window (Meta's 131047)
 * the question goes out as an approved template whose quick replies carry the answer ids; a loop
 * that asks twice in one execution takes only the current round's tap; a replayed or new tap
 * for a finished execution resumes nothing. The emulator plays Meta and the customer.
 */
import type { AcceptedMessage, Emulator } from '../emulator';
import type { N8nInstance } from './harness';
import { useN8nWithEmulator } from './support/fixture';
import {
	actionNode,
	connect,
	ifEquals,
	locator,
	nodeOutput,
	seededTemplate,
	sleep,
	templateMapperValue,
	triggerNode,
	until,
	type CredentialRef,
	type Json,
	type WorkflowNode,
} from './support/nodes';

jest.setTimeout(600_000);

const CUSTOMER = '16505550111';
const BUSINESS = '15550783881';
const LATE_REPLY = 'This question has already been answered or is no longer open.';

type Obj = Record<string, any>;

describe('Send and Wait: templates outside the window, loops, replays (real n8n)', () => {
	const world = useN8nWithEmulator({ logName: 'send-and-wait-template' });
	let n8n: N8nInstance;
	let emu: Emulator;
	let cred: CredentialRef;
	beforeEach(() => ({ n8n, emu, cred } = world));

	const phoneNumberId = () => emu.config.phoneNumberIds[0];

	function askNode(question: Json): WorkflowNode {
		return actionNode('Ask', cred, {
			resource: 'message',
			operation: 'sendAndWait',
			phoneNumberId: locator(phoneNumberId(), 'id'),
			recipient: '={{ $("On WhatsApp").first().json.from }}',
			message: 'Shall we ship order #1042 today?',
			...question,
		});
	}

	type Execution = Parameters<typeof nodeOutput>[0];
	const askRuns = (e: Execution): Obj[] => e.data?.resultData.runData.Ask ?? [];
	/** The run of Ask that waits now (n8n records it, with its input passed through, until it resumes). */
	const waitingRun = (e: Execution) =>
		askRuns(e).findIndex((run) => run.executionStatus === 'waiting');
	/** What Ask's finished runs put out: the answers taken so far. */
	const answers = (e: Execution): Obj[] =>
		askRuns(e)
			.filter((run) => run.executionStatus !== 'waiting')
			.flatMap((run) => run.data?.main?.[0] ?? []);

	const followUp = () =>
		actionNode('Follow up', cred, {
			resource: 'message',
			operation: 'sendText',
			phoneNumberId: locator(phoneNumberId(), 'id'),
			recipient: `=${CUSTOMER}`,
			textBody:
				'={{ $json.approved !== undefined ? "approved=" + $json.approved + " (" + $json.answer + ")" : "choice=" + $json.choice }}',
		});

	async function deploy(webhookId: string, nodes: WorkflowNode[], connections: Json) {
		const trigger = triggerNode('On WhatsApp', cred, webhookId, { events: ['message'] });
		const workflowId = await n8n.createWorkflow({
			name: `e2e ${webhookId}`,
			nodes: [trigger, ...nodes],
			connections: { ...connect([trigger.name, 'Ask']), ...connections },
		});
		await n8n.activate(workflowId);
		await n8n.waitForWebhook(`${webhookId}/webhook`);
		return { workflowId, url: `${n8n.webhookBaseUrl}${webhookId}/webhook` };
	}

	const texts = () =>
		emu
			.messages()
			.filter((m) => m.to === CUSTOMER && m.type === 'text')
			.map((m) => String((m.body.text as Obj).body));

	async function hello(url: string) {
		const delivery = await emu.deliver(emu.inbound.text(CUSTOMER, 'hi'), { url, maxAttempts: 1 });
		expect(delivery.statusCodes).toEqual([200]);
	}

	/** The n-th question (interactive or template) the customer got, once the execution waits on it. */
	async function question(workflowId: string, n: number) {
		const sent = await until(`question ${n}`, () => {
			const questions = emu
				.messages()
				.filter((m) => m.to === CUSTOMER && (m.type === 'interactive' || m.type === 'template'));
			return questions[n - 1];
		});
		const waiting = await until('a waiting execution', async () =>
			(await n8n.executions(workflowId, { includeData: false })).find(
				(e) => e.status === 'waiting',
			),
		);
		return { sent, executionId: waiting.id as string };
	}

	/** The answer ids a question carries: reply button ids, or the template's quick-reply payloads. */
	function answerIds(sent: AcceptedMessage): string[] {
		if (sent.type === 'template') {
			const components = (sent.body.template as Obj).components as Obj[];
			return components
				.filter((c) => c.type === 'button' && c.sub_type === 'quick_reply')
				.map((c) => c.parameters[0].payload);
		}
		return (sent.body.interactive as Obj).action.buttons.map((b: Obj) => b.reply.id);
	}

	async function deliver(url: string, payload: Parameters<Emulator['deliver']>[0]) {
		const delivery = await emu.deliver(payload, { url, maxAttempts: 1 });
		expect(delivery.statusCodes).toEqual([200]);
	}

	const buttonTap = (sent: AcceptedMessage, index: number, title: string) =>
		emu.inbound.buttonReply(CUSTOMER, answerIds(sent)[index], title, {
			context: { from: BUSINESS, id: sent.wamid },
		});

	async function finished(executionId: string) {
		return await until('the finished execution', async () => {
			const e = await n8n.execution(executionId);
			return e.status === 'success' ? e : undefined;
		});
	}

	const orderUpdate = seededTemplate('order_update', 'en_US');
	const templateFields = (windowClosed: string) => ({
		windowClosed,
		businessAccountId: locator(emu.config.wabaId, 'id'),
		template: locator('order_update|en_US', 'list', 'order_update (en_US)'),
		templateVariables: templateMapperValue(orderUpdate, {
			'header.text.1': '#1042',
			'body.1': 'Ana',
			'body.2': '#1042',
			'body.3': 'Monday',
		}),
	});

	it('131047: the approval goes out as the template; tapping its quick reply (a `button` message) resumes with the answer', async () => {
		const { workflowId, url } = await deploy(
			'e2e-saw-tpl-fallback',
			[askNode({ responseType: 'approval', ...templateFields('fallback') }), followUp()],
			connect(['Ask', 'Follow up']),
		);
		// Meta refuses the interactive question once: the customer wrote more than 24 hours ago
		emu.queueError(CUSTOMER, 131047, 1);
		await hello(url);
		const { sent, executionId } = await question(workflowId, 1);
		expect(sent.type).toBe('template');
		expect((sent.body.template as Obj).name).toBe('order_update');
		const [approveId, declineId] = answerIds(sent);
		expect(approveId).toMatch(/^n8nwa1~/);
		expect(declineId).toMatch(/^n8nwa1~/);
		expect(emu.requests().some((r) => r.code === 131047)).toBe(true);

		// another person's tap on the same payload resumes nothing
		await deliver(
			url,
			emu.inbound.button('16505550999', 'Cancel', declineId, {
				context: { from: BUSINESS, id: sent.wamid },
			}),
		);
		await sleep(1500);
		expect((await n8n.execution(executionId, { includeData: false })).status).toBe('waiting');

		// the customer taps the template's second quick reply, "Cancel": decline
		await deliver(
			url,
			emu.inbound.button(CUSTOMER, 'Cancel', declineId, {
				context: { from: BUSINESS, id: sent.wamid },
			}),
		);
		const done = await finished(executionId);
		expect(nodeOutput(done, 'Ask')[0].json).toMatchObject({
			approved: false,
			answer: 'Cancel',
			from: CUSTOMER,
			questionMessageId: sent.wamid,
		});
		await until('follow-up', () => texts().includes('approved=false (Cancel)'));
		expect(texts()).toContain('Thank you, your answer was received: Cancel');
	});

	it('always: a choice goes out as the template straight away; the quick reply tapped comes back as its value', async () => {
		const { workflowId, url } = await deploy(
			'e2e-saw-tpl-always',
			[
				askNode({
					responseType: 'choice',
					choices: {
						option: [
							{ title: 'Track', value: 'track' },
							{ title: 'Cancel', value: 'cancel' },
						],
					},
					...templateFields('always'),
				}),
				followUp(),
			],
			connect(['Ask', 'Follow up']),
		);
		await hello(url);
		const { sent, executionId } = await question(workflowId, 1);
		expect(sent.type).toBe('template');
		expect(emu.messages().filter((m) => m.type === 'interactive')).toEqual([]);
		await deliver(
			url,
			emu.inbound.button(CUSTOMER, 'Track', answerIds(sent)[0], {
				context: { from: BUSINESS, id: sent.wamid },
			}),
		);
		const done = await finished(executionId);
		expect(nodeOutput(done, 'Ask')[0].json).toMatchObject({
			choice: 'track',
			title: 'Track',
			index: 0,
		});
		await until('follow-up', () => texts().includes('choice=track'));
	});

	it("a loop asks twice in one execution: round 1's other button resumes nothing while round 2 waits; a replayed or new tap after the end resumes nothing", async () => {
		const again = ifEquals('Again?', '={{ String($runIndex) }}', '0');
		const { workflowId, url } = await deploy(
			'e2e-saw-loop',
			[askNode({ responseType: 'approval' }), followUp(), again],
			connect(['Ask', 'Follow up'], ['Follow up', 'Again?'], ['Again?', 'Ask', 0]),
		);
		await hello(url);
		const first = await question(workflowId, 1);
		await deliver(url, buttonTap(first.sent, 0, 'Approve'));
		const second = await question(workflowId, 2);
		expect(second.executionId).toBe(first.executionId);
		await until('round 2 waits', async () => {
			const e = await n8n.execution(first.executionId);
			return e.status === 'waiting' && waitingRun(e) === 1 && answers(e).length === 1
				? e
				: undefined;
		});

		// n8n's own signature is the same in both rounds (same execution, node, choice): only the
		// round tells them apart
		const signatureOf = (id: string) => id.split('~')[5];
		expect(signatureOf(answerIds(first.sent)[1])).not.toBe(''); // n8n signed it
		expect(answerIds(first.sent)[1]).not.toBe(answerIds(second.sent)[1]);
		expect(answerIds(first.sent)[1].split('~').slice(1, 4)).toEqual(
			answerIds(second.sent)[1].split('~').slice(1, 4),
		);

		// the customer taps round 1's other button ("Decline") while round 2 waits
		const lateBefore = texts().filter((t) => t === LATE_REPLY).length;
		await deliver(url, buttonTap(first.sent, 1, 'Decline'));
		await until('late reply', () => texts().filter((t) => t === LATE_REPLY).length > lateBefore);
		await sleep(1000);
		const stillWaiting = await n8n.execution(first.executionId);
		expect(stillWaiting.status).toBe('waiting');
		expect(waitingRun(stillWaiting)).toBe(1);
		expect(answers(stillWaiting).map((i) => i.json.approved)).toEqual([true]);

		// round 2's decline is taken
		const winning = buttonTap(second.sent, 1, 'Decline');
		await deliver(url, winning);
		const done = await finished(first.executionId);
		expect(nodeOutput(done, 'Ask').map((i) => i.json.approved)).toEqual([true, false]);
		await until('both follow-ups', () => texts().includes('approved=false (Decline)'));
		expect(texts().filter((t) => t.startsWith('approved='))).toEqual([
			'approved=true (Approve)',
			'approved=false (Decline)',
		]);

		// after the execution finished: the winning tap replayed byte for byte (Meta re-delivering,
		// same message id) is dropped by the trigger's de-duplication, so it gets no reply at all;
		// a new tap on the same button gets the late reply. Neither resumes anything.
		const repliesBefore = texts().length;
		await deliver(url, winning);
		await sleep(2000);
		expect(texts().slice(repliesBefore)).toEqual([]);
		await deliver(url, buttonTap(second.sent, 1, 'Decline'));
		await until('late reply', () => texts().slice(repliesBefore).includes(LATE_REPLY));
		await sleep(1000);
		expect(texts().slice(repliesBefore)).toEqual([LATE_REPLY]);
		const after = await n8n.execution(first.executionId);
		expect(after.status).toBe('success');
		expect(nodeOutput(after, 'Ask')).toHaveLength(2);
		expect((await n8n.executions(workflowId, { includeData: false })).map((e) => e.id)).toEqual([
			first.executionId,
		]);
		expect(texts().filter((t) => t.startsWith('approved='))).toHaveLength(2);
	});
});
