import type { IExecuteFunctions, IGetNodeParameterOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MAX_MESSAGES_PER_SECOND } from '../descriptions/sending';

import {
	containsExpression,
	copyJson,
	fieldReadPath,
	isPlainParameterName,
	scalarAt,
} from '../helpers/parameters';
import type { SendSettings } from '../transport/sender';
import { quoteInput } from '../helpers/errors';

type GetNodeParameter = (
	name: string,
	itemIndex: number,
	fallbackValue?: unknown,
	options?: IGetNodeParameterOptions,
) => unknown;

/**
 * The execution context with a cheaper `getNodeParameter` for a broadcast's per-item reads. n8n
 * evaluates every parameter of every item through its expression engine (about a millisecond of
 * CPU each in n8n 2's default engine), which caps how fast one process can send. Two reads skip it
 * and give the same answer:
 * - a parameter without any expression is evaluated once and copied for the other items;
 * - `={{ $json.field }}` (a path of plain property reads) returns the input item's string,
 *   number or boolean directly.
 * Everything else — other expressions, a missing field, an object value, names n8n's sandbox
 * refuses — goes to n8n as before, so its errors and conversions stay n8n's own. (n8n's check after
 * evaluating, `validateType`, is declared by none of this node's parameters; a unit test keeps it so.)
 */
export function withFastParameters(context: IExecuteFunctions): IExecuteFunctions {
	const evaluate = context.getNodeParameter.bind(context) as GetNodeParameter;
	const parameters = context.getNode().parameters;
	const items = context.getInputData();
	const fieldPaths = new Map<string, string[] | undefined>();
	const onceEvaluated = new Map<string, unknown>();

	const getNodeParameter: GetNodeParameter = (name, itemIndex, fallbackValue, options) => {
		const raw = isPlainParameterName(name) ? parameters[name] : undefined;
		if (raw === undefined) return evaluate(name, itemIndex, fallbackValue, options);

		if (!containsExpression(raw)) {
			const key = options ? `${name}\u0000${JSON.stringify(options)}` : name;
			if (!onceEvaluated.has(key)) {
				onceEvaluated.set(key, evaluate(name, itemIndex, fallbackValue, options));
			}
			return copyJson(onceEvaluated.get(key));
		}

		if (!options) {
			if (!fieldPaths.has(name)) fieldPaths.set(name, fieldReadPath(raw));
			const path = fieldPaths.get(name);
			const value = path && scalarAt(items[itemIndex]?.json, path);
			if (value !== undefined) return value;
		}
		return evaluate(name, itemIndex, fallbackValue, options);
	};

	return Object.create(context, {
		getNodeParameter: { value: getNodeParameter },
	}) as IExecuteFunctions;
}

/** The phone number ID from `phoneNumberIdField` (list or ID mode), checked to be digits. */
export function readPhoneNumberId(
	context: IExecuteFunctions,
	itemIndex: number,
	label = 'Sender Phone Number',
): string {
	const value = context.getNodeParameter('phoneNumberId', itemIndex, '', { extractValue: true });
	const phoneNumberId = String(value ?? '').trim();
	if (!/^\d+$/.test(phoneNumberId)) {
		throw new NodeOperationError(
			context.getNode(),
			phoneNumberId === ''
				? `${label} is empty`
				: `${label} ${quoteInput(phoneNumberId)} is not a phone number ID (only digits)`,
			{
				itemIndex,
				description:
					'Pick the business phone number from the list, or give its phone number ID (digits, from WhatsApp Manager → API Setup), not the phone number itself.',
			},
		);
	}
	return phoneNumberId;
}

/** Pacing and retry settings of every message send; read once per execution, from the first item. */
export function readSendSettings(this: IExecuteFunctions): Omit<SendSettings, 'stopOnFirstError'> {
	const options = this.getNodeParameter('sendingOptions', 0, {}) as {
		includeRawResponse?: boolean;
		maxAttempts?: number;
		maxWaitSeconds?: number;
		messagesPerSecond?: number;
		retryUncertain?: boolean;
		timeoutSeconds?: number;
	};
	const messagesPerSecond = options.messagesPerSecond ?? 80;
	if (!(messagesPerSecond >= 1 && messagesPerSecond <= MAX_MESSAGES_PER_SECOND)) {
		throw new NodeOperationError(
			this.getNode(),
			`Messages per Second must be between 1 and ${MAX_MESSAGES_PER_SECOND}; it is ${messagesPerSecond}`,
			{ itemIndex: 0 },
		);
	}
	return {
		messagesPerSecond,
		maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? 6)),
		maxWaitMs: Math.max(0, options.maxWaitSeconds ?? 600) * 1000,
		retryUncertain: options.retryUncertain ?? false,
		includeRawResponse: options.includeRawResponse ?? false,
		requestTimeoutMs: Math.max(1, options.timeoutSeconds ?? 60) * 1000,
	};
}
