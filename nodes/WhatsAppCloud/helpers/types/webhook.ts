/**
 * Meta's webhook payloads for the WhatsApp Cloud API (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components), as Meta sends them
 * (`Server*`, snake_case), and the items the trigger emits (`Webhook*Item`, camelCase).
 *
 * Every field Meta documents as optional is optional here, and payloads are read defensively:
 * these types describe what Meta claims to send, not what a request is guaranteed to contain.
 */

// ---------------------------------------------------------------------------------------------
// Envelope
// ---------------------------------------------------------------------------------------------

export interface WebhookPayload {
	object: 'whatsapp_business_account' | string;
	entry: WebhookEntry[];
}

export interface WebhookEntry {
	/** The WhatsApp Business Account ID (not the phone number ID). */
	id: string;
	/** Unix seconds; only on management fields such as `phone_number_quality_update`. */
	time?: number;
	changes: WebhookChange[];
}

export type WebhookChange =
	| { field: 'messages'; value: WebhookMessagesValue }
	| {
			field: Exclude<WebhookFieldName, 'messages'> | (string & Record<never, never>);
			value: WebhookOtherValue;
	  };

/** Subscription fields of the `whatsapp_business_account` object (https://developers.facebook.com/docs/graph-api/webhooks/reference/whatsapp-business-account). */
export const WEBHOOK_FIELDS = [
	'account_alerts',
	'account_review_update',
	'account_settings_update',
	'account_update',
	'automatic_events',
	'business_capability_update',
	'calls',
	'flows',
	'history',
	'message_template_components_update',
	'message_template_quality_update',
	'message_template_status_update',
	'messages',
	'partner_solutions',
	'payment_configuration_update',
	'phone_number_name_update',
	'phone_number_quality_update',
	'security',
	'smb_app_state_sync',
	'smb_message_echoes',
	'template_category_update',
	'tracking_events',
	'user_preferences',
] as const;

export type WebhookFieldName = (typeof WEBHOOK_FIELDS)[number];

/** The value of any field other than `messages`: its shape depends on the field. */
export type WebhookOtherValue = Record<string, unknown>;

export interface WebhookMetadata {
	display_phone_number: string;
	phone_number_id: string;
}

export interface WebhookMessagesValue {
	messaging_product: 'whatsapp';
	metadata: WebhookMetadata;
	contacts?: ServerContact[];
	messages?: ServerMessage[];
	statuses?: ServerStatus[];
	errors?: ServerError[];
}

export interface ServerContact {
	profile?: { name?: string; username?: string };
	/** Phone number; omitted for username users without recent interaction (2026). */
	wa_id?: string;
	/** Business-scoped user ID (BSUID), e.g. `US.13491208655302741918`. */
	user_id?: string;
	parent_user_id?: string;
	identity_key_hash?: string;
}

/** Async error shape (`value.errors`, `messages[].errors`, `statuses[].errors`). */
export interface ServerError {
	code: number;
	title?: string;
	message?: string;
	error_data?: { details?: string };
	href?: string;
}

// ---------------------------------------------------------------------------------------------
// Inbound messages (`value.messages[]`), discriminated on `type`
// ---------------------------------------------------------------------------------------------

export interface ServerMessageBase {
	/** Sender phone; may be absent for username users. */
	from?: string;
	from_user_id?: string;
	from_parent_user_id?: string;
	id: string;
	/** Unix seconds, as a string. */
	timestamp: string;
	group_id?: string;
	context?: ServerContext;
	referral?: ServerReferral;
	errors?: ServerError[];
}

export interface ServerContext {
	from?: string;
	id?: string;
	forwarded?: boolean;
	frequently_forwarded?: boolean;
	referred_product?: { catalog_id: string; product_retailer_id: string };
}

export interface ServerReferral {
	source_url?: string;
	source_id?: string;
	source_type?: 'ad' | 'post' | string;
	headline?: string;
	body?: string;
	media_type?: 'image' | 'video' | string;
	image_url?: string;
	video_url?: string;
	thumbnail_url?: string;
	ctwa_clid?: string;
	welcome_message?: { text?: string };
}

export interface ServerMediaObject {
	id: string;
	mime_type?: string;
	sha256?: string;
	url?: string;
}

export interface ServerTextMessage extends ServerMessageBase {
	type: 'text';
	text: { body: string };
}

export interface ServerImageMessage extends ServerMessageBase {
	type: 'image';
	image: ServerMediaObject & { caption?: string };
}

export interface ServerVideoMessage extends ServerMessageBase {
	type: 'video';
	video: ServerMediaObject & { caption?: string };
}

export interface ServerAudioMessage extends ServerMessageBase {
	type: 'audio';
	audio: ServerMediaObject & { voice?: boolean };
}

export interface ServerDocumentMessage extends ServerMessageBase {
	type: 'document';
	document: ServerMediaObject & { caption?: string; filename?: string };
}

export interface ServerStickerMessage extends ServerMessageBase {
	type: 'sticker';
	sticker: ServerMediaObject & { animated?: boolean };
}

export interface ServerLocation {
	/** Numbers, though some payloads carry strings. */
	latitude: number | string;
	longitude: number | string;
	name?: string;
	address?: string;
	url?: string;
}

export interface ServerLocationMessage extends ServerMessageBase {
	type: 'location';
	location: ServerLocation;
}

export interface ServerSharedContact {
	name: {
		formatted_name: string;
		first_name?: string;
		last_name?: string;
		middle_name?: string;
		prefix?: string;
		suffix?: string;
	};
	phones?: Array<{ phone?: string; wa_id?: string; type?: string }>;
	emails?: Array<{ email?: string; type?: string }>;
	addresses?: Array<{
		street?: string;
		city?: string;
		state?: string;
		zip?: string;
		country?: string;
		country_code?: string;
		type?: string;
	}>;
	org?: { company?: string; department?: string; title?: string };
	urls?: Array<{ url?: string; type?: string }>;
	birthday?: string;
}

export interface ServerContactsMessage extends ServerMessageBase {
	type: 'contacts';
	contacts: ServerSharedContact[];
}

export type ServerInteractive =
	| { type: 'button_reply'; button_reply: { id: string; title: string } }
	| { type: 'list_reply'; list_reply: { id: string; title: string; description?: string } }
	| {
			type: 'nfm_reply';
			/** `flow` for Flows, `address_message` for address messages. */
			nfm_reply: { name?: string; body?: string; response_json: string };
	  }
	| {
			type: 'call_permission_reply';
			call_permission_reply: {
				response: 'accept' | 'reject';
				is_permanent?: boolean;
				expiration_timestamp?: number | string;
				response_source?: string;
			};
	  };

export interface ServerInteractiveMessage extends ServerMessageBase {
	type: 'interactive';
	interactive: ServerInteractive;
}

export interface ServerButtonMessage extends ServerMessageBase {
	type: 'button';
	button: { text: string; payload?: string };
}

export interface ServerReactionMessage extends ServerMessageBase {
	type: 'reaction';
	/** `emoji` is absent or empty when the user removes the reaction. */
	reaction: { message_id: string; emoji?: string };
}

export interface ServerOrderMessage extends ServerMessageBase {
	type: 'order';
	order: {
		catalog_id: string;
		text?: string;
		product_items: Array<{
			product_retailer_id: string;
			quantity: number | string;
			item_price: number | string;
			currency: string;
		}>;
	};
}

export interface ServerSystemMessage extends ServerMessageBase {
	type: 'system';
	system: {
		body?: string;
		/** `user_changed_number`, `user_changed_user_id`, `customer_identity_changed`, … */
		type?: string;
		wa_id?: string;
		user_id?: string;
		parent_user_id?: string;
		previous_user_id?: string;
		previous_parent_user_id?: string;
		identity?: string;
		customer?: string;
	};
	identity?: { acknowledged?: boolean; created_timestamp?: number | string; hash?: string };
}

export interface ServerRequestWelcomeMessage extends ServerMessageBase {
	type: 'request_welcome';
}

export interface ServerEditMessage extends ServerMessageBase {
	type: 'edit';
	/** `message` is the complete new message, itself typed. */
	edit: { original_message_id: string; message?: ServerMessage | Record<string, unknown> };
}

export interface ServerRevokeMessage extends ServerMessageBase {
	type: 'revoke';
	revoke: { original_message_id: string };
}

export interface ServerUnsupportedMessage extends ServerMessageBase {
	type: 'unsupported' | 'unknown';
	unsupported?: { type?: string };
}

export type ServerKnownMessage =
	| ServerTextMessage
	| ServerImageMessage
	| ServerVideoMessage
	| ServerAudioMessage
	| ServerDocumentMessage
	| ServerStickerMessage
	| ServerLocationMessage
	| ServerContactsMessage
	| ServerInteractiveMessage
	| ServerButtonMessage
	| ServerReactionMessage
	| ServerOrderMessage
	| ServerSystemMessage
	| ServerRequestWelcomeMessage
	| ServerEditMessage
	| ServerRevokeMessage
	| ServerUnsupportedMessage;

export type ServerMessageType = ServerKnownMessage['type'];

/** A type Meta added after this package was written: passed through, never dropped. */
export interface ServerUnrecognizedMessage extends ServerMessageBase {
	type: string & Record<never, never>;
	[key: string]: unknown;
}

export type ServerMessage = ServerKnownMessage | ServerUnrecognizedMessage;

export const MEDIA_MESSAGE_TYPES = ['audio', 'document', 'image', 'sticker', 'video'] as const;

export type MediaMessageType = (typeof MEDIA_MESSAGE_TYPES)[number];

/** Every `type` the parser knows; the trigger's message-type filter offers these. */
export const MESSAGE_TYPES = [
	'audio',
	'button',
	'contacts',
	'document',
	'edit',
	'image',
	'interactive',
	'location',
	'order',
	'reaction',
	'request_welcome',
	'revoke',
	'sticker',
	'system',
	'text',
	'unknown',
	'unsupported',
	'video',
] as const satisfies readonly ServerMessageType[];

// ---------------------------------------------------------------------------------------------
// Statuses (`value.statuses[]`)
// ---------------------------------------------------------------------------------------------

export const STATUS_VALUES = ['delivered', 'failed', 'played', 'read', 'sent'] as const;

export type StatusValue = (typeof STATUS_VALUES)[number];

export interface ServerStatus {
	id: string;
	status: StatusValue | (string & Record<never, never>);
	timestamp: string;
	/** Phone or group ID; omitted when the message was sent to a BSUID. */
	recipient_id?: string;
	recipient_user_id?: string;
	parent_recipient_user_id?: string;
	recipient_type?: 'individual' | 'group' | string;
	biz_opaque_callback_data?: string;
	conversation?: {
		id?: string;
		expiration_timestamp?: string | number;
		origin?: { type?: string };
	};
	pricing?: {
		billable?: boolean;
		pricing_model?: string;
		type?: string;
		category?: string;
	};
	errors?: ServerError[];
}

// ---------------------------------------------------------------------------------------------
// Items the trigger emits: one per event
// ---------------------------------------------------------------------------------------------

export type WebhookEventKind = 'message' | 'status' | 'error' | 'call';

export interface WebhookErrorDetail {
	code: number | null;
	title?: string;
	message?: string;
	details?: string;
	href?: string;
}

export interface WebhookContactItem {
	name?: string;
	username?: string;
	waId?: string;
	userId?: string;
	parentUserId?: string;
	identityKeyHash?: string;
}

export interface WebhookMediaItem {
	id: string;
	mimeType?: string;
	sha256?: string;
	url?: string;
	caption?: string;
	filename?: string;
	voice?: boolean;
	animated?: boolean;
}

export interface WebhookContextItem {
	/** The message this one replies to (or the product message it refers to). */
	messageId?: string;
	from?: string;
	forwarded: boolean;
	frequentlyForwarded: boolean;
	referredProduct?: { catalogId: string; productRetailerId: string };
}

export interface WebhookReferralItem {
	sourceUrl?: string;
	sourceId?: string;
	sourceType?: string;
	headline?: string;
	body?: string;
	mediaType?: string;
	imageUrl?: string;
	videoUrl?: string;
	thumbnailUrl?: string;
	ctwaClid?: string;
	welcomeMessage?: string;
}

export interface WebhookLocationItem {
	latitude: number | null;
	longitude: number | null;
	name?: string;
	address?: string;
	url?: string;
}

export interface WebhookFlowResponseItem {
	name?: string;
	body?: string;
	/** `response_json` parsed; null when Meta sent something that is not a JSON object. */
	data: Record<string, unknown> | null;
	flowToken?: string;
	/** The string as received, for payloads that did not parse. */
	responseJson?: string;
}

export interface WebhookOrderProduct {
	productRetailerId: string;
	/** Meta's samples send numbers or numeric strings; null when neither. */
	quantity: number | null;
	itemPrice: number | null;
	currency?: string;
}

/** An order from a catalog or cart; Meta sends no total, so it is computed when it can be. */
export interface WebhookOrderItem {
	catalogId: string;
	/** The note the customer added to the order. */
	text?: string;
	products: WebhookOrderProduct[];
	/** Sum of quantity × price; null when a number is missing or the currencies differ. */
	total: { amount: number; currency: string } | null;
}

interface WebhookItemBase {
	field: string;
	wabaId: string;
	/** ISO 8601, or null when Meta's timestamp is missing or not a number. */
	timestamp: string | null;
}

export interface WebhookMessageItem extends WebhookItemBase {
	event: 'message';
	phoneNumberId?: string;
	displayPhoneNumber?: string;
	messageId: string;
	from?: string;
	fromUserId?: string;
	fromParentUserId?: string;
	contact?: WebhookContactItem;
	/** Meta's `type`, unchanged — also for types this package does not know. */
	type: string;
	/** Text body, button text, reply title, caption, or system message body. */
	text?: string;
	/** Template button payload, or the id of the chosen reply button / list row. */
	replyId?: string;
	/** The chosen list row's description. */
	replyDescription?: string;
	media?: WebhookMediaItem;
	location?: WebhookLocationItem;
	contacts?: ServerSharedContact[];
	reaction?: { messageId: string; emoji: string | null; removed: boolean };
	interactiveType?: string;
	flowResponse?: WebhookFlowResponseItem;
	callPermission?: {
		response: string;
		isPermanent?: boolean;
		expirationTimestamp?: string | null;
		responseSource?: string;
	};
	order?: WebhookOrderItem;
	system?: ServerSystemMessage['system'];
	context?: WebhookContextItem;
	referral?: WebhookReferralItem;
	edit?: { originalMessageId: string; newType?: string; text?: string; message?: unknown };
	revoke?: { originalMessageId: string };
	groupId?: string;
	errors?: WebhookErrorDetail[];
	/** Whether this package knows `type`; unknown types still arrive with the raw `message`. */
	knownType: boolean;
	message: ServerMessage;
}

export interface WebhookStatusItem extends WebhookItemBase {
	event: 'status';
	phoneNumberId?: string;
	displayPhoneNumber?: string;
	messageId: string;
	status: string;
	recipientId?: string;
	recipientUserId?: string;
	parentRecipientUserId?: string;
	recipientType?: string;
	contact?: WebhookContactItem;
	errors?: WebhookErrorDetail[];
	pricing?: { billable?: boolean; model?: string; type?: string; category?: string };
	conversation?: { id?: string; expiresAt?: string | null; originType?: string };
	callbackData?: string;
	/** The status object as Meta sent it. */
	raw: ServerStatus;
}

export interface WebhookErrorItem extends WebhookItemBase, WebhookErrorDetail {
	event: 'error';
	phoneNumberId?: string;
	displayPhoneNumber?: string;
	/** The error object as Meta sent it. */
	raw: ServerError;
}

/** A non-`messages` field (template, account, quality, preferences…), or a field not known yet. */
export interface WebhookFieldItem extends WebhookItemBase {
	/** The field name, e.g. `message_template_status_update`. */
	event: string;
	/** Whether the field is in Meta's list as of this package; unknown fields still arrive. */
	knownField: boolean;
	/** From `value.metadata` when the field carries one (calls, echoes). */
	phoneNumberId?: string;
	displayPhoneNumber?: string;
	value: unknown;
}

// ---------------------------------------------------------------------------------------------
// Calling (`calls` field): call events and business-initiated call statuses
// https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/
// ---------------------------------------------------------------------------------------------

export interface ServerCall {
	id: string;
	from?: string;
	to?: string;
	/** `connect` when a call arrives or is answered, `terminate` when it ends. */
	event?: 'connect' | 'terminate' | (string & Record<never, never>);
	timestamp?: string;
	direction?: 'USER_INITIATED' | 'BUSINESS_INITIATED' | (string & Record<never, never>);
	/** On `terminate`: `COMPLETED` or `FAILED`. */
	status?: string;
	start_time?: string | number;
	end_time?: string | number;
	duration?: number | string;
	session?: { sdp_type?: string; sdp?: string };
	biz_opaque_callback_data?: string;
	/** The voice-call button's payload when the call was started from one. */
	cta_payload?: string;
	errors?: ServerError[];
}

/** Progress of a business-initiated call (`value.statuses[]` with `type: "call"`). */
export interface ServerCallStatus {
	id: string;
	type?: 'call' | string;
	status: 'RINGING' | 'ACCEPTED' | 'REJECTED' | (string & Record<never, never>);
	timestamp?: string;
	recipient_id?: string;
	biz_opaque_callback_data?: string;
	errors?: ServerError[];
}

export interface WebhookCallItem extends WebhookItemBase {
	event: 'call';
	phoneNumberId?: string;
	displayPhoneNumber?: string;
	/** The WhatsApp call ID (`wacid.…`). */
	callId: string;
	/** `connect` / `terminate` for call events, `status` for business-initiated call progress. */
	callEvent: string;
	/** `COMPLETED`/`FAILED` on terminate; `RINGING`/`ACCEPTED`/`REJECTED` on status. */
	status?: string;
	direction?: string;
	from?: string;
	to?: string;
	/** The user's side of the call (the caller, or the callee of a business call). */
	contact?: WebhookContactItem;
	startTime?: string | null;
	endTime?: string | null;
	durationSeconds?: number | null;
	ctaPayload?: string;
	callbackData?: string;
	/** WebRTC offer/answer on `connect`. */
	session?: { sdpType?: string; sdp?: string };
	errors?: WebhookErrorDetail[];
	raw: ServerCall | ServerCallStatus;
}

export type WebhookItem =
	WebhookMessageItem | WebhookStatusItem | WebhookErrorItem | WebhookCallItem | WebhookFieldItem;
