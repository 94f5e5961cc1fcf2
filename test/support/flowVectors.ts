/**
 * Flow endpoint vectors made without the code under test (nodes/WhatsAppCloud/helpers/flows).
 *
 * Why these are independent of it:
 * - RSA keys are generated, converted and passphrase-encrypted by the `openssl` CLI (a separate
 *   process; PKCS#8, PKCS#1 and encrypted PEM written by OpenSSL's own encoders).
 * - The AES key is wrapped with `openssl pkeyutl` (RSA-OAEP, SHA-256, MGF1 SHA-256 given explicitly
 *   on its command line), not with Node's `publicEncrypt`.
 * - AES-128-GCM runs through WebCrypto (`crypto.subtle`), whose API takes the IV and tag length as
 *   algorithm parameters and returns ciphertext ‖ tag — a separate implementation path from the
 *   `createCipheriv`/`createDecipheriv` streams the helpers use. `openssl enc` refuses AEAD ciphers,
 *   so the CLI cannot do this part.
 * - The response IV is inverted here with arithmetic (255 − b), not with the helpers' `flipIv`.
 * Fixed known-answer vectors (tests) pin WebCrypto itself to published GCM values.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Fails with a clear message when the openssl CLI is not installed (tests must not skip). */
export function requireOpenssl(): string {
	try {
		return execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
	} catch {
		throw new Error(
			'These tests need the openssl command line tool to generate independent vectors (apt-get install openssl)',
		);
	}
}

function openssl(args: string[], input?: Buffer): Buffer {
	return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export interface OpensslKeyPair {
	dir: string;
	privatePath: string;
	publicPath: string;
	/** Unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"). */
	privatePem: string;
	/** Traditional PKCS#1 PEM ("BEGIN RSA PRIVATE KEY"). */
	pkcs1Pem: string;
	publicPem: string;
	/** Encrypted PKCS#8 PEM ("BEGIN ENCRYPTED PRIVATE KEY"), AES-256-CBC under `passphrase`. */
	encryptedPkcs8Pem: string;
	/** Encrypted traditional PEM (Proc-Type / DEK-Info headers) under `passphrase`. */
	encryptedPkcs1Pem: string;
	passphrase: string;
}

/** A fresh RSA key pair in every PEM form users paste, written by the openssl CLI. */
export function opensslKeyPair(bits = 2048, passphrase = 'correct horse battery'): OpensslKeyPair {
	const dir = mkdtempSync(path.join(tmpdir(), 'flow-keys-'));
	const privatePath = path.join(dir, 'private.pem');
	const publicPath = path.join(dir, 'public.pem');
	openssl([
		'genpkey',
		'-algorithm',
		'RSA',
		'-pkeyopt',
		`rsa_keygen_bits:${bits}`,
		'-out',
		privatePath,
	]);
	openssl(['pkey', '-in', privatePath, '-pubout', '-out', publicPath]);
	const pkcs1Path = path.join(dir, 'pkcs1.pem');
	openssl(['rsa', '-in', privatePath, '-traditional', '-out', pkcs1Path]);
	const encPkcs8Path = path.join(dir, 'enc-pkcs8.pem');
	openssl([
		'pkey',
		'-in',
		privatePath,
		'-aes-256-cbc',
		'-passout',
		`pass:${passphrase}`,
		'-out',
		encPkcs8Path,
	]);
	const encPkcs1Path = path.join(dir, 'enc-pkcs1.pem');
	openssl([
		'rsa',
		'-in',
		privatePath,
		'-traditional',
		'-aes256',
		'-passout',
		`pass:${passphrase}`,
		'-out',
		encPkcs1Path,
	]);
	const read = (file: string) => readFileSync(file, 'utf8');
	return {
		dir,
		privatePath,
		publicPath,
		privatePem: read(privatePath),
		pkcs1Pem: read(pkcs1Path),
		publicPem: read(publicPath),
		encryptedPkcs8Pem: read(encPkcs8Path),
		encryptedPkcs1Pem: read(encPkcs1Path),
		passphrase,
	};
}

export function removeKeyPair(pair: OpensslKeyPair): void {
	rmSync(pair.dir, { recursive: true, force: true });
}

/**
 * Two openssl key pairs for a test file, made in beforeAll (after checking openssl exists) and
 * removed in afterAll: `business` is the one the endpoint holds, `other` a stranger's.
 */
export function suiteKeyPairs(): { business: OpensslKeyPair; other: OpensslKeyPair } {
	const pairs = {} as { business: OpensslKeyPair; other: OpensslKeyPair };
	beforeAll(() => {
		requireOpenssl();
		pairs.business = opensslKeyPair();
		pairs.other = opensslKeyPair();
	});
	afterAll(() => {
		for (const pair of Object.values(pairs)) removeKeyPair(pair);
	});
	return pairs;
}

const OAEP_SHA256 = [
	'-pkeyopt',
	'rsa_padding_mode:oaep',
	'-pkeyopt',
	'rsa_oaep_md:sha256',
	'-pkeyopt',
	'rsa_mgf1_md:sha256',
];

/** RSA-OAEP (SHA-256, MGF1 SHA-256) with `openssl pkeyutl` under a public key PEM. */
export function opensslOaepEncrypt(publicPem: string, data: Buffer): Buffer {
	const dir = mkdtempSync(path.join(tmpdir(), 'flow-oaep-'));
	try {
		const keyPath = path.join(dir, 'public.pem');
		writeFileSync(keyPath, publicPem);
		return openssl(['pkeyutl', '-encrypt', '-pubin', '-inkey', keyPath, ...OAEP_SHA256], data);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** RSA-OAEP decryption with `openssl pkeyutl` (checks what the emulator wraps). */
export function opensslOaepDecrypt(privatePem: string, data: Buffer): Buffer {
	const dir = mkdtempSync(path.join(tmpdir(), 'flow-oaep-'));
	try {
		const keyPath = path.join(dir, 'private.pem');
		writeFileSync(keyPath, privatePem, { mode: 0o600 });
		return openssl(['pkeyutl', '-decrypt', '-inkey', keyPath, ...OAEP_SHA256], data);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const subtle = webcrypto.subtle;

/** AES-GCM with a 128-bit tag through WebCrypto: ciphertext ‖ tag. */
export async function webCryptoGcmEncrypt(
	key: Buffer,
	iv: Buffer,
	plaintext: Buffer,
): Promise<Buffer> {
	const cryptoKey = await subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
	return Buffer.from(
		await subtle.encrypt({ name: 'AES-GCM', iv, tagLength: 128 }, cryptoKey, plaintext),
	);
}

/** Inverse of webCryptoGcmEncrypt; rejects when the tag does not authenticate. */
export async function webCryptoGcmDecrypt(
	key: Buffer,
	iv: Buffer,
	ciphertextAndTag: Buffer,
): Promise<Buffer> {
	const cryptoKey = await subtle.importKey('raw', key, 'AES-GCM', false, ['decrypt']);
	return Buffer.from(
		await subtle.decrypt({ name: 'AES-GCM', iv, tagLength: 128 }, cryptoKey, ciphertextAndTag),
	);
}

/** The response IV, computed independently of the helpers: 255 − b for every byte. */
export function invertedIv(iv: Buffer): Buffer {
	return Buffer.from(Array.from(iv, (byte) => 255 - byte));
}

export interface ClientRequest {
	/** The HTTP body a WhatsApp client POSTs. */
	body: { encrypted_flow_data: string; encrypted_aes_key: string; initial_vector: string };
	raw: string;
	aesKey: Buffer;
	iv: Buffer;
}

/** What a WhatsApp client sends: openssl-wrapped AES key, WebCrypto-encrypted JSON. */
export async function clientRequest(
	publicPem: string,
	plaintext: unknown,
	{ ivBytes = 16, aesKey = randomBytes(16) }: { ivBytes?: number; aesKey?: Buffer } = {},
): Promise<ClientRequest> {
	const iv = randomBytes(ivBytes);
	const data = Buffer.from(
		typeof plaintext === 'string' ? plaintext : JSON.stringify(plaintext),
		'utf8',
	);
	const body = {
		encrypted_flow_data: (await webCryptoGcmEncrypt(aesKey, iv, data)).toString('base64'),
		encrypted_aes_key: opensslOaepEncrypt(publicPem, aesKey).toString('base64'),
		initial_vector: iv.toString('base64'),
	};
	return { body, raw: JSON.stringify(body), aesKey, iv };
}

/** What a WhatsApp client reads from an answer body: base64 → WebCrypto with the inverted IV. */
export async function clientReadResponse(
	base64Body: string,
	aesKey: Buffer,
	requestIv: Buffer,
): Promise<unknown> {
	const plaintext = await webCryptoGcmDecrypt(
		aesKey,
		invertedIv(requestIv),
		Buffer.from(base64Body, 'base64'),
	);
	return JSON.parse(plaintext.toString('utf8')) as unknown;
}

/** What the openssl CLI reads from a private key PEM (encrypted ones with `passphrase`). */
export function opensslReadPrivateKey(
	privatePem: string,
	passphrase?: string,
): { publicPem: string; bits: number } {
	const pass = passphrase === undefined ? [] : ['-passin', `pass:${passphrase}`];
	const input = Buffer.from(privatePem);
	const publicPem = openssl(['pkey', ...pass, '-pubout'], input).toString('utf8');
	const text = openssl(['pkey', ...pass, '-noout', '-text'], input).toString('utf8');
	const bits = Number(/Private-Key: \((\d+) bit/.exec(text)?.[1] ?? NaN);
	return { publicPem, bits };
}

/** SHA-256 (hex) of a public key's DER SubjectPublicKeyInfo, both steps by the openssl CLI. */
export function opensslPublicKeySha256(publicPem: string): string {
	const der = openssl(['pkey', '-pubin', '-outform', 'DER'], Buffer.from(publicPem));
	return openssl(['dgst', '-sha256', '-r'], der).toString('utf8').split(' ')[0].trim();
}

/** The same public key as PKCS#1 PEM ("BEGIN RSA PUBLIC KEY"), written by the openssl CLI. */
export function opensslPkcs1PublicPem(publicPem: string): string {
	return openssl(['rsa', '-pubin', '-RSAPublicKey_out'], Buffer.from(publicPem)).toString('utf8');
}

/** A P-256 public key PEM (not RSA), written by the openssl CLI. */
export function opensslEcPublicPem(): string {
	const privatePem = openssl([
		'genpkey',
		'-algorithm',
		'EC',
		'-pkeyopt',
		'ec_paramgen_curve:P-256',
	]);
	return openssl(['pkey', '-pubout'], privatePem).toString('utf8');
}
