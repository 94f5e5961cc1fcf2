/**
 * The Flow private key from the WhatsApp Cloud API credential, shared by the Flow Trigger (which
 * decrypts requests and seals their context) and Flow → Respond (which opens that context).
 */
import type { KeyObject } from 'crypto';
import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FlowKeyFailure } from './crypto';
import { attempt, FlowKeyError, loadFlowPrivateKey } from './crypto';

const WHAT_TO_DO: Record<FlowKeyFailure, string> = {
	missing:
		'Paste the PEM private key whose public key you uploaded for your number into the credential field "Flow Private Key".',
	'passphrase-required': 'Fill in "Flow Private Key Passphrase" in the credential.',
	'wrong-passphrase': 'Check "Flow Private Key Passphrase" in the credential.',
	unreadable:
		'Paste the whole PEM, including the BEGIN and END lines (e.g. the output of `openssl genrsa -out private.pem 2048`).',
	'not-rsa': 'Generate an RSA key pair: `openssl genrsa -out private.pem 2048`.',
	'too-small': 'Generate a 2048-bit key pair: `openssl genrsa -out private.pem 2048`.',
};

/** The credential's Flow private key, or a NodeOperationError saying what to fix (never the key). */
export function flowPrivateKeyOf(
	node: INode,
	credentials: ICredentialDataDecryptedObject,
	itemIndex?: number,
): KeyObject {
	const passphrase = String(credentials.flowPrivateKeyPassphrase ?? '');
	const loaded = attempt(() =>
		loadFlowPrivateKey(String(credentials.flowPrivateKey ?? ''), passphrase || undefined),
	);
	if (loaded.ok) return loaded.value;
	const error = loaded.error;
	if (error instanceof FlowKeyError) {
		throw new NodeOperationError(node, `WhatsApp Cloud API credential: ${error.message}`, {
			itemIndex,
			description: WHAT_TO_DO[error.reason],
		});
	}
	throw new NodeOperationError(node, error as Error, { itemIndex });
}
