/**
 * transport/account.ts and transport/commerce.ts through n8n-core's real execute context (real
 * httpRequestWithAuthentication, credential `authenticate`) against the emulator. A fixture node
 * runs one transport call per test; the emulator's request log is the exact-request assertion.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { planBlockUsers } from '../../nodes/WhatsAppCloud/helpers/account/blockUsers';
import { buildBusinessProfileUpdate } from '../../nodes/WhatsAppCloud/helpers/account/profile';
import { buildConversationalAutomationUpdate } from '../../nodes/WhatsAppCloud/helpers/account/automation';
import {
	buildQrCodeCreate,
	buildQrCodeUpdate,
} from '../../nodes/WhatsAppCloud/helpers/account/qrCode';
import {
	changeBlockedUsers,
	createQrCode,
	deleteQrCode,
	downloadQrImage,
	getBusinessProfile,
	getConversationalAutomation,
	getQrCode,
	listBlockedUsers,
	listQrCodes,
	requireAppId,
	updateBusinessProfile,
	updateConversationalAutomation,
	updateQrCode,
	uploadResumable,
} from '../../nodes/WhatsAppCloud/transport/account';
import {
	getCommerceSettings,
	listCatalogs,
	listProducts,
	updateCommerceSettings,
} from '../../nodes/WhatsAppCloud/transport/commerce';
import { getCallPermissions } from '../../nodes/WhatsAppCloud/transport/calling';
import type { Emulator } from '../emulator';
import { SEED_CATALOG_ID, startEmulator } from '../emulator';
import { emulatorCredentials, runNode } from './harness';

type Script = (ctx: IExecuteFunctions) => Promise<unknown>;

/** Runs `TransportFixture.script` with a real execute context; its result becomes the output json. */
class TransportFixture implements INodeType {
	static script: Script = async () => ({});
	description: INodeTypeDescription = {
		displayName: 'Transport Fixture',
		name: 'transportFixture',
		group: ['transform'],
		version: 1,
		description: 'Runs one transport call',
		defaults: { name: 'Transport Fixture' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'whatsAppCloudApi', required: true }],
		properties: [],
	};
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const result = await TransportFixture.script(this);
		return [[{ json: { result: result as IDataObject }, pairedItem: { item: 0 } }]];
	}
}

let emu: Emulator;
const PHONE = '106540352242922';
beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

const credentials = (overrides: Record<string, string> = {}) => emulatorCredentials(emu, overrides);

async function run<T>(script: (ctx: IExecuteFunctions) => Promise<T>, creds = credentials()) {
	TransportFixture.script = script;
	const result = await runNode({
		node: new TransportFixture(),
		parameters: {},
		credentials: creds,
	});
	if (result.error) return { error: result.error, value: undefined as T | undefined };
	return { error: undefined, value: result.outputs[0][0].json.result as T };
}

/** Graph requests the emulator saw (control calls excluded), as `METHOD path`. */
const requests = () => emu.requests().map((r) => `${r.method} ${r.path}`);
const v = (path: string) => `/${emu.config.apiVersion}${path}`;

describe('block users', () => {
	it('blocks in batches of 1,000 and reports each user, including per-user failures', async () => {
		const users = Array.from({ length: 1001 }, (_, i) => `1650${String(i).padStart(7, '0')}`);
		emu.account.noteInbound(PHONE, users[0]);
		emu.account.noteInbound(PHONE, users[1000]);
		const { value, error } = await run((ctx) =>
			changeBlockedUsers.call(ctx, PHONE, 'block', planBlockUsers(users), 0),
		);
		expect(error).toBeUndefined();
		expect(requests()).toEqual([
			`POST ${v(`/${PHONE}/block_users`)}`,
			`POST ${v(`/${PHONE}/block_users`)}`,
		]);
		expect(value).toHaveLength(1001);
		expect(value![0]).toEqual({
			input: users[0],
			action: 'block',
			ok: true,
			waId: users[0],
			inputIndexes: [0],
		});
		expect(value![1]).toMatchObject({ ok: false, error: { code: 131047 } });
		expect(value![1000]).toMatchObject({ ok: true, waId: users[1000] });
		expect(emu.account.blockedUsers(PHONE)).toEqual([{ waId: users[0] }, { waId: users[1000] }]);

		const listed = await run((ctx) => listBlockedUsers.call(ctx, PHONE, { limit: 1 }, 0));
		expect(listed.value).toEqual({
			items: [{ messaging_product: 'whatsapp', wa_id: users[0] }],
			after: expect.any(String),
		});
		const unblocked = await run((ctx) =>
			changeBlockedUsers.call(ctx, PHONE, 'unblock', planBlockUsers([users[0]]), 0),
		);
		expect(unblocked.value).toEqual([
			{ input: users[0], action: 'unblock', ok: true, waId: users[0], inputIndexes: [0] },
		]);
		expect(emu.account.blockedUsers(PHONE)).toEqual([{ waId: users[1000] }]);
	});

	it('a first batch refused as a whole throws the Graph error', async () => {
		const { error } = await run(
			(ctx) => changeBlockedUsers.call(ctx, PHONE, 'block', planBlockUsers(['16505551234']), 0),
			credentials({ accessToken: 'wrong' }),
		);
		expect(error?.message).toContain('Invalid OAuth 2.0 Access Token');
	});
});

describe('business profile and photo', () => {
	it('uploads the photo with the resumable upload, updates the profile, reads it back', async () => {
		const photo = Buffer.from('89504e470d0a1a0a' + 'ab'.repeat(100), 'hex');
		const { value, error } = await run(async (ctx) => {
			const appId = await requireAppId.call(ctx, 0);
			const handle = await uploadResumable.call(
				ctx,
				appId,
				{ data: photo, mimeType: 'image/png', fileName: 'logo.png' },
				0,
			);
			const update = buildBusinessProfileUpdate({
				about: 'Fresh coffee',
				profilePictureHandle: handle,
			});
			const ok = await updateBusinessProfile.call(ctx, PHONE, update, 0);
			return { handle, ok, profile: await getBusinessProfile.call(ctx, PHONE, 0) };
		});
		expect(error).toBeUndefined();
		expect(value!.ok).toBe(true);
		expect(emu.account.uploadedFile(value!.handle)?.bytes).toEqual(photo);
		expect(value!.profile).toMatchObject({
			about: 'Fresh coffee',
			profile_picture_url: expect.stringContaining('/__account/profile-picture/'),
			messaging_product: 'whatsapp',
		});
		expect(requests()).toEqual([
			`POST ${v(`/${emu.config.appId}/uploads`)}`,
			expect.stringMatching(new RegExp(`^POST ${v('/upload:')}`)),
			`POST ${v(`/${PHONE}/whatsapp_business_profile`)}`,
			`GET ${v(`/${PHONE}/whatsapp_business_profile`)}`,
		]);
	});

	it('resumes an upload cut short from the offset Meta reports', async () => {
		const photo = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff));
		emu.account.cutNextUploadAfter = 1234;
		const { value, error } = await run((ctx) =>
			uploadResumable.call(
				ctx,
				emu.config.appId,
				{ data: photo, mimeType: 'image/jpeg', fileName: 'big.jpg' },
				0,
			),
		);
		expect(error).toBeUndefined();
		expect(emu.account.uploadedFile(value!)?.bytes).toEqual(photo);
		const paths = requests().map((r) => r.replace(/upload:\S+/, 'upload:<id>'));
		expect(paths).toEqual([
			`POST ${v(`/${emu.config.appId}/uploads`)}`,
			`POST ${v('/upload:<id>')}`,
			`GET ${v('/upload:<id>')}`,
			`POST ${v('/upload:<id>')}`,
		]);
	});

	it('without an App ID the upload names the credential field', async () => {
		const { error } = await run((ctx) => requireAppId.call(ctx, 0), credentials({ appId: '' }));
		expect(error?.message).toBe(
			'The credential has no App ID, which uploading a profile photo needs',
		);
	});
});

describe('QR codes', () => {
	it('create → download PNG → list with SVG URLs → update → get → delete', async () => {
		const { value, error } = await run(async (ctx) => {
			const created = await createQrCode.call(
				ctx,
				PHONE,
				buildQrCodeCreate({ prefilledMessage: 'Hi', imageFormat: 'PNG' }),
				0,
			);
			const image = await downloadQrImage.call(ctx, created, 0);
			const listed = await listQrCodes.call(ctx, PHONE, { format: 'SVG' }, 0);
			const svg = await downloadQrImage.call(ctx, listed.items[0], 0);
			const updated = await updateQrCode.call(
				ctx,
				PHONE,
				buildQrCodeUpdate({ code: created.code, prefilledMessage: 'Hours?' }),
				0,
			);
			const got = await getQrCode.call(ctx, PHONE, created.code, undefined, 0);
			const deleted = await deleteQrCode.call(ctx, PHONE, created.code, 0);
			return {
				created,
				png: {
					head: image.data.subarray(0, 8).toString('hex'),
					mimeType: image.mimeType,
					fileName: image.fileName,
				},
				svg: { mimeType: svg.mimeType, isSvg: svg.data.toString('utf8').includes('<svg') },
				updated,
				got,
				deleted,
				left: (await listQrCodes.call(ctx, PHONE, {}, 0)).items,
			};
		});
		expect(error).toBeUndefined();
		const code = value!.created.code;
		expect(value!.png).toEqual({
			head: '89504e470d0a1a0a',
			mimeType: 'image/png',
			fileName: `${code}.png`,
		});
		expect(value!.svg).toEqual({ mimeType: 'image/svg+xml', isSvg: true });
		expect(value!.updated).toEqual({
			code,
			prefilled_message: 'Hours?',
			deep_link_url: `https://wa.me/message/${code}`,
		});
		expect(value!.got).toEqual(value!.updated);
		expect(value!.deleted).toBe(true);
		expect(value!.left).toEqual([]);
	});

	it('refuses to send the token to an image URL on another host', async () => {
		const { error } = await run((ctx) =>
			downloadQrImage.call(ctx, { code: 'X1', qr_image_url: 'https://evil.example/qr.png' }, 0),
		);
		expect(error?.message).toContain('Refusing to download the QR image');
		expect(requests()).toEqual([]);
	});
});

describe('conversational automation', () => {
	it('update then get', async () => {
		const { value } = await run(async (ctx) => {
			await updateConversationalAutomation.call(
				ctx,
				PHONE,
				buildConversationalAutomationUpdate({
					enableWelcomeMessage: true,
					prompts: ['Track my order'],
					commands: [{ name: 'help', description: 'What I can do' }],
				}),
				0,
			);
			return await getConversationalAutomation.call(ctx, PHONE, 0);
		});
		expect(value).toEqual({
			enable_welcome_message: true,
			prompts: ['Track my order'],
			commands: [{ command_name: 'help', command_description: 'What I can do' }],
			id: PHONE,
		});
	});
});

describe('commerce', () => {
	it('lists catalogs and pages through products; settings round-trip', async () => {
		const { value } = await run(async (ctx) => {
			const catalogs = await listCatalogs.call(ctx, emu.config.wabaId, {}, 0);
			const first = await listProducts.call(ctx, SEED_CATALOG_ID, { limit: 25 }, 0);
			const second = await listProducts.call(
				ctx,
				SEED_CATALOG_ID,
				{ limit: 25, after: first.after },
				0,
			);
			await updateCommerceSettings.call(ctx, PHONE, { is_cart_enabled: false }, 0);
			return { catalogs, first, second, settings: await getCommerceSettings.call(ctx, PHONE, 0) };
		});
		expect(value!.catalogs).toEqual({
			items: [{ id: SEED_CATALOG_ID, name: 'Emulator Shop Catalog' }],
		});
		expect(value!.first.items).toHaveLength(25);
		expect(value!.first.items[0]).toMatchObject({ retailer_id: 'SKU-1', currency: 'EUR' });
		expect(value!.second.items.map((p: { retailer_id?: string }) => p.retailer_id)).toEqual(
			Array.from({ length: 15 }, (_, i) => `SKU-${26 + i}`),
		);
		expect(value!.second.after).toBeUndefined();
		expect(value!.settings).toEqual({
			is_cart_enabled: false,
			is_catalog_visible: true,
			id: PHONE,
		});
	});

	it("without catalog access, listing fails with Meta's permission error", async () => {
		emu.commerce.catalogAccess = false;
		const { error } = await run((ctx) => listCatalogs.call(ctx, emu.config.wabaId, {}, 0));
		expect(error?.message).toContain('catalog_management');
	});
});

describe('call permissions', () => {
	it('reads the permission and the request limits of a user', async () => {
		const { value } = await run((ctx) =>
			getCallPermissions.call(ctx, PHONE, { waId: '16505551234' }, 0),
		);
		expect(value).toMatchObject({
			permission: { status: 'no_permission' },
			actions: [
				{ action_name: 'send_call_permission_request', can_perform_action: true },
				{ action_name: 'start_call', can_perform_action: false },
			],
		});
		expect(emu.requests()[0].path).toBe(v(`/${PHONE}/call_permissions`));
	});
});
