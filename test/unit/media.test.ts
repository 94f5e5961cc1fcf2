/** Media limits (fact sheet §6): every kind and MIME type at its edge and one past it. */
import fc from 'fast-check';

import { PayloadError } from '../../nodes/WhatsAppCloud/helpers/errors';
import {
	checkMediaFile,
	defaultMediaFileName,
	extensionForMime,
	formatBytes,
	isAnimatedWebp,
	MEDIA_KINDS,
	MEDIA_SPECS,
	type MediaKind,
	mediaKindForMime,
	MIME_EXTENSIONS,
	normalizeMimeType,
	sha256Hex,
	STICKER_ANIMATED_MAX_BYTES,
	SUPPORTED_MIME_TYPES,
} from '../../nodes/WhatsAppCloud/helpers/media';
import { validateUpload } from '../emulator/graph/media';

const KB = 1024;
const MB = 1024 * KB;

/** The fact sheet's table, restated independently of the implementation. */
const FACTS: Array<[MediaKind, string[], number]> = [
	['audio', ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'], 16 * MB],
	[
		'document',
		[
			'text/plain',
			'application/pdf',
			'application/msword',
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'application/vnd.ms-excel',
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'application/vnd.ms-powerpoint',
			'application/vnd.openxmlformats-officedocument.presentationml.presentation',
		],
		100 * MB,
	],
	['image', ['image/jpeg', 'image/png'], 5 * MB],
	['sticker', ['image/webp'], 100 * KB],
	['video', ['video/mp4', 'video/3gpp'], 16 * MB],
];

const cases = FACTS.flatMap(([kind, mimes, max]) =>
	mimes.map((mime) => [kind, mime, max] as const),
);

function payloadError(fn: () => unknown): PayloadError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(PayloadError);
		return error as PayloadError;
	}
	throw new Error('expected a PayloadError');
}

describe('MEDIA_SPECS', () => {
	it('matches the fact sheet', () => {
		for (const [kind, mimes, max] of FACTS) {
			expect([...MEDIA_SPECS[kind].mimeTypes].sort()).toEqual([...mimes].sort());
			expect(MEDIA_SPECS[kind].maxBytes).toBe(max);
		}
		expect(STICKER_ANIMATED_MAX_BYTES).toBe(500 * KB);
		expect(SUPPORTED_MIME_TYPES).toHaveLength(18);
	});
});

describe('checkMediaFile', () => {
	it.each(['__proto__', 'constructor', 'toString'])(
		'a MIME type named like an object property (%s) is refused as unsupported',
		(mime) => {
			expect(() => checkMediaFile('audio', mime, 10, 'file')).toThrow(PayloadError);
			expect(() => checkMediaFile('audio', mime, 10, 'file')).toThrow(
				/must be an audio file of type/,
			);
		},
	);

	const nonSticker = cases.filter(([kind]) => kind !== 'sticker');

	it.each(nonSticker)('%s %s: accepts 1 byte and exactly %d bytes', (kind, mime, max) => {
		expect(checkMediaFile(kind, mime, 1, 'file')).toBe(mime);
		expect(checkMediaFile(kind, mime, max, 'file')).toBe(mime);
	});

	it.each(nonSticker)(
		'%s %s: rejects %d + 1 bytes naming field, limit and actual',
		(kind, mime, max) => {
			const error = payloadError(() => checkMediaFile(kind, mime, max + 1, 'binary "data"'));
			expect(error.field).toBe('binary "data"');
			expect(error.message).toContain('binary "data"');
			expect(error.message).toContain(MEDIA_SPECS[kind].maxLabel);
			expect(error.limit).toContain(max.toLocaleString('en-US'));
			expect(error.actual).toContain(`${(max + 1).toLocaleString('en-US')} bytes`);
			expect(error.message).toContain(`${(max + 1).toLocaleString('en-US')} bytes`);
		},
	);

	describe('sticker (image/webp)', () => {
		it.each([
			['static', false, 100 * KB],
			['animated', true, 500 * KB],
			['unknown animation (the animated limit)', undefined, 500 * KB],
		] as const)('%s: edge ok, edge + 1 rejected', (_label, animated, max) => {
			expect(checkMediaFile('sticker', 'image/webp', max, 'sticker', { animated })).toBe(
				'image/webp',
			);
			const error = payloadError(() =>
				checkMediaFile('sticker', 'image/webp', max + 1, 'sticker', { animated }),
			);
			expect(error.limit).toContain(max.toLocaleString('en-US'));
			expect(error.actual).toContain((max + 1).toLocaleString('en-US'));
		});

		it('names which sticker limit applied', () => {
			expect(
				payloadError(() =>
					checkMediaFile('sticker', 'image/webp', 100 * KB + 1, 's', { animated: false }),
				).message,
			).toContain('static');
			expect(
				payloadError(() =>
					checkMediaFile('sticker', 'image/webp', 500 * KB + 1, 's', { animated: true }),
				).message,
			).toContain('animated');
		});
	});

	it('rejects an empty file', () => {
		const error = payloadError(() => checkMediaFile('image', 'image/png', 0, 'img'));
		expect(error.message).toBe('img must not be empty; it has 0 bytes');
	});

	it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects the impossible size %p', (size) => {
		payloadError(() => checkMediaFile('image', 'image/png', size, 'img'));
	});

	it.each(
		MEDIA_KINDS.flatMap((kind) =>
			SUPPORTED_MIME_TYPES.filter((mime) => !MEDIA_SPECS[kind].mimeTypes.includes(mime)).map(
				(mime) => [kind, mime] as const,
			),
		),
	)('%s rejects %s (a type of another kind)', (kind, mime) => {
		const error = payloadError(() => checkMediaFile(kind, mime, 10, 'file'));
		expect(error.field).toBe('file');
		expect(error.actual).toBe(`"${mime}"`);
		expect(error.message).toContain(MEDIA_SPECS[kind].mimeTypes.join(', '));
	});

	it.each(['image/gif', 'audio/wav', 'video/quicktime', 'application/zip', ''])(
		'rejects the unsupported type %p',
		(mime) => {
			const error = payloadError(() => checkMediaFile('image', mime, 10, 'file'));
			expect(error.message).toMatch(
				/^file must be an image file of type one of image\/jpeg, image\/png; it has /,
			);
		},
	);

	it('uses "an" before audio and image, "a" before the rest', () => {
		expect(payloadError(() => checkMediaFile('audio', 'x/y', 1, 'f')).message).toMatch(
			/^f must be an audio file/,
		);
		expect(payloadError(() => checkMediaFile('video', 'x/y', 1, 'f')).message).toMatch(
			/^f must be a video file/,
		);
	});

	it('accepts MIME parameters, case and aliases, returning the canonical type', () => {
		expect(checkMediaFile('audio', 'audio/ogg; codecs=opus', 10, 'f')).toBe('audio/ogg');
		expect(checkMediaFile('image', 'IMAGE/JPG', 10, 'f')).toBe('image/jpeg');
		expect(checkMediaFile('audio', 'audio/mp3', 10, 'f')).toBe('audio/mpeg');
		expect(checkMediaFile('video', 'video/3gp', 10, 'f')).toBe('video/3gpp');
	});

	it('property: any kind, MIME and size gives the canonical MIME or a PayloadError', () => {
		const mime = fc.oneof(
			fc.constantFrom(
				...SUPPORTED_MIME_TYPES,
				'image/gif',
				'audio/ogg; codecs=opus',
				'IMAGE/JPG',
				'',
			),
			fc.string(),
		);
		const size = fc.oneof(
			fc.integer({ min: -2, max: 120 * MB }),
			fc.constantFrom(...FACTS.map(([, , max]) => max), ...FACTS.map(([, , max]) => max + 1)),
			fc.double(),
		);
		fc.assert(
			fc.property(
				fc.constantFrom(...MEDIA_KINDS),
				mime,
				size,
				fc.option(fc.boolean(), { nil: undefined }),
				(kind, m, s, animated) => {
					let result: string;
					try {
						result = checkMediaFile(kind, m, s, 'file', { animated });
					} catch (error) {
						expect(error).toBeInstanceOf(PayloadError);
						expect((error as PayloadError).field).toBe('file');
						expect((error as Error).message.startsWith('file')).toBe(true);
						return;
					}
					expect(MEDIA_SPECS[kind].mimeTypes).toContain(result);
					expect(mediaKindForMime(result)).toBe(kind);
					expect(s).toBeGreaterThan(0);
					const max =
						kind === 'sticker' && animated !== false ? 500 * KB : MEDIA_SPECS[kind].maxBytes;
					expect(s).toBeLessThanOrEqual(max);
				},
			),
			{ numRuns: 2000 },
		);
	});
});

describe('mediaKindForMime', () => {
	it.each(cases)('%s ← %s', (kind, mime) => {
		expect(mediaKindForMime(mime)).toBe(kind);
	});

	it.each(['image/gif', 'application/zip', '', 'image', 'audio/wav'])(
		'undefined for %p',
		(mime) => {
			expect(mediaKindForMime(mime)).toBeUndefined();
		},
	);

	it('normalizes before looking up', () => {
		expect(mediaKindForMime(' Audio/OGG ; codecs=opus')).toBe('audio');
		expect(normalizeMimeType('image/pjpeg')).toBe('image/jpeg');
		expect(normalizeMimeType('audio/x-m4a')).toBe('audio/mp4');
	});
});

describe('extensions', () => {
	it('has an extension for every supported type', () => {
		for (const mime of SUPPORTED_MIME_TYPES) expect(MIME_EXTENSIONS[mime]).toMatch(/^[a-z0-9]+$/);
	});

	it.each([
		['image/jpeg', 'jpg'],
		['image/png', 'png'],
		['image/webp', 'webp'],
		['audio/ogg; codecs=opus', 'ogg'],
		['audio/mpeg', 'mp3'],
		['audio/mp4', 'm4a'],
		['video/3gpp', '3gp'],
		['application/pdf', 'pdf'],
		['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
		['application/x-unknown', 'bin'],
		['', 'bin'],
	])('%s → .%s', (mime, ext) => {
		expect(extensionForMime(mime)).toBe(ext);
	});

	it('names downloads <mediaId>.<ext>', () => {
		expect(defaultMediaFileName('1013859600285445', 'application/pdf')).toBe(
			'1013859600285445.pdf',
		);
	});
});

describe('isAnimatedWebp', () => {
	const vp8x = (flags: number) => {
		const b = Buffer.alloc(30);
		b.write('RIFF', 0, 'latin1');
		b.writeUInt32LE(22, 4);
		b.write('WEBPVP8X', 8, 'latin1');
		b[20] = flags;
		return b;
	};

	it('reads the animation flag of the VP8X header', () => {
		expect(isAnimatedWebp(vp8x(0x02))).toBe(true);
		expect(isAnimatedWebp(vp8x(0x12))).toBe(true);
		expect(isAnimatedWebp(vp8x(0x10))).toBe(false);
	});

	it('is false for simple WebP, other formats and short input', () => {
		expect(isAnimatedWebp(Buffer.from('RIFF\x1a\0\0\0WEBPVP8 emulator-bytes', 'latin1'))).toBe(
			false,
		);
		expect(isAnimatedWebp(Buffer.from('89504e470d0a1a0a0000000d49484452000000', 'hex'))).toBe(
			false,
		);
		expect(isAnimatedWebp(Buffer.alloc(0))).toBe(false);
	});
});

describe('sha256Hex / formatBytes', () => {
	it('is lower-case hex SHA-256', () => {
		expect(sha256Hex(Buffer.from('abc'))).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
		);
	});

	it('formats exact bytes with a readable unit', () => {
		expect(formatBytes(512)).toBe('512 bytes');
		expect(formatBytes(102_401)).toBe('102,401 bytes (100.0 KB)');
		expect(formatBytes(5 * MB + 1)).toBe('5,242,881 bytes (5.0 MB)');
	});
});

describe('agreement with the emulator (which follows the fact sheet independently)', () => {
	const biggest = Buffer.alloc(100 * MB + 1, 0x20);
	const validate = (mime: string, size: number) =>
		validateUpload([
			{ name: 'messaging_product', data: Buffer.from('whatsapp') },
			{ name: 'type', data: Buffer.from(mime) },
			{ name: 'file', filename: 'f', contentType: mime, data: biggest.subarray(0, size) },
		]);

	it.each(cases.filter(([kind]) => kind !== 'sticker'))(
		'%s %s: both accept the edge and both refuse one byte more',
		(kind, mime, max) => {
			expect(() => validate(mime, max)).not.toThrow();
			expect(() => checkMediaFile(kind, mime, max, 'f')).not.toThrow();
			expect(() => validate(mime, max + 1)).toThrow();
			expect(() => checkMediaFile(kind, mime, max + 1, 'f')).toThrow(PayloadError);
		},
	);

	it('static sticker: both refuse 100 KB + 1', () => {
		expect(() => validate('image/webp', 100 * KB + 1)).toThrow();
		expect(() =>
			checkMediaFile('sticker', 'image/webp', 100 * KB + 1, 'f', { animated: false }),
		).toThrow(PayloadError);
	});
});
