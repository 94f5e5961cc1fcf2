/**
 * Send and Wait's Free Text and Custom Form on a real n8n: the node publishes a WhatsApp Flow for
 * the form in the (emulated) business account and sends it; the emulator plays the customer
 * filling it in, whose `nfm_reply` reaches the trigger, which resumes exactly the waiting
 * execution. A forged Flow token and another person's answer resume nothing; an account without
 * Flows gets a clear error; the form-link fallback resumes through n8n's signed waiting URL.
 */
import type { AcceptedMessage, Emulator } from '../emulator';
import { DEFAULT_SYSTEM_USER_ID } from '../emulator/seed';
import { CREDENTIAL_TYPE, type N8nInstance } from './harness';
import { useN8nWithEmulator } from './support/fixture';
import { emulatorCredentialData, nodeOutput, sleep, until } from './support/nodes';
import { CUSTOMER, OTHER, ask, conversation, resumed, sentTo } from './support/sendAndWait';

jest.setTimeout(600_000);

type Obj = Record<string, any>;

const options = (...titles: string[]) => ({ values: titles.map((option) => ({ option })) });

/** What the form page posts (its enctype is multipart/form-data, as n8n's own form pages). */
const formBody = (...fields: Array<[string, string]>) => {
	const form = new FormData();
	for (const [name, value] of fields) form.append(name, value);
	return form;
};

describe('Send and Wait forms on a real n8n', () => {
	const world = useN8nWithEmulator({ logName: 'send-and-wait-forms' });
	const setup = () => world;
	let n8n: N8nInstance;
	let emu: Emulator;
	beforeEach(() => ({ n8n, emu } = world));

	const flowParameters = (question: AcceptedMessage): Obj =>
		(question.body.interactive as Obj).action.parameters;

	/** The customer fills in the Flow of `question` (values by component name). */
	async function submit(
		url: string,
		question: AcceptedMessage,
		values: Obj,
		extra: Obj = {},
	): Promise<{ status: number; body: Obj }> {
		const response = await fetch(`${emu.baseUrl}/__emulator/flows/submit`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ messageId: question.wamid, values, url, ...extra }),
		});
		return { status: response.status, body: (await response.json()) as Obj };
	}

	const texts = () => sentTo(emu, CUSTOMER, 'text').map((m) => String((m.body.text as Obj).body));

	it('free text: a Flow is published once and reused; forged tokens and other people resume nothing; the answer resumes once', async () => {
		const { workflowId, url } = await conversation(
			setup(),
			'e2e-saw-free-text',
			{ responseType: 'freeText', formOptions: { messageButtonLabel: 'Answer' } },
			'={{ "text=" + $json.text }}',
		);
		const { question, executionId } = await ask(setup(), url, workflowId);
		const interactive = question.body.interactive as Obj;
		expect(interactive.type).toBe('flow');
		expect(interactive.body.text).toBe('Shall we ship order #1042 today?');
		const parameters = flowParameters(question);
		expect(parameters).toMatchObject({ flow_cta: 'Answer', flow_action: 'navigate' });
		expect(parameters.flow_token.length).toBeLessThanOrEqual(200);
		const flows = emu.flows.list();
		expect(flows).toHaveLength(1);
		expect(flows[0]).toMatchObject({ id: parameters.flow_id, status: 'PUBLISHED' });
		expect(flows[0].name).toMatch(/^n8n form Your answer \[[0-9a-f]{16}\]$/);
		expect(flows[0].validationErrors).toEqual([]);

		// a forged token (last hex digit of n8n's signature changed), and another person's answer
		const parts = String(parameters.flow_token).split('~');
		parts[4] = parts[4].slice(0, -1) + (parts[4].endsWith('0') ? '1' : '0');
		expect(
			(await submit(url, question, { field_0: 'forged' }, { flowToken: parts.join('~') })).status,
		).toBe(200);
		expect((await submit(url, question, { field_0: 'not me' }, { from: OTHER })).status).toBe(200);
		// WhatsApp itself would not send an empty required field
		expect((await submit(url, question, {})).status).toBe(400);
		await sleep(1500);
		expect((await n8n.execution(executionId, { includeData: false })).status).toBe('waiting');
		expect(sentTo(emu, OTHER)).toEqual([]);

		const answer = await submit(url, question, { field_0: 'Leave it at the door' });
		expect(answer.body.delivery.statusCodes).toEqual([200]);
		const done = await resumed(n8n, executionId);
		expect(nodeOutput(done, 'Ask')[0].json).toMatchObject({
			text: 'Leave it at the door',
			from: CUSTOMER,
			questionMessageId: question.wamid,
		});
		await until('follow-up', () => texts().includes('text=Leave it at the door'));
		expect(texts()).toContain('Thank you, your answer was received: Leave it at the door');

		// the same answer again: no second run, the late reply
		await submit(url, question, { field_0: 'again' });
		await until('late reply', () =>
			texts().includes('This question has already been answered or is no longer open.'),
		);
		expect((await n8n.executions(workflowId, { includeData: false })).map((e) => e.id)).toEqual([
			executionId,
		]);

		// the next question with the same form sends the same Flow: nothing new is created
		const second = await ask(setup(), url, workflowId);
		expect(flowParameters(second.question).flow_id).toBe(parameters.flow_id);
		expect(flowParameters(second.question).flow_token).not.toBe(parameters.flow_token);
		expect(emu.flows.list()).toHaveLength(1);
	});

	it('custom form: every kind of field, answered through the Flow, comes out typed', async () => {
		const { workflowId, url } = await conversation(
			setup(),
			'e2e-saw-custom-form',
			{
				responseType: 'customForm',
				formFields: {
					values: [
						{ fieldLabel: 'Name', fieldType: 'text', requiredField: true },
						{ fieldLabel: 'Quantity', fieldName: 'qty', fieldType: 'number', requiredField: true },
						{ fieldLabel: 'Email', fieldType: 'email' },
						{ fieldLabel: 'Delivery date', fieldName: 'date', fieldType: 'date' },
						{ fieldLabel: 'Size', fieldType: 'dropdown', fieldOptions: options('S', 'M', 'L') },
						{ fieldLabel: 'Extras', fieldType: 'checkbox', fieldOptions: options('Gift', 'Card') },
						{ fieldLabel: 'Notes', fieldType: 'textarea' },
					],
				},
				formOptions: { responseFormTitle: 'Order details', responseFormButtonLabel: 'Send' },
			},
			'={{ "qty=" + ($json.qty * 2) + " extras=" + $json.Extras.join("+") }}',
		);
		const { question, executionId } = await ask(setup(), url, workflowId);
		const flow = emu.flows.get(flowParameters(question).flow_id)!;
		expect(flow.name).toMatch(/^n8n form Order details \[/);
		expect(
			await submit(url, question, {
				field_0: 'Ada',
				field_1: '3',
				field_2: 'ada@example.com',
				field_3: '2026-12-24',
				field_4: 'option_2',
				field_5: ['option_0', 'option_1'],
			}),
		).toMatchObject({ status: 200 });
		const done = await resumed(n8n, executionId);
		const output = nodeOutput(done, 'Ask')[0].json;
		expect(output).toMatchObject({
			Name: 'Ada',
			qty: 3,
			Email: 'ada@example.com',
			date: '2026-12-24',
			Size: 'L',
			Extras: ['Gift', 'Card'],
			from: CUSTOMER,
		});
		await until('follow-up', () => texts().includes('qty=6 extras=Gift+Card'));
	});

	it('an account that cannot create Flows: a clear error naming the fallback; the form link then resumes the execution', async () => {
		// a token with whatsapp_business_messaging only: messages go out, Flow management is refused
		emu.accounts.add({
			tokens: [
				{
					token: 'messaging-only-token',
					appId: emu.config.appId,
					systemUserId: DEFAULT_SYSTEM_USER_ID,
					permissions: ['whatsapp_business_messaging'],
				},
			],
		});
		const limited = await n8n.createCredential({
			name: 'WhatsApp (messaging only)',
			type: CREDENTIAL_TYPE,
			data: { ...emulatorCredentialData(emu), accessToken: 'messaging-only-token' },
		});
		const limitedCred = { id: limited, name: 'WhatsApp (messaging only)' };
		const failing = await conversation(
			setup(),
			'e2e-saw-no-flows',
			{ responseType: 'freeText' },
			'=unused',
			limitedCred,
		);
		await emu.deliver(emu.inbound.text(CUSTOMER, 'hi'), { url: failing.url, maxAttempts: 1 });
		const failed = await until('the failed execution', async () =>
			(await n8n.executions(failing.workflowId)).find((e) => e.status === 'error'),
		);
		const error = (await n8n.execution(failed.id)).data!.resultData.error!;
		expect(error.message).toContain("The form's WhatsApp Flow could not be looked up");
		expect(error.description).toContain('Form Link in the Message');
		expect(emu.flows.list()).toEqual([]);
		expect(sentTo(emu, CUSTOMER)).toEqual([]);

		// the fallback: n8n's form link in the message text
		const { workflowId, url } = await conversation(
			setup(),
			'e2e-saw-form-link',
			{
				responseType: 'customForm',
				formDelivery: 'formLink',
				formFields: {
					values: [
						{ fieldLabel: 'Quantity', fieldName: 'qty', fieldType: 'number', requiredField: true },
						{ fieldLabel: 'Extras', fieldType: 'checkbox', fieldOptions: options('Gift', 'Card') },
					],
				},
			},
			'={{ "qty=" + $json.qty }}',
			limitedCred,
		);
		const { question, executionId } = await ask(setup(), url, workflowId, 'text');
		const text = String((question.body.text as Obj).body);
		const link = /_(http\S+)_$/.exec(text)?.[1];
		expect(text.startsWith('Shall we ship order #1042 today?\n\n*Respond:*\n_')).toBe(true);
		expect(link).toContain('/webhook-waiting/');
		const page = await fetch(link!);
		expect(page.status).toBe(200);
		expect(page.headers.get('content-security-policy')).toContain('sandbox');
		const html = await page.text();
		expect(html).toContain('name="field_0" type="number" step="any" required');
		// links this node did not issue are refused: by the node (its key over execution, node and
		// round, checked on every n8n version) and on n8n 2.x also by n8n (its signature)
		const post = (url: string) =>
			fetch(url, { method: 'POST', body: formBody(['field_0', '9']) }).then((r) => r.status);
		const changedKey = link!.replace(
			/([?&]k=[0-9a-f]*)([0-9a-f])/,
			(_, head, c) => head + (c === '0' ? '1' : '0'),
		);
		expect(changedKey).not.toBe(link);
		expect(await post(changedKey)).toBe(401);
		const bare = link!.replace(/\?.*$/, ''); // /webhook-waiting/<execution id>, guessable
		expect(await post(bare)).toBe(401);
		if (n8n.install.major >= 2) {
			expect(await post(link!.replace(/.$/, (c) => (c === '0' ? '1' : '0')))).toBe(401);
		}
		// a required field left empty: the page again, nothing resumes
		const empty = await fetch(link!, {
			method: 'POST',
			body: formBody(['field_1', 'option_0']),
		});
		expect(empty.status).toBe(400);
		expect((await n8n.execution(executionId, { includeData: false })).status).toBe('waiting');

		const posted = await fetch(link!, {
			method: 'POST',
			body: formBody(['field_0', '4'], ['field_1', 'option_0'], ['field_1', 'option_1']),
		});
		expect(posted.status).toBe(200);
		expect(await posted.text()).toContain('Got it, thanks');
		const done = await resumed(n8n, executionId);
		expect(nodeOutput(done, 'Ask')[0].json).toMatchObject({
			qty: 4,
			Extras: ['Gift', 'Card'],
			formDelivery: 'formLink',
		});
		await until('follow-up', () => texts().includes('qty=4'));
		// the link once more: n8n answers that nothing is left to do, no second run
		await fetch(link!, {
			method: 'POST',
			body: formBody(['field_0', '5']),
		});
		await sleep(1000);
		expect((await n8n.executions(workflowId, { includeData: false })).map((e) => e.id)).toEqual([
			executionId,
		]);
	});
});
