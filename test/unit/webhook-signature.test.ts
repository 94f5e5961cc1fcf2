import { createHmac } from 'crypto';
import fc from 'fast-check';

import {
	constantTimeEquals,
	ESCAPED_FORM_MAX_BODY_BYTES,
	ESCAPED_FORM_MAX_BYTES,
	escapeUnicode,
	parseSignatureHeader,
	verifySignature,
} from '../../nodes/WhatsAppCloud/helpers/webhook/signature';
import { signatureHeaderFor } from './support/signature';

const SECRET = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';

/** Independent of the code under test: Node's HMAC, hex, Meta's header format. */
const sign = (body: Buffer | string, secret = SECRET) =>
	`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const ASCII_BODY = Buffer.from(
	'{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":[{"id":"wamid.1","type":"text","text":{"body":"hi"}}]}}]}]}',
);
const UNICODE_TEXT =
	'{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":[{"id":"wamid.2","type":"text","text":{"body":"Grüße äöå – 👋"}}]}}]}]}';
const UNICODE_BODY = Buffer.from(UNICODE_TEXT, 'utf8');

describe('verifySignature', () => {
	it.each([
		['valid, raw bytes', ASCII_BODY, sign(ASCII_BODY), { valid: true, form: 'raw' }],
		['valid, raw non-ASCII bytes', UNICODE_BODY, sign(UNICODE_BODY), { valid: true, form: 'raw' }],
		[
			'valid, Meta signed the unicode-escaped form of non-ASCII bytes',
			UNICODE_BODY,
			sign(escapeUnicode(UNICODE_TEXT)),
			{ valid: true, form: 'unicode-escaped' },
		],
		[
			'valid, body arrived already escaped',
			Buffer.from(escapeUnicode(UNICODE_TEXT)),
			sign(escapeUnicode(UNICODE_TEXT)),
			{ valid: true, form: 'raw' },
		],
		[
			'valid, uppercase hex',
			ASCII_BODY,
			sign(ASCII_BODY).toUpperCase().replace('SHA256=', 'sha256='),
			{ valid: true, form: 'raw' },
		],
		[
			'valid, surrounding whitespace',
			ASCII_BODY,
			` ${sign(ASCII_BODY)} `,
			{ valid: true, form: 'raw' },
		],
		['missing header', ASCII_BODY, undefined, { valid: false, reason: 'missing' }],
		['empty header', ASCII_BODY, '', { valid: false, reason: 'missing' }],
		[
			'wrong secret',
			ASCII_BODY,
			sign(ASCII_BODY, 'another-secret'),
			{ valid: false, reason: 'mismatch' },
		],
		[
			're-serialized body (whitespace/key order changed)',
			Buffer.from(JSON.stringify(JSON.parse(ASCII_BODY.toString()), null, 2)),
			sign(ASCII_BODY),
			{ valid: false, reason: 'mismatch' },
		],
		[
			'one byte changed',
			Buffer.from(ASCII_BODY.toString().replace('hi', 'ho')),
			sign(ASCII_BODY),
			{ valid: false, reason: 'mismatch' },
		],
		['signature of another body', ASCII_BODY, sign('{}'), { valid: false, reason: 'mismatch' }],
		[
			'no prefix',
			ASCII_BODY,
			sign(ASCII_BODY).slice('sha256='.length),
			{ valid: false, reason: 'malformed' },
		],
		[
			'sha1 prefix',
			ASCII_BODY,
			sign(ASCII_BODY).replace('sha256', 'sha1'),
			{ valid: false, reason: 'malformed' },
		],
		[
			'odd-length hex',
			ASCII_BODY,
			sign(ASCII_BODY).slice(0, -1),
			{ valid: false, reason: 'malformed' },
		],
		['too short', ASCII_BODY, 'sha256=abcd', { valid: false, reason: 'malformed' }],
		['too long', ASCII_BODY, `${sign(ASCII_BODY)}00`, { valid: false, reason: 'malformed' }],
		[
			'non-hex characters',
			ASCII_BODY,
			`sha256=${'zz'.repeat(32)}`,
			{ valid: false, reason: 'malformed' },
		],
		[
			'header repeated (array)',
			ASCII_BODY,
			[sign(ASCII_BODY), sign(ASCII_BODY)],
			{ valid: false, reason: 'malformed' },
		],
		['number', ASCII_BODY, 42, { valid: false, reason: 'malformed' }],
		['just the prefix', ASCII_BODY, 'sha256=', { valid: false, reason: 'malformed' }],
	])('%s', (_name, body, header, expected) => {
		expect(verifySignature(body, header, SECRET)).toEqual(expected);
	});

	it.each([[''], [undefined]])('no app secret (%p) is never "accept everything"', (secret) => {
		expect(verifySignature(ASCII_BODY, sign(ASCII_BODY, ''), secret)).toEqual({
			valid: false,
			reason: 'no-secret',
		});
	});

	it('ASCII bodies are never checked against an escaped form', () => {
		// For pure ASCII the escaped form equals the raw form; only the raw check can match.
		expect(escapeUnicode(ASCII_BODY.toString())).toBe(ASCII_BODY.toString());
	});

	it('accepts a string body as UTF-8 bytes', () => {
		expect(verifySignature(UNICODE_TEXT, sign(UNICODE_BODY), SECRET)).toEqual({
			valid: true,
			form: 'raw',
		});
	});

	it('an empty or absent body is checked like any other', () => {
		expect(verifySignature(undefined, sign(''), SECRET)).toEqual({ valid: true, form: 'raw' });
		expect(verifySignature(Buffer.alloc(0), sign('x'), SECRET)).toEqual({
			valid: false,
			reason: 'mismatch',
		});
	});
});

describe('escapeUnicode', () => {
	it.each([
		['äöå', '\\u00e4\\u00f6\\u00e5'],
		['plain ~ ascii', 'plain ~ ascii'],
		['\u007f', '\\u007f'],
		['👋', '\\ud83d\\udc4b'],
		['€', '\\u20ac'],
		['a\u0000b', 'a\u0000b'],
	])('case %# escapes to %j', (input, output) => {
		expect(escapeUnicode(input)).toBe(output);
	});
});

describe('parseSignatureHeader / signatureHeaderFor', () => {
	it('round-trips', () => {
		const header = signatureHeaderFor(SECRET, ASCII_BODY);
		expect(header).toBe(sign(ASCII_BODY));
		expect(parseSignatureHeader(header)?.toString('hex')).toBe(header.slice(7));
	});
});

describe('signature fuzzing', () => {
	it('never accepts a header that is not the HMAC of the body (or its escaped form)', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary' }), fc.string(), (text, header) => {
				const body = Buffer.from(text, 'utf8');
				const result = verifySignature(body, header, SECRET);
				if (result.valid) {
					const accepted = [sign(body), sign(escapeUnicode(text))];
					expect(accepted).toContain(header.trim().toLowerCase());
				}
			}),
			{ numRuns: 1000 },
		);
	});

	it('never accepts a random 32-byte signature, never throws on any header', () => {
		fc.assert(
			fc.property(
				fc.uint8Array({ maxLength: 2048 }),
				fc.oneof(
					fc
						.uint8Array({ minLength: 32, maxLength: 32 })
						.map((b) => `sha256=${Buffer.from(b).toString('hex')}`),
					fc.string(),
					fc.anything(),
				),
				(bytes, header) => {
					const body = Buffer.from(bytes);
					const result = verifySignature(body, header, SECRET);
					expect(result.valid).toBe(false);
				},
			),
			{ numRuns: 1000 },
		);
	});

	it('accepts the right HMAC for any bytes, and rejects it under another secret', () => {
		fc.assert(
			fc.property(
				fc.uint8Array({ maxLength: 4096 }),
				fc.string({ minLength: 1 }),
				(bytes, secret) => {
					const body = Buffer.from(bytes);
					expect(verifySignature(body, sign(body, secret), secret).valid).toBe(true);
					fc.pre(secret !== SECRET);
					expect(verifySignature(body, sign(body, secret), SECRET).valid).toBe(false);
				},
			),
			{ numRuns: 500 },
		);
	});
});

describe('constantTimeEquals', () => {
	it.each([
		['same', 'verify-me', 'verify-me', true],
		['different', 'verify-me', 'verify-you', false],
		['prefix', 'verify', 'verify-me', false],
		['empty vs non-empty', '', 'x', false],
		['both empty', '', '', true],
	])('%s', (_name, a, b, expected) => {
		expect(constantTimeEquals(a, b)).toBe(expected);
	});
});

describe('the escaped-form fallback: one bounded pass (audit finding 1)', () => {
	const WRONG = `sha256=${'0'.repeat(64)}`;
	/** Bytes that exercise every branch of UTF-8 decoding: lead bytes, continuations, range edges. */
	const utf8EdgeByte = fc.constantFrom(
		0x00,
		0x41,
		0x7e,
		0x7f,
		0x80,
		0x8f,
		0x90,
		0x9f,
		0xa0,
		0xbf,
		0xc0,
		0xc1,
		0xc2,
		0xdf,
		0xe0,
		0xe1,
		0xec,
		0xed,
		0xee,
		0xef,
		0xf0,
		0xf1,
		0xf3,
		0xf4,
		0xf5,
		0xf8,
		0xfe,
		0xff,
	);
	const bytes = fc.oneof(
		fc.uint8Array({ maxLength: 64 }),
		fc.array(utf8EdgeByte, { maxLength: 64 }).map((b) => Uint8Array.from(b)),
		fc.string({ unit: 'binary', maxLength: 64 }).map((text) => Buffer.from(text, 'utf8')),
	);

	it('matches escapeUnicode(body.toString()) for any bytes, valid UTF-8 or not', () => {
		fc.assert(
			fc.property(fc.array(bytes, { maxLength: 8 }), (parts) => {
				const body = Buffer.concat(parts);
				const escaped = escapeUnicode(body.toString('utf8'));
				const expected = escaped === body.toString('latin1') ? 'raw' : 'unicode-escaped';
				expect(verifySignature(body, sign(escaped), SECRET)).toEqual({
					valid: true,
					form: expected,
				});
			}),
			{ numRuns: 3000 },
		);
	});

	it('matches across its internal buffer boundaries (bodies of hundreds of KB)', () => {
		fc.assert(
			fc.property(
				fc.array(bytes, { minLength: 1, maxLength: 20 }),
				fc.integer({ min: 1000, max: 6000 }),
				(parts, repeat) => {
					const unit = Buffer.concat(parts);
					// long ASCII runs next to dense non-ASCII, so both ways through the loop meet
					const body = Buffer.concat(
						Array.from({ length: repeat }, (_, i) =>
							i % 7 === 0 ? Buffer.alloc(i % 300, 'a') : unit,
						),
					);
					const escaped = escapeUnicode(body.toString('utf8'));
					fc.pre(escaped !== body.toString('latin1'));
					expect(verifySignature(body, sign(escaped), SECRET)).toEqual({
						valid: true,
						form: 'unicode-escaped',
					});
					expect(verifySignature(body, WRONG, SECRET).valid).toBe(false);
				},
			),
			{ numRuns: 25 },
		);
	});

	it(`checks the escaped form only for bodies up to ${ESCAPED_FORM_MAX_BODY_BYTES} bytes`, () => {
		const atCap = Buffer.alloc(ESCAPED_FORM_MAX_BODY_BYTES, 'a');
		atCap.write('é', atCap.length - 2, 'utf8');
		expect(verifySignature(atCap, sign(escapeUnicode(atCap.toString())), SECRET)).toEqual({
			valid: true,
			form: 'unicode-escaped',
		});
		const overCap = Buffer.concat([atCap, Buffer.from('a')]);
		expect(verifySignature(overCap, sign(escapeUnicode(overCap.toString())), SECRET)).toEqual({
			valid: false,
			reason: 'mismatch',
		});
		// the raw check has no cap
		expect(verifySignature(overCap, sign(overCap), SECRET)).toEqual({ valid: true, form: 'raw' });
	});

	it(`stops once the escaped form would exceed ${ESCAPED_FORM_MAX_BYTES} bytes`, () => {
		// U+007F is one byte and six escaped: 3 MiB of it escape to 18 MiB
		const body = Buffer.alloc(3 * 1024 * 1024, 0x7f);
		expect(verifySignature(body, sign(escapeUnicode(body.toString())), SECRET)).toEqual({
			valid: false,
			reason: 'mismatch',
		});
		const within = body.subarray(0, Math.floor(ESCAPED_FORM_MAX_BYTES / 6));
		expect(verifySignature(within, sign(escapeUnicode(within.toString())), SECRET).valid).toBe(
			true,
		);
	});

	/** CPU milliseconds of `work`, the least of `runs` (CPU time: other processes on the machine barely move it). */
	const cpuMs = (work: () => unknown, runs = 3) => {
		let least = Number.POSITIVE_INFINITY;
		for (let run = 0; run < runs; run++) {
			const before = process.cpuUsage();
			work();
			const used = process.cpuUsage(before);
			least = Math.min(least, (used.user + used.system) / 1000);
		}
		return least;
	};

	it('a forged non-ASCII body costs a small multiple of the raw HMAC, not a hundred', () => {
		// 4 MiB of "ä": 2 bytes each, 6 escaped; the old fallback (decode + regex) took ~100× the HMAC
		const body = Buffer.from('ä'.repeat(2 * 1024 * 1024), 'utf8');
		verifySignature(body.subarray(0, 4096), WRONG, SECRET); // warm up
		const raw = cpuMs(() => createHmac('sha256', SECRET).update(body).digest());
		const forged = cpuMs(() => verifySignature(body, WRONG, SECRET));
		expect(forged / Math.max(raw, 0.5)).toBeLessThan(40);
	});

	it('builds no body-sized strings: the heap barely grows while a forged body is checked', () => {
		const body = Buffer.from('ä'.repeat(2 * 1024 * 1024), 'utf8');
		verifySignature(body.subarray(0, 4096), WRONG, SECRET);
		const before = process.memoryUsage().heapUsed;
		verifySignature(body, WRONG, SECRET);
		// the old fallback held a 4 Mi-character string and its 12 Mi-character escaped copy
		expect(process.memoryUsage().heapUsed - before).toBeLessThan(4 * 1024 * 1024);
	});
});
