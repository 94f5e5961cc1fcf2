/**
 * Send and Wait for Response on a real n8n: the customer writes, the workflow asks with native
 * WhatsApp buttons (or a list) and waits; the emulator plays the customer's taps, which reach the
 * trigger (Meta's webhook), which resumes exactly the waiting execution through n8n's own signed
 * waiting endpoint. Forged ids, other people's taps and late taps resume nothing.
 */
import type { AcceptedMessage, Emulator } from '../emulator';
import type { N8nInstance } from './harness';
import { useN8nWithEmulator } from './support/fixture';
import { nodeOutput, sleep, until, type CredentialRef, type Json } from './support/nodes';
import * as saw from './support/sendAndWait';
import { CUSTOMER, OTHER } from './support/sendAndWait';

jest.setTimeout(600_000);

type Obj = Record<string, any>;

describe('Send and Wait for Response on a real n8n', () => {
	const world = useN8nWithEmulator({ logName: 'send-and-wait' });
	let n8n: N8nInstance;
	let emu: Emulator;
	let cred: CredentialRef;
	beforeEach(() => ({ n8n, emu, cred } = world));

	const setup = () => world;
	const conversation = (webhookId: string, question: Json) =>
		saw.conversation(setup(), webhookId, question);
	const ask = (url: string, workflowId: string) => saw.ask(setup(), url, workflowId);
	const sentTo = (to: string, type?: string): AcceptedMessage[] => saw.sentTo(emu, to, type);

	function optionIds(question: AcceptedMessage): Array<{ id: string; title: string }> {
		const interactive = question.body.interactive as Obj;
		if (interactive.type === 'button')
			return interactive.action.buttons.map((b: Obj) => ({ id: b.reply.id, title: b.reply.title }));
		return interactive.action.sections.flatMap((s: Obj) =>
			s.rows.map((r: Obj) => ({ id: r.id, title: r.title })),
		);
	}

	async function tap(
		url: string,
		from: string,
		option: { id: string; title: string },
		question: AcceptedMessage,
		kind: 'button' | 'list' = 'button',
	) {
		const payload =
			kind === 'button'
				? emu.inbound.buttonReply(from, option.id, option.title, {
						context: { from: '15550783881', id: question.wamid },
					})
				: emu.inbound.listReply(from, option.id, option.title, undefined, {
						context: { from: '15550783881', id: question.wamid },
					});
		const delivery = await emu.deliver(payload, { url, maxAttempts: 1 });
		expect(delivery.statusCodes).toEqual([200]);
	}

	async function statusOf(executionId: string): Promise<string> {
		return (await n8n.execution(executionId, { includeData: false })).status;
	}

	it("approval: forged ids and another person resume nothing; the customer's tap resumes once; a late tap gets the late reply", async () => {
		const { workflowId, url } = await conversation('e2e-saw-approval', {
			responseType: 'approval',
			approvalOptions: {
				values: { approvalType: 'double', approveLabel: 'Ship it', disapproveLabel: 'Not yet' },
			},
		});
		const { question, executionId } = await ask(url, workflowId);
		const [approve, decline] = optionIds(question);
		expect([approve.title, decline.title]).toEqual(['Ship it', 'Not yet']);
		expect(approve.id.length).toBeLessThanOrEqual(200);
		expect((question.body.interactive as Obj).body.text).toBe('Shall we ship order #1042 today?');

		// another person taps the customer's button: nothing resumes, nobody is told anything
		await tap(url, OTHER, approve, question);
		// a forged id: one character of n8n's signature (base64url) changed
		const parts = approve.id.split('~');
		parts[5] = (parts[5].startsWith('A') ? 'B' : 'A') + parts[5].slice(1);
		await tap(url, CUSTOMER, { id: parts.join('~'), title: 'Ship it' }, question);
		// the choice swapped under the same signature
		const swapped = approve.id.split('~');
		swapped[3] = '1';
		await tap(url, CUSTOMER, { id: swapped.join('~'), title: 'Not yet' }, question);
		await sleep(1500);
		expect(await statusOf(executionId)).toBe('waiting');
		expect(sentTo(OTHER)).toEqual([]);

		// the customer declines
		await tap(url, CUSTOMER, decline, question);
		const done = await saw.resumed(n8n, executionId);
		const [answer] = nodeOutput(done, 'Ask');
		expect(answer.json).toMatchObject({
			approved: false,
			answer: 'Not yet',
			from: CUSTOMER,
			questionMessageId: question.wamid,
		});
		const texts = () => sentTo(CUSTOMER, 'text').map((m) => (m.body.text as Obj).body);
		await until('follow-up', () => texts().includes('approved=false'));
		expect(texts()).toContain('Thank you, your answer was received: Not yet');

		// a second tap after the answer, and the same tap again: no second run, one late reply
		await tap(url, CUSTOMER, approve, question);
		await until('late reply', () =>
			texts().includes('This question has already been answered or is no longer open.'),
		);
		await sleep(1000);
		const all = await n8n.executions(workflowId, { includeData: false });
		// the first message's execution only (the taps started no execution of their own)
		expect(all.map((e) => e.id)).toEqual([executionId]);
		expect(texts().filter((t) => t.startsWith('approved='))).toEqual(['approved=false']);
	});

	it('choice: 4 options go out as a list; the row tapped comes back as its value', async () => {
		const { workflowId, url } = await conversation('e2e-saw-choice', {
			responseType: 'choice',
			choices: {
				option: [
					{ title: 'Monday', value: 'mon' },
					{ title: 'Tuesday', value: 'tue', description: 'Morning only' },
					{ title: 'Wednesday', value: 'wed' },
					{ title: 'Thursday', value: 'thu' },
				],
			},
			listButtonLabel: 'Pick a day',
		});
		const { question, executionId } = await ask(url, workflowId);
		expect((question.body.interactive as Obj).type).toBe('list');
		expect((question.body.interactive as Obj).action.button).toBe('Pick a day');
		const rows = optionIds(question);
		await tap(url, CUSTOMER, rows[1], question, 'list');
		const done = await saw.resumed(n8n, executionId);
		expect(nodeOutput(done, 'Ask')[0].json).toMatchObject({
			choice: 'tue',
			title: 'Tuesday',
			index: 1,
		});
	});

	it('choice: 3 options go out as reply buttons', async () => {
		const { workflowId, url } = await conversation('e2e-saw-buttons', {
			responseType: 'choice',
			choices: { option: [{ title: 'Red' }, { title: 'Green' }, { title: 'Blue' }] },
		});
		const { question, executionId } = await ask(url, workflowId);
		expect((question.body.interactive as Obj).type).toBe('button');
		await tap(url, CUSTOMER, optionIds(question)[2], question);
		const done = await saw.resumed(n8n, executionId);
		expect(nodeOutput(done, 'Ask')[0].json).toMatchObject({ choice: 'Blue', index: 2 });
	});

	it('a limited wait runs out: the execution goes on with timedOut: true', async () => {
		const { workflowId, url } = await conversation('e2e-saw-timeout', {
			responseType: 'approval',
			waitOptions: {
				limitWaitTime: {
					values: { limitType: 'afterTimeInterval', resumeAmount: 0.02, resumeUnit: 'minutes' },
				},
			},
		});
		const { question, executionId } = await ask(url, workflowId);
		// n8n's wait tracker looks for due executions once a minute
		const done = await until(
			'the timed-out execution',
			async () => {
				const e = await n8n.execution(executionId);
				return e.status === 'success' ? e : undefined;
			},
			150_000,
		);
		expect(nodeOutput(done, 'Ask')[0].json).toMatchObject({
			timedOut: true,
			questionMessageId: question.wamid,
		});
		await until('follow-up', () =>
			sentTo(CUSTOMER, 'text').some((m) => (m.body.text as Obj).body === 'timed out'),
		);
		// a tap after the timeout resumes nothing and gets the late reply
		await tap(url, CUSTOMER, optionIds(question)[0], question);
		await until('late reply', () =>
			sentTo(CUSTOMER, 'text').some((m) =>
				String((m.body.text as Obj).body).startsWith('This question has already been answered'),
			),
		);
	});
});
