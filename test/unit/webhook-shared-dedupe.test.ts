import { EventEmitter } from 'node:events';

import { DedupeStore, DeliveryDedupe } from '../../nodes/WhatsAppCloud/helpers/webhook/dedupe';
import {
	eventToken,
	hasSharedToken,
	mergeSharedSeen,
	readSharedSeen,
	SHARED_DEDUPE_MAX_TOKENS,
	sharedTokenCount,
	TOKEN_LENGTH,
} from '../../nodes/WhatsAppCloud/helpers/webhook/sharedDedupe';
import type { WebhookItem } from '../../nodes/WhatsAppCloud/helpers/types/webhook';

const MINUTE = 60_000;
const WINDOW = 10 * MINUTE;
const message = (id: string) =>
	({ event: 'message', messageId: id, wabaId: 'w' }) as unknown as WebhookItem;

function clock(start = 1_700_000_000_000) {
	let now = start;
	return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** One webhook call: `processStore` is the process, `database` what n8n loads and saves. */
function call(store: DedupeStore, database: { value?: unknown }, ids: string[], answer = 200) {
	const dedupe = new DeliveryDedupe(store, readSharedSeen(database.value), WINDOW);
	const fresh = dedupe.fresh(ids.map(message));
	const save = dedupe.toSave();
	const response = Object.assign(new EventEmitter(), { statusCode: answer });
	dedupe.settleOn(response);
	response.emit('finish');
	response.emit('close');
	if (save && answer < 300) database.value = JSON.parse(JSON.stringify(save));
	return fresh.map((item) => (item as { messageId: string }).messageId);
}

describe('shared (static data) de-duplication', () => {
	it('tokens are fixed-width and found only at token boundaries', () => {
		const a = eventToken('m:wamid.A');
		expect(a).toHaveLength(TOKEN_LENGTH);
		const seen = mergeSharedSeen(readSharedSeen(undefined), [[a, 0]], new Set(), 0, WINDOW);
		expect(hasSharedToken(seen, a, 0, WINDOW)).toBe(true);
		// a token made of the tail of one and the head of another is not a match
		const b = eventToken('m:wamid.B');
		const two = mergeSharedSeen(seen, [[b, 0]], new Set(), 0, WINDOW);
		const straddling = (a + b).slice(3, 3 + TOKEN_LENGTH);
		expect(hasSharedToken(two, straddling, 0, WINDOW)).toBe(false);
	});

	it('a re-delivery to a second process is dropped; a crash-free first process keeps its fast path', () => {
		const c = clock();
		const database: { value?: unknown } = {};
		const first = new DedupeStore(c.now);
		const second = new DedupeStore(c.now);
		expect(call(first, database, ['1', '2'])).toEqual(['1', '2']);
		c.advance(30_000);
		expect(call(second, database, ['1', '2', '3'])).toEqual(['3']);
		expect(call(first, database, ['3'])).toEqual([]); // process memory: no static data needed
	});

	it('concurrent saves that drop each other’s tokens are repaired by the next save', () => {
		const c = clock();
		const database: { value?: unknown } = {};
		const a = new DedupeStore(c.now);
		const b = new DedupeStore(c.now);
		// both load the same (empty) value; b's save overwrites a's
		const loaded = readSharedSeen(database.value);
		const callA = new DeliveryDedupe(a, loaded, WINDOW);
		const callB = new DeliveryDedupe(b, loaded, WINDOW);
		callA.fresh([message('A')]);
		callB.fresh([message('B')]);
		database.value = callA.toSave();
		database.value = JSON.parse(JSON.stringify(callB.toSave()));
		expect(hasSharedToken(readSharedSeen(database.value), eventToken('m:A'), c.now(), WINDOW)).toBe(
			false,
		);
		call(a, database, ['C']); // a's next save carries its recent tokens again
		expect(call(b, database, ['A'])).toEqual([]);
	});

	it('the value handed to n8n is computed again when n8n serializes it: the last save of a burst has it all', () => {
		const c = clock();
		const store = new DedupeStore(c.now);
		const loaded = readSharedSeen(undefined);
		const early = new DeliveryDedupe(store, loaded, WINDOW);
		early.fresh([message('first')]);
		const handedOver = early.valueToSave();
		const late = new DeliveryDedupe(store, loaded, WINDOW);
		late.fresh([message('second')]);
		// n8n saves the early call's static data after the late call accepted its event
		const saved = readSharedSeen(JSON.parse(JSON.stringify({ seenEvents: handedOver })).seenEvents);
		expect(hasSharedToken(saved, eventToken('m:first'), c.now(), WINDOW)).toBe(true);
		expect(hasSharedToken(saved, eventToken('m:second'), c.now(), WINDOW)).toBe(true);
		// copies and clones see plain data
		expect(Object.keys(handedOver as object)).toEqual(['v', 'buckets']);
		const clone = structuredClone(handedOver) as { v: number; buckets: unknown };
		expect(clone.v).toBe(1);
		expect(Array.isArray(clone.buckets)).toBe(true);
	});

	it('an error answer records nothing: the retry is taken, in this process and in the others', () => {
		const c = clock();
		const database: { value?: unknown } = {};
		const store = new DedupeStore(c.now);
		expect(call(store, database, ['E'], 500)).toEqual(['E']);
		expect(database.value).toBeUndefined();
		expect(call(store, database, ['E'])).toEqual(['E']);
		expect(call(new DedupeStore(c.now), database, ['E'])).toEqual([]);
	});

	it('calls that accept nothing new save nothing', () => {
		const c = clock();
		const database: { value?: unknown } = {};
		const store = new DedupeStore(c.now);
		call(store, database, ['R']);
		const dedupe = new DeliveryDedupe(store, readSharedSeen(database.value), WINDOW);
		expect(dedupe.fresh([message('R')])).toEqual([]);
		expect(dedupe.toSave()).toBeUndefined();
	});

	it('stays bounded: old buckets leave with the window, the newest tokens up to the cap', () => {
		const c = clock();
		let seen = readSharedSeen(undefined);
		seen = mergeSharedSeen(seen, [[eventToken('old'), c.now()]], new Set(), c.now(), WINDOW);
		c.advance(WINDOW + 2 * MINUTE);
		const many: Array<[string, number]> = Array.from(
			{ length: SHARED_DEDUPE_MAX_TOKENS + 500 },
			(_, i) => [eventToken(`k${i}`), c.now() + i],
		);
		seen = mergeSharedSeen(seen, many, new Set(), c.now() + many.length, WINDOW);
		expect(sharedTokenCount(seen)).toBe(SHARED_DEDUPE_MAX_TOKENS);
		expect(hasSharedToken(seen, eventToken('old'), c.now(), WINDOW)).toBe(false);
		expect(hasSharedToken(seen, eventToken('k0'), c.now(), WINDOW)).toBe(false);
		expect(hasSharedToken(seen, eventToken(`k${many.length - 1}`), c.now(), WINDOW)).toBe(true);
		expect(JSON.stringify(seen).length).toBeLessThan(
			SHARED_DEDUPE_MAX_TOKENS * TOKEN_LENGTH + 2000,
		);
	});

	it('ignores a value of another shape', () => {
		expect(readSharedSeen({ v: 2 })).toEqual({ v: 1, buckets: [] });
		expect(readSharedSeen({ v: 1, buckets: [[1, 'short']] })).toEqual({ v: 1, buckets: [] });
	});
});
