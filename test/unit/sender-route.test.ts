/**
 * The sender's endpoint choice on a fake clock: Marketing Messages API sends, their refusals, the
 * fallback to Cloud API only when asked, and the same pacing and retries as /messages. Graph is
 * scripted per request path (n8n's request helper is the one function replaced).
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	NodeApiError,
} from 'n8n-workflow';

import {
	classifyGraphError,
	marketingRouteRefusal,
} from '../../nodes/WhatsAppCloud/helpers/graphError';
import { templateRoute } from '../../nodes/WhatsAppCloud/actions/message/sendTemplate.operation';
import { resetLimiters } from '../../nodes/WhatsAppCloud/transport/limiter';
import type { MessageSend, SendSettings } from '../../nodes/WhatsAppCloud/transport/sender';
import { sendMessages } from '../../nodes/WhatsAppCloud/transport/sender';
import { FakeClock } from './support/fakeClock';

type Reply = { status: number; body: unknown };
interface Request {
	at: number;
	endpoint: string;
	body: IDataObject;
}

const PHONE = '106540352242922';

/** Graph answering by endpoint (`messages` / `marketing_messages`) and the request's body. */
function graph(clock: FakeClock, answer: (endpoint: string, body: IDataObject) => Reply) {
	const requests: Request[] = [];
	const context = {
		getNode: () => ({
			id: '1',
			name: 'WhatsApp',
			type: 'n8n-nodes-whatsapp-cloud.whatsAppCloud',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		getCredentials: async () => ({ baseUrl: 'http://graph.test', apiVersion: 'v26.0' }),
		getExecutionCancelSignal: () => undefined,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				const endpoint = String(options.url).split('/').pop() ?? '';
				const body = options.body as IDataObject;
				requests.push({ at: clock.now(), endpoint, body });
				const reply = answer(endpoint, body);
				return { statusCode: reply.status, headers: {}, body: reply.body };
			},
		},
	} as unknown as IExecuteFunctions;
	return { context, requests };
}

const ok = (body: IDataObject): Reply => ({
	status: 200,
	body: {
		messaging_product: 'whatsapp',
		contacts: [{ input: body.to, wa_id: body.to }],
		messages: [{ id: `wamid.${String(body.to)}`, message_status: 'accepted' }],
	},
});
const refused = (code: number, status = 400): Reply => ({
	status,
	body: { error: { message: `(#${code}) Refused`, type: 'OAuthException', code } },
});

const promo = (to: string): IDataObject => ({
	messaging_product: 'whatsapp',
	recipient_type: 'individual',
	to,
	type: 'template',
	template: { name: 'image_promo', language: { code: 'en_US', policy: 'deterministic' } },
});

/** What Send Template hands the sender for a MARKETING template with the given choice. */
const marketing = (to: string, choice: 'off' | 'whenOnboarded' | 'always'): MessageSend => ({
	phoneNumberId: PHONE,
	...templateRoute(promo(to), 'MARKETING', choice),
});

const settings = (overrides: Partial<SendSettings> = {}): SendSettings => ({
	messagesPerSecond: 80,
	maxAttempts: 6,
	maxWaitMs: 600_000,
	retryUncertain: false,
	includeRawResponse: false,
	stopOnFirstError: false,
	...overrides,
});

const run = (clock: FakeClock, context: IExecuteFunctions, messages: MessageSend[], s = {}) =>
	clock.run(
		sendMessages.call(context, messages.length, async (i) => messages[i], settings(s), clock),
	);

const recipients = (n: number) =>
	Array.from({ length: n }, (_, i) => `1555000${String(i).padStart(4, '0')}`);

beforeEach(() => resetLimiters());

test("the route's refusal codes: classified, never retried", () => {
	expect(marketingRouteRefusal(131055)).toBe('notOnboarded');
	expect(marketingRouteRefusal(134100)).toBe('notMarketing');
	expect(marketingRouteRefusal(131047)).toBeUndefined();
	expect(marketingRouteRefusal(undefined)).toBeUndefined();
	expect(classifyGraphError(131055, 400)).toBe('fatal');
	expect(classifyGraphError(134100, 400)).toBe('fatal');
});

test('the route of a template send: MARKETING with the option on → /marketing_messages, STRICT', () => {
	expect(templateRoute(promo('1'), 'MARKETING', 'always')).toEqual({
		payload: { ...promo('1'), product_policy: 'STRICT' },
		endpoint: 'marketing_messages',
		cloudApiFallback: { payload: promo('1'), whenNotOnboarded: false },
	});
	expect(templateRoute(promo('1'), 'MARKETING', 'whenOnboarded').cloudApiFallback).toEqual({
		payload: promo('1'),
		whenNotOnboarded: true,
	});
	for (const [category, choice] of [
		['MARKETING', 'off'],
		['UTILITY', 'always'],
		['AUTHENTICATION', 'whenOnboarded'],
	] as const) {
		expect(templateRoute(promo('1'), category, choice)).toEqual({
			payload: promo('1'),
			endpoint: 'messages',
		});
	}
});

test('accepted by the Marketing Messages API: route marketing_messages, body as built', async () => {
	const clock = new FakeClock();
	const { context, requests } = graph(clock, (_e, body) => ok(body));
	const report = await run(clock, context, [marketing('15550000001', 'always')]);
	expect(requests.map((r) => r.endpoint)).toEqual(['marketing_messages']);
	expect(requests[0].body).toEqual({ ...promo('15550000001'), product_policy: 'STRICT' });
	expect(report.outcomes[0]).toMatchObject({
		ok: true,
		sent: { route: 'marketing_messages', messageId: 'wamid.15550000001', attempts: 1 },
	});
	expect(report.outcomes[0]).not.toHaveProperty('sent.routeFallbackReason');
});

test('an endpoint of messages says route cloud_api; sends without an endpoint have no route', async () => {
	const clock = new FakeClock();
	const { context, requests } = graph(clock, (_e, body) => ok(body));
	const report = await run(clock, context, [
		marketing('15550000001', 'off'),
		{ phoneNumberId: PHONE, payload: promo('15550000002') },
	]);
	expect(requests.map((r) => r.endpoint)).toEqual(['messages', 'messages']);
	expect(report.outcomes[0]).toMatchObject({ ok: true, sent: { route: 'cloud_api' } });
	expect(report.outcomes[1]).toMatchObject({ ok: true });
	expect(report.outcomes[1]).not.toHaveProperty('sent.route');
});

test('not onboarded, "When the Number Is Onboarded": the same message through /messages, once', async () => {
	const clock = new FakeClock();
	const { context, requests } = graph(clock, (endpoint, body) =>
		endpoint === 'marketing_messages' ? refused(131055) : ok(body),
	);
	const report = await run(clock, context, [marketing('15550000001', 'whenOnboarded')]);
	expect(requests.map((r) => [r.endpoint, r.body])).toEqual([
		['marketing_messages', { ...promo('15550000001'), product_policy: 'STRICT' }],
		['messages', promo('15550000001')],
	]);
	expect(report.outcomes[0]).toMatchObject({
		ok: true,
		sent: { route: 'cloud_api', routeFallbackReason: 'notOnboarded', attempts: 2 },
	});
});

test('after one not-onboarded refusal, later items of the number go straight to /messages', async () => {
	const clock = new FakeClock();
	const { context, requests } = graph(clock, (endpoint, body) =>
		endpoint === 'marketing_messages' ? refused(131055) : ok(body),
	);
	// One at a time, so the refusal is known before the next item is sent.
	const report = await run(
		clock,
		context,
		recipients(5).map((to) => marketing(to, 'whenOnboarded')),
		{ messagesPerSecond: 1 },
	);
	expect(report.accepted).toBe(5);
	expect(requests.filter((r) => r.endpoint === 'marketing_messages')).toHaveLength(1);
	// Each recipient once through /messages: nothing lost, nothing doubled.
	expect(
		requests
			.filter((r) => r.endpoint === 'messages')
			.map((r) => r.body.to)
			.sort(),
	).toEqual(recipients(5));
});

test('not onboarded, "Always": the item fails with how to onboard, nothing else is sent', async () => {
	const clock = new FakeClock();
	const { context, requests } = graph(clock, (endpoint, body) =>
		endpoint === 'marketing_messages' ? refused(131055) : ok(body),
	);
	const report = await run(clock, context, [marketing('15550000001', 'always')]);
	expect(requests.map((r) => r.endpoint)).toEqual(['marketing_messages']);
	const outcome = report.outcomes[0]!;
	expect(outcome).toMatchObject({
		ok: false,
		failure: { code: 131055, route: 'marketing_messages', attempts: 1 },
	});
	const hint = outcome.ok ? '' : String(outcome.failure.hint);
	expect(hint).toContain('has not accepted its terms');
	expect(hint).toContain('WhatsApp Manager');
	expect((outcome as { error: NodeApiError }).error.description).toContain(hint);
});

test('a template refused as not MARKETING goes through /messages whatever the choice', async () => {
	const clock = new FakeClock();
	const { context, requests } = graph(clock, (endpoint, body) =>
		endpoint === 'marketing_messages' ? refused(134100) : ok(body),
	);
	const report = await run(clock, context, [marketing('15550000001', 'always')]);
	expect(requests.map((r) => r.endpoint)).toEqual(['marketing_messages', 'messages']);
	expect(report.outcomes[0]).toMatchObject({
		ok: true,
		sent: { route: 'cloud_api', routeFallbackReason: 'notMarketing' },
	});
});

test('the refusal codes on /messages mean nothing special', async () => {
	const clock = new FakeClock();
	const { context, requests } = graph(clock, () => refused(131055));
	const report = await run(clock, context, [marketing('15550000001', 'off')]);
	expect(requests).toHaveLength(1);
	expect(report.outcomes[0]).toMatchObject({ ok: false, failure: { route: 'cloud_api' } });
});

test('130429 on the Marketing Messages API is retried there, paced like /messages', async () => {
	const clock = new FakeClock();
	let throttled = 0;
	const { context, requests } = graph(clock, (_e, body) =>
		body.to === '15550000003' && throttled++ === 0 ? refused(130429, 429) : ok(body),
	);
	const report = await run(
		clock,
		context,
		recipients(200).map((to) => marketing(to, 'always')),
		{ messagesPerSecond: 20 },
	);
	expect(report.accepted).toBe(200);
	expect(new Set(requests.map((r) => r.endpoint))).toEqual(new Set(['marketing_messages']));
	expect(requests).toHaveLength(201);
	// 200 sends at 20/s after the bucket's first second: about 9 s of (fake) time, never faster.
	const last = requests[requests.length - 1].at;
	expect(last).toBeGreaterThanOrEqual(8_000);
	for (let t = 0; t + 2_000 <= last; t += 1_000) {
		const inWindow = requests.filter((r) => r.at >= t + 1_000 && r.at < t + 2_000).length;
		expect(inWindow).toBeLessThanOrEqual(21);
	}
});
