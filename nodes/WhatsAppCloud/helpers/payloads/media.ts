import { PayloadError } from '../errors';
import { MEDIA_CAPTION_MAX } from '../limits';
import { MEDIA_KINDS } from '../media';
import type { ClientMediaContent, ClientMediaKind, ClientMediaSource } from '../types/client';
import { flag, httpUrl, oneOf, optionalText, requiredObject, requiredToken } from '../check';

/** Meta gives no limit for document file names; this keeps them reasonable. */
const FILENAME_MAX = 240;

export type MediaSourceInput = {
	/** An uploaded media ID. */
	id?: string;
	/** A public http(s) URL Meta downloads the file from. */
	link?: string;
};

export type MediaInput = MediaSourceInput & {
	kind: ClientMediaKind;
	/** Image, video and document only. */
	caption?: string;
	/** Document only: the name the recipient sees (its extension picks the icon). */
	filename?: string;
	/** Audio only: send as a voice note (OGG/OPUS). */
	voice?: boolean;
};

function given(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '';
}

/** Exactly one of `id` and `link`; `field` prefixes the names in errors (e.g. `header`). */
export function buildMediaSource(input: MediaSourceInput, field = 'media'): ClientMediaSource {
	requiredObject(field, input);
	const hasId = given(input.id);
	const hasLink = given(input.link);
	if (hasId === hasLink) {
		const actual = hasId ? 'both an ID and a link' : 'neither an ID nor a link';
		throw new PayloadError(
			`${field} needs exactly one source, a media ID or a link; it has ${actual}`,
			{
				field,
				limit: 'exactly one of media ID and link',
				actual,
			},
		);
	}
	if (hasId) return { id: requiredToken(`${field}.id`, input.id, 'a media ID') };
	return { link: httpUrl(`${field}.link`, input.link) };
}

function notAllowed(field: string, kind: string, allowedOn: string): PayloadError {
	return new PayloadError(`${field} is not allowed on ${kind} messages (only on ${allowedOn})`, {
		field,
		limit: `only on ${allowedOn}`,
		actual: `given on ${kind}`,
	});
}

export function buildMediaContent(input: MediaInput): ClientMediaContent {
	requiredObject('media', input);
	const kind = oneOf('mediaType', input.kind, MEDIA_KINDS);
	const source = buildMediaSource(input, kind);
	const caption = optionalText('caption', input.caption, MEDIA_CAPTION_MAX);
	const filename = optionalText('filename', input.filename, FILENAME_MAX);
	const voice = flag('voice', input.voice);
	if (caption !== undefined && (kind === 'audio' || kind === 'sticker')) {
		throw notAllowed('caption', kind, 'image, video and document');
	}
	if (filename !== undefined && kind !== 'document') throw notAllowed('filename', kind, 'document');
	if (voice && kind !== 'audio') throw notAllowed('voice', kind, 'audio');

	switch (kind) {
		case 'image':
			return { type: 'image', image: caption === undefined ? source : { ...source, caption } };
		case 'video':
			return { type: 'video', video: caption === undefined ? source : { ...source, caption } };
		case 'document': {
			const document: ClientMediaSource & { caption?: string; filename?: string } = { ...source };
			if (caption !== undefined) document.caption = caption;
			if (filename !== undefined) document.filename = filename;
			return { type: 'document', document };
		}
		case 'audio':
			return { type: 'audio', audio: voice ? { ...source, voice: true } : source };
		case 'sticker':
			return { type: 'sticker', sticker: source };
	}
}
