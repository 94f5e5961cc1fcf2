/**
 * WhatsApp Flows data-exchange endpoint: what the WhatsApp client POSTs and what it accepts back
 * (fact sheet 2 §5.1–5.2; https://developers.facebook.com/docs/whatsapp/flows/guides/implementingyourflowendpoint).
 */

/** A JSON object as Flow screens exchange it. */
export type FlowData = Record<string, unknown>;

/** The HTTP body of every endpoint request, all three base64. */
export interface EncryptedFlowRequest {
	/** AES-128-GCM ciphertext of the JSON request, followed by the 16-byte tag. */
	encrypted_flow_data: string;
	/** The per-request AES key, RSA-OAEP (SHA-256) encrypted with the business public key. */
	encrypted_aes_key: string;
	initial_vector: string;
}

/** Meta's health check; answered `{ data: { status: 'active' } }`. */
export interface FlowPingRequest {
	action: 'ping';
	version: string;
}

/** The Flow opened with `flow_action: data_exchange`: the endpoint chooses the first screen. */
export interface FlowInitRequest {
	action: 'INIT';
	version: string;
	/** Missing on some iOS clients. */
	flow_token?: string;
	screen?: string;
	data?: FlowData;
}

/** Back pressed on a screen with `refresh_on_back: true`. */
export interface FlowBackRequest {
	action: 'BACK';
	version: string;
	flow_token?: string;
	screen?: string;
	data?: FlowData;
}

/** A `data_exchange` action on a screen: its payload, to be answered with the next screen. */
export interface FlowDataExchangeRequest {
	action: 'data_exchange';
	version: string;
	flow_token?: string;
	screen?: string;
	data?: FlowData;
	/** Only with Flow JSON ≥ 7.3 and data_api_version ≥ 4.0; passed on, not verified. */
	flow_token_signature?: string;
}

/** A `navigate` action whose screen is missing from the routing model; carries an error notice. */
export interface FlowNavigateRequest {
	action: 'navigate';
	version: string;
	flow_token?: string;
	screen?: string;
	data?: FlowData;
}

/** A decrypted endpoint request, discriminated on `action`. */
export type FlowRequest =
	| FlowPingRequest
	| FlowInitRequest
	| FlowBackRequest
	| FlowDataExchangeRequest
	| FlowNavigateRequest;

export type FlowAction = FlowRequest['action'];

export const FLOW_ACTIONS: readonly FlowAction[] = [
	'ping',
	'INIT',
	'BACK',
	'data_exchange',
	'navigate',
];

/** Every request but the health check: what the trigger hands to a workflow. */
export type FlowUserRequest = Exclude<FlowRequest, FlowPingRequest>;

/**
 * The client reporting an error the endpoint caused earlier (e.g. data that did not fit a screen):
 * `data: { error, error_message }` on an INIT, BACK or data_exchange request.
 */
export interface FlowErrorNotice {
	error: string;
	errorMessage?: string;
}

/** Next screen (with `data.error_message` the client shows a snackbar on it). */
export interface FlowScreenResponse {
	screen: string;
	data: FlowData;
}

/** Completes the Flow: the client closes it and sends `params` as the `nfm_reply` message. */
export interface FlowCloseResponse {
	screen: 'SUCCESS';
	data: {
		extension_message_response: {
			params: FlowData & { flow_token: string };
		};
	};
}

export interface FlowPingResponse {
	data: { status: 'active' };
}

export interface FlowAcknowledgeResponse {
	data: { acknowledged: true };
}

/** Sent with HTTP 427: the client closes the Flow, shows the message and disables its button. */
export interface FlowTokenInvalidResponse {
	error_msg: string;
}

/** Every plaintext body the endpoint may encrypt back. */
export type FlowResponseBody =
	| FlowScreenResponse
	| FlowCloseResponse
	| FlowPingResponse
	| FlowAcknowledgeResponse
	| FlowTokenInvalidResponse;

/** A response before encryption: the HTTP status Meta expects with it, and the body. */
export type FlowAnswer =
	| { kind: 'screen'; statusCode: 200; body: FlowScreenResponse }
	| { kind: 'close'; statusCode: 200; body: FlowCloseResponse }
	| { kind: 'ping'; statusCode: 200; body: FlowPingResponse }
	| { kind: 'acknowledge'; statusCode: 200; body: FlowAcknowledgeResponse }
	| { kind: 'tokenInvalid'; statusCode: 427; body: FlowTokenInvalidResponse };

/** HTTP statuses of the endpoint protocol (fact sheet 2 §5.1). */
export const FLOW_STATUS = {
	ok: 200,
	/** Malformed body: not Meta's protocol at all (no dedicated code; the client treats it as an error). */
	badRequest: 400,
	/** The request cannot be decrypted: the client re-fetches the business public key and retries. */
	decryptionFailed: 421,
	/** Flow token no longer valid (encrypted `{ error_msg }`). */
	tokenInvalid: 427,
	/** X-Hub-Signature-256 missing or wrong. */
	signatureFailed: 432,
	/** Anything else, e.g. a workflow that failed or ended without answering. */
	serverError: 500,
} as const;
