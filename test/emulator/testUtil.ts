/** Helpers for the emulator's own tests (real HTTP against a started emulator). */
import type { Emulator } from './index';

export interface Res<T = any> {
	status: number;
	body: T;
	headers: Headers;
}

export async function call<T = any>(
	e: Emulator,
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = {},
	auth: string | null = e.config.token,
): Promise<Res<T>> {
	const h: Record<string, string> = { ...headers };
	if (auth !== null) h.authorization = `Bearer ${auth}`;
	let data: string | FormData | undefined;
	if (body instanceof FormData) data = body;
	else if (body !== undefined) {
		data = JSON.stringify(body);
		h['content-type'] ??= 'application/json';
	}
	const url = path.startsWith('http') ? path : `${e.baseUrl}${path}`;
	const r = await fetch(url, { method, headers: h, body: data });
	const text = await r.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		/* not JSON */
	}
	return { status: r.status, body: parsed as T, headers: r.headers };
}

export const v = (e: Emulator, p: string) => `/${e.config.apiVersion}/${p}`;

export function send(
	e: Emulator,
	body: Record<string, unknown>,
	phoneNumberId = e.config.phoneNumberIds[0],
) {
	return call(e, 'POST', v(e, `${phoneNumberId}/messages`), {
		messaging_product: 'whatsapp',
		...body,
	});
}

export const errCode = (r: Res) => (r.body as { error?: { code?: number } }).error?.code;

let n = 0;
/** A fresh valid recipient number per call so pair limits never interfere. */
export const nextTo = () => `1650555${String(1000 + (n++ % 9000)).padStart(4, '0')}`;
