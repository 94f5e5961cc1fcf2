/** Media store, upload validation (fact sheet §6) and a small multipart/form-data parser. */
import { GraphError, badParam } from '../errors';
import { sha256Hex } from '../seed';

export type MediaKind = 'audio' | 'document' | 'image' | 'sticker' | 'video';

const MB = 1024 * 1024;
export const MEDIA_TYPES: Record<MediaKind, { mimes: string[]; maxBytes: number }> = {
	audio: {
		mimes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
		maxBytes: 16 * MB,
	},
	document: {
		mimes: [
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
	},
	image: { mimes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
	/** Static limit; animated WebP (an ANIM chunk) gets STICKER_ANIMATED_MAX. */
	sticker: { mimes: ['image/webp'], maxBytes: 100 * 1024 },
	// Some Meta lists spell 3GPP as video/3gp; accept both.
	video: { mimes: ['video/mp4', 'video/3gpp', 'video/3gp'], maxBytes: 16 * MB },
};
export const STICKER_ANIMATED_MAX = 500 * 1024;

export function kindOfMime(mime: string): MediaKind | undefined {
	for (const [kind, spec] of Object.entries(MEDIA_TYPES) as [MediaKind, { mimes: string[] }][]) {
		if (spec.mimes.includes(mime)) return kind;
	}
	return undefined;
}

export const isAnimatedWebp = (b: Buffer) =>
	b.subarray(0, 4).toString('latin1') === 'RIFF' && b.includes(Buffer.from('ANIM'));

/** Size limit for a MIME type; image/webp is a sticker (100 KB static, 500 KB animated). */
export function maxBytesFor(mime: string, bytes: Buffer): number | undefined {
	const kind = kindOfMime(mime);
	if (!kind) return undefined;
	if (kind === 'sticker' && isAnimatedWebp(bytes)) return STICKER_ANIMATED_MAX;
	return MEDIA_TYPES[kind].maxBytes;
}

export interface StoredMedia {
	id: string;
	mimeType: string;
	bytes: Buffer;
	sha256: string;
	filename?: string;
	phoneNumberId?: string;
	createdAt: number;
}

export class MediaStore {
	private items = new Map<string, StoredMedia>();
	private counter = 0;
	constructor(private readonly idBase: number) {}
	add(m: {
		mimeType: string;
		bytes: Buffer;
		filename?: string;
		phoneNumberId?: string;
		id?: string;
	}): StoredMedia {
		const id = m.id ?? String(this.idBase + ++this.counter);
		const item: StoredMedia = {
			id,
			mimeType: m.mimeType,
			bytes: m.bytes,
			sha256: sha256Hex(m.bytes),
			filename: m.filename,
			phoneNumberId: m.phoneNumberId,
			createdAt: Date.now(),
		};
		this.items.set(id, item);
		return item;
	}
	get(id: string) {
		return this.items.get(id);
	}
	delete(id: string) {
		return this.items.delete(id);
	}
	clear() {
		this.items.clear();
		this.counter = 0;
	}
}

export interface MultipartPart {
	name: string;
	filename?: string;
	contentType?: string;
	data: Buffer;
}

/** Minimal RFC 7578 parser: enough for form-data from fetch/FormData, n8n and curl. */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
	const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	if (!m) throw badParam('Multipart body without boundary.');
	const boundary = Buffer.from(`--${(m[1] ?? m[2]).trim()}`);
	const parts: MultipartPart[] = [];
	let pos = body.indexOf(boundary);
	if (pos < 0) throw badParam('Malformed multipart body.');
	for (;;) {
		pos += boundary.length;
		if (body.subarray(pos, pos + 2).toString() === '--') break;
		if (body.subarray(pos, pos + 2).toString() === '\r\n') pos += 2;
		const headerEnd = body.indexOf('\r\n\r\n', pos);
		if (headerEnd < 0) throw badParam('Malformed multipart body.');
		const headers = body.subarray(pos, headerEnd).toString('utf8');
		const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), boundary]), headerEnd + 4);
		if (next < 0) throw badParam('Malformed multipart body.');
		const data = body.subarray(headerEnd + 4, next);
		const disp = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
		const name = /\bname="([^"]*)"/i.exec(disp)?.[1] ?? /\bname=([^;\s]+)/i.exec(disp)?.[1];
		const filename = /\bfilename="([^"]*)"/i.exec(disp)?.[1];
		const ct = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
		if (name !== undefined) parts.push({ name, filename, contentType: ct, data });
		pos = next + 2;
	}
	return parts;
}

/** Validates an upload like Meta: messaging_product, a file, a supported type, the size limit. */
export function validateUpload(parts: MultipartPart[]): {
	mimeType: string;
	bytes: Buffer;
	filename?: string;
} {
	const field = (n: string) => parts.find((p) => p.name === n);
	const product = field('messaging_product')?.data.toString('utf8');
	if (product === undefined)
		throw new GraphError(100, 'The parameter messaging_product is required.');
	if (product !== 'whatsapp') throw badParam('Param messaging_product must be "whatsapp".');
	const file = field('file');
	if (!file) throw new GraphError(100, 'The parameter file is required.');
	const rawType = field('type')?.data.toString('utf8') ?? file.contentType;
	if (!rawType) throw new GraphError(100, 'The parameter type is required.');
	const mimeType = rawType.split(';')[0].trim().toLowerCase();
	const max = maxBytesFor(mimeType, file.data);
	if (max === undefined) {
		// [U] Meta answers unsupported types with 131053 (upload error); we do the same.
		throw new GraphError(
			131053,
			`Param file must be a file with one of the following types: ${Object.values(MEDIA_TYPES)
				.flatMap((s) => s.mimes)
				.join(', ')}. Received file of type '${mimeType}'.`,
		);
	}
	if (file.data.length === 0) throw new GraphError(131053, 'Uploaded file is empty.');
	if (file.data.length > max) {
		throw new GraphError(
			131053,
			`File size ${file.data.length} bytes exceeds the ${max} bytes limit for ${mimeType}.`,
		);
	}
	return { mimeType, bytes: file.data, filename: file.filename };
}
