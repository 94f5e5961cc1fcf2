import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * The credential's App Secret, which every webhook's X-Hub-Signature-256 is verified with. Without
 * it the trigger accepts nothing: activation fails, and events are answered 500 so Meta retries them.
 */
export function requireAppSecret(node: INode, credentials: ICredentialDataDecryptedObject): string {
	const appSecret = String(credentials.appSecret ?? '');
	if (appSecret === '') {
		throw new NodeOperationError(
			node,
			'The WhatsApp Cloud API credential has no App Secret, so webhook signatures cannot be verified',
			{
				description:
					'Copy it from App Dashboard → App settings → Basic into the credential. Events rejected meanwhile are retried by Meta for up to 7 days.',
			},
		);
	}
	return appSecret;
}
