/**
 * The trigger's webhook: Meta's GET handshake, and POSTed events verified on the raw body before
 * anything else runs, then filtered, de-duplicated and turned into one item per event.
 */
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { CREDENTIALS_NAME } from '../helpers/constants';
import { defaultMediaFileName } from '../helpers/media';
import type { WebhookItem, WebhookMessageItem } from '../helpers/types/webhook';
import type { AnswerEvents } from '../helpers/webhook/dedupe';
import { dedupeStoreFor, DeliveryDedupe } from '../helpers/webhook/dedupe';
import type { EventFilter, EventKind } from '../helpers/webhook/filter';
import { filterItems, parseIdList } from '../helpers/webhook/filter';
import { deliveredVia } from '../helpers/webhook/overrides';
import { parseWebhookBody } from '../helpers/webhook/parse';
import { readSharedSeen, SHARED_DEDUPE_FIELD } from '../helpers/webhook/sharedDedupe';
import {
	constantTimeEquals,
	SIGNATURE_HEADER,
	verifySignature,
} from '../helpers/webhook/signature';
import { requireAppSecret } from '../transport/graph';
import {
	answerOf,
	DEFAULT_STALE_ANSWER_REPLY,
	DEFAULT_WAITING_ENDPOINT,
	deliverAnswersLater,
} from './answers';
import { downloadMedia } from '../transport/media';
import type { TriggerOptions } from './description';
import { DEFAULT_DEDUPE_WINDOW_MINUTES } from './description';
import { readTriggerScope, verifyTokenOf } from './scope';

/** The express surface this node uses (n8n passes express objects; express types are not a dependency). */
interface WebhookRequest {
	method?: string;
	url?: string;
	originalUrl?: string;
	query?: Record<string, unknown>;
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
}

interface WebhookResponse extends Partial<AnswerEvents> {
	status(code: number): WebhookResponse;
	type(contentType: string): WebhookResponse;
	send(body?: unknown): WebhookResponse;
	end(): void;
}

/** One store per webhook: the webhook ID is what Meta's deliveries are addressed to. */
export function dedupeScope(workflowId: string | undefined, node: INode): string {
	return `${workflowId ?? ''}:${node.webhookId ?? node.id}`;
}

export async function handleWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject() as unknown as WebhookRequest;
	const res = this.getResponseObject() as unknown as WebhookResponse;
	const credentials = await this.getCredentials(CREDENTIALS_NAME);
	const method = (req.method ?? (this.getWebhookName() === 'setup' ? 'GET' : 'POST')).toUpperCase();

	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	if (method === 'GET') {
		answerHandshake(req, res, verifyTokenOf(options, credentials));
		return { noWebhookResponse: true };
	}

	// Never accept unsigned events: n8n answers 500, so Meta keeps retrying until this is fixed.
	const appSecret = requireAppSecret(this.getNode(), credentials);
	if (req.rawBody === undefined && typeof req.readRawBody === 'function') await req.readRawBody();
	const rawBody = req.rawBody ?? Buffer.alloc(0);
	const headers = this.getHeaderData() as Record<string, unknown>;
	if (!verifySignature(rawBody, headers[SIGNATURE_HEADER], appSecret).valid) {
		res.status(401).type('text/plain').send('Invalid X-Hub-Signature-256');
		return { noWebhookResponse: true };
	}

	const parsed = parseWebhookBody(rawBody);
	if (!parsed.ok) return {}; // signed but not a WhatsApp payload: 200, nothing to run

	const dedupe = deliveryDedupe.call(this, options);
	const items = await takeAnswers.call(this, parsed.items, options, appSecret, dedupe);
	commitDedupe.call(this, dedupe, res);
	if (items.length === 0) return {};

	const payload = options.includePayload
		? (JSON.parse(rawBody.toString('utf8')) as IDataObject)
		: undefined;
	// What this trigger is registered as is what delivered the events to its URL.
	const where = readTriggerScope(this, credentials);
	const via = deliveredVia(where.scope, where);
	const executionItems: INodeExecutionData[] = items.map((item) => ({
		json: { ...item, ...via, ...(payload ? { payload } : {}) } as unknown as IDataObject,
	}));

	if (options.downloadMedia && items.some(hasMedia)) {
		// Before the answer: a 200 sent first would tell Meta the event arrived even when this
		// process dies during the downloads or n8n cannot start the execution. A slow answer makes
		// Meta deliver again at worst, and the de-duplication drops that once n8n took the event.
		await attachMedia.call(this, items, executionItems, options.binaryPropertyName || 'data');
	}
	return { workflowData: [executionItems] };
}

/** This call's de-duplication: the process's memory and the tokens static data holds. */
function deliveryDedupe(this: IWebhookFunctions, options: TriggerOptions): DeliveryDedupe {
	const state = this.getWorkflowStaticData('node');
	return new DeliveryDedupe(
		dedupeStore.call(this),
		readSharedSeen(state[SHARED_DEDUPE_FIELD]),
		dedupeWindowMs(options),
	);
}

/**
 * n8n saves static data after this call only when it answers 2xx (in n8n 2, once the execution is
 * handed over; in n8n 1 just before it starts it): an error answer records nothing anywhere.
 */
function commitDedupe(this: IWebhookFunctions, dedupe: DeliveryDedupe, res: WebhookResponse): void {
	const save = dedupe.valueToSave();
	if (save)
		this.getWorkflowStaticData('node')[SHARED_DEDUPE_FIELD] = save as unknown as IDataObject;
	dedupe.settleOn(res as AnswerEvents);
}

/** `hub.mode=subscribe` with our verify token: echo the challenge; anything else is refused. */
function answerHandshake(req: WebhookRequest, res: WebhookResponse, verifyToken: string): void {
	const query = rawQuery(req);
	const accepted =
		query.get('hub.mode') === 'subscribe' &&
		verifyToken !== '' &&
		constantTimeEquals(query.get('hub.verify_token') ?? '', verifyToken) &&
		query.has('hub.challenge');
	if (accepted) {
		res
			.status(200)
			.type('text/plain')
			.send(query.get('hub.challenge') ?? '');
	} else {
		res.status(403).type('text/plain').send('Forbidden');
	}
}

/**
 * Hands Send and Wait answers to their waiting executions, then returns the events that start this
 * workflow: the rest, through the filters and de-duplication (answers too when asked to).
 */
async function takeAnswers(
	this: IWebhookFunctions,
	items: WebhookItem[],
	options: TriggerOptions,
	appSecret: string,
	dedupe: DeliveryDedupe,
): Promise<WebhookItem[]> {
	const answers =
		options.resumeSendAndWait === false
			? []
			: items.flatMap((item) => {
					const answer = answerOf(item);
					return answer ? [answer] : [];
				});
	if (answers.length === 0) return newEvents.call(this, items, options, dedupe);
	const answerItems = new Set<WebhookItem>(answers.map((answer) => answer.message));
	const rest = newEvents.call(
		this,
		items.filter((item) => !answerItems.has(item)),
		options,
		dedupe,
	);
	// Meta re-delivers: each tap is handed on once, so a repeat never gets the "already answered" reply.
	const fresh = new Set<WebhookItem>(dedupe.fresh([...answerItems]));
	const freshAnswers = answers.filter((answer) => fresh.has(answer.message));
	deliverAnswersLater.call(this, freshAnswers, appSecret, {
		waitingEndpoint: options.waitingEndpoint ?? DEFAULT_WAITING_ENDPOINT,
		staleAnswerReply: options.staleAnswerReply ?? DEFAULT_STALE_ANSWER_REPLY,
	});
	if (!options.emitAnswers) return rest;
	const emitted = filterItems(
		freshAnswers.map((answer) => answer.message),
		eventFilter.call(this, options),
	);
	return items.filter((item) => rest.includes(item) || emitted.includes(item as never));
}

function dedupeStore(this: IWebhookFunctions) {
	return dedupeStoreFor(dedupeScope(this.getWorkflow().id, this.getNode()));
}

function dedupeWindowMs(options: TriggerOptions): number {
	return (options.dedupeWindowMinutes ?? DEFAULT_DEDUPE_WINDOW_MINUTES) * 60_000;
}

function eventFilter(this: IWebhookFunctions, options: TriggerOptions): EventFilter {
	return {
		kinds: this.getNodeParameter('events', []) as EventKind[],
		messageTypes: options.messageTypes,
		statuses: options.statuses,
		fields: options.fields,
		phoneNumberIds: parseIdList(options.phoneNumberIds),
		wabaIds: parseIdList(options.businessAccountIds),
	};
}

/** The events this trigger's filters let through that it has not seen within the window. */
function newEvents(
	this: IWebhookFunctions,
	items: WebhookItem[],
	options: TriggerOptions,
	dedupe: DeliveryDedupe,
): WebhookItem[] {
	return dedupe.fresh(filterItems(items, eventFilter.call(this, options)));
}

/** Downloads each message's media into binary data; a failed download is noted on its item. */
async function attachMedia(
	this: IWebhookFunctions,
	items: WebhookItem[],
	executionItems: INodeExecutionData[],
	property: string,
): Promise<void> {
	for (const [index, item] of items.entries()) {
		if (!hasMedia(item)) continue;
		const target = executionItems[index];
		try {
			const media = await downloadMedia.call(this, item.media.id, index, item.phoneNumberId);
			const fileName = item.media.filename || defaultMediaFileName(item.media.id, media.mimeType);
			target.binary = {
				[property]: await this.helpers.prepareBinaryData(media.data, fileName, media.mimeType),
			};
		} catch (error) {
			// Keep the event (the workflow can download again by media ID), and say why it is missing.
			target.json.mediaError = (error as Error).message;
		}
	}
}

function hasMedia(item: WebhookItem): item is WebhookMessageItem & {
	media: NonNullable<WebhookMessageItem['media']>;
} {
	return item.event === 'message' && (item as WebhookMessageItem).media?.id !== undefined;
}

/** The query string as sent: parameter names keep their dots (`hub.mode`). */
function rawQuery(req: WebhookRequest): URLSearchParams {
	const url = req.originalUrl ?? req.url ?? '';
	const queryStart = url.indexOf('?');
	if (queryStart >= 0) return new URLSearchParams(url.slice(queryStart + 1));
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(req.query ?? {})) {
		if (typeof value === 'string') params.set(key, value);
	}
	return params;
}
