import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Clock } from '../helpers/clock';
import { CREDENTIALS_NAME } from '../helpers/constants';
import type { MarketingRouteRefusal } from '../helpers/graphError';
import {
	graphErrorHint,
	marketingRouteHint,
	marketingRouteRefusal,
	parseGraphError,
} from '../helpers/graphError';
import { sleepUnlessCancelled, systemClock } from './clock';
import type { GraphOutcome } from './graph';
import { graphApiError, graphBaseUrl, graphCall, networkApiError } from './graph';
import type { GaveUp, NumberLimiter } from './limiter';
import { limiterFor } from './limiter';
import type { RetriedClass } from './retry';
import { appLimitWaitMs, BACKOFF, exponentialBackoff, isRetryable, retryClassFor } from './retry';

/** The edge a message is posted to: Cloud API's `/messages`, or the Marketing Messages API. */
export type MessageEndpoint = 'messages' | 'marketing_messages';

/** Which API served a message, in the output of sends that chose an endpoint. */
export type MessageRoute = 'cloud_api' | 'marketing_messages';

/** One message, ready for the paced sender. */
export interface MessageSend {
	phoneNumberId: string;
	/** The complete JSON body of `POST /{phoneNumberId}/{endpoint}`. */
	payload: IDataObject;
	/**
	 * Where to post it; `messages` when left out. When set, the output says which `route` served the
	 * message (Cloud API or the Marketing Messages API).
	 */
	endpoint?: MessageEndpoint;
	/**
	 * `marketing_messages` only: the same message as a `/messages` body, sent instead when the
	 * Marketing Messages API refuses the template as not MARKETING, and — with `whenNotOnboarded` —
	 * when it refuses the number because the business is not onboarded.
	 */
	cloudApiFallback?: { payload: IDataObject; whenNotOnboarded: boolean };
	/** Fields merged into this item's output next to the send result (e.g. the uploaded media ID). */
	extraOutput?: IDataObject;
	/** Sent instead when Meta answers 131047 (24-hour window closed): an approved template. */
	fallback?: IDataObject;
	/** Not sent at all (its recipient already has it, campaign key): this is its output. */
	skipped?: SentMessage;
}

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
	/** Told each outcome as it settles (the campaign key records accepted recipients). */
	onSettled?: (outcome: SendOutcome) => void;
}

/** Where a message went: `to` for messages, `recipient` for business-scoped user IDs. */
export interface SendAddress {
	phoneNumberId: string;
	to?: unknown;
	recipient?: unknown;
}

export interface SendProgress {
	attempts: number;
	retried: boolean;
}

/** What Meta accepted: a message (with its wamid) or a read receipt. */
export type SentMessage = SendAddress &
	SendProgress & {
		sentAs?: 'fallbackTemplate';
		route?: MessageRoute;
		/** Why Cloud API served a message meant for the Marketing Messages API. */
		routeFallbackReason?: MarketingRouteRefusal;
		extraOutput?: IDataObject;
		rawResponse?: IDataObject;
	} & (
		| { kind: 'message'; messageId?: string; waId?: string; userId?: string; status: string }
		| { kind: 'readReceipt'; messageId: unknown; success: boolean }
	);

/** Why a message was not sent, as far as the sender knows it (absent for build failures). */
export type SendFailure = Partial<SendAddress> &
	Partial<SendProgress> & {
		code?: number | string;
		details?: string;
		fbtraceId?: string;
		hint?: string;
		/** A network failure after which Meta may have accepted the message. */
		uncertain?: boolean;
		sentAs?: 'fallbackTemplate';
		/** The API of the last attempt, for sends that chose an endpoint. */
		route?: MessageRoute;
		rawResponse?: IDataObject;
	};

export type SendOutcome =
	| { itemIndex: number; ok: true; sent: SentMessage }
	/** `error` is a NodeApiError for Meta's answers, or whatever the item's build threw. */
	| { itemIndex: number; ok: false; error: unknown; failure: SendFailure };

export type FailedSend = Extract<SendOutcome, { ok: false }>;

export interface SendReport {
	/** Per item, in item order; undefined for items never dispatched after a stop. */
	outcomes: Array<SendOutcome | undefined>;
	/** The failure that stopped the run (only when `stopOnFirstError`). */
	stoppedBy?: FailedSend;
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
		settings.onSettled?.(outcome);
		if (outcome.ok) report.accepted++;
		else if (settings.stopOnFirstError && !report.stoppedBy) {
			report.stoppedBy = outcome;
			stopped = true;
		}
	};

	const delivery: DeliveryContext = {
		baseUrl,
		credentials,
		settings,
		clock,
		slots,
		cancel,
		isStopped: () => stopped || cancel?.aborted === true,
		notOnboarded: new Set(),
	};

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
			settle({ itemIndex, ok: false, error, failure: {} });
			continue;
		}
		if (message.skipped) {
			lookahead.release();
			outcomes[itemIndex] = { itemIndex, ok: true, sent: message.skipped };
			continue;
		}

		const limiter = limiterFor(message.phoneNumberId, settings.messagesPerSecond, clock);
		const chainKey = `${message.phoneNumberId}:${recipientOf(message.payload)}`;
		const run = async (): Promise<void> => {
			try {
				const outcome = await deliverOne.call(this, itemIndex, message, limiter, delivery);
				if (outcome) settle(outcome);
			} finally {
				if (chains.get(chainKey) === task) chains.delete(chainKey);
				pending.delete(task);
				lookahead.release();
			}
		};
		// A recipient's first message starts at once; later ones wait for the one before.
		const previous = chains.get(chainKey);
		const task: Promise<void> = previous ? previous.then(run, run) : run();
		chains.set(chainKey, task);
		pending.add(task);
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
	/** The execution's cancel signal: waits end when it aborts. */
	cancel?: AbortSignal;
	isStopped: () => boolean;
	/** Numbers the Marketing Messages API refused in this run as not onboarded. */
	notOnboarded: Set<string>;
}

/** The retries one message has had, by kind: each kind backs off on its own. */
type RetryCounts = Record<RetriedClass, number>;

/** One message through pacing and retries. Undefined when a stop came before its first attempt. */
async function deliverOne(
	this: IExecuteFunctions,
	itemIndex: number,
	message: MessageSend,
	limiter: NumberLimiter,
	context: DeliveryContext,
): Promise<SendOutcome | undefined> {
	const { settings, clock } = context;
	const recipient = recipientOf(message.payload);
	const isReadReceipt = message.payload.status === 'read';
	const address: SendAddress = {
		phoneNumberId: message.phoneNumberId,
		...recipientFields(message.payload),
	};
	let payload = message.payload;
	let endpoint: MessageEndpoint = message.endpoint ?? 'messages';
	let routeFallbackReason: MarketingRouteRefusal | undefined;
	const routeFallback = message.cloudApiFallback;
	/** Where this attempt goes, decided once its turn came: a number refused as not onboarded
	 * meanwhile goes straight to Cloud API. */
	const target = (): { endpoint: MessageEndpoint; payload: IDataObject } => {
		if (
			endpoint === 'marketing_messages' &&
			routeFallback?.whenNotOnboarded &&
			context.notOnboarded.has(message.phoneNumberId)
		) {
			payload = routeFallback.payload;
			endpoint = 'messages';
			routeFallbackReason = 'notOnboarded';
		}
		return { endpoint, payload };
	};
	const route = (): { route?: MessageRoute } =>
		message.endpoint === undefined
			? {}
			: { route: endpoint === 'marketing_messages' ? 'marketing_messages' : 'cloud_api' };
	let usedFallback = false;
	let attempts = 0;
	let waitedMs = 0;
	let retryingPair = false;
	const retries: RetryCounts = { pair: 0, throughput: 0, app: 0, transient: 0 };

	/** Sleeps `delay` and says yes when another attempt fits the budget; no otherwise. */
	const waitForRetry = async (delay: number): Promise<boolean> => {
		const withinBudget = attempts < settings.maxAttempts && waitedMs + delay <= settings.maxWaitMs;
		if (!withinBudget || context.isStopped()) return false;
		waitedMs += delay;
		return await sleepUnlessCancelled(clock, delay, context.cancel);
	};
	/** The latest moment this message may still go out: a pause past it fails the message instead. */
	const deadline = () => clock.now() + Math.max(0, settings.maxWaitMs - waitedMs);

	for (;;) {
		if (attempts === 0 && context.isStopped()) return undefined;
		// Read receipts are not messages to the user: the pair limit does not apply to them. A retry
		// after 131056 already waited Meta's 4^X seconds for this recipient.
		if (!isReadReceipt && !retryingPair) {
			const pair = await limiter.acquirePair(recipient, deadline(), context.cancel);
			if (!pair.ok) return gaveUp.call(this, itemIndex, pair, address, attempts);
		}
		retryingPair = false;
		const outcome = await postMessage.call(
			this,
			message.phoneNumberId,
			target,
			limiter,
			context,
			deadline(),
		);
		if (outcome.kind === 'gaveUp')
			return gaveUp.call(this, itemIndex, outcome.gaveUp, address, attempts);
		attempts++;
		const progress: SendProgress = { attempts, retried: attempts > 1 };

		if (outcome.kind === 'network') {
			const retryable = !outcome.mayHaveReachedMeta || settings.retryUncertain;
			const delay = backoff('transient', ++retries.transient, clock);
			if (retryable && (await waitForRetry(delay))) continue;
			return networkFailure.call(this, itemIndex, outcome, { ...address, ...progress, ...route() });
		}

		const { statusCode, body, headers } = outcome;
		if (statusCode >= 200 && statusCode < 300) {
			limiter.onAccepted();
			if (!isReadReceipt) limiter.onPairDelivered(recipient);
			const sent: SentMessage = {
				...acceptedAs(body, payload, isReadReceipt),
				...address,
				...progress,
				...(usedFallback ? { sentAs: 'fallbackTemplate' as const } : {}),
				...route(),
				...(routeFallbackReason ? { routeFallbackReason } : {}),
				...(message.extraOutput ? { extraOutput: message.extraOutput } : {}),
				...(settings.includeRawResponse ? { rawResponse: body as IDataObject } : {}),
			};
			return { itemIndex, ok: true, sent };
		}

		const graphError = parseGraphError(body);
		const code = graphError?.code;
		const refusal = endpoint === 'marketing_messages' ? marketingRouteRefusal(code) : undefined;
		if (
			refusal &&
			routeFallback &&
			(refusal === 'notMarketing' || routeFallback.whenNotOnboarded)
		) {
			// Refused before sending: the same message through Cloud API cannot arrive twice.
			if (refusal === 'notOnboarded') context.notOnboarded.add(message.phoneNumberId);
			payload = routeFallback.payload;
			endpoint = 'messages';
			routeFallbackReason = refusal;
			continue;
		}
		if (code === 131047 && message.fallback && !usedFallback) {
			// Outside the 24-hour window only templates go through: send the chosen one instead.
			payload = message.fallback;
			usedFallback = true;
			continue;
		}
		const retryClass = retryClassFor(code, statusCode, settings.retryUncertain);
		if (isRetryable(retryClass)) {
			const delay = retryDelay(retryClass, retries, limiter, recipient, headers ?? {}, clock);
			retryingPair = retryClass === 'pair';
			if (await waitForRetry(delay)) continue;
			retryingPair = false;
		}
		const error = graphApiError(this, statusCode, body, itemIndex);
		if (isRetryable(retryClass)) {
			error.description = `Gave up after ${attempts} attempts and ${Math.round(waitedMs / 1000)} s of waiting (limits: "Max Attempts", "Max Wait per Message").\n${error.description ?? ''}`;
		}
		if (retryClass === 'uncertain') {
			error.description = `${UNCERTAIN_NOT_RETRIED}\n${error.description ?? ''}`;
		}
		if (refusal) error.description = `${marketingRouteHint(refusal)}\n${error.description ?? ''}`;
		const failure: SendFailure = {
			...address,
			...progress,
			code: code ?? statusCode,
			details: graphError?.details,
			fbtraceId: graphError?.fbtraceId,
			hint: refusal
				? marketingRouteHint(refusal)
				: retryClass === 'uncertain'
					? UNCERTAIN_NOT_RETRIED
					: code !== undefined
						? graphErrorHint(code)
						: undefined,
			...(retryClass === 'uncertain' ? { uncertain: true } : {}),
			...(usedFallback ? { sentAs: 'fallbackTemplate' as const } : {}),
			...route(),
			...(settings.includeRawResponse ? { rawResponse: body as IDataObject } : {}),
		};
		return { itemIndex, ok: false, error, failure };
	}
}

/**
 * One `POST /{phoneNumberId}/{endpoint}` when the number's bucket and a request slot allow it (the
 * Marketing Messages API shares the number's throughput with /messages), or the reason it may not
 * go (cancelled, or the number paused past this message's deadline).
 */
async function postMessage(
	this: IExecuteFunctions,
	phoneNumberId: string,
	target: () => { endpoint: MessageEndpoint; payload: IDataObject },
	limiter: NumberLimiter,
	context: DeliveryContext,
	deadline: number,
): Promise<GraphOutcome | { kind: 'gaveUp'; gaveUp: GaveUp }> {
	await context.slots.acquire();
	try {
		const slot = await limiter.acquire(deadline, context.cancel);
		if (!slot.ok) return { kind: 'gaveUp', gaveUp: slot };
		const { endpoint, payload } = target();
		return await graphCall.call(
			this,
			{
				method: 'POST',
				path: `/${encodeURIComponent(phoneNumberId)}/${endpoint}`,
				body: payload,
				timeoutMs: context.settings.requestTimeoutMs,
			},
			context.baseUrl,
			context.credentials,
		);
	} finally {
		context.slots.release();
	}
}

function backoff(kind: 'transient' | 'throughput', retryNumber: number, clock: Clock): number {
	return kind === 'transient'
		? exponentialBackoff(retryNumber, BACKOFF.transientBaseMs, BACKOFF.transientMaxMs, clock.random)
		: exponentialBackoff(
				retryNumber,
				BACKOFF.throughputBaseMs,
				BACKOFF.throughputMaxMs,
				clock.random,
			);
}

/**
 * How long to wait before retrying an answer of this class, telling the limiter what Meta said:
 * the pair limit waits 4^X s for this recipient, throughput slows the number, an app limit pauses
 * it, a transient error gives its slot back.
 */
function retryDelay(
	retryClass: keyof RetryCounts,
	retries: RetryCounts,
	limiter: NumberLimiter,
	recipient: string,
	headers: Record<string, string>,
	clock: Clock,
): number {
	retries[retryClass]++;
	switch (retryClass) {
		case 'pair':
			return limiter.onPairLimited(recipient);
		case 'throughput':
			limiter.onThrottled();
			return backoff('throughput', retries.throughput, clock);
		case 'app': {
			const delay = appLimitWaitMs(headers, retries.app, clock.now(), clock.random);
			limiter.pauseFor(delay);
			return delay;
		}
		case 'transient':
			limiter.refund();
			return backoff('transient', retries.transient, clock);
	}
}

/**
 * A message that was not sent because the execution was cancelled, or because the number is paused
 * (an app or business limit) past the message's Max Wait. Before a first attempt a cancel is no
 * outcome at all: the item was simply not dispatched.
 */
function gaveUp(
	this: IExecuteFunctions,
	itemIndex: number,
	reason: GaveUp,
	address: SendAddress,
	attempts: number,
): SendOutcome | undefined {
	if (reason.reason === 'cancelled' && attempts === 0) return undefined;
	const message =
		reason.reason === 'cancelled'
			? 'The execution was cancelled before this message could be sent again'
			: reason.paused
				? `Meta paused this number until ${new Date(reason.readyAt).toISOString()} (app or business limit), past "Max Wait per Message"`
				: `The number's pacing has no slot for this message within "Max Wait per Message"`;
	const error = new NodeOperationError(this.getNode(), message, { itemIndex });
	return {
		itemIndex,
		ok: false,
		error,
		failure: { ...address, attempts, retried: attempts > 1, code: reason.reason },
	};
}

const UNCERTAIN_NOT_RETRIED =
	'Not retried, to avoid sending the message twice: Meta may have accepted it. Check the status webhooks for this recipient before sending again. The "Retry Uncertain Failures" option retries such failures at the risk of a duplicate.';

/** A failure without an HTTP answer; uncertain when Meta may have received the request. */
function networkFailure(
	this: IExecuteFunctions,
	itemIndex: number,
	outcome: Extract<GraphOutcome, { kind: 'network' }>,
	failure: SendFailure,
): FailedSend {
	const uncertain = outcome.mayHaveReachedMeta;
	const error = networkApiError(this, outcome, {
		itemIndex,
		description: uncertain ? UNCERTAIN_NOT_RETRIED : undefined,
	});
	return {
		itemIndex,
		ok: false,
		error,
		failure: { ...failure, code: outcome.errorCode, uncertain },
	};
}

/** The part of a send result that comes from Meta's answer. */
function acceptedAs(
	body: unknown,
	payload: IDataObject,
	isReadReceipt: boolean,
):
	| { kind: 'message'; messageId?: string; waId?: string; userId?: string; status: string }
	| { kind: 'readReceipt'; messageId: unknown; success: boolean } {
	const response = (body ?? {}) as {
		success?: boolean;
		contacts?: Array<{ input?: string; wa_id?: string; user_id?: string }>;
		messages?: Array<{ id?: string; message_status?: string }>;
	};
	if (isReadReceipt) {
		return {
			kind: 'readReceipt',
			success: response.success === true,
			messageId: payload.message_id,
		};
	}
	const contact = response.contacts?.[0];
	const sent = response.messages?.[0];
	return {
		kind: 'message',
		messageId: sent?.id,
		waId: contact?.wa_id,
		...(contact?.user_id ? { userId: contact.user_id } : {}),
		status: sent?.message_status ?? 'accepted',
	};
}

function recipientOf(payload: IDataObject): string {
	return String(payload.to ?? payload.recipient ?? payload.message_id ?? '');
}

function recipientFields(payload: IDataObject): { to?: unknown; recipient?: unknown } {
	if (payload.to !== undefined) return { to: payload.to };
	if (payload.recipient !== undefined) return { recipient: payload.recipient };
	return {};
}
