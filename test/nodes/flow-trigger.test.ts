/**
 * The Flow Trigger and Flow → Respond through n8n-core: webhook() with a real WebhookContext
 * behind a real HTTP exchange, the Respond operation in a real WorkflowExecute run whose
 * `this.sendResponse` reaches the HTTP answer the way n8n's respond-to-webhook hook does.
 * Requests are made and answers read by the independent client of test/support/flowVectors.ts
 * (openssl CLI + WebCrypto); activation talks HTTP to the emulator.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { WhatsAppCloudFlowTrigger } from '../../nodes/WhatsAppCloud/WhatsAppCloudFlowTrigger.node';
import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import { signatureHeaderFor } from '../unit/support/signature';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { BOOKING_FLOW_JSON } from '../support/bookingFlow';
import type { ClientRequest } from '../support/flowVectors';
import { clientReadResponse, clientRequest, suiteKeyPairs } from '../support/flowVectors';
import { callHook, callWebhook, runNode } from './harness';

jest.setTimeout(60_000);

const APP_SECRET = 'flow-trigger-app-secret';
const trigger = new WhatsAppCloudFlowTrigger();

/** Flow → Respond is the action node's operation (resource `flow`, operation `respond`). */
const respond = new WhatsAppCloud();
const flowRespond = (parameters: INodeParameters): INodeParameters => ({
	resource: 'flow',
	operation: 'respond',
	...parameters,
});

let emu: Emulator;
const pairs = suiteKeyPairs();

beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
	await emu.stop();
});

function credentials(overrides: IDataObject = {}) {
	return {
		whatsAppCloudApi: {
			accessToken: emu.config.token,
			appSecret: APP_SECRET,
			appId: emu.config.appId,
			businessAccountId: emu.config.wabaId,
			apiVersion: emu.config.apiVersion,
			baseUrl: emu.baseUrl,
			flowPrivateKey: pairs.business.encryptedPkcs8Pem,
			flowPrivateKeyPassphrase: pairs.business.passphrase,
			...overrides,
		},
	};
}

interface PostOptions {
	parameters?: INodeParameters;
	signature?: string | null;
	creds?: IDataObject;
	respondToWebhook?: (items: INodeExecutionData[][]) => Promise<IN8nHttpFullResponse | undefined>;
}

async function post(sent: ClientRequest | string, opts: PostOptions = {}) {
	const raw = typeof sent === 'string' ? sent : sent.raw;
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	const signature =
		opts.signature === undefined ? signatureHeaderFor(APP_SECRET, raw) : opts.signature;
	if (signature !== null) headers['x-hub-signature-256'] = signature;
	return await callWebhook({
		node: trigger,
		parameters: { flowId: '1592000000007919', ...opts.parameters },
		credentials: credentials(opts.creds),
		method: 'POST',
		headers,
		body: raw,
		respondToWebhook: opts.respondToWebhook,
	});
}

/** Runs Flow → Respond on the trigger's items and returns what it handed to sendResponse. */
function respondWith(parameters: INodeParameters, creds?: IDataObject) {
	const sent: IN8nHttpFullResponse[] = [];
	const run = async (items: INodeExecutionData[][]) => {
		const result = await runNode({
			node: respond,
			parameters: flowRespond(parameters),
			items: items[0],
			credentials: credentials(creds),
			onSendResponse: (response) => sent.push(response as IN8nHttpFullResponse),
		});
		last = result;
		return sent[0];
	};
	let last: Awaited<ReturnType<typeof runNode>> | undefined;
	return { run, sent, result: () => last };
}

const body = (r: { responseBody: unknown }) => String(r.responseBody);

describe('the Flow Trigger webhook', () => {
	test('declares one POST webhook answered by the workflow, 500 when it does not answer', () => {
		expect(trigger.description.webhooks).toEqual([
			expect.objectContaining({
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'responseNode',
				responseCode: 500,
			}),
		]);
	});

	test('ping: answered by the trigger itself, encrypted, no workflow started', async () => {
		const sent = await clientRequest(pairs.business.publicPem, { version: '3.0', action: 'ping' });
		const r = await post(sent);
		expect(r.statusCode).toBe(200);
		expect(r.workflowData).toBeUndefined();
		expect(r.noWebhookResponse).toBe(true);
		expect(await clientReadResponse(body(r), sent.aesKey, sent.iv)).toEqual({
			data: { status: 'active' },
		});
	});

	test('a request for another public key: 421, empty body, no workflow', async () => {
		const sent = await clientRequest(pairs.other.publicPem, { version: '3.0', action: 'INIT' });
		const r = await post(sent);
		expect([r.statusCode, body(r), r.workflowData]).toEqual([421, '', undefined]);
	});

	test('forged or missing signatures: 432 before any decryption; When Present accepts unsigned', async () => {
		const sent = await clientRequest(pairs.business.publicPem, {
			version: '3.0',
			action: 'INIT',
			flow_token: 't',
		});
		for (const signature of [signatureHeaderFor('not-the-secret', sent.raw), 'sha256=00', null]) {
			const r = await post(sent, { signature });
			expect([r.statusCode, body(r), r.workflowData]).toEqual([432, '', undefined]);
		}
		const unsigned = await post(sent, { signature: null, parameters: { signatures: 'ifPresent' } });
		expect(unsigned.workflowData?.[0]).toHaveLength(1);
		const forged = await post(sent, {
			signature: signatureHeaderFor('x', sent.raw),
			parameters: { signatures: 'ifPresent' },
		});
		expect(forged.statusCode).toBe(432);
	});

	test('malformed bodies: 400, nothing started', async () => {
		for (const raw of ['not json', '{"encrypted_flow_data":"AAAA"}']) {
			const r = await post(raw);
			expect([r.statusCode, r.workflowData]).toEqual([400, undefined]);
		}
	});

	test('decrypt → one item with action, screen, data, flow token, version, Flow ID and a sealed context', async () => {
		const sent = await clientRequest(pairs.business.publicPem, {
			version: '3.0',
			action: 'data_exchange',
			screen: 'PICK_DATE',
			data: { date: '2026-12-24' },
			flow_token: 'booking-42',
		});
		const r = await post(sent);
		expect(r.workflowData).toEqual([
			[
				{
					json: {
						action: 'data_exchange',
						screen: 'PICK_DATE',
						data: { date: '2026-12-24' },
						flowToken: 'booking-42',
						version: '3.0',
						flowId: '1592000000007919',
						acknowledged: false,
						receivedAt: expect.any(String),
						flowContext: expect.stringMatching(/^wafc1\./),
					},
				},
			],
		]);
		const json = JSON.stringify(r.workflowData);
		for (const encoding of ['base64', 'hex', 'base64url'] as const) {
			expect(json).not.toContain(sent.aesKey.toString(encoding));
		}
		// Without Flow → Respond the workflow ends unanswered: the description's 500, empty body.
		expect([r.statusCode, body(r)]).toEqual([500, '']);
	});

	test('the Flow picker’s value labels the items like the plain ID of older nodes', async () => {
		const sent = await clientRequest(pairs.business.publicPem, {
			version: '3.0',
			action: 'INIT',
			flow_token: 't-picked',
		});
		const picked = { __rl: true, mode: 'list', value: '1592000000007919', cachedResultName: 'x' };
		const r = await post(sent, { parameters: { flowId: picked } });
		expect(r.workflowData![0][0].json).toMatchObject({ flowId: '1592000000007919' });
		const none = await post(
			await clientRequest(pairs.business.publicPem, { version: '3.0', action: 'INIT' }),
			{ parameters: { flowId: { __rl: true, mode: 'list', value: '' } } },
		);
		expect(none.workflowData![0][0].json).toMatchObject({ flowId: null });
	});

	test('credential problems fail the request with a clear error and no secret in it', async () => {
		const sent = await clientRequest(pairs.business.publicPem, { version: '3.0', action: 'ping' });
		const cases: Array<[IDataObject, RegExp]> = [
			[
				{ flowPrivateKeyPassphrase: 'wrong horse' },
				/cannot be decrypted with the configured passphrase/,
			],
			[{ flowPrivateKeyPassphrase: '' }, /encrypted and no passphrase/],
			[{ flowPrivateKey: '' }, /No Flow private key/],
			[{ appSecret: '' }, /no App Secret/],
		];
		for (const [creds, message] of cases) {
			const r = await post(sent, { creds });
			expect(r.statusCode).toBe(500);
			expect(r.error).toBeInstanceOf(NodeOperationError);
			expect(r.error?.message).toMatch(message);
			const shown = `${r.error?.message} ${(r.error as NodeOperationError).description ?? ''} ${JSON.stringify(r.responseBody)}`;
			expect(shown).not.toContain(pairs.business.passphrase);
			expect(shown).not.toContain('wrong horse');
			expect(shown).not.toContain(pairs.business.privatePem.split('\n')[1]);
		}
	});

	test('an error notice is acknowledged at once and still starts the workflow (unless switched off)', async () => {
		const notice = await clientRequest(pairs.business.publicPem, {
			version: '3.0',
			action: 'data_exchange',
			screen: 'PICK_SLOT',
			flow_token: 't',
			data: { error: 'INVALID_SCREEN_DATA', error_message: 'slots missing' },
		});
		const r = await post(notice);
		expect(r.statusCode).toBe(200);
		expect(await clientReadResponse(body(r), notice.aesKey, notice.iv)).toEqual({
			data: { acknowledged: true },
		});
		expect(r.workflowData?.[0][0].json).toMatchObject({
			acknowledged: true,
			errorNotice: { error: 'INVALID_SCREEN_DATA', errorMessage: 'slots missing' },
		});
		const off = await post(notice, { parameters: { options: { runOnErrorNotifications: false } } });
		expect([off.statusCode, off.workflowData]).toEqual([200, undefined]);
	});
});

describe('Flow → Respond through the respond-to-webhook hook', () => {
	test('next screen: the customer reads exactly what the workflow computed', async () => {
		const sent = await clientRequest(pairs.business.publicPem, {
			version: '3.0',
			action: 'INIT',
			flow_token: 'b-1',
		});
		const responder = respondWith({
			respondWith: 'nextScreen',
			screen: 'PICK_DATE',
			screenData: '{"dates": [{"id": "2026-12-24", "title": "Thu 24 Dec"}]}',
		});
		const r = await post(sent, { respondToWebhook: responder.run });
		expect(r.statusCode).toBe(200);
		expect(r.headers['content-type']).toMatch(/^text\/plain/);
		expect(await clientReadResponse(body(r), sent.aesKey, sent.iv)).toEqual({
			screen: 'PICK_DATE',
			data: { dates: [{ id: '2026-12-24', title: 'Thu 24 Dec' }] },
		});
		const output = responder.result()!.outputs[0][0].json;
		expect(output.flowResponse).toMatchObject({
			responded: true,
			response: 'screen',
			screen: 'PICK_DATE',
			action: 'INIT',
			flowToken: 'b-1',
			late: false,
		});
		expect(JSON.stringify(output)).not.toContain(sent.aesKey.toString('base64'));
	});

	test('close the Flow and token-no-longer-valid (427), both encrypted', async () => {
		const sent = await clientRequest(pairs.business.publicPem, {
			version: '3.0',
			action: 'data_exchange',
			screen: 'CONFIRM',
			data: { date: 'd', slot: 's' },
			flow_token: 'b-2',
		});
		const close = respondWith({
			respondWith: 'closeFlow',
			responseParameters: '{"booking": "B-7"}',
		});
		const closed = await post(sent, { respondToWebhook: close.run });
		expect(await clientReadResponse(body(closed), sent.aesKey, sent.iv)).toEqual({
			screen: 'SUCCESS',
			data: { extension_message_response: { params: { booking: 'B-7', flow_token: 'b-2' } } },
		});
		const expired = respondWith({ respondWith: 'tokenInvalid', errorMessage: 'Already booked' });
		const r = await post(sent, { respondToWebhook: expired.run });
		expect(r.statusCode).toBe(427);
		expect(await clientReadResponse(body(r), sent.aesKey, sent.iv)).toEqual({
			error_msg: 'Already booked',
		});
	});

	test('concurrent requests of different flow tokens each get their own answer', async () => {
		const tokens = ['c-1', 'c-2', 'c-3', 'c-4', 'c-5'];
		const sents = await Promise.all(
			tokens.map((flow_token) =>
				clientRequest(pairs.business.publicPem, { version: '3.0', action: 'INIT', flow_token }),
			),
		);
		const results = await Promise.all(
			sents.map((sent) =>
				post(sent, {
					respondToWebhook: respondWith({
						respondWith: 'nextScreen',
						screen: 'PICK_DATE',
						screenData:
							'={{ JSON.stringify({ dates: [{ id: $json.flowToken, title: $json.flowToken }] }) }}',
					}).run,
				}),
			),
		);
		for (const [index, sent] of sents.entries()) {
			const answer = (await clientReadResponse(
				body(results[index]),
				sent.aesKey,
				sent.iv,
			)) as IDataObject;
			expect(answer).toEqual({
				screen: 'PICK_DATE',
				data: { dates: [{ id: tokens[index], title: tokens[index] }] },
			});
			// And no other request's key reads it.
			const otherSent = sents[(index + 1) % sents.length];
			await expect(
				clientReadResponse(body(results[index]), otherSent.aesKey, otherSent.iv),
			).rejects.toThrow();
		}
	});

	test('bad input names the field and the item; the request then ends with 500', async () => {
		const sent = await clientRequest(pairs.business.publicPem, {
			version: '3.0',
			action: 'INIT',
			flow_token: 't',
		});
		const responder = respondWith({
			respondWith: 'nextScreen',
			screen: 'PICK_DATE',
			screenData: '[1, 2]',
		});
		const r = await post(sent, { respondToWebhook: responder.run });
		expect(responder.sent).toHaveLength(0);
		expect([r.statusCode, body(r)]).toEqual([500, '']);
		const error = responder.result()!.error as NodeOperationError;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/Data must be a JSON object; it is a list/);
		expect(error.description).toMatch(/Field: Data.*\(item 0\)/);
	});

	test('one answer per request: a second item is refused, not sent', async () => {
		const sent = await clientRequest(pairs.business.publicPem, {
			version: '3.0',
			action: 'INIT',
			flow_token: 't',
		});
		const r = await post(sent);
		const item = r.workflowData![0][0];
		const sends: unknown[] = [];
		const result = await runNode({
			node: respond,
			parameters: flowRespond({ respondWith: 'closeFlow' }),
			items: [item, item],
			credentials: credentials(),
			onSendResponse: (response) => sends.push(response),
		});
		expect(sends).toHaveLength(1);
		expect(result.error?.message).toMatch(/already answered \(item 0\)/);
	});

	test('a context sealed by another credential is refused; an acknowledged notice sends nothing', async () => {
		const sent = await clientRequest(pairs.business.publicPem, {
			version: '3.0',
			action: 'INIT',
			flow_token: 't',
		});
		const item = (await post(sent)).workflowData![0][0];
		const sends: unknown[] = [];
		const foreign = await runNode({
			node: respond,
			parameters: flowRespond({ respondWith: 'closeFlow' }),
			items: [item],
			credentials: credentials({
				flowPrivateKey: pairs.other.privatePem,
				flowPrivateKeyPassphrase: '',
			}),
			onSendResponse: (response) => sends.push(response),
		});
		expect(foreign.error?.message).toMatch(/does not open with this credential/);
		expect(sends).toHaveLength(0);

		const notice = await clientRequest(pairs.business.publicPem, {
			version: '3.0',
			action: 'INIT',
			flow_token: 't',
			data: { error: 'X', error_message: 'y' },
		});
		const noticeItem = (await post(notice)).workflowData![0][0];
		const skipped = await runNode({
			node: respond,
			parameters: flowRespond({ respondWith: 'closeFlow' }),
			items: [noticeItem],
			credentials: credentials(),
			onSendResponse: (response) => sends.push(response),
		});
		expect(sends).toHaveLength(0);
		expect(skipped.outputs[0][0].json.flowResponse).toMatchObject({
			responded: false,
			response: 'none',
		});
	});

	test('a workflow not started by the Flow Trigger gets a clear error', async () => {
		const result = await runNode({
			node: respond,
			parameters: flowRespond({ respondWith: 'closeFlow' }),
			items: [{ json: { hello: 'world' } }],
			credentials: credentials(),
		});
		expect(result.error?.message).toMatch(/not started by a WhatsApp Cloud API Flow Trigger/);
	});
});

describe('activation', () => {
	const url = 'https://n8n.example.com/webhook/harness-webhook-id/flow';

	test("Set the Flow's Endpoint URI points the Flow here; checkExists sees it", async () => {
		emu.reset();
		const flowId = emu.flows.create({
			name: 'booking',
			categories: ['APPOINTMENT_BOOKING'],
			flow_json: BOOKING_FLOW_JSON,
		}).id;
		// The picker's value, its By ID mode, and the plain string saved before it was a picker.
		const picked = { __rl: true, mode: 'list', value: flowId, cachedResultName: 'booking (DRAFT)' };
		for (const given of [picked, { __rl: true, mode: 'id', value: flowId }, flowId]) {
			emu.flows.get(flowId)!.endpointUri = undefined;
			const hook = (method: 'checkExists' | 'create' | 'delete') =>
				callHook({
					node: trigger,
					parameters: { registration: 'flowEndpoint', flowId: given },
					credentials: credentials(),
					method,
					webhookUrl: url,
				});
			expect(await hook('checkExists')).toBe(false);
			expect(await hook('create')).toBe(true);
			expect(emu.flows.get(flowId)?.endpointUri).toBe(url);
			expect(await hook('checkExists')).toBe(true);
			expect(await hook('delete')).toBe(true);
			expect(emu.flows.get(flowId)?.endpointUri).toBe(url);
		}
	});

	test('activation refuses a credential whose key does not load, or a bad Flow ID', async () => {
		const activate = (parameters: INodeParameters, creds: IDataObject = {}) =>
			callHook({
				node: trigger,
				parameters,
				credentials: credentials(creds),
				method: 'create',
				webhookUrl: url,
			});
		await expect(activate({}, { flowPrivateKeyPassphrase: 'nope' })).rejects.toThrow(/passphrase/);
		await expect(activate({ registration: 'flowEndpoint', flowId: 'abc' })).rejects.toThrow(
			/not a Flow ID/,
		);
		await expect(activate({})).resolves.toBe(true);
	});
});
