/**
 * Campaign keys: "send each recipient at most once for this key". The entry recorded for a message
 * Meta accepted names the key, the sender number and the recipient (n8n stores a hash of it).
 */

/** Entries n8n keeps for one node, over all its campaign keys; the oldest leave first. */
export const CAMPAIGN_MAX_ENTRIES = 100_000;

/** Items built and checked against the record together: one database round trip per batch. */
export const CAMPAIGN_CHECK_BATCH = 100;

/** The longest campaign key accepted (it is part of every entry). */
export const CAMPAIGN_KEY_MAX_LENGTH = 200;

export function campaignEntry(key: string, phoneNumberId: string, recipient: string): string {
	return `wa-campaign\u0000${key}\u0000${phoneNumberId}\u0000${recipient}`;
}

/** What a message is addressed to: the phone number (digits) or the business-scoped user ID. */
export function campaignRecipient(payload: { to?: unknown; recipient?: unknown }): string {
	return String(payload.to ?? payload.recipient ?? '');
}
