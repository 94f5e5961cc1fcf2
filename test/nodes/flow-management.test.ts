/**
 * Flow management and the Flow encryption key through the action node, run by n8n-core against
 * the emulator: every operation's exact Graph request (recorded by a proxy in front of the
 * emulator), what it outputs, our checks before anything is sent (field, rule, item), and Meta's
 * lifecycle errors (100, 13900x) as the emulator answers them. Plus the Flow picker.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import type { Emulator } from '../emulator';
import { DEFAULT_WABA_ID, startEmulator } from '../emulator';
import { AGENCY_ACCOUNTS, WABA_B } from '../emulator/agency';
import { BOOKING_FLOW, BOOKING_FLOW_JSON } from '../support/bookingFlow';
import type { OpensslKeyPair } from '../support/flowVectors';
import {
	opensslKeyPair,
	opensslPkcs1PublicPem,
	opensslPublicKeySha256,
	opensslReadPrivateKey,
	removeKeyPair,
	requireOpenssl,
} from '../support/flowVectors';
import type { GraphRecorder } from '../support/graphRecorder';
import { startGraphRecorder } from '../support/graphRecorder';
import { callLoadOptions, emulatorCredentials, runNode } from './harness';

jest.setTimeout(120_000);

let emu: Emulator;
let recorder: GraphRecorder;
let keys: OpensslKeyPair;
let other: OpensslKeyPair;

beforeAll(async () => {
	requireOpenssl();
	keys = opensslKeyPair();
	other = opensslKeyPair();
	emu = await startEmulator({ port: 0 });
	recorder = await startGraphRecorder(emu.baseUrl, emu.config.apiVersion);
});
afterAll(async () => {
	await recorder?.stop();
	await emu?.stop();
	for (const pair of [keys, other]) if (pair) removeKeyPair(pair);
});
beforeEach(() => {
	emu.reset();
	recorder.requests.length = 0;
});

const waba = () => emu.config.wabaId;
const phone = () => emu.config.phoneNumberIds[0];
const rl = (value: string, mode = 'list') => ({ __rl: true, mode, value });
/** The Booking Flow without an endpoint: publishable without keys or an app. */
const STATIC_FLOW_JSON = JSON.stringify(
	{ ...BOOKING_FLOW, data_api_version: undefined, routing_model: undefined },
	null,
	2,
);

function credentials(overrides: IDataObject = {}) {
	return emulatorCredentials(emu, {
		baseUrl: recorder.baseUrl,
		flowPrivateKey: keys.encryptedPkcs8Pem,
		flowPrivateKeyPassphrase: keys.passphrase,
		...overrides,
	});
}

interface RunOptions {
	items?: IDataObject[];
	creds?: IDataObject;
	continueOnFail?: boolean;
	binary?: Record<string, { data: Buffer; mimeType: string; fileName?: string }>;
}

async function run(
	resource: string,
	operation: string,
	parameters: INodeParameters,
	o: RunOptions = {},
) {
	const items = (o.items ?? [{}]).map((json) => ({
		json,
		...(o.binary ? { binary: o.binary } : {}),
	}));
	return await runNode({
		node: new WhatsAppCloud(),
		parameters: { resource, operation, ...parameters },
		items,
		credentials: credentials(o.creds),
		continueOnFail: o.continueOnFail,
	});
}

const flow = (operation: string, parameters: INodeParameters, o?: RunOptions) =>
	run('flow', operation, parameters, o);
const key = (operation: string, parameters: INodeParameters, o?: RunOptions) =>
	run('encryptionKey', operation, parameters, o);

/** The node's output items' json. */
const jsonOf = (result: Awaited<ReturnType<typeof run>>) => result.outputs[0].map((i) => i.json);

function apiCode(error: Error | undefined): unknown {
	expect(error).toBeInstanceOf(NodeApiError);
	return (error as unknown as { errorResponse?: { code?: unknown } }).errorResponse?.code;
}

const newDraft = (name = 'Draft', json: string | null = STATIC_FLOW_JSON) =>
	emu.flows.create({ name, categories: ['OTHER'], ...(json ? { flow_json: json } : {}) }).id;

describe('Flow → Create', () => {
	test('from the field: one POST /{waba}/flows with the JSON as typed and the endpoint', async () => {
		const result = await flow('create', {
			flowName: 'Booking',
			categories: ['APPOINTMENT_BOOKING', 'CONTACT_US'],
			flowJsonSource: 'field',
			flowJson: BOOKING_FLOW_JSON,
			endpointUri: 'https://n8n.example.com/webhook/abc/flow',
		});
		expect(result.error).toBeUndefined();
		expect(recorder.requests).toEqual([
			{
				method: 'POST',
				path: `/${waba()}/flows`,
				query: {},
				contentType: 'application/json',
				json: {
					name: 'Booking',
					categories: ['APPOINTMENT_BOOKING', 'CONTACT_US'],
					flow_json: BOOKING_FLOW_JSON,
					endpoint_uri: 'https://n8n.example.com/webhook/abc/flow',
				},
			},
		]);
		const [out] = jsonOf(result);
		expect(out).toEqual({
			id: expect.stringMatching(/^\d+$/),
			success: true,
			validation_errors: [],
			name: 'Booking',
			categories: ['APPOINTMENT_BOOKING', 'CONTACT_US'],
			endpoint_uri: 'https://n8n.example.com/webhook/abc/flow',
		});
		expect(emu.flows.get(out.id as string)).toMatchObject({
			status: 'DRAFT',
			json: BOOKING_FLOW_JSON,
			endpointUri: 'https://n8n.example.com/webhook/abc/flow',
		});
	});

	test('from a binary file, published at once; a clone of another Flow', async () => {
		const result = await flow(
			'create',
			{
				flowName: 'Survey',
				categories: ['SURVEY'],
				flowJsonSource: 'binary',
				flowJsonBinaryProperty: 'file',
				createOptions: { publish: true },
			},
			{
				binary: {
					file: {
						data: Buffer.from(STATIC_FLOW_JSON),
						mimeType: 'application/json',
						fileName: 'flow.json',
					},
				},
			},
		);
		expect(result.error).toBeUndefined();
		expect(recorder.requests[0].json).toEqual({
			name: 'Survey',
			categories: ['SURVEY'],
			flow_json: STATIC_FLOW_JSON,
			publish: true,
		});
		const id = jsonOf(result)[0].id as string;
		expect(emu.flows.get(id)?.status).toBe('PUBLISHED');

		recorder.requests.length = 0;
		const clone = await flow('create', {
			flowName: 'Survey v2',
			categories: ['SURVEY'],
			flowJsonSource: 'none',
			createOptions: { cloneFlowId: id },
		});
		expect(recorder.requests[0].json).toEqual({
			name: 'Survey v2',
			categories: ['SURVEY'],
			clone_flow_id: id,
		});
		const cloned = emu.flows.get(jsonOf(clone)[0].id as string);
		expect(cloned).toMatchObject({ status: 'DRAFT', json: STATIC_FLOW_JSON });
	});

	test('an empty draft sends only name and categories; Meta’s validation errors are the output', async () => {
		await flow('create', { flowName: 'Empty', categories: ['OTHER'], flowJsonSource: 'none' });
		expect(recorder.requests[0].json).toEqual({ name: 'Empty', categories: ['OTHER'] });

		const invalid = '{\n  "version": "1.0",\n  "screens": []\n}';
		const result = await flow('create', {
			flowName: 'Invalid',
			categories: ['OTHER'],
			flowJson: invalid,
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)[0].validation_errors).toEqual([
			expect.objectContaining({ error: 'INVALID_PROPERTY_VALUE', line_start: 2 }),
			expect.objectContaining({ error: 'MISSING_REQUIRED_PROPERTY' }),
		]);
	});

	test.each([
		[{ flowName: '  ' }, /^Name is required; it is empty$/, 'Field: Name'],
		[
			{ categories: '={{ [] }}' },
			/^Categories must name at least one category$/,
			'limit: at least 1 category',
		],
		[
			{ categories: ['BOOKING'] },
			/^Categories\[0\] must be one of APPOINTMENT_BOOKING/,
			'actual: "BOOKING"',
		],
		[
			{ flowJson: '{\n  "version": "7.1",\n  }' },
			/^Flow JSON is not valid JSON \(.*line 3, column 3\)$/,
			'limit: valid JSON',
		],
		[{ flowJson: '[]' }, /^Flow JSON must be a JSON object$/, 'actual: a list'],
		[
			{ endpointUri: 'n8n.example.com/flow' },
			/^Endpoint URI must be a full http/,
			'limit: an http(s) URL',
		],
		[
			{ createOptions: { cloneFlowId: 'Survey' } },
			/^Clone Flow ID "Survey" is not a Flow ID/,
			'Field: Clone Flow ID',
		],
	])(
		'%j is refused before any request, naming field, rule and item',
		async (bad, message, detail) => {
			const good = { flowName: 'Booking', categories: ['OTHER'], flowJson: STATIC_FLOW_JSON };
			const result = await flow('create', { ...good, ...bad }, { items: [{}, {}] });
			// Item 0 was made of the same parameters, so it fails too: item 0 is named.
			expect(result.error).toBeInstanceOf(NodeOperationError);
			expect(result.error?.message).toMatch(message);
			expect((result.error as NodeOperationError).description).toContain(detail);
			expect((result.error as NodeOperationError).description).toContain('(item 0)');
			expect(recorder.requests).toEqual([]);
		},
	);

	test('a bad second item names item 1; with Continue On Fail the first is created', async () => {
		const parameters = {
			flowName: '={{ $json.name }}',
			categories: ['OTHER'],
			flowJson: STATIC_FLOW_JSON,
		};
		const stopped = await flow('create', parameters, { items: [{ name: 'A' }, { name: '' }] });
		expect(stopped.error?.message).toBe('Name is required; it is empty');
		expect((stopped.error as NodeOperationError).description).toContain('(item 1)');
		expect(emu.flows.list().map((f) => f.name)).toEqual(['A']);

		emu.reset();
		const continued = await flow('create', parameters, {
			items: [{ name: 'B' }, { name: '' }],
			continueOnFail: true,
		});
		expect(jsonOf(continued)).toEqual([
			expect.objectContaining({ name: 'B', success: true }),
			{ error: { message: 'Name is required; it is empty' } },
		]);
		expect(continued.outputs[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('a Flow JSON file over 10 MB is refused before upload', async () => {
		const big = Buffer.from(JSON.stringify({ version: '7.1', pad: 'x'.repeat(10 * 1024 * 1024) }));
		const result = await flow(
			'create',
			{ flowName: 'Big', categories: ['OTHER'], flowJsonSource: 'binary' },
			{ binary: { data: { data: big, mimeType: 'application/json', fileName: 'flow.json' } } },
		);
		expect(result.error?.message).toMatch(
			/^Input Binary Field "data" holds \d+ bytes; Meta takes at most 10485760 \(10 MB\)$/,
		);
		expect(recorder.requests).toEqual([]);
	});

	test('a name already taken: Meta’s error 100 as a NodeApiError', async () => {
		newDraft('Taken');
		const result = await flow('create', {
			flowName: 'Taken',
			categories: ['OTHER'],
			flowJsonSource: 'none',
		});
		expect(apiCode(result.error)).toBe(100);
		expect(result.error?.message).toMatch(/already exists/);
	});

	test('without the business account ID in the credential: says where to find it, sends nothing', async () => {
		const result = await flow(
			'create',
			{ flowName: 'X', categories: ['OTHER'], flowJsonSource: 'none' },
			{ creds: { businessAccountId: '' } },
		);
		expect(result.error?.message).toMatch(/no WhatsApp Business Account ID/);
		expect(recorder.requests).toEqual([]);
	});
});

describe('Flow → Update JSON and Update', () => {
	test('Update JSON: a multipart flow.json asset; the validation errors come back', async () => {
		const id = newDraft('Draft', null);
		const broken = '{\n  "version": "7.1",\n  "screens": []\n}';
		const result = await flow('updateJson', { flowId: rl(id), flowJson: broken });
		expect(result.error).toBeUndefined();
		expect(recorder.requests).toEqual([
			{
				method: 'POST',
				path: `/${id}/assets`,
				query: {},
				contentType: 'multipart/form-data',
				parts: [
					{ name: 'file', filename: 'flow.json', contentType: 'application/json', text: broken },
					{ name: 'name', text: 'flow.json' },
					{ name: 'asset_type', text: 'FLOW_JSON' },
				],
			},
		]);
		expect(jsonOf(result)).toEqual([
			{
				id,
				success: true,
				validation_errors: [
					expect.objectContaining({ error: 'MISSING_REQUIRED_PROPERTY', line_start: 3 }),
				],
			},
		]);
		expect(emu.flows.get(id)?.json).toBe(broken);
	});

	test('Update JSON from a binary file; on a published Flow Meta answers 139001', async () => {
		const id = newDraft();
		const file = { data: Buffer.from(BOOKING_FLOW_JSON), mimeType: 'application/json' };
		const ok = await flow(
			'updateJson',
			{ flowId: rl(id, 'id'), flowJsonSource: 'binary' },
			{ binary: { data: file } },
		);
		expect(jsonOf(ok)[0]).toEqual({ id, success: true, validation_errors: [] });
		expect(recorder.requests[0].parts?.[0].text).toBe(BOOKING_FLOW_JSON);

		const published = newDraft('Published');
		emu.flows.publish(published);
		const refused = await flow('updateJson', { flowId: rl(published), flowJson: STATIC_FLOW_JSON });
		expect(apiCode(refused.error)).toBe(139001);
		expect((refused.error as NodeApiError).description).toMatch(/published Flows are immutable/);
	});

	test('Update: only the given fields, in Meta’s names', async () => {
		const id = newDraft();
		const result = await flow('update', {
			flowId: rl(id),
			updateFields: {
				flowName: 'Renamed',
				categories: ['SIGN_UP'],
				endpointUri: 'https://n8n.example.com/webhook/new/flow',
				applicationId: emu.config.appId,
			},
		});
		expect(result.error).toBeUndefined();
		expect(recorder.requests).toEqual([
			{
				method: 'POST',
				path: `/${id}`,
				query: {},
				contentType: 'application/json',
				json: {
					name: 'Renamed',
					categories: ['SIGN_UP'],
					endpoint_uri: 'https://n8n.example.com/webhook/new/flow',
					application_id: emu.config.appId,
				},
			},
		]);
		expect(jsonOf(result)[0]).toEqual({
			id,
			success: true,
			name: 'Renamed',
			categories: ['SIGN_UP'],
			endpoint_uri: 'https://n8n.example.com/webhook/new/flow',
			application_id: emu.config.appId,
		});
		expect(emu.flows.get(id)).toMatchObject({
			name: 'Renamed',
			categories: ['SIGN_UP'],
			endpointUri: 'https://n8n.example.com/webhook/new/flow',
		});

		recorder.requests.length = 0;
		await flow('update', { flowId: rl(id), updateFields: { endpointUri: 'https://x.example/f' } });
		expect(recorder.requests[0].json).toEqual({ endpoint_uri: 'https://x.example/f' });
	});

	test('Update refuses nothing to change, an empty endpoint and a non-numeric app before sending', async () => {
		const id = newDraft();
		const none = await flow('update', { flowId: rl(id), updateFields: {} });
		expect(none.error?.message).toBe('Nothing to update: add a field to change');
		const empty = await flow('update', { flowId: rl(id), updateFields: { endpointUri: ' ' } });
		expect(empty.error?.message).toBe('Endpoint URI is empty');
		const app = await flow('update', { flowId: rl(id), updateFields: { applicationId: 'my app' } });
		expect(app.error?.message).toMatch(/^Application ID "my app" is not an app ID/);
		expect(recorder.requests).toEqual([]);
	});

	test('Update on a published Flow: 139001', async () => {
		const id = newDraft();
		emu.flows.publish(id);
		const result = await flow('update', { flowId: rl(id), updateFields: { flowName: 'x' } });
		expect(apiCode(result.error)).toBe(139001);
	});
});

describe('Flow → Publish, Deprecate, Delete', () => {
	test('the lifecycle: each a bare POST or DELETE on the Flow', async () => {
		const id = newDraft();
		const published = await flow('publish', { flowId: rl(id) });
		const deprecated = await flow('deprecate', { flowId: rl(id, 'id') });
		expect(jsonOf(published)).toEqual([{ id, success: true, status: 'PUBLISHED' }]);
		expect(jsonOf(deprecated)).toEqual([{ id, success: true, status: 'DEPRECATED' }]);
		const draft = newDraft('Other');
		const deleted = await flow('delete', { flowId: draft });
		expect(jsonOf(deleted)).toEqual([{ id: draft, success: true, deleted: true }]);
		expect(recorder.requests).toEqual([
			{ method: 'POST', path: `/${id}/publish`, query: {} },
			{ method: 'POST', path: `/${id}/deprecate`, query: {} },
			{ method: 'DELETE', path: `/${draft}`, query: {} },
		]);
		expect(emu.flows.get(id)?.status).toBe('DEPRECATED');
		expect(emu.flows.get(draft)).toBeUndefined();
	});

	test('Meta’s refusals, each with its code and our hint', async () => {
		const invalid = newDraft('Invalid', '{"version":"7.1","screens":[]}');
		const publish = await flow('publish', { flowId: rl(invalid) });
		expect(apiCode(publish.error)).toBe(139002);
		expect(publish.error?.message).toMatch(/validation errors/);
		expect((publish.error as NodeApiError).description).toMatch(/fix its validation errors/);

		const endpointFlow = newDraft('Endpoint', BOOKING_FLOW_JSON);
		const noEndpoint = await flow('publish', { flowId: rl(endpointFlow) });
		expect(apiCode(noEndpoint.error)).toBe(139002);
		expect(noEndpoint.error?.message).toMatch(/endpoint_uri/);

		const deprecateDraft = await flow('deprecate', { flowId: rl(invalid) });
		expect(apiCode(deprecateDraft.error)).toBe(139003);

		const live = newDraft('Live');
		emu.flows.publish(live);
		const deletePublished = await flow('delete', { flowId: rl(live) });
		expect(apiCode(deletePublished.error)).toBe(139004);
		expect((deletePublished.error as NodeApiError).description).toMatch(/deprecate a published/);

		const missing = await flow('delete', { flowId: rl('999') });
		expect(apiCode(missing.error)).toBe(100);
	});

	test('a Flow ID that is not one is refused before any request', async () => {
		// Empty or malformed values n8n lets through: from expressions, and plain strings of old nodes.
		for (const flowId of [rl('={{ "" }}'), rl('={{ "Booking" }}', 'id'), 'Booking', '={{ "" }}']) {
			const result = await flow('publish', { flowId });
			expect(result.error).toBeInstanceOf(NodeOperationError);
			expect(result.error?.message).toMatch(/^Flow (is empty|"Booking" is not a Flow ID)/);
			expect((result.error as NodeOperationError).description).toMatch(/Field: Flow;.*\(item 0\)/);
		}
		expect(recorder.requests).toEqual([]);
	});
});

describe('Flow → List and Get', () => {
	test('List: Meta’s default fields by name, page after page, filters applied here', async () => {
		for (let i = 0; i < 105; i++)
			emu.flows.create({ name: `Flow ${i}`, categories: [i % 2 ? 'SURVEY' : 'OTHER'] });
		emu.flows.publish(newDraft('Published one'));
		const all = await flow('list', { returnAll: true });
		expect(all.outputs[0]).toHaveLength(106);
		expect(recorder.requests.map((r) => [r.method, r.path, r.query])).toEqual([
			[
				'GET',
				`/${waba()}/flows`,
				{ limit: '100', fields: 'id,name,status,categories,validation_errors' },
			],
			[
				'GET',
				`/${waba()}/flows`,
				{
					limit: '100',
					fields: 'id,name,status,categories,validation_errors',
					after: expect.any(String),
				},
			],
		]);
		expect(jsonOf(all)[0]).toEqual({
			id: expect.any(String),
			name: 'Flow 0',
			status: 'DRAFT',
			categories: ['OTHER'],
			validation_errors: [],
		});

		const filtered = await flow('list', {
			returnAll: true,
			filters: { status: ['DRAFT'], categories: ['SURVEY'], name: 'FLOW 1' },
		});
		expect(jsonOf(filtered).map((f) => f.name)).toEqual(
			[
				'Flow 1',
				'Flow 11',
				'Flow 13',
				'Flow 15',
				'Flow 17',
				'Flow 19',
				'Flow 101',
				'Flow 103',
			].sort((a, b) => Number(a.slice(5)) - Number(b.slice(5))),
		);
		const published = await flow('list', { returnAll: true, filters: { status: ['PUBLISHED'] } });
		expect(jsonOf(published).map((f) => f.name)).toEqual(['Published one']);

		recorder.requests.length = 0;
		const limited = await flow('list', { returnAll: false, limit: 3 });
		expect(jsonOf(limited).map((f) => f.name)).toEqual(['Flow 0', 'Flow 1', 'Flow 2']);
		expect(recorder.requests).toHaveLength(1);
	});

	test('Get: the details with validation errors and the preview; renew it; the JSON’s URL', async () => {
		const id = newDraft('Details', '{"version":"7.1","screens":[]}');
		const result = await flow('get', { flowId: rl(id) });
		expect(result.error).toBeUndefined();
		const fields =
			'id,name,categories,preview.invalidate(false),status,validation_errors,json_version,data_api_version,endpoint_uri,health_status,whatsapp_business_account,application,updated_at';
		expect(recorder.requests).toEqual([{ method: 'GET', path: `/${id}`, query: { fields } }]);
		const [details] = jsonOf(result);
		expect(details).toMatchObject({
			id,
			name: 'Details',
			status: 'DRAFT',
			categories: ['OTHER'],
			validation_errors: [expect.objectContaining({ error: 'MISSING_REQUIRED_PROPERTY' })],
			preview: { preview_url: expect.stringContaining(id), expires_at: expect.any(String) },
			health_status: { can_send_message: 'AVAILABLE' },
			whatsapp_business_account: { id: waba() },
		});

		recorder.requests.length = 0;
		const renewed = await flow('get', {
			flowId: rl(id),
			getOptions: { renewPreview: true, includeJsonUrl: true },
		});
		expect(recorder.requests.map((r) => [r.method, r.path, r.query])).toEqual([
			['GET', `/${id}`, { fields: fields.replace('invalidate(false)', 'invalidate(true)') }],
			['GET', `/${id}/assets`, {}],
		]);
		const [again] = jsonOf(renewed);
		expect((again.preview as IDataObject).preview_url).not.toBe(
			(details.preview as IDataObject).preview_url,
		);
		expect(again.flow_json_url).toEqual(expect.stringContaining(`/__emulator/flows/assets/${id}`));
		expect(await (await fetch(again.flow_json_url as string)).text()).toBe(
			'{"version":"7.1","screens":[]}',
		);

		const bare = await flow('get', {
			flowId: rl(newDraft('No JSON', null)),
			getOptions: { includeJsonUrl: true },
		});
		expect(jsonOf(bare)[0]).toMatchObject({ validation_errors: [], flow_json_url: null });
	});
});

describe('the Flow picker', () => {
	const search = (filter?: string, paginationToken?: string, creds?: IDataObject) =>
		callLoadOptions({
			node: new WhatsAppCloud(),
			kind: 'listSearch',
			method: 'searchFlows',
			credentials: credentials(creds),
			filter,
			paginationToken,
		}) as Promise<{
			results: Array<{ name: string; value: string; description?: string }>;
			paginationToken?: string;
		}>;

	test('lists the account’s Flows by name and status, filters, pages', async () => {
		const booking = emu.flows.create({ name: 'Booking', categories: ['APPOINTMENT_BOOKING'] }).id;
		const survey = newDraft('Survey');
		emu.flows.publish(survey);
		expect(await search()).toEqual({
			results: [
				{ name: 'Booking (DRAFT)', value: booking, description: 'APPOINTMENT_BOOKING' },
				{ name: 'Survey (PUBLISHED)', value: survey, description: 'OTHER' },
			],
		});
		expect(recorder.requests[0]).toMatchObject({
			path: `/${waba()}/flows`,
			query: { limit: '100', fields: 'id,name,status,categories' },
		});
		expect((await search('published')).results.map((r) => r.value)).toEqual([survey]);
		expect((await search(booking)).results.map((r) => r.value)).toEqual([booking]);

		for (let i = 0; i < 120; i++) emu.flows.create({ name: `More ${i}`, categories: ['OTHER'] });
		const first = await search();
		expect(first.results).toHaveLength(100);
		const second = await search(undefined, first.paginationToken);
		expect(second.results).toHaveLength(22);
		expect(second.paginationToken).toBeUndefined();
	});

	test('without a business account ID: tells to switch to By ID', async () => {
		await expect(search(undefined, undefined, { businessAccountId: '' })).rejects.toThrow(
			/switch to "By ID"/,
		);
	});

	test('Send Interactive’s Flow ID takes the picker’s value (plain IDs of older nodes: message tests)', async () => {
		const id = newDraft('Send me');
		const result = await run('message', 'sendInteractive', {
			phoneNumberId: rl(phone(), 'id'),
			recipient: '+16505551234',
			interactiveType: 'flow',
			interactiveBody: 'Book a visit',
			flowIdentifier: 'id',
			flowId: rl(id),
			flowCta: 'Book',
			flowAction: 'navigate',
			flowScreen: 'PICK_DATE',
			flowMode: 'draft',
		});
		expect(result.error).toBeUndefined();
		const sent = recorder.requests.find((r) => r.path.endsWith('/messages'));
		expect((sent?.json as IDataObject).interactive).toMatchObject({
			type: 'flow',
			action: { name: 'flow', parameters: expect.objectContaining({ flow_id: id }) },
		});
	});
});

describe('Flow Encryption Key', () => {
	const encryptionPath = () => `/${phone()}/whatsapp_business_encryption`;

	test('Upload from the credential’s private key: its public half as SPKI PEM', async () => {
		const result = await key('uploadPublicKey', { phoneNumberId: rl(phone()) });
		expect(result.error).toBeUndefined();
		expect(recorder.requests).toEqual([
			{
				method: 'POST',
				path: encryptionPath(),
				query: {},
				contentType: 'application/json',
				json: { business_public_key: keys.publicPem },
			},
		]);
		expect(jsonOf(result)).toEqual([
			{
				phoneNumberId: phone(),
				success: true,
				source: 'credential',
				publicKeySha256: opensslPublicKeySha256(keys.publicPem),
			},
		]);
		expect(emu.flows.publicKey(phone())?.pem).toBe(keys.publicPem.trim());
		expect(JSON.stringify(result.outputs)).not.toContain(keys.privatePem.split('\n')[1]);
	});

	test('Upload from text (PKCS#1 becomes SPKI) and from a binary public.pem', async () => {
		await key('uploadPublicKey', {
			phoneNumberId: rl(phone(), 'id'),
			publicKeySource: 'pem',
			publicKeyPem: opensslPkcs1PublicPem(other.publicPem),
		});
		expect(recorder.requests[0].json).toEqual({ business_public_key: other.publicPem });
		const second = emu.config.phoneNumberIds[1];
		const fromFile = await key(
			'uploadPublicKey',
			{ phoneNumberId: rl(second), publicKeySource: 'binary' },
			{
				binary: {
					publicKey: { data: Buffer.from(keys.publicPem), mimeType: 'application/x-pem-file' },
				},
			},
		);
		expect(jsonOf(fromFile)[0]).toMatchObject({ phoneNumberId: second, source: 'binary' });
		expect(emu.flows.publicKey(second)?.pem).toBe(keys.publicPem.trim());
	});

	test('a private key pasted as the public key, a credential without a key: refused, nothing sent or quoted', async () => {
		const pasted = await key('uploadPublicKey', {
			phoneNumberId: rl(phone()),
			publicKeySource: 'pem',
			publicKeyPem: keys.privatePem,
		});
		expect(pasted.error?.message).toMatch(/^Public Key holds a private key/);
		const shown = `${pasted.error?.message} ${(pasted.error as NodeOperationError).description}`;
		expect(shown).not.toContain(keys.privatePem.split('\n')[1]);

		const noKey = await key(
			'uploadPublicKey',
			{ phoneNumberId: rl(phone()) },
			{ creds: { flowPrivateKey: '', flowPrivateKeyPassphrase: '' } },
		);
		expect(noKey.error?.message).toMatch(/No Flow private key is configured/);
		const wrongPhone = await key('uploadPublicKey', {
			phoneNumberId: rl('={{ "+1 555 0100" }}', 'id'),
		});
		expect(wrongPhone.error?.message).toMatch(/is not a phone number ID/);
		expect(recorder.requests).toEqual([]);
	});

	test('Get: the uploaded key, its status, and whether it is the credential’s', async () => {
		const none = await key('get', { phoneNumberId: rl(phone()) });
		expect(jsonOf(none)).toEqual([
			{ phoneNumberId: phone(), uploaded: false, matchesCredentialKey: false },
		]);
		expect(recorder.requests).toEqual([{ method: 'GET', path: encryptionPath(), query: {} }]);

		emu.flows.uploadPublicKey(phone(), keys.publicPem);
		const mine = await key('get', { phoneNumberId: rl(phone()) });
		expect(jsonOf(mine)).toEqual([
			{
				phoneNumberId: phone(),
				uploaded: true,
				businessPublicKey: keys.publicPem.trim(),
				signatureStatus: 'VALID',
				publicKeySha256: opensslPublicKeySha256(keys.publicPem),
				matchesCredentialKey: true,
			},
		]);
		const otherCredential = await key(
			'get',
			{ phoneNumberId: rl(phone()) },
			{ creds: { flowPrivateKey: other.privatePem, flowPrivateKeyPassphrase: '' } },
		);
		expect(jsonOf(otherCredential)[0].matchesCredentialKey).toBe(false);
		const noCredentialKey = await key(
			'get',
			{ phoneNumberId: rl(phone()) },
			{ creds: { flowPrivateKey: '' } },
		);
		expect(jsonOf(noCredentialKey)[0].matchesCredentialKey).toBeNull();
	});

	test('Generate Key Pair: private.pem and public.pem as binary files, the private key nowhere else', async () => {
		const result = await key('generateKeyPair', {});
		expect(result.error).toBeUndefined();
		expect(recorder.requests).toEqual([]);
		const [item] = result.outputs[0];
		expect(item.binary?.privateKey).toMatchObject({
			fileName: 'private.pem',
			mimeType: 'application/x-pem-file',
		});
		expect(item.binary?.publicKey).toMatchObject({ fileName: 'public.pem' });
		const privatePem = (await result.binary(item, 'privateKey')).toString('utf8');
		const publicPem = (await result.binary(item, 'publicKey')).toString('utf8');
		expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
		const read = opensslReadPrivateKey(privatePem);
		expect(read).toEqual({ publicPem, bits: 2048 });
		expect(item.json).toEqual({
			publicKeyPem: publicPem,
			publicKeySha256: opensslPublicKeySha256(publicPem),
			bits: 2048,
			privateKeyEncrypted: false,
			warning: expect.stringMatching(/^Binary field privateKey holds the Flow private key/),
		});
		expect(JSON.stringify(item.json)).not.toContain(privatePem.split('\n')[1]);

		// The new private key works as the credential's: Upload sends its public half.
		recorder.requests.length = 0;
		await key(
			'uploadPublicKey',
			{ phoneNumberId: rl(phone()) },
			{ creds: { flowPrivateKey: privatePem, flowPrivateKeyPassphrase: '' } },
		);
		expect(recorder.requests[0].json).toEqual({ business_public_key: publicPem });
	});

	test('Generate Key Pair encrypted with the credential’s passphrase, or a clear error without one', async () => {
		const result = await key('generateKeyPair', { privateKeyEncryption: 'credentialPassphrase' });
		const [item] = result.outputs[0];
		const privatePem = (await result.binary(item, 'privateKey')).toString('utf8');
		expect(privatePem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
		expect(opensslReadPrivateKey(privatePem, keys.passphrase).bits).toBe(2048);
		expect(item.json.privateKeyEncrypted).toBe(true);
		expect(JSON.stringify(item.json)).not.toContain(keys.passphrase);

		const without = await key(
			'generateKeyPair',
			{ privateKeyEncryption: 'credentialPassphrase' },
			{ creds: { flowPrivateKeyPassphrase: '' } },
		);
		expect(without.error?.message).toBe(
			'The credential has no Flow Private Key Passphrase to encrypt the private key with',
		);
	});
});

describe('one credential, several client accounts (the node’s Business Account)', () => {
	let agency: Emulator;
	let agencyRecorder: GraphRecorder;
	beforeAll(async () => {
		agency = await startEmulator({ port: 0, accounts: AGENCY_ACCOUNTS });
		agencyRecorder = await startGraphRecorder(agency.baseUrl, agency.config.apiVersion);
	});
	afterAll(async () => {
		await agencyRecorder?.stop();
		await agency?.stop();
	});
	beforeEach(() => {
		agency.reset();
		agencyRecorder.requests.length = 0;
	});
	const agencyCredentials = () => ({
		whatsAppCloudApi: {
			accessToken: agency.config.token,
			appSecret: agency.config.appSecret,
			businessAccountId: DEFAULT_WABA_ID,
			apiVersion: agency.config.apiVersion,
			baseUrl: agencyRecorder.baseUrl,
		},
	});

	test('Create and List work on the chosen account; empty falls back to the credential’s', async () => {
		const create = (businessAccountId: unknown, name: string) =>
			runNode({
				node: new WhatsAppCloud(),
				parameters: {
					resource: 'flow',
					operation: 'create',
					businessAccountId,
					flowName: name,
					categories: ['OTHER'],
					flowJsonSource: 'none',
				} as INodeParameters,
				credentials: agencyCredentials(),
			});
		expect((await create(rl(WABA_B), 'For B')).error).toBeUndefined();
		expect((await create(rl(''), 'For A')).error).toBeUndefined();
		expect(agencyRecorder.requests.map((r) => r.path)).toEqual([
			`/${WABA_B}/flows`,
			`/${DEFAULT_WABA_ID}/flows`,
		]);
		const list = await runNode({
			node: new WhatsAppCloud(),
			parameters: { resource: 'flow', operation: 'list', businessAccountId: rl(WABA_B, 'id') },
			credentials: agencyCredentials(),
		});
		expect(list.outputs[0].map((i) => i.json.name)).toEqual(['For B']);
	});

	test('the Flow picker follows the Business Account field', async () => {
		const b = agency.flows.create({ name: 'B flow', categories: ['OTHER'] }, { wabaId: WABA_B }).id;
		agency.flows.create({ name: 'A flow', categories: ['OTHER'] });
		const picked = (await callLoadOptions({
			node: new WhatsAppCloud(),
			kind: 'listSearch',
			method: 'searchFlows',
			parameters: { resource: 'flow', operation: 'publish', businessAccountId: rl(WABA_B) },
			credentials: agencyCredentials(),
		})) as { results: Array<{ value: string }> };
		expect(picked.results.map((r) => r.value)).toEqual([b]);
	});
});
