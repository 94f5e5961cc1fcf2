/** Media operations through n8n-core against the emulator (and, for two cases, a tiny fake Graph). */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import type { Emulator } from '../emulator';
import { SEEDED_MEDIA_IDS, startEmulator } from '../emulator';
import { emulatorCredentials, runNode } from './harness';

let emu: Emulator;

const credentials = (baseUrl = emu.baseUrl, overrides: Record<string, string> = {}) =>
	emulatorCredentials(emu, { baseUrl, ...overrides });

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const phoneNumberId = () => emu.config.phoneNumberIds[0];
const pick = { mode: 'list', value: '' };

const png = Buffer.from(
	'89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
		'1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
	'hex',
);

async function upload(
	binary: { data: Buffer; mimeType: string; fileName?: string },
	extra: Record<string, unknown> = {},
) {
	return await runNode({
		node: new WhatsAppCloud(),
		parameters: {
			resource: 'media',
			operation: 'upload',
			phoneNumberId: { ...pick, mode: 'id', value: phoneNumberId() },
			binaryPropertyName: 'data',
			...extra,
		},
		items: [{ json: {}, binary: { data: binary } }],
		credentials: credentials(),
	});
}

async function mediaOp(
	operation: string,
	mediaId: string,
	extra: Record<string, unknown> = {},
	onError?: 'continueRegularOutput',
) {
	return await runNode({
		node: new WhatsAppCloud(),
		parameters: { resource: 'media', operation, mediaId, ...extra },
		credentials: credentials(),
		onError,
	});
}

const only = (outputs: INodeExecutionData[][]) => {
	expect(outputs).toHaveLength(1);
	expect(outputs[0]).toHaveLength(1);
	return outputs[0][0];
};

beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => emu.reset());

describe('media: upload', () => {
	it('uploads the binary as multipart; the emulator stores exactly these bytes', async () => {
		const { outputs, error } = await upload({
			data: png,
			mimeType: 'image/png',
			fileName: 'pixel.png',
		});
		expect(error).toBeUndefined();
		const item = only(outputs);
		expect(item.json).toEqual({
			mediaId: expect.stringMatching(/^\d+$/),
			phoneNumberId: phoneNumberId(),
			kind: 'image',
			mimeType: 'image/png',
			fileName: 'pixel.png',
			fileSize: png.length,
			sha256: sha256(png),
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		const stored = emu.media.get(item.json.mediaId as string)!;
		expect(stored.bytes.equals(png)).toBe(true);
		expect(stored.mimeType).toBe('image/png');
		expect(stored.filename).toBe('pixel.png');
		expect(stored.phoneNumberId).toBe(phoneNumberId());
		expect(emu.requests().filter((r) => r.method === 'POST')).toEqual([
			expect.objectContaining({
				path: `/${emu.config.apiVersion}/${phoneNumberId()}/media`,
				status: 200,
			}),
		]);
	});

	it('uses the MIME type and file name overrides', async () => {
		const voice = Buffer.from('OggS\0\x02OpusHead-voice-note', 'binary');
		const { outputs, error } = await upload(
			{ data: voice, mimeType: 'application/octet-stream', fileName: 'blob' },
			{ uploadOptions: { mimeType: 'audio/ogg; codecs=opus', fileName: 'note.ogg' } },
		);
		expect(error).toBeUndefined();
		const { json } = only(outputs);
		expect(json).toMatchObject({ kind: 'audio', mimeType: 'audio/ogg', fileName: 'note.ogg' });
		const stored = emu.media.get(json.mediaId as string)!;
		expect(stored.mimeType).toBe('audio/ogg');
		expect(stored.filename).toBe('note.ogg');
		expect(stored.bytes.equals(voice)).toBe(true);
	});

	it('refuses an image one byte over 5 MB before any upload', async () => {
		const big = Buffer.alloc(5 * 1024 * 1024 + 1, 1);
		const { error, outputs } = await upload({
			data: big,
			mimeType: 'image/jpeg',
			fileName: 'big.jpg',
		});
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe(
			'Input Binary Field "data" (image/jpeg) must be at most 5 MB (5,242,880 bytes); it has 5,242,881 bytes (5.0 MB)',
		);
		expect(outputs).toEqual([]);
		expect(emu.requests().filter((r) => r.method === 'POST')).toEqual([]);
	});

	it('accepts an image of exactly 5 MB', async () => {
		const edge = Buffer.alloc(5 * 1024 * 1024, 7);
		const { error, outputs } = await upload({
			data: edge,
			mimeType: 'image/jpeg',
			fileName: 'edge.jpg',
		});
		expect(error).toBeUndefined();
		expect(emu.media.get(only(outputs).json.mediaId as string)!.bytes.length).toBe(edge.length);
	});

	it('applies the static sticker limit to a static WebP and the animated one to an animated WebP', async () => {
		const webp = (size: number, animated: boolean) => {
			const b = Buffer.alloc(size, 0);
			b.write('RIFF', 0, 'latin1');
			b.writeUInt32LE(size - 8, 4);
			b.write('WEBPVP8X', 8, 'latin1');
			b[20] = animated ? 0x02 : 0;
			if (animated) b.write('ANIM', 30, 'latin1'); // what the emulator looks for
			return b;
		};
		const staticTooBig = await upload({
			data: webp(100 * 1024 + 1, false),
			mimeType: 'image/webp',
		});
		expect(staticTooBig.error!.message).toContain('at most 100 KB for a static sticker');
		const animatedOk = await upload({ data: webp(400 * 1024, true), mimeType: 'image/webp' });
		expect(animatedOk.error).toBeUndefined();
		expect(only(animatedOk.outputs).json).toMatchObject({
			kind: 'sticker',
			fileName: 'upload.webp',
		});
	});

	it('refuses a type WhatsApp does not accept, listing the supported ones', async () => {
		const { error } = await upload({
			data: Buffer.from('GIF89a'),
			mimeType: 'image/gif',
			fileName: 'a.gif',
		});
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe(
			'The file in "data" has MIME type "image/gif", which WhatsApp does not accept',
		);
		expect((error as NodeOperationError).description).toContain('image/jpeg, image/png');
	});

	it('fails clearly when the binary property is missing', async () => {
		const { error } = await upload(
			{ data: png, mimeType: 'image/png' },
			{ binaryPropertyName: 'file' },
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toMatch(/file/);
	});
});

describe('media: download', () => {
	it('downloads seeded media into a binary with the right bytes, MIME type and file name', async () => {
		const id = SEEDED_MEDIA_IDS.document;
		const { outputs, error, binary } = await mediaOp('download', id, {
			binaryPropertyName: 'file',
		});
		expect(error).toBeUndefined();
		const item = only(outputs);
		const stored = emu.media.get(id)!;
		expect(item.json).toEqual({
			mediaId: id,
			mimeType: 'application/pdf',
			fileName: `${id}.pdf`,
			fileSize: stored.bytes.length,
			sha256: stored.sha256,
		});
		expect(item.binary!.file).toMatchObject({
			mimeType: 'application/pdf',
			fileName: `${id}.pdf`,
			fileExtension: 'pdf',
		});
		expect((await binary(item, 'file')).equals(stored.bytes)).toBe(true);
	});

	it('round-trips an upload and honours the file name option', async () => {
		const uploaded = only(
			(await upload({ data: png, mimeType: 'image/png', fileName: 'pixel.png' })).outputs,
		);
		const id = uploaded.json.mediaId as string;
		const { outputs, error, binary } = await mediaOp('download', id, {
			binaryPropertyName: 'data',
			downloadOptions: { fileName: 'avatar.png', phoneNumberId: phoneNumberId() },
		});
		expect(error).toBeUndefined();
		const item = only(outputs);
		expect(item.binary!.data).toMatchObject({ mimeType: 'image/png', fileName: 'avatar.png' });
		expect((await binary(item)).equals(png)).toBe(true);
		// URL lookup, then the download itself — fetched right before downloading.
		expect(
			emu
				.requests()
				.filter((r) => r.method === 'GET')
				.map((r) => r.path),
		).toEqual([`/${emu.config.apiVersion}/${id}`, `/__media/${id}`]);
	});

	it('detects a SHA-256 mismatch and fails without output', async () => {
		const id = SEEDED_MEDIA_IDS.image;
		const stored = emu.media.get(id)!;
		const announced = stored.sha256;
		stored.bytes = Buffer.from('tampered bytes'); // the hash Meta reports stays the old one
		const { outputs, error } = await mediaOp('download', id, { binaryPropertyName: 'data' });
		expect(outputs).toEqual([]);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe(
			`The downloaded media ${id} is corrupt: its SHA-256 does not match the one Meta reported`,
		);
		const description = (error as NodeOperationError).description!;
		expect(description).toContain(
			`Expected sha256 ${announced}, got ${sha256(Buffer.from('tampered bytes'))}`,
		);
		expect(description).toContain(`14 bytes arrived`);
	});

	it("turns an unknown media ID into an error item with Meta's code under continue-on-fail", async () => {
		const { outputs, error } = await mediaOp(
			'download',
			'999',
			{ binaryPropertyName: 'data' },
			'continueRegularOutput',
		);
		expect(error).toBeUndefined();
		const item = only(outputs);
		expect((item.json.error as { message: string }).message).toMatch(/^\(#100\) /);
		expect(item.json.error).toMatchObject({ message: expect.stringContaining('(#100)') });
		expect(item.binary).toBeUndefined();
	});

	it('rejects a malformed media ID without calling Graph', async () => {
		const { error } = await mediaOp('download', '12/../messages', { binaryPropertyName: 'data' });
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe('Media ID "12/../messages" is not a valid media ID');
		expect(emu.requests()).toEqual([]);
	});
});

describe('media: getUrl and delete', () => {
	it('returns url, mime_type, sha256, numeric file_size, id and expiresAt', async () => {
		const id = SEEDED_MEDIA_IDS.jpeg;
		const before = Date.now();
		const { outputs, error } = await mediaOp('getUrl', id);
		expect(error).toBeUndefined();
		const { json } = only(outputs);
		const stored = emu.media.get(id)!;
		expect(json).toEqual({
			id,
			url: expect.stringMatching(new RegExp(`^${emu.baseUrl}/__media/${id}\\?`)),
			mime_type: 'image/jpeg',
			sha256: stored.sha256,
			file_size: stored.bytes.length,
			expiresAt: expect.any(String),
		});
		const expiresAt = Date.parse(json.expiresAt as string);
		expect(expiresAt).toBeGreaterThanOrEqual(before + 5 * 60_000);
		expect(expiresAt).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
	});

	it('deletes media; a later lookup fails with a Graph error', async () => {
		const id = SEEDED_MEDIA_IDS.video;
		const { outputs, error } = await mediaOp('delete', id);
		expect(error).toBeUndefined();
		expect(only(outputs).json).toEqual({ success: true, mediaId: id });
		expect(emu.media.get(id)).toBeUndefined();
		expect(emu.requests()).toEqual([
			expect.objectContaining({
				method: 'DELETE',
				path: `/${emu.config.apiVersion}/${id}`,
				status: 200,
			}),
		]);
		const again = await mediaOp('getUrl', id);
		expect(again.error).toBeInstanceOf(NodeApiError);
		const { message, description } = again.error as NodeApiError;
		expect(message).toMatch(/^\(#100\) /);
		expect(`${message}\n${description}`).toMatch(/Object with ID '\d+' does not exist/);
	});
});

describe('media: against a fake Graph', () => {
	let server: http.Server;
	let fakeBase: string;
	const seen: string[] = [];
	let mediaUrl = '';
	let served: { body: Buffer; sha256: string; fileSize?: number } = {
		body: Buffer.alloc(0),
		sha256: '',
	};

	beforeAll(async () => {
		server = http.createServer((req, res) => {
			seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
			if (req.url!.startsWith('/v26.0/')) {
				res.setHeader('content-type', 'application/json');
				res.end(
					JSON.stringify({
						url: mediaUrl,
						mime_type: 'audio/ogg',
						sha256: served.sha256,
						file_size: String(served.fileSize ?? served.body.length),
						id: '77',
						messaging_product: 'whatsapp',
					}),
				);
				return;
			}
			res.setHeader('content-type', 'application/octet-stream');
			res.end(served.body);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		fakeBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await new Promise<void>((resolve) => server.close(() => resolve()));
	});
	beforeEach(() => {
		seen.length = 0;
	});

	const download = async () =>
		await runNode({
			node: new WhatsAppCloud(),
			parameters: {
				resource: 'media',
				operation: 'download',
				mediaId: '77',
				binaryPropertyName: 'data',
			},
			credentials: credentials(fakeBase, { apiVersion: 'v26.0', accessToken: 'fake-token' }),
		});

	it('downloads with the bearer token and takes the MIME type from Graph, not the response', async () => {
		served = {
			body: Buffer.from('OggS voice'),
			sha256: sha256(Buffer.from('OggS voice')).toUpperCase(),
		};
		mediaUrl = `${fakeBase}/file?mid=77`;
		const { outputs, error, binary } = await download();
		expect(error).toBeUndefined();
		const item = only(outputs);
		expect(item.json).toMatchObject({ mimeType: 'audio/ogg', fileName: '77.ogg', fileSize: 10 });
		expect((await binary(item)).toString()).toBe('OggS voice');
		expect(seen).toEqual(['GET /v26.0/77 Bearer fake-token', 'GET /file?mid=77 Bearer fake-token']);
	});

	it('detects bytes that do not match the announced SHA-256', async () => {
		served = {
			body: Buffer.from('<html>login</html>'),
			sha256: sha256(Buffer.from('OggS voice')),
			fileSize: 10,
		};
		mediaUrl = `${fakeBase}/file?mid=77`;
		const { error } = await download();
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toMatch(/is corrupt: its SHA-256 does not match/);
		expect((error as NodeOperationError).description).toContain(
			'Meta announced 10 bytes; 18 arrived.',
		);
	});

	it("never sends the access token to a host other than Meta's or the Base URL's", async () => {
		served = { body: Buffer.from('x'), sha256: sha256(Buffer.from('x')) };
		mediaUrl = fakeBase.replace('127.0.0.1', 'localhost') + '/file';
		const { error } = await download();
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toMatch(/^Refusing to download media 77 from localhost:\d+/);
		expect(seen).toEqual(['GET /v26.0/77 Bearer fake-token']);
	});
});
