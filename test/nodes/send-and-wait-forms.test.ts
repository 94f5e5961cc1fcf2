/**
 * Send and Wait's forms through the action node, run by n8n-core against the emulator: the Flow
 * the node publishes for a form (checked by the emulator as Meta checks it), found again by name
 * and reused, a new Flow for a changed form, the Flow message with the answer id as its token, a
 * draft left by an earlier failure published, and the clear error (naming the fallback) when the
 * account cannot manage Flows. Nothing is sent for an invalid form.
 */
import type { INodeParameters } from 'n8n-workflow';

import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import { decodeAnswerId } from '../../nodes/WhatsAppCloud/helpers/sendAndWait/answerId';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { DEFAULT_SYSTEM_USER_ID } from '../emulator/seed';
import { emulatorCredentials, runNode } from './harness';

jest.setTimeout(120_000);

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
	await emu?.stop();
});
beforeEach(() => emu.reset());

type Obj = Record<string, any>;

const credentials = (accessToken = emu.config.token) => emulatorCredentials(emu, { accessToken });

async function ask(parameters: INodeParameters, accessToken?: string) {
	return await runNode({
		node: new WhatsAppCloud(),
		parameters: {
			resource: 'message',
			operation: 'sendAndWait',
			phoneNumberId: { mode: 'id', value: emu.config.phoneNumberIds[0] },
			recipient: '16505551234',
			message: 'How was your delivery?',
			...parameters,
		},
		credentials: credentials(accessToken),
	});
}

const flowMessages = () =>
	emu.messages().filter((m) => (m.body.interactive as Obj)?.type === 'flow');

const form = (label = 'Rating') => ({
	responseType: 'customForm',
	formFields: {
		values: [
			{ fieldLabel: label, fieldType: 'number', requiredField: true },
			{
				fieldLabel: 'Tags',
				fieldType: 'checkbox',
				fieldOptions: { values: [{ option: 'Fast' }, { option: 'Friendly' }] },
			},
		],
	},
});

describe('Send and Wait forms (node against the emulator)', () => {
	it('publishes the Flow once, sends it with the answer id as token, and reuses it while the form is unchanged', async () => {
		const first = await ask(form());
		expect(first.error).toBeUndefined();
		expect(emu.flows.list()).toHaveLength(1);
		const [flow] = emu.flows.list();
		expect(flow).toMatchObject({
			status: 'PUBLISHED',
			categories: ['OTHER'],
			validationErrors: [],
		});
		const [message] = flowMessages();
		const parameters = (message.body.interactive as Obj).action.parameters;
		expect(parameters).toMatchObject({
			flow_id: flow.id,
			flow_cta: 'Respond',
			flow_action: 'navigate',
			flow_action_payload: { screen: 'ANSWER' },
		});
		expect(decodeAnswerId(parameters.flow_token)).toMatchObject({ choice: 0 });

		await ask(form());
		expect(emu.flows.list()).toHaveLength(1);
		expect((flowMessages()[1].body.interactive as Obj).action.parameters.flow_id).toBe(flow.id);

		// a changed form is another Flow
		await ask(form('Score'));
		expect(emu.flows.list()).toHaveLength(2);
	});

	it('a draft of the same form (an earlier publish failed) is published and used', async () => {
		await ask(form());
		const [flow] = emu.flows.list();
		flow.status = 'DRAFT';
		await ask(form());
		expect(emu.flows.list()).toHaveLength(1);
		expect(flow.status).toBe('PUBLISHED');
		// a deprecated one cannot be sent again: a new Flow of the same form is made beside it
		flow.status = 'DEPRECATED';
		const third = await ask(form());
		expect(third.error).toBeUndefined();
		expect(emu.flows.list()).toHaveLength(2);
		expect(emu.flows.list()[1].name).toBe(`${flow.name} 2`);
	});

	it("without Flow permission: an error naming Meta's reason and the fallback, nothing sent", async () => {
		emu.accounts.add({
			tokens: [
				{
					token: 'messaging-only',
					appId: emu.config.appId,
					systemUserId: DEFAULT_SYSTEM_USER_ID,
					permissions: ['whatsapp_business_messaging'],
				},
			],
		});
		const run = await ask({ responseType: 'freeText' }, 'messaging-only');
		expect(run.error?.message).toMatch(
			/^The form's WhatsApp Flow could not be looked up in business account \d+: .*whatsapp_business_management/,
		);
		expect((run.error as Obj).description).toContain('"Form Link in the Message"');
		expect(emu.messages()).toEqual([]);
	});

	it('an invalid form names the field and sends nothing', async () => {
		const run = await ask({
			responseType: 'customForm',
			formFields: {
				values: [{ fieldLabel: 'A label much longer than twenty', fieldType: 'text' }],
			},
		});
		expect(run.error?.message).toContain('Form Fields[0].fieldLabel');
		expect((run.error as Obj).description).toContain('(item 0)');
		expect(emu.messages()).toEqual([]);
		expect(emu.flows.list()).toEqual([]);
	});
});
