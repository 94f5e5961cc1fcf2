import { Prng } from './random';
import { sampleLatency } from './faults';
import { SEEDED_MEDIA_IDS, startEmulator, type Emulator } from './index';
import { call, errCode, send, v } from './testUtil';

let e: Emulator;
beforeAll(async () => {
	e = await startEmulator();
});
afterAll(() => e.stop());
beforeEach(() => e.reset());

const text = { type: 'text', text: { body: 'hi' } };
const timed = async <T>(fn: () => Promise<T>) => {
	const t0 = Date.now();
	const r = await fn();
	return { r, ms: Date.now() - t0 };
};

describe('latency', () => {
	test('fixed', async () => {
		e.configure({ latency: { kind: 'fixed', ms: 120 } });
		const { r, ms } = await timed(() => send(e, { to: '16505551234', ...text }));
		expect(r.status).toBe(200);
		expect(ms).toBeGreaterThanOrEqual(115);
	});

	test('uniform', async () => {
		e.configure({ latency: { kind: 'uniform', min: 50, max: 100 } });
		const times = await Promise.all(
			Array.from({ length: 10 }, (_, i) => timed(() => send(e, { to: `1650555000${i}`, ...text }))),
		);
		for (const t of times) {
			expect(t.ms).toBeGreaterThanOrEqual(45);
			expect(t.ms).toBeLessThan(400);
		}
	});

	test('longtail distribution has the configured p50 and p99', () => {
		const rng = new Prng(7);
		const xs = Array.from({ length: 20000 }, () =>
			sampleLatency({ kind: 'longtail', p50: 40, p99: 400 }, rng),
		).sort((a, b) => a - b);
		expect(xs[10000]).toBeGreaterThan(36);
		expect(xs[10000]).toBeLessThan(44);
		expect(xs[19800]).toBeGreaterThan(340);
		expect(xs[19800]).toBeLessThan(470);
	});

	test('longtail over HTTP', async () => {
		e.configure({ latency: { kind: 'longtail', p50: 20, p99: 60 } });
		const { r } = await timed(() => send(e, { to: '16505551234', ...text }));
		expect(r.status).toBe(200);
		expect(e.requests().at(-1)!.fault).toMatch(/^latency:\d+$/);
	});
});

describe('server errors', () => {
	test('5xx with codes 1/2/131000/131016, nothing recorded', async () => {
		e.configure({ faults: { serverErrorRate: 1 } });
		const seen = new Set<number>();
		for (let i = 0; i < 30; i++) {
			const r = await send(e, { to: `16505551${String(i).padStart(3, '0')}`, ...text });
			const code = errCode(r)!;
			seen.add(code);
			expect([1, 2, 131000, 131016]).toContain(code);
			expect(r.status).toBe(code === 2 || code === 131016 ? 503 : 500);
			expect(r.body.error.fbtrace_id).toMatch(/^A/);
		}
		expect(seen.size).toBeGreaterThan(2);
		expect(e.messages()).toHaveLength(0);
	});

	test('processed, then a gateway page or a generic code: the message is recorded', async () => {
		e.configure({
			faults: {
				processedErrorRate: 1,
				processedErrorAnswers: [{ status: 504 }, { status: 500, code: 131000 }],
			},
		});
		const answers = new Set<string>();
		for (let i = 0; i < 12; i++) {
			const r = await send(e, { to: `16505552${String(i).padStart(3, '0')}`, ...text });
			answers.add(`${r.status}:${errCode(r) ?? 'none'}`);
			if (r.status === 504) expect(String(r.body)).toContain('<html>');
			expect(e.requests().at(-1)!.fault).toBe('processed-5xx');
		}
		expect(answers).toEqual(new Set(['504:none', '500:131000']));
		expect(e.messages()).toHaveLength(12);
	});

	test('only for media when applyToMedia is set', async () => {
		e.configure({ faults: { serverErrorRate: 1, serverErrorCodes: [131000] } });
		expect((await call(e, 'GET', v(e, SEEDED_MEDIA_IDS.image))).status).toBe(200);
		e.configure({ faults: { applyToMedia: true } });
		expect(errCode(await call(e, 'GET', v(e, SEEDED_MEDIA_IDS.image)))).toBe(131000);
	});
});

describe('connection faults', () => {
	test('reset before processing: client error, nothing recorded', async () => {
		e.configure({ faults: { resetBeforeRate: 1 } });
		await expect(send(e, { to: '16505551234', ...text })).rejects.toThrow();
		expect(e.messages()).toHaveLength(0);
		expect(e.requests().at(-1)).toMatchObject({ fault: 'reset-before', status: null });
	});

	test('reset after processing: client error, message recorded as accepted', async () => {
		e.configure({ faults: { resetAfterRate: 1 } });
		await expect(send(e, { to: '16505551234', ...text })).rejects.toThrow();
		expect(e.messages()).toHaveLength(1);
		expect(e.requests().at(-1)).toMatchObject({ fault: 'reset-after' });
	});

	test('timeout: recorded, never answered; client gives up', async () => {
		e.configure({ faults: { timeoutRate: 1 } });
		const t0 = Date.now();
		await expect(
			fetch(`${e.baseUrl}/v26.0/${e.config.phoneNumberIds[0]}/messages`, {
				method: 'POST',
				headers: { authorization: `Bearer ${e.config.token}`, 'content-type': 'application/json' },
				body: JSON.stringify({ messaging_product: 'whatsapp', to: '16505551234', ...text }),
				signal: AbortSignal.timeout(300),
			}),
		).rejects.toThrow();
		expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
		expect(e.messages()).toHaveLength(1);
		expect(e.requests().at(-1)).toMatchObject({ fault: 'timeout', status: null });
	});

	test('stop() closes held sockets promptly', async () => {
		const other = await startEmulator({ faults: { timeoutRate: 1 } });
		const pending = send(other, { to: '16505551234', ...text }).then(
			() => 'answered',
			() => 'failed',
		);
		await new Promise((r) => setTimeout(r, 100));
		expect(other.messages()).toHaveLength(1);
		const t0 = Date.now();
		await other.stop();
		expect(Date.now() - t0).toBeLessThan(1000);
		expect(await pending).toBe('failed');
	});
});

describe('forced error codes', () => {
	test('probability with a recipient filter', async () => {
		e.configure({
			faults: { errorRate: 1, errorCodes: [131047], errorRecipients: ['+16505550001'] },
		});
		const hit = await send(e, { to: '16505550001', ...text });
		expect(errCode(hit)).toBe(131047);
		expect(hit.status).toBe(400);
		expect((await send(e, { to: '16505550002', ...text })).status).toBe(200);
		expect(e.messages().map((m) => m.to)).toEqual(['16505550002']);
	});

	test('any code, HTTP status from the table', async () => {
		e.configure({ faults: { errorRate: 1, errorCodes: [130429] } });
		const r = await send(e, { to: '16505550001', ...text });
		expect(r.status).toBe(429);
		expect(errCode(r)).toBe(130429);
	});

	test('one-shot queue: next N sends to X answer C', async () => {
		e.queueError('+1 650 555 0001', 131056, 2);
		e.queueError('US.55', 131026);
		expect(errCode(await send(e, { to: '16505550001', ...text }))).toBe(131056);
		expect((await send(e, { to: '16505550002', ...text })).status).toBe(200);
		expect(errCode(await send(e, { to: '16505550001', ...text }))).toBe(131056);
		expect((await send(e, { to: '16505550001', ...text })).status).toBe(200);
		expect(errCode(await send(e, { recipient: 'US.55', ...text }))).toBe(131026);
		expect((await send(e, { recipient: 'US.55', ...text })).status).toBe(200);
	});

	test('validation errors still win over forced codes', async () => {
		e.queueError('16505550001', 131056);
		expect(errCode(await send(e, { to: '16505550001', text: { body: '' } }))).toBe(131009);
		expect(errCode(await send(e, { to: '16505550001', ...text }))).toBe(131056);
	});
});

describe('reproducibility', () => {
	test('same seed → same fault sequence', async () => {
		const outcome = async (seed: number) => {
			const x = await startEmulator({
				seed,
				faults: { errorRate: 0.5, errorCodes: [131000, 131047] },
			});
			const codes: (number | undefined)[] = [];
			for (let i = 0; i < 20; i++)
				codes.push(errCode(await send(x, { to: `1650555${String(i).padStart(4, '0')}`, ...text })));
			await x.stop();
			return codes;
		};
		const a = await outcome(123);
		expect(await outcome(123)).toEqual(a);
		expect(await outcome(124)).not.toEqual(a);
		expect(a.filter((c) => c === undefined).length).toBeGreaterThan(3);
	});
});
