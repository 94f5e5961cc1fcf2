/** A broadcast: one text to each of many distinct recipients at the number's limit. */
import { DEFAULT_FAULTS, startEmulator } from '../../emulator';
import type { FaultSettings } from '../../emulator';
import {
	deliveryFigures,
	distinctRecipients,
	emulatorAnswers,
	outputFigures,
	rateFigures,
	round,
} from '../measure';
import { rawBroadcast } from '../rawClient';
import { runSendText } from '../sendText';

export const LATENCY_MS = 150;

export interface BroadcastOptions {
	scenario: string;
	messages: number;
	/** Emulator limit and the node's "Messages per Second". */
	messagesPerSecond: number;
	/** Index into the emulator's seeded phone numbers (0, 2: STANDARD; 1: HIGH). */
	phoneNumberIndex: number;
	faults?: Partial<FaultSettings>;
	/** Also measure a plain keep-alive HTTP client on the same emulator (the machine's ceiling). */
	rawClientBaseline?: boolean;
}

export interface BroadcastFigures {
	messages: number;
	limit: number;
	latencyMs: number;
	/** Accepted per second from the first to the last acceptance, divided by the limit. */
	rateRatio: number;
	/** Accepted per second over the node's whole execution (n8n start-up included) / limit. */
	wallRateRatio: number;
	/** Capacity of the emulator's bucket (full at the start) / acceptance span / limit. */
	initialBucketAllowance: number;
	peakPerSecond: number;
	acceptanceSpanSeconds: number;
	/** From the node's start to the emulator's first acceptance (start-up, building items, latency). */
	firstAcceptanceSeconds: number;
	wallSeconds: number;
	throttleErrorsSurfaced: number;
	surfacedErrors: number;
	surfacedErrorCodes: Record<string, number>;
	lost: number;
	duplicates: number;
	unexpected: number;
	missingOutputItems: number;
	/** 130429 the emulator answered because its limit was exceeded (not injected). */
	emulator130429: number;
	injected: Record<string, number>;
	messageRequests: number;
	attempts: number;
	nodeError: string | null;
	cpuCores: number;
	eventLoopDelayP99Ms: number;
	eventLoopDelayMaxMs: number;
	loadAverage1m: number;
	/** This process's CPU time per message (node, n8n and the in-process emulator). */
	cpuMsPerMessage: number;
	/**
	 * The rate one fully available core would allow at that CPU cost, over the limit:
	 * 1000 / cpuMsPerMessage / limit (above 1: CPU is not what limits this scenario).
	 */
	cpuBoundCeilingRatio: number;
	/** rateRatio of a plain paced HTTP client on the same emulator, same run (no n8n, no node). */
	rawClientRateRatio?: number;
}

export async function runBroadcast(options: BroadcastOptions): Promise<BroadcastFigures> {
	const emulator = await startEmulator({
		port: 0,
		messagesPerSecond: options.messagesPerSecond,
		highMessagesPerSecond: options.messagesPerSecond,
		latency: { kind: 'fixed', ms: LATENCY_MS },
		faults: { ...DEFAULT_FAULTS, ...options.faults },
	});
	try {
		const phoneNumberId = emulator.config.phoneNumberIds[options.phoneNumberIndex];
		const bucketSeconds = emulator.settings.burstSeconds;
		const items = distinctRecipients(options.messages, options.scenario);
		const run = await runSendText({
			emulator,
			phoneNumberId,
			items,
			messagesPerSecond: options.messagesPerSecond,
			onError: 'continueErrorOutput',
		});
		const accepted = emulator.messages();
		const delivery = deliveryFigures(items, accepted);
		const rate = rateFigures(accepted, options.messagesPerSecond, bucketSeconds);
		const answers = emulatorAnswers(emulator.requests());
		const output = outputFigures(run.outputs, items.length);
		const cpuMsPerMessage =
			(run.profile.cpuCores * run.profile.wallSeconds * 1000) / options.messages;
		let rawClientRateRatio: number | undefined;
		if (options.rawClientBaseline) {
			emulator.reset();
			await rawBroadcast(emulator, phoneNumberId, options.messages, options.messagesPerSecond);
			const raw = rateFigures(emulator.messages(), options.messagesPerSecond, bucketSeconds);
			rawClientRateRatio = round(raw.acceptedPerSecond / options.messagesPerSecond);
		}
		return {
			messages: options.messages,
			limit: options.messagesPerSecond,
			latencyMs: LATENCY_MS,
			rateRatio: round(rate.acceptedPerSecond / options.messagesPerSecond),
			wallRateRatio: round(delivery.accepted / run.profile.wallSeconds / options.messagesPerSecond),
			initialBucketAllowance: round(rate.initialBucketAllowance),
			peakPerSecond: rate.peakPerSecond,
			acceptanceSpanSeconds: round(rate.acceptanceSpanSeconds),
			firstAcceptanceSeconds: round(
				(Math.min(...accepted.map((message) => message.at)) - run.startedAt) / 1000,
			),
			wallSeconds: run.profile.wallSeconds,
			throttleErrorsSurfaced: output.errorCodes['130429'] ?? 0,
			surfacedErrors: output.errors,
			surfacedErrorCodes: output.errorCodes,
			lost: delivery.lost,
			duplicates: delivery.duplicates,
			unexpected: delivery.unexpected,
			missingOutputItems: output.missing,
			emulator130429: answers.byCode['130429'] ?? 0,
			injected: answers.injected,
			messageRequests: answers.messageRequests,
			attempts: output.attempts,
			nodeError: run.error ? run.error.message : null,
			cpuCores: run.profile.cpuCores,
			eventLoopDelayP99Ms: run.profile.eventLoopDelayP99Ms,
			eventLoopDelayMaxMs: run.profile.eventLoopDelayMaxMs,
			loadAverage1m: run.profile.loadAverage1m,
			cpuMsPerMessage: round(cpuMsPerMessage, 2),
			cpuBoundCeilingRatio: round(1000 / cpuMsPerMessage / options.messagesPerSecond),
			...(rawClientRateRatio === undefined ? {} : { rawClientRateRatio }),
		};
	} finally {
		await emulator.stop();
	}
}
