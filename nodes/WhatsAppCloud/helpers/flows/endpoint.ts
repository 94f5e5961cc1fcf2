/**
 * One Flow endpoint request, decided without n8n: refuse it (status for Meta's client, nothing
 * secret in the answer), answer it at once (health check, error notice), or hand the workflow one
 * item whose sealed context lets Flow → Respond answer it later.
 */
import type { KeyObject } from 'crypto';

import { verifySignature } from '../webhook/signature';
import { newRequestId, sealFlowContext } from './context';
import type { FlowRequestFailure } from './crypto';
import {
	attempt,
	decryptFlowRequest,
	encryptFlowResponse,
	FlowRequestError,
	parseEncryptedFlowBody,
} from './crypto';
import { acknowledgeAnswer, errorNotice, pingAnswer } from './responses';
import type { FlowData, FlowErrorNotice, FlowUserRequest } from './types';
import { FLOW_STATUS } from './types';

/** The item a Flow request starts the workflow with. */
export interface FlowTriggerItem {
	action: FlowUserRequest['action'];
	/** The screen the request came from; null on INIT (and when the client sent ""). */
	screen: string | null;
	data: FlowData;
	/** null when the client sent none (some iOS clients). */
	flowToken: string | null;
	version: string;
	/** From the trigger's Flow ID parameter: the request itself does not name its Flow. */
	flowId: string | null;
	flowTokenSignature?: string;
	/** Set when the client reports an error the endpoint caused earlier. */
	errorNotice?: FlowErrorNotice;
	/** True when the trigger already answered (error notices are acknowledged at once). */
	acknowledged: boolean;
	receivedAt: string;
	/** Opaque: Flow → Respond opens it with the same credential to answer this request. */
	flowContext: string;
}

export type SignaturePolicy = 'required' | 'ifPresent';

export interface FlowEndpointInput {
	rawBody: Buffer;
	signatureHeader: unknown;
	appSecret: string;
	signaturePolicy: SignaturePolicy;
	privateKey: KeyObject;
	flowId?: string;
	now: number;
}

export type FlowRejection = FlowRequestFailure | 'signature';

/** A decided request: `body` is already the encrypted base64 answer where there is one. */
export type FlowEndpointOutcome =
	| { kind: 'reject'; statusCode: number; reason: FlowRejection; message: string }
	| { kind: 'answer'; statusCode: number; body: string; answered: 'ping' }
	| { kind: 'run'; item: FlowTriggerItem; immediate?: { statusCode: number; body: string } };

export function handleFlowEndpointRequest(input: FlowEndpointInput): FlowEndpointOutcome {
	const hasSignature =
		input.signatureHeader !== undefined &&
		input.signatureHeader !== null &&
		input.signatureHeader !== '';
	if (hasSignature || input.signaturePolicy === 'required') {
		const signature = verifySignature(input.rawBody, input.signatureHeader, input.appSecret);
		if (!signature.valid) {
			return {
				kind: 'reject',
				statusCode: FLOW_STATUS.signatureFailed,
				reason: 'signature',
				message: `X-Hub-Signature-256 ${signature.reason === 'missing' ? 'is missing' : signature.reason === 'no-secret' ? 'cannot be checked without an App Secret' : 'does not match the body'}`,
			};
		}
	}
	const decrypted = attempt(() =>
		decryptFlowRequest(parseEncryptedFlowBody(input.rawBody), input.privateKey),
	);
	if (!decrypted.ok) {
		const { error } = decrypted;
		if (!(error instanceof FlowRequestError)) throw error;
		return {
			kind: 'reject',
			statusCode: error.statusCode,
			reason: error.reason,
			message: error.message,
		};
	}
	const { request, aesKey, iv } = decrypted.value;
	if (request.action === 'ping') {
		const answer = pingAnswer();
		return {
			kind: 'answer',
			statusCode: answer.statusCode,
			body: encryptFlowResponse(answer.body, aesKey, iv),
			answered: 'ping',
		};
	}
	const notice = errorNotice(request);
	const screen =
		typeof request.screen === 'string' && request.screen !== '' ? request.screen : undefined;
	const flowToken = typeof request.flow_token === 'string' ? request.flow_token : undefined;
	const flowContext = sealFlowContext(
		{
			aesKey,
			iv,
			version: request.version,
			action: request.action,
			flowToken,
			screen,
			receivedAt: input.now,
			requestId: newRequestId(),
			answered: notice !== undefined,
		},
		input.privateKey,
	);
	const item: FlowTriggerItem = {
		action: request.action,
		screen: screen ?? null,
		data: request.data ?? {},
		flowToken: flowToken ?? null,
		version: request.version,
		flowId: input.flowId ? input.flowId : null,
		...(request.action === 'data_exchange' && typeof request.flow_token_signature === 'string'
			? { flowTokenSignature: request.flow_token_signature }
			: {}),
		...(notice ? { errorNotice: notice } : {}),
		acknowledged: notice !== undefined,
		receivedAt: new Date(input.now).toISOString(),
		flowContext,
	};
	if (!notice) return { kind: 'run', item };
	const answer = acknowledgeAnswer();
	return {
		kind: 'run',
		item,
		immediate: {
			statusCode: answer.statusCode,
			body: encryptFlowResponse(answer.body, aesKey, iv),
		},
	};
}
