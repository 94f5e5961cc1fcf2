import { createHash } from 'node:crypto';

import { PHONE_NUMBER_IDS, SEEDED_MEDIA_IDS, startEmulator, type Emulator } from './index';
import { call, errCode, v } from './testUtil';

let e: Emulator;
beforeAll(async () => {
	e = await startEmulator();
});
afterAll(() => e.stop());
beforeEach(() => e.reset());

function form(
	bytes: Buffer,
	type: string,
	filename = 'file.bin',
	extra: Record<string, string> = { messaging_product: 'whatsapp' },
) {
	const f = new FormData();
	for (const [k, val] of Object.entries(extra)) f.append(k, val);
	if (type) f.append('type', type);
	f.append('file', new Blob([bytes], { type: type || 'application/octet-stream' }), filename);
	return f;
}
const upload = (f: FormData) => call(e, 'POST', v(e, `${PHONE_NUMBER_IDS[0]}/media`), f);
const KB = 1024;
const MB = 1024 * KB;

describe('media', () => {
	test('round trip: upload → URL → download (bytes, type, sha256) → delete', async () => {
		const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff));
		const up = await upload(form(bytes, 'image/jpeg', 'photo.jpg'));
		expect(up.status).toBe(200);
		expect(up.body).toEqual({ id: expect.stringMatching(/^\d+$/) });
		const id = up.body.id as string;
		const meta = await call(e, 'GET', v(e, id));
		expect(meta.body).toEqual({
			messaging_product: 'whatsapp',
			url: expect.stringContaining(`${e.baseUrl}/__media/${id}?`),
			mime_type: 'image/jpeg',
			sha256: createHash('sha256').update(bytes).digest('hex'),
			file_size: String(bytes.length),
			id,
		});
		const noAuth = await fetch(meta.body.url);
		expect(noAuth.status).toBe(401);
		const wrong = await fetch(meta.body.url, { headers: { authorization: 'Bearer nope' } });
		expect(wrong.status).toBe(401);
		const dl = await fetch(meta.body.url, {
			headers: { authorization: `Bearer ${e.config.token}` },
		});
		expect(dl.status).toBe(200);
		expect(dl.headers.get('content-type')).toBe('image/jpeg');
		expect(Buffer.from(await dl.arrayBuffer()).equals(bytes)).toBe(true);
		// Sending by the uploaded id works.
		const send = await call(e, 'POST', v(e, `${PHONE_NUMBER_IDS[0]}/messages`), {
			messaging_product: 'whatsapp',
			to: '16505551234',
			type: 'image',
			image: { id },
		});
		expect(send.status).toBe(200);
		expect((await call(e, 'DELETE', v(e, id))).body).toEqual({ success: true });
		expect(errCode(await call(e, 'GET', v(e, id)))).toBe(100);
		expect(
			(await fetch(meta.body.url, { headers: { authorization: `Bearer ${e.config.token}` } }))
				.status,
		).toBe(404);
		const after = await call(e, 'POST', v(e, `${PHONE_NUMBER_IDS[0]}/messages`), {
			messaging_product: 'whatsapp',
			to: '16505551234',
			type: 'image',
			image: { id },
		});
		expect(errCode(after)).toBe(131053);
	});

	test('URL expires (configurable TTL); a fresh GET gives a new working URL', async () => {
		e.configure({ mediaUrlTtlMs: 150 });
		const meta = await call(e, 'GET', v(e, SEEDED_MEDIA_IDS.document));
		const auth = { authorization: `Bearer ${e.config.token}` };
		expect((await fetch(meta.body.url, { headers: auth })).status).toBe(200);
		await new Promise((r) => setTimeout(r, 250));
		expect((await fetch(meta.body.url, { headers: auth })).status).toBe(404);
		const fresh = await call(e, 'GET', v(e, SEEDED_MEDIA_IDS.document));
		const dl = await fetch(fresh.body.url, { headers: auth });
		expect(dl.status).toBe(200);
		expect(dl.headers.get('content-type')).toBe('application/pdf');
		expect(Buffer.from(await dl.arrayBuffer()).toString()).toContain('%PDF');
	});

	test('tampered URL hash → 404', async () => {
		const meta = await call(e, 'GET', v(e, SEEDED_MEDIA_IDS.image));
		const bad = meta.body.url.replace(/hash=[0-9a-f]+/, 'hash=00');
		expect(
			(await fetch(bad, { headers: { authorization: `Bearer ${e.config.token}` } })).status,
		).toBe(404);
	});

	const animatedWebp = (size: number) => {
		const b = Buffer.alloc(size, 1);
		b.write('RIFF', 0, 'latin1');
		b.write('WEBPVP8X', 8, 'latin1');
		b.write('ANIM', 30, 'latin1');
		return b;
	};
	test.each([
		['image 5 MB', 'image/png', 5 * MB, 200],
		['image 5 MB + 1', 'image/png', 5 * MB + 1, 131053],
		['audio 16 MB', 'audio/mpeg', 16 * MB, 200],
		['audio 16 MB + 1', 'audio/ogg', 16 * MB + 1, 131053],
		['video 16 MB + 1', 'video/mp4', 16 * MB + 1, 131053],
		['video 3gpp', 'video/3gpp', 10, 200],
		['document 100 MB', 'application/pdf', 100 * MB, 200],
		['document 100 MB + 1', 'application/pdf', 100 * MB + 1, 131053],
		['static sticker 100 KB', 'image/webp', 100 * KB, 200],
		['static sticker 100 KB + 1', 'image/webp', 100 * KB + 1, 131053],
		['unsupported type', 'image/gif', 10, 131053],
		['type with codec parameter', 'audio/ogg; codecs=opus', 10, 200],
		['empty file', 'image/png', 0, 131053],
	])(
		'%s',
		async (_n, type, size, expected) => {
			const r = await upload(form(Buffer.alloc(size, 7), type));
			if (expected === 200) expect(r.status).toBe(200);
			else {
				expect(r.status).toBe(400);
				expect(errCode(r)).toBe(expected);
			}
		},
		60_000,
	);

	test('animated sticker up to 500 KB', async () => {
		expect((await upload(form(animatedWebp(500 * KB), 'image/webp'))).status).toBe(200);
		expect(errCode(await upload(form(animatedWebp(500 * KB + 1), 'image/webp')))).toBe(131053);
	});

	test('missing messaging_product / file → 100', async () => {
		expect(errCode(await upload(form(Buffer.from('x'), 'image/png', 'a.png', {})))).toBe(100);
		const f = new FormData();
		f.append('messaging_product', 'whatsapp');
		f.append('type', 'image/png');
		expect(errCode(await upload(f))).toBe(100);
		expect(
			errCode(
				await call(e, 'POST', v(e, `${PHONE_NUMBER_IDS[0]}/media`), {
					messaging_product: 'whatsapp',
				}),
			),
		).toBe(100);
	});

	test('type taken from the file part when the type field is absent', async () => {
		const f = new FormData();
		f.append('messaging_product', 'whatsapp');
		f.append('file', new Blob([Buffer.from('hello')], { type: 'text/plain' }), 'a.txt');
		const r = await upload(f);
		expect(r.status).toBe(200);
		expect((await call(e, 'GET', v(e, r.body.id))).body.mime_type).toBe('text/plain');
	});

	test('seeded media ids are downloadable and sendable without upload', async () => {
		for (const id of Object.values(SEEDED_MEDIA_IDS))
			expect((await call(e, 'GET', v(e, id))).status).toBe(200);
	});

	test('mediaDownloadRedirect: downloads answer 302 to the same path on that origin', async () => {
		const meta = await call(e, 'GET', v(e, SEEDED_MEDIA_IDS.image));
		e.configure({ mediaDownloadRedirect: 'http://127.0.0.1:9' });
		const r = await fetch(meta.body.url as string, { redirect: 'manual' });
		expect(r.status).toBe(302);
		const original = new URL(meta.body.url as string);
		expect(r.headers.get('location')).toBe(
			`http://127.0.0.1:9${original.pathname}${original.search}`,
		);
		e.configure({ mediaDownloadRedirect: '' });
		const served = await fetch(meta.body.url as string, {
			headers: { authorization: `Bearer ${e.config.token}` },
		});
		expect(served.status).toBe(200);
	});
});
