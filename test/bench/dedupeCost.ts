/**
 * CPU per webhook call of the trigger's shared de-duplication, by how full the static-data store
 * is: load (JSON.parse, as n8n's database driver does), check, merge, save (JSON.stringify). One
 * new event per call, like a steady stream of single messages.
 *
 *   npx ts-node --transpile-only test/bench/dedupeCost.ts
 */
import { DedupeStore, DeliveryDedupe } from '../../nodes/WhatsAppCloud/helpers/webhook/dedupe';
import type { WebhookItem } from '../../nodes/WhatsAppCloud/helpers/types/webhook';
import {
	readSharedSeen,
	SHARED_DEDUPE_MAX_TOKENS,
} from '../../nodes/WhatsAppCloud/helpers/webhook/sharedDedupe';

const WINDOW_MS = 10 * 60_000;
const store = new DedupeStore();
let saved = '';
let events = 0;

function webhookCall(): void {
	const loaded = readSharedSeen(saved ? JSON.parse(saved) : undefined);
	const dedupe = new DeliveryDedupe(store, loaded, WINDOW_MS);
	dedupe.fresh([
		{ event: 'message', messageId: `wamid.bench${events++}` } as unknown as WebhookItem,
	]);
	const value = dedupe.valueToSave();
	if (value) saved = JSON.stringify(value);
}

const rows: Array<Record<string, number>> = [];
for (const fill of [100, 1_000, 5_000, SHARED_DEDUPE_MAX_TOKENS, SHARED_DEDUPE_MAX_TOKENS * 2]) {
	while (events < fill) webhookCall();
	const calls = 300;
	const started = process.hrtime.bigint();
	for (let i = 0; i < calls; i++) webhookCall();
	const ms = Number(process.hrtime.bigint() - started) / 1e6 / calls;
	rows.push({
		eventsSeen: fill,
		msPerCall: Math.round(ms * 1000) / 1000,
		savedBytes: saved.length,
	});
}
console.table(rows);
