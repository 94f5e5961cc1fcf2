/**
 * The Flow endpoint's encryption (fact sheet 2 §5.1): the client wraps a fresh AES-128 key with
 * RSA-OAEP (SHA-256, MGF1 SHA-256, no label) under the business public key and encrypts the JSON
 * request with AES-128-GCM (ciphertext ‖ 16-byte tag); the answer is encrypted with the same key
 * and the request IV with every bit inverted. Meta's reference:
 * https://developers.facebook.com/docs/whatsapp/flows/guides/implementingyourflowendpoint
 */
import type { KeyObject } from 'crypto';
import {
	constants,
	createCipheriv,
	createDecipheriv,
	createHash,
	createPrivateKey,
	privateDecrypt,
} from 'crypto';
import { OperationalError, UserError } from 'n8n-workflow';

import type { EncryptedFlowRequest, FlowData, FlowRequest, FlowResponseBody } from './types';
import { FLOW_ACTIONS, FLOW_STATUS } from './types';

export const AES_KEY_BYTES = 16;
export const GCM_TAG_BYTES = 16;
/** Meta's clients send 16 bytes; GCM takes other lengths, so accept a sane range. */
const MIN_IV_BYTES = 12;
const MAX_IV_BYTES = 64;
/** Meta asks for a 2048-bit key pair. */
export const MIN_RSA_BITS = 2048;

export type FlowRequestFailure =
	/** Not the endpoint protocol: no JSON, a field missing or not base64. */
	| 'malformed'
	/** The AES key does not decrypt with our private key: the client holds another public key. */
	| 'key-mismatch'
	/** The AES key decrypted but the payload does not (modified IV, ciphertext or tag). */
	| 'undecryptable'
	/** Decrypted, but not a Flow request (no JSON object, unknown action, wrong field types). */
	| 'invalid-request';

const STATUS_FOR: Record<FlowRequestFailure, number> = {
	malformed: FLOW_STATUS.badRequest,
	'key-mismatch': FLOW_STATUS.decryptionFailed,
	undecryptable: FLOW_STATUS.decryptionFailed,
	'invalid-request': FLOW_STATUS.badRequest,
};

/** A request the endpoint must refuse; `statusCode` is what Meta's client expects for it. */
export class FlowRequestError extends OperationalError {
	readonly reason: FlowRequestFailure;

	readonly statusCode: number;

	constructor(reason: FlowRequestFailure, message: string) {
		super(message);
		this.name = 'FlowRequestError';
		this.reason = reason;
		this.statusCode = STATUS_FOR[reason];
	}
}

export type FlowKeyFailure =
	'missing' | 'passphrase-required' | 'wrong-passphrase' | 'unreadable' | 'not-rsa' | 'too-small';

/** The configured private key is unusable. Its message never contains the key or passphrase. */
export class FlowKeyError extends UserError {
	readonly reason: FlowKeyFailure;

	constructor(reason: FlowKeyFailure, message: string) {
		super(message);
		this.name = 'FlowKeyError';
		this.reason = reason;
	}
}

/**
 * Runs `run`, returning its value or what it threw. Crypto and JSON parsing throw on bad input;
 * callers turn that into their own typed error outside a catch block.
 */
export function attempt<T>(run: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
	try {
		return { ok: true, value: run() };
	} catch (error) {
		return { ok: false, error };
	}
}

const PEM_LINE = /^-----(BEGIN|END) ([A-Z0-9 ]+)-----$/;

/**
 * PEM as users paste it into a one-line field: literal `\n` sequences, or everything on one line
 * with spaces. Multi-line PEM is kept as is (its encryption headers need their own lines).
 */
export function normalizePem(text: string): string {
	const pem = text
		.replace(/\\r\\n|\\n/g, '\n')
		.replace(/\r\n/g, '\n')
		.trim();
	if (pem.includes('\n')) return `${pem}\n`;
	const match =
		/^(-----BEGIN [A-Z0-9 ]+-----)\s*([A-Za-z0-9+/=\s]+?)\s*(-----END [A-Z0-9 ]+-----)$/.exec(pem);
	if (!match || !PEM_LINE.test(match[1]) || !PEM_LINE.test(match[3])) return pem;
	const body = match[2].replace(/\s+/g, '');
	const lines = body.match(/.{1,64}/g) ?? [];
	return `${match[1]}\n${lines.join('\n')}\n${match[3]}\n`;
}

const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_SIZE = 16;

/**
 * The business private key as a KeyObject (PKCS#8 or PKCS#1 PEM, encrypted or not), checked to be
 * RSA of at least 2048 bits. Parsed keys are cached by a digest of PEM and passphrase, because
 * an encrypted PEM costs a key derivation on every parse.
 */
export function loadFlowPrivateKey(pemText: string, passphrase?: string): KeyObject {
	if (typeof pemText !== 'string' || pemText.trim() === '') {
		throw new FlowKeyError('missing', 'No Flow private key is configured');
	}
	const pem = normalizePem(pemText);
	const cacheKey = createHash('sha256')
		.update(pem)
		.update('\u0000')
		.update(passphrase ?? '')
		.digest('hex');
	const cached = keyCache.get(cacheKey);
	if (cached) return cached;

	const encrypted = /ENCRYPTED/.test(pem);
	const loaded = attempt(() =>
		createPrivateKey({ key: pem, format: 'pem', ...(passphrase ? { passphrase } : {}) }),
	);
	if (!loaded.ok) {
		const code = (loaded.error as { code?: string }).code ?? '';
		if (code === 'ERR_MISSING_PASSPHRASE' || (encrypted && !passphrase)) {
			throw new FlowKeyError(
				'passphrase-required',
				'The Flow private key is encrypted and no passphrase is configured',
			);
		}
		if (encrypted) {
			throw new FlowKeyError(
				'wrong-passphrase',
				'The Flow private key cannot be decrypted with the configured passphrase',
			);
		}
		throw new FlowKeyError(
			'unreadable',
			'The Flow private key is not a readable PEM private key (expected "-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----")',
		);
	}
	const key = loaded.value;
	if (key.asymmetricKeyType !== 'rsa') {
		throw new FlowKeyError(
			'not-rsa',
			`The Flow private key is ${key.asymmetricKeyType ?? 'not an asymmetric key'}; WhatsApp Flows need an RSA key`,
		);
	}
	const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
	if (bits < MIN_RSA_BITS) {
		throw new FlowKeyError(
			'too-small',
			`The Flow private key has ${bits} bits; WhatsApp Flows need at least ${MIN_RSA_BITS}`,
		);
	}
	if (keyCache.size >= KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value as string);
	keyCache.set(cacheKey, key);
	return key;
}

const BASE64 =
	/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

/** The field as compact base64 text, or a `malformed` FlowRequestError naming it. */
function base64Field(field: string, value: unknown): string {
	if (typeof value !== 'string' || value === '') {
		throw new FlowRequestError('malformed', `${field} is missing or not text`);
	}
	const compact = value.replace(/\s+/g, '');
	if (!BASE64.test(compact)) throw new FlowRequestError('malformed', `${field} is not base64`);
	return compact;
}

const decodeBase64 = (field: string, value: unknown) =>
	Buffer.from(base64Field(field, value), 'base64');

/** The three fields of an endpoint request body, or a `malformed` FlowRequestError. */
export function parseEncryptedFlowBody(raw: Buffer | string): EncryptedFlowRequest {
	const parsed = attempt(
		() => JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : raw) as unknown,
	);
	if (!parsed.ok) throw new FlowRequestError('malformed', 'The request body is not JSON');
	const body = parsed.value;
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new FlowRequestError('malformed', 'The request body is not a JSON object');
	}
	const fields = body as Record<string, unknown>;
	return {
		encrypted_flow_data: base64Field('encrypted_flow_data', fields.encrypted_flow_data),
		encrypted_aes_key: base64Field('encrypted_aes_key', fields.encrypted_aes_key),
		initial_vector: base64Field('initial_vector', fields.initial_vector),
	};
}

/** AES-128-GCM with a 16-byte tag appended, as both directions of the protocol carry it. */
export function aesGcmEncrypt(key: Buffer, iv: Buffer, plaintext: Buffer): Buffer {
	const cipher = createCipheriv('aes-128-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
	return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** Inverse of aesGcmEncrypt; throws when the tag does not authenticate (any changed bit). */
export function aesGcmDecrypt(key: Buffer, iv: Buffer, ciphertextAndTag: Buffer): Buffer {
	if (ciphertextAndTag.length < GCM_TAG_BYTES) {
		throw new FlowRequestError('undecryptable', 'The payload is shorter than its tag');
	}
	const tagStart = ciphertextAndTag.length - GCM_TAG_BYTES;
	const decipher = createDecipheriv('aes-128-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
	decipher.setAuthTag(ciphertextAndTag.subarray(tagStart));
	return Buffer.concat([decipher.update(ciphertextAndTag.subarray(0, tagStart)), decipher.final()]);
}

/** The response IV: every byte of the request IV inverted. */
export function flipIv(iv: Buffer): Buffer {
	return Buffer.from(iv.map((byte) => byte ^ 0xff));
}

export interface DecryptedFlowRequest {
	request: FlowRequest;
	/** The per-request key: never output, log or store it in plain text. */
	aesKey: Buffer;
	iv: Buffer;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The decrypted JSON as a typed request, or an `invalid-request` FlowRequestError. */
export function parseFlowRequest(plaintext: Buffer): FlowRequest {
	const parsed = attempt(() => JSON.parse(plaintext.toString('utf8')) as unknown);
	if (!parsed.ok) {
		throw new FlowRequestError('invalid-request', 'The decrypted request is not JSON');
	}
	const json = parsed.value;
	if (!isObject(json)) {
		throw new FlowRequestError('invalid-request', 'The decrypted request is not a JSON object');
	}
	const { action, version } = json;
	if (typeof action !== 'string' || !(FLOW_ACTIONS as readonly string[]).includes(action)) {
		throw new FlowRequestError(
			'invalid-request',
			`The decrypted request has an unknown action (${typeof action === 'string' ? action : typeof action})`,
		);
	}
	if (typeof version !== 'string') {
		throw new FlowRequestError('invalid-request', 'The decrypted request has no version');
	}
	for (const field of ['flow_token', 'screen', 'flow_token_signature'] as const) {
		if (json[field] !== undefined && json[field] !== null && typeof json[field] !== 'string') {
			throw new FlowRequestError('invalid-request', `The decrypted request's ${field} is not text`);
		}
	}
	if (json.data !== undefined && json.data !== null && !isObject(json.data)) {
		throw new FlowRequestError('invalid-request', "The decrypted request's data is not an object");
	}
	return json as unknown as FlowRequest;
}

/**
 * Decrypts one endpoint request. Failures are FlowRequestErrors whose `statusCode` is the answer
 * Meta's client expects (421 makes it re-fetch the public key and retry).
 */
export function decryptFlowRequest(
	body: EncryptedFlowRequest,
	privateKey: KeyObject,
): DecryptedFlowRequest {
	const iv = decodeBase64('initial_vector', body.initial_vector);
	const wrappedKey = decodeBase64('encrypted_aes_key', body.encrypted_aes_key);
	const payload = decodeBase64('encrypted_flow_data', body.encrypted_flow_data);
	if (iv.length < MIN_IV_BYTES || iv.length > MAX_IV_BYTES) {
		throw new FlowRequestError(
			'malformed',
			`initial_vector has ${iv.length} bytes; expected ${MIN_IV_BYTES} to ${MAX_IV_BYTES}`,
		);
	}
	const unwrapped = attempt(() =>
		privateDecrypt(
			{ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
			wrappedKey,
		),
	);
	if (!unwrapped.ok) {
		throw new FlowRequestError(
			'key-mismatch',
			'The AES key does not decrypt with the configured private key (the client uses another public key)',
		);
	}
	const aesKey = unwrapped.value;
	if (aesKey.length !== AES_KEY_BYTES) {
		throw new FlowRequestError(
			'undecryptable',
			`The decrypted AES key has ${aesKey.length} bytes; expected ${AES_KEY_BYTES}`,
		);
	}
	const plaintext = attempt(() => aesGcmDecrypt(aesKey, iv, payload));
	if (!plaintext.ok) {
		throw new FlowRequestError(
			'undecryptable',
			'The payload does not authenticate (its IV, ciphertext or tag was changed)',
		);
	}
	return { request: parseFlowRequest(plaintext.value), aesKey, iv };
}

/** The base64 body of an answer: the JSON encrypted with the request's key and flipped IV. */
export function encryptFlowResponse(
	body: FlowResponseBody | FlowData,
	aesKey: Buffer,
	requestIv: Buffer,
): string {
	const plaintext = Buffer.from(JSON.stringify(body), 'utf8');
	return aesGcmEncrypt(aesKey, flipIv(requestIv), plaintext).toString('base64');
}
