/**
 * A plain paced HTTP client (keep-alive, no n8n, no node) sending the same text payloads: what the
 * emulator and this machine sustain by themselves, the ceiling for the node's figures.
 */
import http from 'node:http';

import type { EmulatorConfig } from '../emulator';
import { distinctRecipients } from './measure';

/** Sends `messages` texts at `rate` per second, each on its own schedule; resolves when all answered. */
export async function rawBroadcast(
	emulator: { config: EmulatorConfig },
	phoneNumberId: string,
	messages: number,
	rate: number,
): Promise<void> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 2000 });
	const url = new URL(
		`${emulator.config.baseUrl}/${emulator.config.apiVersion}/${phoneNumberId}/messages`,
	);
	const items = distinctRecipients(messages, 'rawClient');
	const start = Date.now();
	await Promise.all(
		items.map(
			(item, index) =>
				new Promise<void>((resolve) => {
					setTimeout(
						() => {
							const body = JSON.stringify({
								messaging_product: 'whatsapp',
								recipient_type: 'individual',
								to: item.to,
								type: 'text',
								text: { body: item.text },
							});
							const request = http.request(
								url,
								{
									method: 'POST',
									agent,
									headers: {
										authorization: `Bearer ${emulator.config.token}`,
										'content-type': 'application/json',
										'content-length': Buffer.byteLength(body),
									},
								},
								(response) => {
									response.resume();
									response.on('end', () => resolve());
								},
							);
							request.on('error', () => resolve());
							request.end(body);
						},
						Math.max(0, start + (index * 1000) / rate - Date.now()),
					);
				}),
		),
	);
	agent.destroy();
}
