import {
	clearDedupeStore,
	dedupeKey,
	DedupeStore,
	dedupeStoreFor,
	dropDuplicates,
} from '../../nodes/WhatsAppCloud/helpers/webhook/dedupe';
import type { WebhookItem } from '../../nodes/WhatsAppCloud/helpers/types/webhook';

const MINUTE = 60_000;

function fakeClock(start = 1_000_000) {
	let now = start;
	return {
		now: () => now,
		advance: (ms: number) => {
			now += ms;
		},
	};
}

const message = (id: string) =>
	({ event: 'message', messageId: id, wabaId: 'w' }) as unknown as WebhookItem;
const status = (id: string, value: string) =>
	({ event: 'status', messageId: id, status: value, wabaId: 'w' }) as unknown as WebhookItem;
const error = (code: number) => ({ event: 'error', code, wabaId: 'w' }) as unknown as WebhookItem;
const field = (name: string) => ({ event: name, wabaId: 'w', value: {} }) as unknown as WebhookItem;

describe('dedupeKey', () => {
	it.each([
		['message', message('wamid.1'), 'm:wamid.1'],
		['status', status('wamid.1', 'read'), 's:wamid.1:read'],
		['error', error(131000), undefined],
		['other field', field('account_update'), undefined],
		['message without id', message(''), undefined],
		[
			'call event',
			{ event: 'call', callId: 'wacid.1', callEvent: 'terminate', status: 'COMPLETED' },
			'c:wacid.1:terminate:COMPLETED',
		],
		[
			'call status',
			{ event: 'call', callId: 'wacid.1', callEvent: 'status', status: 'RINGING' },
			'c:wacid.1:status:RINGING',
		],
		['call without id', { event: 'call', callId: '', callEvent: 'connect' }, undefined],
	] as Array<[string, unknown, string | undefined]>)('%s', (_name, item, key) => {
		expect(dedupeKey(item as WebhookItem)).toBe(key);
	});
});

describe('DedupeStore with a fake clock', () => {
	it.each([
		['same key within the window', 'a', 9 * MINUTE, 'a', true],
		['same key just before the window ends', 'a', 10 * MINUTE - 1, 'a', true],
		['same key at the window end', 'a', 10 * MINUTE, 'a', false],
		['same key after the window', 'a', 11 * MINUTE, 'a', false],
		['another key', 'a', 1, 'b', false],
	])('%s', (_name, first, wait, second, duplicate) => {
		const clock = fakeClock();
		const store = new DedupeStore(clock.now);
		expect(store.isDuplicate(first, 10 * MINUTE)).toBe(false);
		clock.advance(wait);
		expect(store.isDuplicate(second, 10 * MINUTE)).toBe(duplicate);
	});

	it('measures the window from the first delivery, so retries cannot extend it', () => {
		const clock = fakeClock();
		const store = new DedupeStore(clock.now);
		expect(store.isDuplicate('a', 10 * MINUTE)).toBe(false);
		for (let i = 0; i < 9; i++) {
			clock.advance(MINUTE);
			expect(store.isDuplicate('a', 10 * MINUTE)).toBe(true);
		}
		clock.advance(MINUTE);
		expect(store.isDuplicate('a', 10 * MINUTE)).toBe(false);
	});

	it('evicts expired keys (bounded by time)', () => {
		const clock = fakeClock();
		const store = new DedupeStore(clock.now);
		for (let i = 0; i < 100; i++) store.isDuplicate(`k${i}`, MINUTE);
		expect(store.size).toBe(100);
		clock.advance(MINUTE);
		store.isDuplicate('new', MINUTE);
		expect(store.size).toBe(1);
	});

	it('keeps at most maxKeys, dropping the oldest (bounded by count)', () => {
		const clock = fakeClock();
		const store = new DedupeStore(clock.now, 3);
		for (const key of ['a', 'b', 'c', 'd']) {
			clock.advance(1);
			store.isDuplicate(key, MINUTE);
		}
		expect(store.size).toBe(3);
		expect(store.isDuplicate('a', MINUTE)).toBe(false); // forgotten
		expect(store.isDuplicate('d', MINUTE)).toBe(true);
	});
});

describe('dropDuplicates', () => {
	it('drops re-delivered messages and status pairs, keeps new statuses of the same message', () => {
		const clock = fakeClock();
		const store = new DedupeStore(clock.now);
		const first = [message('wamid.1'), status('wamid.9', 'sent')];
		expect(dropDuplicates(first, store, 10 * MINUTE)).toEqual(first);
		clock.advance(30_000);
		const redelivery = [
			message('wamid.1'),
			status('wamid.9', 'sent'),
			status('wamid.9', 'delivered'),
		];
		expect(dropDuplicates(redelivery, store, 10 * MINUTE)).toEqual([
			status('wamid.9', 'delivered'),
		]);
	});

	it('drops duplicates inside one batch', () => {
		const store = new DedupeStore(fakeClock().now);
		expect(dropDuplicates([message('x'), message('x'), message('y')], store, MINUTE)).toEqual([
			message('x'),
			message('y'),
		]);
	});

	it('never drops errors or other fields', () => {
		const store = new DedupeStore(fakeClock().now);
		const items = [error(1), error(1), field('account_update'), field('account_update')];
		expect(dropDuplicates(items, store, MINUTE)).toEqual(items);
		expect(store.size).toBe(0);
	});

	it('a window of 0 turns de-duplication off', () => {
		const store = new DedupeStore(fakeClock().now);
		expect(dropDuplicates([message('x'), message('x')], store, 0)).toHaveLength(2);
	});
});

describe('dedupeStoreFor', () => {
	afterEach(() => clearDedupeStore());

	it('one store per trigger scope, shared across calls, cleared on demand', () => {
		const a = dedupeStoreFor('wf1:node1');
		expect(dedupeStoreFor('wf1:node1')).toBe(a);
		expect(dedupeStoreFor('wf2:node1')).not.toBe(a);
		clearDedupeStore('wf1:node1');
		expect(dedupeStoreFor('wf1:node1')).not.toBe(a);
	});
});
