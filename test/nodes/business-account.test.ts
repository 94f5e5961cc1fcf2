/**
 * The action node's per-node Business Account: one credential (one system-user token) serving
 * several client WABAs. Pickers, template sends and lists follow the node's account, fall back to
 * the credential's, and workflows saved before the field existed behave as before. Against the
 * emulator with an agency's accounts; which WABA was asked is read from the emulator's request log.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import { DEFAULT_WABA_ID, PHONE_NUMBER_IDS, startEmulator, type Emulator } from '../emulator';
import { AGENCY_ACCOUNTS, B1, B2, EMPLOYEE_TOKEN, WABA_B, WABA_C } from '../emulator/agency';
import { callLoadOptions, runNode } from './harness';

jest.setTimeout(30_000);

const WABA_A = DEFAULT_WABA_ID;
const RECIPIENT = '16505551234';
let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ accounts: AGENCY_ACCOUNTS });
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => emu.reset());

const credentials = (overrides: IDataObject = {}) => ({
	whatsAppCloudApi: {
		accessToken: emu.config.token,
		appSecret: emu.config.appSecret,
		appId: emu.config.appId,
		businessAccountId: WABA_A,
		apiVersion: emu.config.apiVersion,
		baseUrl: emu.baseUrl,
		verifyToken: 'x',
		...overrides,
	},
});

const rl = (value: string, mode = 'list') => ({ __rl: true, mode, value });

/** The WABA IDs whose `edge` the node asked Graph for, in order. */
const wabasAsked = (edge: string) =>
	emu
		.requests()
		.map((r) => r.path.replace(`/${emu.config.apiVersion}/`, '').split('/'))
		.filter(([, requested]) => requested === edge)
		.map(([waba]) => waba);

type Search = { results: { name: string; value: string }[] };
const search = (method: string, parameters: INodeParameters, creds: IDataObject = {}) =>
	callLoadOptions({
		node: new WhatsAppCloud(),
		kind: 'listSearch',
		method,
		parameters,
		credentials: credentials(creds),
	}) as Promise<Search>;

const sendTemplate = (extra: INodeParameters) => ({
	resource: 'message',
	operation: 'sendTemplate',
	phoneNumberId: rl(B1, 'id'),
	recipient: `+${RECIPIENT}`,
	template: rl('hello_world|en_US'),
	templateLanguage: '',
	templateVariables: { mappingMode: 'defineBelow', value: null },
	...extra,
});

describe('pickers', () => {
	it('Business Account lists what the token was granted', async () => {
		expect((await search('searchBusinessAccounts', {})).results.map((r) => r.value)).toEqual([
			WABA_A,
			WABA_B,
			WABA_C,
		]);
	});

	it('the sender and template pickers follow the node’s Business Account, else the credential’s', async () => {
		const withB = sendTemplate({ businessAccountId: rl(WABA_B) });
		expect((await search('searchPhoneNumbers', withB)).results.map((r) => r.value)).toEqual([
			B1,
			B2,
		]);
		const templates = await search('searchTemplates', withB);
		expect(templates.results.map((r) => r.value)).toContain('hello_world|en_US');
		expect(wabasAsked('phone_numbers')).toEqual([WABA_B]);
		expect(wabasAsked('message_templates')).toEqual([WABA_B]);

		emu.reset();
		const saved = sendTemplate({ businessAccountId: rl('') });
		expect((await search('searchPhoneNumbers', saved)).results.map((r) => r.value)).toEqual(
			PHONE_NUMBER_IDS,
		);
		await search('searchTemplates', saved);
		expect(wabasAsked('phone_numbers')).toEqual([WABA_A]);
		expect(wabasAsked('message_templates')).toEqual([WABA_A]);
	});

	it('a token granted only a client’s WABA works through the node’s Business Account, not the credential’s', async () => {
		const employee = { accessToken: EMPLOYEE_TOKEN };
		await expect(search('searchTemplates', sendTemplate({}), employee)).rejects.toThrow(
			new RegExp(`'${WABA_A}' does not exist`),
		);
		const templates = await search(
			'searchTemplates',
			sendTemplate({ businessAccountId: rl(WABA_B, 'id') }),
			employee,
		);
		expect(templates.results.length).toBeGreaterThan(0);
	});
});

describe('executions', () => {
	it('Send Template looks the template up in the node’s Business Account', async () => {
		const { outputs, error } = await runNode({
			node: new WhatsAppCloud(),
			parameters: sendTemplate({ businessAccountId: rl(WABA_B) }),
			credentials: credentials({ accessToken: EMPLOYEE_TOKEN }),
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ phoneNumberId: B1, templateName: 'hello_world' });
		expect(wabasAsked('message_templates')).toEqual([WABA_B]);
	});

	it('an expression gives each item its client’s account', async () => {
		const { outputs, error } = await runNode({
			node: new WhatsAppCloud(),
			parameters: sendTemplate({
				businessAccountId: rl('={{ $json.waba }}', 'id'),
				phoneNumberId: rl('={{ $json.sender }}', 'id'),
			}),
			items: [
				{ json: { waba: WABA_A, sender: PHONE_NUMBER_IDS[0] } },
				{ json: { waba: WABA_B, sender: B1 } },
			],
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => i.json.phoneNumberId)).toEqual([PHONE_NUMBER_IDS[0], B1]);
		expect([...wabasAsked('message_templates')].sort()).toEqual([WABA_A, WABA_B].sort());
	});

	it('Phone Number → List and Template → List use it; a workflow without the field uses the credential’s', async () => {
		const list = (resource: string, extra: INodeParameters = {}) =>
			runNode({
				node: new WhatsAppCloud(),
				parameters: { resource, operation: 'list', returnAll: true, ...extra },
				credentials: credentials(),
			});
		const numbers = await list('phoneNumber', { businessAccountId: rl(WABA_B) });
		expect(numbers.outputs[0].map((i) => i.json.id)).toEqual([B1, B2]);
		await list('template', { businessAccountId: rl(WABA_C, 'id') });
		expect(wabasAsked('message_templates')).toEqual([WABA_C]);

		emu.reset();
		const before = await list('phoneNumber');
		expect(before.outputs[0].map((i) => i.json.id)).toEqual(PHONE_NUMBER_IDS);
		await list('template');
		expect(wabasAsked('message_templates')).toEqual([WABA_A]);
	});
});
