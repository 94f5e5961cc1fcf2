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

/** Authentication one-time password button; Graph reports it as URL once created. */
export type ServerOtpButton = {
	type: 'OTP';
	otp_type: 'COPY_CODE' | 'ONE_TAP' | 'ZERO_TAP';
	text?: string;
	url?: string;
	autofill_text?: string;
	package_name?: string;
	signature_hash?: string;
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
	| ServerMpmButton;

export type ServerTemplateButtonType = ServerTemplateButton['type'];

export type ServerButtonsComponent = { type: 'BUTTONS'; buttons: ServerTemplateButton[] };

export type ServerTemplateComponent =
	ServerHeaderComponent | ServerBodyComponent | ServerFooterComponent | ServerButtonsComponent;

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
};

/** One page of `GET /{waba-id}/message_templates`. */
export type ServerTemplatePage = {
	data: ServerTemplate[];
	paging?: { cursors?: { before?: string; after?: string }; next?: string; previous?: string };
};

// ── Definitions, as `POST /{waba-id}/message_templates` takes them ──────────────────────────────

export type ClientTemplateCreate = {
	name: string;
	language: string;
	category: TemplateCategory;
	parameter_format?: TemplateParameterFormat;
	/** Let Meta re-categorise instead of rejecting a mis-categorised template. */
	allow_category_change?: boolean;
	components: ServerTemplateComponent[];
};

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

/** Catalog and multi-product buttons: the product whose image heads the message (+ MPM sections). */
export type ClientTemplateProductActionParameter = {
	type: 'action';
	action: { thumbnail_product_retailer_id: string; sections?: Record<string, unknown>[] };
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
		| { sub_type: 'catalog'; parameters: [ClientTemplateProductActionParameter] }
		| { sub_type: 'mpm'; parameters: [ClientTemplateProductActionParameter] }
	);

export type ClientTemplateButtonSubType = ClientTemplateButtonComponent['sub_type'];

export type ClientTemplateComponent =
	ClientTemplateHeaderComponent | ClientTemplateBodyComponent | ClientTemplateButtonComponent;

export type ClientTemplateObject = {
	name: string;
	language: { code: string; policy: 'deterministic' };
	/** Header, body, then buttons by index; absent when the template has no variables. */
	components?: ClientTemplateComponent[];
};

/** The content part of a template send (joins `ClientMessageContent`). */
export type ClientTemplateContent = { type: 'template'; template: ClientTemplateObject };
