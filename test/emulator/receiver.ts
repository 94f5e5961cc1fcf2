/**
 * A loopback webhook endpoint for tests with several callback URLs on one server: each path answers
 * Meta's GET handshake with its own verify token (or refuses it) and records the POSTs it receives.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { WebhookPayload } from './webhooks';

export interface ReceivedPost {
	path: string;
	headers: http.IncomingHttpHeaders;
	raw: Buffer;
	body: WebhookPayload;
}

export class WebhookReceiver {
	readonly posts: ReceivedPost[] = [];
	/** Handshakes seen, newest last: which path, with which token. */
	readonly handshakes: { path: string; verifyToken: string | null }[] = [];
	private tokens = new Map<string, string>();
	private base = '';
	private server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			if (req.method === 'GET') {
				const verifyToken = url.searchParams.get('hub.verify_token');
				this.handshakes.push({ path: url.pathname, verifyToken });
				const expected = this.tokens.get(url.pathname);
				const ok =
					url.searchParams.get('hub.mode') === 'subscribe' &&
					expected !== undefined &&
					verifyToken === expected;
				res.writeHead(ok ? 200 : 403, { 'content-type': 'text/plain' });
				res.end(ok ? (url.searchParams.get('hub.challenge') ?? '') : 'forbidden');
				return;
			}
			const raw = Buffer.concat(chunks);
			let body = {} as WebhookPayload;
			try {
				body = JSON.parse(raw.toString('utf8')) as WebhookPayload;
			} catch {
				/* raw payloads are recorded as they came */
			}
			this.posts.push({ path: url.pathname, headers: req.headers, raw, body });
			res.writeHead(200, { 'content-type': 'text/plain' });
			res.end('EVENT_RECEIVED');
		});
	});

	async start(): Promise<this> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
		this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	/** The URL of `path`, which from now on passes the handshake with `verifyToken`. */
	accept(path: string, verifyToken: string): string {
		this.tokens.set(path, verifyToken);
		return this.url(path);
	}

	/** The URL of a path that fails every handshake (403). */
	url(path: string): string {
		return `${this.base}${path}`;
	}

	clear(): void {
		this.posts.length = 0;
		this.handshakes.length = 0;
	}

	/** The POSTs one path received. */
	postsTo(path: string): ReceivedPost[] {
		return this.posts.filter((p) => p.path === path);
	}
}

/** Whether `X-Hub-Signature-256` is the HMAC of the exact bytes with `secret`. */
export function signedWith(post: ReceivedPost, secret: string): boolean {
	const header = post.headers['x-hub-signature-256'];
	if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
	const expected = Buffer.from(createHmac('sha256', secret).update(post.raw).digest('hex'));
	const given = Buffer.from(header.slice('sha256='.length));
	return given.length === expected.length && timingSafeEqual(given, expected);
}
