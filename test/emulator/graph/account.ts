/**
 * Account operations of a business phone number: block users, business profile (with the
 * Resumable Upload API for the photo), QR codes (`message_qrdls`) with their PNG/SVG images, and
 * conversational automation. State is kept per phone number so reads reflect writes.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/block-users
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/business-profiles
 * https://developers.facebook.com/docs/graph-api/guides/upload
 * https://developers.facebook.com/docs/whatsapp/business-management-api/qr-codes
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/conversational-components
 */
import { createHmac, randomBytes } from 'node:crypto';

import { GraphError, badParam, errorBody } from '../errors';
import type { PhoneNumberSeed } from '../seed';
import { displayDigits } from '../seed';
import type { RequestContext } from '../server';
import { bodyParams } from '../server';
import { deliveredMessages } from '../webhooks';
import type { Caller, WhatsAppPermission } from './accounts';
import { MANAGEMENT, MESSAGING } from './accounts';
import { page, phoneJson } from './phoneNumbers';
import { qrPng, qrSvg } from './qrImage';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Limits count characters (code points), like the message validation. */
const len = (s: string) => [...s].length;
const EMOJI = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u;
const BSUID = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/;

export const BLOCK_LIMITS = { perRequest: 1000, blocklist: 64_000, windowMs: 24 * 3600_000 };
export const PROFILE_LIMITS = {
	about: 139,
	address: 256,
	description: 512,
	email: 128,
	websites: 2,
	website: 256,
};
export const PROFILE_VERTICALS = [
	'ALCOHOL',
	'APPAREL',
	'AUTO',
	'BEAUTY',
	'EDU',
	'ENTERTAIN',
	'EVENT_PLAN',
	'FINANCE',
	'GOVT',
	'GROCERY',
	'HEALTH',
	'HOTEL',
	'NONPROFIT',
	'ONLINE_GAMBLING',
	'OTC_DRUGS',
	'OTHER',
	'PHYSICAL_GAMBLING',
	'PROF_SERVICES',
	'RESTAURANT',
	'RETAIL',
	'TRAVEL',
];
export const QR_LIMITS = { prefilledMessage: 140, perNumber: 2000 };
export const AUTOMATION_LIMITS = {
	prompts: 4,
	prompt: 80,
	commands: 30,
	commandName: 32,
	commandDescription: 256,
};
/** Resumable Upload file types (Meta's list). */
export const UPLOAD_TYPES = [
	'application/pdf',
	'image/jpeg',
	'image/jpg',
	'image/png',
	'video/mp4',
];

/**
 * The permission each edge needs [U: Meta states it for some only]: blocking and QR codes are
 * messaging features, the profile and conversational components management ones.
 */
const PERMISSIONS: Record<string, WhatsAppPermission> = {
	block_users: MESSAGING,
	message_qrdls: MESSAGING,
	whatsapp_business_profile: MANAGEMENT,
	conversational_automation: MANAGEMENT,
};

/** Phone number fields the control API may change. */
const PHONE_FIELDS = [
	'quality_rating',
	'throughput',
	'messaging_limit_tier',
	'whatsapp_business_manager_messaging_limit',
	'name_status',
	'verified_name',
	'code_verification_status',
] as const;

export interface AccountHost {
	baseUrl(): string;
	isApp(id: string): boolean;
	appSecret(): string;
	phoneNumbers(): PhoneNumberSeed[];
	/** The number when the token reaches it with `permission`, else Meta's 100 or 200. */
	requirePhone(id: string, caller: Caller, permission: WhatsAppPermission, method: string): unknown;
	/** Business Management rate accounting (80007). */
	business(c: RequestContext): void;
}

interface BlockedEntry {
	waId?: string;
	userId?: string;
}

interface Profile {
	about: string;
	address: string;
	description: string;
	email: string;
	websites: string[];
	vertical: string;
	pictureHandle?: string;
}

interface QrCode {
	code: string;
	prefilled_message: string;
	createdAt: number;
}

interface Automation {
	enable_welcome_message: boolean;
	prompts: string[];
	commands: { command_name: string; command_description: string }[];
}

interface UploadSession {
	id: string;
	sig: string;
	fileName: string;
	fileLength: number;
	fileType: string;
	chunks: Buffer[];
	offset: number;
	handle?: string;
}

interface UploadedFile {
	handle: string;
	fileType: string;
	fileName: string;
	bytes: Buffer;
}

const defaultProfile = (): Profile => ({
	about: 'Hey there! I am using WhatsApp.',
	address: '',
	description: '',
	email: '',
	websites: [],
	vertical: 'OTHER',
	pictureHandle: undefined,
});

const tooLong = (field: string, max: number) =>
	badParam(`Param ${field} must be at most ${max} characters long.`);

export class AccountApi {
	private blocked = new Map<string, Map<string, BlockedEntry>>();
	/** phone number ID → user key (digits or BSUID) → last inbound message time. */
	private lastInbound = new Map<string, Map<string, number>>();
	private profiles = new Map<string, Profile>();
	private qrCodes = new Map<string, Map<string, QrCode>>();
	private automation = new Map<string, Automation>();
	private uploads = new Map<string, UploadSession>();
	private files = new Map<string, UploadedFile>();
	private seq = 0;
	/** Fault: the next upload keeps only this many bytes, then the connection drops (tests resuming). */
	cutNextUploadAfter: number | undefined;
	/** Numbers changed through the control API, as they were before, restored on reset. */
	private originalNumbers = new Map<string, PhoneNumberSeed>();

	constructor(private readonly host: AccountHost) {}

	/** Changes what Graph reports for a number (quality, throughput, messaging limit, name status). */
	patchPhoneNumber(id: string, patch: Obj): PhoneNumberSeed {
		const phone = this.host.phoneNumbers().find((p) => p.id === id);
		if (!phone) throw new GraphError(100, `No phone number ${id}.`, 404);
		if (!this.originalNumbers.has(id)) this.originalNumbers.set(id, structuredClone(phone));
		for (const k of PHONE_FIELDS)
			if (patch[k] !== undefined) (phone as unknown as Obj)[k] = patch[k];
		return phone;
	}

	reset(): void {
		for (const [id, original] of this.originalNumbers) {
			const phone = this.host.phoneNumbers().find((p) => p.id === id);
			if (phone) Object.assign(phone, original);
		}
		this.originalNumbers.clear();
		this.cutNextUploadAfter = undefined;
		this.blocked.clear();
		this.lastInbound.clear();
		this.profiles.clear();
		this.qrCodes.clear();
		this.automation.clear();
		this.uploads.clear();
		this.files.clear();
		this.seq = 0;
	}

	// -------------------------------------------------------------------------------------------
	// What the emulator saw: inbound messages open the 24-hour window that blocking needs.

	/** Called with every webhook body the emulator delivers (Meta's side): remembers senders. */
	noteDelivered(body: string): void {
		for (const { phoneNumberId, message: m } of deliveredMessages(body)) {
			const at = Number(m.timestamp) * 1000 || Date.now();
			if (typeof m.from === 'string') this.noteInbound(phoneNumberId, m.from, at);
			if (typeof m.from_user_id === 'string') this.noteInbound(phoneNumberId, m.from_user_id, at);
		}
	}

	/** Records that `user` (phone digits or BSUID) messaged `phoneNumberId` at `at`. */
	noteInbound(phoneNumberId: string, user: string, at = Date.now()): void {
		const map = this.lastInbound.get(phoneNumberId) ?? new Map<string, number>();
		map.set(BSUID.test(user) ? user : user.replace(/\D/g, ''), at);
		this.lastInbound.set(phoneNumberId, map);
	}

	blockedUsers(phoneNumberId: string): BlockedEntry[] {
		return [...(this.blocked.get(phoneNumberId)?.values() ?? [])];
	}

	isBlocked(phoneNumberId: string, user: string): boolean {
		return this.blocked.get(phoneNumberId)?.has(user) ?? false;
	}

	// -------------------------------------------------------------------------------------------
	// Routing: returns false for requests that are not ours.

	async route(
		c: RequestContext,
		caller: Caller,
		node: string,
		edge: string | undefined,
		rest: string[],
		method: string,
	): Promise<boolean> {
		const decoded = decodeURIComponent(node);
		if (decoded.startsWith('upload:') && !edge) {
			await this.uploadSession(c, decoded, method);
			return true;
		}
		if (edge === 'uploads' && !rest.length && this.host.isApp(node)) {
			this.createUpload(c, method);
			return true;
		}
		const phone = this.host.phoneNumbers().find((p) => p.id === node);
		if (!phone) return false;
		const permission = PERMISSIONS[edge ?? ''];
		if (permission) this.host.requirePhone(node, caller, permission, method);
		if (edge === 'message_qrdls' && rest.length <= 1) {
			this.host.business(c);
			this.qr(c, phone, method, rest[0]);
			return true;
		}
		if (rest.length) return false;
		switch (edge) {
			case 'block_users':
				this.blockUsers(c, phone, method);
				return true;
			case 'whatsapp_business_profile':
				this.host.business(c);
				this.profile(c, phone, method);
				return true;
			case 'conversational_automation':
				this.host.business(c);
				this.updateAutomation(c, phone, method);
				return true;
			case undefined: {
				const fields = c.url.searchParams.get('fields') ?? '';
				if (method !== 'GET' || !fields.split(',').includes('conversational_automation'))
					return false;
				this.host.requirePhone(node, caller, MANAGEMENT, method);
				c.send(200, {
					...phoneJson(phone, fields),
					conversational_automation: { ...this.automationOf(phone.id), id: phone.id },
				});
				return true;
			}
			default:
				return false;
		}
	}

	/** Files the emulator serves under /__account/ (QR images, profile pictures). */
	serve(c: RequestContext): void {
		const m = /^\/__account\/qr\/([A-Z0-9]+)\.(png|svg)$/.exec(c.url.pathname);
		if (m) {
			const qr = [...this.qrCodes.values()].map((codes) => codes.get(m[1])).find(Boolean);
			if (!qr || c.url.searchParams.get('sig') !== this.sign(`qr:${qr.code}`))
				throw new GraphError(100, 'QR image not found.', 404);
			const link = deepLink(qr.code);
			if (m[2] === 'png') c.send(200, qrPng(link), { 'content-type': 'image/png' }, true);
			else c.send(200, Buffer.from(qrSvg(link)), { 'content-type': 'image/svg+xml' }, true);
			return;
		}
		const p = /^\/__account\/profile-picture\/(\d+)$/.exec(c.url.pathname);
		const handle = p ? this.profiles.get(p[1])?.pictureHandle : undefined;
		const file = handle ? this.files.get(handle) : undefined;
		if (!file || c.url.searchParams.get('sig') !== this.sign(`pp:${p![1]}:${handle}`))
			throw new GraphError(100, 'Not found.', 404);
		c.send(200, file.bytes, { 'content-type': file.fileType }, true);
	}

	private sign(what: string): string {
		return createHmac('sha256', this.host.appSecret()).update(what).digest('hex').slice(0, 24);
	}

	private json(c: RequestContext): Obj {
		return bodyParams(c);
	}

	// -------------------------------------------------------------------------------------------
	// Block users

	private blockUsers(c: RequestContext, phone: PhoneNumberSeed, method: string): void {
		const list = this.blocked.get(phone.id) ?? new Map<string, BlockedEntry>();
		this.blocked.set(phone.id, list);
		if (method === 'GET') {
			const data = [...list.values()].map((b) => ({
				messaging_product: 'whatsapp',
				...(b.waId ? { wa_id: b.waId } : {}),
				...(b.userId ? { user_id: b.userId } : {}),
			}));
			const paged = page(data, c.url.searchParams, `${this.host.baseUrl()}${c.url.pathname}`, 100);
			if (!paged) throw new GraphError(100, 'Invalid cursor');
			c.send(200, paged);
			return;
		}
		if (method !== 'POST' && method !== 'DELETE') throw badParam(`Unsupported ${method} request.`);
		const body = this.json(c);
		if (body.messaging_product === undefined)
			throw new GraphError(100, 'The parameter messaging_product is required.');
		if (body.messaging_product !== 'whatsapp')
			throw badParam('Param messaging_product must be "whatsapp".');
		const users = body.block_users;
		if (users === undefined) throw new GraphError(100, 'The parameter block_users is required.');
		if (!Array.isArray(users)) throw badParam('Param block_users must be an array.');
		if (users.length > BLOCK_LIMITS.perRequest)
			throw new GraphError(
				130429,
				`Too many users in one request: at most ${BLOCK_LIMITS.perRequest}.`,
			);
		const block = method === 'POST';
		const done: Obj[] = [];
		const failed: Obj[] = [];
		const own = this.host.phoneNumbers().map(displayDigits);
		const recent = this.lastInbound.get(phone.id) ?? new Map<string, number>();
		const now = Date.now();
		users.forEach((u, i) => {
			if (!isObj(u)) throw badParam(`Param block_users[${i}] must be an object.`);
			const raw =
				typeof u.user === 'string' ? u.user : typeof u.user_id === 'string' ? u.user_id : undefined;
			if (raw === undefined)
				throw new GraphError(100, `The parameter block_users[${i}].user is required.`);
			const isBsuid = typeof u.user_id === 'string';
			const key = isBsuid ? raw : raw.replace(/\D/g, '');
			const fail = (code: number, message: string, details: string) =>
				failed.push({
					input: raw,
					...(isBsuid || !/^\d{5,15}$/.test(key) ? {} : { wa_id: key }),
					errors: [{ message, code, error_data: { details } }],
				});
			if (isBsuid ? !BSUID.test(key) : !/^\d{5,15}$/.test(key) || /[^\d+\s()-]/.test(raw)) {
				fail(131047, 'Re-engagement required', 'The user is not a valid WhatsApp user.');
				return;
			}
			if (!isBsuid && own.includes(key)) {
				fail(131021, 'Self block', 'Failed to block self phone number.');
				return;
			}
			if (block) {
				const last = recent.get(key);
				if (last === undefined || now - last > BLOCK_LIMITS.windowMs) {
					fail(131047, 'Re-engagement required', 'User has not messaged in the last 24 hours');
					return;
				}
				if (!list.has(key) && list.size >= BLOCK_LIMITS.blocklist)
					throw new GraphError(139101, 'The blocklist has reached its 64,000 user limit.');
				list.set(key, isBsuid ? { userId: key } : { waId: key });
			} else list.delete(key);
			done.push({ input: raw, ...(isBsuid ? { user_id: key } : { wa_id: key }) });
		});
		const lists = {
			[block ? 'added_users' : 'removed_users']: done,
			...(failed.length ? { failed_users: failed } : {}),
		};
		if (!failed.length) {
			c.send(200, { messaging_product: 'whatsapp', block_users: lists });
			return;
		}
		const envelope = errorBody(
			139100,
			`Failed to ${block ? 'block' : 'unblock'} some users, see the block_users response list for details`,
			`A${randomBytes(11).toString('hex')}`,
		);
		envelope.error.message = '(#139100) Failed to block/unblock users';
		c.rec.code = 139100;
		c.send(400, { messaging_product: 'whatsapp', block_users: lists, ...envelope });
	}

	// -------------------------------------------------------------------------------------------
	// Business profile

	private profileOf(phone: PhoneNumberSeed): Profile {
		const existing = this.profiles.get(phone.id);
		if (existing) return existing;
		const created = defaultProfile();
		this.profiles.set(phone.id, created);
		return created;
	}

	private profile(c: RequestContext, phone: PhoneNumberSeed, method: string): void {
		const p = this.profileOf(phone);
		if (method === 'GET') {
			const all: Obj = {
				about: p.about,
				address: p.address,
				description: p.description,
				email: p.email,
				profile_picture_url: p.pictureHandle
					? `${this.host.baseUrl()}/__account/profile-picture/${phone.id}?sig=${this.sign(`pp:${phone.id}:${p.pictureHandle}`)}`
					: undefined,
				websites: p.websites,
				vertical: p.vertical,
			};
			const wanted = (c.url.searchParams.get('fields') ?? '').split(',').filter(Boolean);
			const out: Obj = {};
			for (const [k, v] of Object.entries(all))
				if (v !== undefined && v !== '' && (!wanted.length || wanted.includes(k))) out[k] = v;
			if (Array.isArray(out.websites) && !out.websites.length) delete out.websites;
			c.send(200, { data: [{ ...out, messaging_product: 'whatsapp' }] });
			return;
		}
		if (method !== 'POST') throw badParam(`Unsupported ${method} request.`);
		const body = this.json(c);
		if (body.messaging_product === undefined)
			throw new GraphError(100, 'The parameter messaging_product is required.');
		if (body.messaging_product !== 'whatsapp')
			throw badParam('Param messaging_product must be "whatsapp".');
		const allowed = [
			'messaging_product',
			'about',
			'address',
			'description',
			'email',
			'websites',
			'vertical',
			'profile_picture_handle',
		];
		for (const k of Object.keys(body))
			if (!allowed.includes(k)) throw badParam(`Unexpected key "${k}" on param "body".`);
		const next: Profile = { ...p, websites: [...p.websites] };
		const text = (k: 'about' | 'address' | 'description' | 'email', max: number) => {
			const v = body[k];
			if (v === undefined) return;
			if (typeof v !== 'string') throw badParam(`Param ${k} must be a string.`);
			if (len(v) > max) throw tooLong(k, max);
			next[k] = v;
		};
		if (body.about !== undefined && (typeof body.about !== 'string' || body.about === ''))
			throw badParam('Param about must be a non-empty string.');
		text('about', PROFILE_LIMITS.about);
		text('address', PROFILE_LIMITS.address);
		text('description', PROFILE_LIMITS.description);
		text('email', PROFILE_LIMITS.email);
		if (
			next.email !== '' &&
			body.email !== undefined &&
			!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(next.email)
		)
			throw badParam('Param email must be a valid email address.');
		if (body.websites !== undefined) {
			// Meta's own example sends the list as a JSON string.
			let sites: unknown = body.websites;
			if (typeof sites === 'string') {
				try {
					sites = JSON.parse(sites);
				} catch {
					throw badParam('Param websites must be an array of strings.');
				}
			}
			if (!Array.isArray(sites) || !sites.every((s) => typeof s === 'string'))
				throw badParam('Param websites must be an array of strings.');
			if (sites.length > PROFILE_LIMITS.websites)
				throw badParam(`Param websites must have at most ${PROFILE_LIMITS.websites} elements.`);
			sites.forEach((s: string, i: number) => {
				if (len(s) > PROFILE_LIMITS.website)
					throw tooLong(`websites[${i}]`, PROFILE_LIMITS.website);
				if (!/^https?:\/\/[^\s/]+/i.test(s))
					throw badParam(`Param websites[${i}] must start with http:// or https://.`);
			});
			next.websites = sites as string[];
		}
		if (body.vertical !== undefined) {
			if (
				typeof body.vertical !== 'string' ||
				(body.vertical !== '' && !PROFILE_VERTICALS.includes(body.vertical))
			)
				throw badParam(`Param vertical must be one of {${PROFILE_VERTICALS.join(', ')}} or empty.`);
			next.vertical = body.vertical;
		}
		if (body.profile_picture_handle !== undefined) {
			const handle = body.profile_picture_handle;
			const file = typeof handle === 'string' ? this.files.get(handle) : undefined;
			if (!file) throw badParam('Param profile_picture_handle is not a valid upload handle.');
			if (!['image/jpeg', 'image/jpg', 'image/png'].includes(file.fileType))
				throw badParam('The profile picture must be a JPEG or PNG image.');
			next.pictureHandle = file.handle;
		}
		this.profiles.set(phone.id, next);
		c.send(200, { success: true });
	}

	// -------------------------------------------------------------------------------------------
	// Resumable Upload API

	private createUpload(c: RequestContext, method: string): void {
		if (method !== 'POST') throw badParam(`Unsupported ${method} request.`);
		const p = this.json(c);
		const fileLength = Number(p.file_length);
		const fileType = typeof p.file_type === 'string' ? p.file_type : '';
		if (p.file_length === undefined)
			throw new GraphError(100, 'The parameter file_length is required.');
		if (!Number.isInteger(fileLength) || fileLength <= 0)
			throw badParam('Param file_length must be a positive integer.');
		if (!fileType) throw new GraphError(100, 'The parameter file_type is required.');
		if (!UPLOAD_TYPES.includes(fileType))
			throw badParam(`Param file_type must be one of {${UPLOAD_TYPES.join(', ')}}.`);
		const n = ++this.seq;
		// Meta's IDs are base64 with padding; '/' is avoided so the ID stays one path segment.
		const id = `upload:${Buffer.from(`emu:attachment:${n}:${randomBytes(6).toString('hex')}`)
			.toString('base64')
			.replace(/\//g, '_')}`;
		const sig = `ARZ${this.sign(`upload:${id}`)}`;
		this.uploads.set(id, {
			id,
			sig,
			fileName: typeof p.file_name === 'string' ? p.file_name : `upload-${n}`,
			fileLength,
			fileType,
			chunks: [],
			offset: 0,
		});
		c.send(200, { id: `${id}?sig=${sig}` });
	}

	private async uploadSession(c: RequestContext, node: string, method: string): Promise<void> {
		const s = this.uploads.get(node);
		if (!s || c.url.searchParams.get('sig') !== s.sig)
			throw new GraphError(
				100,
				`Upload session '${node}' does not exist or the signature is wrong.`,
			);
		if (method === 'GET') {
			c.send(200, { id: node, file_offset: s.offset });
			return;
		}
		if (method !== 'POST') throw badParam(`Unsupported ${method} request.`);
		const header = c.req.headers.file_offset ?? c.req.headers['file-offset'];
		if (header === undefined) {
			if (c.url.searchParams.has('file_offset'))
				throw badParam('file_offset must be sent as an HTTP header, not as a query parameter.');
			throw new GraphError(100, 'The file_offset header is required.');
		}
		const offset = Number(header);
		if (offset !== s.offset)
			throw badParam(
				`file_offset ${String(header)} does not match the uploaded length ${s.offset}.`,
			);
		if (s.offset + c.body.length > s.fileLength)
			throw badParam(`The data exceeds the declared file_length ${s.fileLength}.`);
		if (this.cutNextUploadAfter !== undefined && this.cutNextUploadAfter < c.body.length) {
			const kept = c.body.subarray(0, this.cutNextUploadAfter);
			this.cutNextUploadAfter = undefined;
			s.chunks.push(kept);
			s.offset += kept.length;
			c.rec.fault = 'reset-after';
			c.req.socket.destroy();
			return;
		}
		s.chunks.push(c.body);
		s.offset += c.body.length;
		if (s.offset < s.fileLength) {
			c.send(200, { id: node, file_offset: s.offset });
			return;
		}
		if (!s.handle) {
			const type = Buffer.from(s.fileName).toString('base64');
			s.handle = `4::${type}:${s.fileType}:${this.sign(`h:${s.id}`)}:e:${Math.floor(Date.now() / 1000) + 30 * 86400}:ARZ${this.sign(`hs:${s.id}`)}`;
			this.files.set(s.handle, {
				handle: s.handle,
				fileType: s.fileType,
				fileName: s.fileName,
				bytes: Buffer.concat(s.chunks),
			});
		}
		c.send(200, { h: s.handle });
	}

	/** Bytes behind an upload handle (tests check what arrived). */
	uploadedFile(handle: string): UploadedFile | undefined {
		return this.files.get(handle);
	}

	// -------------------------------------------------------------------------------------------
	// QR codes

	private qrJson(qr: QrCode, format?: string | null): Obj {
		const out: Obj = {
			code: qr.code,
			prefilled_message: qr.prefilled_message,
			deep_link_url: deepLink(qr.code),
		};
		if (format) {
			const ext = format.toLowerCase();
			out.qr_image_url = `${this.host.baseUrl()}/__account/qr/${qr.code}.${ext}?sig=${this.sign(`qr:${qr.code}`)}`;
		}
		return out;
	}

	private qr(c: RequestContext, phone: PhoneNumberSeed, method: string, code?: string): void {
		const codes = this.qrCodes.get(phone.id) ?? new Map<string, QrCode>();
		this.qrCodes.set(phone.id, codes);
		const fields = c.url.searchParams.get('fields');
		// `qr_image_url.format(SVG)` asks for the image URL in that format.
		const format = fields ? /qr_image_url\.format\((PNG|SVG)\)/i.exec(fields)?.[1] : undefined;
		const want = (o: Obj) => {
			if (!fields) return o;
			const names = fields.split(',').map((f) => f.trim().split('.')[0]);
			return Object.fromEntries(Object.entries(o).filter(([k]) => names.includes(k)));
		};
		const find = (id: string) => {
			const qr = codes.get(id);
			if (!qr)
				throw new GraphError(100, `QR code ${id} does not exist for this phone number.`, 404);
			return qr;
		};
		if (method === 'GET') {
			if (code) return c.send(200, { data: [want(this.qrJson(find(code), format))] });
			const list = [...codes.values()].map((q) => want(this.qrJson(q, format)));
			const paged = page(list, c.url.searchParams, `${this.host.baseUrl()}${c.url.pathname}`, 100);
			if (!paged) throw new GraphError(100, 'Invalid cursor');
			return c.send(200, paged);
		}
		if (method === 'DELETE') {
			if (!code) throw new GraphError(100, 'The QR code to delete is required in the path.');
			find(code);
			codes.delete(code);
			return c.send(200, { success: true });
		}
		if (method !== 'POST') throw badParam(`Unsupported ${method} request.`);
		const p = this.json(c);
		const targetCode = code ?? (typeof p.code === 'string' ? p.code : undefined);
		const message = p.prefilled_message;
		if (message === undefined)
			throw new GraphError(100, 'The parameter prefilled_message is required.');
		if (typeof message !== 'string' || message.trim() === '')
			throw badParam('Param prefilled_message must be a non-empty string.');
		if (len(message) > QR_LIMITS.prefilledMessage)
			throw tooLong('prefilled_message', QR_LIMITS.prefilledMessage);
		if (targetCode) {
			const qr = find(targetCode);
			qr.prefilled_message = message;
			return c.send(200, this.qrJson(qr));
		}
		const imageFormat = p.generate_qr_image;
		if (imageFormat === undefined)
			throw new GraphError(100, 'The parameter generate_qr_image is required.');
		if (imageFormat !== 'PNG' && imageFormat !== 'SVG')
			throw badParam('Param generate_qr_image must be one of {SVG, PNG}.');
		if (codes.size >= QR_LIMITS.perNumber)
			throw badParam(`A phone number can have at most ${QR_LIMITS.perNumber} QR codes.`);
		const qr: QrCode = { code: this.newCode(), prefilled_message: message, createdAt: Date.now() };
		codes.set(qr.code, qr);
		c.send(200, this.qrJson(qr, imageFormat));
	}

	private newCode(): string {
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
		const bytes = randomBytes(13);
		return `${[...bytes].map((b) => alphabet[b % alphabet.length]).join('')}1`;
	}

	qrCodesOf(phoneNumberId: string): QrCode[] {
		return [...(this.qrCodes.get(phoneNumberId)?.values() ?? [])];
	}

	// -------------------------------------------------------------------------------------------
	// Conversational automation

	automationOf(phoneNumberId: string): Automation {
		return (
			this.automation.get(phoneNumberId) ?? {
				enable_welcome_message: false,
				prompts: [],
				commands: [],
			}
		);
	}

	private updateAutomation(c: RequestContext, phone: PhoneNumberSeed, method: string): void {
		if (method !== 'POST') throw badParam(`Unsupported ${method} request.`);
		const p = this.json(c);
		const next: Automation = { ...this.automationOf(phone.id) };
		for (const k of Object.keys(p))
			if (!['enable_welcome_message', 'prompts', 'commands'].includes(k))
				throw badParam(`Unexpected key "${k}" on param "body".`);
		if (p.enable_welcome_message !== undefined) {
			const v = p.enable_welcome_message;
			if (typeof v !== 'boolean' && v !== 'true' && v !== 'false')
				throw badParam('Param enable_welcome_message must be a boolean.');
			next.enable_welcome_message = v === true || v === 'true';
		}
		// Query-string and form bodies carry lists as JSON text (pywa sends commands that way).
		const list = (k: string): unknown[] => {
			let v = p[k];
			if (typeof v === 'string') {
				try {
					v = JSON.parse(v);
				} catch {
					throw badParam(`Param ${k} must be an array.`);
				}
			}
			if (!Array.isArray(v)) throw badParam(`Param ${k} must be an array.`);
			return v;
		};
		if (p.prompts !== undefined) {
			const prompts = list('prompts');
			if (prompts.length > AUTOMATION_LIMITS.prompts)
				throw new GraphError(
					105,
					`The parameter prompts must have at most ${AUTOMATION_LIMITS.prompts} elements.`,
				);
			prompts.forEach((s, i) => {
				if (typeof s !== 'string' || s === '')
					throw badParam(`Param prompts[${i}] must be a non-empty string.`);
				if (len(s) > AUTOMATION_LIMITS.prompt)
					throw tooLong(`prompts[${i}]`, AUTOMATION_LIMITS.prompt);
				if (EMOJI.test(s)) throw badParam(`Param prompts[${i}] must not contain emoji.`);
			});
			next.prompts = prompts as string[];
		}
		if (p.commands !== undefined) {
			const commands = list('commands');
			if (commands.length > AUTOMATION_LIMITS.commands)
				throw new GraphError(
					105,
					`The parameter commands must have at most ${AUTOMATION_LIMITS.commands} elements.`,
				);
			next.commands = commands.map((cmd, i) => {
				if (!isObj(cmd)) throw badParam(`Param commands[${i}] must be an object.`);
				const name = cmd.command_name;
				const description = cmd.command_description;
				if (typeof name !== 'string' || name === '')
					throw new GraphError(100, `The parameter commands[${i}]['command_name'] is required.`);
				if (len(name) > AUTOMATION_LIMITS.commandName)
					throw tooLong(`commands[${i}]['command_name']`, AUTOMATION_LIMITS.commandName);
				if (typeof description !== 'string' || description === '')
					throw new GraphError(
						100,
						`The parameter commands[${i}]['command_description'] is required.`,
					);
				if (len(description) > AUTOMATION_LIMITS.commandDescription)
					throw tooLong(
						`commands[${i}]['command_description']`,
						AUTOMATION_LIMITS.commandDescription,
					);
				if (EMOJI.test(name) || EMOJI.test(description))
					throw badParam(`Param commands[${i}] must not contain emoji.`);
				return { command_name: name, command_description: description };
			});
		}
		this.automation.set(phone.id, next);
		c.send(200, { success: true });
	}
}

export const deepLink = (code: string) => `https://wa.me/message/${code}`;
