/**
 * Marketing Messages API for WhatsApp (ex "MM Lite"):
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/marketing-messages/onboarding
 * and https://developers.facebook.com/docs/whatsapp/marketing-messages-lite-api/support (error codes).
 * `POST /{phone-number-id}/marketing_messages` takes the /messages envelope for MARKETING templates
 * only, plus `message_activity_sharing` and `product_policy`. Numbers whose business has not
 * accepted the MM API terms are refused, or served by Cloud API with `CLOUD_API_FALLBACK`.
 */
import { GraphError, badParam } from '../errors';
import type { Template } from '../seed';
import { isObj } from './templateParts';

export interface MarketingMessagesSettings {
	/** Phone number IDs whose business accepted the MM API terms (onboarded). */
	onboardedNumbers: string[];
	/** Answered on /marketing_messages for a number that is not onboarded, without fallback. */
	notOnboardedCode: number;
	/** Answered on /marketing_messages for a template that is not MARKETING. */
	nonMarketingCode: number;
	/** `disable_marketing_messages_on_cloud_api`: MARKETING templates on /messages → 131063. */
	disableMarketingOnCloudApi: boolean;
}

/**
 * [U] Meta's codes for these two refusals are not in the sources read: 131055 is what 360dialog's
 * sandbox answered for terms not accepted; 134100 is the v23+ row of Meta's MM API error table for
 * utility/authentication templates. Both are settings, so tests can follow Meta if it differs.
 */
export const DEFAULT_MARKETING_MESSAGES: MarketingMessagesSettings = {
	// The third seed number (Emulator Support) is left not onboarded.
	onboardedNumbers: ['106540352242922', '106540352242923'],
	notOnboardedCode: 131055,
	nonMarketingCode: 134100,
	disableMarketingOnCloudApi: false,
};

export const PRODUCT_POLICIES = ['CLOUD_API_FALLBACK', 'STRICT'] as const;
export type ProductPolicy = (typeof PRODUCT_POLICIES)[number];

export interface MarketingSend {
	/** The body without the MM-only fields: a /messages body. */
	cloudBody: unknown;
	/** [U] Meta does not document the default; STRICT (never fall back) is the safe side. */
	productPolicy: ProductPolicy;
	activitySharing?: boolean;
}

/** Checks and removes the fields only this endpoint knows; only template sends are accepted. */
export function splitMarketingBody(body: unknown): MarketingSend {
	if (!isObj(body)) return { cloudBody: body, productPolicy: 'STRICT' };
	const { message_activity_sharing: sharing, product_policy: policy, ...rest } = body;
	if (sharing !== undefined && typeof sharing !== 'boolean')
		throw badParam('Param message_activity_sharing must be a boolean.');
	if (policy !== undefined && !PRODUCT_POLICIES.includes(policy as ProductPolicy))
		throw badParam('Param product_policy must be CLOUD_API_FALLBACK or STRICT.');
	// Meta's MM API support page: non-template sends answer 100 "Message must be a template message."
	if (rest.status !== undefined || rest.type !== 'template')
		throw badParam('Message must be a template message.');
	return {
		cloudBody: rest,
		productPolicy: (policy as ProductPolicy | undefined) ?? 'STRICT',
		...(sharing !== undefined ? { activitySharing: sharing as boolean } : {}),
	};
}

export type MarketingServedBy = 'marketing_messages' | 'cloud_api';

/** Which API serves an accepted send, or Meta's refusal. */
export function marketingRoute(
	template: Template | undefined,
	phoneNumberId: string,
	send: MarketingSend,
	s: MarketingMessagesSettings,
): MarketingServedBy {
	if (template?.category !== 'MARKETING')
		throw new GraphError(
			s.nonMarketingCode,
			`Only MARKETING templates can be sent with the Marketing Messages API; ${template?.name ?? 'this template'} is ${template?.category ?? 'not a template'}. Send it with /messages.`,
		);
	if (s.onboardedNumbers.includes(phoneNumberId)) return 'marketing_messages';
	if (send.productPolicy === 'CLOUD_API_FALLBACK') return 'cloud_api';
	throw new GraphError(
		s.notOnboardedCode,
		'You must accept the Marketing Messages API for WhatsApp terms of service to use this API: onboard the business in WhatsApp Manager (or Embedded Signup), or send with product_policy CLOUD_API_FALLBACK.',
	);
}

/** /messages: MARKETING templates are refused when marketing on Cloud API is turned off. */
export function checkCloudApiMarketing(
	template: Template | undefined,
	s: MarketingMessagesSettings,
) {
	if (s.disableMarketingOnCloudApi && template?.category === 'MARKETING')
		throw new GraphError(
			131063,
			'Marketing templates are disabled on Cloud API for this account; send them with the Marketing Messages API.',
		);
}

/** `GET /{waba-id}?fields=marketing_messages_onboarding_status` (and the older lite field). */
export function onboardingFields(fields: string | null, s: MarketingMessagesSettings) {
	const asked = (fields ?? '').split(',').map((f) => f.trim());
	const onboarded = s.onboardedNumbers.length > 0;
	const out: Record<string, string> = {};
	if (asked.includes('marketing_messages_onboarding_status'))
		out.marketing_messages_onboarding_status = onboarded ? 'ONBOARDED' : 'ELIGIBLE';
	if (asked.includes('marketing_messages_lite_api_status'))
		out.marketing_messages_lite_api_status = onboarded ? 'ONBOARDED' : 'ELIGIBLE';
	return out;
}
