/**
 * Calling messages inside the customer service window: the call permission request and the voice
 * call button. Calling must be enabled on the number (`POST /{phone-number-id}/settings`).
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/
 */
import { INTERACTIVE_BODY_MAX } from '../limits';
import type {
	ClientInteractiveCallPermissionRequest,
	ClientInteractiveVoiceCall,
	ClientVoiceCallParameters,
} from '../types/client';
import { integerInRange, optionalText, requiredObject, requiredText } from '../check';

/** `parameters.display_text`, the button label (Meta's default "Call Now"). */
export const VOICE_CALL_DISPLAY_TEXT_MAX = 20;

/** `parameters.ttl_minutes`: how long the button stays usable (Meta's default 10,080 = 7 days). */
export const VOICE_CALL_TTL_MINUTES_MIN = 1;
export const VOICE_CALL_TTL_MINUTES_MAX = 43_200;

/** `parameters.payload`, returned as `cta_payload` in the call's webhooks. */
export const VOICE_CALL_PAYLOAD_MAX = 512;

export type CallPermissionRequestInput = { body: string };

export type VoiceCallInput = {
	body: string;
	displayText?: string;
	ttlMinutes?: number | string;
	payload?: string;
};

export type CallPermissionRequestContent = {
	type: 'interactive';
	interactive: ClientInteractiveCallPermissionRequest;
};
export type VoiceCallContent = { type: 'interactive'; interactive: ClientInteractiveVoiceCall };

/** Only the body is editable; the buttons and the rest are Meta's. */
export function buildCallPermissionRequestContent(
	input: CallPermissionRequestInput,
): CallPermissionRequestContent {
	const fields = requiredObject('callPermissionRequest', input);
	return {
		type: 'interactive',
		interactive: {
			type: 'call_permission_request',
			body: { text: requiredText('body', fields.body, INTERACTIVE_BODY_MAX) },
			action: { name: 'call_permission_request' },
		},
	};
}

/** A "Call Now" button; every parameter is optional and left to Meta's default when empty. */
export function buildVoiceCallContent(input: VoiceCallInput): VoiceCallContent {
	const fields = requiredObject('voiceCall', input);
	const parameters: ClientVoiceCallParameters = {};
	const displayText = optionalText('displayText', fields.displayText, VOICE_CALL_DISPLAY_TEXT_MAX);
	if (displayText !== undefined) parameters.display_text = displayText;
	if (
		fields.ttlMinutes !== undefined &&
		fields.ttlMinutes !== null &&
		!(typeof fields.ttlMinutes === 'string' && fields.ttlMinutes.trim() === '')
	) {
		parameters.ttl_minutes = integerInRange(
			'ttlMinutes',
			fields.ttlMinutes,
			VOICE_CALL_TTL_MINUTES_MIN,
			VOICE_CALL_TTL_MINUTES_MAX,
		);
	}
	const payload = optionalText('payload', fields.payload, VOICE_CALL_PAYLOAD_MAX);
	if (payload !== undefined) parameters.payload = payload;
	return {
		type: 'interactive',
		interactive: {
			type: 'voice_call',
			body: { text: requiredText('body', fields.body, INTERACTIVE_BODY_MAX) },
			action: {
				name: 'voice_call',
				...(Object.keys(parameters).length ? { parameters } : {}),
			},
		},
	};
}
