/**
 * The plaintext answers of a Flow endpoint (fact sheet 2 §5.2), checked before they are encrypted:
 * a PayloadError names the field, so a workflow learns what is wrong before the customer does.
 */
import { PayloadError, quoteInput } from '../errors';
import { describeType, isPlainObject, requiredText } from '../check';
import type { FlowAnswer, FlowData, FlowErrorNotice, FlowUserRequest } from './types';
import { FLOW_STATUS } from './types';

/** The screen name the client reads as "close the Flow". */
export const SUCCESS_SCREEN = 'SUCCESS';

/** Generous: Meta states no limit, and screen IDs in Flow JSON are short identifiers. */
const MAX_SCREEN_ID = 200;
const MAX_MESSAGE = 4096;

function screenId(field: string, value: unknown): string {
	const screen = requiredText(field, value, MAX_SCREEN_ID).trim();
	if (/\s/.test(screen)) {
		throw new PayloadError(
			`${field} must be a screen ID without spaces; it is ${quoteInput(screen)}`,
			{
				field,
				limit: 'a screen ID from the Flow JSON, no spaces',
				actual: 'contains spaces',
			},
		);
	}
	if (screen === SUCCESS_SCREEN) {
		throw new PayloadError(
			`${field} is SUCCESS, which closes the Flow: use the Close Flow response instead`,
			{ field, limit: 'a screen of the Flow JSON', actual: SUCCESS_SCREEN },
		);
	}
	return screen;
}

function dataObject(field: string, value: unknown): FlowData {
	if (value === undefined || value === null) return {};
	if (isPlainObject(value)) return value;
	throw new PayloadError(`${field} must be a JSON object; it is ${describeType(value)}`, {
		field,
		limit: 'a JSON object',
		actual: describeType(value),
	});
}

/** Shows `screen` with `data` (the screen's declared data fields). */
export function nextScreen(screen: unknown, data?: unknown): FlowAnswer {
	return {
		kind: 'screen',
		statusCode: FLOW_STATUS.ok,
		body: { screen: screenId('Screen', screen), data: dataObject('Data', data) },
	};
}

/** Shows `screen` again (or another) with a snackbar carrying `message`. */
export function screenWithError(screen: unknown, message: unknown, data?: unknown): FlowAnswer {
	const errorMessage = requiredText('Error Message', message, MAX_MESSAGE);
	return {
		kind: 'screen',
		statusCode: FLOW_STATUS.ok,
		body: {
			screen: screenId('Screen', screen),
			data: { ...dataObject('Data', data), error_message: errorMessage },
		},
	};
}

/**
 * Completes the Flow: the client closes it and sends `params` (with the flow token) to the chat as
 * an `nfm_reply` message. `params.flow_token` wins over the request's token, as Meta lets it.
 */
export function closeFlow(flowToken: string | undefined, params?: unknown): FlowAnswer {
	const values = dataObject('Response Parameters', params);
	const token = values.flow_token ?? flowToken;
	if (typeof token !== 'string' || token === '') {
		throw new PayloadError(
			'Closing a Flow needs its flow token: the request carried none, so set flow_token in Response Parameters',
			{ field: 'Response Parameters.flow_token', limit: 'the flow token', actual: 'missing' },
		);
	}
	return {
		kind: 'close',
		statusCode: FLOW_STATUS.ok,
		body: {
			screen: SUCCESS_SCREEN,
			data: { extension_message_response: { params: { ...values, flow_token: token } } },
		},
	};
}

/** HTTP 427: the client closes the Flow, shows `message` and disables the Flow's button. */
export function tokenNoLongerValid(message: unknown): FlowAnswer {
	return {
		kind: 'tokenInvalid',
		statusCode: FLOW_STATUS.tokenInvalid,
		body: { error_msg: requiredText('Error Message', message, MAX_MESSAGE) },
	};
}

export function pingAnswer(): FlowAnswer {
	return { kind: 'ping', statusCode: FLOW_STATUS.ok, body: { data: { status: 'active' } } };
}

export function acknowledgeAnswer(): FlowAnswer {
	return {
		kind: 'acknowledge',
		statusCode: FLOW_STATUS.ok,
		body: { data: { acknowledged: true } },
	};
}

/** The error notice a request carries (`data.error`), if it is one. */
export function errorNotice(request: FlowUserRequest): FlowErrorNotice | undefined {
	const error = request.data?.error;
	if (typeof error !== 'string' || error === '') return undefined;
	const message = request.data?.error_message;
	return { error, ...(typeof message === 'string' ? { errorMessage: message } : {}) };
}
