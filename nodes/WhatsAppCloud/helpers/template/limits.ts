/**
 * Meta's template limits, sending and creating (https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components).
 * Character counts are UTF-16 code units (see `text.ts`). Where sources disagree, the stricter one.
 */

/** Named parameter names: lowercase letters and underscores, 1-20 (whatsapp-api-js; Meta's examples). */
export const NAMED_PARAMETER = /^[a-z_]{1,20}$/;

/** Template names: lowercase letters, digits, underscores, at most 512 (Meta: Template components). */
export const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;

/** Language codes as Meta lists them: `en`, `en_US`, `zh_CN`, `es_MX`, … */
export const TEMPLATE_LANGUAGE = /^[a-z]{2,3}(_[A-Za-z]{2,4})?$/;

// ── Sending ─────────────────────────────────────────────────────────────────────────────────────

/** a header text parameter. */
export const HEADER_TEXT_PARAMETER_MAX = 60;

/** a body text parameter when the template has other components than the body. */
export const BODY_TEXT_PARAMETER_MAX = 1024;

/** a body text parameter when the body is the template's only component. */
export const BODY_ONLY_TEXT_PARAMETER_MAX = 32768;

/**
 * Meta answers 132018 (earlier 100/131009) "Param text cannot have new-line/tab characters or more
 * than 4 consecutive spaces" for text parameters.
 */
export const MAX_CONSECUTIVE_SPACES = 4;

/** Quick-reply payloads: 256 in the only source that gives a figure (tyntec) [U]. */
export const QUICK_REPLY_PAYLOAD_MAX = 256;

/**
 * Coupon codes: 15 characters (Meta's coupon template page via 360dialog; the emulator's figure);
 * Meta's send reference says alphanumeric only.
 */
export const COUPON_CODE_MAX = 15;
export const COUPON_CODE_PATTERN = /^[A-Za-z0-9]+$/;

/** A URL button's whole URL (prefix + suffix): 2000 characters (Meta: Template components). */
export const BUTTON_URL_MAX = 2000;

/** A carousel card's body text parameter: the card body's own cap (Meta: Media card carousel templates). */
export const CARD_BODY_TEXT_PARAMETER_MAX = 160;

/** An authentication template's one-time password: 15 characters (Meta: Authentication templates). */
export const ONE_TIME_PASSWORD_MAX = 15;

/**
 * Limited-time offers expire at `expiration_time_ms`, UNIX milliseconds (Meta: Limited-time offer
 * templates). Anything below 10^12 (September 2001 in ms) is taken for seconds and refused.
 */
export const EPOCH_MS_MIN = 1_000_000_000_000;

/** Multi-product messages: 1-10 sections, 30 products in all, titles ≤24 (Meta: Multi-product message templates). */
export const MPM_SECTIONS_MAX = 10;
export const MPM_PRODUCTS_MAX = 30;
export const MPM_SECTION_TITLE_MAX = 24;

// ── Creating ────────────────────────────────────────────────────────────────────────────────────

export const HEADER_TEXT_MAX = 60;
export const HEADER_VARIABLES_MAX = 1;
export const BODY_TEXT_MAX = 1024;
export const FOOTER_TEXT_MAX = 60;
export const BUTTONS_MAX = 10;
export const BUTTON_TEXT_MAX = 25;
export const PHONE_NUMBER_MAX = 20;

/** Per-type caps of a template's buttons (Meta: Template components; Gupshup's copy). */
export const BUTTON_TYPE_MAX: Readonly<Record<string, number>> = {
	QUICK_REPLY: 10,
	URL: 2,
	PHONE_NUMBER: 1,
	COPY_CODE: 1,
	FLOW: 1,
	OTP: 1,
	CATALOG: 1,
	MPM: 1,
	/** Starts a WhatsApp call to the business (Calling API); one per template. */
	VOICE_CALL: 1,
};

/** Authentication templates: "This code expires in N minutes", N from 1 to 90. */
export const CODE_EXPIRATION_MINUTES_MAX = 90;

/**
 * Carousels (Meta: Media card carousel templates): 2-10 cards of the same shape, each an image or
 * video header, an optional body of up to 160 characters and 1-2 buttons (quick reply, URL, phone).
 */
export const CAROUSEL_CARDS_MIN = 2;
export const CAROUSEL_CARDS_MAX = 10;
export const CARD_BODY_MAX = 160;
export const CARD_BUTTONS_MAX = 2;
export const CARD_BUTTON_TYPES: readonly string[] = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER'];

/** Limited-time offers (Meta: Limited-time offer templates): offer text ≤16, body ≤600. */
export const OFFER_TEXT_MAX = 16;
export const OFFER_BODY_MAX = 600;

/** One-tap and zero-tap buttons: 1-5 Android apps (Meta: Authentication templates). */
export const SUPPORTED_APPS_MAX = 5;
export const PACKAGE_NAME_MAX = 224;
export const SIGNATURE_HASH_LENGTH = 11;
export const ANDROID_PACKAGE_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;
export const SIGNATURE_HASH = /^[A-Za-z0-9+/=]{11}$/;

/**
 * `message_send_ttl_seconds` per category (Meta: Time-to-live): authentication 30-900, utility
 * 30-43 200; marketing 43 200-2 592 000, honoured by the Marketing Messages API only.
 */
export const TTL_SECONDS: Readonly<Record<string, { min: number; max: number }>> = {
	AUTHENTICATION: { min: 30, max: 900 },
	UTILITY: { min: 30, max: 43_200 },
	MARKETING: { min: 43_200, max: 2_592_000 },
};

// ── Editing ─────────────────────────────────────────────────────────────────────────────────────

/** Meta: edit a message template. Approved: 1 edit per 24 hours, 10 per 30 days; others unlimited. */
export const EDITABLE_STATUSES = ['APPROVED', 'REJECTED', 'PAUSED'] as const;
export const EDITS_PER_DAY = 1;
export const EDITS_PER_30_DAYS = 10;
