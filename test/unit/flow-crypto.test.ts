/**
 * The Flow endpoint crypto against vectors made without it: see test/support/flowVectors.ts for why
 * openssl-CLI keys and RSA-OAEP plus WebCrypto AES-GCM are an independent path, and the fixed
 * known-answer vectors below, which pin WebCrypto and the helpers to published values.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomBytes } from 'node:crypto';

import {
	aesGcmDecrypt,
	aesGcmEncrypt,
	decryptFlowRequest,
	encryptFlowResponse,
	flipIv,
	FlowKeyError,
	FlowRequestError,
	loadFlowPrivateKey,
	normalizePem,
	parseEncryptedFlowBody,
} from '../../nodes/WhatsAppCloud/helpers/flows/crypto';
import type { EncryptedFlowRequest } from '../../nodes/WhatsAppCloud/helpers/flows/types';
import {
	clientReadResponse,
	clientRequest,
	invertedIv,
	opensslKeyPair,
	opensslOaepEncrypt,
	removeKeyPair,
	suiteKeyPairs,
	webCryptoGcmDecrypt,
	webCryptoGcmEncrypt,
} from '../support/flowVectors';

// RSA key generation by the CLI takes a moment on a busy machine.
jest.setTimeout(60_000);

const hex = (text: string) => Buffer.from(text, 'hex');

/**
 * GCM known answers. Test cases 2 and 3 of McGrew & Viega, "The Galois/Counter Mode of Operation"
 * (the AES-128 cases without additional data). The last one has a 16-byte IV (as WhatsApp clients
 * send) and its inverted-IV answer; it was computed once with Python's `cryptography` package.
 */
const KNOWN_ANSWERS = [
	{
		name: 'McGrew–Viega test case 2',
		key: hex('00000000000000000000000000000000'),
		iv: hex('000000000000000000000000'),
		plaintext: hex('00000000000000000000000000000000'),
		sealed: hex('0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf'),
	},
	{
		name: 'McGrew–Viega test case 3',
		key: hex('feffe9928665731c6d6a8f9467308308'),
		iv: hex('cafebabefacedbaddecaf888'),
		plaintext: hex(
			'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255',
		),
		sealed: hex(
			'42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f59854d5c2af327cd64a62cf35abd2ba6fab4',
		),
	},
	{
		name: '16-byte IV, ping request',
		key: hex('000102030405060708090a0b0c0d0e0f'),
		iv: hex('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf'),
		plaintext: Buffer.from('{"version":"3.0","action":"ping"}'),
		sealed: hex(
			'457b2028c576bf3a7d460ff7367f5036fd402155aac4d0476e2a1babea7dee78c6fe8101af9d7c91b7ed66435892a11c22',
		),
	},
];
const PING_ANSWER = {
	key: hex('000102030405060708090a0b0c0d0e0f'),
	requestIv: hex('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf'),
	flippedIv: hex('5f5e5d5c5b5a59585756555453525150'),
	body: hex(
		'16eb04cc1773bd00bee393ab94d2ae2f3e4963b2130042aec3fc76bd07ddb42379d0a4e70d48bfb758ee3160',
	),
};

describe('fixed known-answer vectors', () => {
	test.each(KNOWN_ANSWERS)(
		'$name: WebCrypto and the helpers give the published bytes',
		async (v) => {
			expect(await webCryptoGcmEncrypt(v.key, v.iv, v.plaintext)).toEqual(v.sealed);
			expect(aesGcmEncrypt(v.key, v.iv, v.plaintext)).toEqual(v.sealed);
			expect(aesGcmDecrypt(v.key, v.iv, v.sealed)).toEqual(v.plaintext);
		},
	);

	test('the answer to a ping uses the inverted IV, byte for byte', () => {
		expect(flipIv(PING_ANSWER.requestIv)).toEqual(PING_ANSWER.flippedIv);
		expect(invertedIv(PING_ANSWER.requestIv)).toEqual(PING_ANSWER.flippedIv);
		const body = encryptFlowResponse(
			{ data: { status: 'active' } },
			PING_ANSWER.key,
			PING_ANSWER.requestIv,
		);
		expect(Buffer.from(body, 'base64')).toEqual(PING_ANSWER.body);
	});
});

describe('with keys and requests from the openssl CLI and WebCrypto', () => {
	const keys = suiteKeyPairs();

	const decrypt = (body: EncryptedFlowRequest | string, pem = keys.business.privatePem) =>
		decryptFlowRequest(
			typeof body === 'string' ? parseEncryptedFlowBody(body) : body,
			loadFlowPrivateKey(pem),
		);

	function failure(run: () => unknown): FlowRequestError {
		try {
			run();
		} catch (error) {
			if (error instanceof FlowRequestError) return error;
			throw error;
		}
		throw new Error('expected a FlowRequestError');
	}

	test.each([
		['INIT', { version: '3.0', action: 'INIT', flow_token: 'tok-1' }],
		[
			'data_exchange',
			{
				version: '3.0',
				action: 'data_exchange',
				screen: 'PICK_DATE',
				data: { date: '2026-12-24', party: 2 },
				flow_token: 'tok-2',
			},
		],
		['BACK', { version: '3.0', action: 'BACK', screen: 'PICK_SLOT', flow_token: 'tok-3' }],
		['ping', { version: '3.0', action: 'ping' }],
	])('decrypts a %s request and the client reads the answer', async (_action, request) => {
		for (const ivBytes of [16, 12]) {
			const sent = await clientRequest(keys.business.publicPem, request, { ivBytes });
			const decrypted = decrypt(sent.raw);
			expect(decrypted.request).toEqual(request);
			expect(decrypted.aesKey).toEqual(sent.aesKey);
			expect(decrypted.iv).toEqual(sent.iv);

			const answer = { screen: 'NEXT', data: { slots: ['09:00', '09:30'], note: 'ünïcødé ✓' } };
			const body = encryptFlowResponse(answer, decrypted.aesKey, decrypted.iv);
			expect(await clientReadResponse(body, sent.aesKey, sent.iv)).toEqual(answer);
			// Under the request IV itself the answer does not authenticate: the flip is required.
			await expect(
				webCryptoGcmDecrypt(sent.aesKey, sent.iv, Buffer.from(body, 'base64')),
			).rejects.toThrow();
		}
	});

	test('every PEM form openssl writes loads, encrypted ones with their passphrase', async () => {
		const sent = await clientRequest(keys.business.publicPem, { version: '3.0', action: 'ping' });
		const forms: Array<[string, string, string | undefined]> = [
			['PKCS#8', keys.business.privatePem, undefined],
			['PKCS#1', keys.business.pkcs1Pem, undefined],
			['encrypted PKCS#8', keys.business.encryptedPkcs8Pem, keys.business.passphrase],
			['encrypted PKCS#1', keys.business.encryptedPkcs1Pem, keys.business.passphrase],
		];
		for (const [name, pem, passphrase] of forms) {
			const key = loadFlowPrivateKey(pem, passphrase);
			const decrypted = decryptFlowRequest(parseEncryptedFlowBody(sent.raw), key);
			expect({ name, key: decrypted.aesKey.toString('hex') }).toEqual({
				name,
				key: sent.aesKey.toString('hex'),
			});
		}
		expect(keys.business.encryptedPkcs8Pem).toContain('BEGIN ENCRYPTED PRIVATE KEY');
		expect(keys.business.encryptedPkcs1Pem).toContain('Proc-Type: 4,ENCRYPTED');
	});

	test('PEM pasted into a one-line field (literal \\n, or spaces) still loads', async () => {
		const sent = await clientRequest(keys.business.publicPem, { version: '3.0', action: 'ping' });
		const escaped = keys.business.privatePem.trim().replace(/\n/g, '\\n');
		const spaced = keys.business.privatePem.trim().replace(/\n/g, ' ');
		for (const pasted of [escaped, spaced, `  ${keys.business.privatePem}  `]) {
			expect(normalizePem(pasted)).toBe(keys.business.privatePem);
			expect(decrypt(sent.raw, pasted).aesKey).toEqual(sent.aesKey);
		}
		const escapedEncrypted = keys.business.encryptedPkcs1Pem.trim().replace(/\n/g, '\\n');
		expect(
			decryptFlowRequest(
				parseEncryptedFlowBody(sent.raw),
				loadFlowPrivateKey(escapedEncrypted, keys.business.passphrase),
			).aesKey,
		).toEqual(sent.aesKey);
	});

	test('key errors say what is wrong and never contain the key or the passphrase', () => {
		const cases: Array<[string, string | undefined, string]> = [
			[keys.business.encryptedPkcs8Pem, undefined, 'passphrase-required'],
			[keys.business.encryptedPkcs1Pem, undefined, 'passphrase-required'],
			[keys.business.encryptedPkcs8Pem, 'wrong passphrase', 'wrong-passphrase'],
			[keys.business.encryptedPkcs1Pem, 'wrong passphrase', 'wrong-passphrase'],
			[
				'-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----',
				undefined,
				'unreadable',
			],
			[keys.business.publicPem, undefined, 'unreadable'],
			['', undefined, 'missing'],
		];
		const keyBody = keys.business.privatePem.split('\n')[1];
		for (const [pem, passphrase, reason] of cases) {
			let error: unknown;
			try {
				loadFlowPrivateKey(pem, passphrase);
			} catch (e) {
				error = e;
			}
			expect(error).toBeInstanceOf(FlowKeyError);
			const keyError = error as FlowKeyError;
			expect(keyError.reason).toBe(reason);
			expect(keyError.message).not.toContain(keys.business.passphrase);
			expect(keyError.message).not.toContain('wrong passphrase');
			expect(keyError.message).not.toContain(keyBody);
		}
	});

	test('keys below 2048 bits and non-RSA keys are refused', () => {
		const small = opensslKeyPair(1024);
		try {
			expect(() => loadFlowPrivateKey(small.privatePem)).toThrow(
				expect.objectContaining({ reason: 'too-small' }),
			);
		} finally {
			removeKeyPair(small);
		}
		const ec = createPrivateKey({
			key: execFileSync('openssl', [
				'genpkey',
				'-algorithm',
				'EC',
				'-pkeyopt',
				'ec_paramgen_curve:P-256',
			]).toString(),
		})
			.export({ type: 'pkcs8', format: 'pem' })
			.toString();
		expect(() => loadFlowPrivateKey(ec)).toThrow(expect.objectContaining({ reason: 'not-rsa' }));
	});

	test('a request for another public key is a key mismatch: 421', async () => {
		const sent = await clientRequest(keys.other.publicPem, { version: '3.0', action: 'ping' });
		const error = failure(() => decrypt(sent.raw));
		expect(error.reason).toBe('key-mismatch');
		expect(error.statusCode).toBe(421);
		// And the same request opens with the key it was made for.
		expect(decrypt(sent.raw, keys.other.privatePem).aesKey).toEqual(sent.aesKey);
	});

	test('truncated tags never decrypt: 421', async () => {
		const sent = await clientRequest(keys.business.publicPem, {
			version: '3.0',
			action: 'INIT',
			flow_token: 'tok',
		});
		const data = Buffer.from(sent.body.encrypted_flow_data, 'base64');
		for (const cut of [1, 4, 8, 12, 15, 16, data.length - 1, data.length]) {
			const body = {
				...sent.body,
				encrypted_flow_data: data.subarray(0, data.length - cut).toString('base64'),
			};
			if (cut === data.length) {
				// Nothing left is not even base64 content: malformed.
				expect(failure(() => decrypt(JSON.stringify(body))).reason).toBe('malformed');
				continue;
			}
			const error = failure(() => decrypt(JSON.stringify(body)));
			expect({ cut, reason: error.reason, status: error.statusCode }).toEqual({
				cut,
				reason: 'undecryptable',
				status: 421,
			});
		}
	});

	test('a modified IV, ciphertext or tag never decrypts: 421', async () => {
		const sent = await clientRequest(keys.business.publicPem, {
			version: '3.0',
			action: 'data_exchange',
			screen: 'A',
			data: { x: 1 },
		});
		const iv = Buffer.from(sent.body.initial_vector, 'base64');
		const data = Buffer.from(sent.body.encrypted_flow_data, 'base64');
		const flipBit = (buffer: Buffer, index: number, bit = 0) => {
			const copy = Buffer.from(buffer);
			copy[index] ^= 1 << bit;
			return copy.toString('base64');
		};
		const variants: Array<[string, EncryptedFlowRequest]> = [
			['IV first byte', { ...sent.body, initial_vector: flipBit(iv, 0) }],
			['IV last byte', { ...sent.body, initial_vector: flipBit(iv, iv.length - 1, 7) }],
			[
				'IV shortened to 12 bytes',
				{ ...sent.body, initial_vector: iv.subarray(0, 12).toString('base64') },
			],
			['IV inverted', { ...sent.body, initial_vector: invertedIv(iv).toString('base64') }],
			['ciphertext', { ...sent.body, encrypted_flow_data: flipBit(data, 0) }],
			['tag', { ...sent.body, encrypted_flow_data: flipBit(data, data.length - 1) }],
		];
		for (const [what, body] of variants) {
			const error = failure(() => decrypt(body));
			expect({ what, reason: error.reason, status: error.statusCode }).toEqual({
				what,
				reason: 'undecryptable',
				status: 421,
			});
		}
	});

	test('an AES key of the wrong size is undecryptable, not used', async () => {
		const iv = randomBytes(16);
		const key256 = randomBytes(32);
		const body = {
			encrypted_flow_data: (
				await webCryptoGcmEncrypt(key256, iv, Buffer.from('{"version":"3.0","action":"ping"}'))
			).toString('base64'),
			encrypted_aes_key: opensslOaepEncrypt(keys.business.publicPem, key256).toString('base64'),
			initial_vector: iv.toString('base64'),
		};
		expect(failure(() => decrypt(body)).reason).toBe('undecryptable');
	});

	test('malformed bodies are 400 and name the problem', () => {
		const good = { encrypted_flow_data: 'AAAA', encrypted_aes_key: 'AAAA', initial_vector: 'AAAA' };
		const cases: Array<[string, string, RegExp]> = [
			['not JSON', '{"encrypted_flow_data":', /not JSON/],
			['a list', '[]', /not a JSON object/],
			[
				'missing key',
				JSON.stringify({ ...good, encrypted_aes_key: undefined }),
				/encrypted_aes_key/,
			],
			['number field', JSON.stringify({ ...good, initial_vector: 12 }), /initial_vector/],
			[
				'not base64',
				JSON.stringify({ ...good, encrypted_flow_data: 'a%b$' }),
				/encrypted_flow_data is not base64/,
			],
		];
		for (const [what, raw, message] of cases) {
			const error = failure(() => parseEncryptedFlowBody(raw));
			expect({ what, reason: error.reason, status: error.statusCode }).toEqual({
				what,
				reason: 'malformed',
				status: 400,
			});
			expect(error.message).toMatch(message);
		}
		const shortIv = failure(() =>
			decrypt({ ...good, initial_vector: randomBytes(8).toString('base64') }),
		);
		expect(shortIv.reason).toBe('malformed');
		expect(shortIv.message).toMatch(/8 bytes/);
	});

	test('a decrypted body that is not a Flow request is 400', async () => {
		const cases: Array<[unknown, RegExp]> = [
			['this is not json', /not JSON/],
			[[1, 2], /not a JSON object/],
			[{ version: '3.0', action: 'launch_rockets' }, /unknown action \(launch_rockets\)/],
			[{ action: 'INIT' }, /no version/],
			[{ version: '3.0', action: 'data_exchange', data: [1] }, /data is not an object/],
			[{ version: '3.0', action: 'INIT', flow_token: 7 }, /flow_token is not text/],
		];
		for (const [plaintext, message] of cases) {
			const sent = await clientRequest(keys.business.publicPem, plaintext);
			const error = failure(() => decrypt(sent.raw));
			expect({ reason: error.reason, status: error.statusCode }).toEqual({
				reason: 'invalid-request',
				status: 400,
			});
			expect(error.message).toMatch(message);
		}
	});
});
