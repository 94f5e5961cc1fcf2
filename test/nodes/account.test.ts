/**
 * The account resources of the action node through n8n-core against the emulator — User (block,
 * unblock, list blocked, call permission), Business Profile, QR Code, Conversational Automation,
 * and what Phone Number → Get says a number allows. Each test asserts the exact Graph requests
 * (method, path, query, JSON body) and the output items; each of Meta's limits at its edge and one
 * past it (refused before any request, naming the field and the item).
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { callPermissionReply } from '../emulator/graph/calling';
import type { HarnessInputItem, RunNodeOptions } from './harness';
import { emulatorCredentials, runNode } from './harness';

let emu: Emulator;
let PHONE: string;
const CUSTOMER = '16505551234';
const text = (n: number) => 'a'.repeat(n);
const PNG = Buffer.from(
	'89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
		'1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
	'hex',
);

const credentials = (overrides: Record<string, string> = {}) => emulatorCredentials(emu, overrides);

beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
	PHONE = emu.config.phoneNumberIds[0];
});
afterAll(() => emu.stop());
beforeEach(() => {
	emu.reset();
	since = 0;
});

async function run(
	resource: string,
	operation: string,
	parameters: INodeParameters = {},
	options: Partial<Omit<RunNodeOptions, 'node' | 'parameters'>> & {
		items?: Array<INodeExecutionData | HarnessInputItem>;
	} = {},
) {
	return await runNode({
		node: new WhatsAppCloud(),
		parameters: {
			resource,
			operation,
			phoneNumberId: { __rl: true, mode: 'id', value: PHONE },
			...parameters,
		},
		credentials: credentials(),
		...options,
	});
}

let since = 0;
/** Later assertions see only the requests made from here on. */
const markRequests = () => {
	since = emu.requests().length;
};

/** The Graph requests since the reset or mark, as `{method, path (without the version), query, body}`. */
function graphRequests() {
	return emu
		.requests()
		.slice(since)
		.map((r) => {
			const call: IDataObject = {
				method: r.method,
				path: r.path.replace(`/${emu.config.apiVersion}`, ''),
			};
			if (r.query) call.query = r.query;
			if (r.body !== undefined) call.body = r.body;
			if (r.bodyBytes !== undefined) call.bodyBytes = r.bodyBytes;
			return call;
		});
}

const jsonOf = (result: Awaited<ReturnType<typeof run>>) => {
	expect(result.error).toBeUndefined();
	return result.outputs[0].map((item) => item.json);
};

/** Refused before any request, with the field and the limit in the error. */
function refused(result: Awaited<ReturnType<typeof run>>, message: string) {
	expect(result.error).toBeInstanceOf(NodeOperationError);
	expect(result.error!.message).toBe(message);
	expect((result.error as NodeOperationError).description).toContain('(item 0)');
	expect(graphRequests()).toEqual([]);
}

describe('user: block, list blocked, unblock', () => {
	it('a round trip: each user gets a result; reads reflect writes', async () => {
		emu.account.noteInbound(PHONE, CUSTOMER);
		const blocked = await run('user', 'block', { users: '+1 (650) 555-1234\n+1 650 555 0000' });
		expect(graphRequests()).toEqual([
			{
				method: 'POST',
				path: `/${PHONE}/block_users`,
				body: {
					messaging_product: 'whatsapp',
					block_users: [{ user: '+16505551234' }, { user: '+16505550000' }],
				},
			},
		]);
		expect(jsonOf(blocked)).toEqual([
			{
				phoneNumberId: PHONE,
				user: '+1 (650) 555-1234',
				action: 'block',
				ok: true,
				waId: CUSTOMER,
			},
			{
				phoneNumberId: PHONE,
				user: '+1 650 555 0000',
				action: 'block',
				ok: false,
				waId: '16505550000',
				error: {
					code: 131047,
					message: 'Re-engagement required',
					details: 'User has not messaged in the last 24 hours',
					hint: 'Meta blocks only users who messaged this number in the last 24 hours (and who are WhatsApp users).',
				},
			},
		]);
		expect(blocked.outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);

		emu.reset();
		since = 0;
		emu.account.noteInbound(PHONE, CUSTOMER);
		await run('user', 'block', { users: CUSTOMER });
		markRequests();
		const listed = await run('user', 'listBlocked', { returnAll: true });
		expect(jsonOf(listed)).toEqual([{ phoneNumberId: PHONE, waId: CUSTOMER }]);

		const unblocked = await run('user', 'unblock', { users: `+${CUSTOMER}` });
		expect(jsonOf(unblocked)).toEqual([
			{ phoneNumberId: PHONE, user: `+${CUSTOMER}`, action: 'unblock', ok: true, waId: CUSTOMER },
		]);
		expect(graphRequests().slice(-1)).toEqual([
			{
				method: 'DELETE',
				path: `/${PHONE}/block_users`,
				body: { messaging_product: 'whatsapp', block_users: [{ user: `+${CUSTOMER}` }] },
			},
		]);
		expect(emu.account.blockedUsers(PHONE)).toEqual([]);
	});

	it('users from an expression: a list, per item; business-scoped user IDs go as user_id', async () => {
		const bsuid = 'US.13491208655302741918';
		emu.account.noteInbound(PHONE, CUSTOMER);
		emu.account.noteInbound(PHONE, bsuid);
		const result = await run(
			'user',
			'block',
			{ users: '={{ $json.users }}' },
			{ items: [{ json: { users: [CUSTOMER, CUSTOMER] } }, { json: { users: [bsuid] } }] },
		);
		expect(jsonOf(result)).toEqual([
			{ phoneNumberId: PHONE, user: CUSTOMER, action: 'block', ok: true, waId: CUSTOMER },
			{ phoneNumberId: PHONE, user: bsuid, action: 'block', ok: true, userId: bsuid },
		]);
		expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(graphRequests().map((r) => r.body)).toEqual([
			{ messaging_product: 'whatsapp', block_users: [{ user: `+${CUSTOMER}` }] },
			{ messaging_product: 'whatsapp', block_users: [{ user_id: bsuid }] },
		]);
	});

	it('1,000 users go in one request, 1,001 in two; one result per user', async () => {
		const users = (n: number) =>
			Array.from({ length: n }, (_, i) => `4915${String(i).padStart(8, '0')}`);
		const thousand = await run('user', 'block', { users: users(1000).join(',') });
		expect(jsonOf(thousand)).toHaveLength(1000);
		expect(graphRequests()).toHaveLength(1);
		emu.reset();
		since = 0;
		const more = await run('user', 'block', { users: users(1001).join(',') });
		expect(jsonOf(more)).toHaveLength(1001);
		expect(
			graphRequests().map((r) => (r.body as { block_users: unknown[] }).block_users.length),
		).toEqual([1000, 1]);
	});

	it('64,000 users pass the blocklist cap, 64,001 are refused before any request', async () => {
		const users = (n: number) =>
			Array.from({ length: n }, (_, i) => String(4915000000000 + i)).join('\n');
		const all = await run('user', 'block', { users: users(64_000) });
		expect(jsonOf(all)).toHaveLength(64_000);
		expect(graphRequests()).toHaveLength(64);
		emu.reset();
		since = 0;
		refused(
			await run('user', 'block', { users: users(64_001) }),
			'users must have 1 to 64000 users; it has 64001',
		);
	}, 120_000);

	it('a bad user names its position and the item', async () => {
		refused(
			await run('user', 'block', { users: `${CUSTOMER}, call me` }),
			'The users[1] "call me" is not a phone number: only digits, spaces, +, -, ( ), . and / are allowed',
		);
	});

	it('a request refused as a whole is a Graph error of the item', async () => {
		const result = await run(
			'user',
			'block',
			{ users: CUSTOMER },
			{
				credentials: credentials({ accessToken: 'wrong' }),
			},
		);
		expect(result.error).toBeInstanceOf(NodeApiError);
	});

	it('List Blocked follows the cursor and stops at the limit', async () => {
		const users = Array.from({ length: 150 }, (_, i) => String(4917000000000 + i));
		for (const u of users) emu.account.noteInbound(PHONE, u);
		await run('user', 'block', { users: users.join('\n') });
		markRequests();
		const all = await run('user', 'listBlocked', { returnAll: true });
		expect(jsonOf(all).map((j) => j.waId)).toEqual(users);
		const pages = graphRequests();
		expect(pages).toHaveLength(2);
		expect(pages[0]).toEqual({
			method: 'GET',
			path: `/${PHONE}/block_users`,
			query: { limit: '100' },
		});
		expect(pages[1].query).toEqual({ limit: '100', after: expect.any(String) });
		const some = await run('user', 'listBlocked', { returnAll: false, limit: 7 });
		expect(jsonOf(some)).toHaveLength(7);
	});
});

describe('user: get call permission', () => {
	it('no permission yet: a request may be sent, no call', async () => {
		const json = jsonOf(await run('user', 'getCallPermission', { user: '+1 650 555 1234' }));
		expect(graphRequests()).toEqual([
			{ method: 'GET', path: `/${PHONE}/call_permissions`, query: { user_wa_id: CUSTOMER } },
		]);
		expect(json[0]).toMatchObject({
			phoneNumberId: PHONE,
			user: CUSTOMER,
			status: 'no_permission',
			expiresAt: null,
			canSendPermissionRequest: true,
			canStartCall: false,
		});
		expect(json[0].actions).toEqual([
			expect.objectContaining({ action_name: 'send_call_permission_request' }),
			expect.objectContaining({ action_name: 'start_call' }),
		]);
	});

	it('after the user accepted for 7 days: a temporary permission with its expiry', async () => {
		const expiresAt = Math.floor(Date.now() / 1000) + 7 * 86400;
		emu.calling.noteDelivered(
			JSON.stringify(callPermissionReply(CUSTOMER, 'accept', { phoneNumberId: PHONE, expiresAt })),
		);
		const [json] = jsonOf(await run('user', 'getCallPermission', { user: CUSTOMER }));
		expect(json).toMatchObject({
			status: 'temporary',
			expiresAt: new Date(expiresAt * 1000).toISOString(),
			canSendPermissionRequest: false,
			canStartCall: true,
		});
	});

	it('a business-scoped user ID is asked as recipient', async () => {
		await run('user', 'getCallPermission', { user: 'US.13491208655302741918' });
		expect(graphRequests()[0].query).toEqual({ recipient: 'US.13491208655302741918' });
	});
});

describe('business profile', () => {
	const FIELDS = 'about,address,description,email,profile_picture_url,websites,vertical';

	it("Get returns the number's profile", async () => {
		expect(jsonOf(await run('businessProfile', 'get'))).toEqual([
			{ phoneNumberId: PHONE, about: 'Hey there! I am using WhatsApp.', vertical: 'OTHER' },
		]);
		expect(graphRequests()).toEqual([
			{ method: 'GET', path: `/${PHONE}/whatsapp_business_profile`, query: { fields: FIELDS } },
		]);
	});

	it('Update sends only the fields added; Get reflects them; empty clears', async () => {
		const profileUpdate = {
			about: 'Fresh coffee daily',
			address: '1 Main St, Springfield',
			description: 'Roastery and café',
			email: 'hello@example.com',
			websites: ['https://example.com', 'https://shop.example.com'],
			vertical: 'RESTAURANT',
		};
		const [out] = jsonOf(await run('businessProfile', 'update', { profileUpdate }));
		expect(graphRequests()).toEqual([
			{
				method: 'POST',
				path: `/${PHONE}/whatsapp_business_profile`,
				body: { messaging_product: 'whatsapp', ...profileUpdate },
			},
		]);
		expect(out).toEqual({ success: true, phoneNumberId: PHONE, changes: profileUpdate });
		expect(jsonOf(await run('businessProfile', 'get'))[0]).toEqual({
			phoneNumberId: PHONE,
			...profileUpdate,
		});

		markRequests();
		await run('businessProfile', 'update', { profileUpdate: { address: '', vertical: 'NONE' } });
		expect(graphRequests()[0].body).toEqual({
			messaging_product: 'whatsapp',
			address: '',
			vertical: '',
		});
		const [after] = jsonOf(await run('businessProfile', 'get'));
		expect(after.address).toBeUndefined();
		expect(after.vertical).toBeUndefined();
	});

	it('websites from an expression may be text separated by commas', async () => {
		await run(
			'businessProfile',
			'update',
			{
				profileUpdate: { websites: '={{ $json.sites }}' },
			},
			{ items: [{ json: { sites: 'https://a.example, https://b.example' } }] },
		);
		expect(graphRequests()[0].body).toEqual({
			messaging_product: 'whatsapp',
			websites: ['https://a.example', 'https://b.example'],
		});
	});

	it('a profile photo from binary goes through the Resumable Upload API', async () => {
		const photo = Buffer.concat([PNG, Buffer.from('-profile')]);
		const [out] = jsonOf(
			await run(
				'businessProfile',
				'update',
				{ profileUpdate: { about: 'New look', profilePhotoBinaryField: 'photo' } },
				{
					items: [
						{
							json: {},
							binary: { photo: { data: photo, mimeType: 'image/png', fileName: 'logo.png' } },
						},
					],
				},
			),
		);
		const calls = graphRequests();
		expect(calls).toHaveLength(3);
		expect(calls[0]).toEqual({
			method: 'POST',
			path: `/${emu.config.appId}/uploads`,
			query: { file_name: 'logo.png', file_length: String(photo.length), file_type: 'image/png' },
		});
		expect(calls[1]).toMatchObject({ method: 'POST', bodyBytes: photo.length });
		expect(String(calls[1].path)).toMatch(/^\/upload:/);
		const handle = (calls[2].body as { profile_picture_handle: string }).profile_picture_handle;
		expect(calls[2]).toEqual({
			method: 'POST',
			path: `/${PHONE}/whatsapp_business_profile`,
			body: { messaging_product: 'whatsapp', about: 'New look', profile_picture_handle: handle },
		});
		expect(emu.account.uploadedFile(handle)?.bytes).toEqual(photo);
		expect(out.changes).toEqual({ about: 'New look', profile_picture_handle: handle });
		const [profile] = jsonOf(await run('businessProfile', 'get'));
		expect(profile.profile_picture_url).toEqual(
			expect.stringContaining('/__account/profile-picture/'),
		);
	});

	it('a photo that is no JPEG/PNG, or a credential without App ID, fails before any request', async () => {
		const gif = { data: Buffer.from('GIF89a'), mimeType: 'image/gif', fileName: 'a.gif' };
		refused(
			await run(
				'businessProfile',
				'update',
				{ profileUpdate: { profilePhotoBinaryField: 'data' } },
				{ items: [{ json: {}, binary: { data: gif } }] },
			),
			'Profile Photo "data" must be an image file of type one of image/jpeg, image/png; it has "image/gif"',
		);
		const result = await run(
			'businessProfile',
			'update',
			{ profileUpdate: { profilePhotoBinaryField: 'data' } },
			{
				items: [{ json: {}, binary: { data: { data: PNG, mimeType: 'image/png' } } }],
				credentials: credentials({ appId: '' }),
			},
		);
		expect(result.error!.message).toBe(
			'The credential has no App ID, which uploading a profile photo needs',
		);
		expect(emu.requests()).toEqual([]);
	});

	it.each([
		['about', text(139), text(140), 'about must be 1 to 139 characters; it has 140'],
		['address', text(256), text(257), 'address must be at most 256 characters; it has 257'],
		['description', text(512), text(513), 'description must be at most 512 characters; it has 513'],
		[
			'email',
			`${text(116)}@example.com`,
			`${text(117)}@example.com`,
			'email must be at most 128 characters; it has 129',
		],
		[
			'websites',
			['https://a.example', 'https://b.example'],
			['https://a.example', 'https://b.example', 'https://c.example'],
			'websites must have 0 to 2 websites; it has 3',
		],
		[
			'websites',
			[`https://example.com/${text(236)}`],
			[`https://example.com/${text(237)}`],
			'websites[0] must be at most 256 characters; it has 257',
		],
	])('%s: the limit passes, one more is refused', async (field, edge, over, message) => {
		const ok = await run('businessProfile', 'update', { profileUpdate: { [field]: edge } });
		expect(ok.error).toBeUndefined();
		expect(graphRequests()[0].body).toEqual({ messaging_product: 'whatsapp', [field]: edge });
		emu.reset();
		since = 0;
		refused(await run('businessProfile', 'update', { profileUpdate: { [field]: over } }), message);
	});

	it('an empty About, a bad email or no field at all are refused', async () => {
		refused(
			await run('businessProfile', 'update', { profileUpdate: { about: '' } }),
			'about is required (1 to 139 characters); it is empty',
		);
		refused(
			await run('businessProfile', 'update', { profileUpdate: { email: 'not-an-email' } }),
			'email must be an email address; "not-an-email" is not',
		);
		refused(
			await run('businessProfile', 'update', { profileUpdate: {} }),
			'The profile update changes nothing: give at least one field',
		);
	});
});

describe('QR codes', () => {
	const create = (prefilledMessage: string, imageFormat = 'PNG') =>
		run('qrCode', 'create', { prefilledMessage, imageFormat, binaryPropertyName: 'qr' });

	it('Create returns the code and link, and its PNG image as binary', async () => {
		const result = await create('Hi! I saw your poster');
		const [item] = result.outputs[0];
		const code = String(item.json.code);
		expect(item.json).toEqual({
			phoneNumberId: PHONE,
			code,
			prefilled_message: 'Hi! I saw your poster',
			deep_link_url: `https://wa.me/message/${code}`,
			qr_image_url: expect.stringContaining(`/__account/qr/${code}.png`),
		});
		expect(graphRequests()).toEqual([
			{
				method: 'POST',
				path: `/${PHONE}/message_qrdls`,
				body: { prefilled_message: 'Hi! I saw your poster', generate_qr_image: 'PNG' },
			},
			{
				method: 'GET',
				path: `/__account/qr/${code}.png`,
				query: { sig: expect.any(String) },
			},
		]);
		expect(item.binary?.qr).toMatchObject({ mimeType: 'image/png', fileName: `${code}.png` });
		const png = await result.binary(item, 'qr');
		expect(png.subarray(0, 8)).toEqual(PNG.subarray(0, 8));
	});

	it('Create in SVG', async () => {
		const result = await create('Hello', 'SVG');
		const [item] = result.outputs[0];
		expect(item.binary?.qr).toMatchObject({ mimeType: 'image/svg+xml' });
		expect((await result.binary(item, 'qr')).toString('utf8')).toContain('<svg');
	});

	it('List, Get (with and without image), Update and Delete; reads reflect writes', async () => {
		const first = String((await create('One')).outputs[0][0].json.code);
		const second = String((await create('Two')).outputs[0][0].json.code);
		markRequests();

		const listed = jsonOf(await run('qrCode', 'list', { returnAll: true, imageFormat: 'none' }));
		expect(listed.map((j) => [j.code, j.prefilled_message, j.qr_image_url])).toEqual([
			[first, 'One', undefined],
			[second, 'Two', undefined],
		]);
		expect(graphRequests()).toEqual([
			{
				method: 'GET',
				path: `/${PHONE}/message_qrdls`,
				query: { limit: '100', fields: 'code,prefilled_message,deep_link_url' },
			},
		]);
		const withUrls = jsonOf(await run('qrCode', 'list', { returnAll: true, imageFormat: 'SVG' }));
		expect(withUrls[0].qr_image_url).toEqual(expect.stringContaining('.svg'));

		markRequests();
		const plain = await run('qrCode', 'get', { qrCode: first, imageFormat: 'none' });
		expect(plain.outputs[0][0].binary).toBeUndefined();
		expect(graphRequests()).toEqual([
			{
				method: 'GET',
				path: `/${PHONE}/message_qrdls/${first}`,
				query: { fields: 'code,prefilled_message,deep_link_url' },
			},
		]);
		const withImage = await run('qrCode', 'get', {
			qrCode: first,
			imageFormat: 'PNG',
			binaryPropertyName: 'image',
		});
		expect(withImage.outputs[0][0].binary?.image).toMatchObject({ mimeType: 'image/png' });

		markRequests();
		const [updated] = jsonOf(
			await run('qrCode', 'update', { qrCode: first, prefilledMessage: 'One, updated' }),
		);
		expect(graphRequests()).toEqual([
			{
				method: 'POST',
				path: `/${PHONE}/message_qrdls`,
				body: { code: first, prefilled_message: 'One, updated' },
			},
		]);
		expect(updated).toEqual({
			phoneNumberId: PHONE,
			code: first,
			prefilled_message: 'One, updated',
			deep_link_url: `https://wa.me/message/${first}`,
		});

		markRequests();
		expect(jsonOf(await run('qrCode', 'delete', { qrCode: second }))).toEqual([
			{ success: true, phoneNumberId: PHONE, code: second },
		]);
		expect(graphRequests()).toEqual([
			{ method: 'DELETE', path: `/${PHONE}/message_qrdls/${second}` },
		]);
		expect(emu.account.qrCodesOf(PHONE).map((q) => [q.code, q.prefilled_message])).toEqual([
			[first, 'One, updated'],
		]);
		const gone = await run('qrCode', 'get', { qrCode: second, imageFormat: 'none' });
		expect(gone.error).toBeInstanceOf(NodeApiError);
	});

	it('prefilled message: 140 characters pass, 141 are refused (create and update)', async () => {
		const ok = await create(text(140));
		expect(ok.error).toBeUndefined();
		const code = String(ok.outputs[0][0].json.code);
		emu.reset();
		since = 0;
		refused(await create(text(141)), 'prefilledMessage must be 1 to 140 characters; it has 141');
		refused(
			await run('qrCode', 'update', { qrCode: code, prefilledMessage: text(141) }),
			'prefilledMessage must be 1 to 140 characters; it has 141',
		);
	});

	it('a QR code ID of other characters is refused', async () => {
		refused(
			await run('qrCode', 'delete', { qrCode: 'ab/../c' }),
			'code must be a QR code ID of letters and digits; "ab/../c" is not',
		);
	});
});

describe('conversational automation', () => {
	it('Get, Update, Get: reads reflect writes', async () => {
		expect(jsonOf(await run('conversationalAutomation', 'get'))).toEqual([
			{ phoneNumberId: PHONE, enable_welcome_message: false, prompts: [], commands: [] },
		]);
		expect(graphRequests()).toEqual([
			{ method: 'GET', path: `/${PHONE}`, query: { fields: 'conversational_automation' } },
		]);
		markRequests();
		const automationUpdate = {
			enableWelcomeMessage: true,
			iceBreakers: ['What are your opening hours?', 'Where are you?'],
			commands: {
				command: [
					{ name: 'tickets', description: 'Book flight tickets' },
					{ name: 'hours', description: 'Opening hours' },
				],
			},
		};
		const changes = {
			enable_welcome_message: true,
			prompts: ['What are your opening hours?', 'Where are you?'],
			commands: [
				{ command_name: 'tickets', command_description: 'Book flight tickets' },
				{ command_name: 'hours', command_description: 'Opening hours' },
			],
		};
		expect(jsonOf(await run('conversationalAutomation', 'update', { automationUpdate }))).toEqual([
			{ success: true, phoneNumberId: PHONE, changes },
		]);
		expect(graphRequests()).toEqual([
			{ method: 'POST', path: `/${PHONE}/conversational_automation`, body: changes },
		]);
		expect(jsonOf(await run('conversationalAutomation', 'get'))).toEqual([
			{ phoneNumberId: PHONE, ...changes },
		]);

		markRequests();
		await run('conversationalAutomation', 'update', { automationUpdate: { iceBreakers: [] } });
		expect(graphRequests()[0].body).toEqual({ prompts: [] });
		expect(emu.account.automationOf(PHONE).prompts).toEqual([]);
		expect(emu.account.automationOf(PHONE).commands).toHaveLength(2);
	});

	const commands = (n: number, name = (i: number) => `c${i}`, description = 'Does it') => ({
		command: Array.from({ length: n }, (_, i) => ({ name: name(i), description })),
	});
	it.each([
		[
			'4 ice breakers',
			{ iceBreakers: ['a', 'b', 'c', 'd'] },
			{ iceBreakers: ['a', 'b', 'c', 'd', 'e'] },
			'prompts must have 0 to 4 ice breakers; it has 5',
		],
		[
			'ice breakers of 80',
			{ iceBreakers: [text(80)] },
			{ iceBreakers: [text(81)] },
			'prompts[0] must be 1 to 80 characters; it has 81',
		],
		[
			'30 commands',
			{ commands: commands(30) },
			{ commands: commands(31) },
			'commands must have 0 to 30 commands; it has 31',
		],
		[
			'command names of 32',
			{ commands: commands(1, () => text(32)) },
			{ commands: commands(1, () => text(33)) },
			'commands[0].name must be 1 to 32 characters; it has 33',
		],
		[
			'descriptions of 256',
			{ commands: commands(1, undefined, text(256)) },
			{ commands: commands(1, undefined, text(257)) },
			'commands[0].description must be 1 to 256 characters; it has 257',
		],
	])('%s pass, one more is refused', async (_what, edge, over, message) => {
		const ok = await run('conversationalAutomation', 'update', { automationUpdate: edge });
		expect(ok.error).toBeUndefined();
		expect(graphRequests()).toHaveLength(1);
		emu.reset();
		since = 0;
		refused(await run('conversationalAutomation', 'update', { automationUpdate: over }), message);
	});

	it('emoji, a command with "/" and an empty update are refused', async () => {
		refused(
			await run('conversationalAutomation', 'update', {
				automationUpdate: { iceBreakers: ['Hi 👋'] },
			}),
			'prompts[0] must not contain emoji',
		);
		refused(
			await run('conversationalAutomation', 'update', {
				automationUpdate: { commands: commands(1, () => '/tickets') },
			}),
			'commands[0].name must be one word without "/" (users type /tickets)',
		);
		refused(
			await run('conversationalAutomation', 'update', { automationUpdate: {} }),
			'The conversational automation update changes nothing: give the welcome message switch, ice breakers or commands',
		);
	});
});

describe('phone number: what the number allows', () => {
	it('Get reports throughput, messaging limit, quality and name status as Meta changes them', async () => {
		emu.account.patchPhoneNumber(PHONE, {
			quality_rating: 'YELLOW',
			throughput: { level: 'HIGH' },
			whatsapp_business_manager_messaging_limit: 'TIER_10K',
			name_status: 'PENDING_REVIEW',
		});
		const [json] = jsonOf(await run('phoneNumber', 'get'));
		expect(json).toMatchObject({
			id: PHONE,
			quality_rating: 'YELLOW',
			throughput: { level: 'HIGH' },
			whatsapp_business_manager_messaging_limit: 'TIER_10K',
			name_status: 'PENDING_REVIEW',
		});
		expect(graphRequests()).toEqual([
			{
				method: 'GET',
				path: `/${PHONE}`,
				query: {
					fields:
						'id,display_phone_number,verified_name,quality_rating,throughput,whatsapp_business_manager_messaging_limit,name_status,platform_type,code_verification_status,status',
				},
			},
		]);
	});
});
