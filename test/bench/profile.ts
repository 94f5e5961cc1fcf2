/**
 * Investigation aid for the sending benchmark (not part of `npm run bench`):
 * `npx ts-node --transpile-only test/bench/profile.ts [messages] [rate] [--raw] [--external]`
 *
 * Prints the timeline of one broadcast: when the first request reached the emulator after the node
 * started, request arrivals and acceptances per 250 ms, TCP connections opened. `--raw` sends the same
 * payloads with a plain paced HTTP client (no n8n, no node) to show what the emulator and this
 * machine allow by themselves. `--external` runs the emulator in a child process (own thread and GC).
 */
import type http from 'node:http';

import { startEmulator } from '../emulator';
import type { AcceptedMessage, Emulator, EmulatorConfig, RequestRecord } from '../emulator';
import { startEmulatorProcess } from './emulatorProcess';
import { rawBroadcast } from './rawClient';
import { distinctRecipients, machineInfo, profiled, rateFigures } from './measure';
import { LATENCY_MS } from './scenarios/broadcast';
import { runSendText } from './sendText';

function countConnections(emulator: Emulator): () => number {
	let connections = 0;
	// The server is private to the emulator; counting its connections needs no change to it.
	(emulator as unknown as { server: http.Server }).server.on('connection', () => connections++);
	return () => connections;
}

function timeline(label: string, times: number[], origin: number, bucketMs = 250): string {
	const counts = new Map<number, number>();
	for (const time of times) {
		const bucket = Math.floor((time - origin) / bucketMs);
		counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
	}
	const last = Math.max(...counts.keys());
	const cells: string[] = [];
	for (let bucket = 0; bucket <= last; bucket++) cells.push(String(counts.get(bucket) ?? 0));
	return `${label} per ${bucketMs} ms from node start: ${cells.join(' ')}`;
}

async function main() {
	const args = process.argv.slice(2);
	const raw = args.includes('--raw');
	const external = args.includes('--external');
	const [messages = 2000, rate = 1000] = args.filter((arg) => !arg.startsWith('--')).map(Number);
	process.stdout.write(`${JSON.stringify(machineInfo())}\n`);
	const settings = {
		messagesPerSecond: rate,
		highMessagesPerSecond: rate,
		latency: { kind: 'fixed' as const, ms: LATENCY_MS },
	};
	let emulator: {
		config: EmulatorConfig;
		messages(): Promise<AcceptedMessage[]> | AcceptedMessage[];
		requests(): Promise<RequestRecord[]> | RequestRecord[];
		stop(): Promise<void>;
	};
	let connections = () => -1;
	if (external) {
		const child = await startEmulatorProcess();
		await child.configure(settings);
		emulator = child;
	} else {
		const local = await startEmulator({ port: 0, ...settings });
		connections = countConnections(local);
		emulator = local;
	}
	const phoneNumberId = emulator.config.phoneNumberIds[1];
	if (!raw) {
		// Warm up n8n (lazy module loading, JIT) on another number, as the bench's earlier scenarios do.
		await runSendText({
			emulator,
			phoneNumberId: emulator.config.phoneNumberIds[0],
			items: distinctRecipients(200, 'warmup'),
			messagesPerSecond: rate,
		});
	}
	const origin = Date.now();
	let profile;
	if (raw) {
		profile = (
			await profiled(async () => await rawBroadcast(emulator, phoneNumberId, messages, rate))
		).profile;
	} else {
		profile = (
			await runSendText({
				emulator,
				phoneNumberId,
				items: distinctRecipients(messages, 'profile'),
				messagesPerSecond: rate,
			})
		).profile;
	}
	const requests = (await emulator.requests())
		.filter((request) => request.path.includes(phoneNumberId))
		.map((request) => request.at);
	const accepted = (await emulator.messages()).filter(
		(message) => message.phoneNumberId === phoneNumberId,
	);
	const rateFigure = rateFigures(accepted, rate, 1);
	process.stdout.write(
		[
			`${raw ? 'raw client' : 'node via n8n'}: ${messages} messages at ${rate}/s, emulator ${external ? 'in a child process' : 'in this process'}`,
			`profile ${JSON.stringify(profile)}`,
			`first request ${Math.min(...requests) - origin} ms after start; last acceptance ${Math.max(...accepted.map((m) => m.at)) - origin} ms`,
			`rate first→last acceptance ${rateFigure.acceptedPerSecond.toFixed(1)}/s (ratio ${(rateFigure.acceptedPerSecond / rate).toFixed(3)}), accepted ${accepted.length}`,
			`TCP connections opened: ${connections()}`,
			timeline('requests', requests, origin),
			timeline(
				'accepted',
				accepted.map((m) => m.at),
				origin,
			),
		].join('\n') + '\n',
	);
	await emulator.stop();
}

main()
	.then(() => process.exit(0))
	.catch((error: unknown) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	});
