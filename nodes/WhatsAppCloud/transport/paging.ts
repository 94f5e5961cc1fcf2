/** Graph's cursor paging (`{data, paging:{cursors, next}}`) as items plus the next cursor. */
export interface GraphPage<T> {
	items: T[];
	/** Cursor of the next page; undefined on the last page. */
	after?: string;
}

export interface PageRequest {
	limit?: number;
	after?: string;
}

interface GraphList<T> {
	data?: T[];
	paging?: { cursors?: { after?: string }; next?: string };
}

export function pageQuery(page: PageRequest = {}): Record<string, string | number> {
	const qs: Record<string, string | number> = {};
	if (page.limit !== undefined) qs.limit = page.limit;
	if (page.after) qs.after = page.after;
	return qs;
}

export function graphPage<T>(response: unknown): GraphPage<T> {
	const list = (typeof response === 'object' && response !== null ? response : {}) as GraphList<T>;
	const items = Array.isArray(list.data) ? list.data : [];
	// Graph gives a cursor on every page; only `next` says another page exists.
	const after = list.paging?.next ? list.paging.cursors?.after : undefined;
	return { items, after };
}

/**
 * Follows Graph's cursors until `limit` items (Infinity for all) or the last page; stops on an
 * empty page too, so a cursor that never ends cannot loop forever.
 */
export async function collectPages<T>(
	fetchPage: (page: PageRequest) => Promise<GraphPage<T>>,
	limit: number,
	pageSize: number,
): Promise<T[]> {
	const items: T[] = [];
	let after: string | undefined;
	do {
		const page = await fetchPage({ limit: Math.min(pageSize, limit - items.length), after });
		items.push(...page.items);
		after = page.items.length > 0 ? page.after : undefined;
	} while (after && items.length < limit);
	return items.slice(0, limit);
}
