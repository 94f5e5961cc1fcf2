/**
 * Scenario 1 (shared by the 2.41 suite and the 1.x opt-in suite): a customer writes, the bot answers
 * with reply buttons quoting the message; the customer taps a button, the second branch (IF on the
 * reply id) sends a template chosen with the picker and filled through the resource mapper.
 */
import type { Emulator } from '../../emulator';
import type { N8nInstance } from '../harness';
import {
	actionNode,
	connect,
	ifEquals,
	inboundMessageId,
	locator,
	seededTemplate,
	templateMapperValue,
	triggerNode,
	until,
	type CredentialRef,
} from '../support/nodes';

export const CUSTOMER = '16505551234';
export const CUSTOMER_NAME = 'Sheena Nelson';

export interface ConversationResult {
	workflowId: string;
	timings: Record<string, number>;
}

export function conversationWorkflow(emu: Emulator, cred: CredentialRef, webhookId: string) {
	const phoneNumberId = emu.config.phoneNumberIds[0];
	const trigger = triggerNode('On WhatsApp message', cred, webhookId, { events: ['message'] });
	const isTap = ifEquals('Button tapped?', '={{ $json.interactiveType ?? "" }}', 'button_reply');
	const isOrder = ifEquals('Order status?', '={{ $json.replyId }}', 'order_status');
	const welcome = actionNode('Reply with buttons', cred, {
		resource: 'message',
		operation: 'sendInteractive',
		phoneNumberId: locator(phoneNumberId, 'list', '+1 555-078-3881'),
		recipient: '={{ $json.from }}',
		interactiveType: 'button',
		interactiveBody:
			'=Hi {{ $json.contact.name }}! You wrote: "{{ $json.text }}". What can we do for you?',
		interactiveFooter: 'Demo Shop',
		replyButtons: {
			button: [
				{ id: 'order_status', title: 'Order status' },
				{ id: 'talk_to_agent', title: 'Talk to a human' },
			],
		},
		messageOptions: { replyToMessageId: '={{ $json.messageId }}' },
	});
	const template = actionNode('Send order update', cred, {
		resource: 'message',
		operation: 'sendTemplate',
		phoneNumberId: locator(phoneNumberId, 'list', '+1 555-078-3881'),
		recipient: '={{ $json.from }}',
		template: locator('order_update|en_US', 'list', 'order_update (en_US)'),
		templateLanguage: '',
		templateVariables: templateMapperValue(seededTemplate('order_update', 'en_US'), {
			'header.text.1': '#1042',
			'body.1': '={{ $json.contact.name }}',
			'body.2': '#1042',
			'body.3': 'Monday',
			'button.1.payload': '=CANCEL_{{ $json.replyId }}',
		}),
		messageOptions: { callbackData: 'order-1042' },
	});
	return {
		name: 'e2e conversation',
		nodes: [trigger, isTap, isOrder, welcome, template],
		connections: connect(
			[trigger.name, isTap.name],
			[isTap.name, isOrder.name, 0],
			[isTap.name, welcome.name, 1],
			[isOrder.name, template.name, 0],
		),
	};
}

/** Runs the scenario with jest expectations; returns timings. */
export async function runConversation(
	n8n: N8nInstance,
	emu: Emulator,
	cred: CredentialRef,
	webhookId = 'e2e-conversation',
): Promise<ConversationResult> {
	const timings: Record<string, number> = {};
	const phoneNumberId = emu.config.phoneNumberIds[0];
	const workflowId = await n8n.createWorkflow(conversationWorkflow(emu, cred, webhookId));
	await n8n.activate(workflowId);
	await n8n.waitForWebhook(`${webhookId}/webhook`);
	const url = `${n8n.webhookBaseUrl}${webhookId}/webhook`;

	// Meta's GET handshake against the trigger
	const handshake = await emu.verify(url, 'e2e-verify-token');
	expect(handshake).toMatchObject({ ok: true, status: 200 });

	// 1. the customer writes
	const before = emu.messages().length;
	const inbound = emu.inbound.text(CUSTOMER, 'Where is my order?', { name: CUSTOMER_NAME });
	const inboundId = inboundMessageId(inbound);
	let t0 = Date.now();
	const delivery = await emu.deliver(inbound, { url, maxAttempts: 1 });
	expect(delivery.statusCodes).toEqual([200]);
	const [first] = await n8n.waitForExecutions(workflowId, { count: 1 });
	timings.firstReplyMs = Date.now() - t0;
	expect(first.status).toBe('success');
	expect(first.mode).toBe('webhook');
	const item = first.data!.resultData.runData['On WhatsApp message'][0].data.main[0][0].json;
	expect(item).toMatchObject({
		event: 'message',
		type: 'text',
		text: 'Where is my order?',
		from: CUSTOMER,
		messageId: inboundId,
		phoneNumberId,
		contact: { name: CUSTOMER_NAME, waId: CUSTOMER },
	});
	const sent = emu.messages().slice(before);
	expect(sent).toHaveLength(1);
	expect(sent[0].to).toBe(CUSTOMER);
	expect(sent[0].phoneNumberId).toBe(phoneNumberId);
	expect(sent[0].body).toEqual({
		messaging_product: 'whatsapp',
		recipient_type: 'individual',
		to: CUSTOMER,
		context: { message_id: inboundId },
		type: 'interactive',
		interactive: {
			type: 'button',
			body: {
				text: `Hi ${CUSTOMER_NAME}! You wrote: "Where is my order?". What can we do for you?`,
			},
			footer: { text: 'Demo Shop' },
			action: {
				buttons: [
					{ type: 'reply', reply: { id: 'order_status', title: 'Order status' } },
					{ type: 'reply', reply: { id: 'talk_to_agent', title: 'Talk to a human' } },
				],
			},
		},
	});
	const replyOut = first.data!.resultData.runData['Reply with buttons'][0].data.main[0][0].json;
	expect(replyOut).toMatchObject({ messageId: sent[0].wamid, to: CUSTOMER, status: 'accepted' });

	// 2. the customer taps "Order status" (the button_reply quotes our interactive message)
	const tap = emu.inbound.buttonReply(CUSTOMER, 'order_status', 'Order status', {
		name: CUSTOMER_NAME,
		context: { from: emu.config.displayPhoneNumbers[0], id: sent[0].wamid },
	});
	t0 = Date.now();
	expect((await emu.deliver(tap, { url, maxAttempts: 1 })).statusCodes).toEqual([200]);
	const execs = await n8n.waitForExecutions(workflowId, { count: 2 });
	timings.templateReplyMs = Date.now() - t0;
	const second = execs[0];
	expect(second.status).toBe('success');
	const runData = second.data!.resultData.runData;
	expect(runData['Reply with buttons']).toBeUndefined();
	const tapItem = runData['On WhatsApp message'][0].data.main[0][0].json;
	expect(tapItem).toMatchObject({
		type: 'interactive',
		interactiveType: 'button_reply',
		replyId: 'order_status',
		context: { messageId: sent[0].wamid },
	});
	const templateSends = await until('the template send', () => {
		const m = emu.messages().slice(before + 1);
		return m.length ? m : undefined;
	});
	expect(templateSends).toHaveLength(1);
	const t = templateSends[0].body;
	expect(t).toEqual({
		messaging_product: 'whatsapp',
		recipient_type: 'individual',
		to: CUSTOMER,
		biz_opaque_callback_data: 'order-1042',
		type: 'template',
		template: {
			name: 'order_update',
			language: expect.objectContaining({ code: 'en_US' }),
			components: [
				{ type: 'header', parameters: [{ type: 'text', text: '#1042' }] },
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: CUSTOMER_NAME },
						{ type: 'text', text: '#1042' },
						{ type: 'text', text: 'Monday' },
					],
				},
				{
					type: 'button',
					sub_type: 'quick_reply',
					index: '1',
					parameters: [{ type: 'payload', payload: 'CANCEL_order_status' }],
				},
			],
		},
	});
	const templateOut = runData['Send order update'][0].data.main[0][0].json;
	expect(templateOut).toMatchObject({
		messageId: templateSends[0].wamid,
		templateName: 'order_update',
		templateLanguage: 'en_US',
	});
	return { workflowId, timings };
}
