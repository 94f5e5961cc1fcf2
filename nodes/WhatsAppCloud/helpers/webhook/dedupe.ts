/**
 * Meta delivers at least once (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks): the same message or receipt can arrive again,
 * typically after a slow acknowledgement. This remembers recent event keys per process.
 */
import type { Clock } from '../clock';
import type { WebhookItem } from '../types/webhook';

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
