import { PHONE_NUMBER_IDS, startEmulator, type Emulator } from './index';
import { errCode, send } from './testUtil';

let e: Emulator;
beforeAll(async () => {
	e = await startEmulator();
});
afterAll(() => e.stop());
beforeEach(() => e.reset());

const text = { type: 'text', text: { body: 'hi' } };

/** Fires `perSecond` sends for `seconds` without waiting for answers, each to a fresh recipient. */
async function flood(perSecond: number, seconds: number, phoneNumberId = PHONE_NUMBER_IDS[0]) {
	const total = Math.round(perSecond * seconds);
	const start = Date.now();
	const jobs: Promise<{ status: number; code?: number }>[] = [];
	for (let i = 0; i < total; i++) {
		const due = start + (i * 1000) / perSecond;
		const wait = due - Date.now();
		if (wait > 0) await new Promise((r) => setTimeout(r, wait));
		jobs.push(
			send(e, { to: `1777${String(i).padStart(7, '0')}`, ...text }, phoneNumberId).then((r) => ({
				status: r.status,
				code: errCode(r),
			})),
		);
	}
	return Promise.all(jobs);
}

/** Expected accepted = bucket capacity + rate × (server-side span between first and last request). */
function expectedAccepted(rate: number) {
	const reqs = e.requests().filter((r) => r.path.endsWith('/messages'));
	const span = (reqs.at(-1)!.at - reqs[0].at) / 1000;
	return rate + rate * span;
}

describe('throughput (130429)', () => {
	test.each([40, 80])(
		'limit %i msg/s, offered 2× for ~2.5 s → accepted within ±5 %%',
		async (rate) => {
			e.configure({ messagesPerSecond: rate });
			const results = await flood(rate * 2, 2.5);
			const accepted = results.filter((r) => r.status === 200).length;
			const rejected = results.filter((r) => r.status !== 200);
			const expected = expectedAccepted(rate);
			expect(Math.abs(accepted - expected) / expected).toBeLessThanOrEqual(0.05);
			expect(rejected.length).toBeGreaterThan(0);
			expect(rejected.every((r) => r.status === 429 && r.code === 130429)).toBe(true);
			expect(e.messages()).toHaveLength(accepted);
		},
		20_000,
	);

	test('error body and details as Meta', async () => {
		e.configure({ messagesPerSecond: 1 });
		expect((await send(e, { to: '16505550001', ...text })).status).toBe(200);
		const r = await send(e, { to: '16505550002', ...text });
		expect(r.status).toBe(429);
		expect(r.body.error).toMatchObject({
			code: 130429,
			message: '(#130429) Rate limit hit',
			error_data: { details: 'Cloud API message throughput has been reached.' },
		});
	});

	test('rejected sends consume no token; invalid sends neither', async () => {
		e.configure({ messagesPerSecond: 5 });
		for (let i = 0; i < 5; i++)
			expect((await send(e, { to: `1650555000${i}`, text: { body: '' } })).status).toBe(400);
		const ok = await Promise.all(
			Array.from({ length: 5 }, (_, i) => send(e, { to: `1650555100${i}`, ...text })),
		);
		expect(ok.every((r) => r.status === 200)).toBe(true);
		for (let i = 0; i < 20; i++)
			expect(errCode(await send(e, { to: '16505552000', ...text }))).toBe(130429);
		await new Promise((r) => setTimeout(r, 450)); // ~2 tokens refilled despite the rejected flood
		expect((await send(e, { to: '16505552001', ...text })).status).toBe(200);
	});

	test('limits are per phone number; HIGH numbers get highMessagesPerSecond; overrides win', async () => {
		e.configure({
			messagesPerSecond: 2,
			highMessagesPerSecond: 50,
			throughputOverrides: { [PHONE_NUMBER_IDS[2]]: 3 },
		});
		const burst = (id: string, n: number) =>
			Promise.all(
				Array.from({ length: n }, (_, i) =>
					send(e, { to: `1888${id.slice(-3)}${String(i).padStart(4, '0')}`, ...text }, id),
				),
			);
		const count = (rs: { status: number }[]) => rs.filter((r) => r.status === 200).length;
		expect(count(await burst(PHONE_NUMBER_IDS[0], 6))).toBe(2);
		expect(count(await burst(PHONE_NUMBER_IDS[1], 30))).toBe(30);
		expect(count(await burst(PHONE_NUMBER_IDS[2], 6))).toBe(3);
	});
});

describe('pair rate (131056)', () => {
	test('45-message burst to one recipient accepted, the 46th rejected; others unaffected', async () => {
		const results: number[] = [];
		for (let i = 0; i < 46; i++)
			results.push(
				(await send(e, { to: '16505551234', type: 'text', text: { body: `m${i}` } })).status,
			);
		expect(results.slice(0, 45).every((s) => s === 200)).toBe(true);
		const r = await send(e, { to: '16505551234', ...text });
		expect(r.status).toBe(400);
		expect(r.body.error).toMatchObject({
			code: 131056,
			message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
		});
		expect((await send(e, { to: '16505554321', ...text })).status).toBe(200);
		// Same recipient from another business number is a different pair.
		expect((await send(e, { to: '16505551234', ...text }, PHONE_NUMBER_IDS[1])).status).toBe(200);
	});

	test('bank refills one message per interval', async () => {
		e.configure({ pairRate: { intervalMs: 200, burst: 2 } });
		const go = () => send(e, { to: '16505551234', ...text });
		expect((await go()).status).toBe(200);
		expect((await go()).status).toBe(200);
		expect(errCode(await go())).toBe(131056);
		await new Promise((r) => setTimeout(r, 230));
		expect((await go()).status).toBe(200);
		expect(errCode(await go())).toBe(131056);
	});

	test('BSUID recipients have their own pair bucket; disabled pair rate never rejects', async () => {
		e.configure({ pairRate: { burst: 1 } });
		expect((await send(e, { recipient: 'US.77', ...text })).status).toBe(200);
		expect(errCode(await send(e, { recipient: 'US.77', ...text }))).toBe(131056);
		e.configure({ pairRate: { enabled: false } });
		for (let i = 0; i < 50; i++)
			expect((await send(e, { recipient: 'US.77', ...text })).status).toBe(200);
	});
});
