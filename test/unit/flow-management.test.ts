/**
 * Flow management checks and the business key pair: generated keys read back by the openssl CLI
 * (a separate implementation), public keys in every PEM form openssl writes, and each rule's error
 * naming the field, the limit and what was found.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';

import { PayloadError } from '../../nodes/WhatsAppCloud/helpers/errors';
import {
	BUSINESS_KEY_BITS,
	businessPublicKeyFromPem,
	businessPublicKeyOf,
	generateFlowKeyPair,
	publicKeyFingerprint,
} from '../../nodes/WhatsAppCloud/helpers/flows/keys';
import { loadFlowPrivateKey } from '../../nodes/WhatsAppCloud/helpers/flows/crypto';
import {
	checkEndpointUri,
	checkFlowCategories,
	checkFlowId,
	checkFlowName,
	FLOW_JSON_MAX_BYTES,
	flowJsonFromFile,
	flowJsonText,
} from '../../nodes/WhatsAppCloud/helpers/flows/management';
import type { OpensslKeyPair } from '../support/flowVectors';
import {
	opensslEcPublicPem,
	opensslKeyPair,
	opensslPkcs1PublicPem,
	opensslPublicKeySha256,
	opensslReadPrivateKey,
	removeKeyPair,
	requireOpenssl,
} from '../support/flowVectors';

jest.setTimeout(60_000);

/** The PayloadError `run` throws (fails the test when it throws none or another error). */
function payloadError(run: () => unknown): PayloadError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(PayloadError);
		return error as PayloadError;
	}
	throw new Error('expected a PayloadError');
}

describe('Flow management inputs', () => {
	test('Flow IDs are digits', () => {
		expect(checkFlowId('Flow', ' 1592000000007919 ')).toBe('1592000000007919');
		expect(checkFlowId('Flow', 1592)).toBe('1592');
		expect(payloadError(() => checkFlowId('Flow', ''))).toMatchObject({
			message: 'Flow is empty: pick a Flow or give its ID',
			field: 'Flow',
			actual: 'empty',
		});
		expect(payloadError(() => checkFlowId('Flow', 'Booking'))).toMatchObject({
			message: expect.stringContaining('"Booking" is not a Flow ID'),
			limit: 'a Flow ID (digits)',
		});
	});

	test('names are required text', () => {
		expect(checkFlowName('Name', '  Booking ')).toBe('Booking');
		expect(payloadError(() => checkFlowName('Name', '   '))).toMatchObject({
			field: 'Name',
			actual: 'empty',
		});
		expect(payloadError(() => checkFlowName('Name', 12))).toMatchObject({ actual: 'a number' });
	});

	test('categories: at least one of Meta’s, each once; comma text from expressions', () => {
		expect(checkFlowCategories('Categories', ['SURVEY', 'OTHER', 'SURVEY'])).toEqual([
			'SURVEY',
			'OTHER',
		]);
		expect(checkFlowCategories('Categories', 'SIGN_UP, LEAD_GENERATION')).toEqual([
			'SIGN_UP',
			'LEAD_GENERATION',
		]);
		expect(payloadError(() => checkFlowCategories('Categories', []))).toMatchObject({
			field: 'Categories',
			limit: 'at least 1 category',
			actual: '0 categories',
		});
		expect(
			payloadError(() => checkFlowCategories('Categories', ['SURVEY', 'BOOKING'])),
		).toMatchObject({
			field: 'Categories[1]',
			message: expect.stringContaining('must be one of APPOINTMENT_BOOKING'),
			actual: '"BOOKING"',
		});
		expect(payloadError(() => checkFlowCategories('Categories', { a: 1 }))).toMatchObject({
			actual: 'an object',
		});
	});

	test('endpoint URIs: empty for none, else a full http(s) URL', () => {
		expect(checkEndpointUri('Endpoint URI', '  ')).toBeUndefined();
		expect(checkEndpointUri('Endpoint URI', 'https://n8n.example.com/webhook/x/flow')).toBe(
			'https://n8n.example.com/webhook/x/flow',
		);
		expect(
			payloadError(() => checkEndpointUri('Endpoint URI', 'n8n.example.com/flow')),
		).toMatchObject({ field: 'Endpoint URI', limit: 'an http(s) URL' });
	});

	test('Flow JSON text is sent as typed (Meta’s line numbers stay the user’s), objects pretty-printed', () => {
		const typed = '{\n  "version": "7.1",\n  "screens": []\n}';
		expect(flowJsonText('Flow JSON', typed)).toBe(typed);
		expect(flowJsonText('Flow JSON', { version: '7.1', screens: [] })).toBe(
			'{\n  "version": "7.1",\n  "screens": []\n}',
		);
	});

	test('Flow JSON that does not parse says where; arrays and empty text are refused', () => {
		const broken = payloadError(() => flowJsonText('Flow JSON', '{\n  "version": "7.1",\n  }'));
		expect(broken.field).toBe('Flow JSON');
		expect(broken.message).toMatch(/^Flow JSON is not valid JSON \(.*line 3, column 3/);
		expect(payloadError(() => flowJsonText('Flow JSON', '[1]'))).toMatchObject({
			limit: 'a JSON object',
			actual: 'a list',
		});
		expect(payloadError(() => flowJsonText('Flow JSON', ' '))).toMatchObject({ actual: 'empty' });
		expect(payloadError(() => flowJsonText('Flow JSON', 7))).toMatchObject({ actual: 'a number' });
	});

	test('Flow JSON is at most 10 MB, as text or as a file', () => {
		const padding = 'x'.repeat(FLOW_JSON_MAX_BYTES);
		const big = JSON.stringify({ version: '7.1', padding });
		expect(payloadError(() => flowJsonText('Flow JSON', big))).toMatchObject({
			limit: 'at most 10 MB',
			actual: `${Buffer.byteLength(big)} bytes`,
		});
		expect(
			payloadError(() => flowJsonFromFile('Input Binary Field "data"', Buffer.from(big))),
		).toMatchObject({ field: 'Input Binary Field "data"', limit: 'at most 10 MB' });
		// Exactly at the limit passes.
		const exact = `{"p":"${'y'.repeat(FLOW_JSON_MAX_BYTES - 8)}"}`;
		expect(Buffer.byteLength(exact)).toBe(FLOW_JSON_MAX_BYTES);
		expect(flowJsonText('Flow JSON', exact)).toBe(exact);
	});

	test('a Flow JSON file may start with a byte order mark', () => {
		const file = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"version":"7.1"}')]);
		expect(flowJsonFromFile('file', file)).toBe('{"version":"7.1"}');
	});
});

describe('business key pair', () => {
	let pair: OpensslKeyPair;
	let small: OpensslKeyPair;
	beforeAll(() => {
		requireOpenssl();
		pair = opensslKeyPair();
		small = opensslKeyPair(1024);
	});
	afterAll(() => {
		for (const p of [pair, small]) if (p) removeKeyPair(p);
	});

	test('a generated pair: 2048-bit RSA, the public key and fingerprint as openssl reads them', async () => {
		const generated = await generateFlowKeyPair();
		expect(generated.encrypted).toBe(false);
		expect(generated.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
		const read = opensslReadPrivateKey(generated.privateKeyPem);
		expect(read.bits).toBe(BUSINESS_KEY_BITS);
		expect(read.publicPem).toBe(generated.publicKeyPem);
		expect(generated.publicKeySha256).toBe(opensslPublicKeySha256(generated.publicKeyPem));
		// The Flow Trigger loads it as the credential's key.
		expect(loadFlowPrivateKey(generated.privateKeyPem).asymmetricKeyDetails?.modulusLength).toBe(
			2048,
		);
	});

	test('with a passphrase the private key is encrypted PKCS#8 that only the passphrase opens', async () => {
		const generated = await generateFlowKeyPair('s3cret phrase');
		expect(generated.encrypted).toBe(true);
		expect(generated.privateKeyPem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
		expect(opensslReadPrivateKey(generated.privateKeyPem, 's3cret phrase').publicPem).toBe(
			generated.publicKeyPem,
		);
		expect(() => opensslReadPrivateKey(generated.privateKeyPem, 'wrong')).toThrow();
		expect(() => loadFlowPrivateKey(generated.privateKeyPem)).toThrow(/passphrase/);
	});

	test('two generated pairs differ', async () => {
		const [a, b] = await Promise.all([generateFlowKeyPair(), generateFlowKeyPair()]);
		expect(a.publicKeySha256).not.toBe(b.publicKeySha256);
	});

	test('public keys as openssl writes them: SPKI, PKCS#1, pasted on one line → the same SPKI', () => {
		const spki = businessPublicKeyFromPem('Public Key', pair.publicPem);
		expect(spki.pem).toBe(pair.publicPem);
		expect(publicKeyFingerprint(spki.key)).toBe(opensslPublicKeySha256(pair.publicPem));
		expect(businessPublicKeyFromPem('Public Key', opensslPkcs1PublicPem(pair.publicPem)).pem).toBe(
			pair.publicPem,
		);
		const oneLine = pair.publicPem.trim().replace(/\n/g, ' ');
		expect(businessPublicKeyFromPem('Public Key', oneLine).pem).toBe(pair.publicPem);
	});

	test('the credential’s private key gives its public half', () => {
		const key = loadFlowPrivateKey(pair.encryptedPkcs8Pem, pair.passphrase);
		expect(businessPublicKeyOf('Flow Private Key', key).pem).toBe(pair.publicPem);
		expect(
			payloadError(() =>
				businessPublicKeyOf('Flow Private Key', createPrivateKey(small.privatePem)),
			),
		).toMatchObject({ field: 'Flow Private Key', limit: '2048 bits', actual: '1024 bits' });
	});

	test('a private key pasted as the public key is refused without quoting it', () => {
		for (const pem of [pair.privatePem, pair.pkcs1Pem, pair.encryptedPkcs8Pem]) {
			const error = payloadError(() => businessPublicKeyFromPem('Public Key', pem));
			expect(error).toMatchObject({ field: 'Public Key', actual: 'a private key' });
			const body = pem.split('\n')[1];
			expect(error.message).not.toContain(body);
			expect(JSON.stringify(error)).not.toContain(body);
		}
	});

	test('other keys and text are refused, naming the rule', () => {
		expect(
			payloadError(() => businessPublicKeyFromPem('Public Key', small.publicPem)),
		).toMatchObject({ limit: '2048 bits', actual: '1024 bits' });
		expect(
			payloadError(() => businessPublicKeyFromPem('Public Key', opensslEcPublicPem())),
		).toMatchObject({ limit: 'an RSA key', actual: 'ec' });
		expect(payloadError(() => businessPublicKeyFromPem('Public Key', 'hello'))).toMatchObject({
			actual: 'not a PEM public key',
		});
		const damaged = pair.publicPem.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!');
		expect(payloadError(() => businessPublicKeyFromPem('Public Key', damaged))).toMatchObject({
			actual: 'unreadable PEM',
		});
		expect(payloadError(() => businessPublicKeyFromPem('Public Key', ''))).toMatchObject({
			actual: 'empty',
		});
		expect(payloadError(() => businessPublicKeyFromPem('Public Key', undefined))).toMatchObject({
			actual: 'empty',
		});
		expect(payloadError(() => businessPublicKeyFromPem('Public Key', 42))).toMatchObject({
			actual: 'a number',
		});
	});

	test('the fingerprint does not depend on the PEM form', () => {
		const fromPkcs1 = createPublicKey(opensslPkcs1PublicPem(pair.publicPem));
		expect(publicKeyFingerprint(fromPkcs1)).toBe(opensslPublicKeySha256(pair.publicPem));
	});
});
