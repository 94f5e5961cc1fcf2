/**
 * The Flow Trigger's webhook: every endpoint request is verified on the raw body and decrypted
 * before anything runs. Health checks and refusals are answered here without a workflow; a user
 * request becomes one item, and the workflow's Flow → Respond answers it through n8n's
 * respond-to-webhook mechanism (the webhook's responseMode is `responseNode`).
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIALS_NAME } from '../helpers/constants';
import { flowPrivateKeyOf } from '../helpers/flows/credential';
import type { SignaturePolicy } from '../helpers/flows/endpoint';
import { handleFlowEndpointRequest } from '../helpers/flows/endpoint';
import { SIGNATURE_HEADER } from '../helpers/webhook/signature';
import type { FlowTriggerOptions } from './description';

/** The express surface used here (n8n passes express objects; express is not a dependency). */
interface FlowWebhookRequest {
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
}

interface FlowWebhookResponse {
	status(code: number): FlowWebhookResponse;
	type(contentType: string): FlowWebhookResponse;
	send(body?: unknown): FlowWebhookResponse;
	end(): void;
}

export async function handleFlowRequest(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject() as unknown as FlowWebhookRequest;
	const res = this.getResponseObject() as unknown as FlowWebhookResponse;
	const credentials = await this.getCredentials(CREDENTIALS_NAME);
	const signaturePolicy = this.getNodeParameter('signatures', 'required') as SignaturePolicy;
	const appSecret = String(credentials.appSecret ?? '');
	if (signaturePolicy === 'required' && appSecret === '') {
		// A configuration error: n8n answers 500 and shows it, rather than refusing every request as forged.
		throw new NodeOperationError(
			this.getNode(),
			'The WhatsApp Cloud API credential has no App Secret, so Flow request signatures cannot be verified',
			{
				description:
					'Copy it from App Dashboard → App settings → Basic into the credential, or set Signature Check to "When Present" if no Meta app is linked to the Flow.',
			},
		);
	}
	const privateKey = flowPrivateKeyOf(this.getNode(), credentials);
	if (req.rawBody === undefined && typeof req.readRawBody === 'function') await req.readRawBody();
	const headers = this.getHeaderData() as Record<string, unknown>;
	const outcome = handleFlowEndpointRequest({
		rawBody: req.rawBody ?? Buffer.alloc(0),
		signatureHeader: headers[SIGNATURE_HEADER],
		appSecret,
		signaturePolicy,
		privateKey,
		flowId: String(this.getNodeParameter('flowId', '', { extractValue: true })).trim() || undefined,
		now: Date.now(),
	});

	if (outcome.kind === 'reject') {
		// No body: Meta's client reads only the status, and a refusal must carry nothing secret.
		this.logger.warn(
			`WhatsApp Flow endpoint refused a request with ${outcome.statusCode} (${outcome.reason}): ${outcome.message}`,
		);
		res.status(outcome.statusCode).end();
		return { noWebhookResponse: true };
	}
	if (outcome.kind === 'answer') {
		res.status(outcome.statusCode).type('text/plain').send(outcome.body);
		return { noWebhookResponse: true };
	}
	const workflowData = [[{ json: outcome.item as unknown as IDataObject }]];
	if (!outcome.immediate) return { workflowData };
	// An error notice: acknowledged now; the workflow still learns about it unless switched off.
	res.status(outcome.immediate.statusCode).type('text/plain').send(outcome.immediate.body);
	const options = this.getNodeParameter('options', {}) as FlowTriggerOptions;
	return options.runOnErrorNotifications === false
		? { noWebhookResponse: true }
		: { noWebhookResponse: true, workflowData };
}
