import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	NodeApiError,
} from 'n8n-workflow';

import { resetLimiters } from '../../nodes/WhatsAppCloud/transport/limiter';
import type {
	MessageSend,
	SendOutcome,
	SendSettings,
} from '../../nodes/WhatsAppCloud/transport/sender';
import { sendMessages } from '../../nodes/WhatsAppCloud/transport/sender';
import { FakeClock } from './support/fakeClock';

/**
 * The sender on a fake clock. n8n's request helper is replaced by a scripted Graph API (the one
 * n8n function it calls); everything of ours runs for real. Node tests do the same over HTTP.
 */
type Reply =
	{ status: number; body: unknown; headers?: Record<string, string> } | { networkError: string };

interface Call {
	at: number;
	body: IDataObject;
}

function scriptedGraph(clock: FakeClock, script: (body: IDataObject, attempt: number) => Reply) {
	const calls: Call[] = [];
	const attemptsByKey = new Map<string, number>();
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
				const body = options.body as IDataObject;
				calls.push({ at: clock.now(), body });
				const key = JSON.stringify(body);
				const attempt = (attemptsByKey.get(key) ?? 0) + 1;
				attemptsByKey.set(key, attempt);
				const reply = script(body, attempt);
				if ('networkError' in reply) throw { cause: { code: reply.networkError } };
				return { statusCode: reply.status, headers: reply.headers ?? {}, body: reply.body };
			},
		},
	} as unknown as IExecuteFunctions;
	return { context, calls };
}

const accepted = (body: IDataObject): Reply => ({
	status: 200,
	body: {
		messaging_product: 'whatsapp',
		contacts: [{ input: body.to, wa_id: body.to }],
		messages: [{ id: `wamid.${String(body.to)}.${JSON.stringify(body).length}` }],
	},
});

const graphError = (status: number, code: number, details = 'details'): Reply => ({
	status,
	body: {
		error: {
			message: `(#${code}) Title`,
			type: 'OAuthException',
			code,
			error_data: { details },
			fbtrace_id: 'Atrace',
		},
	},
});

const text = (to: string, body = 'hi'): MessageSend => ({
	phoneNumberId: '106540352242922',
	payload: {
		messaging_product: 'whatsapp',
		recipient_type: 'individual',
		to,
		type: 'text',
		text: { body },
	},
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

async function run(
	clock: FakeClock,
	context: IExecuteFunctions,
	messages: MessageSend[],
	options: Partial<SendSettings> = {},
) {
	return await clock.run(
		sendMessages.call(context, messages.length, async (i) => messages[i], settings(options), clock),
	);
}

/** An outcome's fields, flat: what Meta accepted, or the error message beside the failure's details. */
function fields(outcome: SendOutcome | undefined): Record<string, unknown> {
	if (!outcome) return {};
	if (outcome.ok) return { ...outcome.sent };
	return { error: (outcome.error as Error).message, ...outcome.failure };
}

/** The n8n error a failed outcome carries. */
const errorOf = (outcome: SendOutcome) =>
	outcome.ok ? undefined : (outcome.error as NodeApiError);

beforeEach(() => resetLimiters());

test('131056 waits 1 s then 4 s for that recipient only; others go on', async () => {
	const clock = new FakeClock();
	const { context, calls } = scriptedGraph(clock, (body, attempt) =>
		body.to === '15550000001' && attempt <= 2 ? graphError(400, 131056) : accepted(body),
	);
	const report = await run(clock, context, [text('15550000001'), text('15550000002')]);
	expect(report.outcomes.map((o) => o?.ok)).toEqual([true, true]);
	expect(fields(report.outcomes[0])).toMatchObject({
		attempts: 3,
		retried: true,
		to: '15550000001',
	});
	const busy = calls.filter((c) => c.body.to === '15550000001').map((c) => c.at);
	expect(busy[1] - busy[0]).toBeGreaterThanOrEqual(1_000);
	expect(busy[2] - busy[1]).toBeGreaterThanOrEqual(4_000);
	expect(calls.find((c) => c.body.to === '15550000002')!.at).toBeLessThan(100);
});

test('a reset after the request was sent is not retried: the message may exist', async () => {
	const clock = new FakeClock();
	const { context, calls } = scriptedGraph(clock, () => ({ networkError: 'ECONNRESET' }));
	const report = await run(clock, context, [text('15550000001')]);
	expect(calls).toHaveLength(1);
	const outcome = report.outcomes[0]!;
	expect(outcome.ok).toBe(false);
	expect(fields(outcome)).toMatchObject({ code: 'ECONNRESET', uncertain: true, attempts: 1 });
	expect(errorOf(outcome)?.description).toMatch(/Retry Uncertain Failures/);
});

test('with "Retry Uncertain Failures" the same reset is retried', async () => {
	const clock = new FakeClock();
	const { context, calls } = scriptedGraph(clock, (body, attempt) =>
		attempt === 1 ? { networkError: 'ETIMEDOUT' } : accepted(body),
	);
	const report = await run(clock, context, [text('15550000001')], { retryUncertain: true });
	expect(calls).toHaveLength(2);
	expect(report.outcomes[0]?.ok).toBe(true);
});

test('a refused connection never reached Meta, so it is retried', async () => {
	const clock = new FakeClock();
	const { context, calls } = scriptedGraph(clock, (body, attempt) =>
		attempt <= 2 ? { networkError: 'ECONNREFUSED' } : accepted(body),
	);
	const report = await run(clock, context, [text('15550000001')]);
	expect(calls).toHaveLength(3);
	expect(fields(report.outcomes[0])).toMatchObject({ attempts: 3 });
});

test.each([131016, 131057, 133004])(
	'code %i (Meta refused for now) is retried with backoff',
	async (code) => {
		const clock = new FakeClock();
		const { context, calls } = scriptedGraph(clock, (body, attempt) =>
			attempt === 1 ? graphError(503, code) : accepted(body),
		);
		const report = await run(clock, context, [text('15550000001')]);
		expect(report.outcomes[0]?.ok).toBe(true);
		expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(500);
	},
);

const uncertainAnswers: Array<[string, Reply]> = [
	['code 1', graphError(500, 1)],
	['code 2', graphError(500, 2)],
	['code 131000', graphError(500, 131000)],
	['a bare 502 from a gateway', { status: 502, body: '<html>Bad gateway</html>' }],
	['a bare 504 from a gateway', { status: 504, body: '' }],
];

test.each(uncertainAnswers)(
	'%s may have been processed: not retried by default, marked uncertain',
	async (_, reply) => {
		const clock = new FakeClock();
		const { context, calls } = scriptedGraph(clock, (body, attempt) =>
			attempt === 1 ? reply : accepted(body),
		);
		const report = await run(clock, context, [text('15550000001')]);
		expect(calls).toHaveLength(1);
		expect(fields(report.outcomes[0])).toMatchObject({ attempts: 1, uncertain: true });
	},
);

test.each(uncertainAnswers)('%s is retried with "Retry Uncertain Failures"', async (_, reply) => {
	const clock = new FakeClock();
	const { context, calls } = scriptedGraph(clock, (body, attempt) =>
		attempt === 1 ? reply : accepted(body),
	);
	const report = await run(clock, context, [text('15550000001')], { retryUncertain: true });
	expect(calls).toHaveLength(2);
	expect(report.outcomes[0]?.ok).toBe(true);
});

test.each([100, 131026, 131047, 132001, 190, 131048, 368])(
	'code %i fails at once with Meta’s details and a hint',
	async (code) => {
		const clock = new FakeClock();
		const { context, calls } = scriptedGraph(clock, () => graphError(400, code, 'why'));
		const report = await run(clock, context, [text('15550000001')]);
		expect(calls).toHaveLength(1);
		const outcome = report.outcomes[0]!;
		expect(outcome.ok).toBe(false);
		expect(fields(outcome)).toMatchObject({
			code,
			details: 'why',
			fbtraceId: 'Atrace',
			attempts: 1,
			retried: false,
		});
		expect(typeof fields(outcome).hint).toBe('string');
	},
);

test('131047 with a fallback template sends the template instead', async () => {
	const clock = new FakeClock();
	const fallback = {
		messaging_product: 'whatsapp',
		to: '15550000001',
		type: 'template',
		template: { name: 'hello_world', language: { code: 'en_US' } },
	};
	const { context, calls } = scriptedGraph(clock, (body) =>
		body.type === 'text' ? graphError(400, 131047) : accepted(body),
	);
	const report = await run(clock, context, [{ ...text('15550000001'), fallback }]);
	expect(calls.map((c) => c.body.type)).toEqual(['text', 'template']);
	expect(fields(report.outcomes[0])).toMatchObject({ sentAs: 'fallbackTemplate', attempts: 2 });
});

test('130429 is retried and slows the number', async () => {
	const clock = new FakeClock();
	const { context } = scriptedGraph(clock, (body, attempt) =>
		attempt === 1 ? graphError(429, 130429) : accepted(body),
	);
	const messages = Array.from({ length: 20 }, (_, i) =>
		text(`1555000${String(i).padStart(4, '0')}`),
	);
	const report = await run(clock, context, messages);
	expect(report.accepted).toBe(20);
	expect(report.outcomes.every((o) => o?.ok && o.sent.attempts === 2)).toBe(true);
});

test('80007 waits for the time X-Business-Use-Case-Usage announces, for every message of the number', async () => {
	const clock = new FakeClock();
	const usage = JSON.stringify({
		'102290129340398': [{ type: 'whatsapp', estimated_time_to_regain_access: 2 }],
	});
	const { context, calls } = scriptedGraph(clock, (body, attempt) =>
		body.to === '15550000001' && attempt === 1
			? {
					...(graphError(429, 80007) as { status: number; body: unknown }),
					headers: { 'x-business-use-case-usage': usage },
				}
			: accepted(body),
	);
	const report = await run(clock, context, [
		text('15550000001'),
		text('15550000002'),
		text('15550000003'),
	]);
	expect(report.accepted).toBe(3);
	const retry = calls.filter((c) => c.body.to === '15550000001')[1];
	expect(retry.at).toBeGreaterThanOrEqual(120_000);
});

test('retries stop at Max Attempts with the last error and say so', async () => {
	const clock = new FakeClock();
	const { context, calls } = scriptedGraph(clock, () => graphError(503, 131016));
	const report = await run(clock, context, [text('15550000001')], { maxAttempts: 3 });
	expect(calls).toHaveLength(3);
	const outcome = report.outcomes[0]!;
	expect(errorOf(outcome)?.description).toMatch(/Gave up after 3 attempts/);
});

test('retries stop when the next wait would pass Max Wait per Message', async () => {
	const clock = new FakeClock();
	const { context, calls } = scriptedGraph(clock, () => graphError(400, 131056));
	await run(clock, context, [text('15550000001')], { maxWaitMs: 10_000 });
	// Waits 1 s and 4 s (5 s); the next, 16 s, would pass 10 s.
	expect(calls).toHaveLength(3);
});

test('without continue-on-fail the first failure stops new sends; in-flight ones finish', async () => {
	const clock = new FakeClock();
	const { context, calls } = scriptedGraph(clock, (body) =>
		body.to === '15550000003' ? graphError(400, 131026) : accepted(body),
	);
	const messages = Array.from({ length: 200 }, (_, i) =>
		text(`1555000${String(i).padStart(4, '0')}`),
	);
	const report = await run(clock, context, messages, { stopOnFirstError: true });
	expect(report.stoppedBy?.itemIndex).toBe(3);
	expect(calls.length).toBeLessThan(200);
	expect(report.accepted).toBe(calls.length - 1);
	expect(report.outcomes.filter((o) => o === undefined).length).toBe(200 - calls.length);
});

test('messages to one recipient go out one at a time, in item order', async () => {
	const clock = new FakeClock();
	const { context, calls } = scriptedGraph(clock, (body, attempt) =>
		body.text && (body.text as IDataObject).body === 'second' && attempt === 1
			? graphError(503, 131016)
			: accepted(body),
	);
	await run(
		clock,
		context,
		['first', 'second', 'third'].map((word) => text('15550000001', word)),
	);
	expect(calls.map((c) => (c.body.text as IDataObject).body)).toEqual([
		'first',
		'second',
		'second',
		'third',
	]);
});

test('a build error fails only that item', async () => {
	const clock = new FakeClock();
	const { context } = scriptedGraph(clock, accepted);
	const report = await clock.run(
		sendMessages.call(
			context,
			3,
			async (i) => {
				if (i === 1) throw new Error('The recipient is empty');
				return text(`1555000000${i}`);
			},
			settings(),
			clock,
		),
	);
	expect(report.outcomes.map((o) => o?.ok)).toEqual([true, false, true]);
	expect(fields(report.outcomes[1]).error).toMatch(/recipient is empty/);
});

test('2,000 messages at 80/s take 25 s of (fake) time and never exceed the limit', async () => {
	const clock = new FakeClock();
	const { context, calls } = scriptedGraph(clock, accepted);
	const messages = Array.from({ length: 2000 }, (_, i) =>
		text(`1555${String(i).padStart(7, '0')}`),
	);
	const report = await run(clock, context, messages);
	expect(report.accepted).toBe(2000);
	const seconds = calls[calls.length - 1].at / 1000;
	expect(2000 / seconds).toBeGreaterThan(80 * 0.99);
	expect(2000 / seconds).toBeLessThan(80 * 1.01);
});

test('items are built at most two concurrency windows ahead of their sends', async () => {
	const clock = new FakeClock();
	const { context, calls } = scriptedGraph(clock, accepted);
	let built = 0;
	let furthestAhead = 0;
	const report = await clock.run(
		sendMessages.call(
			context,
			1000,
			async (i) => {
				built++;
				furthestAhead = Math.max(furthestAhead, built - calls.length);
				return text(`1555${String(i).padStart(7, '0')}`);
			},
			settings(),
			clock,
		),
	);
	expect(report.accepted).toBe(1000);
	// 80 msg/s → 40 requests in flight; reading parameters stays within 80 items of the sends.
	expect(furthestAhead).toBeGreaterThan(40);
	expect(furthestAhead).toBeLessThanOrEqual(80);
});

test('a 24 h pause announced by Meta fails the next message at its Max Wait instead of waiting a day', async () => {
	const clock = new FakeClock();
	const usage = JSON.stringify({
		'123': [{ type: 'whatsapp_business_management', estimated_time_to_regain_access: 24 * 60 }],
	});
	const { context, calls } = scriptedGraph(clock, (body, attempt) =>
		body.to === '15550000001' && attempt === 1
			? { ...graphError(400, 80007), headers: { 'x-business-use-case-usage': usage } }
			: accepted(body),
	);
	const first = await run(clock, context, [text('15550000001')], { maxWaitMs: 10_000 });
	expect(first.outcomes[0]?.ok).toBe(false);
	// another execution on the same number, Max Wait 10 s: it gives up after 10 s, not 24 h
	const started = clock.now();
	const second = await run(clock, context, [text('15550000002')], { maxWaitMs: 10_000 });
	expect(clock.now() - started).toBeLessThanOrEqual(10_000);
	expect(second.outcomes[0]?.ok).toBe(false);
	expect(fields(second.outcomes[0])).toMatchObject({ code: 'deadline', attempts: 0 });
	expect(errorOf(second.outcomes[0]!)?.message).toMatch(/paused this number until .*Max Wait/);
	expect(calls.filter((c) => c.body.to === '15550000002')).toHaveLength(0);
});

test('cancelling the execution ends a wait for a paused number: nothing more is sent', async () => {
	const clock = new FakeClock();
	const controller = new AbortController();
	const usage = JSON.stringify({
		'123': [{ type: 'whatsapp_business_management', estimated_time_to_regain_access: 30 }],
	});
	const { context, calls } = scriptedGraph(clock, (body, attempt) => {
		if (body.to === '15550000001' && attempt === 1) {
			// the cancel comes 5 s into the 30-minute pause
			void clock.sleep(5_000).then(() => controller.abort());
			return { ...graphError(400, 80007), headers: { 'x-business-use-case-usage': usage } };
		}
		return accepted(body);
	});
	(context as unknown as { getExecutionCancelSignal: () => AbortSignal }).getExecutionCancelSignal =
		() => controller.signal;
	// the second message waits behind the first (same recipient), the first waits out the pause
	const report = await run(clock, context, [text('15550000001'), text('15550000001')], {
		maxWaitMs: 3_600_000,
	});
	expect(clock.now()).toBeLessThan(60_000);
	expect(calls).toHaveLength(1);
	expect(report.outcomes[0]?.ok).toBe(false);
	expect(report.outcomes[1]).toBeUndefined();
	expect(report.accepted).toBe(0);
});
