/**
 * A loopback proxy in front of the emulator that records each Graph request exactly as the node
 * sent it (method, path, query, content type, JSON body or multipart parts) and passes it on, so
 * node tests can assert the exact requests while the emulator still answers as Meta does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { parseMultipart } from '../emulator/graph/media';

export interface RecordedPart {
	name: string;
	filename?: string;
	contentType?: string;
	text: string;
}

export interface RecordedRequest {
	method: string;
	/** The path after the Graph version, e.g. `/1592000000007919/publish`. */
	path: string;
	query: Record<string, string>;
	contentType?: string;
	/** The parsed body of a JSON request. */
	json?: unknown;
	/** The parts of a multipart request. */
	parts?: RecordedPart[];
}

export interface GraphRecorder {
	/** Use as the credential's Base URL. */
	baseUrl: string;
	requests: RecordedRequest[];
	stop(): Promise<void>;
}

function record(req: http.IncomingMessage, body: Buffer, apiVersion: string): RecordedRequest {
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	const contentType = req.headers['content-type'];
	const recorded: RecordedRequest = {
		method: req.method ?? 'GET',
		path: url.pathname.replace(new RegExp(`^/${apiVersion}`), ''),
		query: Object.fromEntries(url.searchParams),
		...(contentType ? { contentType: contentType.split(';')[0].trim() } : {}),
	};
	if (body.length && /json/i.test(contentType ?? '')) {
		recorded.json = JSON.parse(body.toString('utf8')) as unknown;
	} else if (body.length && /^multipart\/form-data/i.test(contentType ?? '')) {
		recorded.parts = parseMultipart(body, contentType ?? '').map((part) => ({
			name: part.name,
			...(part.filename !== undefined ? { filename: part.filename } : {}),
			...(part.contentType !== undefined ? { contentType: part.contentType } : {}),
			text: part.data.toString('utf8'),
		}));
	}
	return recorded;
}

/** Starts the proxy to `targetBaseUrl` (the emulator's base URL). */
export async function startGraphRecorder(
	targetBaseUrl: string,
	apiVersion: string,
): Promise<GraphRecorder> {
	const requests: RecordedRequest[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			requests.push(record(req, body, apiVersion));
			const headers = { ...req.headers };
			delete headers.host;
			const forward = http.request(
				`${targetBaseUrl}${req.url ?? '/'}`,
				{ method: req.method, headers },
				(answer) => {
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(res);
				},
			);
			forward.on('error', () => res.writeHead(502).end());
			forward.end(body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		requests,
		stop: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
