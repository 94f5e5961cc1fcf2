/**
 * The business key pair of WhatsApp Flows (fact sheet 2 §5.1, §5.3): a 2048-bit RSA key whose
 * public half is uploaded per phone number, and whose private half decrypts endpoint requests.
 * Generation, reading a public key to upload, and comparing keys by fingerprint.
 */
import type { KeyObject } from 'crypto';
import { createHash, createPublicKey, generateKeyPair } from 'crypto';

import { describeType, fail, isBlank } from '../check';
import { normalizePem } from './crypto';

/** The size Meta's Flows documentation asks for. */
export const BUSINESS_KEY_BITS = 2048;

export interface GeneratedFlowKeyPair {
	/** PKCS#8 PEM; "ENCRYPTED PRIVATE KEY" (AES-256-CBC) when a passphrase was given. */
	privateKeyPem: string;
	/** SPKI PEM ("BEGIN PUBLIC KEY"), what Meta takes. */
	publicKeyPem: string;
	publicKeySha256: string;
	encrypted: boolean;
}

/** A new key pair, generated off the event loop (RSA generation takes tens of milliseconds). */
export async function generateFlowKeyPair(passphrase?: string): Promise<GeneratedFlowKeyPair> {
	const encrypted = passphrase !== undefined && passphrase !== '';
	const { privateKey, publicKey } = await new Promise<{ privateKey: string; publicKey: string }>(
		(resolve, reject) =>
			generateKeyPair(
				'rsa',
				{
					modulusLength: BUSINESS_KEY_BITS,
					publicKeyEncoding: { type: 'spki', format: 'pem' },
					privateKeyEncoding: encrypted
						? { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }
						: { type: 'pkcs8', format: 'pem' },
				},
				(error, publicPem, privatePem) =>
					error ? reject(error) : resolve({ privateKey: privatePem, publicKey: publicPem }),
			),
	);
	return {
		privateKeyPem: privateKey,
		publicKeyPem: publicKey,
		publicKeySha256: publicKeyFingerprint(createPublicKey(publicKey)),
		encrypted,
	};
}

/** SHA-256 of the key's SPKI DER, in hex: the same key in any PEM form has the same fingerprint. */
export function publicKeyFingerprint(key: KeyObject): string {
	return createHash('sha256')
		.update(key.export({ type: 'spki', format: 'der' }))
		.digest('hex');
}

/** The public half of a private key, checked like an uploaded one, as the SPKI PEM Meta takes. */
export function businessPublicKeyOf(
	field: string,
	privateKey: KeyObject,
): { pem: string; key: KeyObject } {
	const key = createPublicKey(privateKey);
	return { pem: checkBusinessKey(field, key), key };
}

/**
 * A public key given as PEM text ("BEGIN PUBLIC KEY" or "BEGIN RSA PUBLIC KEY", also pasted on one
 * line), checked to be 2048-bit RSA and returned as SPKI PEM. A private key is refused without
 * being quoted: it does not belong in a workflow parameter.
 */
export function businessPublicKeyFromPem(
	field: string,
	value: unknown,
): { pem: string; key: KeyObject } {
	if (typeof value !== 'string' || value.trim() === '') {
		fail(
			field,
			'is empty: give the PEM public key',
			'a PEM public key',
			isBlank(value) ? 'empty' : describeType(value),
		);
	}
	if (/PRIVATE KEY/.test(value)) {
		fail(
			field,
			'holds a private key. Never put it in a workflow: upload its public key (choose "From the Credential\'s Flow Private Key"), and keep the private key only in the credential',
			'a PEM public key',
			'a private key',
		);
	}
	const pem = normalizePem(value);
	if (!/^-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem)) {
		fail(
			field,
			'is not a PEM public key (expected "-----BEGIN PUBLIC KEY-----")',
			'a PEM public key',
			'not a PEM public key',
		);
	}
	let key: KeyObject;
	try {
		key = createPublicKey({ key: pem, format: 'pem' });
	} catch {
		fail(field, 'is not a readable PEM public key', 'a PEM public key', 'unreadable PEM');
	}
	return { pem: checkBusinessKey(field, key), key };
}

/** The public key as SPKI PEM, after checking it is the 2048-bit RSA key Meta takes. */
export function checkBusinessKey(field: string, key: KeyObject): string {
	if (key.asymmetricKeyType !== 'rsa') {
		fail(
			field,
			`is a ${key.asymmetricKeyType ?? 'non-RSA'} key; WhatsApp Flows need RSA`,
			'an RSA key',
			String(key.asymmetricKeyType),
		);
	}
	const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
	if (bits !== BUSINESS_KEY_BITS) {
		fail(
			field,
			`has ${bits} bits; WhatsApp Flows take a ${BUSINESS_KEY_BITS}-bit RSA key`,
			`${BUSINESS_KEY_BITS} bits`,
			`${bits} bits`,
		);
	}
	return key.export({ type: 'spki', format: 'pem' }) as string;
}
