/**
 * Outbound Cloud API bodies (`POST /{phone-number-id}/messages`): https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 * Type aliases (not interfaces) so every body is assignable to n8n's IDataObject as it is.
 */
import type { ClientRecipient } from '../recipient';
import type { ClientTemplateContent } from './template';

// ── Text ────────────────────────────────────────────────────────────────────────────────────────

export type ClientTextContent = {
	type: 'text';
	text: { body: string; preview_url?: boolean };
};

// ── Media ───────────────────────────────────────────────────────────────────────────────────────

export type ClientMediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';

/** Exactly one source: an uploaded media ID or a public http(s) link. */
export type ClientMediaSource = { id: string; link?: never } | { link: string; id?: never };

export type ClientImageObject = ClientMediaSource & { caption?: string };
export type ClientVideoObject = ClientMediaSource & { caption?: string };
export type ClientDocumentObject = ClientMediaSource & { caption?: string; filename?: string };
/** `voice: true` marks a recorded voice note (OGG/OPUS): transcription, auto-download, `played` status. */
export type ClientAudioObject = ClientMediaSource & { voice?: boolean };
export type ClientStickerObject = ClientMediaSource;

export type ClientImageContent = { type: 'image'; image: ClientImageObject };
export type ClientVideoContent = { type: 'video'; video: ClientVideoObject };
export type ClientAudioContent = { type: 'audio'; audio: ClientAudioObject };
export type ClientDocumentContent = { type: 'document'; document: ClientDocumentObject };
export type ClientStickerContent = { type: 'sticker'; sticker: ClientStickerObject };

export type ClientMediaContent =
	| ClientImageContent
	| ClientVideoContent
	| ClientAudioContent
	| ClientDocumentContent
	| ClientStickerContent;

// ── Interactive ─────────────────────────────────────────────────────────────────────────────────

export type ClientInteractiveTextHeader = { type: 'text'; text: string };

/** Media headers never carry a caption. */
export type ClientInteractiveMediaHeader =
	| { type: 'image'; image: ClientMediaSource }
	| { type: 'video'; video: ClientMediaSource }
	| { type: 'document'; document: ClientMediaSource };

export type ClientInteractiveHeader = ClientInteractiveTextHeader | ClientInteractiveMediaHeader;

export type ClientInteractiveBody = { text: string };
export type ClientInteractiveFooter = { text: string };

export type ClientReplyButton = { type: 'reply'; reply: { id: string; title: string } };

export type ClientInteractiveButton = {
	type: 'button';
	header?: ClientInteractiveHeader;
	body: ClientInteractiveBody;
	footer?: ClientInteractiveFooter;
	action: { buttons: ClientReplyButton[] };
};

export type ClientListRow = { id: string; title: string; description?: string };
export type ClientListSection = { title?: string; rows: ClientListRow[] };

/** Lists, CTA URL and flow messages only take a text header. */
export type ClientInteractiveList = {
	type: 'list';
	header?: ClientInteractiveTextHeader;
	body: ClientInteractiveBody;
	footer?: ClientInteractiveFooter;
	action: { button: string; sections: ClientListSection[] };
};

export type ClientInteractiveCtaUrl = {
	type: 'cta_url';
	header?: ClientInteractiveTextHeader;
	body: ClientInteractiveBody;
	footer?: ClientInteractiveFooter;
	action: { name: 'cta_url'; parameters: { display_text: string; url: string } };
};

/** The user answers with an ordinary `location` message. */
export type ClientInteractiveLocationRequest = {
	type: 'location_request_message';
	body: ClientInteractiveBody;
	action: { name: 'send_location' };
};

export type ClientFlowAction = 'navigate' | 'data_exchange';
export type ClientFlowMode = 'draft' | 'published';

type ClientFlowIdentity =
	{ flow_id: string; flow_name?: never } | { flow_name: string; flow_id?: never };

export type ClientFlowParameters = ClientFlowIdentity & {
	flow_message_version: '3';
	flow_token: string;
	flow_cta: string;
	mode?: ClientFlowMode;
} & (
		| {
				flow_action: 'navigate';
				flow_action_payload: { screen: string; data?: Record<string, unknown> };
		  }
		| { flow_action: 'data_exchange'; flow_action_payload?: never }
	);

export type ClientInteractiveFlow = {
	type: 'flow';
	header?: ClientInteractiveTextHeader;
	body: ClientInteractiveBody;
	footer?: ClientInteractiveFooter;
	action: { name: 'flow'; parameters: ClientFlowParameters };
};

export type ClientInteractiveObject =
	| ClientInteractiveButton
	| ClientInteractiveList
	| ClientInteractiveCtaUrl
	| ClientInteractiveLocationRequest
	| ClientInteractiveFlow;

export type ClientInteractiveType = ClientInteractiveObject['type'];

// ── Commerce and calling interactive messages ───────────────────────────────────────────────────
// https://developers.facebook.com/docs/whatsapp/cloud-api/guides/sell-products-and-services/share-products
// https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/

export type ClientProductItem = { product_retailer_id: string };

/** `title` is required once a product list has more than one section. */
export type ClientProductSection = { title?: string; product_items: ClientProductItem[] };

/** One product from a catalog; Meta draws the header from the product itself. */
export type ClientInteractiveProduct = {
	type: 'product';
	body?: ClientInteractiveBody;
	footer?: ClientInteractiveFooter;
	action: { catalog_id: string; product_retailer_id: string };
};

export type ClientInteractiveProductList = {
	type: 'product_list';
	header: ClientInteractiveTextHeader;
	body: ClientInteractiveBody;
	footer?: ClientInteractiveFooter;
	action: { catalog_id: string; sections: ClientProductSection[] };
};

/** The business's whole catalog, shown with one product's image as thumbnail. */
export type ClientInteractiveCatalog = {
	type: 'catalog_message';
	body: ClientInteractiveBody;
	footer?: ClientInteractiveFooter;
	action: {
		name: 'catalog_message';
		parameters: { thumbnail_product_retailer_id: string };
	};
};

/** Asks the user to allow business-initiated calls; only the body is the business's to write. */
export type ClientInteractiveCallPermissionRequest = {
	type: 'call_permission_request';
	body: ClientInteractiveBody;
	action: { name: 'call_permission_request' };
};

export type ClientVoiceCallParameters = {
	display_text?: string;
	ttl_minutes?: number;
	/** Echoed back as `cta_payload` in the `calls` webhooks of a call started from this button. */
	payload?: string;
};

/** A button that starts a WhatsApp voice call to the business. */
export type ClientInteractiveVoiceCall = {
	type: 'voice_call';
	body: ClientInteractiveBody;
	action: { name: 'voice_call'; parameters?: ClientVoiceCallParameters };
};

export type ClientCommerceInteractiveObject =
	ClientInteractiveProduct | ClientInteractiveProductList | ClientInteractiveCatalog;

export type ClientCallingInteractiveObject =
	ClientInteractiveCallPermissionRequest | ClientInteractiveVoiceCall;

export type ClientInteractiveContent = {
	type: 'interactive';
	interactive:
		ClientInteractiveObject | ClientCommerceInteractiveObject | ClientCallingInteractiveObject;
};

// ── Location, contacts, reaction ────────────────────────────────────────────────────────────────

export type ClientLocationContent = {
	type: 'location';
	location: { latitude: number; longitude: number; name?: string; address?: string };
};

export type ClientContactPhoneType = 'CELL' | 'MAIN' | 'IPHONE' | 'HOME' | 'WORK';
export type ClientContactHomeWork = 'HOME' | 'WORK';

export type ClientContactName = {
	formatted_name: string;
	first_name?: string;
	last_name?: string;
	middle_name?: string;
	prefix?: string;
	suffix?: string;
};

export type ClientContactPhone = { phone: string; type?: ClientContactPhoneType; wa_id?: string };
export type ClientContactEmail = { email: string; type?: ClientContactHomeWork };
export type ClientContactUrl = { url: string; type?: ClientContactHomeWork };
export type ClientContactAddress = {
	street?: string;
	city?: string;
	state?: string;
	zip?: string;
	country?: string;
	country_code?: string;
	type?: ClientContactHomeWork;
};
export type ClientContactOrg = { company?: string; department?: string; title?: string };

export type ClientContact = {
	name: ClientContactName;
	phones?: ClientContactPhone[];
	emails?: ClientContactEmail[];
	urls?: ClientContactUrl[];
	addresses?: ClientContactAddress[];
	org?: ClientContactOrg;
	/** `YYYY-MM-DD`. */
	birthday?: string;
};

export type ClientContactsContent = { type: 'contacts'; contacts: ClientContact[] };

/** `emoji: ''` removes an earlier reaction. */
export type ClientReactionContent = {
	type: 'reaction';
	reaction: { message_id: string; emoji: string };
};

// ── The whole message ───────────────────────────────────────────────────────────────────────────

/** The `type`-discriminated content part of a send (templates: see `./template`). */
export type ClientMessageContent =
	| ClientTextContent
	| ClientMediaContent
	| ClientInteractiveContent
	| ClientLocationContent
	| ClientContactsContent
	| ClientReactionContent
	| ClientTemplateContent;

export type ClientMessageType = ClientMessageContent['type'];

export type ClientEnvelope = {
	messaging_product: 'whatsapp';
	recipient_type: 'individual';
	/** Quote-reply to an earlier message. */
	context?: { message_id: string };
	/** Echoed back in every status webhook of this message. */
	biz_opaque_callback_data?: string;
} & ClientRecipient;

export type ClientMessage = ClientEnvelope & ClientMessageContent;

/** Mark a received message (and the ones before it) as read; optionally show "typing…" for up to 25 s. */
export type ClientReadReceipt = {
	messaging_product: 'whatsapp';
	status: 'read';
	message_id: string;
	typing_indicator?: { type: 'text' };
};
