/**
 * The real WhatsApp Cloud API Trigger registering in each scope (App, Business Account, Phone
 * Number) through n8n's HookContext against the emulator, which runs Meta's GET handshake against
 * every URL and routes deliveries number → WABA → app. Each "workflow" is a stand-in n8n webhook
 * endpoint that runs the trigger's own webhook(): the handshake is answered by the trigger with its
 * verify token, and the events become the items a workflow would start with.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { WhatsAppCloudTrigger } from '../../nodes/WhatsAppCloud/WhatsAppCloudTrigger.node';
import { clearDedupeStore } from '../../nodes/WhatsAppCloud/helpers/webhook/dedupe';
import { DEFAULT_WABA_ID, PHONE_NUMBER_IDS, startEmulator, type Emulator } from '../emulator';
import {
	AGENCY_ACCOUNTS,
	B1,
	B2,
	EMPLOYEE_TOKEN,
	MESSAGING_ONLY_TOKEN,
	WABA_B,
	WABA_C,
} from '../emulator/agency';
import { callLoadOptions } from './harness';
import { TriggerWorkflows, type StandInWorkflow } from './harness/trigger-workflows';

jest.setTimeout(30_000);

const node = new WhatsAppCloudTrigger();
const VERIFY_TOKEN = 'credential-verify-token';
const WABA_A = DEFAULT_WABA_ID;
const [A1, A2] = PHONE_NUMBER_IDS;
const CUSTOMER = '16505551234';
let emu: Emulator;
let workflows: TriggerWorkflows;
/** Credential overrides per workflow name (default: none). */
const credentialOverrides = new Map<string, IDataObject>();

const credentials = (overrides: IDataObject = {}) => ({
	whatsAppCloudApi: {
		accessToken: emu.config.token,
		appSecret: emu.config.appSecret,
		appId: emu.config.appId,
		businessAccountId: emu.config.wabaId,
		verifyToken: VERIFY_TOKEN,
		apiVersion: emu.config.apiVersion,
		baseUrl: emu.baseUrl,
		...overrides,
	},
});

beforeAll(async () => {
	emu = await startEmulator({ accounts: AGENCY_ACCOUNTS, webhook: { maxAttempts: 1 } });
	workflows = await new TriggerWorkflows(node, (workflow: StandInWorkflow) =>
		credentials(credentialOverrides.get(workflow.name)),
	).start();
});
afterAll(async () => {
	await emu.stop();
	await workflows.stop();
});
beforeEach(() => {
	emu.reset();
	workflows.clear();
	credentialOverrides.clear();
	clearDedupeStore();
});

/** `{ __rl, mode, value }`, as the editor stores a picked account or number. */
const locator = (value: string, mode = 'list') => ({ __rl: true, mode, value });

const appScope = (extra: INodeParameters = {}): INodeParameters => ({
	registration: 'automatic',
	scope: 'app',
	...extra,
});
const wabaScope = (wabaId = WABA_A, extra: INodeParameters = {}): INodeParameters => ({
	registration: 'automatic',
	scope: 'businessAccount',
	businessAccountId: locator(wabaId),
	...extra,
});
const numberScope = (
	phoneNumberId: string,
	wabaId = WABA_B,
	extra: INodeParameters = {},
): INodeParameters => ({
	registration: 'automatic',
	scope: 'phoneNumber',
	businessAccountId: locator(wabaId, 'id'),
	phoneNumberId: locator(phoneNumberId),
	...extra,
});

function workflow(name: string, parameters: INodeParameters, creds?: IDataObject) {
	if (creds) credentialOverrides.set(name, creds);
	return workflows.add(name, parameters);
}

const registrations = () => emu.registrations.view();
const graphWrites = () =>
	emu
		.requests()
		.filter((r) => r.method !== 'GET' && !r.path.startsWith('/__'))
		.map((r) => `${r.method} ${r.path.replace(`/${emu.config.apiVersion}`, '')}`);

let wamidSeq = 0;
/** Delivers a text from a customer to `phone` and a status of a message `phone` sent: where each went. */
async function routeOf(phone: string): Promise<string[]> {
	const message = await emu.deliverAll(
		emu.inbound.text(CUSTOMER, `hi ${phone}`, { phoneNumberId: phone }),
	);
	const status = await emu.deliverAll(
		emu.inbound.status(`wamid.OUT${++wamidSeq}`, 'read', {
			phoneNumberId: phone,
			recipient: CUSTOMER,
		}),
	);
	const posts = [...message, ...status];
	expect(posts.map((p) => p.statusCodes)).toEqual(posts.map(() => [200]));
	return posts.map((p) => workflows.nameOf(p.url) || p.url);
}

/** The items the workflow's executions carried, newest execution last. */
const itemsOf = (name: string) => workflows.get(name).executions.flat();

async function rejection(promise: Promise<unknown>) {
	return await promise.then(
		() => {
			throw new Error('expected the hook to fail');
		},
		(error: unknown) => error as NodeOperationError | NodeApiError,
	);
}

describe('business account scope', () => {
	it('activation points the WABA at this trigger after Meta’s handshake, which the trigger answers; activating again changes nothing', async () => {
		const wfA = workflow('wf-a', wabaScope());
		expect(await workflows.hook('wf-a', 'checkExists')).toBe(false);
		await workflows.activate('wf-a');
		expect(registrations().subscribedApps).toEqual([
			{ wabaId: WABA_A, appId: emu.config.appId, overrideCallbackUri: wfA.url },
		]);
		// Meta's GET went to the trigger's own webhook, which answered it.
		expect(wfA.requests).toEqual([['GET', 200]]);
		expect(await workflows.hook('wf-a', 'checkExists')).toBe(true);
		const before = graphWrites().length;
		expect(await workflows.hook('wf-a', 'create')).toBe(true);
		expect(graphWrites()).toHaveLength(before);
		expect(await routeOf(A1)).toEqual(['wf-a', 'wf-a']);
		expect(itemsOf('wf-a')).toEqual([
			expect.objectContaining({
				event: 'message',
				wabaId: WABA_A,
				phoneNumberId: A1,
				displayPhoneNumber: '15550783881',
				registration: 'businessAccount',
				registrationId: WABA_A,
			}),
			expect.objectContaining({
				event: 'status',
				wabaId: WABA_A,
				phoneNumberId: A1,
				registration: 'businessAccount',
				registrationId: WABA_A,
			}),
		]);
	});

	it('an empty Business Account field means the credential’s WABA', async () => {
		const wf = workflow('wf-default', {
			registration: 'automatic',
			scope: 'businessAccount',
			businessAccountId: locator(''),
		});
		await workflows.activate('wf-default');
		expect(registrations().subscribedApps).toEqual([
			{ wabaId: emu.config.wabaId, appId: emu.config.appId, overrideCallbackUri: wf.url },
		]);
	});

	it('deactivation removes only the override: the app stays subscribed and the events return to the app-scoped workflow', async () => {
		workflow('app-wf', appScope());
		await workflows.activate('app-wf');
		workflow('wf-a', wabaScope());
		await workflows.activate('wf-a');
		expect(await routeOf(A2)).toEqual(['wf-a', 'wf-a']);
		await workflows.deactivate('wf-a');
		expect(registrations().subscribedApps).toEqual([{ wabaId: WABA_A, appId: emu.config.appId }]);
		expect(registrations().appCallbacks).toEqual([
			{ appId: emu.config.appId, url: workflows.urlOf('app-wf') },
		]);
		expect(await routeOf(A2)).toEqual(['app-wf', 'app-wf']);
		expect(itemsOf('app-wf').map((i) => [i.event, i.registration, i.registrationId])).toEqual([
			['message', 'app', emu.config.appId],
			['status', 'app', emu.config.appId],
		]);
	});

	it('a foreign override is refused with its URL and left alone, also by deactivation', async () => {
		const other = workflow('other-n8n', wabaScope());
		await workflows.activate('other-n8n');
		workflow('wf-a', wabaScope());
		const error = await rejection(workflows.activate('wf-a'));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			`The WhatsApp Business Account ${WABA_A} already sends its webhooks to another URL`,
		);
		expect(error.description).toContain(other.url);
		expect(await workflows.hook('wf-a', 'checkExists')).toBe(false);
		expect(await workflows.hook('wf-a', 'delete')).toBe(true);
		expect(registrations().subscribedApps).toEqual([
			{ wabaId: WABA_A, appId: emu.config.appId, overrideCallbackUri: other.url },
		]);
		expect(await routeOf(A1)).toEqual(['other-n8n', 'other-n8n']);
	});

	it('a failed handshake fails activation with an explanation and leaves the app unsubscribed, as before', async () => {
		const wf = workflow('wf-a', wabaScope());
		// The webhook is not registered when Meta calls it (404): as if n8n were not reachable there.
		const error = await rejection(workflows.hook('wf-a', 'create'));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`Meta could not verify the webhook URL ${wf.url}`);
		expect(error.description).toMatch(/Callback verification failed.*HTTP Status Code = 404/);
		expect(registrations().subscribedApps).toEqual([]);
	});

	it('the per-trigger Verify Token is what registration sends and what the trigger’s handshake accepts', async () => {
		const wf = workflow('wf-a', wabaScope(WABA_A, { options: { verifyToken: 'wf-a-only' } }));
		await workflows.activate('wf-a');
		expect(wf.requests).toEqual([['GET', 200]]);
		expect((await emu.verify(wf.url, 'wf-a-only')).ok).toBe(true);
		// The credential's token no longer opens this trigger's handshake.
		expect((await emu.verify(wf.url, VERIFY_TOKEN)).ok).toBe(false);
	});

	it('a WABA the token cannot reach, an unknown one and a token without management fail with Meta’s error; nothing changes', async () => {
		workflow('employee', wabaScope(WABA_A), { accessToken: EMPLOYEE_TOKEN });
		const error = await rejection(workflows.activate('employee'));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(
			new RegExp(`'${WABA_A}' does not exist, cannot be loaded due to missing permissions`),
		);
		workflow('unknown', wabaScope('999'));
		expect((await rejection(workflows.activate('unknown'))).message).toMatch(
			/'999' does not exist/,
		);
		workflow('messaging-only', wabaScope(), { accessToken: MESSAGING_ONLY_TOKEN });
		expect((await rejection(workflows.activate('messaging-only'))).message).toMatch(
			/whatsapp_business_management/,
		);
		expect(graphWrites()).toEqual([]);
	});

	it('missing IDs, a missing verify token and an over-long URL fail before any Graph call', async () => {
		const create = (name: string, parameters: INodeParameters, creds?: IDataObject) => {
			workflow(name, parameters, creds);
			return workflows.hook(name, 'create');
		};
		await expect(create('no-waba', wabaScope(''), { businessAccountId: '' })).rejects.toThrow(
			'Registering a webhook override needs Business Account (trigger or credential)',
		);
		await expect(create('no-app', wabaScope(), { appId: '' })).rejects.toThrow(
			'needs App ID (credential)',
		);
		await expect(create('no-token', wabaScope(), { verifyToken: '' })).rejects.toThrow(
			'needs Verify Token (trigger option or credential)',
		);
		await expect(create('x'.repeat(200), wabaScope())).rejects.toThrow(/Meta accepts at most 200/);
		// Deactivation with missing values has nothing to undo.
		expect(await workflows.hook('no-waba', 'delete')).toBe(true);
		expect(emu.requests().filter((r) => !r.path.startsWith('/__'))).toEqual([]);
	});

	it('deactivation removes what activation registered, even when the parameters changed since', async () => {
		const wf = workflow('wf-a', wabaScope(WABA_A));
		await workflows.activate('wf-a');
		wf.parameters = wabaScope(WABA_B);
		await workflows.deactivate('wf-a');
		expect(registrations().subscribedApps).toEqual([{ wabaId: WABA_A, appId: emu.config.appId }]);
	});
});

describe('phone number scope', () => {
	it('subscribes the app first when it is not, then overrides only that number', async () => {
		workflow('app-wf', appScope());
		await workflows.activate('app-wf');
		const wf = workflow('wf-b1', numberScope(B1));
		const before = graphWrites().length;
		await workflows.activate('wf-b1');
		expect(graphWrites().slice(before)).toEqual([`POST /${WABA_B}/subscribed_apps`, `POST /${B1}`]);
		expect(registrations().phoneNumberOverrides).toEqual([
			{ phoneNumberId: B1, appId: emu.config.appId, overrideCallbackUri: wf.url },
		]);
		expect(await workflows.hook('wf-b1', 'checkExists')).toBe(true);
		expect(await routeOf(B1)).toEqual(['wf-b1', 'wf-b1']);
		expect(await routeOf(B2)).toEqual(['app-wf', 'app-wf']);
		expect(itemsOf('wf-b1')).toEqual([
			expect.objectContaining({
				event: 'message',
				wabaId: WABA_B,
				phoneNumberId: B1,
				displayPhoneNumber: '15550100001',
				registration: 'phoneNumber',
				registrationId: B1,
			}),
			expect.objectContaining({ event: 'status', phoneNumberId: B1, registrationId: B1 }),
		]);
		expect(itemsOf('app-wf').map((i) => [i.phoneNumberId, i.registration])).toEqual([
			[B2, 'app'],
			[B2, 'app'],
		]);
	});

	it('never sends the bodyless POST while the app is subscribed: another workflow’s WABA override survives', async () => {
		const wabaWorkflow = workflow('wf-waba-b', wabaScope(WABA_B));
		await workflows.activate('wf-waba-b');
		workflow('wf-b1', numberScope(B1));
		await workflows.activate('wf-b1');
		expect(registrations().subscribedApps).toEqual([
			{ wabaId: WABA_B, appId: emu.config.appId, overrideCallbackUri: wabaWorkflow.url },
		]);
		expect(await routeOf(B1)).toEqual(['wf-b1', 'wf-b1']);
		expect(await routeOf(B2)).toEqual(['wf-waba-b', 'wf-waba-b']);
		// Deactivating the number hands its events back to the WABA's workflow.
		await workflows.deactivate('wf-b1');
		expect(registrations().phoneNumberOverrides).toEqual([]);
		expect(await routeOf(B1)).toEqual(['wf-waba-b', 'wf-waba-b']);
	});

	it('a failed handshake undoes the subscription it made: nothing half-registered', async () => {
		workflow('wf-b1', numberScope(B1));
		// Not reachable: the webhook is not registered when Meta calls it.
		const error = await rejection(workflows.hook('wf-b1', 'create'));
		expect(error.message).toMatch(/Meta could not verify the webhook URL/);
		expect(graphWrites()).toEqual([
			`POST /${WABA_B}/subscribed_apps`,
			`POST /${B1}`,
			`DELETE /${WABA_B}/subscribed_apps`,
		]);
		expect(registrations()).toMatchObject({ subscribedApps: [], phoneNumberOverrides: [] });
	});

	it('a failed handshake keeps a subscription that existed before', async () => {
		const wabaWorkflow = workflow('wf-waba-b', wabaScope(WABA_B));
		await workflows.activate('wf-waba-b');
		workflow('wf-b1', numberScope(B1));
		await rejection(workflows.hook('wf-b1', 'create'));
		expect(registrations().subscribedApps).toEqual([
			{ wabaId: WABA_B, appId: emu.config.appId, overrideCallbackUri: wabaWorkflow.url },
		]);
		expect(registrations().phoneNumberOverrides).toEqual([]);
	});

	it('a foreign number override is refused and survives deactivation', async () => {
		const other = workflow('other-n8n', numberScope(B1));
		await workflows.activate('other-n8n');
		workflow('wf-b1', numberScope(B1));
		const error = await rejection(workflows.activate('wf-b1'));
		expect(error.message).toBe(`The phone number ${B1} already sends its webhooks to another URL`);
		expect(error.description).toContain(other.url);
		await workflows.hook('wf-b1', 'delete');
		expect(registrations().phoneNumberOverrides).toEqual([
			{ phoneNumberId: B1, appId: emu.config.appId, overrideCallbackUri: other.url },
		]);
	});

	it('a number scope without a number fails naming it', async () => {
		workflow('wf', numberScope(''));
		await expect(workflows.activate('wf')).rejects.toThrow(
			'Registering a webhook override needs Phone Number',
		);
		expect(graphWrites()).toEqual([]);
	});
});

describe('app scope next to overrides', () => {
	it('deactivating the app-scoped trigger never unsubscribes the app while overrides exist on its account', async () => {
		workflow('app-wf', appScope());
		await workflows.activate('app-wf');
		// The app-scoped trigger subscribed the app to the credential's WABA itself …
		expect(registrations().subscribedApps).toEqual([{ wabaId: WABA_A, appId: emu.config.appId }]);
		const wfA = workflow('wf-a', wabaScope(WABA_A));
		await workflows.activate('wf-a');
		await workflows.deactivate('app-wf');
		// … but unsubscribing now would silence wf-a's override.
		expect(graphWrites()).not.toContain(`DELETE /${WABA_A}/subscribed_apps`);
		expect(registrations()).toMatchObject({
			appCallbacks: [],
			subscribedApps: [{ wabaId: WABA_A, appId: emu.config.appId, overrideCallbackUri: wfA.url }],
		});
		expect(await routeOf(A1)).toEqual(['wf-a', 'wf-a']);
	});

	it('a number override elsewhere on the account also keeps the subscription', async () => {
		workflow('app-wf', appScope({ businessAccountId: locator(WABA_B) }));
		await workflows.activate('app-wf');
		expect(registrations().subscribedApps).toEqual([{ wabaId: WABA_B, appId: emu.config.appId }]);
		const wfB2 = workflow('wf-b2', numberScope(B2));
		await workflows.activate('wf-b2');
		await workflows.deactivate('app-wf');
		expect(registrations().subscribedApps).toEqual([{ wabaId: WABA_B, appId: emu.config.appId }]);
		expect(registrations().phoneNumberOverrides).toEqual([
			{ phoneNumberId: B2, appId: emu.config.appId, overrideCallbackUri: wfB2.url },
		]);
		expect(await routeOf(B2)).toEqual(['wf-b2', 'wf-b2']);
	});

	it('without overrides on the account, the subscription it made goes with it', async () => {
		workflow('app-wf', appScope({ businessAccountId: locator(WABA_C, 'id') }));
		await workflows.activate('app-wf');
		expect(registrations().subscribedApps).toEqual([{ wabaId: WABA_C, appId: emu.config.appId }]);
		await workflows.deactivate('app-wf');
		expect(registrations()).toMatchObject({ appCallbacks: [], subscribedApps: [] });
	});
});

describe('three workflows on one app', () => {
	it('WABA A, number B1 and the app each get exactly their events; deactivating one moves its events to the app-scoped workflow and back', async () => {
		workflow('app-wf', appScope());
		workflow('wf-a', wabaScope(WABA_A, { options: { verifyToken: 'client-a-token' } }));
		workflow('wf-b1', numberScope(B1));
		for (const name of ['app-wf', 'wf-a', 'wf-b1']) await workflows.activate(name);
		const everything = async () => ({
			A1: await routeOf(A1),
			A2: await routeOf(A2),
			B1: await routeOf(B1),
			B2: await routeOf(B2),
		});
		expect(await everything()).toEqual({
			A1: ['wf-a', 'wf-a'],
			A2: ['wf-a', 'wf-a'],
			B1: ['wf-b1', 'wf-b1'],
			B2: ['app-wf', 'app-wf'],
		});
		const routed = (name: string) =>
			itemsOf(name).map((i) => `${i.event} ${i.phoneNumberId} ${i.registration}`);
		expect(routed('wf-a')).toEqual([
			`message ${A1} businessAccount`,
			`status ${A1} businessAccount`,
			`message ${A2} businessAccount`,
			`status ${A2} businessAccount`,
		]);
		expect(routed('wf-b1')).toEqual([`message ${B1} phoneNumber`, `status ${B1} phoneNumber`]);
		expect(routed('app-wf')).toEqual([`message ${B2} app`, `status ${B2} app`]);

		const before = registrations();
		await workflows.deactivate('wf-a');
		expect(registrations()).toEqual({
			...before,
			subscribedApps: before.subscribedApps.map((s) =>
				s.wabaId === WABA_A ? { wabaId: WABA_A, appId: emu.config.appId } : s,
			),
		});
		expect(await everything()).toEqual({
			A1: ['app-wf', 'app-wf'],
			A2: ['app-wf', 'app-wf'],
			B1: ['wf-b1', 'wf-b1'],
			B2: ['app-wf', 'app-wf'],
		});
		await workflows.activate('wf-a');
		expect(registrations()).toEqual(before);
		expect((await everything()).A1).toEqual(['wf-a', 'wf-a']);
	});
});

describe('pickers', () => {
	type Search = { results: { name: string; value: string }[]; paginationToken?: string };
	const search = (method: string, parameters: INodeParameters = {}, creds: IDataObject = {}) =>
		callLoadOptions({
			node,
			kind: 'listSearch',
			method,
			parameters,
			credentials: credentials(creds),
		}) as Promise<Search>;

	it('Business Account lists the WABAs the token was granted (its own and shared ones) and filters', async () => {
		expect((await search('searchBusinessAccounts')).results).toEqual([
			{ name: `Emulator Business (${WABA_A})`, value: WABA_A },
			{ name: `Client B (${WABA_B})`, value: WABA_B },
			{ name: `Client C (shared) (${WABA_C})`, value: WABA_C },
		]);
		const filtered = (await callLoadOptions({
			node,
			kind: 'listSearch',
			method: 'searchBusinessAccounts',
			credentials: credentials(),
			filter: 'client b',
		})) as Search;
		expect(filtered.results.map((r) => r.value)).toEqual([WABA_B]);
		expect(
			(await search('searchBusinessAccounts', {}, { accessToken: EMPLOYEE_TOKEN })).results,
		).toEqual([{ name: `Client B (${WABA_B})`, value: WABA_B }]);
	});

	it('Phone Number follows the node’s Business Account, else the credential’s', async () => {
		const values = async (parameters: INodeParameters) =>
			(await search('searchPhoneNumbers', parameters)).results.map((r) => r.value);
		expect(await values(numberScope('', WABA_B))).toEqual([B1, B2]);
		expect(await values({ ...numberScope(''), businessAccountId: locator('') })).toEqual(
			PHONE_NUMBER_IDS,
		);
	});
});
