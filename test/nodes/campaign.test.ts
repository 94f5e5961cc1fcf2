/**
 * The Campaign Key option and a broadcast stopped by a bad item, through n8n-core against the
 * emulator. n8n's de-duplication helpers need its database; this file gives n8n-core's
 * DataDeduplicationService a deduplicator with the same rules as n8n's DeduplicationHelper
 * ("entries" mode: a list of MD5 hashes per node, the oldest dropped past maxEntries). The real
 * one, on PostgreSQL across workers, is exercised in test/e2e/queue/campaign.test.ts.
 */
import { createHash } from 'node:crypto';

import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	INodeParameters,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { runNode, emulatorCredentials } from './harness';

/** n8n's DeduplicationHelper, entries mode, on a Map instead of the processed_data table. */
class EntriesDeduplicator implements IDataDeduplicator {
	readonly rows = new Map<string, string[]>();
	calls = 0;

	/** n8n keys a node's row by its ID, stable across runs; the harness gives nodes a fresh ID per run. */
	private row(scope: DeduplicationScope, context: ICheckProcessedContextData): string {
		return `${context.workflow.id}|${scope === 'node' ? `n:${context.node?.name}` : ''}`;
	}

	private static hash(value: DeduplicationItemTypes): string {
		return createHash('md5').update(value.toString()).digest('base64');
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	) {
		this.calls++;
		const key = this.row(scope, context);
		const data = this.rows.get(key) ?? [];
		const seen = new Set(data);
		const result = {
			new: [] as DeduplicationItemTypes[],
			processed: [] as DeduplicationItemTypes[],
		};
		for (const item of items) {
			const hash = EntriesDeduplicator.hash(item);
			if (seen.has(hash)) result.processed.push(item);
			else {
				result.new.push(item);
				data.push(hash);
			}
		}
		if (options.maxEntries) data.splice(0, Math.max(0, data.length - options.maxEntries));
		this.rows.set(key, data);
		return result;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
	) {
		this.calls++;
		const data = this.rows.get(this.row(scope, context)) ?? [];
		for (const item of items) {
			const index = data.indexOf(EntriesDeduplicator.hash(item));
			if (index !== -1) data.splice(index, 1);
		}
	}

	async clearAllProcessedItems(scope: DeduplicationScope, context: ICheckProcessedContextData) {
		this.rows.delete(this.row(scope, context));
	}

	async getProcessedDataCount(scope: DeduplicationScope, context: ICheckProcessedContextData) {
		return (this.rows.get(this.row(scope, context)) ?? []).length;
	}
}

const deduplicator = new EntriesDeduplicator();
let emu: Emulator;

beforeAll(async () => {
	await DataDeduplicationService.init(deduplicator);
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => {
	emu.reset();
	deduplicator.rows.clear();
});

const credentials = () => emulatorCredentials(emu);

const recipients = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ to: `1650555${String(i).padStart(4, '0')}` }));

async function broadcast(
	items: Array<{ to: string }>,
	sendingOptions: INodeParameters = {},
	continueOnFail = false,
) {
	return await runNode({
		node: new WhatsAppCloud(),
		parameters: {
			resource: 'message',
			operation: 'sendText',
			phoneNumberId: { mode: 'id', value: emu.config.phoneNumberIds[0] },
			recipient: '={{ $json.to }}',
			textBody: 'Spring sale',
			sendingOptions,
		},
		items: items.map((json) => ({ json })),
		credentials: credentials(),
		continueOnFail,
	});
}

const sentTo = () => emu.messages().map((m) => m.to);

describe('Campaign Key', () => {
	it('a re-run with the same key sends nothing again and says how many it skipped', async () => {
		const items = recipients(12);
		const first = await broadcast(items, { campaignKey: 'spring' });
		expect(first.error).toBeUndefined();
		expect(sentTo().sort()).toEqual(items.map((i) => i.to).sort());
		expect(first.outputs[0].map((i) => i.json.status)).toEqual(items.map(() => 'accepted'));
		expect(first.outputs[0][0].json.campaign).toEqual({ campaignKey: 'spring', skipped: 0 });

		const again = await broadcast(items, { campaignKey: 'spring' });
		expect(again.error).toBeUndefined();
		expect(emu.messages()).toHaveLength(12);
		expect(again.outputs[0]).toHaveLength(12);
		for (const [index, item] of again.outputs[0].entries()) {
			expect(item.json).toMatchObject({
				status: 'skipped',
				to: items[index].to,
				attempts: 0,
				campaign: { campaignKey: 'spring', skipped: 12 },
			});
			expect(item.pairedItem).toEqual({ item: index });
		}

		// another key is another campaign
		await broadcast(items.slice(0, 2), { campaignKey: 'summer' });
		expect(emu.messages()).toHaveLength(14);
	});

	it('a recipient twice in one run gets one message', async () => {
		const items = [...recipients(3), recipients(1)[0]];
		const result = await broadcast(items, { campaignKey: 'once' });
		expect(sentTo()).toHaveLength(3);
		expect(result.outputs[0].map((i) => i.json.status)).toEqual([
			'accepted',
			'accepted',
			'accepted',
			'skipped',
		]);
		expect(result.outputs[0][3].json.campaign).toEqual({ campaignKey: 'once', skipped: 1 });
	});

	it('records only what Meta accepted: a refused recipient is sent to on the re-run', async () => {
		const items = recipients(4);
		emu.queueError(items[2].to, 131026, 1); // undeliverable: not retried
		const first = await broadcast(items, { campaignKey: 'retry' }, true);
		expect(first.outputs[0][2].json.error).toBeDefined();
		expect(sentTo()).toHaveLength(3);
		emu.reset();
		const again = await broadcast(items, { campaignKey: 'retry' }, true);
		expect(again.outputs[0].map((i) => i.json.status)).toEqual([
			'skipped',
			'skipped',
			'accepted',
			'skipped',
		]);
		expect(sentTo()).toEqual([items[2].to]);
	});

	it('does not apply to read receipts (they have no recipient)', async () => {
		const result = await runNode({
			node: new WhatsAppCloud(),
			parameters: {
				resource: 'message',
				operation: 'markAsRead',
				phoneNumberId: { mode: 'id', value: emu.config.phoneNumberIds[0] },
				readMessageId: '={{ $json.id }}',
				sendingOptions: { campaignKey: 'reads' },
			},
			items: [{ json: { id: 'wamid.R1' } }, { json: { id: 'wamid.R2' } }],
			credentials: credentials(),
		});
		expect(result.error).toBeUndefined();
		expect(emu.reads().map((r) => r.messageId)).toEqual(['wamid.R1', 'wamid.R2']);
	});

	it('rejects a key that is not text or too long', async () => {
		const result = await broadcast(recipients(1), { campaignKey: 'x'.repeat(201) });
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error?.message).toBe('Campaign Key is 201 characters long; the limit is 200');
		expect(emu.messages()).toHaveLength(0);
	});
});

describe('a bad item mid-broadcast without continue-on-fail (finding 6)', () => {
	it('the error lists exactly the items Meta accepted, with their message IDs; the key makes the re-run safe', async () => {
		const items = recipients(6);
		const bad = [...items];
		bad[3] = { to: 'not a phone number' };
		const stopped = await broadcast(bad, { campaignKey: 'stop' });
		expect(stopped.error).toBeDefined();
		const description = String((stopped.error as NodeOperationError).description);
		const accepted = emu.messages();
		expect(accepted.length).toBeGreaterThan(0);
		for (const message of accepted) {
			const itemIndex = items.findIndex((i) => i.to === message.to);
			expect(description).toContain(`${itemIndex}: ${message.wamid}`);
		}
		expect(description.match(/wamid\./g) ?? []).toHaveLength(accepted.length);

		// fixed and re-run with the same key: only the items not yet sent go out
		emu.reset();
		const rerun = await broadcast(items, { campaignKey: 'stop' });
		expect(rerun.error).toBeUndefined();
		const resent = sentTo();
		expect(resent.filter((to) => accepted.some((m) => m.to === to))).toEqual([]);
		expect(resent.length + accepted.length).toBe(6);
		expect(rerun.outputs[0][0].json.campaign).toEqual({
			campaignKey: 'stop',
			skipped: accepted.length,
		});
	});
});
