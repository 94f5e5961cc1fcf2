/**
 * Meta delivers at least once (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks): the same message or receipt can arrive again,
 * typically after a slow acknowledgement. This remembers recent event keys per process; with
 * `DeliveryDedupe` also across processes, through the workflow's static data (`sharedDedupe.ts`).
 */
import type { Clock } from '../clock';
import type { WebhookItem } from '../types/webhook';
import type { SharedSeenEvents } from './sharedDedupe';
import {
	eventToken,
	hasSharedToken,
	mergeSharedSeen,
	SHARED_DEDUPE_MAX_TOKENS,
} from './sharedDedupe';

type Now = Clock['now'];

/** Enough for ~80 events/s over a 10-minute window per trigger, at a few MB at most. */
export const DEFAULT_DEDUPE_MAX_KEYS = 50_000;

/** The de-duplication key of an event; undefined for events that are never de-duplicated. */
export function dedupeKey(item: WebhookItem): string | undefined {
	if (item.event === 'message') {
		const { messageId } = item as { messageId?: string };
		return messageId ? `m:${messageId}` : undefined;
	}
	if (item.event === 'status') {
		const { messageId, status } = item as { messageId?: string; status?: string };
		return messageId ? `s:${messageId}:${status ?? ''}` : undefined;
	}
	if (item.event === 'call') {
		const { callId, callEvent, status } = item as {
			callId?: string;
			callEvent?: string;
			status?: string;
		};
		return callId ? `c:${callId}:${callEvent ?? ''}:${status ?? ''}` : undefined;
	}
	return undefined;
}

export class DedupeStore {
	/** key → time first seen; Map keeps insertion order, which is time order. */
	private readonly seenAt = new Map<string, number>();

	/**
	 * Tokens this process accepted (or is accepting) that no value loaded from the database has
	 * shown yet, token → first seen, oldest first: each save carries them until one does.
	 */
	readonly unconfirmedTokens = new Map<string, number>();

	/** Tokens of deliveries answered with an error: taken out of the shared store on the next save. */
	readonly failedTokens = new Map<string, number>();

	/** Counts changes to the two token maps, so a save computed earlier knows whether it is current. */
	tokenChanges = 0;

	constructor(
		private readonly now: Now = Date.now,
		private readonly maxKeys: number = DEFAULT_DEDUPE_MAX_KEYS,
	) {}

	get size(): number {
		return this.seenAt.size;
	}

	/**
	 * True when `key` was seen less than `windowMs` ago (a re-delivery); otherwise records it.
	 * The window is measured from the first delivery, so steady retries cannot extend it.
	 */
	isDuplicate(key: string, windowMs: number): boolean {
		const now = this.now();
		this.evictOlderThan(now - windowMs);
		const firstSeen = this.seenAt.get(key);
		if (firstSeen !== undefined && now - firstSeen < windowMs) return true;
		if (firstSeen !== undefined) this.seenAt.delete(key);
		this.seenAt.set(key, now);
		while (this.seenAt.size > this.maxKeys) {
			const oldest = this.seenAt.keys().next().value as string;
			this.seenAt.delete(oldest);
		}
		return false;
	}

	/** Forgets `key`, so its next delivery counts as new (its first was answered with an error). */
	forget(key: string): void {
		this.seenAt.delete(key);
	}

	/** The current time of this store's clock. */
	time(): number {
		return this.now();
	}

	private evictOlderThan(cutoff: number): void {
		for (const [key, seenAt] of this.seenAt) {
			if (seenAt > cutoff) break;
			this.seenAt.delete(key);
		}
	}
}

/** Drops re-delivered events (and duplicates inside one batch); keeps everything without a key. */
export function dropDuplicates<T extends WebhookItem>(
	items: T[],
	store: DedupeStore,
	windowMs: number,
): T[] {
	if (windowMs <= 0) return items;
	return items.filter((item) => {
		const key = dedupeKey(item);
		return key === undefined || !store.isDuplicate(key, windowMs);
	});
}

const stores = new Map<string, DedupeStore>();

/** The process-wide store for one trigger (workflow + node); created on first use. */
export function dedupeStoreFor(scope: string, now?: Now): DedupeStore {
	let store = stores.get(scope);
	if (!store) {
		store = new DedupeStore(now);
		stores.set(scope, store);
	}
	return store;
}

/** Forgets a trigger's keys (deactivation) — and lets tests start clean. */
export function clearDedupeStore(scope?: string): void {
	if (scope === undefined) stores.clear();
	else stores.delete(scope);
}

/** The parts of n8n's (express) response the de-duplication watches to learn the answer. */
export interface AnswerEvents {
	once(event: 'finish' | 'close', listener: () => void): unknown;
	statusCode?: number;
	writableFinished?: boolean;
}

/**
 * De-duplication for one webhook call: the process's memory first, then the tokens loaded from the
 * workflow's static data. An accepted event stays recorded only once the call is answered with a
 * 2xx, which n8n sends (n8n 2) once the execution is handed over; an error answer makes Meta
 * deliver again, so the event is forgotten here and taken out of the shared store.
 */
export class DeliveryDedupe {
	private readonly claimed: Array<{ key: string; token: string }> = [];

	constructor(
		private readonly store: DedupeStore,
		private readonly shared: SharedSeenEvents,
		private readonly windowMs: number,
	) {
		const now = store.time();
		for (const token of store.unconfirmedTokens.keys()) {
			if (hasSharedToken(shared, token, now, windowMs)) store.unconfirmedTokens.delete(token);
		}
		for (const token of store.failedTokens.keys()) {
			if (!hasSharedToken(shared, token, now, windowMs)) store.failedTokens.delete(token);
		}
	}

	/** The events neither this process nor the shared store has seen within the window. */
	fresh<T extends WebhookItem>(items: T[]): T[] {
		if (this.windowMs <= 0) return items;
		const now = this.store.time();
		return items.filter((item) => {
			const key = dedupeKey(item);
			if (key === undefined) return true;
			if (this.store.isDuplicate(key, this.windowMs)) return false;
			const token = eventToken(key);
			// Seen by another process (or by this one before a restart): a duplicate, remembered here.
			if (hasSharedToken(this.shared, token, now, this.windowMs)) return false;
			this.claimed.push({ key, token });
			this.store.failedTokens.delete(token);
			this.store.unconfirmedTokens.set(token, now);
			this.store.tokenChanges++;
			return true;
		});
	}

	/**
	 * What to save in static data: undefined when this call accepted nothing new and the database
	 * already shows every token of this process (re-deliveries then cost no write). Carries this
	 * process's unconfirmed tokens, so a call after a burst repairs what the burst's saves dropped.
	 */
	toSave(): SharedSeenEvents | undefined {
		if (this.windowMs <= 0) return undefined;
		const now = this.store.time();
		pruneTokens(this.store.unconfirmedTokens, now - this.windowMs, SHARED_DEDUPE_MAX_TOKENS);
		pruneTokens(this.store.failedTokens, now - this.windowMs, SHARED_DEDUPE_MAX_TOKENS);
		const nothingToWrite =
			this.claimed.length === 0 &&
			this.store.failedTokens.size === 0 &&
			this.store.unconfirmedTokens.size === 0;
		if (nothingToWrite) return undefined;
		return mergeSharedSeen(
			this.shared,
			this.store.unconfirmedTokens,
			new Set(this.store.failedTokens.keys()),
			now,
			this.windowMs,
		);
	}

	/**
	 * `toSave()` for static data, computed again when n8n serializes it to save it (a non-enumerable
	 * `toJSON`, which copies and clones skip): the saved value then also holds what calls of this
	 * process accepted after this one, so the last save of a burst carries the whole burst.
	 */
	valueToSave(): SharedSeenEvents | undefined {
		const value = this.toSave();
		if (value) {
			const computedAt = this.store.tokenChanges;
			const plain = { v: 1, buckets: value.buckets };
			Object.defineProperty(value, 'toJSON', {
				value: () => (this.store.tokenChanges === computedAt ? plain : (this.toSave() ?? plain)),
				enumerable: false,
			});
		}
		return value;
	}

	/** Keeps or forgets this call's events once its answer is known. */
	settleOn(response: AnswerEvents | undefined): void {
		if (this.claimed.length === 0 || typeof response?.once !== 'function') return;
		let settled = false;
		response.once('finish', () => {
			settled = true;
			const code = response.statusCode ?? 200;
			if (code >= 200 && code < 300) return;
			for (const { key, token } of this.claimed) {
				this.store.forget(key);
				this.store.unconfirmedTokens.delete(token);
				this.store.failedTokens.set(token, this.store.time());
			}
			this.store.tokenChanges++;
		});
		response.once('close', () => {
			if (settled || response.writableFinished) return;
			// Meta hung up before the answer: whether n8n took the execution is what n8n saved.
			for (const { key, token } of this.claimed) {
				this.store.forget(key);
				this.store.unconfirmedTokens.delete(token);
			}
		});
	}
}

function pruneTokens(tokens: Map<string, number>, cutoff: number, maxTokens: number): void {
	for (const [token, at] of tokens) {
		if (at >= cutoff && tokens.size <= maxTokens) break;
		tokens.delete(token);
	}
}
