/**
 * The sealed Flow context: what Flow → Respond needs to answer one endpoint request (its AES key
 * and IV, version, flow token), carried in the trigger's item as one opaque string.
 *
 * Execution data is stored and shown in n8n, so the AES key must not appear there in plain text.
 * The context is AES-256-GCM encrypted under a key derived (HKDF-SHA256) from the business private
 * key of the credential. Only a holder of that credential can open it, and that holder can decrypt
 * the request itself anyway, so sealing reveals nothing new to anyone. Any change to the string
 * makes it fail to open.
 */
import type { KeyObject } from 'crypto';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'crypto';
import { OperationalError } from 'n8n-workflow';

import { attempt } from './crypto';
import type { FlowUserRequest } from './types';

const PREFIX = 'wafc1.';
const AAD = Buffer.from('n8n-nodes-whatsapp-cloud flow context v1', 'utf8');
const HKDF_SALT = Buffer.from('n8n-nodes-whatsapp-cloud', 'utf8');
const HKDF_INFO = Buffer.from('flow-context-v1', 'utf8');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Everything about one endpoint request that its answer depends on. */
export interface FlowRequestContext {
	/** The per-request AES-128 key. */
	aesKey: Buffer;
	/** The request IV (the answer uses it flipped). */
	iv: Buffer;
	version: string;
	action: FlowUserRequest['action'];
	flowToken?: string;
	screen?: string;
	/** When the trigger received the request (ms since epoch): Meta waits only seconds. */
	receivedAt: number;
	/** Random ID of this request, so one execution answers it once. */
	requestId: string;
	/** The trigger already answered (error notices are acknowledged at once). */
	answered: boolean;
}

interface SealedFields {
	k: string;
	iv: string;
	ver: string;
	act: FlowUserRequest['action'];
	tok?: string;
	scr?: string;
	t: number;
	id: string;
	ans: boolean;
}

export type FlowContextFailure = 'not-a-context' | 'wrong-key' | 'invalid';

export class FlowContextError extends OperationalError {
	readonly reason: FlowContextFailure;

	constructor(reason: FlowContextFailure, message: string) {
		super(message);
		this.name = 'FlowContextError';
		this.reason = reason;
	}
}

const sealingKeys = new WeakMap<KeyObject, Buffer>();

function sealingKey(privateKey: KeyObject): Buffer {
	let key = sealingKeys.get(privateKey);
	if (!key) {
		const material = privateKey.export({ format: 'der', type: 'pkcs8' });
		key = Buffer.from(hkdfSync('sha256', material, HKDF_SALT, HKDF_INFO, 32));
		sealingKeys.set(privateKey, key);
	}
	return key;
}

export function newRequestId(): string {
	return randomBytes(12).toString('base64url');
}

export function sealFlowContext(context: FlowRequestContext, privateKey: KeyObject): string {
	const fields: SealedFields = {
		k: context.aesKey.toString('base64'),
		iv: context.iv.toString('base64'),
		ver: context.version,
		act: context.action,
		...(context.flowToken !== undefined ? { tok: context.flowToken } : {}),
		...(context.screen !== undefined ? { scr: context.screen } : {}),
		t: context.receivedAt,
		id: context.requestId,
		ans: context.answered,
	};
	const nonce = randomBytes(NONCE_BYTES);
	const cipher = createCipheriv('aes-256-gcm', sealingKey(privateKey), nonce, {
		authTagLength: TAG_BYTES,
	});
	cipher.setAAD(AAD);
	const sealed = Buffer.concat([
		nonce,
		cipher.update(JSON.stringify(fields), 'utf8'),
		cipher.final(),
		cipher.getAuthTag(),
	]);
	return `${PREFIX}${sealed.toString('base64url')}`;
}

export function isSealedFlowContext(value: unknown): value is string {
	return typeof value === 'string' && value.startsWith(PREFIX);
}

/** Opens a sealed context; a FlowContextError says whether it is foreign, altered or not one. */
export function openFlowContext(sealed: unknown, privateKey: KeyObject): FlowRequestContext {
	if (!isSealedFlowContext(sealed)) {
		throw new FlowContextError(
			'not-a-context',
			'This is not a Flow context from the WhatsApp Cloud API Flow Trigger',
		);
	}
	const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
	if (bytes.length <= NONCE_BYTES + TAG_BYTES) {
		throw new FlowContextError('invalid', 'The Flow context is truncated');
	}
	const opened = attempt(() => {
		const decipher = createDecipheriv(
			'aes-256-gcm',
			sealingKey(privateKey),
			bytes.subarray(0, NONCE_BYTES),
			{ authTagLength: TAG_BYTES },
		);
		decipher.setAAD(AAD);
		decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
		return Buffer.concat([
			decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
			decipher.final(),
		]).toString('utf8');
	});
	if (!opened.ok) {
		throw new FlowContextError(
			'wrong-key',
			"The Flow context does not open with this credential's Flow private key (another credential sealed it, or it was changed)",
		);
	}
	const fields = JSON.parse(opened.value) as SealedFields;
	if (
		typeof fields.k !== 'string' ||
		typeof fields.iv !== 'string' ||
		typeof fields.t !== 'number'
	) {
		throw new FlowContextError('invalid', 'The Flow context is incomplete');
	}
	return {
		aesKey: Buffer.from(fields.k, 'base64'),
		iv: Buffer.from(fields.iv, 'base64'),
		version: fields.ver,
		action: fields.act,
		...(fields.tok !== undefined ? { flowToken: fields.tok } : {}),
		...(fields.scr !== undefined ? { screen: fields.scr } : {}),
		receivedAt: fields.t,
		requestId: fields.id,
		answered: fields.ans,
	};
}
