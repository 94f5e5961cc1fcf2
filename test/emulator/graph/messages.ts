/** Validation of POST /{phone-number-id}/messages bodies against Meta's limits (fact sheet §4-§5). */
import { GraphError, badParam, invalid, missing } from '../errors';
import { Template } from '../seed';
import { CatalogLookup, EXTRA_INTERACTIVE_TYPES, validateExtraInteractive } from './commerce';
import { checkLatLong, checkMediaRef, isHttpUrl } from './templateParts';
import { TemplateStore, validateTemplateSend } from './templates';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Limits count characters (code points), not UTF-16 units [U: Meta does not say]. */
const len = (s: string) => [...s].length;

export const BSUID = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/;
export const MESSAGE_TYPES = [
	'text',
	'image',
	'video',
	'audio',
	'document',
	'sticker',
	'location',
	'contacts',
	'reaction',
	'interactive',
	'template',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export interface ValidationContext {
	ownNumbers: string[];
	templates: TemplateStore;
	mediaExists: (id: string) => boolean;
	/** Catalogs for product messages; without it, commerce interactive types are refused. */
	catalogs?: CatalogLookup;
	/** The sender's Flows by ID or name; without it, Flow messages are not checked against them. */
	flow?: (idOrName: { id?: string; name?: string }) => { status: string } | undefined;
}

export type ValidatedRequest =
	| { kind: 'read'; messageId: string; typing: boolean }
	| {
			kind: 'send';
			input: string;
			waId?: string;
			userId?: string;
			type: MessageType;
			template?: Template;
	  };

const TOP_KEYS = [
	'messaging_product',
	'recipient_type',
	'to',
	'recipient',
	'context',
	'biz_opaque_callback_data',
	'type',
	'recipient_identity_key_hash',
];

function str(
	o: Obj,
	key: string,
	path: string,
	opts: { min?: number; max?: number; required?: boolean } = {},
): string | undefined {
	const v = o[key];
	if (v === undefined) {
		if (opts.required) throw missing(`${path}`);
		return undefined;
	}
	if (typeof v !== 'string') throw badParam(`Param ${path} must be a string.`);
	const n = len(v);
	if (n < (opts.min ?? 0))
		throw invalid(`${path} is too short. Min length: ${opts.min}, Max length: ${opts.max ?? '∞'}.`);
	if (opts.max !== undefined && n > opts.max)
		throw invalid(`${path} is too long. Min length: ${opts.min ?? 0}, Max length: ${opts.max}.`);
	return v;
}

function onlyKeys(o: Obj, allowed: string[], path: string) {
	for (const k of Object.keys(o))
		if (!allowed.includes(k)) throw badParam(`Unexpected key "${k}" on param "${path}".`);
}

function obj(o: Obj, key: string, path: string, required = true): Obj | undefined {
	const v = o[key];
	if (v === undefined) {
		if (required) throw missing(path);
		return undefined;
	}
	if (!isObj(v)) throw badParam(`Param ${path} must be an object.`);
	return v;
}

export function validateMessageRequest(body: unknown, ctx: ValidationContext): ValidatedRequest {
	if (!isObj(body)) throw badParam('The request body must be a JSON object.');
	if (body.messaging_product === undefined)
		throw new GraphError(100, 'The parameter messaging_product is required.');
	if (body.messaging_product !== 'whatsapp')
		throw badParam('Param messaging_product must be "whatsapp".');

	if (body.status !== undefined) {
		onlyKeys(body, ['messaging_product', 'status', 'message_id', 'typing_indicator'], 'body');
		if (body.status !== 'read') throw invalid('Param status must be "read".');
		const messageId = str(body, 'message_id', 'message_id', { required: true, min: 1 })!;
		let typing = false;
		if (body.typing_indicator !== undefined) {
			const t = body.typing_indicator;
			if (!isObj(t) || t.type !== 'text') throw invalid('typing_indicator.type must be "text".');
			typing = true;
		}
		return { kind: 'read', messageId, typing };
	}

	const type = (body.type ?? 'text') as MessageType;
	if (typeof type !== 'string' || !MESSAGE_TYPES.includes(type))
		throw badParam(`Param type must be one of {${MESSAGE_TYPES.join(', ')}}.`);
	onlyKeys(body, [...TOP_KEYS, type], 'body');

	// Recipient: phone digits (5-15, "+" tolerated) win over a BSUID in `recipient`.
	const rt = body.recipient_type;
	if (rt !== undefined && rt !== 'individual' && rt !== 'group')
		throw invalid('recipient_type must be "individual" or "group".');
	let input: string;
	let waId: string | undefined;
	let userId: string | undefined;
	if (body.recipient !== undefined) {
		if (typeof body.recipient !== 'string' || !BSUID.test(body.recipient))
			throw invalid('Param recipient must be a business-scoped user ID.');
		userId = body.recipient;
	}
	if (body.to !== undefined) {
		if (typeof body.to !== 'string') throw badParam('Param to must be a string.');
		input = body.to;
		if (rt === 'group') {
			if (!body.to) throw invalid('Param to must be a group ID.');
			waId = body.to;
		} else {
			const digits = body.to.startsWith('+') ? body.to.slice(1) : body.to;
			if (!/^\d{5,15}$/.test(digits))
				throw invalid('Param to must be a phone number of 5-15 digits.');
			waId = digits;
			if (ctx.ownNumbers.includes(digits))
				throw new GraphError(
					131021,
					'Recipient phone number cannot be the same as the sender phone number.',
				);
		}
	} else if (userId) {
		input = userId;
	} else {
		throw missing('to');
	}

	if (body.context !== undefined) {
		const c = body.context;
		if (!isObj(c)) throw badParam('Param context must be an object.');
		onlyKeys(c, ['message_id'], 'context');
		str(c, 'message_id', 'context.message_id', { required: true, min: 1 });
	}
	if (body.biz_opaque_callback_data !== undefined)
		str(body, 'biz_opaque_callback_data', 'biz_opaque_callback_data', { max: 512 });

	// contacts is an array; every other type carries an object.
	if (type === 'contacts' && body.contacts === undefined) throw missing('contacts');
	const payload = type === 'contacts' ? {} : obj(body, type, type)!;
	let template: Template | undefined;
	switch (type) {
		case 'text':
			onlyKeys(payload, ['body', 'preview_url'], 'text');
			str(payload, 'body', 'text.body', { required: true, min: 1, max: 4096 });
			if (payload.preview_url !== undefined && typeof payload.preview_url !== 'boolean')
				throw badParam('text.preview_url must be a boolean.');
			break;
		case 'image':
		case 'video':
		case 'document':
		case 'audio':
		case 'sticker': {
			const keys = ['id', 'link'];
			if (type !== 'audio' && type !== 'sticker') keys.push('caption');
			if (type === 'document') keys.push('filename');
			if (type === 'audio') keys.push('voice');
			onlyKeys(payload, keys, type);
			checkMediaRef(payload, type, ctx);
			str(payload, 'caption', `${type}.caption`, { max: 1024 });
			str(payload, 'filename', 'document.filename', { min: 1, max: 240 });
			if (payload.voice !== undefined && typeof payload.voice !== 'boolean')
				throw badParam('audio.voice must be a boolean.');
			break;
		}
		case 'location':
			onlyKeys(payload, ['latitude', 'longitude', 'name', 'address'], 'location');
			checkLatLong(payload);
			str(payload, 'name', 'location.name');
			str(payload, 'address', 'location.address');
			break;
		case 'contacts':
			validateContacts(body.contacts);
			break;
		case 'reaction':
			onlyKeys(payload, ['message_id', 'emoji'], 'reaction');
			str(payload, 'message_id', 'reaction.message_id', { required: true, min: 1 });
			if (payload.emoji === undefined) throw missing('reaction.emoji');
			if (typeof payload.emoji !== 'string') throw badParam('reaction.emoji must be a string.');
			if (payload.emoji !== '' && !isSingleEmoji(payload.emoji))
				throw invalid('reaction.emoji must be a single emoji.');
			break;
		case 'interactive':
			validateInteractive(payload, ctx);
			break;
		case 'template':
			template = validateTemplateSend(payload, ctx.templates, ctx);
			break;
	}
	return { kind: 'send', input, waId, userId, type, template };
}

/** One grapheme that is an emoji (pictographic, flag or keycap sequence). */
export function isSingleEmoji(s: string): boolean {
	const seg = new Intl.Segmenter('en', { granularity: 'grapheme' });
	const graphemes = [...seg.segment(s)];
	if (graphemes.length !== 1) return false;
	return /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u.test(s);
}

function validateContacts(contacts: unknown) {
	if (!Array.isArray(contacts)) throw badParam('Param contacts must be an array.');
	if (contacts.length < 1) throw invalid('contacts must contain at least one contact.');
	if (contacts.length > 257) throw invalid('contacts can contain at most 257 contacts.');
	contacts.forEach((c, i) => {
		if (!isObj(c)) throw badParam(`contacts[${i}] must be an object.`);
		onlyKeys(
			c,
			['name', 'phones', 'emails', 'addresses', 'org', 'urls', 'birthday'],
			`contacts[${i}]`,
		);
		const name = obj(c, 'name', `contacts[${i}].name`)!;
		str(name, 'formatted_name', `contacts[${i}].name.formatted_name`, { required: true, min: 1 });
		for (const k of ['phones', 'emails', 'addresses', 'urls'])
			if (c[k] !== undefined && !(Array.isArray(c[k]) && (c[k] as unknown[]).every(isObj)))
				throw badParam(`contacts[${i}].${k} must be an array of objects.`);
		if (
			c.birthday !== undefined &&
			(typeof c.birthday !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(c.birthday))
		)
			throw invalid(`contacts[${i}].birthday must be YYYY-MM-DD.`);
	});
}

const INTERACTIVE_TYPES = [
	'button',
	'list',
	'cta_url',
	'location_request_message',
	'flow',
	...EXTRA_INTERACTIVE_TYPES,
];

function validateInteractive(i: Obj, ctx: ValidationContext) {
	onlyKeys(i, ['type', 'header', 'body', 'footer', 'action'], 'interactive');
	const t = i.type;
	if (t === undefined) throw missing('interactive.type');
	if (typeof t !== 'string' || !INTERACTIVE_TYPES.includes(t))
		throw badParam(`interactive.type must be one of {${INTERACTIVE_TYPES.join(', ')}}.`);
	if (EXTRA_INTERACTIVE_TYPES.includes(t)) {
		if (!ctx.catalogs) throw badParam(`interactive.type ${t} is not supported here.`);
		return validateExtraInteractive(i, ctx.catalogs);
	}

	const header = obj(i, 'header', 'interactive.header', false);
	if (header) {
		if (t === 'location_request_message')
			throw badParam('interactive.header is not allowed for location_request_message.');
		const ht = header.type;
		if (ht === undefined) throw missing('interactive.header.type');
		const textOnly = t !== 'button';
		if (ht === 'text') {
			onlyKeys(header, ['type', 'text'], 'interactive.header');
			str(header, 'text', 'interactive.header.text', { required: true, min: 1, max: 60 });
		} else if (ht === 'image' || ht === 'video' || ht === 'document') {
			if (textOnly) throw invalid(`interactive.header.type must be "text" for ${t} messages.`);
			onlyKeys(header, ['type', ht], 'interactive.header');
			const m = obj(header, ht, `interactive.header.${ht}`)!;
			onlyKeys(
				m,
				ht === 'document' ? ['id', 'link', 'filename'] : ['id', 'link'],
				`interactive.header.${ht}`,
			);
			checkMediaRef(m, ht, ctx);
		} else {
			throw invalid('interactive.header.type must be one of {text, image, video, document}.');
		}
	}
	const body = obj(i, 'body', 'interactive.body', true)!;
	onlyKeys(body, ['text'], 'interactive.body');
	str(body, 'text', 'interactive.body.text', { required: true, min: 1, max: 1024 });
	const footer = obj(i, 'footer', 'interactive.footer', false);
	if (footer) {
		onlyKeys(footer, ['text'], 'interactive.footer');
		str(footer, 'text', 'interactive.footer.text', { required: true, min: 1, max: 60 });
	}
	const action = obj(i, 'action', 'interactive.action')!;
	switch (t) {
		case 'button': {
			onlyKeys(action, ['buttons'], 'interactive.action');
			const buttons = action.buttons;
			if (buttons === undefined) throw missing('interactive.action.buttons');
			if (!Array.isArray(buttons)) throw badParam('interactive.action.buttons must be an array.');
			if (buttons.length < 1 || buttons.length > 3)
				throw invalid(`Buttons count invalid: ${buttons.length}. Min: 1, Max: 3.`);
			const ids = new Set<string>();
			const titles = new Set<string>();
			buttons.forEach((b, n) => {
				const p = `interactive.action.buttons[${n}]`;
				if (!isObj(b)) throw badParam(`${p} must be an object.`);
				onlyKeys(b, ['type', 'reply'], p);
				if (b.type !== 'reply') throw invalid(`${p}.type must be "reply".`);
				const r = obj(b, 'reply', `${p}.reply`)!;
				onlyKeys(r, ['id', 'title'], `${p}.reply`);
				const id = str(r, 'id', `${p}.reply.id`, { required: true, min: 1, max: 256 })!;
				const title = str(r, 'title', `${p}.reply.title`, { required: true, min: 1, max: 20 })!;
				if (id !== id.trim())
					throw invalid(`${p}.reply.id must not have leading or trailing spaces.`);
				if (ids.has(id)) throw invalid(`Button IDs must be unique (duplicate "${id}").`);
				if (titles.has(title))
					throw invalid(`Button titles must be unique (duplicate "${title}").`);
				ids.add(id);
				titles.add(title);
			});
			break;
		}
		case 'list': {
			onlyKeys(action, ['button', 'sections'], 'interactive.action');
			str(action, 'button', 'interactive.action.button', { required: true, min: 1, max: 20 });
			const sections = action.sections;
			if (sections === undefined) throw missing('interactive.action.sections');
			if (!Array.isArray(sections)) throw badParam('interactive.action.sections must be an array.');
			if (sections.length < 1 || sections.length > 10)
				throw invalid(`Sections count invalid: ${sections.length}. Min: 1, Max: 10.`);
			let rows = 0;
			const ids = new Set<string>();
			sections.forEach((s, n) => {
				const p = `interactive.action.sections[${n}]`;
				if (!isObj(s)) throw badParam(`${p} must be an object.`);
				onlyKeys(s, ['title', 'rows'], p);
				str(s, 'title', `${p}.title`, { required: sections.length > 1, min: 1, max: 24 });
				if (s.rows === undefined) throw missing(`${p}.rows`);
				if (!Array.isArray(s.rows)) throw badParam(`${p}.rows must be an array.`);
				if (s.rows.length < 1) throw invalid(`${p}.rows must contain at least one row.`);
				s.rows.forEach((r, m) => {
					const rp = `${p}.rows[${m}]`;
					if (!isObj(r)) throw badParam(`${rp} must be an object.`);
					onlyKeys(r, ['id', 'title', 'description'], rp);
					const id = str(r, 'id', `${rp}.id`, { required: true, min: 1, max: 200 })!;
					str(r, 'title', `${rp}.title`, { required: true, min: 1, max: 24 });
					str(r, 'description', `${rp}.description`, { max: 72 });
					if (ids.has(id)) throw invalid(`Row IDs must be unique (duplicate "${id}").`);
					ids.add(id);
				});
				rows += s.rows.length;
			});
			if (rows > 10) throw invalid(`Total row count exceed max allowed count: 10 (got ${rows}).`);
			break;
		}
		case 'cta_url': {
			onlyKeys(action, ['name', 'parameters'], 'interactive.action');
			if (action.name !== 'cta_url') throw invalid('interactive.action.name must be "cta_url".');
			const p = obj(action, 'parameters', 'interactive.action.parameters')!;
			onlyKeys(p, ['display_text', 'url'], 'interactive.action.parameters');
			// [U] display_text limit: 20 characters, as whatsapp-api-js enforces.
			str(p, 'display_text', 'interactive.action.parameters.display_text', {
				required: true,
				min: 1,
				max: 20,
			});
			const url = str(p, 'url', 'interactive.action.parameters.url', { required: true, min: 1 })!;
			if (!isHttpUrl(url))
				throw invalid('interactive.action.parameters.url must be an http(s) URL.');
			break;
		}
		case 'location_request_message':
			onlyKeys(action, ['name'], 'interactive.action');
			if (action.name !== 'send_location')
				throw invalid('interactive.action.name must be "send_location".');
			break;
		case 'flow': {
			onlyKeys(action, ['name', 'parameters'], 'interactive.action');
			if (action.name !== 'flow') throw invalid('interactive.action.name must be "flow".');
			const p = obj(action, 'parameters', 'interactive.action.parameters')!;
			const pp = 'interactive.action.parameters';
			onlyKeys(
				p,
				[
					'flow_message_version',
					'flow_token',
					'flow_id',
					'flow_name',
					'flow_cta',
					'flow_action',
					'flow_action_payload',
					'mode',
				],
				pp,
			);
			if (p.flow_message_version === undefined) throw missing(`${pp}.flow_message_version`);
			if (String(p.flow_message_version) !== '3')
				throw invalid(`${pp}.flow_message_version must be "3".`);
			if (p.flow_id === undefined && p.flow_name === undefined) throw missing(`${pp}.flow_id`);
			if (p.flow_id !== undefined && p.flow_name !== undefined)
				throw invalid(`${pp}: give only one of flow_id or flow_name.`);
			str(p, 'flow_id', `${pp}.flow_id`, { min: 1 });
			str(p, 'flow_name', `${pp}.flow_name`, { min: 1 });
			const cta = str(p, 'flow_cta', `${pp}.flow_cta`, { required: true, min: 1, max: 20 })!;
			if (/\p{Extended_Pictographic}/u.test(cta))
				throw invalid(`${pp}.flow_cta must not contain emoji.`);
			str(p, 'flow_token', `${pp}.flow_token`, { min: 1 });
			checkFlowSendable(p, ctx);
			const fa = p.flow_action ?? 'navigate';
			if (fa !== 'navigate' && fa !== 'data_exchange')
				throw invalid(`${pp}.flow_action must be "navigate" or "data_exchange".`);
			if (p.mode !== undefined && p.mode !== 'draft' && p.mode !== 'published')
				throw invalid(`${pp}.mode must be "draft" or "published".`);
			const payload = obj(p, 'flow_action_payload', `${pp}.flow_action_payload`, fa === 'navigate');
			if (payload) {
				str(payload, 'screen', `${pp}.flow_action_payload.screen`, {
					required: fa === 'navigate',
					min: 1,
				});
				if (
					payload.data !== undefined &&
					(!isObj(payload.data) || Object.keys(payload.data).length === 0)
				)
					throw invalid(`${pp}.flow_action_payload.data must be a non-empty object.`);
			}
			break;
		}
	}
}

/**
 * A Flow message names a Flow of the sender's business account, published unless sent with
 * `mode: "draft"` (Meta's exact code and wording are not documented: 131009 here [U]). IDs the
 * emulator never saw pass: tests send Flows made up for the occasion.
 */
function checkFlowSendable(p: Obj, ctx: ValidationContext) {
	if (!ctx.flow) return;
	const id = typeof p.flow_id === 'string' ? p.flow_id : undefined;
	const name = typeof p.flow_name === 'string' ? p.flow_name : undefined;
	const flow = ctx.flow({ id, name });
	const sendable = !flow || flow.status === 'PUBLISHED' || flow.status === 'THROTTLED';
	if (p.mode !== 'draft' && !sendable)
		throw new GraphError(
			131009,
			`Flow ${id ?? name ?? ''} is ${flow.status}: only published Flows can be sent.`,
		);
}
