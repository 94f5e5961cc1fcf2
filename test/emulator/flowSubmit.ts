/**
 * The customer filling in a Flow the business sent (a Flow without endpoint, `flow_action`
 * navigate): the emulator checks the values as the WhatsApp client would (required fields,
 * input types, options), resolves the Footer's `complete` payload, adds the message's flow token
 * and delivers the `nfm_reply` with `context.id` = the Flow message.
 *
 *   POST /__emulator/flows/submit  {messageId, values, from?, flowToken?, url?}
 *        → {responseJson, delivery}   (values by component name; flowToken overrides the message's)
 */
import { GraphError } from './errors';
import { displayDigits } from './seed';
import { checkSubmission, completionPayload } from './flowComponents';
import type { Emulator, RequestContext } from './server';
import { bodyParams } from './server';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function handleFlowSubmit(e: Emulator, c: RequestContext): Promise<void> {
	const b = bodyParams(c);
	const messageId = typeof b.messageId === 'string' ? b.messageId : '';
	const message = e.messages().find((m) => m.wamid === messageId);
	const interactive = message?.body.interactive;
	if (!message || !isObj(interactive) || interactive.type !== 'flow')
		throw new GraphError(100, `No Flow message ${messageId} was sent.`, 404);
	const action = isObj(interactive.action) ? interactive.action : {};
	const parameters = isObj(action.parameters) ? action.parameters : {};
	const flow = e.flows.ofAccount(
		{
			id: parameters.flow_id as string | undefined,
			name: parameters.flow_name as string | undefined,
		},
		e.accounts.wabaOfNumber(message.phoneNumberId)?.id,
	);
	const payloadScreen = isObj(parameters.flow_action_payload)
		? parameters.flow_action_payload.screen
		: undefined;
	const screen = flow?.doc?.screens.find((s) => s.id === payloadScreen);
	if (!flow || !screen) throw new GraphError(100, 'The Flow or its first screen is gone.', 404);
	const values = isObj(b.values) ? b.values : {};
	const problems = checkSubmission(screen as unknown as Obj, values);
	if (problems.length)
		throw new GraphError(100, `The form cannot be sent: ${problems.join('; ')}.`, 400);
	const payload = completionPayload(screen as unknown as Obj, values);
	if (!payload || !screen.terminal)
		throw new GraphError(
			100,
			'The screen does not complete the Flow (no terminal Footer with complete).',
			400,
		);
	const flowToken =
		typeof b.flowToken === 'string' ? b.flowToken : String(parameters.flow_token ?? 'unused');
	const response = { ...payload, flow_token: flowToken };
	const from = typeof b.from === 'string' ? b.from : message.to;
	const business = e.accounts.phone(message.phoneNumberId);
	const webhook = e.inbound.flowReply(from, response, {
		phoneNumberId: message.phoneNumberId,
		context: { from: business ? displayDigits(business) : '', id: message.wamid },
	});
	const delivery = await e.deliver(webhook, {
		...(typeof b.url === 'string' ? { url: b.url } : {}),
		maxAttempts: 1,
	});
	c.send(200, { responseJson: JSON.stringify(response), delivery });
}
