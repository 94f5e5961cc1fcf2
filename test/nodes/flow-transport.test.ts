/**
 * transport/flows.ts through n8n-core's real httpRequestWithAuthentication against the emulator:
 * each call runs inside a node's execute() in a WorkflowExecute run, as the action node will call it.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes } from 'n8n-workflow';

import * as flows from '../../nodes/WhatsAppCloud/transport/flows';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { BOOKING_FLOW, BOOKING_FLOW_JSON } from '../support/bookingFlow';
import type { OpensslKeyPair } from '../support/flowVectors';
import { opensslKeyPair, removeKeyPair, requireOpenssl } from '../support/flowVectors';
import { runNode } from './harness';

jest.setTimeout(60_000);

type Call = (this: IExecuteFunctions, args: IDataObject) => Promise<unknown>;

/** A node whose execute() runs one transport function with the item's arguments. */
function probe(call: Call): INodeType {
	const description: INodeTypeDescription = {
		displayName: 'Flows Transport Probe',
		name: 'flowsTransportProbe',
		group: ['transform'],
		version: 1,
		description: 'Calls transport/flows.ts',
		defaults: { name: 'Flows Transport Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'whatsAppCloudApi', required: true }],
		properties: [],
	};
	return {
		description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const result = await call.call(this, this.getInputData()[0].json);
			return [[{ json: { result: result as IDataObject } }]];
		},
	};
}

let emu: Emulator;
let keys: OpensslKeyPair;

beforeAll(async () => {
	requireOpenssl();
	keys = opensslKeyPair();
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
	await emu.stop();
	removeKeyPair(keys);
});
beforeEach(() => emu.reset());

async function run(call: Call, args: IDataObject = {}) {
	const result = await runNode({
		node: probe(call),
		parameters: {},
		items: [{ json: args }],
		credentials: {
			whatsAppCloudApi: {
				accessToken: emu.config.token,
				apiVersion: emu.config.apiVersion,
				baseUrl: emu.baseUrl,
			},
		},
	});
	if (result.error) throw result.error;
	return result.outputs[0][0].json.result as any;
}

const waba = () => emu.config.wabaId;
const phone = () => emu.config.phoneNumberIds[0];

test('create → upload JSON → key → publish → get → deprecate, as Meta’s API has it', async () => {
	const created = await run(async function () {
		return await flows.createFlow.call(this, waba(), {
			name: 'Booking',
			categories: ['APPOINTMENT_BOOKING'],
			endpointUri: 'https://n8n.example.com/webhook/abc/flow',
		});
	});
	expect(created).toEqual({ id: expect.stringMatching(/^\d+$/), success: true });
	const id = created.id as string;

	const upload = await run(async function () {
		return await flows.uploadFlowJson.call(this, id, BOOKING_FLOW_JSON);
	});
	expect(upload).toEqual({ success: true, validation_errors: [] });
	const assets = await run(async function () {
		return await flows.getFlowAssets.call(this, id);
	});
	expect(await (await fetch(assets[0].download_url)).json()).toEqual(BOOKING_FLOW);

	await run(async function () {
		return await flows.uploadBusinessPublicKey.call(this, phone(), keys.publicPem);
	});
	expect(
		await run(async function () {
			return await flows.getBusinessPublicKey.call(this, phone());
		}),
	).toEqual({
		business_public_key: keys.publicPem.trim(),
		business_public_key_signature_status: 'VALID',
	});
	expect(
		await run(async function () {
			return (await flows.getBusinessPublicKey.call(this, emu.config.phoneNumberIds[1])) ?? null;
		}),
	).toBeNull();

	expect(
		await run(async function () {
			return await flows.changeFlowStatus.call(this, id, 'publish');
		}),
	).toEqual({ success: true });
	const details = await run(async function () {
		return await flows.getFlow.call(this, id);
	});
	expect(details).toMatchObject({
		id,
		name: 'Booking',
		status: 'PUBLISHED',
		categories: ['APPOINTMENT_BOOKING'],
		validation_errors: [],
		json_version: '7.1',
		data_api_version: '3.0',
		endpoint_uri: 'https://n8n.example.com/webhook/abc/flow',
		preview: { preview_url: expect.any(String), expires_at: expect.any(String) },
		application: { id: emu.config.appId },
	});
	const renewed = await run(async function () {
		return await flows.getFlow.call(this, id, {
			fields: ['id', 'preview'],
			invalidatePreview: true,
		});
	});
	expect(renewed.preview.preview_url).not.toBe(details.preview.preview_url);

	expect(
		await run(async function () {
			return await flows.changeFlowStatus.call(this, id, 'deprecate');
		}),
	).toEqual({ success: true });
});

test('Meta’s 13900x errors arrive as NodeApiErrors with the code and a hint', async () => {
	const id = emu.flows.create({
		name: 'x',
		categories: ['OTHER'],
		flow_json: '{"version":"7.1"}',
	}).id;
	let error: unknown;
	try {
		await run(async function () {
			return await flows.changeFlowStatus.call(this, id, 'publish');
		});
	} catch (e) {
		error = e;
	}
	expect(error).toBeInstanceOf(NodeApiError);
	const apiError = error as NodeApiError;
	expect(apiError.message).toMatch(/validation errors/);
	expect(apiError.description).toMatch(/fix its validation errors/);
	expect((apiError as unknown as { errorResponse?: { code?: number } }).errorResponse?.code).toBe(
		139002,
	);

	await expect(
		run(async function () {
			return await flows.changeFlowStatus.call(this, id, 'deprecate');
		}),
	).rejects.toThrow(/deprecate unpublished/);
	expect(
		await run(async function () {
			return await flows.deleteFlow.call(this, id);
		}),
	).toEqual({ success: true });
});

test('update metadata, list with paging, and create with Flow JSON and publish', async () => {
	const { id } = emu.flows.create({ name: 'old', categories: ['OTHER'] });
	await run(async function () {
		return await flows.updateFlowMetadata.call(this, id, {
			name: 'new',
			categories: ['SURVEY', 'OTHER'],
			applicationId: emu.config.appId,
		});
	});
	expect(emu.flows.get(id)).toMatchObject({ name: 'new', categories: ['SURVEY', 'OTHER'] });
	const staticFlow = JSON.stringify({
		...BOOKING_FLOW,
		data_api_version: undefined,
		routing_model: undefined,
	});
	const published = await run(async function () {
		return await flows.createFlow.call(this, waba(), {
			name: 'Static',
			categories: ['SURVEY'],
			flowJson: staticFlow,
			publish: true,
		});
	});
	expect(emu.flows.get(published.id)?.status).toBe('PUBLISHED');

	const first = await run(async function () {
		return await flows.listFlows.call(this, waba(), { limit: 1 });
	});
	expect(first.flows.map((f: IDataObject) => f.name)).toEqual(['new']);
	expect(first.after).toEqual(expect.any(String));
	const second = await run(async function () {
		return await flows.listFlows.call(this, waba(), { limit: 1, after: first.after });
	});
	expect(second).toEqual({ flows: [expect.objectContaining({ name: 'Static' })] });
});
