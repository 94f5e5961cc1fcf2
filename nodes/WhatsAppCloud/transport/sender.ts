import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { MessageSend } from '../actions/node.type';
import { CREDENTIALS_NAME } from '../helpers/constants';
import { classifyGraphError, graphErrorHint, parseGraphError } from '../helpers/graphError';
import type { Clock } from './clock';
import { systemClock } from './clock';
import { graphApiError, graphBaseUrl, graphCall } from './graph';
import type { NumberLimiter } from './limiter';
import { limiterFor } from './limiter';
import { appLimitWaitMs, BACKOFF, exponentialBackoff, isRetryable } from './retry';

export interface SendSettings {
	messagesPerSecond: number;
	/** Attempts per message, the first included. */
	maxAttempts: number;
	/** Total time one message may spend waiting for retries. */
	maxWaitMs: number;
	/** Retry failures after which Meta may have accepted the message (risk: a duplicate). */
	retryUncertain: boolean;
	includeRawResponse: boolean;
	/** Without continue-on-fail: the first failure stops new sends. */
	stopOnFirstError: boolean;
	requestTimeoutMs?: number;
}

export type SendOutcome =
	| { itemIndex: number; ok: true; json: IDataObject }
	| { itemIndex: number; ok: false; json: IDataObject; error: NodeApiError | NodeOperationError };

export interface SendReport {
	/** Per item, in item order; undefined for items never dispatched after a stop. */
	outcomes: Array<SendOutcome | undefined>;
	/** The failure that stopped the run (only when `stopOnFirstError`). */
	stoppedBy?: SendOutcome & { ok: false };
	accepted: number;
}

/** Longest stretch of item preparation before the sender lets other work of the process run. */
const MAX_BUSY_MS = 20;

/**
 * Sends run concurrently so latency does not cap the rate: half a second's worth in flight covers
 * Meta's usual 100–300 ms without piling up requests n8n must track.
 */
function concurrencyFor(messagesPerSecond: number): number {
	return Math.min(500, Math.max(16, Math.ceil(messagesPerSecond / 2)));
}

class Semaphore {
	private available: number;

	private readonly waiting: Array<() => void> = [];

	constructor(size: number) {
		this.available = size;
	}

	async acquire(): Promise<void> {
		if (this.available > 0) {
			this.available--;
			return;
		}
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	release(): void {
		const next = this.waiting.shift();
		if (next) next();
		else this.available++;
	}
}

/**
 * Sends one message per item at the phone number's pace. Items are built (parameters read) only
 * as they are dispatched; messages to the same recipient go one after another, in item order.
 */
export async function sendMessages(
	this: IExecuteFunctions,
	itemCount: number,
	build: (this: IExecuteFunctions, itemIndex: number) => Promise<MessageSend>,
	settings: SendSettings,
	clock: Clock = systemClock,
): Promise<SendReport> {
	const baseUrl = await graphBaseUrl.call(this);
	const credentials = await this.getCredentials(CREDENTIALS_NAME);
	const concurrency = concurrencyFor(settings.messagesPerSecond);
	const slots = new Semaphore(concurrency);
	// Items are built at most this far ahead of the requests in flight.
	const lookahead = new Semaphore(concurrency * 2);
	const outcomes: Array<SendOutcome | undefined> = new Array(itemCount).fill(undefined);
	const chains = new Map<string, Promise<void>>();
	const pending = new Set<Promise<void>>();
	const cancel = this.getExecutionCancelSignal?.();
	const report: SendReport = { outcomes, accepted: 0 };
	let stopped = false;

	const settle = (outcome: SendOutcome) => {
		outcomes[outcome.itemIndex] = outcome;
		if (outcome.ok) report.accepted++;
		else if (settings.stopOnFirstError && !report.stoppedBy) {
			report.stoppedBy = outcome;
			stopped = true;
		}
	};

	const deliver = async (itemIndex: number, message: MessageSend, limiter: NumberLimiter) =>
		await deliverOne.call(this, itemIndex, message, limiter, {
			baseUrl,
			credentials,
			settings,
			clock,
			slots,
			isStopped: () => stopped || cancel?.aborted === true,
		});

	let lastYield = clock.now();
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		await lookahead.acquire();
		if (stopped || cancel?.aborted) break;
		// Reading parameters is synchronous CPU work; yield now and then so the editor, webhooks and
		// health checks of this n8n process stay responsive during a large broadcast.
		if (clock.now() - lastYield >= MAX_BUSY_MS) {
			await clock.sleep(1);
			lastYield = clock.now();
		}

		let message: MessageSend;
		try {
			message = await build.call(this, itemIndex);
		} catch (error) {
			lookahead.release();
			settle(failure(itemIndex, asNodeError(this, error, itemIndex), {}));
			continue;
		}

		const limiter = limiterFor(message.phoneNumberId, settings.messagesPerSecond, clock);
		const chainKey = `${message.phoneNumberId}:${recipientOf(message.payload)}`;
		const previous = chains.get(chainKey) ?? Promise.resolve();
		const task: Promise<void> = previous.then(async () => {
			const outcome = await deliver(itemIndex, message, limiter);
			if (outcome) settle(outcome);
			if (chains.get(chainKey) === task) chains.delete(chainKey);
		});
		chains.set(chainKey, task);
		pending.add(task);
		void task.finally(() => {
			pending.delete(task);
			lookahead.release();
		});
	}
	await Promise.all(pending);
	return report;
}

interface DeliveryContext {
	baseUrl: string;
	credentials: ICredentialDataDecryptedObject;
	settings: SendSettings;
	clock: Clock;
	slots: Semaphore;
	isStopped: () => boolean;
}

/** One message through pacing and retries. Undefined when a stop came before its first attempt. */
async function deliverOne(
	this: IExecuteFunctions,
	itemIndex: number,
	message: MessageSend,
	limiter: NumberLimiter,
	context: DeliveryContext,
): Promise<SendOutcome | undefined> {
	const { settings, clock, slots } = context;
	const recipient = recipientOf(message.payload);
	const isReadReceipt = message.payload.status === 'read';
	const base: IDataObject = {
		phoneNumberId: message.phoneNumberId,
		...recipientFields(message.payload),
	};
	let payload = message.payload;
	let usedFallback = false;
	let attempts = 0;
	let waitedMs = 0;
	let retryingPair = false;
	const retries = { pair: 0, throughput: 0, app: 0, transient: 0 };

	for (;;) {
		if (attempts === 0 && context.isStopped()) return undefined;
		// Read receipts are not messages to the user: the pair limit does not apply to them. A retry
		// after 131056 already waited Meta's 4^X seconds for this recipient.
		if (!isReadReceipt && !retryingPair) await limiter.acquirePair(recipient);
		retryingPair = false;
		await slots.acquire();
		let outcome;
		try {
			await limiter.acquire();
			attempts++;
			outcome = await graphCall.call(
				this,
				{
					method: 'POST',
					path: `/${encodeURIComponent(message.phoneNumberId)}/messages`,
					body: payload,
					timeoutMs: settings.requestTimeoutMs,
				},
				context.baseUrl,
				context.credentials,
			);
		} finally {
			slots.release();
		}
		const progress = { attempts, retried: attempts > 1 };

		if (outcome.kind === 'network') {
			const retryable = !outcome.mayHaveReachedMeta || settings.retryUncertain;
			const delay = exponentialBackoff(
				++retries.transient,
				BACKOFF.transientBaseMs,
				BACKOFF.transientMaxMs,
				clock.random,
			);
			if (retryable && attempts < settings.maxAttempts && waitedMs + delay <= settings.maxWaitMs) {
				waitedMs += delay;
				await clock.sleep(delay);
				continue;
			}
			const uncertain = outcome.mayHaveReachedMeta;
			const error = new NodeApiError(
				this.getNode(),
				{ code: outcome.errorCode, message: outcome.message },
				{
					message: outcome.message,
					description: uncertain
						? 'Not retried, to avoid sending the message twice: check the status webhooks for this recipient before sending again. The "Retry Uncertain Failures" option retries such failures at the risk of a duplicate.'
						: undefined,
					itemIndex,
				},
			);
			return failure(itemIndex, error, {
				...base,
				...progress,
				code: outcome.errorCode,
				uncertain,
			});
		}

		const { statusCode, body, headers } = outcome;
		if (statusCode >= 200 && statusCode < 300) {
			limiter.onAccepted();
			if (!isReadReceipt) limiter.onPairDelivered(recipient);
			const json = successJson(body, base, progress, isReadReceipt, payload);
			if (usedFallback) json.sentAs = 'fallbackTemplate';
			Object.assign(json, message.extraOutput);
			if (settings.includeRawResponse) json.rawResponse = body as IDataObject;
			return { itemIndex, ok: true, json };
		}

		const graphError = parseGraphError(body);
		const code = graphError?.code;
		if (code === 131047 && message.fallback && !usedFallback) {
			// Outside the 24-hour window only templates go through: send the chosen one instead.
			payload = message.fallback;
			usedFallback = true;
			continue;
		}
		const retryClass = classifyGraphError(code, statusCode);
		let delay = 0;
		if (retryClass === 'pair') {
			retries.pair++;
			retryingPair = true;
			delay = limiter.onPairLimited(recipient);
		} else if (retryClass === 'throughput') {
			limiter.onThrottled();
			delay = exponentialBackoff(
				++retries.throughput,
				BACKOFF.throughputBaseMs,
				BACKOFF.throughputMaxMs,
				clock.random,
			);
		} else if (retryClass === 'app') {
			delay = appLimitWaitMs(headers ?? {}, ++retries.app, clock.now(), clock.random);
			limiter.pauseFor(delay);
		} else if (retryClass === 'transient') {
			limiter.refund();
			delay = exponentialBackoff(
				++retries.transient,
				BACKOFF.transientBaseMs,
				BACKOFF.transientMaxMs,
				clock.random,
			);
		}
		const withinBudget = attempts < settings.maxAttempts && waitedMs + delay <= settings.maxWaitMs;
		if (isRetryable(retryClass) && withinBudget && !context.isStopped()) {
			waitedMs += delay;
			await clock.sleep(delay);
			continue;
		}
		const error = graphApiError(this, statusCode, body, itemIndex);
		if (isRetryable(retryClass)) {
			error.description = `Gave up after ${attempts} attempts and ${Math.round(waitedMs / 1000)} s of waiting (limits: "Max Attempts", "Max Wait per Message").\n${error.description ?? ''}`;
		}
		return failure(itemIndex, error, {
			...base,
			...progress,
			code: code ?? statusCode,
			details: graphError?.details,
			fbtraceId: graphError?.fbtraceId,
			hint: code !== undefined ? graphErrorHint(code) : undefined,
			...(usedFallback ? { sentAs: 'fallbackTemplate' } : {}),
			...(settings.includeRawResponse ? { rawResponse: body as IDataObject } : {}),
		});
	}
}

function successJson(
	body: unknown,
	base: IDataObject,
	progress: IDataObject,
	isReadReceipt: boolean,
	payload: IDataObject,
): IDataObject {
	const response = (body ?? {}) as {
		success?: boolean;
		contacts?: Array<{ input?: string; wa_id?: string; user_id?: string }>;
		messages?: Array<{ id?: string; message_status?: string }>;
	};
	if (isReadReceipt) {
		return {
			success: response.success === true,
			messageId: payload.message_id,
			...base,
			...progress,
		};
	}
	const contact = response.contacts?.[0];
	const sent = response.messages?.[0];
	return {
		messageId: sent?.id,
		...base,
		waId: contact?.wa_id,
		...(contact?.user_id ? { userId: contact.user_id } : {}),
		status: sent?.message_status ?? 'accepted',
		...progress,
	};
}

function failure(
	itemIndex: number,
	error: NodeApiError | NodeOperationError,
	details: IDataObject,
): SendOutcome & { ok: false } {
	const json: IDataObject = { error: error.message };
	for (const [key, value] of Object.entries(details)) if (value !== undefined) json[key] = value;
	return { itemIndex, ok: false, json, error };
}

function asNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

function recipientOf(payload: IDataObject): string {
	return String(payload.to ?? payload.recipient ?? payload.message_id ?? '');
}

function recipientFields(payload: IDataObject): IDataObject {
	if (payload.to !== undefined) return { to: payload.to };
	if (payload.recipient !== undefined) return { recipient: payload.recipient };
	return {};
}
