/**
 * The Flow endpoint's decisions, the sealed context and Flow → Respond's pure logic, with requests
 * and answers made and read by the independent client of test/support/flowVectors.ts.
 */
import {
	openFlowContext,
	sealFlowContext,
	FlowContextError,
} from '../../nodes/WhatsAppCloud/helpers/flows/context';
import type { FlowRequestContext } from '../../nodes/WhatsAppCloud/helpers/flows/context';
import { loadFlowPrivateKey } from '../../nodes/WhatsAppCloud/helpers/flows/crypto';
import type { FlowTriggerItem } from '../../nodes/WhatsAppCloud/helpers/flows/endpoint';
import { handleFlowEndpointRequest } from '../../nodes/WhatsAppCloud/helpers/flows/endpoint';
import {
	META_ENDPOINT_TIMEOUT_MS,
	prepareFlowResponse,
} from '../../nodes/WhatsAppCloud/helpers/flows/respond';
import {
	closeFlow,
	nextScreen,
	screenWithError,
	tokenNoLongerValid,
} from '../../nodes/WhatsAppCloud/helpers/flows/responses';
import { PayloadError } from '../../nodes/WhatsAppCloud/helpers/errors';
import { signatureHeaderFor } from './support/signature';
import type { ClientRequest } from '../support/flowVectors';
import { clientReadResponse, clientRequest, suiteKeyPairs } from '../support/flowVectors';

jest.setTimeout(60_000);

const APP_SECRET = 'flow-app-secret';
const NOW = Date.parse('2026-12-01T10:00:00.000Z');

const keys = suiteKeyPairs();

const key = () => loadFlowPrivateKey(keys.business.privatePem);

function endpoint(
	sent: ClientRequest | string,
	{
		signature,
		policy = 'required',
		flowId,
	}: { signature?: string | null; policy?: 'required' | 'ifPresent'; flowId?: string } = {},
) {
	const raw = Buffer.from(typeof sent === 'string' ? sent : sent.raw);
	return handleFlowEndpointRequest({
		rawBody: raw,
		signatureHeader: signature === undefined ? signatureHeaderFor(APP_SECRET, raw) : signature,
		appSecret: APP_SECRET,
		signaturePolicy: policy,
		privateKey: key(),
		flowId,
		now: NOW,
	});
}

function runItem(outcome: ReturnType<typeof endpoint>): FlowTriggerItem {
	if (outcome.kind !== 'run') throw new Error(`expected a run, got ${outcome.kind}`);
	return outcome.item;
}

describe('the endpoint decision', () => {
	test('ping is answered at once, readable by the client, and starts nothing', async () => {
		const sent = await clientRequest(keys.business.publicPem, { version: '3.0', action: 'ping' });
		const outcome = endpoint(sent);
		expect(outcome.kind).toBe('answer');
		if (outcome.kind !== 'answer') return;
		expect(outcome.statusCode).toBe(200);
		expect(await clientReadResponse(outcome.body, sent.aesKey, sent.iv)).toEqual({
			data: { status: 'active' },
		});
	});

	test('signatures: forged, missing or signed with another secret are 432 before decryption', async () => {
		const sent = await clientRequest(keys.business.publicPem, {
			version: '3.0',
			action: 'INIT',
			flow_token: 't',
		});
		const forged = [
			signatureHeaderFor('another-secret', sent.raw),
			signatureHeaderFor(APP_SECRET, `${sent.raw} `),
			'sha256=zz',
			null,
		];
		for (const signature of forged) {
			const outcome = endpoint(sent, { signature });
			expect(outcome).toMatchObject({ kind: 'reject', statusCode: 432, reason: 'signature' });
		}
		// Unsigned is accepted only when the policy says so; a present header is always checked.
		expect(endpoint(sent, { signature: null, policy: 'ifPresent' }).kind).toBe('run');
		expect(
			endpoint(sent, { signature: signatureHeaderFor('x', sent.raw), policy: 'ifPresent' }),
		).toMatchObject({ statusCode: 432 });
	});

	test('a request for another key is 421 and carries nothing secret', async () => {
		const sent = await clientRequest(keys.other.publicPem, { version: '3.0', action: 'ping' });
		const outcome = endpoint(sent);
		expect(outcome).toMatchObject({ kind: 'reject', statusCode: 421, reason: 'key-mismatch' });
		expect(JSON.stringify(outcome)).not.toContain(sent.aesKey.toString('base64'));
	});

	test('malformed bodies are 400', () => {
		for (const raw of ['', 'hello', '{}', '{"encrypted_flow_data":"AA"}']) {
			expect(endpoint(raw)).toMatchObject({ kind: 'reject', statusCode: 400, reason: 'malformed' });
		}
	});

	test('INIT and data_exchange become one item; its JSON holds no key material', async () => {
		const init = await clientRequest(keys.business.publicPem, {
			version: '3.0',
			action: 'INIT',
			flow_token: 'booking-42',
		});
		const item = runItem(endpoint(init, { flowId: '1234567890' }));
		expect(item).toEqual({
			action: 'INIT',
			screen: null,
			data: {},
			flowToken: 'booking-42',
			version: '3.0',
			flowId: '1234567890',
			acknowledged: false,
			receivedAt: '2026-12-01T10:00:00.000Z',
			flowContext: expect.stringMatching(/^wafc1\./),
		});
		const exchange = await clientRequest(keys.business.publicPem, {
			version: '3.0',
			action: 'data_exchange',
			screen: 'PICK_DATE',
			data: { date: '2026-12-24' },
			flow_token: 'booking-42',
			flow_token_signature: 'sig.value',
		});
		const second = runItem(endpoint(exchange));
		expect(second).toMatchObject({
			action: 'data_exchange',
			screen: 'PICK_DATE',
			data: { date: '2026-12-24' },
			flowId: null,
			flowTokenSignature: 'sig.value',
		});
		for (const [sent, json] of [
			[init, JSON.stringify(item)],
			[exchange, JSON.stringify(second)],
		] as const) {
			expect(json).not.toContain(sent.aesKey.toString('base64'));
			expect(json).not.toContain(sent.aesKey.toString('hex'));
			expect(json).not.toContain(sent.aesKey.toString('base64url'));
		}
	});

	test('missing flow token and empty screen are null, not invented', async () => {
		const sent = await clientRequest(keys.business.publicPem, {
			version: '3.0',
			action: 'BACK',
			screen: '',
			data: {},
		});
		expect(runItem(endpoint(sent))).toMatchObject({
			action: 'BACK',
			screen: null,
			flowToken: null,
		});
	});

	test('an error notice is acknowledged at once and still reaches the workflow', async () => {
		const sent = await clientRequest(keys.business.publicPem, {
			version: '3.0',
			action: 'data_exchange',
			screen: 'PICK_SLOT',
			flow_token: 't-9',
			data: { error: 'INVALID_SCREEN_DATA', error_message: 'slots is missing' },
		});
		const outcome = endpoint(sent);
		if (outcome.kind !== 'run' || !outcome.immediate)
			throw new Error('expected an acknowledged run');
		expect(outcome.immediate.statusCode).toBe(200);
		expect(await clientReadResponse(outcome.immediate.body, sent.aesKey, sent.iv)).toEqual({
			data: { acknowledged: true },
		});
		expect(outcome.item).toMatchObject({
			acknowledged: true,
			errorNotice: { error: 'INVALID_SCREEN_DATA', errorMessage: 'slots is missing' },
		});
		// Flow → Respond then sends nothing: the request has its answer.
		const prepared = prepareFlowResponse(
			outcome.item.flowContext,
			key(),
			{ respondWith: 'nextScreen', screen: 'PICK_SLOT' },
			NOW + 5,
		);
		expect(prepared.kind).toBe('alreadyAnswered');
	});
});

describe('the sealed context', () => {
	const context: FlowRequestContext = {
		aesKey: Buffer.from('00112233445566778899aabbccddeeff', 'hex'),
		iv: Buffer.from('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf', 'hex'),
		version: '3.0',
		action: 'data_exchange',
		flowToken: 'tok',
		screen: 'PICK_DATE',
		receivedAt: NOW,
		requestId: 'req-1',
		answered: false,
	};

	test('opens with the same key in any PEM form and shows nothing in clear', () => {
		const sealed = sealFlowContext(context, key());
		expect(openFlowContext(sealed, loadFlowPrivateKey(keys.business.pkcs1Pem))).toEqual(context);
		expect(
			openFlowContext(
				sealed,
				loadFlowPrivateKey(keys.business.encryptedPkcs8Pem, keys.business.passphrase),
			),
		).toEqual(context);
		for (const encoding of ['hex', 'base64', 'base64url'] as const) {
			expect(sealed).not.toContain(context.aesKey.toString(encoding));
		}
		expect(sealed).not.toContain('PICK_DATE');
		// A fresh nonce per seal: the same context never seals to the same text.
		expect(sealFlowContext(context, key())).not.toBe(sealed);
	});

	test('another credential, a changed character or a foreign string does not open', () => {
		const sealed = sealFlowContext(context, key());
		const reason = (run: () => unknown) => {
			try {
				run();
			} catch (error) {
				if (error instanceof FlowContextError) return error.reason;
				throw error;
			}
			return 'opened';
		};
		expect(reason(() => openFlowContext(sealed, loadFlowPrivateKey(keys.other.privatePem)))).toBe(
			'wrong-key',
		);
		const at = 20;
		const changed = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);
		expect(reason(() => openFlowContext(changed, key()))).toBe('wrong-key');
		expect(reason(() => openFlowContext(sealed.slice(0, 20), key()))).toBe('invalid');
		expect(reason(() => openFlowContext('{"aesKey":"..."}', key()))).toBe('not-a-context');
		expect(reason(() => openFlowContext(undefined, key()))).toBe('not-a-context');
	});
});

describe('response builders', () => {
	const field = (run: () => unknown) => {
		try {
			run();
		} catch (error) {
			if (error instanceof PayloadError) return { field: error.field, message: error.message };
			throw error;
		}
		return undefined;
	};

	test('next screen, error message, close and token-invalid bodies as Meta documents them', () => {
		expect(nextScreen('PICK_SLOT', { slots: [] })).toEqual({
			kind: 'screen',
			statusCode: 200,
			body: { screen: 'PICK_SLOT', data: { slots: [] } },
		});
		expect(nextScreen(' CONFIRM ').body).toEqual({ screen: 'CONFIRM', data: {} });
		expect(
			screenWithError('PICK_SLOT', 'That slot was just taken', { slots: ['10:00'] }).body,
		).toEqual({
			screen: 'PICK_SLOT',
			data: { slots: ['10:00'], error_message: 'That slot was just taken' },
		});
		expect(closeFlow('tok-1', { booking_id: 'B-7' }).body).toEqual({
			screen: 'SUCCESS',
			data: {
				extension_message_response: { params: { booking_id: 'B-7', flow_token: 'tok-1' } },
			},
		});
		expect(closeFlow(undefined, { flow_token: 'given' }).body).toMatchObject({
			data: { extension_message_response: { params: { flow_token: 'given' } } },
		});
		expect(tokenNoLongerValid('This booking link has expired')).toEqual({
			kind: 'tokenInvalid',
			statusCode: 427,
			body: { error_msg: 'This booking link has expired' },
		});
	});

	test('bad input names the field', () => {
		expect(field(() => nextScreen(''))).toMatchObject({ field: 'Screen' });
		expect(field(() => nextScreen('TWO WORDS'))).toMatchObject({ field: 'Screen' });
		expect(field(() => nextScreen('SUCCESS'))?.message).toMatch(/Close Flow/);
		expect(field(() => nextScreen('A', [1, 2]))).toMatchObject({ field: 'Data' });
		expect(field(() => nextScreen('A', 'text'))).toMatchObject({ field: 'Data' });
		expect(field(() => screenWithError('A', ''))).toMatchObject({ field: 'Error Message' });
		expect(field(() => closeFlow(undefined, {}))).toMatchObject({
			field: 'Response Parameters.flow_token',
		});
		expect(field(() => closeFlow('t', [1]))).toMatchObject({ field: 'Response Parameters' });
		expect(field(() => tokenNoLongerValid(' '))).toMatchObject({ field: 'Error Message' });
	});
});

describe('Flow → Respond, pure', () => {
	async function triggered(request: object) {
		const sent = await clientRequest(keys.business.publicPem, request);
		return { sent, item: runItem(endpoint(sent)) };
	}

	test('the answer is for exactly that request: its key, its IV, its flow token', async () => {
		const a = await triggered({ version: '3.0', action: 'INIT', flow_token: 'token-A' });
		const b = await triggered({ version: '3.0', action: 'INIT', flow_token: 'token-B' });
		const answerA = prepareFlowResponse(
			a.item.flowContext,
			key(),
			{ respondWith: 'closeFlow' },
			NOW,
		);
		const answerB = prepareFlowResponse(
			b.item.flowContext,
			key(),
			{ respondWith: 'nextScreen', screen: 'PICK_DATE', data: { dates: ['2026-12-24'] } },
			NOW,
		);
		if (answerA.kind !== 'send' || answerB.kind !== 'send') throw new Error('expected answers');
		expect(answerA.http).toMatchObject({
			statusCode: 200,
			headers: { 'content-type': 'text/plain' },
		});
		expect(await clientReadResponse(answerA.http.body, a.sent.aesKey, a.sent.iv)).toEqual({
			screen: 'SUCCESS',
			data: { extension_message_response: { params: { flow_token: 'token-A' } } },
		});
		expect(await clientReadResponse(answerB.http.body, b.sent.aesKey, b.sent.iv)).toEqual({
			screen: 'PICK_DATE',
			data: { dates: ['2026-12-24'] },
		});
		// Crossed over, neither client can read the other's answer.
		await expect(clientReadResponse(answerA.http.body, b.sent.aesKey, b.sent.iv)).rejects.toThrow();
		expect(answerA.summary).toEqual({
			responded: true,
			response: 'close',
			statusCode: 200,
			screen: 'SUCCESS',
			action: 'INIT',
			flowToken: 'token-A',
			requestId: expect.any(String),
			elapsedMs: 0,
			late: false,
		});
		expect(JSON.stringify(answerA.summary)).not.toContain(a.sent.aesKey.toString('base64'));
	});

	test('error message defaults to the request screen; INIT has none to default to', async () => {
		const exchange = await triggered({
			version: '3.0',
			action: 'data_exchange',
			screen: 'PICK_SLOT',
			data: { slot: '09:00' },
			flow_token: 't',
		});
		const answer = prepareFlowResponse(
			exchange.item.flowContext,
			key(),
			{ respondWith: 'errorMessage', errorMessage: 'Taken, pick another' },
			NOW,
		);
		if (answer.kind !== 'send') throw new Error('expected an answer');
		expect(
			await clientReadResponse(answer.http.body, exchange.sent.aesKey, exchange.sent.iv),
		).toEqual({
			screen: 'PICK_SLOT',
			data: { error_message: 'Taken, pick another' },
		});
		const init = await triggered({ version: '3.0', action: 'INIT', flow_token: 't' });
		expect(() =>
			prepareFlowResponse(
				init.item.flowContext,
				key(),
				{ respondWith: 'errorMessage', errorMessage: 'x' },
				NOW,
			),
		).toThrow(expect.objectContaining({ field: 'Screen' }));
	});

	test('token no longer valid is HTTP 427 with an encrypted error_msg', async () => {
		const { sent, item } = await triggered({ version: '3.0', action: 'INIT', flow_token: 'old' });
		const answer = prepareFlowResponse(
			item.flowContext,
			key(),
			{ respondWith: 'tokenInvalid', errorMessage: 'Already booked' },
			NOW,
		);
		if (answer.kind !== 'send') throw new Error('expected an answer');
		expect(answer.http.statusCode).toBe(427);
		expect(await clientReadResponse(answer.http.body, sent.aesKey, sent.iv)).toEqual({
			error_msg: 'Already booked',
		});
	});

	test('a late answer is reported as late; a context of another credential is refused', async () => {
		const { item } = await triggered({ version: '3.0', action: 'INIT', flow_token: 't' });
		const late = prepareFlowResponse(
			item.flowContext,
			key(),
			{ respondWith: 'closeFlow' },
			NOW + META_ENDPOINT_TIMEOUT_MS + 1,
		);
		expect(late.summary).toMatchObject({ late: true, elapsedMs: META_ENDPOINT_TIMEOUT_MS + 1 });
		expect(() =>
			prepareFlowResponse(
				item.flowContext,
				loadFlowPrivateKey(keys.other.privatePem),
				{ respondWith: 'closeFlow' },
				NOW,
			),
		).toThrow(FlowContextError);
	});
});
