/**
 * Meta webhook body → one item per event (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components). Walks every entry, change,
 * message, status and error. Pure and total: any input yields a result, never an exception.
 */
import type {
	ServerContact,
	ServerError,
	ServerMessage,
	ServerSharedContact,
	ServerCall,
	ServerCallStatus,
	ServerStatus,
	WebhookCallItem,
	WebhookContactItem,
	WebhookContextItem,
	WebhookErrorDetail,
	WebhookErrorItem,
	WebhookFieldItem,
	WebhookFlowResponseItem,
	WebhookItem,
	WebhookLocationItem,
	WebhookMediaItem,
	WebhookMessageItem,
	WebhookOrderItem,
	WebhookOrderProduct,
	WebhookReferralItem,
	WebhookStatusItem,
} from '../types/webhook';
import { MEDIA_MESSAGE_TYPES, MESSAGE_TYPES, WEBHOOK_FIELDS } from '../types/webhook';

export type ParseResult =
	| { ok: true; items: WebhookItem[] }
	| { ok: false; reason: 'not-json' | 'not-whatsapp'; items: [] };

type Obj = Record<string, unknown>;

const KNOWN_MESSAGE_TYPES = new Set<string>(MESSAGE_TYPES);
const KNOWN_FIELDS = new Set<string>(WEBHOOK_FIELDS);
const MEDIA_TYPES = new Set<string>(MEDIA_MESSAGE_TYPES);

/** Parses the raw request bytes (the ones whose signature was checked). */
export function parseWebhookBody(raw: Buffer | string): ParseResult {
	let body: unknown;
	try {
		body = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : raw);
	} catch {
		return { ok: false, reason: 'not-json', items: [] };
	}
	return parseWebhookPayload(body);
}

export function parseWebhookPayload(body: unknown): ParseResult {
	if (!isObj(body) || body.object !== 'whatsapp_business_account' || !Array.isArray(body.entry)) {
		return { ok: false, reason: 'not-whatsapp', items: [] };
	}
	const items: WebhookItem[] = [];
	for (const entry of body.entry) {
		if (!isObj(entry)) continue;
		const wabaId = str(entry.id) ?? '';
		const entryTime = toIso(entry.time);
		for (const change of arr(entry.changes)) {
			if (!isObj(change)) continue;
			const field = str(change.field) ?? '';
			if (field === 'messages' && isObj(change.value) && hasMessagingArrays(change.value)) {
				items.push(...messagesFieldItems(wabaId, change.value));
			} else if (field === 'calls' && isObj(change.value) && hasCallArrays(change.value)) {
				items.push(...callsFieldItems(wabaId, change.value));
			} else {
				items.push(fieldItem(field, wabaId, entryTime, change.value));
			}
		}
	}
	return { ok: true, items };
}

function hasMessagingArrays(value: Obj): boolean {
	return (
		Array.isArray(value.messages) || Array.isArray(value.statuses) || Array.isArray(value.errors)
	);
}

function hasCallArrays(value: Obj): boolean {
	return Array.isArray(value.calls) || Array.isArray(value.statuses);
}

/** The `calls` field: one item per call event and per call status, then its errors. */
function callsFieldItems(wabaId: string, value: Obj): WebhookItem[] {
	const metadata = isObj(value.metadata) ? value.metadata : {};
	const where = {
		field: 'calls',
		wabaId,
		phoneNumberId: str(metadata.phone_number_id),
		displayPhoneNumber: str(metadata.display_phone_number),
	};
	const contacts = arr(value.contacts).filter(isObj) as ServerContact[];
	const items: WebhookItem[] = [];
	for (const call of arr(value.calls)) {
		if (isObj(call)) items.push(callItem(where, call as unknown as ServerCall, contacts));
	}
	for (const status of arr(value.statuses)) {
		if (isObj(status))
			items.push(callStatusItem(where, status as unknown as ServerCallStatus, contacts));
	}
	for (const error of arr(value.errors)) {
		if (isObj(error)) items.push(errorItem(where, error as unknown as ServerError));
	}
	return items;
}

function callItem(where: Where, call: ServerCall, contacts: ServerContact[]): WebhookCallItem {
	const raw = call as unknown as Obj;
	const direction = str(raw.direction);
	const from = str(raw.from);
	const to = str(raw.to);
	// The user is the caller of a user-initiated call and the callee of a business-initiated one.
	const user = direction === 'BUSINESS_INITIATED' ? to : from;
	const session = isObj(raw.session) ? raw.session : undefined;
	return compact({
		event: 'call',
		...where,
		callId: str(raw.id) ?? '',
		callEvent: str(raw.event) ?? '',
		status: str(raw.status),
		direction,
		from,
		to,
		timestamp: toIso(raw.timestamp),
		contact: contactItem(findContact(contacts, user, undefined)),
		startTime: raw.start_time === undefined ? undefined : toIso(raw.start_time),
		endTime: raw.end_time === undefined ? undefined : toIso(raw.end_time),
		durationSeconds: raw.duration === undefined ? undefined : num(raw.duration),
		ctaPayload: str(raw.cta_payload),
		callbackData: str(raw.biz_opaque_callback_data),
		session: session
			? compact({ sdpType: str(session.sdp_type), sdp: str(session.sdp) })
			: undefined,
		errors: errorDetails(raw.errors),
		raw: call,
	} satisfies WebhookCallItem);
}

function callStatusItem(
	where: Where,
	status: ServerCallStatus,
	contacts: ServerContact[],
): WebhookCallItem {
	const raw = status as unknown as Obj;
	const recipient = str(raw.recipient_id);
	return compact({
		event: 'call',
		...where,
		callId: str(raw.id) ?? '',
		callEvent: 'status',
		status: str(raw.status),
		direction: 'BUSINESS_INITIATED',
		to: recipient,
		timestamp: toIso(raw.timestamp),
		contact: contactItem(findContact(contacts, recipient, undefined)),
		callbackData: str(raw.biz_opaque_callback_data),
		errors: errorDetails(raw.errors),
		raw: status,
	} satisfies WebhookCallItem);
}

function messagesFieldItems(wabaId: string, value: Obj): WebhookItem[] {
	const metadata = isObj(value.metadata) ? value.metadata : {};
	const where = {
		field: 'messages',
		wabaId,
		phoneNumberId: str(metadata.phone_number_id),
		displayPhoneNumber: str(metadata.display_phone_number),
	};
	const contacts = arr(value.contacts).filter(isObj) as ServerContact[];
	const items: WebhookItem[] = [];
	for (const message of arr(value.messages)) {
		if (isObj(message))
			items.push(messageItem(where, message as unknown as ServerMessage, contacts));
	}
	for (const status of arr(value.statuses)) {
		if (isObj(status)) items.push(statusItem(where, status as unknown as ServerStatus, contacts));
	}
	for (const error of arr(value.errors)) {
		if (isObj(error)) items.push(errorItem(where, error as unknown as ServerError));
	}
	return items;
}

interface Where {
	field: string;
	wabaId: string;
	phoneNumberId?: string;
	displayPhoneNumber?: string;
}

function messageItem(
	where: Where,
	message: ServerMessage,
	contacts: ServerContact[],
): WebhookMessageItem {
	const raw = message as unknown as Obj;
	const type = str(raw.type) ?? 'unknown';
	const from = str(raw.from);
	const fromUserId = str(raw.from_user_id);
	const item: WebhookMessageItem = {
		event: 'message',
		...where,
		messageId: str(raw.id) ?? '',
		from,
		fromUserId,
		fromParentUserId: str(raw.from_parent_user_id),
		contact: contactItem(findContact(contacts, from, fromUserId)),
		type,
		timestamp: toIso(raw.timestamp),
		knownType: KNOWN_MESSAGE_TYPES.has(type),
		...messageContent(raw, type),
		context: contextItem(raw.context),
		referral: referralItem(raw.referral),
		groupId: str(raw.group_id),
		errors: errorDetails(raw.errors),
		message,
	};
	return compact(item);
}

type MessageContent = Partial<
	Pick<
		WebhookMessageItem,
		| 'text'
		| 'replyId'
		| 'replyDescription'
		| 'media'
		| 'location'
		| 'contacts'
		| 'reaction'
		| 'interactiveType'
		| 'flowResponse'
		| 'callPermission'
		| 'order'
		| 'system'
		| 'edit'
		| 'revoke'
	>
>;

/** The type-specific part of a message; also used for the new content of an `edit`. */
function messageContent(raw: Obj, type: string): MessageContent {
	const payload = isObj(raw[type]) ? (raw[type] as Obj) : {};
	if (MEDIA_TYPES.has(type)) {
		const media = mediaItem(payload);
		return { media, text: media?.caption };
	}
	switch (type) {
		case 'text':
			return { text: str(payload.body) };
		case 'location':
			return { location: locationItem(payload) };
		case 'contacts':
			return { contacts: arr(raw.contacts).filter(isObj) as unknown as ServerSharedContact[] };
		case 'interactive':
			return interactiveContent(payload);
		case 'button':
			return { text: str(payload.text), replyId: str(payload.payload) };
		case 'reaction': {
			const emoji = str(payload.emoji) || null;
			return {
				text: emoji ?? undefined,
				reaction: { messageId: str(payload.message_id) ?? '', emoji, removed: emoji === null },
			};
		}
		case 'order': {
			const order = orderItem(payload);
			return { text: order.text, order };
		}
		case 'system':
			return { text: str(payload.body), system: payload as WebhookMessageItem['system'] };
		case 'edit': {
			const inner = isObj(payload.message) ? payload.message : undefined;
			const newType = inner ? str(inner.type) : undefined;
			const content = inner && newType ? messageContent(inner, newType) : {};
			return {
				text: content.text,
				media: content.media,
				edit: compact({
					originalMessageId: str(payload.original_message_id) ?? '',
					newType,
					text: content.text,
					message: inner,
				}),
			};
		}
		case 'revoke':
			return { revoke: { originalMessageId: str(payload.original_message_id) ?? '' } };
		default:
			return {};
	}
}

function interactiveContent(interactive: Obj): MessageContent {
	const interactiveType = str(interactive.type);
	const reply =
		interactiveType && isObj(interactive[interactiveType])
			? (interactive[interactiveType] as Obj)
			: {};
	switch (interactiveType) {
		case 'button_reply':
			return { interactiveType, text: str(reply.title), replyId: str(reply.id) };
		case 'list_reply':
			return {
				interactiveType,
				text: str(reply.title),
				replyId: str(reply.id),
				replyDescription: str(reply.description),
			};
		case 'nfm_reply': {
			const flowResponse = flowResponseItem(reply);
			return { interactiveType, text: flowResponse.body, flowResponse };
		}
		case 'call_permission_reply':
			return {
				interactiveType,
				callPermission: compact({
					response: str(reply.response) ?? '',
					isPermanent: bool(reply.is_permanent),
					expirationTimestamp:
						reply.expiration_timestamp === undefined
							? undefined
							: toIso(reply.expiration_timestamp),
					responseSource: str(reply.response_source),
				}),
			};
		default:
			return { interactiveType };
	}
}

function orderItem(order: Obj): WebhookOrderItem {
	const products = arr(order.product_items)
		.filter(isObj)
		.map((item): WebhookOrderProduct =>
			compact({
				productRetailerId: str(item.product_retailer_id) ?? '',
				quantity: num(item.quantity),
				itemPrice: num(item.item_price),
				currency: str(item.currency),
			}),
		);
	return compact({
		catalogId: str(order.catalog_id) ?? '',
		text: str(order.text),
		products,
		total: orderTotal(products),
	});
}

/**
 * Σ quantity × price in one currency, summed in integer units of the prices' smallest decimal so
 * that 0.1 + 0.2 gives 0.3; null when a number is missing, a currency differs or there is nothing.
 */
function orderTotal(products: WebhookOrderProduct[]): WebhookOrderItem['total'] {
	const currency = products[0]?.currency;
	if (!currency || products.some((p) => p.currency !== currency)) return null;
	if (products.some((p) => p.quantity === null || p.itemPrice === null)) return null;
	const decimals = Math.min(
		6,
		Math.max(0, ...products.map((p) => (String(p.itemPrice).split('.')[1] ?? '').length)),
	);
	const scale = 10 ** decimals;
	let units = 0;
	for (const p of products)
		units += Math.round((p.itemPrice as number) * scale) * (p.quantity as number);
	if (!Number.isSafeInteger(units)) return null;
	return { amount: units / scale, currency };
}

function flowResponseItem(reply: Obj): WebhookFlowResponseItem {
	const responseJson = str(reply.response_json);
	let data: Record<string, unknown> | null = null;
	if (responseJson !== undefined) {
		try {
			const parsed: unknown = JSON.parse(responseJson);
			data = isObj(parsed) ? parsed : null;
		} catch {
			data = null;
		}
	} else if (isObj(reply.response_json)) {
		data = reply.response_json;
	}
	return compact({
		name: str(reply.name),
		body: str(reply.body),
		data,
		flowToken: data ? str(data.flow_token) : undefined,
		responseJson: data === null ? responseJson : undefined,
	});
}

function mediaItem(media: Obj): WebhookMediaItem | undefined {
	const id = str(media.id);
	if (id === undefined) return undefined;
	return compact({
		id,
		mimeType: str(media.mime_type),
		sha256: str(media.sha256),
		url: str(media.url),
		caption: str(media.caption),
		filename: str(media.filename),
		voice: bool(media.voice),
		animated: bool(media.animated),
	});
}

function locationItem(location: Obj): WebhookLocationItem {
	return compact({
		latitude: num(location.latitude),
		longitude: num(location.longitude),
		name: str(location.name),
		address: str(location.address),
		url: str(location.url),
	});
}

function contextItem(context: unknown): WebhookContextItem | undefined {
	if (!isObj(context)) return undefined;
	const product = isObj(context.referred_product) ? context.referred_product : undefined;
	return compact({
		messageId: str(context.id),
		from: str(context.from),
		forwarded: context.forwarded === true,
		frequentlyForwarded: context.frequently_forwarded === true,
		referredProduct: product
			? {
					catalogId: str(product.catalog_id) ?? '',
					productRetailerId: str(product.product_retailer_id) ?? '',
				}
			: undefined,
	});
}

function referralItem(referral: unknown): WebhookReferralItem | undefined {
	if (!isObj(referral)) return undefined;
	const welcome = isObj(referral.welcome_message) ? referral.welcome_message : {};
	return compact({
		sourceUrl: str(referral.source_url),
		sourceId: str(referral.source_id),
		sourceType: str(referral.source_type),
		headline: str(referral.headline),
		body: str(referral.body),
		mediaType: str(referral.media_type),
		imageUrl: str(referral.image_url),
		videoUrl: str(referral.video_url),
		thumbnailUrl: str(referral.thumbnail_url),
		ctwaClid: str(referral.ctwa_clid),
		welcomeMessage: str(welcome.text),
	});
}

function statusItem(
	where: Where,
	status: ServerStatus,
	contacts: ServerContact[],
): WebhookStatusItem {
	const raw = status as unknown as Obj;
	const recipientId = str(raw.recipient_id);
	const recipientUserId = str(raw.recipient_user_id);
	const pricing = isObj(raw.pricing) ? raw.pricing : undefined;
	const conversation = isObj(raw.conversation) ? raw.conversation : undefined;
	const origin = conversation && isObj(conversation.origin) ? conversation.origin : {};
	return compact({
		event: 'status',
		...where,
		messageId: str(raw.id) ?? '',
		status: str(raw.status) ?? '',
		timestamp: toIso(raw.timestamp),
		recipientId,
		recipientUserId,
		parentRecipientUserId: str(raw.parent_recipient_user_id),
		recipientType: str(raw.recipient_type),
		contact: contactItem(findContact(contacts, recipientId, recipientUserId)),
		errors: errorDetails(raw.errors),
		pricing: pricing
			? compact({
					billable: bool(pricing.billable),
					model: str(pricing.pricing_model),
					type: str(pricing.type),
					category: str(pricing.category),
				})
			: undefined,
		conversation: conversation
			? compact({
					id: str(conversation.id),
					expiresAt:
						conversation.expiration_timestamp === undefined
							? undefined
							: toIso(conversation.expiration_timestamp),
					originType: str(origin.type),
				})
			: undefined,
		callbackData: str(raw.biz_opaque_callback_data),
		raw: status,
	} satisfies WebhookStatusItem);
}

function errorItem(where: Where, error: ServerError): WebhookErrorItem {
	return compact({
		event: 'error',
		...where,
		timestamp: null,
		...errorDetail(error as unknown as Obj),
		raw: error,
	} satisfies WebhookErrorItem);
}

function fieldItem(
	field: string,
	wabaId: string,
	timestamp: string | null,
	value: unknown,
): WebhookFieldItem {
	const metadata = isObj(value) && isObj(value.metadata) ? value.metadata : {};
	return compact({
		event: field,
		field,
		wabaId,
		// Management fields carry entry.time; some values carry their own timestamp instead.
		timestamp: timestamp ?? (isObj(value) ? toIso(value.timestamp) : null),
		knownField: KNOWN_FIELDS.has(field),
		phoneNumberId: str(metadata.phone_number_id),
		displayPhoneNumber: str(metadata.display_phone_number),
		value: value ?? null,
	});
}

function errorDetails(errors: unknown): WebhookErrorDetail[] | undefined {
	const list = arr(errors).filter(isObj);
	return list.length ? list.map(errorDetail) : undefined;
}

function errorDetail(error: Obj): WebhookErrorDetail {
	const data = error.error_data;
	return compact({
		code: num(error.code),
		title: str(error.title),
		message: str(error.message),
		details: isObj(data) ? str(data.details) : str(data),
		href: str(error.href),
	});
}

function findContact(
	contacts: ServerContact[],
	phone: string | undefined,
	userId: string | undefined,
): ServerContact | undefined {
	const match = contacts.find(
		(contact) =>
			(phone !== undefined && contact.wa_id === phone) ||
			(userId !== undefined && contact.user_id === userId),
	);
	// A single contact belongs to the single sender even when ids are shaped differently.
	return match ?? (contacts.length === 1 && (phone || userId) ? contacts[0] : undefined);
}

function contactItem(contact: ServerContact | undefined): WebhookContactItem | undefined {
	if (!contact) return undefined;
	const profile: Obj = isObj(contact.profile) ? contact.profile : {};
	return compact({
		name: str(profile.name),
		username: str(profile.username),
		waId: str(contact.wa_id),
		userId: str(contact.user_id),
		parentUserId: str(contact.parent_user_id),
		identityKeyHash: str(contact.identity_key_hash),
	});
}

/** Unix seconds (number or numeric string) → ISO 8601; null when absent or not a valid time. */
export function toIso(value: unknown): string | null {
	const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return null;
	const date = new Date(seconds * 1000);
	return Number.isFinite(date.getTime()) ? date.toISOString() : null;
}

function isObj(value: unknown): value is Obj {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arr(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

/** Strings as-is; numbers as their decimal text (IDs sometimes arrive as numbers). */
function str(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

function num(value: unknown): number | null {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

function bool(value: unknown): boolean | undefined {
	return typeof value === 'boolean' ? value : undefined;
}

/** Drops undefined keys so items stay readable in n8n's table view. */
function compact<T extends object>(value: T): T {
	for (const key of Object.keys(value) as Array<keyof T>) {
		if (value[key] === undefined) delete value[key];
	}
	return value;
}
