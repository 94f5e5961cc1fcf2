/**
 * Message templates: the definition Graph returns (`GET /{waba-id}/message_templates`) and the
 * `type: 'template'` content of a send (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates). Type aliases (not interfaces) so every
 * body is assignable to n8n's IDataObject as it is.
 */

// ── Definitions, as Graph returns them ──────────────────────────────────────────────────────────

export type TemplateStatus =
	| 'APPROVED'
	| 'PENDING'
	| 'REJECTED'
	| 'PAUSED'
	| 'DISABLED'
	| 'IN_APPEAL'
	| 'PENDING_DELETION'
	| 'DELETED'
	| 'LIMIT_EXCEEDED'
	| 'ARCHIVED';

export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';

/** `{{1}}` placeholders or `{{first_name}}` placeholders; one template never mixes both. */
export type TemplateParameterFormat = 'POSITIONAL' | 'NAMED';

export type TemplateNamedExample = { param_name: string; example: string };

export type ServerTextHeader = {
	type: 'HEADER';
	format: 'TEXT';
	text: string;
	example?: { header_text?: string[]; header_text_named_params?: TemplateNamedExample[] };
};

export type TemplateMediaFormat = 'IMAGE' | 'VIDEO' | 'DOCUMENT';

export type ServerMediaHeader = {
	type: 'HEADER';
	format: TemplateMediaFormat;
	/** Upload handles of the sample media shown to Meta's reviewers. */
	example?: { header_handle?: string[] };
};

export type ServerLocationHeader = { type: 'HEADER'; format: 'LOCATION' };

export type ServerHeaderComponent = ServerTextHeader | ServerMediaHeader | ServerLocationHeader;

export type ServerBodyComponent = {
	type: 'BODY';
	/** Absent on authentication templates, whose text Meta presets. */
	text?: string;
	example?: { body_text?: string[][]; body_text_named_params?: TemplateNamedExample[] };
	add_security_recommendation?: boolean;
};

export type ServerFooterComponent = {
	type: 'FOOTER';
	text?: string;
	/** Authentication templates: "This code expires in N minutes." */
	code_expiration_minutes?: number;
};

export type ServerQuickReplyButton = { type: 'QUICK_REPLY'; text: string };

/** Static, or dynamic with one `{{1}}` at the end of `url` (the suffix is sent per message). */
export type ServerUrlButton = { type: 'URL'; text: string; url: string; example?: string[] };

export type ServerPhoneNumberButton = { type: 'PHONE_NUMBER'; text: string; phone_number: string };

/** Calls the business on WhatsApp (Calling API); takes no value when sending. */
export type ServerVoiceCallButton = { type: 'VOICE_CALL'; text: string };

/** Coupon code: the code itself is sent per message. */
export type ServerCopyCodeButton = {
	type: 'COPY_CODE';
	text?: string;
	example?: string | string[];
};

export type ServerFlowButton = {
	type: 'FLOW';
	text: string;
	flow_id?: string;
	flow_name?: string;
	flow_json?: string;
	flow_action?: 'navigate' | 'data_exchange';
	navigate_screen?: string;
};

/** An Android app allowed to receive the code: package name (≤224) and 11-character key hash. */
export type ClientOtpSupportedApp = { package_name: string; signature_hash: string };

/** Authentication one-time password button; Graph reports it as URL once created. */
export type ServerOtpButton = {
	type: 'OTP';
	otp_type: 'COPY_CODE' | 'ONE_TAP' | 'ZERO_TAP';
	text?: string;
	url?: string;
	autofill_text?: string;
	/** One-tap and zero-tap: 1 to 5 apps. */
	supported_apps?: ClientOtpSupportedApp[];
	/** The older one-app form, directly on the button. */
	package_name?: string;
	signature_hash?: string;
	zero_tap_terms_accepted?: boolean;
};

export type ServerCatalogButton = { type: 'CATALOG'; text: string };

/** Multi-product message button. */
export type ServerMpmButton = { type: 'MPM'; text: string };

export type ServerTemplateButton =
	| ServerQuickReplyButton
	| ServerUrlButton
	| ServerPhoneNumberButton
	| ServerCopyCodeButton
	| ServerFlowButton
	| ServerOtpButton
	| ServerCatalogButton
	| ServerMpmButton
	| ServerVoiceCallButton;

export type ServerTemplateButtonType = ServerTemplateButton['type'];

export type ServerButtonsComponent = { type: 'BUTTONS'; buttons: ServerTemplateButton[] };

/** A carousel card's media header (media-card carousels use image or video on every card). */
export type ServerCarouselCardHeader = {
	type: 'HEADER';
	format: 'IMAGE' | 'VIDEO';
	example?: { header_handle?: string[] };
};

/** Card body: at most 160 characters, with its own variables. */
export type ServerCarouselCardBody = {
	type: 'BODY';
	text: string;
	example?: { body_text?: string[][]; body_text_named_params?: TemplateNamedExample[] };
};

export type ServerCarouselCardButton =
	ServerQuickReplyButton | ServerUrlButton | ServerPhoneNumberButton;

/** One or two buttons; `index` at send time is the position within the card. */
export type ServerCarouselCardButtons = { type: 'BUTTONS'; buttons: ServerCarouselCardButton[] };

export type ServerCarouselCardComponent =
	ServerCarouselCardHeader | ServerCarouselCardBody | ServerCarouselCardButtons;

/** Every card has the same components and button types, in the same order. */
export type ServerCarouselCard = { components: ServerCarouselCardComponent[] };

/** 2 to 10 cards, fixed at creation: a send carries exactly this many. MARKETING only. */
export type ServerCarouselComponent = { type: 'CAROUSEL'; cards: ServerCarouselCard[] };

/** Offer line (≤16 characters); with `has_expiration` the send gives the expiry and a countdown shows. */
export type ServerLimitedTimeOfferComponent = {
	type: 'LIMITED_TIME_OFFER';
	limited_time_offer: { text: string; has_expiration?: boolean };
};

export type ServerTemplateComponent =
	| ServerHeaderComponent
	| ServerBodyComponent
	| ServerFooterComponent
	| ServerButtonsComponent
	| ServerCarouselComponent
	| ServerLimitedTimeOfferComponent;

export type ServerTemplateComponentType = ServerTemplateComponent['type'];

export type ServerTemplate = {
	id: string;
	name: string;
	/** `en_US`, `es`, … */
	language: string;
	status: TemplateStatus;
	category: TemplateCategory;
	/** Absent on older templates: positional then. */
	parameter_format?: TemplateParameterFormat;
	components: ServerTemplateComponent[];
	sub_category?: string;
	rejected_reason?: string;
	quality_score?: { score: string; date?: number };
	previous_category?: string;
	/** Seconds Meta keeps trying to deliver (authentication 30-900, utility 30-43 200, …). */
	message_send_ttl_seconds?: number;
};

/** One page of `GET /{waba-id}/message_templates`. */
export type ServerTemplatePage = {
	data: ServerTemplate[];
	paging?: { cursors?: { before?: string; after?: string }; next?: string; previous?: string };
};

// ── Definitions, as `POST /{waba-id}/message_templates` takes them ──────────────────────────────

// Authentication templates as created (Graph returns them with preset texts and the OTP button
// as a URL button whose URL carries `otp_type`).

export type ClientAuthenticationBody = { type: 'BODY'; add_security_recommendation?: boolean };

/** 1 to 90 minutes; left out, no expiry line is shown and the button expires after 10 minutes. */
export type ClientAuthenticationFooter = { type: 'FOOTER'; code_expiration_minutes?: number };

/** Button labels are at most 25 characters; left out, Meta uses localized defaults. */
export type ClientOtpCopyCodeButton = { type: 'OTP'; otp_type: 'COPY_CODE'; text?: string };

export type ClientOtpOneTapButton = {
	type: 'OTP';
	otp_type: 'ONE_TAP';
	/** The copy-code fallback's label. */
	text?: string;
	autofill_text?: string;
	/** 1 to 5 apps. */
	supported_apps: ClientOtpSupportedApp[];
};

export type ClientOtpZeroTapButton = {
	type: 'OTP';
	otp_type: 'ZERO_TAP';
	text?: string;
	autofill_text?: string;
	supported_apps: ClientOtpSupportedApp[];
	zero_tap_terms_accepted: true;
};

export type ClientOtpButton =
	ClientOtpCopyCodeButton | ClientOtpOneTapButton | ClientOtpZeroTapButton;

export type ClientAuthenticationButtons = { type: 'BUTTONS'; buttons: [ClientOtpButton] };

export type ClientAuthenticationComponent =
	ClientAuthenticationBody | ClientAuthenticationFooter | ClientAuthenticationButtons;

export type ClientAuthenticationTemplateCreate = {
	name: string;
	language: string;
	category: 'AUTHENTICATION';
	/** 30 to 900 seconds. */
	message_send_ttl_seconds?: number;
	components: ClientAuthenticationComponent[];
};

/** Any creation body: standard, carousel, limited-time offer, catalog, multi-product, authentication. */
export type ClientTemplateCreate = {
	name: string;
	language: string;
	category: TemplateCategory;
	parameter_format?: TemplateParameterFormat;
	/** Let Meta re-categorise instead of rejecting a mis-categorised template. */
	allow_category_change?: boolean;
	/** Authentication 30-900, utility 30-43 200; marketing 43 200-2 592 000 (Marketing Messages API). */
	message_send_ttl_seconds?: number;
	components: Array<ServerTemplateComponent | ClientAuthenticationComponent>;
};

/** `POST /{template-id}`: what an edit may change (name and language never). */
export type ClientTemplateEdit = {
	components?: ClientTemplateCreate['components'];
	/** Only for REJECTED or PAUSED templates; an APPROVED template keeps its category. */
	category?: TemplateCategory;
	message_send_ttl_seconds?: number;
	parameter_format?: TemplateParameterFormat;
};

export type ServerTemplateEdited = { success: boolean };

/** Answer of a successful creation. */
export type ServerTemplateCreated = {
	id: string;
	status: TemplateStatus;
	category: TemplateCategory;
};

// ── Sends ───────────────────────────────────────────────────────────────────────────────────────

/** Named templates name every text parameter; positional templates never do. */
type Named = { parameter_name?: string };

export type ClientTemplateTextParameter = { type: 'text'; text: string } & Named;

/** `amount_1000` is the amount times 1000 (an integer above 0); `code` is ISO 4217. */
export type ClientTemplateCurrencyParameter = {
	type: 'currency';
	currency: { fallback_value: string; code: string; amount_1000: number };
} & Named;

/** Cloud API always renders `fallback_value`. */
export type ClientTemplateDateTimeParameter = {
	type: 'date_time';
	date_time: { fallback_value: string };
} & Named;

/** Exactly one source: an uploaded media ID or a public https link. */
export type ClientTemplateMediaSource = { id: string; link?: never } | { link: string; id?: never };

export type ClientTemplateImageParameter = { type: 'image'; image: ClientTemplateMediaSource };
export type ClientTemplateVideoParameter = { type: 'video'; video: ClientTemplateMediaSource };
export type ClientTemplateDocumentParameter = {
	type: 'document';
	document: ClientTemplateMediaSource & { filename?: string };
};

export type ClientTemplateLocationParameter = {
	type: 'location';
	location: { latitude: number; longitude: number; name: string; address: string };
};

export type ClientTemplateBodyParameter =
	ClientTemplateTextParameter | ClientTemplateCurrencyParameter | ClientTemplateDateTimeParameter;

export type ClientTemplateHeaderParameter =
	| ClientTemplateBodyParameter
	| ClientTemplateImageParameter
	| ClientTemplateVideoParameter
	| ClientTemplateDocumentParameter
	| ClientTemplateLocationParameter;

export type ClientTemplatePayloadParameter = { type: 'payload'; payload: string };
export type ClientTemplateCouponCodeParameter = { type: 'coupon_code'; coupon_code: string };

/** Flow buttons: the token identifies the session in the reply; data pre-fills the first screen. */
export type ClientTemplateFlowActionParameter = {
	type: 'action';
	action: { flow_token?: string; flow_action_data?: Record<string, unknown> };
};

/** Catalog button: the product whose image heads the message (optional). */
export type ClientTemplateCatalogActionParameter = {
	type: 'action';
	action: { thumbnail_product_retailer_id?: string };
};

/** Title ≤24 characters, required when there is more than one section. */
export type ClientTemplateProductSection = {
	title?: string;
	product_items: { product_retailer_id: string }[];
};

/** Multi-product button: thumbnail plus 1-10 sections, at most 30 products in all. */
export type ClientTemplateMpmActionParameter = {
	type: 'action';
	action: { thumbnail_product_retailer_id: string; sections: ClientTemplateProductSection[] };
};

/** Expiry of a limited-time offer: UNIX time in milliseconds (not seconds), in the future. */
export type ClientTemplateLimitedTimeOfferParameter = {
	type: 'limited_time_offer';
	limited_time_offer: { expiration_time_ms: number };
};

export type ClientTemplateHeaderComponent = {
	type: 'header';
	parameters: ClientTemplateHeaderParameter[];
};

export type ClientTemplateBodyComponent = {
	type: 'body';
	parameters: ClientTemplateBodyParameter[];
};

/** `index`: the button's 0-based position among all the template's buttons, as a string. */
type ButtonBase = { type: 'button'; index: string };

export type ClientTemplateButtonComponent = ButtonBase &
	(
		| { sub_type: 'quick_reply'; parameters: [ClientTemplatePayloadParameter] }
		| { sub_type: 'url'; parameters: [ClientTemplateTextParameter] }
		| { sub_type: 'copy_code'; parameters: [ClientTemplateCouponCodeParameter] }
		| { sub_type: 'flow'; parameters: [ClientTemplateFlowActionParameter] }
		/** Without parameters, the catalog's first product heads the message. */
		| { sub_type: 'catalog'; parameters?: [ClientTemplateCatalogActionParameter] }
		| { sub_type: 'mpm'; parameters: [ClientTemplateMpmActionParameter] }
	);

export type ClientTemplateButtonSubType = ClientTemplateButtonComponent['sub_type'];

export type ClientTemplateLimitedTimeOfferComponent = {
	type: 'limited_time_offer';
	parameters: [ClientTemplateLimitedTimeOfferParameter];
};

/** Card buttons: `index` is the button's position within the card. */
export type ClientTemplateCarouselCardButtonComponent = ButtonBase &
	(
		| { sub_type: 'quick_reply'; parameters: [ClientTemplatePayloadParameter] }
		| { sub_type: 'url'; parameters: [ClientTemplateTextParameter] }
	);

export type ClientTemplateCarouselCardComponent =
	| { type: 'header'; parameters: [ClientTemplateImageParameter | ClientTemplateVideoParameter] }
	| ClientTemplateBodyComponent
	| ClientTemplateCarouselCardButtonComponent;

/** `card_index`: 0-based card number (an integer). Every defined card is sent, in any order. */
export type ClientTemplateCarouselCard = {
	card_index: number;
	components: ClientTemplateCarouselCardComponent[];
};

export type ClientTemplateCarouselComponent = {
	type: 'carousel';
	cards: ClientTemplateCarouselCard[];
};

export type ClientTemplateComponent =
	| ClientTemplateHeaderComponent
	| ClientTemplateLimitedTimeOfferComponent
	| ClientTemplateBodyComponent
	| ClientTemplateCarouselComponent
	| ClientTemplateButtonComponent;

export type ClientTemplateObject = {
	name: string;
	language: { code: string; policy: 'deterministic' };
	/** Header, offer, body, carousel, then buttons by index; absent when nothing is variable. */
	components?: ClientTemplateComponent[];
};

/** The content part of a template send (joins `ClientMessageContent`). */
export type ClientTemplateContent = { type: 'template'; template: ClientTemplateObject };

// ── Marketing Messages API (`POST /{phone-number-id}/marketing_messages`) ──────────────────────

/**
 * Extra envelope fields of the Marketing Messages API (MARKETING templates only).
 * `CLOUD_API_FALLBACK` lets Meta send through Cloud API when the business is not onboarded;
 * `STRICT` never does.
 */
export type ClientMarketingMessagesOptions = {
	message_activity_sharing?: boolean;
	product_policy?: 'CLOUD_API_FALLBACK' | 'STRICT';
};

/** `GET /{waba-id}?fields=marketing_messages_onboarding_status`. */
export type ServerMarketingMessagesOnboardingStatus =
	| 'INELIGIBLE_ON_BEHALF_OF_WABA'
	| 'INELIGIBLE_INACTIVE_OR_RESTRICTED'
	| 'INELIGIBLE_COUNTRY_NOT_SUPPORTED'
	| 'INELIGIBLE_USING_WHATSAPP_BUSINESS_APP'
	| 'ELIGIBLE'
	| 'PENDING_VALID_PAYMENT_METHOD'
	| 'PENDING_INTERNAL_SETUP'
	| 'ONBOARDED';
