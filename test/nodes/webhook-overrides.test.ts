/**
 * transport/webhookOverrides.ts through n8n's real HookContext / LoadOptionsContext (a fixture
 * trigger wired to it) against the emulator, which runs Meta's GET handshake against each override
 * URL and routes deliveries number → WABA → app. A loopback receiver stands in for n8n's webhook
 * endpoints: each workflow's URL answers the handshake with its verify token and records events.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

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
import { WebhookReceiver } from '../emulator/receiver';
import { callHook, callLoadOptions } from './harness';
import { OverrideTriggerFixture } from './harness/fixtures/overrideTrigger';

jest.setTimeout(30_000);

const node = new OverrideTriggerFixture();
const VERIFY_TOKEN = 'credential-verify-token';
const WEBHOOK_SUFFIX = '/harness-webhook-id/webhook';
const WABA_A = DEFAULT_WABA_ID;
const [A1, A2] = PHONE_NUMBER_IDS;
let emu: Emulator;
let rx: WebhookReceiver;

beforeAll(async () => {
	emu = await startEmulator({
		accounts: AGENCY_ACCOUNTS,
		webhook: { maxAttempts: 1 },
	});
	rx = await new WebhookReceiver().start();
});
afterAll(async () => {
	await emu.stop();
	await rx.stop();
});
beforeEach(() => {
	emu.reset();
	rx.clear();
});

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

/** A workflow's production URL on the receiver, answering the handshake with `verifyToken`. */
const workflowUrl = (name: string, verifyToken = VERIFY_TOKEN) =>
	rx.accept(`/${name}${WEBHOOK_SUFFIX}`, verifyToken);

const wabaScope = (wabaId = WABA_A): INodeParameters => ({
	scope: 'businessAccount',
	businessAccountId: wabaId,
});
const numberScope = (phoneNumberId: string, wabaId = WABA_B): INodeParameters => ({
	scope: 'phoneNumber',
	businessAccountId: wabaId,
	phoneNumberId,
});

function hook(
	method: 'checkExists' | 'create' | 'delete',
	parameters: INodeParameters,
	webhookUrl: string,
	creds: IDataObject = {},
) {
	return callHook({ node, parameters, credentials: credentials(creds), method, webhookUrl });
}

const registrations = () => emu.registrations.view();
const graphPosts = () =>
	emu
		.requests()
		.filter((r) => r.method !== 'GET')
		.map((r) => `${r.method} ${r.path.replace(`/${emu.config.apiVersion}`, '')}`);

/** Where a text from `phone` and a status of a message from it go now. */
async function routeOf(phone: string) {
	const message = await emu.deliverAll(
		emu.inbound.text('16505551234', `hi ${phone}`, { phoneNumberId: phone }),
	);
	const status = await emu.deliverAll(
		emu.inbound.status('wamid.X', 'read', { phoneNumberId: phone, recipient: '16505551234' }),
	);
	return [...message, ...status].map((d) => new URL(d.url).pathname.split('/')[1]);
}

async function rejection(promise: Promise<unknown>) {
	return await promise.then(
		() => {
			throw new Error('expected the hook to fail');
		},
		(error: unknown) => error as NodeOperationError | NodeApiError,
	);
}

describe('business account scope', () => {
	it('create points the WABA at this trigger after Meta’s handshake; checkExists sees it; create again changes nothing', async () => {
		const url = workflowUrl('wf-a');
		expect(await hook('checkExists', wabaScope(), url)).toBe(false);
		expect(await hook('create', wabaScope(), url)).toBe(true);
		expect(registrations().subscribedApps).toEqual([
			{ wabaId: WABA_A, appId: emu.config.appId, overrideCallbackUri: url },
		]);
		expect(rx.handshakes).toEqual([{ path: `/wf-a${WEBHOOK_SUFFIX}`, verifyToken: VERIFY_TOKEN }]);
		expect(await hook('checkExists', wabaScope(), url)).toBe(true);
		const before = graphPosts().length;
		expect(await hook('create', wabaScope(), url)).toBe(true);
		expect(graphPosts()).toHaveLength(before);
		expect(await routeOf(A1)).toEqual(['wf-a', 'wf-a']);
	});

	it('delete removes only the override: the app stays subscribed, events return to the app URL', async () => {
		emu.setCallback(workflowUrl('app-wf'), VERIFY_TOKEN);
		const url = workflowUrl('wf-a');
		await hook('create', wabaScope(), url);
		expect(await hook('delete', wabaScope(), url)).toBe(true);
		expect(registrations().subscribedApps).toEqual([{ wabaId: WABA_A, appId: emu.config.appId }]);
		expect(await routeOf(A2)).toEqual(['app-wf', 'app-wf']);
	});

	it('a foreign override is refused with its URL and left alone, also by delete', async () => {
		const other = workflowUrl('other-n8n');
		await hook('create', wabaScope(), other);
		const mine = workflowUrl('wf-a');
		const error = await rejection(hook('create', wabaScope(), mine));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			`The WhatsApp Business Account ${WABA_A} already sends its webhooks to another URL`,
		);
		expect(error.description).toContain(other);
		expect(await hook('checkExists', wabaScope(), mine)).toBe(false);
		expect(await hook('delete', wabaScope(), mine)).toBe(true);
		expect(registrations().subscribedApps).toEqual([
			{ wabaId: WABA_A, appId: emu.config.appId, overrideCallbackUri: other },
		]);
	});

	it('a failed handshake fails activation and leaves the app unsubscribed, as before', async () => {
		const url = workflowUrl('wf-a', 'a-different-token');
		const error = await rejection(hook('create', wabaScope(), url));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`Meta could not verify the webhook URL ${url}`);
		expect(error.description).toMatch(/Callback verification failed/);
		expect(registrations().subscribedApps).toEqual([]);
	});

	it('the per-trigger verify token is what Meta’s handshake sends', async () => {
		const url = workflowUrl('wf-a', 'this-workflow-only');
		expect(await hook('create', { ...wabaScope(), verifyToken: 'this-workflow-only' }, url)).toBe(
			true,
		);
		expect(rx.handshakes.at(-1)?.verifyToken).toBe('this-workflow-only');
	});

	it('a WABA the token cannot reach fails with Meta’s error naming it; nothing changes', async () => {
		const error = await rejection(
			hook('create', wabaScope(WABA_A), workflowUrl('wf-a'), { accessToken: EMPLOYEE_TOKEN }),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(
			new RegExp(`'${WABA_A}' does not exist, cannot be loaded due to missing permissions`),
		);
		const unknown = await rejection(hook('create', wabaScope('999'), workflowUrl('wf-a')));
		expect(unknown.message).toMatch(/'999' does not exist/);
		const noPermission = await rejection(
			hook('create', wabaScope(), workflowUrl('wf-a'), { accessToken: MESSAGING_ONLY_TOKEN }),
		);
		expect(noPermission.message).toMatch(/whatsapp_business_management/);
		expect(graphPosts()).toEqual([]);
	});

	it('missing IDs and an over-long URL fail before any Graph call', async () => {
		await expect(
			hook('create', { scope: 'businessAccount', businessAccountId: '' }, workflowUrl('wf-a')),
		).rejects.toThrow('Registering a webhook override needs Business Account ID');
		await expect(hook('create', wabaScope(), workflowUrl('wf-a'), { appId: '' })).rejects.toThrow(
			'needs App ID (credential)',
		);
		await expect(hook('create', wabaScope(), workflowUrl(`${'x'.repeat(200)}`))).rejects.toThrow(
			/Meta accepts at most 200/,
		);
		expect(emu.requests()).toEqual([]);
	});
});

describe('phone number scope', () => {
	it('subscribes the app first when it is not, then overrides only that number', async () => {
		emu.setCallback(workflowUrl('app-wf'), VERIFY_TOKEN);
		const url = workflowUrl('wf-b1');
		expect(await hook('create', numberScope(B1), url)).toBe(true);
		expect(graphPosts()).toEqual([`POST /${WABA_B}/subscribed_apps`, `POST /${B1}`]);
		expect(registrations().phoneNumberOverrides).toEqual([
			{ phoneNumberId: B1, appId: emu.config.appId, overrideCallbackUri: url },
		]);
		expect(await hook('checkExists', numberScope(B1), url)).toBe(true);
		expect(await routeOf(B1)).toEqual(['wf-b1', 'wf-b1']);
		expect(await routeOf(B2)).toEqual(['app-wf', 'app-wf']);
	});

	it('never sends the bodyless POST while the app is subscribed: another workflow’s WABA override survives', async () => {
		const wabaWorkflow = workflowUrl('wf-waba-b');
		await hook('create', wabaScope(WABA_B), wabaWorkflow);
		const url = workflowUrl('wf-b1');
		await hook('create', numberScope(B1), url);
		expect(registrations().subscribedApps).toEqual([
			{ wabaId: WABA_B, appId: emu.config.appId, overrideCallbackUri: wabaWorkflow },
		]);
		expect(await routeOf(B1)).toEqual(['wf-b1', 'wf-b1']);
		expect(await routeOf(B2)).toEqual(['wf-waba-b', 'wf-waba-b']);
		// Deactivating the number hands its events back to the WABA's workflow.
		await hook('delete', numberScope(B1), url);
		expect(registrations().phoneNumberOverrides).toEqual([]);
		expect(await routeOf(B1)).toEqual(['wf-waba-b', 'wf-waba-b']);
	});

	it('a failed handshake undoes the subscription it made: nothing half-registered', async () => {
		const error = await rejection(
			hook('create', numberScope(B1), workflowUrl('wf-b1', 'a-different-token')),
		);
		expect(error.message).toMatch(/Meta could not verify the webhook URL/);
		expect(graphPosts()).toEqual([
			`POST /${WABA_B}/subscribed_apps`,
			`POST /${B1}`,
			`DELETE /${WABA_B}/subscribed_apps`,
		]);
		expect(registrations()).toMatchObject({ subscribedApps: [], phoneNumberOverrides: [] });
	});

	it('a failed handshake keeps a subscription that existed before', async () => {
		await hook('create', wabaScope(WABA_B), workflowUrl('wf-waba-b'));
		await rejection(hook('create', numberScope(B1), workflowUrl('wf-b1', 'a-different-token')));
		expect(registrations().subscribedApps).toEqual([
			{ wabaId: WABA_B, appId: emu.config.appId, overrideCallbackUri: workflowUrl('wf-waba-b') },
		]);
		expect(registrations().phoneNumberOverrides).toEqual([]);
	});

	it('a foreign number override is refused and survives delete', async () => {
		const other = workflowUrl('other-n8n');
		await hook('create', numberScope(B1), other);
		const mine = workflowUrl('wf-b1');
		const error = await rejection(hook('create', numberScope(B1), mine));
		expect(error.message).toBe(`The phone number ${B1} already sends its webhooks to another URL`);
		expect(error.description).toContain(other);
		await hook('delete', numberScope(B1), mine);
		expect(registrations().phoneNumberOverrides).toEqual([
			{ phoneNumberId: B1, appId: emu.config.appId, overrideCallbackUri: other },
		]);
	});
});

describe('three workflows on one app', () => {
	it('WABA A, number B1 and the app each get exactly their events; deactivating one moves its events to the app and back', async () => {
		const app = workflowUrl('app-wf');
		emu.setCallback(app, VERIFY_TOKEN);
		const wfA = workflowUrl('wf-a');
		const wfB1 = workflowUrl('wf-b1');
		await hook('create', wabaScope(WABA_A), wfA);
		await hook('create', numberScope(B1), wfB1);
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
		await hook('delete', wabaScope(WABA_A), wfA);
		expect(await everything()).toEqual({
			A1: ['app-wf', 'app-wf'],
			A2: ['app-wf', 'app-wf'],
			B1: ['wf-b1', 'wf-b1'],
			B2: ['app-wf', 'app-wf'],
		});
		expect(registrations().phoneNumberOverrides).toHaveLength(1);
		await hook('create', wabaScope(WABA_A), wfA);
		expect((await everything()).A1).toEqual(['wf-a', 'wf-a']);
	});
});

describe('business account picker', () => {
	it('lists the WABAs the token reaches, page by page, and filters', async () => {
		const search = (paginationToken?: string, filter?: string, creds: IDataObject = {}) =>
			callLoadOptions({
				node,
				kind: 'listSearch',
				method: 'businessAccounts',
				credentials: credentials(creds),
				paginationToken,
				filter,
			}) as Promise<{ results: { name: string; value: string }[]; paginationToken?: string }>;
		const first = await search();
		expect(first.results).toEqual([
			{ name: `Emulator Business (${WABA_A})`, value: WABA_A },
			{ name: `Client B (${WABA_B})`, value: WABA_B },
		]);
		const second = await search(first.paginationToken);
		expect(second).toEqual({
			results: [{ name: `Client C (shared) (${WABA_C})`, value: WABA_C }],
			paginationToken: undefined,
		});
		expect((await search(undefined, 'client')).results.map((r) => r.value)).toEqual([WABA_B]);
		expect((await search(undefined, undefined, { accessToken: EMPLOYEE_TOKEN })).results).toEqual([
			{ name: `Client B (${WABA_B})`, value: WABA_B },
		]);
	});
});

describe('overrides on a business account', () => {
	it('lists the app’s WABA override and number overrides, so an app-scoped trigger knows not to unsubscribe', async () => {
		const list = () =>
			callLoadOptions({
				node,
				kind: 'listSearch',
				method: 'overrides',
				credentials: credentials({ businessAccountId: WABA_B }),
			}) as Promise<{ results: { name: string; value: string }[] }>;
		await hook(
			'create',
			{ scope: 'businessAccount', businessAccountId: WABA_B },
			workflowUrl('wf-b'),
		);
		expect((await list()).results).toEqual([{ name: 'waba', value: workflowUrl('wf-b') }]);
		await hook('create', numberScope(B2), workflowUrl('wf-b2'));
		expect((await list()).results).toEqual([
			{ name: 'waba', value: workflowUrl('wf-b') },
			{ name: B2, value: workflowUrl('wf-b2') },
		]);
		await hook(
			'delete',
			{ scope: 'businessAccount', businessAccountId: WABA_B },
			workflowUrl('wf-b'),
		);
		await hook('delete', numberScope(B2), workflowUrl('wf-b2'));
		expect((await list()).results).toEqual([]);
	});
});
