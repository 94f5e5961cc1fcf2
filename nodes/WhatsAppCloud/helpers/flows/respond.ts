/**
 * Flow → Respond without n8n: from the trigger's sealed context and what the workflow wants to
 * show, the exact HTTP answer (status, headers, encrypted body) for the waiting endpoint request.
 */
import type { KeyObject } from 'crypto';

import { PayloadError } from '../errors';
import { openFlowContext } from './context';
import { encryptFlowResponse } from './crypto';
import { closeFlow, nextScreen, screenWithError, tokenNoLongerValid } from './responses';
import type { FlowAnswer } from './types';

/**
 * Meta's client gives up after about 10 seconds (fact sheet 2 §5.2, [U]; a BSP proxy allows 15).
 * An answer prepared later is still sent, and reported as late.
 */
export const META_ENDPOINT_TIMEOUT_MS = 10_000;

export type FlowRespondWith = 'nextScreen' | 'errorMessage' | 'closeFlow' | 'tokenInvalid';

export type FlowRespondInput =
	| { respondWith: 'nextScreen'; screen: unknown; data?: unknown }
	/** `screen` defaults to the screen the request came from. */
	| { respondWith: 'errorMessage'; errorMessage: unknown; screen?: unknown; data?: unknown }
	| { respondWith: 'closeFlow'; params?: unknown }
	| { respondWith: 'tokenInvalid'; errorMessage: unknown };

/** What the Respond operation outputs: never the key, the IV or the ciphertext. */
export interface FlowResponseSummary {
	responded: boolean;
	response: FlowAnswer['kind'] | 'none';
	statusCode?: number;
	screen?: string;
	action: string;
	flowToken?: string;
	requestId: string;
	/** Time from the trigger receiving the request to this answer. */
	elapsedMs: number;
	/** Later than Meta's client waits: the customer already saw an error. */
	late: boolean;
	reason?: string;
}

export interface FlowHttpResponse {
	statusCode: number;
	headers: { 'content-type': string };
	/** Base64 of the encrypted JSON, as Meta's client reads it. */
	body: string;
}

export type PreparedFlowResponse =
	| { kind: 'send'; http: FlowHttpResponse; answer: FlowAnswer; summary: FlowResponseSummary }
	| { kind: 'alreadyAnswered'; summary: FlowResponseSummary };

function answerFor(input: FlowRespondInput, screen?: string, flowToken?: string): FlowAnswer {
	switch (input.respondWith) {
		case 'nextScreen':
			return nextScreen(input.screen, input.data);
		case 'errorMessage': {
			const target =
				input.screen === undefined || input.screen === null || input.screen === ''
					? screen
					: input.screen;
			if (target === undefined || target === '') {
				throw new PayloadError(
					'Screen is required: this request came from no screen (INIT), so say which screen shows the error',
					{ field: 'Screen', limit: 'a screen of the Flow JSON', actual: 'empty' },
				);
			}
			return screenWithError(target, input.errorMessage, input.data);
		}
		case 'closeFlow':
			return closeFlow(flowToken, input.params);
		case 'tokenInvalid':
			return tokenNoLongerValid(input.errorMessage);
	}
}

/**
 * Opens the sealed context (a FlowContextError if it is not this credential's), builds and checks
 * the answer (a PayloadError naming the field) and encrypts it. A request the trigger already
 * answered (an acknowledged error notice) yields `alreadyAnswered` and nothing to send.
 */
export function prepareFlowResponse(
	sealedContext: unknown,
	privateKey: KeyObject,
	input: FlowRespondInput,
	now: number,
): PreparedFlowResponse {
	const context = openFlowContext(sealedContext, privateKey);
	const elapsedMs = Math.max(0, now - context.receivedAt);
	const base = {
		action: context.action,
		...(context.flowToken !== undefined ? { flowToken: context.flowToken } : {}),
		requestId: context.requestId,
		elapsedMs,
		late: elapsedMs > META_ENDPOINT_TIMEOUT_MS,
	};
	if (context.answered) {
		return {
			kind: 'alreadyAnswered',
			summary: {
				...base,
				responded: false,
				response: 'none',
				reason: 'The trigger already acknowledged this error notification',
			},
		};
	}
	const answer = answerFor(input, context.screen, context.flowToken);
	return {
		kind: 'send',
		answer,
		http: {
			statusCode: answer.statusCode,
			headers: { 'content-type': 'text/plain' },
			body: encryptFlowResponse(answer.body, context.aesKey, context.iv),
		},
		summary: {
			...base,
			responded: true,
			response: answer.kind,
			statusCode: answer.statusCode,
			...('screen' in answer.body ? { screen: answer.body.screen } : {}),
		},
	};
}
