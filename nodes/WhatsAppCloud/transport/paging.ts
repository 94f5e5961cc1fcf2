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
