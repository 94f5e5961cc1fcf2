import { createHmac } from 'node:crypto';

/** `sha256=<hex>` for a body: the X-Hub-Signature-256 Meta sends. */
export function signatureHeaderFor(secret: string, body: Buffer | string): string {
	return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
