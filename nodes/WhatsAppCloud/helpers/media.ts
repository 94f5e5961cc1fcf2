import { createHash } from 'crypto';

import { PayloadError, quoteInput } from './errors';

/** The longest MIME type RFC 6838 allows (127 + "/" + 127); error messages quote no more. */
export const MIME_TYPE_MAX = 255;

/** The media kinds WhatsApp accepts (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types). */
export type MediaKind = 'audio' | 'document' | 'image' | 'sticker' | 'video';

export const MEDIA_KINDS: readonly MediaKind[] = ['audio', 'document', 'image', 'sticker', 'video'];

const KB = 1024;
const MB = 1024 * KB;

export interface MediaKindSpec {
	mimeTypes: readonly string[];
	maxBytes: number;
	/** How the limit reads in messages, e.g. "16 MB". */
	maxLabel: string;
}

export const MEDIA_SPECS: Readonly<Record<MediaKind, MediaKindSpec>> = {
	audio: {
		mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
		maxBytes: 16 * MB,
		maxLabel: '16 MB',
	},
	document: {
		mimeTypes: [
			'text/plain',
			'application/pdf',
			'application/msword',
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'application/vnd.ms-excel',
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'application/vnd.ms-powerpoint',
			'application/vnd.openxmlformats-officedocument.presentationml.presentation',
		],
		maxBytes: 100 * MB,
		maxLabel: '100 MB',
	},
	image: { mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB, maxLabel: '5 MB' },
	/** The static-sticker limit; animated stickers may reach STICKER_ANIMATED_MAX_BYTES. */
	sticker: { mimeTypes: ['image/webp'], maxBytes: 100 * KB, maxLabel: '100 KB' },
	video: { mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB, maxLabel: '16 MB' },
};

export const STICKER_ANIMATED_MAX_BYTES = 500 * KB;

/**
 * Spellings seen in the wild (file-type detectors, other APIs' lists) for types Meta accepts under
 * another name; normalizeMimeType maps them so the `type` sent to Meta is the canonical one.
 */
const MIME_ALIASES: Readonly<Record<string, string>> = {
	'image/jpg': 'image/jpeg',
	'image/pjpeg': 'image/jpeg',
	'audio/mp3': 'audio/mpeg',
	'audio/x-m4a': 'audio/mp4',
	'audio/m4a': 'audio/mp4',
	'audio/opus': 'audio/ogg',
	'video/3gp': 'video/3gpp',
};

/** Lower-cases, drops parameters (`audio/ogg; codecs=opus` → `audio/ogg`) and resolves aliases. */
export function normalizeMimeType(mimeType: string): string {
	const bare = mimeType.split(';')[0].trim().toLowerCase();
	// Own keys only: a MIME type such as `__proto__` must not read the object's prototype.
	return Object.prototype.hasOwnProperty.call(MIME_ALIASES, bare) ? MIME_ALIASES[bare] : bare;
}

/**
 * The kind a MIME type belongs to, or undefined when WhatsApp does not accept it. `image/webp` is a
 * sticker: WhatsApp takes WebP only as a sticker.
 */
export function mediaKindForMime(mimeType: string): MediaKind | undefined {
	const mime = normalizeMimeType(mimeType);
	return MEDIA_KINDS.find((kind) => MEDIA_SPECS[kind].mimeTypes.includes(mime));
}

/** Every MIME type WhatsApp accepts, for messages and option lists. */
export const SUPPORTED_MIME_TYPES: readonly string[] = MEDIA_KINDS.flatMap(
	(kind) => MEDIA_SPECS[kind].mimeTypes,
);

export interface MediaFileCheckOptions {
	/**
	 * For stickers: whether the WebP is animated (see isAnimatedWebp). Unknown (undefined) allows the
	 * animated limit of 500 KB, so no valid sticker is refused here; Meta still rejects a static
	 * sticker over 100 KB.
	 */
	animated?: boolean;
}

/** The byte limit that applies to a file of this kind. */
export function maxBytesFor(kind: MediaKind, options: MediaFileCheckOptions = {}): number {
	if (kind === 'sticker' && options.animated !== false) return STICKER_ANIMATED_MAX_BYTES;
	return MEDIA_SPECS[kind].maxBytes;
}

function limitLabel(kind: MediaKind, options: MediaFileCheckOptions): string {
	if (kind !== 'sticker') return MEDIA_SPECS[kind].maxLabel;
	if (options.animated === true) return '500 KB for an animated sticker';
	if (options.animated === false) return '100 KB for a static sticker';
	return '500 KB (animated) / 100 KB (static)';
}

/** "1,234,567 bytes (1.2 MB)" — exact for the edge cases, readable for the rest. */
export function formatBytes(bytes: number): string {
	const exact = `${bytes.toLocaleString('en-US')} bytes`;
	if (bytes >= MB) return `${exact} (${(bytes / MB).toFixed(1)} MB)`;
	if (bytes >= KB) return `${exact} (${(bytes / KB).toFixed(1)} KB)`;
	return exact;
}

/**
 * Checks a file against Meta's type and size limits for `kind`. Returns the canonical MIME type to
 * send; throws a PayloadError naming `field`, the limit and the actual value otherwise.
 */
export function checkMediaFile(
	kind: MediaKind,
	mimeType: string,
	sizeBytes: number,
	field: string,
	options: MediaFileCheckOptions = {},
): string {
	const spec = MEDIA_SPECS[kind];
	const mime = normalizeMimeType(mimeType);
	if (!spec.mimeTypes.includes(mime)) {
		const limit = `one of ${spec.mimeTypes.join(', ')}`;
		const shown = mime === '' ? 'no MIME type' : quoteInput(mime, MIME_TYPE_MAX);
		const article = /^[aeiou]/.test(kind) ? 'an' : 'a';
		throw new PayloadError(
			`${field} must be ${article} ${kind} file of type ${limit}; it has ${shown}`,
			{
				field,
				limit,
				actual: shown,
			},
		);
	}
	if (!Number.isFinite(sizeBytes) || sizeBytes < 0) {
		throw new PayloadError(`${field} has an unknown size (${String(sizeBytes)})`, {
			field,
			limit: 'a size in bytes',
			actual: String(sizeBytes),
		});
	}
	if (sizeBytes === 0) {
		throw new PayloadError(`${field} must not be empty; it has 0 bytes`, {
			field,
			limit: 'at least 1 byte',
			actual: '0 bytes',
		});
	}
	const maxBytes = maxBytesFor(kind, options);
	if (sizeBytes > maxBytes) {
		const limit = `at most ${limitLabel(kind, options)} (${maxBytes.toLocaleString('en-US')} bytes)`;
		const actual = formatBytes(sizeBytes);
		throw new PayloadError(`${field} (${mime}) must be ${limit}; it has ${actual}`, {
			field,
			limit,
			actual,
		});
	}
	return mime;
}

/**
 * Whether a WebP file is animated: its VP8X header has the animation flag (bit 1 of byte 20).
 * Reads 21 bytes, so it is cheap; a WebP without VP8X (simple lossy/lossless) cannot animate.
 */
export function isAnimatedWebp(bytes: Uint8Array): boolean {
	if (bytes.length < 21) return false;
	const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
	return (
		ascii(0, 4) === 'RIFF' &&
		ascii(8, 12) === 'WEBP' &&
		ascii(12, 16) === 'VP8X' &&
		(bytes[20] & 0x02) !== 0
	);
}

/** File-name extensions for downloaded media, by canonical MIME type. */
export const MIME_EXTENSIONS: Readonly<Record<string, string>> = {
	'audio/aac': 'aac',
	'audio/amr': 'amr',
	'audio/mpeg': 'mp3',
	'audio/mp4': 'm4a',
	'audio/ogg': 'ogg',
	'text/plain': 'txt',
	'application/pdf': 'pdf',
	'application/msword': 'doc',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
	'application/vnd.ms-excel': 'xls',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
	'application/vnd.ms-powerpoint': 'ppt',
	'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'video/mp4': 'mp4',
	'video/3gpp': '3gp',
};

/** The extension for a MIME type; `bin` for types we have no name for (inbound media can be any). */
export function extensionForMime(mimeType: string): string {
	return MIME_EXTENSIONS[normalizeMimeType(mimeType)] ?? 'bin';
}

/** `<base>.<ext>`, the default file name of downloaded media. */
export function defaultMediaFileName(mediaId: string, mimeType: string): string {
	return `${mediaId}.${extensionForMime(mimeType)}`;
}

/** Lower-case hex SHA-256, the form Meta reports in `sha256`. */
export function sha256Hex(data: Uint8Array): string {
	return createHash('sha256').update(data).digest('hex');
}
