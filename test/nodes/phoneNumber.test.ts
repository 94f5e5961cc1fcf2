/** Phone number list/get and the phone number picker, through n8n-core against the emulator. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import type { Emulator } from '../emulator';
import { SEED_PHONE_NUMBERS, startEmulator } from '../emulator';
import { callLoadOptions, runNode } from './harness';

let emu: Emulator;

const credentials = (e: Emulator = emu, overrides: Record<string, string> = {}) => ({
	whatsAppCloudApi: {
		accessToken: e.config.token,
		appSecret: e.config.appSecret,
		appId: e.config.appId,
		businessAccountId: e.config.wabaId,
		apiVersion: e.config.apiVersion,
		baseUrl: e.baseUrl,
		verifyToken: 'x',
		...overrides,
	},
});

/** What Get and List return per number: the fields we ask Graph for, as Graph sends them. */
const expected = (p: (typeof SEED_PHONE_NUMBERS)[number]) => ({
	id: p.id,
	display_phone_number: p.display_phone_number,
	verified_name: p.verified_name,
	quality_rating: p.quality_rating,
	throughput: p.throughput,
	whatsapp_business_manager_messaging_limit: p.whatsapp_business_manager_messaging_limit,
	name_status: p.name_status,
	platform_type: p.platform_type,
	code_verification_status: p.code_verification_status,
	status: p.status,
});

beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => emu.reset());

describe('phoneNumber: list', () => {
	it('returns every number of the WABA with the requested fields', async () => {
		const { outputs, error } = await runNode({
			node: new WhatsAppCloud(),
			parameters: { resource: 'phoneNumber', operation: 'list', returnAll: true },
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => i.json)).toEqual(SEED_PHONE_NUMBERS.map(expected));
		expect(outputs[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
		expect(emu.requests()).toEqual([
			expect.objectContaining({
				method: 'GET',
				path: `/${emu.config.apiVersion}/${emu.config.wabaId}/phone_numbers`,
			}),
		]);
	});

	it('stops at the limit', async () => {
		const { outputs } = await runNode({
			node: new WhatsAppCloud(),
			parameters: { resource: 'phoneNumber', operation: 'list', returnAll: false, limit: 2 },
			credentials: credentials(),
		});
		expect(outputs[0].map((i) => i.json.id)).toEqual(
			SEED_PHONE_NUMBERS.slice(0, 2).map((p) => p.id),
		);
	});

	it('follows Graph paging for large accounts', async () => {
		const many = Array.from({ length: 150 }, (_, i) => ({
			...SEED_PHONE_NUMBERS[0],
			id: String(200000000000000 + i),
			display_phone_number: `+1 555-100-${String(i).padStart(4, '0')}`,
		}));
		const big = await startEmulator({ port: 0, phoneNumbers: many });
		try {
			const all = await runNode({
				node: new WhatsAppCloud(),
				parameters: { resource: 'phoneNumber', operation: 'list', returnAll: true },
				credentials: credentials(big),
			});
			expect(all.error).toBeUndefined();
			expect(all.outputs[0].map((i) => i.json.id)).toEqual(many.map((p) => p.id));
			expect(big.requests()).toHaveLength(2);
			big.reset();
			const some = await runNode({
				node: new WhatsAppCloud(),
				parameters: { resource: 'phoneNumber', operation: 'list', returnAll: false, limit: 120 },
				credentials: credentials(big),
			});
			expect(some.outputs[0].map((i) => i.json.id)).toEqual(many.slice(0, 120).map((p) => p.id));
		} finally {
			await big.stop();
		}
	});

	it('says where to find the WABA ID when the credential has none', async () => {
		const { error } = await runNode({
			node: new WhatsAppCloud(),
			parameters: { resource: 'phoneNumber', operation: 'list', returnAll: true },
			credentials: credentials(emu, { businessAccountId: '' }),
		});
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe(
			'The credential has no WhatsApp Business Account ID, which templates and phone number lists need',
		);
		expect(emu.requests()).toEqual([]);
	});
});

describe('phoneNumber: get', () => {
	it.each(SEED_PHONE_NUMBERS.map((p) => [p.verified_name, p] as const))(
		'%s: quality, throughput, messaging limit, name and verification status',
		async (_name, phone) => {
			const { outputs, error } = await runNode({
				node: new WhatsAppCloud(),
				parameters: {
					resource: 'phoneNumber',
					operation: 'get',
					phoneNumberId: { __rl: true, mode: 'list', value: phone.id },
				},
				credentials: credentials(),
			});
			expect(error).toBeUndefined();
			expect(outputs[0].map((i) => i.json)).toEqual([expected(phone)]);
		},
	);

	it("surfaces Graph's error for an unknown number", async () => {
		const { error } = await runNode({
			node: new WhatsAppCloud(),
			parameters: {
				resource: 'phoneNumber',
				operation: 'get',
				phoneNumberId: { __rl: true, mode: 'id', value: '42' },
			},
			credentials: credentials(),
		});
		expect(error).toBeInstanceOf(NodeApiError);
		const { message, description } = error as NodeApiError;
		expect(`${message}\n${description}`).toMatch(/'42' does not exist/);
		expect(message).toMatch(/^\(#100\) /);
	});

	it('asks again with messaging_limit_tier when the API version lacks the new field', async () => {
		const seen: string[] = [];
		const server = http.createServer((req, res) => {
			const url = new URL(req.url!, 'http://x');
			seen.push(url.searchParams.get('fields') ?? '');
			res.setHeader('content-type', 'application/json');
			if (url.searchParams.get('fields')!.includes('whatsapp_business_manager_messaging_limit')) {
				res.statusCode = 400;
				res.end(
					JSON.stringify({
						error: {
							message:
								'(#100) Tried accessing nonexisting field (whatsapp_business_manager_messaging_limit) on node type (WhatsAppBusinessPhoneNumber)',
							type: 'OAuthException',
							code: 100,
							fbtrace_id: 'A1',
						},
					}),
				);
				return;
			}
			res.end(
				JSON.stringify({
					id: '5',
					display_phone_number: '+1 555-000-0005',
					messaging_limit_tier: 'TIER_1K',
				}),
			);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const { outputs, error } = await runNode({
				node: new WhatsAppCloud(),
				parameters: {
					resource: 'phoneNumber',
					operation: 'get',
					phoneNumberId: { __rl: true, mode: 'id', value: '5' },
				},
				credentials: credentials(emu, {
					baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
					apiVersion: 'v21.0',
				}),
			});
			expect(error).toBeUndefined();
			expect(outputs[0][0].json).toEqual({
				id: '5',
				display_phone_number: '+1 555-000-0005',
				messaging_limit_tier: 'TIER_1K',
			});
			expect(seen).toHaveLength(2);
			expect(seen[0]).toContain('whatsapp_business_manager_messaging_limit');
			expect(seen[1]).toBe(
				seen[0].replace('whatsapp_business_manager_messaging_limit', 'messaging_limit_tier'),
			);
		} finally {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});

describe('listSearch: searchPhoneNumbers', () => {
	const search = async (filter?: string, overrides: Record<string, string> = {}) =>
		await callLoadOptions({
			node: new WhatsAppCloud(),
			kind: 'listSearch',
			method: 'searchPhoneNumbers',
			credentials: credentials(emu, overrides),
			filter,
		});

	it('lists the WABA numbers as "<display number> (<verified name>)" → phone number ID', async () => {
		expect(await search()).toEqual({
			results: SEED_PHONE_NUMBERS.map((p) => ({
				name: `${p.display_phone_number} (${p.verified_name})`,
				value: p.id,
			})),
		});
	});

	it.each([
		['support', ['Emulator Support']],
		['BROADCAST', ['Emulator Broadcasts']],
		['0783882', ['Emulator Broadcasts']],
		['555 078 3883', ['Emulator Support']],
		['emulator', ['Emulator Shop', 'Emulator Broadcasts', 'Emulator Support']],
		['nothing like it', []],
	])('filters by %p', async (filter, names) => {
		const result = (await search(filter)) as { results: Array<{ name: string }> };
		expect(result.results.map((r) => r.name.replace(/^.*\((.*)\)$/, '$1'))).toEqual(names);
	});

	it('throws a clear error when the credential has no WABA ID', async () => {
		await expect(search(undefined, { businessAccountId: '' })).rejects.toThrow(
			'Add the WhatsApp Business Account ID to the credential to pick from a list, or switch to "By ID"',
		);
	});
});
