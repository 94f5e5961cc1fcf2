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
};

/** Authentication templates: "This code expires in N minutes", N from 1 to 90. */
export const CODE_EXPIRATION_MINUTES_MAX = 90;
