/**
 * Meta's limits for outbound message content:
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 * Character counts are UTF-16 code units (see `text.ts`). Where Meta's documentation is unclear,
 * the stricter reading is used and the constant says so. Media types and sizes live in `media.ts`.
 */

/** `text.body`. */
export const TEXT_BODY_MAX = 4096;

/** `caption` on image, video and document. */
export const MEDIA_CAPTION_MAX = 1024;

/** `biz_opaque_callback_data` (raised from 256 to 512). */
export const CALLBACK_DATA_MAX = 512;

/** `interactive.header.text`. */
export const INTERACTIVE_HEADER_TEXT_MAX = 60;

/** `interactive.body.text`. */
export const INTERACTIVE_BODY_MAX = 1024;

/** `interactive.footer.text`. */
export const INTERACTIVE_FOOTER_MAX = 60;

/** reply buttons per message. */
export const REPLY_BUTTONS_MIN = 1;
export const REPLY_BUTTONS_MAX = 3;

/** `reply.title` (unique per message). */
export const REPLY_BUTTON_TITLE_MAX = 20;

/** `reply.id` (unique, no leading/trailing spaces). */
export const REPLY_BUTTON_ID_MAX = 256;

/** `action.button`, the label that opens a list. */
export const LIST_BUTTON_LABEL_MAX = 20;

/** sections per list. */
export const LIST_SECTIONS_MAX = 10;

/** rows across all sections together (pywa's reading; whatsapp-api-js allows 10 per section — the stricter one wins). */
export const LIST_ROWS_TOTAL_MAX = 10;

/** `sections[].title`, required when there is more than one section. */
export const LIST_SECTION_TITLE_MAX = 24;

/** `rows[].title`. */
export const LIST_ROW_TITLE_MAX = 24;

/** `rows[].description`. */
export const LIST_ROW_DESCRIPTION_MAX = 72;

/** `rows[].id`. */
export const LIST_ROW_ID_MAX = 200;

/** Uncertain: `cta_url` `display_text` — 20 is the only figure given; treated as a hard limit. */
export const CTA_DISPLAY_TEXT_MAX = 20;

/** `flow_cta`, 1-20 characters without emoji. */
export const FLOW_CTA_MAX = 20;

/** the only flow message version Meta documents. */
export const FLOW_MESSAGE_VERSION = '3';

/**
 * Meta's documented default when no flow token is given. Older API versions required the field, so
 * we always send it (the safe side).
 */
export const FLOW_TOKEN_DEFAULT = 'unused';

/** contacts per message (Meta recommends far fewer). */
export const CONTACTS_MIN = 1;
export const CONTACTS_MAX = 257;

/** WGS84 coordinate ranges. */
export const LATITUDE_MIN = -90;
export const LATITUDE_MAX = 90;
export const LONGITUDE_MIN = -180;
export const LONGITUDE_MAX = 180;

/** a reaction is exactly one emoji; the empty string removes an earlier reaction. */
export const REACTION_EMOJI_COUNT = 1;
