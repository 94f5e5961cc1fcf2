/**
 * The emulator's Flow component rules and the customer's Flow submission, over HTTP: a Flow JSON
 * breaking Meta's component rules comes back with validation errors and cannot be published; a
 * draft cannot be sent without `mode: "draft"`; the customer submitting a sent Flow gets the
 * client's checks (required, number, options) and the business gets the `nfm_reply` with the
 * message's flow token and `context.id`.
 */
import type { Emulator } from './index';
import { startEmulator } from './index';
import { WebhookReceiver } from './receiver';
import { call, errCode, v } from './testUtil';

jest.setTimeout(60_000);

type Obj = Record<string, any>;

let emu: Emulator;
let rx: WebhookReceiver;
beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
	rx = await new WebhookReceiver().start();
});
afterAll(async () => {
	await rx.stop();
	await emu.stop();
});
beforeEach(() => {
	emu.reset();
	rx.posts.length = 0;
});

const screen = (children: Obj[]) => ({
	version: '7.3',
	screens: [
		{ id: 'ANSWER', title: 'T', terminal: true, layout: { type: 'SingleColumnLayout', children } },
	],
});
const footer = (payload: Obj) => ({
	type: 'Footer',
	label: 'Send',
	'on-click-action': { name: 'complete', payload },
});
const FORM = screen([
	{
		type: 'Form',
		name: 'form',
		children: [
			{ type: 'TextInput', name: 'qty', label: 'Quantity', 'input-type': 'number', required: true },
			{
				type: 'CheckboxGroup',
				name: 'extras',
				label: 'Extras',
				'data-source': [
					{ id: 'a', title: 'Gift' },
					{ id: 'b', title: 'Card' },
				],
				'max-selected-items': 1,
			},
			footer({ qty: '${form.qty}', extras: '${form.extras}' }),
		],
	},
]);

async function createFlow(json: Obj, publish = true) {
	const r = await call(emu, 'POST', v(emu, `${emu.config.wabaId}/flows`), {
		name: `f${Math.random()}`,
		categories: ['OTHER'],
		flow_json: JSON.stringify(json),
		publish,
	});
	expect(r.status).toBe(200);
	return r.body as { id: string; validation_errors: Obj[] };
}

const sendFlow = (flowId: string, extra: Obj = {}) =>
	call(emu, 'POST', v(emu, `${emu.config.phoneNumberIds[0]}/messages`), {
		messaging_product: 'whatsapp',
		to: '16505551234',
		type: 'interactive',
		interactive: {
			type: 'flow',
			body: { text: 'Tell us' },
			action: {
				name: 'flow',
				parameters: {
					flow_message_version: '3',
					flow_id: flowId,
					flow_cta: 'Respond',
					flow_token: 'token-1',
					flow_action: 'navigate',
					flow_action_payload: { screen: 'ANSWER' },
					...extra,
				},
			},
		},
	});

const submit = (body: Obj) => call(emu, 'POST', '/__emulator/flows/submit', body);

describe('Flow component rules', () => {
	it("reports what Meta's validator reports, and such a Flow cannot be published", async () => {
		const bad = screen([
			{ type: 'TextInput', name: 'a', label: 'A label over twenty chars' },
			{ type: 'TextInput', name: 'a', label: 'Twice', 'input-type': 'date' },
			{ type: 'Dropdown', name: 'd', label: 'D', 'data-source': [] },
			{ type: 'Fancy' },
			footer({ x: '${form.missing}' }),
			footer({}),
		]);
		const created = await createFlow(bad, false);
		const messages = created.validation_errors.map((e) => e.message);
		expect(messages).toEqual([
			"TextInput 'label' is 25 characters; the limit is 20.",
			"Component name 'a' is used more than once on the screen.",
			"TextInput 'input-type' must be one of text, number, email, password, passcode, phone.",
			'Dropdown needs 1 to 200 options; it has 0.',
			"Unknown component type 'Fancy'.",
			'A screen can have only one Footer.',
			'${form.missing} names no component of the screen.',
		]);
		expect(created.validation_errors[0]).toMatchObject({
			error_type: 'FLOW_JSON_ERROR',
			pointers: [{ path: 'screens[0].layout.children[0].label' }],
		});
		const publish = await call(emu, 'POST', v(emu, `${created.id}/publish`));
		expect(errCode(publish)).toBe(139002);
		// a terminal screen without a Footer, and more than 50 components
		const many = Array.from({ length: 50 }, (_, i) => ({ type: 'TextBody', text: `t${i}` }));
		const tooMany = await createFlow(screen(many), false);
		expect(tooMany.validation_errors.map((e) => e.message)).toEqual([
			'A terminal screen needs a Footer.',
		]);
		const over = await createFlow(screen([...many, footer({})]), false);
		expect(over.validation_errors.map((e) => e.message)).toEqual([
			'A screen holds at most 50 components; it has 51.',
		]);
	});

	it('a draft Flow is sent only with mode draft', async () => {
		const draft = await createFlow(FORM, false);
		expect(draft.validation_errors).toEqual([]);
		expect(errCode(await sendFlow(draft.id))).toBe(131009);
		expect((await sendFlow(draft.id, { mode: 'draft' })).status).toBe(200);
	});
});

describe('the customer submits a Flow', () => {
	it("checks the values as the client does, then delivers nfm_reply with the message's token", async () => {
		const { id } = await createFlow(FORM);
		const sent = await sendFlow(id);
		const wamid = (sent.body as Obj).messages[0].id;
		const url = rx.url('/hook');
		const refused = async (values: Obj) => (await submit({ messageId: wamid, values, url })).body;
		expect((await refused({})).error.error_data.details).toContain('qty is required');
		expect((await refused({ qty: 'three' })).error.error_data.details).toContain(
			'qty must be a number',
		);
		expect((await refused({ qty: '3', extras: ['a', 'b'] })).error.error_data.details).toContain(
			'extras allows at most 1 ticked',
		);
		expect((await refused({ qty: '3', extras: ['z'] })).error.error_data.details).toContain(
			'"z" is not one of its options',
		);
		expect(rx.posts).toEqual([]);

		const ok = await submit({ messageId: wamid, values: { qty: '3', extras: ['b'] }, url });
		expect(ok.status).toBe(200);
		expect(JSON.parse((ok.body as Obj).responseJson)).toEqual({
			qty: '3',
			extras: ['b'],
			flow_token: 'token-1',
		});
		expect(rx.posts).toHaveLength(1);
		const message = (rx.posts[0].body as Obj).entry[0].changes[0].value.messages[0];
		expect(message).toMatchObject({
			from: '16505551234',
			type: 'interactive',
			context: { id: wamid },
			interactive: {
				type: 'nfm_reply',
				nfm_reply: { response_json: (ok.body as Obj).responseJson },
			},
		});
		// another token (a forged one, for tests), another sender
		const forged = await submit({
			messageId: wamid,
			values: { qty: '1' },
			url,
			flowToken: 'forged',
			from: '16505550202',
		});
		expect(JSON.parse((forged.body as Obj).responseJson).flow_token).toBe('forged');
		expect((rx.posts[1].body as Obj).entry[0].changes[0].value.messages[0].from).toBe(
			'16505550202',
		);
		expect((await submit({ messageId: 'wamid.nope', values: {} })).status).toBe(404);
	});
});
