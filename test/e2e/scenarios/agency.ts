/**
 * The agency scenario (shared by the regular and the queue-mode suites): one emulated Meta app,
 * one credential (one system-user token), three workflows with automatic registration — one
 * scoped to WABA A, one to number B1 of WABA B, one app-scoped. Each gets exactly its own messages
 * and statuses; deactivating one leaves the others' registrations as they were and moves its
 * events to the app-scoped workflow; re-activating restores it; deactivating the app-scoped one
 * never silences the overrides.
 */
import type { Emulator, RegistrationsView } from '../../emulator';
import { DEFAULT_WABA_ID, PHONE_NUMBER_IDS } from '../../emulator';
import { B1, B2, WABA_B } from '../../emulator/agency';
import type { N8nInstance } from '../harness';
import {
	locator,
	nodeOutput,
	sleep,
	triggerNode,
	until,
	type CredentialRef,
	type Json,
} from '../support/nodes';

export const WABA_A = DEFAULT_WABA_ID;
export const [A1, A2] = PHONE_NUMBER_IDS;
const CUSTOMER = '16505551234';
const TRIGGER = 'On client events';

/** What each number's events carry and which workflow must receive them. */
const NUMBERS: Record<string, { wabaId: string; display: string }> = {
	[A1]: { wabaId: WABA_A, display: '15550783881' },
	[A2]: { wabaId: WABA_A, display: '15550783882' },
	[B1]: { wabaId: WABA_B, display: '15550100001' },
	[B2]: { wabaId: WABA_B, display: '15550100002' },
};
type Phone = typeof A1;
type Key = 'app' | 'wabaA' | 'numberB1';

export interface AgencyOptions {
	/** Where workflows are created and activated (the main in queue mode). */
	n8n: N8nInstance;
	/** Emulator with the agency's accounts (test/emulator/agency.ts). */
	emu: Emulator;
	cred: CredentialRef;
	/** n8n's public webhook base (its WEBHOOK_URL + `webhook/`): what registration sends to Meta. */
	webhookBaseUrl: string;
	/** Prefix of the trigger webhook IDs, unique per suite. */
	prefix: string;
	/**
	 * Also activate a rival workflow for WABA A and check n8n reports the refusal (default true;
	 * n8n 2.41 records it only after retrying, ~20 s).
	 */
	rival?: boolean;
}

export async function runAgencyScenario(
	o: AgencyOptions,
): Promise<{ timings: Record<string, number>; workflowIds: string[] }> {
	const { n8n, emu, cred } = o;
	const timings: Record<string, number> = {};
	const webhookIds: Record<Key, string> = {
		app: `${o.prefix}-app`,
		wabaA: `${o.prefix}-waba-a`,
		numberB1: `${o.prefix}-number-b1`,
	};
	const urlOf = (key: Key) => `${o.webhookBaseUrl}${webhookIds[key]}/webhook`;
	const keyOf = (url: string) =>
		(Object.keys(webhookIds) as Key[]).find((key) => urlOf(key) === url) ?? url;
	const automatic = (scope: string, extra: Json = {}): Json => ({
		registration: 'automatic',
		scope,
		...extra,
	});
	const parameters: Record<Key, { registration: Json; options: Json }> = {
		app: { registration: automatic('app'), options: {} },
		wabaA: {
			registration: automatic('businessAccount', {
				businessAccountId: locator(WABA_A, 'list', 'Emulator Business'),
			}),
			// Each override URL is verified on its own: this client's workflow has its own token.
			options: { verifyToken: `${o.prefix}-client-a-verify-token` },
		},
		numberB1: {
			registration: automatic('phoneNumber', {
				businessAccountId: locator(WABA_B, 'id'),
				phoneNumberId: locator(B1, 'list', '15550100001 (B One)'),
			}),
			options: {},
		},
	};
	const ids = {} as Record<Key, string>;
	for (const key of Object.keys(parameters) as Key[]) {
		ids[key] = await n8n.createWorkflow({
			name: `agency ${key}`,
			nodes: [
				triggerNode(TRIGGER, cred, webhookIds[key], {
					events: ['message', 'status'],
					...parameters[key],
				}),
			],
			connections: {},
		});
	}

	/** Whether the emulator holds the registration of `key` (Meta's view of that workflow). */
	const isRegistered = (key: Key) => {
		const view = emu.registrations.view();
		if (key === 'app') return view.appCallbacks.some((c) => c.url === urlOf('app'));
		if (key === 'wabaA')
			return view.subscribedApps.some(
				(s) => s.wabaId === WABA_A && s.overrideCallbackUri === urlOf('wabaA'),
			);
		return view.phoneNumberOverrides.some(
			(n) => n.phoneNumberId === B1 && n.overrideCallbackUri === urlOf('numberB1'),
		);
	};
	// n8n 2.41 publishes (and unpublishes) through an outbox: the API answers first and the
	// trigger's create()/delete() run right after, so wait for Meta's side to change.
	const settle = async (key: Key, registered: boolean) =>
		await until(
			`${key} to be ${registered ? 'registered' : 'removed'} at Meta`,
			() => isRegistered(key) === registered,
			60_000,
		).catch((error: Error) => {
			throw new Error(`${error.message}; n8n log:\n${n8n.logs().slice(-3000)}`);
		});
	const activate = async (key: Key) => {
		await n8n.activate(ids[key]);
		await settle(key, true);
	};
	const deactivate = async (key: Key) => {
		await n8n.deactivate(ids[key]);
		await settle(key, false);
	};

	// App first: it subscribes the app to the credential's WABA A itself; the overrides then come
	// on top, and the app-scoped trigger must never unsubscribe A while they exist.
	let t = Date.now();
	for (const key of ['app', 'wabaA', 'numberB1'] as const) await activate(key);
	timings.activateThreeMs = Date.now() - t;
	const registered: RegistrationsView = {
		appCallbacks: [{ appId: emu.config.appId, url: urlOf('app') }],
		subscribedApps: [
			{ wabaId: WABA_A, appId: emu.config.appId, overrideCallbackUri: urlOf('wabaA') },
			{ wabaId: WABA_B, appId: emu.config.appId },
		],
		phoneNumberOverrides: [
			{ phoneNumberId: B1, appId: emu.config.appId, overrideCallbackUri: urlOf('numberB1') },
		],
	};
	expect(emu.registrations.view()).toEqual(registered);

	const expected: Record<Key, string[]> = { app: [], wabaA: [], numberB1: [] };
	let seq = 0;
	/** A customer's message to `phone` and a status of a message it sent, each to one workflow. */
	async function deliver(phone: Phone, to: Key): Promise<void> {
		const message = emu.inbound.text(CUSTOMER, `hello ${phone} ${++seq}`, { phoneNumberId: phone });
		const status = emu.inbound.status(`wamid.AGENCY.${o.prefix}.${seq}`, 'delivered', {
			phoneNumberId: phone,
			recipient: CUSTOMER,
		});
		for (const payload of [message, status]) {
			const posts = await emu.deliverAll(payload, { maxAttempts: 1 });
			expect(posts.map((p) => [keyOf(p.url), p.statusCodes])).toEqual([[to, [200]]]);
		}
		expected[to].push(`message ${phone}`, `status ${phone}`);
	}

	/** Every workflow has exactly the executions (one item each) of what was delivered to it. */
	async function expectReceived(): Promise<void> {
		for (const key of Object.keys(ids) as Key[]) {
			if (expected[key].length > 0)
				await n8n.waitForExecutions(ids[key], { count: expected[key].length, timeoutMs: 60_000 });
		}
		await sleep(1500); // anything extra would have arrived by now
		for (const key of Object.keys(ids) as Key[]) {
			const executions = await n8n.executions(ids[key]);
			const items = executions.flatMap((e) => nodeOutput(e, TRIGGER)).map((i) => i.json);
			expect(executions.every((e) => e.status === 'success')).toBe(true);
			expect(items.map((i) => `${i.event} ${i.phoneNumberId}`).sort()).toEqual(
				[...expected[key]].sort(),
			);
			for (const item of items) {
				const number = NUMBERS[item.phoneNumberId as Phone];
				// Enough to route without a lookup: account, number, and the registration it came by.
				expect(item).toMatchObject({
					wabaId: number.wabaId,
					displayPhoneNumber: number.display,
					...(key === 'app'
						? { registration: 'app', registrationId: emu.config.appId }
						: key === 'wabaA'
							? { registration: 'businessAccount', registrationId: WABA_A }
							: { registration: 'phoneNumber', registrationId: B1 }),
				});
			}
		}
	}

	t = Date.now();
	await deliver(A1, 'wabaA');
	await deliver(A2, 'wabaA');
	await deliver(B1, 'numberB1');
	await deliver(B2, 'app');
	await expectReceived();
	timings.firstRoundMs = Date.now() - t;

	// A second workflow for WABA A is refused, naming the URL that holds it; nothing changes.
	if (o.rival !== false) {
		t = Date.now();
		const rivalId = await n8n.createWorkflow({
			name: 'agency rival for WABA A',
			nodes: [
				triggerNode(TRIGGER, cred, `${o.prefix}-rival`, {
					events: ['message'],
					...parameters.wabaA,
				}),
			],
			connections: {},
		});
		expect(await activationError(n8n, rivalId)).toContain(
			`The WhatsApp Business Account ${WABA_A} already sends its webhooks to another URL`,
		);
		await n8n.deactivate(rivalId).catch(() => undefined);
		expect(emu.registrations.view()).toEqual(registered);
		timings.refusalMs = Date.now() - t;
	}

	// Client A's workflow off: its override goes, nothing else changes; A's events go to the app.
	await deactivate('wabaA');
	expect(emu.registrations.view()).toEqual({
		...registered,
		subscribedApps: [{ wabaId: WABA_A, appId: emu.config.appId }, registered.subscribedApps[1]],
	});
	await deliver(A1, 'app');
	await deliver(B1, 'numberB1');
	await expectReceived();

	// … and on again: exactly the registrations of before, A's events back to its workflow.
	t = Date.now();
	await activate('wabaA');
	timings.reactivateMs = Date.now() - t;
	expect(emu.registrations.view()).toEqual(registered);
	await deliver(A2, 'wabaA');
	await deliver(B2, 'app');
	await expectReceived();

	// The app-scoped workflow off: the app's callback goes, but the app stays subscribed to A
	// (which it subscribed itself), because unsubscribing would silence the overrides.
	await deactivate('app');
	expect(emu.registrations.view()).toEqual({ ...registered, appCallbacks: [] });
	await deliver(A1, 'wabaA');
	await deliver(B1, 'numberB1');
	await expectReceived();

	for (const key of ['wabaA', 'numberB1'] as const) await deactivate(key);
	expect(emu.registrations.view()).toEqual({
		appCallbacks: [],
		subscribedApps: [
			{ wabaId: WABA_A, appId: emu.config.appId },
			{ wabaId: WABA_B, appId: emu.config.appId },
		],
		phoneNumberOverrides: [],
	});
	return { timings, workflowIds: Object.values(ids) };
}

/**
 * Why n8n could not activate the workflow: 1.x answers the activation with the error; 2.41
 * publishes through an outbox and records it as the trigger's publication status.
 */
async function activationError(n8n: N8nInstance, workflowId: string): Promise<string> {
	const answer = await n8n.api('POST', `/workflows/${workflowId}/activate`);
	if (answer.status >= 400) return answer.text;
	const status = await until(
		'the publication to fail',
		async () => {
			const r = await n8n.rest<{
				data: { triggers: { status: string; errorMessage?: string | null }[] };
			}>('GET', `/rest/workflows/${workflowId}/publication-status`);
			// The trigger's first failure is recorded at once; n8n retries before calling it failed.
			const failed = r.body?.data?.triggers.filter((t) => t.status === 'failed' && t.errorMessage);
			return failed?.length ? failed : undefined;
		},
		60_000,
	);
	return status.map((trigger) => trigger.errorMessage ?? '').join('\n');
}
