/**
 * The trigger's event filters. An empty list always means "no restriction", so that nothing is
 * dropped until the user narrows the selection on purpose.
 */
import type { WebhookItem } from '../types/webhook';
import { MESSAGE_TYPES, WEBHOOK_FIELDS } from '../types/webhook';

export type EventKind = 'message' | 'status' | 'error' | 'call' | 'field';

/** Selects message types or fields this package does not know yet. */
export const OTHER = 'other';

export interface EventFilter {
	/**
	 * Event kinds to emit; `field` = every other field. Call items (the `calls` field) also pass
	 * under `field` (with `calls` allowed by `fields`), as they did before they had a kind of their own.
	 */
	kinds?: EventKind[];
	/** Meta message types (`text`, `image`, …), plus `other` for types not known yet. */
	messageTypes?: string[];
	/** Status values (`sent`, `delivered`, `read`, `played`, `failed`). */
	statuses?: string[];
	/** Non-`messages` fields, plus `other` for fields not known yet. */
	fields?: string[];
	/** Receiving phone number IDs; events not tied to a number (account, templates) still pass. */
	phoneNumberIds?: string[];
	/** WhatsApp Business Account IDs (`entry.id`). */
	wabaIds?: string[];
}

const KNOWN_MESSAGE_TYPES = new Set<string>(MESSAGE_TYPES);
const KNOWN_FIELDS = new Set<string>(WEBHOOK_FIELDS);

export function eventKind(item: WebhookItem): EventKind {
	return item.event === 'message' ||
		item.event === 'status' ||
		item.event === 'error' ||
		item.event === 'call'
		? item.event
		: 'field';
}

function allows(
	list: string[] | undefined,
	value: string,
	known: Set<string> | undefined,
): boolean {
	if (!list || list.length === 0) return true;
	if (list.includes(value)) return true;
	return known !== undefined && list.includes(OTHER) && !known.has(value);
}

export function matchesFilter(item: WebhookItem, filter: EventFilter): boolean {
	const kind = eventKind(item);
	const asCallsField =
		kind === 'call' &&
		(filter.kinds?.includes('field') ?? false) &&
		allows(filter.fields, 'calls', KNOWN_FIELDS);
	if (!allows(filter.kinds, kind, undefined) && !asCallsField) return false;
	if (!allows(filter.wabaIds, item.wabaId, undefined)) return false;
	const phoneNumberId = (item as { phoneNumberId?: string }).phoneNumberId;
	if (phoneNumberId !== undefined && !allows(filter.phoneNumberIds, phoneNumberId, undefined)) {
		return false;
	}
	switch (kind) {
		case 'message':
			return allows(filter.messageTypes, (item as { type: string }).type, KNOWN_MESSAGE_TYPES);
		case 'status':
			return allows(filter.statuses, (item as { status: string }).status, undefined);
		case 'field':
			return allows(filter.fields, item.event, KNOWN_FIELDS);
		default:
			return true;
	}
}

export function filterItems<T extends WebhookItem>(items: T[], filter: EventFilter): T[] {
	return items.filter((item) => matchesFilter(item, filter));
}

/** Splits a comma/space/newline separated ID list from a text parameter. */
export function parseIdList(text: unknown): string[] {
	if (Array.isArray(text)) return text.flatMap(parseIdList);
	if (typeof text !== 'string' && typeof text !== 'number') return [];
	return String(text)
		.split(/[\s,;]+/)
		.map((id) => id.trim())
		.filter(Boolean);
}
