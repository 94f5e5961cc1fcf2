/** Phone-number objects and Graph cursor paging shared by list endpoints. */
import { PhoneNumberSeed } from '../seed';

/** Graph returns only requested `fields` (plus id); without `fields`, everything we model. */
export function phoneJson(p: PhoneNumberSeed, fields: string | null): Record<string, unknown> {
	const all = { ...p } as Record<string, unknown>;
	if (!fields) return all;
	const want = fields
		.split(',')
		.map((f) => f.trim().split('{')[0])
		.filter(Boolean);
	const out: Record<string, unknown> = { id: p.id };
	for (const f of want) if (f in all) out[f] = all[f];
	return out;
}

const enc = (i: number) => Buffer.from(`emu:${i}`).toString('base64');
const dec = (c: string) => {
	const m = /^emu:(\d+)$/.exec(Buffer.from(c, 'base64').toString('utf8'));
	return m ? Number(m[1]) : NaN;
};

export interface Paged<T> {
	data: T[];
	paging?: { cursors: { before: string; after: string }; next?: string; previous?: string };
}

/** Graph cursor paging over a list: `limit`, `after`, `before`. Returns null for a bad cursor. */
export function page<T>(
	items: T[],
	q: URLSearchParams,
	selfUrl: string,
	defaultLimit = 25,
): Paged<T> | null {
	const limit = Math.max(1, Math.min(Number(q.get('limit') ?? defaultLimit) || defaultLimit, 1000));
	let start = 0;
	const after = q.get('after');
	const before = q.get('before');
	if (after) {
		const i = dec(after);
		if (Number.isNaN(i)) return null;
		start = i + 1;
	} else if (before) {
		const i = dec(before);
		if (Number.isNaN(i)) return null;
		start = Math.max(0, i - limit);
	}
	const slice = items.slice(start, start + limit);
	if (!slice.length) return { data: [] };
	const cursors = { before: enc(start), after: enc(start + slice.length - 1) };
	const link = (k: 'after' | 'before', v: string) => {
		const u = new URL(selfUrl);
		u.searchParams.delete('after');
		u.searchParams.delete('before');
		u.searchParams.set('limit', String(limit));
		u.searchParams.set(k, v);
		return u.toString();
	};
	return {
		data: slice,
		paging: {
			cursors,
			...(start + slice.length < items.length ? { next: link('after', cursors.after) } : {}),
			...(start > 0 ? { previous: link('before', cursors.before) } : {}),
		},
	};
}
