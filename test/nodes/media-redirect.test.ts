/**
 * The access token on redirects, through n8n-core's real request helper: a 302 from the Graph or
 * media host to another server must never carry `Authorization` there (audit finding 2).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import type { Emulator } from '../emulator';
import { SEEDED_MEDIA_IDS, startEmulator } from '../emulator';
import { runNode } from './harness';

interface Seen {
	url: string;
	authorization?: string;
}

/** A server on another port (so another host to the node) that records what reaches it. */
async function foreignServer(
	answer: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<{ origin: string; seen: Seen[]; close: () => Promise<void> }> {
	const seen: Seen[] = [];
	const server = http.createServer((req, res) => {
		seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
		answer(req, res);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		origin,
		seen,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => emu.reset());

const credentials = (baseUrl: string, apiVersion = emu.config.apiVersion) => ({
	whatsAppCloudApi: {
		accessToken: emu.config.token,
		appSecret: emu.config.appSecret,
		businessAccountId: emu.config.wabaId,
		apiVersion,
		baseUrl,
	},
});

const download = async (mediaId: string, baseUrl = emu.baseUrl, apiVersion?: string) =>
	await runNode({
		node: new WhatsAppCloud(),
		parameters: { resource: 'media', operation: 'download', mediaId, binaryPropertyName: 'data' },
		credentials: credentials(baseUrl, apiVersion),
	});

describe('media download redirected off the checked host', () => {
	it('follows a 302 from the media host to another server without the token', async () => {
		const stored = emu.media.get(SEEDED_MEDIA_IDS.document)!;
		const foreign = await foreignServer((_req, res) => {
			res.setHeader('content-type', 'application/pdf');
			res.end(stored.bytes);
		});
		try {
			emu.configure({ mediaDownloadRedirect: foreign.origin });
			const { outputs, error, binary } = await download(stored.id);
			expect(error).toBeUndefined();
			expect(foreign.seen).toHaveLength(1);
			expect(foreign.seen[0].url).toMatch(new RegExp(`^/__media/${stored.id}\\?`));
			expect(foreign.seen[0].authorization).toBeUndefined();
			// The first hop, on the credential's host, did carry it (the emulator requires it).
			expect(emu.requests().find((r) => r.fault === 'redirect')?.status).toBe(302);
			expect((await binary(outputs[0][0])).equals(stored.bytes)).toBe(true);
		} finally {
			await foreign.close();
		}
	});

	it('fails with the foreign answer when that server wants a token it never gets', async () => {
		const foreign = await foreignServer((_req, res) => {
			res.statusCode = 401;
			res.end('token required');
		});
		try {
			emu.configure({ mediaDownloadRedirect: foreign.origin });
			const { error } = await download(SEEDED_MEDIA_IDS.image);
			expect(error).toBeInstanceOf(NodeApiError);
			expect((error as NodeApiError).httpCode).toBe('401');
			expect(foreign.seen.map((s) => s.authorization)).toEqual([undefined]);
		} finally {
			await foreign.close();
		}
	});

	it('stops after a few hops of a redirect loop, naming the limit', async () => {
		const foreign = await foreignServer((req, res) => {
			res.statusCode = 302;
			res.setHeader('location', req.url ?? '/');
			res.end();
		});
		try {
			emu.configure({ mediaDownloadRedirect: foreign.origin });
			const { error } = await download(SEEDED_MEDIA_IDS.image);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error!.message).toMatch(/more than 5 redirects/);
			expect(foreign.seen).toHaveLength(5);
			expect(foreign.seen.every((s) => s.authorization === undefined)).toBe(true);
		} finally {
			await foreign.close();
		}
	});
});

describe('Graph calls redirected to another host', () => {
	it('never follow the redirect: the other server sees nothing and the error names the status', async () => {
		const foreign = await foreignServer((_req, res) => res.end('{}'));
		const graph = await foreignServer((req, res) => {
			res.statusCode = 302;
			res.setHeader('location', `${foreign.origin}${req.url ?? '/'}`);
			res.end();
		});
		try {
			const { error } = await download('77', graph.origin, 'v26.0');
			expect(graph.seen).toEqual([
				{ url: '/v26.0/77', authorization: `Bearer ${emu.config.token}` },
			]);
			expect(foreign.seen).toEqual([]);
			expect(error).toBeInstanceOf(NodeApiError);
			expect((error as NodeApiError).httpCode).toBe('302');
		} finally {
			await foreign.close();
			await graph.close();
		}
	});
});
