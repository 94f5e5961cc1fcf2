/**
 * A real HTTP round trip for webhook tests, without express (not in node_modules).
 *
 * A node `http.Server` on 127.0.0.1:0 receives the request from a real `http.request` client; the
 * server side decorates Node's `IncomingMessage`/`ServerResponse` with the small express surface
 * n8n webhook nodes use (`req.body/rawBody/query/params`, `req.get()`, `res.status()/send()/json()/
 * set()/header()/type()/sendStatus()`), then runs the handler. The client reads back what was
 * actually written to the socket, so status, headers and body are what a caller would receive.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ExpressLikeRequest = http.IncomingMessage & {
	body: unknown;
	rawBody: Buffer;
	query: Record<string, string | string[]>;
	params: Record<string, string>;
	path: string;
	get(name: string): string | undefined;
	header(name: string): string | undefined;
};

export type ExpressLikeResponse = http.ServerResponse & {
	status(code: number): ExpressLikeResponse;
	sendStatus(code: number): ExpressLikeResponse;
	set(field: string | Record<string, string>, value?: string): ExpressLikeResponse;
	header(field: string | Record<string, string>, value?: string): ExpressLikeResponse;
	type(contentType: string): ExpressLikeResponse;
	json(body: unknown): ExpressLikeResponse;
	send(body?: unknown): ExpressLikeResponse;
};

export interface HttpExchangeRequest {
	method: string;
	path: string;
	query?: Record<string, string>;
	headers?: Record<string, string>;
	body?: Buffer | string;
}

export interface HttpExchangeResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: Buffer;
}

/**
 * Body parsing like n8n's webhook server: `rawBody` always holds the bytes; `body` is the parsed
 * JSON for JSON content types (or no content type), form fields for urlencoded, else `{}`.
 */
function parseBody(raw: Buffer, contentType: string | undefined): unknown {
	if (raw.length === 0) return {};
	const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
	const text = raw.toString('utf8');
	if (type === '' || type === 'application/json' || type.endsWith('+json')) {
		try {
			return JSON.parse(text);
		} catch {
			return {};
		}
	}
	if (type === 'application/x-www-form-urlencoded') {
		return Object.fromEntries(new URLSearchParams(text));
	}
	return {};
}

function decorateRequest(req: http.IncomingMessage, raw: Buffer): ExpressLikeRequest {
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	const query: Record<string, string | string[]> = {};
	for (const [key, value] of url.searchParams) {
		const prev = query[key];
		query[key] = prev === undefined ? value : ([] as string[]).concat(prev, value);
	}
	const get = (name: string) => {
		const value = req.headers[name.toLowerCase()];
		return Array.isArray(value) ? value.join(', ') : value;
	};
	return Object.assign(req, {
		rawBody: raw,
		body: parseBody(raw, req.headers['content-type']),
		query,
		params: {},
		path: url.pathname,
		get,
		header: get,
	});
}

function decorateResponse(res: http.ServerResponse): ExpressLikeResponse {
	const r = res as ExpressLikeResponse;
	const set = (field: string | Record<string, string>, value?: string) => {
		if (typeof field === 'string') r.setHeader(field, value ?? '');
		else for (const [k, v] of Object.entries(field)) r.setHeader(k, v);
		return r;
	};
	r.status = (code) => {
		r.statusCode = code;
		return r;
	};
	r.set = set;
	r.header = set;
	r.type = (contentType) =>
		set('Content-Type', contentType.includes('/') ? contentType : `application/${contentType}`);
	r.json = (body) => {
		if (!r.hasHeader('Content-Type'))
			r.setHeader('Content-Type', 'application/json; charset=utf-8');
		r.end(JSON.stringify(body));
		return r;
	};
	// express semantics: strings → text/html, Buffers → octet-stream, objects → JSON.
	r.send = (body?: unknown) => {
		if (body === undefined || body === null) {
			r.end();
		} else if (Buffer.isBuffer(body)) {
			if (!r.hasHeader('Content-Type')) r.setHeader('Content-Type', 'application/octet-stream');
			r.end(body);
		} else if (typeof body === 'string') {
			if (!r.hasHeader('Content-Type')) r.setHeader('Content-Type', 'text/html; charset=utf-8');
			r.end(body);
		} else if (typeof body === 'number' || typeof body === 'boolean' || typeof body === 'object') {
			return r.json(body);
		}
		return r;
	};
	r.sendStatus = (code) => {
		r.statusCode = code;
		return r.send(http.STATUS_CODES[code] ?? String(code));
	};
	return r;
}

/** Sends one request through a throwaway loopback server whose handler is `handle`. */
export async function httpExchange(
	request: HttpExchangeRequest,
	handle: (req: ExpressLikeRequest, res: ExpressLikeResponse) => Promise<void>,
): Promise<HttpExchangeResponse> {
	let handlerError: unknown;
	// The handler may answer first and keep working (a trigger that responds to Meta, then fetches
	// media and returns workflowData); callers need both, so wait for the handler to finish too.
	let handlerDone!: () => void;
	const handled = new Promise<void>((resolve) => (handlerDone = resolve));
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const eReq = decorateRequest(req, Buffer.concat(chunks));
			const eRes = decorateResponse(res);
			handle(eReq, eRes).then(
				() => {
					if (!res.writableEnded) res.end(); // never leave the client hanging
					handlerDone();
				},
				(error) => {
					handlerError = error;
					if (!res.headersSent) res.statusCode = 500;
					if (!res.writableEnded) res.end();
					handlerDone();
				},
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		const { port } = server.address() as AddressInfo;
		const search = new URLSearchParams(request.query ?? {}).toString();
		const body =
			request.body === undefined ? undefined : Buffer.from(request.body as Buffer | string);
		const response = await new Promise<HttpExchangeResponse>((resolve, reject) => {
			const clientReq = http.request(
				{
					host: '127.0.0.1',
					port,
					method: request.method,
					path: request.path + (search ? `?${search}` : ''),
					headers: {
						...(body ? { 'content-length': String(body.length) } : {}),
						...request.headers,
					},
					agent: false,
				},
				(clientRes) => {
					const chunks: Buffer[] = [];
					clientRes.on('data', (c: Buffer) => chunks.push(c));
					clientRes.on('end', () => {
						const headers: Record<string, string> = {};
						for (const [k, v] of Object.entries(clientRes.headers)) {
							if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
						}
						resolve({
							statusCode: clientRes.statusCode ?? 0,
							headers,
							body: Buffer.concat(chunks),
						});
					});
					clientRes.on('error', reject);
				},
			);
			clientReq.on('error', reject);
			clientReq.end(body);
		});
		await handled;
		if (handlerError) throw handlerError;
		return response;
	} finally {
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
}
