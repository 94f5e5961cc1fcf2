/**
 * README pictures of Message → Send and Wait for Response: for each response type, a real
 * conversation through n8n (the emulator plays the customer) drawn as the customer's chat
 * (chat.ts), and the node in the editor.
 *
 *   send-and-wait-approval.png       approval: two reply buttons, the tap, the confirmation
 *   send-and-wait-choice.png         choice with 3 options: reply buttons
 *   send-and-wait-list.png           choice with 4+ options: a list, opened
 *   send-and-wait-template.png       outside the 24-hour window: the template with quick replies
 *   send-and-wait-free-text.png      free text: the Flow message, its screen filled in, the answer
 *   send-and-wait-form.png           custom form: the Flow with text, number, date, dropdown and
 *                                    checkboxes, filled in, the answer and the confirmation
 *   send-and-wait-node.png           the node in the n8n editor
 */
import * as path from 'node:path';

import type { Page } from 'playwright-core';

import type { AcceptedMessage } from '../emulator';
import {
	actionNode,
	locator,
	seededTemplate,
	templateMapperValue,
	triggerNode,
	until,
	type Json,
} from '../e2e/support/nodes';
import { chatHtml, type ChatEntry } from './chat';
import type { FlowValues } from './flowScreen';
import { DEMO_CREDENTIAL_NAME, type Demo } from './setup';

const CUSTOMER = '16505550142';
const BUSINESS = '15550783881';

type Obj = Record<string, any>;

interface Case {
	file: string;
	title: string;
	ask: Json;
	/** which option the customer taps */
	tap?: number;
	listOpen?: boolean;
	windowClosed?: boolean;
	/** Free Text / Custom Form: what the customer enters in the Flow (by component name) */
	form?: FlowValues;
}

const options = (...titles: string[]) => ({ values: titles.map((option) => ({ option })) });

function cases(demo: Demo): Case[] {
	const template = seededTemplate('order_update', 'en_US');
	return [
		{
			file: 'send-and-wait-approval.png',
			title: 'Approval',
			ask: {
				message: 'Your order #1042 is packed. Shall we ship it today?',
				responseType: 'approval',
				approvalOptions: {
					values: { approvalType: 'double', approveLabel: 'Ship it', disapproveLabel: 'Not yet' },
				},
				waitOptions: { header: 'Order #1042', footer: 'Plant Shop' },
			},
			tap: 0,
		},
		{
			file: 'send-and-wait-choice.png',
			title: 'Choice (buttons)',
			ask: {
				message: 'How would you like to receive order #1042?',
				responseType: 'choice',
				choices: {
					option: [
						{ title: 'Home delivery', value: 'home' },
						{ title: 'Pick-up point', value: 'pickup' },
						{ title: 'In store', value: 'store' },
					],
				},
			},
			tap: 1,
		},
		{
			file: 'send-and-wait-list.png',
			title: 'Choice (list)',
			ask: {
				message: 'When should we deliver order #1042?',
				responseType: 'choice',
				choices: {
					option: [
						{ title: 'Monday', value: 'mon', description: '9:00–12:00' },
						{ title: 'Tuesday', value: 'tue', description: 'Morning or afternoon' },
						{ title: 'Wednesday', value: 'wed', description: '14:00–18:00' },
						{ title: 'Thursday', value: 'thu' },
					],
				},
				listButtonLabel: 'Pick a day',
				waitOptions: { footer: 'Free delivery' },
			},
			listOpen: true,
		},
		{
			file: 'send-and-wait-template.png',
			title: 'Outside the 24-hour window: a template',
			ask: {
				message: 'Shall we ship order #1042 today?',
				responseType: 'approval',
				windowClosed: 'fallback',
				businessAccountId: locator(demo.emu.config.wabaId, 'id'),
				template: locator('order_update|en_US', 'list', 'order_update (en_US)'),
				templateVariables: templateMapperValue(template, {
					'header.text.1': '#1042',
					'body.1': 'Ana',
					'body.2': '#1042',
					'body.3': 'Monday',
				}),
			},
			tap: 0,
			windowClosed: true,
		},
		{
			file: 'send-and-wait-free-text.png',
			title: 'Free Text',
			ask: {
				message: 'Anything we should know to deliver order #1042?',
				responseType: 'freeText',
			},
			form: { field_0: 'Please leave it with the neighbour at no. 12 if nobody answers.' },
		},
		{
			file: 'send-and-wait-form.png',
			title: 'Custom Form',
			ask: {
				message: 'Your order #1042 is almost ready: a few details, please.',
				responseType: 'customForm',
				formFields: {
					values: [
						{ fieldLabel: 'Name', fieldType: 'text', requiredField: true },
						{ fieldLabel: 'Quantity', fieldName: 'qty', fieldType: 'number', requiredField: true },
						{ fieldLabel: 'Delivery date', fieldName: 'date', fieldType: 'date' },
						{ fieldLabel: 'Pot size', fieldType: 'dropdown', fieldOptions: options('S', 'M', 'L') },
						{
							fieldLabel: 'Extras',
							fieldType: 'checkbox',
							fieldOptions: options('Gift wrap', 'Card', 'Plant food'),
						},
					],
				},
				formOptions: { responseFormTitle: 'Order details', responseFormButtonLabel: 'Send' },
			},
			form: {
				field_0: 'Ada Lovelace',
				field_1: '3',
				field_2: '2026-12-24',
				field_3: 'option_2',
				field_4: ['option_0', 'option_1'],
			},
		},
	];
}

const clock = (at: number) => new Date(at).toISOString().slice(11, 16);

async function converse(
	demo: Demo,
	c: Case,
	index: number,
): Promise<{ entries: ChatEntry[]; workflowId: string }> {
	const { n8n, emu } = demo;
	const cred = { id: demo.credentialId, name: DEMO_CREDENTIAL_NAME };
	const webhookId = `demo-send-and-wait-${index}`;
	const trigger = triggerNode('WhatsApp Trigger', cred, webhookId, { events: ['message'] });
	const ask = actionNode('Ask the customer', cred, {
		resource: 'message',
		operation: 'sendAndWait',
		phoneNumberId: locator(emu.config.phoneNumberIds[0], 'id'),
		recipient: '={{ $json.from }}',
		...c.ask,
	});
	const workflowId = await n8n.createWorkflow({
		name: `Send and Wait: ${c.title}`,
		nodes: [trigger, ask],
		connections: { [trigger.name]: { main: [[{ node: ask.name, type: 'main', index: 0 }]] } },
	});
	await n8n.activate(workflowId);
	await n8n.waitForWebhook(`${webhookId}/webhook`);
	const url = `${n8n.webhookBaseUrl}${webhookId}/webhook`;
	const before = emu.messages().length;
	const mine = () =>
		emu
			.messages()
			.slice(before)
			.filter((m) => m.to === CUSTOMER);
	if (c.windowClosed) emu.queueError(CUSTOMER, 131047, 1);
	const hello = 'Hi! Is my order ready?';
	const helloAt = Date.now();
	await emu.deliver(emu.inbound.text(CUSTOMER, hello), { url, maxAttempts: 1 });
	const question = await until('the question', () =>
		mine().find((m) => m.type === 'interactive' || m.type === 'template'),
	);
	const entries: ChatEntry[] = [
		{ from: 'customer', text: hello, at: clock(helloAt) },
		{ from: 'business', message: question, at: clock(question.at), openList: c.listOpen },
	];
	const executionWaits = () =>
		until('the execution waits', async () =>
			(await n8n.executions(workflowId, { includeData: false })).find(
				(e) => e.status === 'waiting',
			),
		);
	if (c.form) {
		await executionWaits();
		entries.push(...(await fillInForm(demo, question, c.form, url, entries[1])));
		return { entries, workflowId };
	}
	if (c.tap === undefined) return { entries, workflowId };
	await executionWaits();
	const { id, title } = option(question, c.tap);
	const context = { from: BUSINESS, id: question.wamid };
	const tap =
		question.type === 'template'
			? emu.inbound.button(CUSTOMER, title, id, { context })
			: emu.inbound.buttonReply(CUSTOMER, id, title, { context });
	const tapAt = Date.now();
	await emu.deliver(tap, { url, maxAttempts: 1 });
	const confirmation = await until('the confirmation', () => mine().find((m) => m.type === 'text'));
	entries.push(
		{ from: 'customer', text: title, at: clock(tapAt) },
		{ from: 'business', message: confirmation, at: clock(confirmation.at) },
	);
	return { entries, workflowId };
}

/**
 * The customer opens the Flow the node published, fills it in and sends it (the emulator's Flow
 * submission delivers the nfm_reply to the trigger); the answer bubble and the confirmation.
 */
async function fillInForm(
	demo: Demo,
	question: AcceptedMessage,
	values: FlowValues,
	url: string,
	questionEntry: ChatEntry,
): Promise<ChatEntry[]> {
	const { emu } = demo;
	const parameters = (question.body as Obj).interactive.action.parameters as Obj;
	const published = emu.flows.get(String(parameters.flow_id));
	if (!published?.json) throw new Error(`the Flow ${parameters.flow_id} was not published`);
	if (questionEntry.from === 'business')
		questionEntry.openFlow = { doc: JSON.parse(published.json), values };
	const before = emu.messages().length;
	const sentAt = Date.now();
	const response = await fetch(`${emu.baseUrl}/__emulator/flows/submit`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ messageId: question.wamid, values, url }),
	});
	if (response.status !== 200)
		throw new Error(`the Flow submission failed: ${response.status} ${await response.text()}`);
	const confirmation = await until('the confirmation', () =>
		emu
			.messages()
			.slice(before)
			.find((m) => m.to === CUSTOMER && m.type === 'text'),
	);
	// the text the customer's chat shows for the answer: the nfm_reply body WhatsApp sends
	const delivered = emu.inbound.flowReply(CUSTOMER, {}).entry[0].changes[0].value as Obj;
	const nfmReply = delivered.messages[0].interactive.nfm_reply as Obj;
	const answerText = String(nfmReply.body);
	return [
		{ from: 'customer', text: answerText, at: clock(sentAt), flowResponse: true },
		{ from: 'business', message: confirmation, at: clock(confirmation.at) },
	];
}

function option(question: AcceptedMessage, index: number): { id: string; title: string } {
	const body = question.body as Obj;
	if (question.type === 'template') {
		const buttons = (body.template.components as Obj[]).filter((c) => c.type === 'button');
		const labels = (
			seededTemplate(body.template.name, body.template.language.code).components as Obj[]
		).find((c) => c.type === 'BUTTONS')!.buttons as Obj[];
		return { id: buttons[index].parameters[0].payload, title: String(labels[index].text) };
	}
	const button = body.interactive.action.buttons[index];
	return { id: button.reply.id, title: button.reply.title };
}

export async function sendAndWaitShots(
	page: Page,
	demo: Demo,
	out: string,
	log: (line: string) => void,
	openNode: (page: Page, name: string) => Promise<void>,
): Promise<void> {
	let editorWorkflow = '';
	for (const [index, c] of cases(demo).entries()) {
		const { entries, workflowId } = await converse(demo, c, index);
		if (index === 0) editorWorkflow = workflowId;
		await page.setViewportSize({ width: 460, height: 400 });
		await page.setContent(chatHtml(c.title, entries), { waitUntil: 'load' });
		await page.screenshot({ path: path.join(out, c.file), fullPage: true });
		log(c.file);
	}
	await page.setViewportSize({ width: 1440, height: 1080 });
	await page.goto(`${demo.n8n.baseUrl}/workflow/${editorWorkflow}`, {
		waitUntil: 'domcontentloaded',
	});
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
	await openNode(page, 'Ask the customer');
	await page.screenshot({ path: path.join(out, 'send-and-wait-node.png') });
	log('send-and-wait-node.png');
	await page.keyboard.press('Escape');
}
