/**
 * The opt-in campaign key of message sends. A recipient is recorded once Meta accepted its
 * message, with n8n's database-backed de-duplication helpers (the execution context has them in
 * n8n 1.x and 2.x; in queue mode every worker uses the same database), and a re-run with the same
 * key skips recorded recipients.
 *
 * n8n's helpers can only check a value by recording it, so a check records the batch and takes
 * the new ones out again at once. Every database call of a run goes through one queue: n8n rewrites
 * the node's record whole, and two calls of this run at the same moment could drop each other's.
 */
import type { ICheckProcessedOptions, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	CAMPAIGN_CHECK_BATCH,
	CAMPAIGN_KEY_MAX_LENGTH,
	CAMPAIGN_MAX_ENTRIES,
	campaignEntry,
	campaignRecipient,
} from '../helpers/campaign';
import type { MessageSend, SendOutcome, SentMessage } from '../transport/sender';

const RECORD: ICheckProcessedOptions = { mode: 'entries', maxEntries: CAMPAIGN_MAX_ENTRIES };

type Build = (this: IExecuteFunctions, itemIndex: number) => Promise<MessageSend>;

type Built = { ok: true; message: MessageSend; entry: string } | { ok: false; error: unknown };

export interface Campaign {
	/** The sender's `build`: skips recipients recorded for the key, in batches of checks. */
	build: Build;
	/** Records a recipient once Meta accepted its message. */
	onSettled(outcome: SendOutcome): void;
	/** Waits until every accepted recipient is recorded. */
	flush(): Promise<void>;
	readonly key: string;
	readonly skipped: number;
}

/** The Campaign Key option, checked: undefined when it is not set. */
export function readCampaignKey(this: IExecuteFunctions): string | undefined {
	const options = this.getNodeParameter('sendingOptions', 0, {}) as { campaignKey?: unknown };
	if (options.campaignKey === undefined || options.campaignKey === '') return undefined;
	if (typeof options.campaignKey !== 'string' || options.campaignKey.trim() === '') {
		throw new NodeOperationError(this.getNode(), 'Campaign Key must be text', { itemIndex: 0 });
	}
	const key = options.campaignKey.trim();
	if (key.length > CAMPAIGN_KEY_MAX_LENGTH) {
		throw new NodeOperationError(
			this.getNode(),
			`Campaign Key is ${key.length} characters long; the limit is ${CAMPAIGN_KEY_MAX_LENGTH}`,
			{ itemIndex: 0 },
		);
	}
	return key;
}

/** The run's campaign when the Campaign Key option is set. */
export function campaignFor(
	context: IExecuteFunctions,
	itemCount: number,
	build: Build,
): Campaign | undefined {
	const key = readCampaignKey.call(context);
	return key === undefined ? undefined : startCampaign(context, key, itemCount, build);
}

export function startCampaign(
	context: IExecuteFunctions,
	key: string,
	itemCount: number,
	build: Build,
): Campaign {
	if (typeof context.helpers.checkProcessedAndRecord !== 'function') {
		throw new NodeOperationError(
			context.getNode(),
			"Campaign Key needs n8n's de-duplication helpers, which this n8n version does not offer",
			{ itemIndex: 0 },
		);
	}
	const helpers = context.helpers;
	const built = new Map<number, Built>();
	const skip = new Set<number>();
	const entryOf = new Map<number, string>();
	const inThisRun = new Set<string>();
	let toRecord: string[] = [];
	let queue: Promise<unknown> = Promise.resolve();
	let skipped = 0;

	/** One database call after the previous one. */
	const serial = <T>(call: () => Promise<T>): Promise<T> => {
		const next = queue.then(call);
		queue = next.catch(() => undefined);
		return next;
	};

	const checkBatch = async (self: IExecuteFunctions, first: number) => {
		const last = Math.min(itemCount, first + CAMPAIGN_CHECK_BATCH);
		const fresh: string[] = [];
		for (let itemIndex = first; itemIndex < last; itemIndex++) {
			try {
				const message = await build.call(self, itemIndex);
				const recipient = campaignRecipient(message.payload);
				// read receipts (Mark as Read) have no recipient: the key does not apply to them
				if (recipient === '' || message.payload.status === 'read') {
					built.set(itemIndex, { ok: true, message, entry: '' });
					continue;
				}
				const entry = campaignEntry(key, message.phoneNumberId, recipient);
				built.set(itemIndex, { ok: true, message, entry });
				entryOf.set(itemIndex, entry);
				// the same recipient twice in one run: the first item sends, the others are skipped
				if (inThisRun.has(entry)) skip.add(itemIndex);
				else {
					inThisRun.add(entry);
					fresh.push(entry);
				}
			} catch (error) {
				built.set(itemIndex, { ok: false, error });
			}
		}
		if (fresh.length === 0) return;
		const recorded = await serial(async () => {
			const result = await helpers.checkProcessedAndRecord(fresh, 'node', RECORD);
			// checking recorded the new ones too: take them out, they are not sent yet
			if (result.new.length > 0) await helpers.removeProcessed(result.new, 'node', RECORD);
			return new Set(result.processed.map(String));
		});
		for (let itemIndex = first; itemIndex < last; itemIndex++) {
			const item = built.get(itemIndex);
			if (item?.ok && item.entry !== '' && recorded.has(item.entry)) skip.add(itemIndex);
		}
	};

	let flushing: Promise<void> | undefined;
	let unrecorded = 0;
	let recordError: unknown;
	const drain = async (): Promise<void> => {
		while (toRecord.length > 0 || flushing) {
			if (flushing) {
				await flushing;
				continue;
			}
			const batch = toRecord;
			toRecord = [];
			flushing = serial(async () => {
				await helpers.checkProcessedAndRecord(batch, 'node', RECORD);
			})
				.catch((error: unknown) => {
					unrecorded += batch.length;
					recordError = error;
				})
				.finally(() => {
					flushing = undefined;
				});
		}
	};
	const flush = async (): Promise<void> => {
		await drain();
		if (recordError === undefined) return;
		throw new NodeOperationError(
			context.getNode(),
			`Campaign Key "${key}": ${unrecorded} recipients Meta accepted could not be recorded, so a re-run would send to them again`,
			{ description: (recordError as Error).message ?? String(recordError) },
		);
	};

	return {
		key,
		get skipped() {
			return skipped;
		},
		async build(this: IExecuteFunctions, itemIndex: number): Promise<MessageSend> {
			if (!built.has(itemIndex)) await checkBatch(this, itemIndex);
			const item = built.get(itemIndex) as Built;
			built.delete(itemIndex);
			if (!item.ok) throw item.error;
			if (!skip.has(itemIndex)) return item.message;
			skipped++;
			return { ...item.message, skipped: skippedOutput(item.message, key) };
		},
		onSettled: (outcome) => {
			if (!outcome.ok || isSkipped(outcome.sent)) return;
			const entry = entryOf.get(outcome.itemIndex);
			if (entry === undefined) return;
			toRecord.push(entry);
			// record as soon as possible: what a crash can double is what is not recorded yet
			void drain();
		},
		flush,
	};
}

/** Whether a settled item was skipped for its campaign key rather than sent. */
export function isSkipped(sent: SentMessage): boolean {
	return sent.kind === 'message' && sent.status === 'skipped';
}

/** The output of an item not sent because its recipient is recorded for the key. */
function skippedOutput(message: MessageSend, key: string): SentMessage {
	const address = message.payload.to !== undefined ? { to: message.payload.to } : {};
	const recipient =
		message.payload.recipient !== undefined ? { recipient: message.payload.recipient } : {};
	return {
		kind: 'message',
		phoneNumberId: message.phoneNumberId,
		...address,
		...recipient,
		status: 'skipped',
		attempts: 0,
		retried: false,
		extraOutput: { skippedReason: `already sent for campaign key "${key}"` },
	};
}
