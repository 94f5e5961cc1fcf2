/**
 * Several apps, WABAs and numbers; webhook overrides on WABAs and numbers with their handshakes;
 * token reach and permissions; the accounts a token can list; and deliveries routed by Meta's
 * precedence (number → WABA → app). All over HTTP against a started emulator.
 */
import {
	DEFAULT_APP_SECRET,
	DEFAULT_BUSINESS_PORTFOLIO_ID,
	DEFAULT_SYSTEM_USER_ID,
	DEFAULT_WABA_ID,
	PHONE_NUMBER_IDS,
	batch,
	startEmulator,
	type Emulator,
} from './index';
import {
	AGENCY_ACCOUNTS,
	APP2,
	APP2_SECRET,
	APP2_TOKEN,
	B1,
	B2,
	CLIENT_PORTFOLIO,
	EMPLOYEE_ID,
	EMPLOYEE_TOKEN,
	MESSAGING_ONLY_TOKEN,
	WABA_B,
	WABA_C,
} from './agency';
import { WebhookReceiver, signedWith } from './receiver';
import { call, errCode, send, v } from './testUtil';

const A1 = PHONE_NUMBER_IDS[0];
const A2 = PHONE_NUMBER_IDS[1];
const TOKEN = 'override-verify-token';

let e: Emulator;
let rx: WebhookReceiver;

beforeAll(async () => {
	e = await startEmulator({
		accounts: AGENCY_ACCOUNTS,
		webhook: { maxAttempts: 1 },
	});
	rx = await new WebhookReceiver().start();
});
afterAll(async () => {
	await e.stop();
	await rx.stop();
});
beforeEach(() => {
	e.reset();
	e.configure({ webhook: { maxAttempts: 1 } });
	rx.clear();
});

const subscribedApps = (waba: string, token = e.config.token) =>
	call(e, 'GET', v(e, `${waba}/subscribed_apps`), undefined, {}, token);
const setWabaOverride = (waba: string, url: string, verifyToken?: string, token = e.config.token) =>
	call(
		e,
		'POST',
		v(e, `${waba}/subscribed_apps`),
		{ override_callback_uri: url, ...(verifyToken ? { verify_token: verifyToken } : {}) },
		{},
		token,
	);
const subscribe = (waba: string, token = e.config.token) =>
	call(e, 'POST', v(e, `${waba}/subscribed_apps`), undefined, {}, token);
const setNumberOverride = (
	phone: string,
	url: string,
	verifyToken?: string,
	token = e.config.token,
) =>
	call(
		e,
		'POST',
		v(e, phone),
		{
			webhook_configuration: {
				override_callback_uri: url,
				...(verifyToken ? { verify_token: verifyToken } : {}),
			},
		},
		{},
		token,
	);
const webhookConfiguration = async (phone: string, token = e.config.token) =>
	(await call(e, 'GET', v(e, `${phone}?fields=webhook_configuration`), undefined, {}, token)).body;

/** Delivers a text to `phone` and a status of a message sent from it; returns where they went. */
async function deliverMessageAndStatus(phone: string) {
	const message = await e.deliverAll(
		e.inbound.text('16505551234', `hi ${phone}`, { phoneNumberId: phone }),
	);
	const status = await e.deliverAll(
		e.inbound.status('wamid.TEST', 'delivered', { phoneNumberId: phone, recipient: '16505551234' }),
	);
	return [...message, ...status].map((d) => ({
		path: new URL(d.url).pathname,
		registration: d.registration,
		appId: d.appId,
	}));
}

describe('configuration', () => {
	test('the seeded accounts stay as they were; more are configurable at start and at runtime', async () => {
		expect(e.config).toMatchObject({ wabaId: DEFAULT_WABA_ID, phoneNumberIds: PHONE_NUMBER_IDS });
		const numbersA = await call(e, 'GET', v(e, `${DEFAULT_WABA_ID}/phone_numbers?fields=id`));
		expect(numbersA.body.data).toEqual(PHONE_NUMBER_IDS.map((id) => ({ id })));
		const numbersB = await call(
			e,
			'GET',
			v(e, `${WABA_B}/phone_numbers?fields=id,display_phone_number`),
		);
		expect(numbersB.body.data).toEqual([
			{ id: B1, display_phone_number: '+1 555-010-0001' },
			{ id: B2, display_phone_number: '+1 555-010-0002' },
		]);
		expect((await call(e, 'GET', v(e, `${WABA_B}?fields=name`))).body).toEqual({
			id: WABA_B,
			name: 'Client B',
		});
		// Messages from another WABA's number work, and inbound payloads carry that WABA.
		expect(
			(await send(e, { to: '16505551234', type: 'text', text: { body: 'x' } }, B1)).status,
		).toBe(200);
		expect(e.inbound.text('16505551234', 'x', { phoneNumberId: B1 }).entry[0].id).toBe(WABA_B);

		const added = await call(
			e,
			'POST',
			'/__emulator/accounts',
			{
				businessAccounts: [
					{ id: '209999', phoneNumbers: [{ id: '309999', displayPhoneNumber: '15550109999' }] },
				],
			},
			{},
			null,
		);
		expect(added.status).toBe(200);
		expect((await call(e, 'GET', v(e, '309999?fields=id'))).body).toEqual({ id: '309999' });
		const clash = await call(
			e,
			'POST',
			'/__emulator/accounts',
			{ businessAccounts: [{ id: '208888', phoneNumbers: [{ id: B1, displayPhoneNumber: '1' }] }] },
			{},
			null,
		);
		expect(clash.status).toBe(400);
		e.reset();
		expect(errCode(await call(e, 'GET', v(e, '309999')))).toBe(100);
		expect((await call(e, 'GET', v(e, `${B1}?fields=id`))).status).toBe(200);
	});
});

describe('token reach and permissions', () => {
	test('an employee token reaches only its assigned WABA; others answer like unknown objects', async () => {
		expect((await subscribedApps(WABA_B, EMPLOYEE_TOKEN)).status).toBe(200);
		const denied = await subscribedApps(DEFAULT_WABA_ID, EMPLOYEE_TOKEN);
		expect(denied.status).toBe(400);
		expect(denied.body.error.code).toBe(100);
		expect(denied.body.error.error_data.details).toMatch(/missing permissions/);
		const sendWithEmployee = await call(
			e,
			'POST',
			v(e, `${A1}/messages`),
			{ messaging_product: 'whatsapp', to: '16505551234', type: 'text', text: { body: 'x' } },
			{},
			EMPLOYEE_TOKEN,
		);
		expect(errCode(sendWithEmployee)).toBe(100);
		expect(errCode(await setNumberOverride(A1, rx.url('/x'), TOKEN, EMPLOYEE_TOKEN))).toBe(100);
	});

	test('an admin token reaches WABAs its portfolio owns or is shared; other portfolios’ not', async () => {
		expect((await subscribedApps(WABA_C)).status).toBe(200);
		expect((await subscribedApps(WABA_C, APP2_TOKEN)).status).toBe(200);
	});

	test('without whatsapp_business_management, management edges answer (#200) and sending works', async () => {
		const r = await subscribedApps(DEFAULT_WABA_ID, MESSAGING_ONLY_TOKEN);
		expect(r.status).toBe(403);
		expect(r.body.error).toMatchObject({ code: 200, message: '(#200) Permissions error' });
		expect(errCode(await setNumberOverride(A1, rx.url('/x'), TOKEN, MESSAGING_ONLY_TOKEN))).toBe(
			200,
		);
		const sent = await call(
			e,
			'POST',
			v(e, `${A1}/messages`),
			{ messaging_product: 'whatsapp', to: '16505551234', type: 'text', text: { body: 'x' } },
			{},
			MESSAGING_ONLY_TOKEN,
		);
		expect(sent.status).toBe(200);
	});

	test('the app subscriptions edge refuses another app’s token', async () => {
		const path = v(e, `${APP2}/subscriptions?access_token=${encodeURIComponent(`${APP2}|wrong`)}`);
		expect(errCode(await call(e, 'GET', path))).toBe(190);
		const ok = v(
			e,
			`${APP2}/subscriptions?access_token=${encodeURIComponent(`${APP2}|${APP2_SECRET}`)}`,
		);
		expect((await call(e, 'GET', ok)).body).toEqual({ data: [] });
	});

	test('the app token works in the Authorization header, for its own app only', async () => {
		const appToken = `${APP2}|${APP2_SECRET}`;
		const own = await call(e, 'GET', v(e, `${APP2}/subscriptions`), undefined, {}, appToken);
		expect(own.body).toEqual({ data: [] });
		const other = await call(
			e,
			'GET',
			v(e, `${e.config.appId}/subscriptions`),
			undefined,
			{},
			appToken,
		);
		expect(errCode(other)).toBe(190);
		expect(
			errCode(await call(e, 'GET', v(e, `${APP2}/subscriptions`), undefined, {}, `${APP2}|wrong`)),
		).toBe(190);
		// An app token has no business behind it: it sends no message.
		const send = await call(
			e,
			'POST',
			v(e, `${A1}/messages`),
			{ messaging_product: 'whatsapp', to: '16505551234', type: 'text', text: { body: 'x' } },
			{},
			appToken,
		);
		expect(send.status).not.toBe(200);
	});
});

describe('business accounts a token can list', () => {
	test('GET /me names the token’s system user', async () => {
		expect((await call(e, 'GET', v(e, 'me'))).body).toEqual({
			id: DEFAULT_SYSTEM_USER_ID,
			name: 'Emulator System User',
		});
		expect((await call(e, 'GET', v(e, 'me'), undefined, {}, EMPLOYEE_TOKEN)).body.id).toBe(
			EMPLOYEE_ID,
		);
	});

	test('assigned_whatsapp_business_accounts: an admin sees owned and shared, an employee its own', async () => {
		const admin = await call(
			e,
			'GET',
			v(e, `${DEFAULT_SYSTEM_USER_ID}/assigned_whatsapp_business_accounts?fields=id,name`),
		);
		expect(admin.body.data).toEqual([
			{ id: DEFAULT_WABA_ID, name: 'Emulator Business' },
			{ id: WABA_B, name: 'Client B' },
			{ id: WABA_C, name: 'Client C (shared)' },
		]);
		const employee = await call(
			e,
			'GET',
			v(e, 'me/assigned_whatsapp_business_accounts'),
			undefined,
			{},
			EMPLOYEE_TOKEN,
		);
		expect(employee.body.data).toEqual([
			expect.objectContaining({ id: WABA_B, tasks: ['MANAGE', 'DEVELOP'] }),
		]);
		// Someone else's system user is not readable.
		expect(
			errCode(
				await call(
					e,
					'GET',
					v(e, `${DEFAULT_SYSTEM_USER_ID}/assigned_whatsapp_business_accounts`),
					undefined,
					{},
					EMPLOYEE_TOKEN,
				),
			),
		).toBe(100);
	});

	test('pages with limit/after like every Graph list', async () => {
		const first = await call(
			e,
			'GET',
			v(e, 'me/assigned_whatsapp_business_accounts?fields=id&limit=2'),
		);
		expect(first.body.data).toEqual([{ id: DEFAULT_WABA_ID }, { id: WABA_B }]);
		expect(first.body.paging.next).toEqual(expect.any(String));
		const next = await call(e, 'GET', first.body.paging.next as string);
		expect(next.body.data).toEqual([{ id: WABA_C }]);
		expect(next.body.paging.next).toBeUndefined();
	});

	test('a portfolio lists what it owns and what clients shared with it; another portfolio’s lists are closed', async () => {
		const owned = await call(
			e,
			'GET',
			v(e, `${DEFAULT_BUSINESS_PORTFOLIO_ID}/owned_whatsapp_business_accounts?fields=id`),
		);
		expect(owned.body.data).toEqual([{ id: DEFAULT_WABA_ID }, { id: WABA_B }]);
		const client = await call(
			e,
			'GET',
			v(e, `${DEFAULT_BUSINESS_PORTFOLIO_ID}/client_whatsapp_business_accounts?fields=id,name`),
		);
		expect(client.body.data).toEqual([{ id: WABA_C, name: 'Client C (shared)' }]);
		expect(
			errCode(await call(e, 'GET', v(e, `${CLIENT_PORTFOLIO}/owned_whatsapp_business_accounts`))),
		).toBe(100);
	});
});

describe('WABA override (subscribed_apps)', () => {
	test('needs a verify token, at most 200 characters, and a passing handshake; a failure stores nothing', async () => {
		const url = rx.accept('/waba-a', TOKEN);
		expect(errCode(await setWabaOverride(DEFAULT_WABA_ID, url))).toBe(100);
		expect(
			errCode(await setWabaOverride(DEFAULT_WABA_ID, `${url}?${'x'.repeat(200)}`, TOKEN)),
		).toBe(100);
		const failed = await setWabaOverride(DEFAULT_WABA_ID, url, 'not-the-token');
		expect(failed.body.error).toMatchObject({
			code: 2200,
			message: '(#2200) Callback verification failed',
		});
		expect(rx.handshakes.at(-1)).toEqual({ path: '/waba-a', verifyToken: 'not-the-token' });
		expect((await subscribedApps(DEFAULT_WABA_ID)).body).toEqual({ data: [] });

		expect((await setWabaOverride(DEFAULT_WABA_ID, url, TOKEN)).body).toEqual({ success: true });
		expect((await subscribedApps(DEFAULT_WABA_ID)).body.data).toEqual([
			{
				whatsapp_business_api_data: {
					id: e.config.appId,
					link: expect.any(String),
					name: 'Emulator App',
				},
				override_callback_uri: url,
			},
		]);
	});

	test('events of every number of the WABA go there; non-overridable fields still go to the app', async () => {
		e.setCallback(rx.accept('/app', TOKEN), TOKEN);
		await setWabaOverride(DEFAULT_WABA_ID, rx.accept('/waba-a', TOKEN), TOKEN);
		for (const phone of [A1, A2])
			expect(await deliverMessageAndStatus(phone)).toEqual([
				{ path: '/waba-a', registration: 'business_account', appId: e.config.appId },
				{ path: '/waba-a', registration: 'business_account', appId: e.config.appId },
			]);
		const template = await e.deliver(
			e.inbound.event('message_template_status_update', { event: 'APPROVED' }),
		);
		expect(template).toMatchObject({ registration: 'app', delivered: true });
		expect(new URL(template.url).pathname).toBe('/app');
		expect(rx.postsTo('/waba-a').every((p) => signedWith(p, DEFAULT_APP_SECRET))).toBe(true);
	});

	test('POST without a body clears the override and keeps the subscription; DELETE unsubscribes', async () => {
		e.setCallback(rx.accept('/app', TOKEN), TOKEN);
		await setWabaOverride(DEFAULT_WABA_ID, rx.accept('/waba-a', TOKEN), TOKEN);
		expect((await subscribe(DEFAULT_WABA_ID)).body).toEqual({ success: true });
		expect((await subscribedApps(DEFAULT_WABA_ID)).body.data).toEqual([
			{ whatsapp_business_api_data: expect.objectContaining({ id: e.config.appId }) },
		]);
		expect((await deliverMessageAndStatus(A1)).map((d) => d.path)).toEqual(['/app', '/app']);
		expect((await call(e, 'DELETE', v(e, `${DEFAULT_WABA_ID}/subscribed_apps`))).body).toEqual({
			success: true,
		});
		expect((await subscribedApps(DEFAULT_WABA_ID)).body).toEqual({ data: [] });
	});

	test('another WABA receives nothing until its app subscribes', async () => {
		e.setCallback(rx.accept('/app', TOKEN), TOKEN);
		await expect(
			e.deliver(e.inbound.text('16505551234', 'x', { phoneNumberId: B1 })),
		).rejects.toThrow(/No callback URL/);
		await subscribe(WABA_B);
		expect((await deliverMessageAndStatus(B1)).map((d) => d.path)).toEqual(['/app', '/app']);
	});
});

describe('phone number override (webhook_configuration)', () => {
	beforeEach(async () => {
		e.setCallback(rx.accept('/app', TOKEN), TOKEN);
	});

	test('requires the app’s subscription to the number’s WABA, a verify token and a passing handshake', async () => {
		const url = rx.accept('/b1', TOKEN);
		const unsubscribed = await setNumberOverride(B1, url, TOKEN);
		expect(unsubscribed.body.error.code).toBe(100);
		expect(unsubscribed.body.error.error_data.details).toMatch(/not subscribed/);
		await subscribe(WABA_B);
		expect(errCode(await setNumberOverride(B1, url))).toBe(100);
		expect(errCode(await setNumberOverride(B1, url, 'wrong'))).toBe(2200);
		expect(await webhookConfiguration(B1)).toEqual({
			webhook_configuration: { application: rx.url('/app') },
			id: B1,
		});
		expect((await setNumberOverride(B1, url, TOKEN)).body).toEqual({ success: true });
		expect(await webhookConfiguration(B1)).toEqual({
			id: B1,
			webhook_configuration: { phone_number: url, application: rx.url('/app') },
		});
	});

	test('precedence: number over WABA over app, for messages and statuses', async () => {
		await setWabaOverride(WABA_B, rx.accept('/waba-b', TOKEN), TOKEN);
		await setNumberOverride(B1, rx.accept('/b1', TOKEN), TOKEN);
		expect(await deliverMessageAndStatus(B1)).toEqual([
			{ path: '/b1', registration: 'phone_number', appId: e.config.appId },
			{ path: '/b1', registration: 'phone_number', appId: e.config.appId },
		]);
		expect((await deliverMessageAndStatus(B2)).map((d) => d.path)).toEqual(['/waba-b', '/waba-b']);
		expect((await deliverMessageAndStatus(A1)).map((d) => d.path)).toEqual(['/app', '/app']);
		const list = await call(
			e,
			'GET',
			v(e, `${WABA_B}/phone_numbers?fields=id,webhook_configuration`),
		);
		expect(list.body.data).toEqual([
			{
				id: B1,
				webhook_configuration: {
					phone_number: rx.url('/b1'),
					whatsapp_business_account: rx.url('/waba-b'),
					application: rx.url('/app'),
				},
			},
			{
				id: B2,
				webhook_configuration: {
					whatsapp_business_account: rx.url('/waba-b'),
					application: rx.url('/app'),
				},
			},
		]);
	});

	test('an empty override_callback_uri removes it: events fall back to the WABA, then the app', async () => {
		await setWabaOverride(WABA_B, rx.accept('/waba-b', TOKEN), TOKEN);
		await setNumberOverride(B1, rx.accept('/b1', TOKEN), TOKEN);
		expect((await setNumberOverride(B1, '')).body).toEqual({ success: true });
		expect((await deliverMessageAndStatus(B1)).map((d) => d.path)).toEqual(['/waba-b', '/waba-b']);
		await subscribe(WABA_B);
		expect((await deliverMessageAndStatus(B1)).map((d) => d.path)).toEqual(['/app', '/app']);
	});

	test('a batch for several numbers is split: each URL gets only its own changes', async () => {
		await subscribe(WABA_B);
		await setNumberOverride(B1, rx.accept('/b1', TOKEN), TOKEN);
		const posts = await e.deliverAll(
			batch(
				e.inbound.text('16505551234', 'to b1', { phoneNumberId: B1 }),
				e.inbound.text('16505551234', 'to b2', { phoneNumberId: B2 }),
			),
		);
		expect(posts.map((p) => new URL(p.url).pathname).sort()).toEqual(['/app', '/b1']);
		const texts = (path: string) =>
			rx
				.postsTo(path)
				.flatMap((p) =>
					p.body.entry.flatMap((entry) =>
						entry.changes.map(
							(c) => (c.value.messages as { text: { body: string } }[])[0].text.body,
						),
					),
				);
		expect(texts('/b1')).toEqual(['to b1']);
		expect(texts('/app')).toEqual(['to b2']);
	});
});

describe('several apps on one WABA', () => {
	test('overrides belong to the app that set them; each app’s POSTs carry its own signature', async () => {
		e.setCallback(rx.accept('/app', TOKEN), TOKEN);
		await setWabaOverride(DEFAULT_WABA_ID, rx.accept('/app2-waba', TOKEN), TOKEN, APP2_TOKEN);
		expect((await subscribedApps(DEFAULT_WABA_ID)).body.data).toEqual([
			{
				whatsapp_business_api_data: expect.objectContaining({ id: APP2, name: 'Second App' }),
				override_callback_uri: rx.url('/app2-waba'),
			},
		]);
		// The seeded app keeps its callback; the second app gets the same event at its override.
		const posts = await e.deliverAll(e.inbound.text('16505551234', 'both', { phoneNumberId: A1 }));
		expect(posts.map((p) => [p.appId, new URL(p.url).pathname, p.registration])).toEqual([
			[e.config.appId, '/app', 'app'],
			[APP2, '/app2-waba', 'business_account'],
		]);
		expect(signedWith(rx.postsTo('/app')[0], DEFAULT_APP_SECRET)).toBe(true);
		expect(signedWith(rx.postsTo('/app2-waba')[0], APP2_SECRET)).toBe(true);
		expect(signedWith(rx.postsTo('/app2-waba')[0], DEFAULT_APP_SECRET)).toBe(false);
		// webhook_configuration is per app too.
		expect((await webhookConfiguration(A1, APP2_TOKEN)).webhook_configuration).toEqual({
			whatsapp_business_account: rx.url('/app2-waba'),
		});
		expect((await webhookConfiguration(A1)).webhook_configuration).toEqual({
			application: rx.url('/app'),
		});
	});
});

describe('control API', () => {
	test('registrations, accounts and the per-POST result of /inbound', async () => {
		e.setCallback(rx.accept('/app', TOKEN), TOKEN);
		await subscribe(WABA_B);
		await setNumberOverride(B1, rx.accept('/b1', TOKEN), TOKEN);
		const view = await call(e, 'GET', '/__emulator/registrations', undefined, {}, null);
		expect(view.body).toEqual({
			appCallbacks: [{ appId: e.config.appId, url: rx.url('/app') }],
			subscribedApps: [{ wabaId: WABA_B, appId: e.config.appId }],
			phoneNumberOverrides: [
				{ phoneNumberId: B1, appId: e.config.appId, overrideCallbackUri: rx.url('/b1') },
			],
		});
		const inbound = await call(
			e,
			'POST',
			'/__emulator/inbound',
			{ message: { type: 'text', from: '16505551234', text: 'hi', phoneNumberId: B1 } },
			{},
			null,
		);
		expect(inbound.body).toMatchObject({ delivered: true, registration: 'phone_number' });
		expect(inbound.body.posts).toHaveLength(1);
		const accounts = await call(e, 'GET', '/__emulator/accounts', undefined, {}, null);
		expect(accounts.body.businessAccounts.map((w: { id: string }) => w.id)).toEqual([
			DEFAULT_WABA_ID,
			WABA_B,
			WABA_C,
		]);
	});
});
