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

/** `sha256=<hex>` for a body — what Meta sends; used by tests and the emulator alike. */
export function signatureHeaderFor(secret: string, body: Buffer | string): string {
	return `sha256=${hmacSha256(secret, body).toString('hex')}`;
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

function hasNonAsciiByte(body: Buffer): boolean {
	for (const byte of body) if (byte > 0x7e) return true;
	return false;
}

function sameDigest(expected: Buffer, actual: Buffer): boolean {
	return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Checks the header against the raw bytes; for bodies with non-ASCII bytes also against the
 * unicode-escaped form, because Meta documents signing that form (whatsapp-api-js#290).
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

	if (hasNonAsciiByte(body)) {
		const escaped = escapeUnicode(body.toString('utf8'));
		if (sameDigest(hmacSha256(appSecret, escaped), received)) {
			return { valid: true, form: 'unicode-escaped' };
		}
	}
	return { valid: false, reason: 'mismatch' };
}
