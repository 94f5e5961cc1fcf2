/**
 * `X-Hub-Signature-256` verification (fact sheet §2.3): HMAC-SHA256 of the raw request bytes,
 * keyed with the app secret, compared in constant time. Never throws for request input.
 */
import { createHmac, timingSafeEqual } from 'crypto';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

export type SignatureFailure = 'no-secret' | 'missing' | 'malformed' | 'mismatch';

export type SignatureResult =
	{ valid: true; form: 'raw' | 'unicode-escaped' } | { valid: false; reason: SignatureFailure };

const HEADER_PATTERN = /^sha256=([0-9a-f]{64})$/i;
const DIGEST_BYTES = 32;

/** The 32 signature bytes from `sha256=<64 hex>`, or undefined for anything else. */
export function parseSignatureHeader(header: unknown): Buffer | undefined {
	if (typeof header !== 'string') return undefined;
	const match = HEADER_PATTERN.exec(header.trim());
	if (!match) return undefined;
	const bytes = Buffer.from(match[1], 'hex');
	return bytes.length === DIGEST_BYTES ? bytes : undefined;
}

export function hmacSha256(secret: string, body: Buffer | string): Buffer {
	return createHmac('sha256', secret).update(body).digest();
}

/**
 * Meta's documented escaped form: every UTF-16 code unit outside U+0000–U+007E becomes `\uXXXX`
 * with lowercase hex. Astral characters therefore become two escapes (a surrogate pair).
 */
export function escapeUnicode(text: string): string {
	return text.replace(
		/[\u007f-\uffff]/g,
		(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
}

/** Constant-time string equality (for the verify token); unequal lengths compare a digest. */
export function constantTimeEquals(a: string, b: string): boolean {
	const left = hmacSha256('compare', a);
	const right = hmacSha256('compare', b);
	return timingSafeEqual(left, right) && a === b;
}

function sameDigest(expected: Buffer, actual: Buffer): boolean {
	return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Bounds on the escaped-form fallback, so that a forged body costs about what the raw check of the
 * largest body n8n accepts costs. Meta states no maximum; webhook guides report payloads of at most
 * about 3 MB, whose escaped form is at most 3 times larger unless it is full of U+007F. Bodies over
 * 8 MiB (more than twice that) skip the fallback; it stops once the escaped form exceeds 16 MiB,
 * n8n's default body limit (N8N_PAYLOAD_SIZE_MAX).
 */
export const ESCAPED_FORM_MAX_BODY_BYTES = 8 * 1024 * 1024;
export const ESCAPED_FORM_MAX_BYTES = 16 * 1024 * 1024;

/** Index of the first byte the escaped form rewrites (outside U+0000–U+007E), or -1. */
function firstEscapedByte(body: Buffer): number {
	for (let index = 0; index < body.length; index++) if (body[index] > 0x7e) return index;
	return -1;
}

/** `\\u` and four lowercase hex digits for each UTF-16 code unit, precomputed for speed. */
const HEX_DIGITS = Buffer.from('0123456789abcdef');
const REPLACEMENT_CHARACTER = 0xfffd;
/** Escaped bytes are gathered in a buffer of this size before each HMAC update. */
const ESCAPE_CHUNK_BYTES = 64 * 1024;

/** Writes `\uXXXX` for one UTF-16 code unit at `at`; returns the next write position. */
function writeEscape(out: Buffer, at: number, unit: number): number {
	out[at] = 0x5c; // backslash
	out[at + 1] = 0x75; // u
	out[at + 2] = HEX_DIGITS[unit >> 12];
	out[at + 3] = HEX_DIGITS[(unit >> 8) & 0xf];
	out[at + 4] = HEX_DIGITS[(unit >> 4) & 0xf];
	out[at + 5] = HEX_DIGITS[unit & 0xf];
	return at + 6;
}

/** Writes the escaped form of one decoded code point; returns the next write position. */
function writeCodePoint(out: Buffer, at: number, codePoint: number): number {
	if (codePoint < 0x7f) {
		out[at] = codePoint;
		return at + 1;
	}
	if (codePoint < 0x10000) return writeEscape(out, at, codePoint);
	// An astral character is two UTF-16 code units, so two escapes (a surrogate pair).
	const offset = codePoint - 0x10000;
	return writeEscape(out, writeEscape(out, at, 0xd800 + (offset >> 10)), 0xdc00 + (offset & 0x3ff));
}

const isContinuation = (byte: number) => byte >= 0x80 && byte <= 0xbf;

/** ASCII runs at least this long go to the HMAC straight from the body instead of being copied. */
const DIRECT_RUN_BYTES = 64;

/**
 * HMAC of `escapeUnicode(body.toString('utf8'))` in one pass over the bytes, without building the
 * decoded or the escaped string: the bytes are decoded as UTF-8 the way Node does (the WHATWG
 * Encoding Standard's decoder: each maximal invalid subsequence becomes one U+FFFD) and fed to the
 * HMAC escaped, through a small buffer. Bytes before `start` are ASCII.
 * Undefined once the escaped form would exceed `maxBytes`.
 */
function hmacOfEscapedForm(
	secret: string,
	body: Buffer,
	start: number,
	maxBytes: number,
): Buffer | undefined {
	const hmac = createHmac('sha256', secret);
	const out = Buffer.allocUnsafe(ESCAPE_CHUNK_BYTES + 12);
	const end = body.length;
	let hashed = 0;
	let written = 0;
	/** Start of the ASCII run not yet passed on: it is copied or hashed when the run ends. */
	let runStart = 0;
	let index = start;
	for (;;) {
		while (index < end && body[index] < 0x7f) index++;
		const run = index - runStart;
		if (run >= DIRECT_RUN_BYTES || written + run > ESCAPE_CHUNK_BYTES) {
			hmac.update(out.subarray(0, written));
			hmac.update(body.subarray(runStart, index));
			hashed += written + run;
			written = 0;
		} else {
			for (let at = runStart; at < index; at++) out[written++] = body[at];
		}
		if (hashed + written > maxBytes) return undefined;
		if (index === end) break;

		const lead = body[index];
		// Sequence length and the allowed range of the second byte, by lead byte (WHATWG).
		let length = 0;
		let low = 0x80;
		let high = 0xbf;
		if (lead >= 0xc2 && lead <= 0xdf) length = 2;
		else if (lead >= 0xe0 && lead <= 0xef) {
			length = 3;
			if (lead === 0xe0) low = 0xa0;
			else if (lead === 0xed) high = 0x9f;
		} else if (lead >= 0xf0 && lead <= 0xf4) {
			length = 4;
			if (lead === 0xf0) low = 0x90;
			else if (lead === 0xf4) high = 0x8f;
		}
		let taken = 1;
		if (length === 0) {
			// 0x7f is ASCII but escaped; 0x80–0xc1 and 0xf5–0xff never start a character.
			written = writeEscape(out, written, lead === 0x7f ? 0x7f : REPLACEMENT_CHARACTER);
		} else {
			let codePoint = lead & (0xff >> (length + 1));
			while (taken < length && index + taken < end) {
				const byte = body[index + taken];
				if (taken === 1 ? byte < low || byte > high : !isContinuation(byte)) break;
				codePoint = (codePoint << 6) | (byte & 0x3f);
				taken++;
			}
			// A truncated or broken sequence: one U+FFFD for its valid prefix; the next byte starts afresh.
			written =
				taken === length
					? writeCodePoint(out, written, codePoint)
					: writeEscape(out, written, REPLACEMENT_CHARACTER);
		}
		index += taken;
		runStart = index;
		if (written >= ESCAPE_CHUNK_BYTES) {
			hashed += written;
			if (hashed > maxBytes) return undefined;
			hmac.update(out.subarray(0, written));
			written = 0;
		}
	}
	return hmac.update(out.subarray(0, written)).digest();
}

/**
 * Checks the header against the raw bytes; for bodies with non-ASCII bytes (within the
 * bounds above) also against the unicode-escaped form, because Meta documents signing
 * that form (whatsapp-api-js#290). Either check is one pass over the body.
 */
export function verifySignature(
	rawBody: Buffer | string | undefined,
	header: unknown,
	appSecret: string | undefined,
): SignatureResult {
	if (typeof appSecret !== 'string' || appSecret.length === 0) {
		return { valid: false, reason: 'no-secret' };
	}
	if (header === undefined || header === null || header === '') {
		return { valid: false, reason: 'missing' };
	}
	const received = parseSignatureHeader(header);
	if (!received) return { valid: false, reason: 'malformed' };

	const body = Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody ?? '', 'utf8');
	if (sameDigest(hmacSha256(appSecret, body), received)) return { valid: true, form: 'raw' };

	const firstEscaped = body.length <= ESCAPED_FORM_MAX_BODY_BYTES ? firstEscapedByte(body) : -1;
	if (firstEscaped !== -1) {
		const escaped = hmacOfEscapedForm(appSecret, body, firstEscaped, ESCAPED_FORM_MAX_BYTES);
		if (escaped && sameDigest(escaped, received)) return { valid: true, form: 'unicode-escaped' };
	}
	return { valid: false, reason: 'mismatch' };
}
