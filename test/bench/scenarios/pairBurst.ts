/** Many messages to ONE recipient: the pair limit (45 in a burst, then 1 per 6 s) paces them. */
import { startEmulator } from '../../emulator';
import { deliveryFigures, emulatorAnswers, outputFigures, round, sameRecipient } from '../measure';
import { runSendText } from '../sendText';
import { LATENCY_MS } from './broadcast';

export interface PairBurstFigures {
	messages: number;
	pairBurst: number;
	pairIntervalSeconds: number;
	delivered: number;
	/** 131056 the emulator answered (each one a retry the node had to make). */
	code131056Retries: number;
	lost: number;
	duplicates: number;
	unexpected: number;
	/** Whether the emulator accepted the messages in item order. */
	inOrder: boolean;
	surfacedErrors: number;
	wallSeconds: number;
	/** The least time Meta's pair limit allows: (messages − burst) × interval. */
	minimumSeconds: number;
	/** wallSeconds / minimumSeconds. */
	timeRatio: number;
	nodeError: string | null;
}

export async function runPairBurst(options: {
	messages: number;
	phoneNumberIndex: number;
}): Promise<PairBurstFigures> {
	const emulator = await startEmulator({
		port: 0,
		messagesPerSecond: 80,
		latency: { kind: 'fixed', ms: LATENCY_MS },
	});
	try {
		const { burst, intervalMs } = emulator.settings.pairRate;
		const phoneNumberId = emulator.config.phoneNumberIds[options.phoneNumberIndex];
		const items = sameRecipient(options.messages, '4917612345678', 'pairBurst');
		const run = await runSendText({
			emulator,
			phoneNumberId,
			items,
			messagesPerSecond: 80,
			onError: 'continueErrorOutput',
		});
		const accepted = emulator.messages();
		const delivery = deliveryFigures(items, accepted);
		const answers = emulatorAnswers(emulator.requests());
		const output = outputFigures(run.outputs, items.length);
		const order = accepted.map((message) => (message.body.text as { body: string }).body);
		const minimumSeconds = (Math.max(0, options.messages - burst) * intervalMs) / 1000;
		return {
			messages: options.messages,
			pairBurst: burst,
			pairIntervalSeconds: intervalMs / 1000,
			delivered: delivery.accepted - delivery.duplicates - delivery.unexpected,
			code131056Retries: answers.byCode['131056'] ?? 0,
			lost: delivery.lost,
			duplicates: delivery.duplicates,
			unexpected: delivery.unexpected,
			inOrder: order.every((text, index) => text === items[index]?.text),
			surfacedErrors: output.errors,
			wallSeconds: run.profile.wallSeconds,
			minimumSeconds,
			timeRatio: minimumSeconds > 0 ? round(run.profile.wallSeconds / minimumSeconds) : 0,
			nodeError: run.error ? run.error.message : null,
		};
	} finally {
		await emulator.stop();
	}
}
