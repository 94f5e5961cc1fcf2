import { readFileSync } from 'fs';
import path from 'path';

import type { WebhookItem } from '../../nodes/WhatsAppCloud/helpers/types/webhook';
import type { EventFilter } from '../../nodes/WhatsAppCloud/helpers/webhook/filter';
import { filterItems, parseIdList } from '../../nodes/WhatsAppCloud/helpers/webhook/filter';
import { parseWebhookPayload } from '../../nodes/WhatsAppCloud/helpers/webhook/parse';

const load = (name: string): WebhookItem[] =>
	parseWebhookPayload(
		(
			JSON.parse(
				readFileSync(path.join(__dirname, 'fixtures', 'webhooks', `${name}.json`), 'utf8'),
			) as { payload: unknown }
		).payload,
	).items;

// batch: 2 messages (pn 106…), 2 statuses delivered/read (pn 113…), 1 error (pn 120…, waba 109…),
// 1 template status update (waba 109…)
const batch = load('batched-multi-entry');
const extra = [
	...load('message-image'),
	...load('message-future-type'),
	...load('field-unknown-future-field'),
	...load('status-failed'),
];
const all = [...batch, ...extra];

const summary = (items: WebhookItem[]) =>
	items.map((item) => {
		const detail =
			(item as { type?: string }).type ??
			(item as { status?: string }).status ??
			(item as { code?: number }).code;
		return `${item.event}${detail === undefined ? '' : `:${detail}`}`;
	});

describe('filterItems', () => {
	it.each<[string, EventFilter, string[]]>([
		[
			'empty filter passes everything',
			{},
			[
				'message:text',
				'message:text',
				'status:delivered',
				'status:read',
				'error:131016',
				'message_template_status_update',
				'message:image',
				'message:hologram',
				'quantum_entanglement_update',
				'status:failed',
			],
		],
		[
			'only messages',
			{ kinds: ['message'] },
			['message:text', 'message:text', 'message:image', 'message:hologram'],
		],
		['only statuses', { kinds: ['status'] }, ['status:delivered', 'status:read', 'status:failed']],
		['only errors', { kinds: ['error'] }, ['error:131016']],
		[
			'only other fields',
			{ kinds: ['field'] },
			['message_template_status_update', 'quantum_entanglement_update'],
		],
		['message types', { messageTypes: ['image'], kinds: ['message'] }, ['message:image']],
		[
			'message types incl. not-yet-known',
			{ messageTypes: ['image', 'other'], kinds: ['message'] },
			['message:image', 'message:hologram'],
		],
		[
			'status values',
			{ statuses: ['read', 'failed'], kinds: ['status'] },
			['status:read', 'status:failed'],
		],
		[
			'fields',
			{ fields: ['message_template_status_update'], kinds: ['field'] },
			['message_template_status_update'],
		],
		[
			'fields incl. not-yet-known',
			{ fields: ['other'], kinds: ['field'] },
			['quantum_entanglement_update'],
		],
		[
			'phone number IDs: events of other numbers dropped, events without a number kept',
			{ phoneNumberIds: ['113269274970227'] },
			[
				'status:delivered',
				'status:read',
				'message_template_status_update',
				'quantum_entanglement_update',
			],
		],
		[
			'business account IDs',
			{ wabaIds: ['109876543210123'] },
			['error:131016', 'message_template_status_update'],
		],
		[
			'message type filter does not touch other kinds',
			{ messageTypes: ['image'] },
			[
				'status:delivered',
				'status:read',
				'error:131016',
				'message_template_status_update',
				'message:image',
				'quantum_entanglement_update',
				'status:failed',
			],
		],
	])('%s', (_name, filter, expected) => {
		expect(summary(filterItems(all, filter))).toEqual(expected);
	});
});

describe('parseIdList', () => {
	it.each([
		['', []],
		['  ', []],
		['1,2', ['1', '2']],
		['1, 2 ;3\n4', ['1', '2', '3', '4']],
		[123, ['123']],
		[
			['1, 2', '3'],
			['1', '2', '3'],
		],
		[undefined, []],
		[null, []],
	])('%p', (input, output) => {
		expect(parseIdList(input)).toEqual(output);
	});
});

describe('call items (the calls field)', () => {
	const calls = [...load('field-calls'), ...load('calls-status-business-initiated')];

	it.each<[string, EventFilter, number]>([
		['no filter', {}, 3],
		['kind call', { kinds: ['call'] }, 3],
		['kind field, as before calls had a kind', { kinds: ['field'] }, 3],
		['kind field, calls among the fields', { kinds: ['field'], fields: ['calls'] }, 3],
		['kind field, other fields only', { kinds: ['field'], fields: ['account_update'] }, 0],
		['messages only', { kinds: ['message'] }, 0],
	])('%s', (_name, filter, count) => {
		expect(filterItems(calls, filter)).toHaveLength(count);
	});
});
