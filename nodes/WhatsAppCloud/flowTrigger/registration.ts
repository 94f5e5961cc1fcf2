/**
 * Activation of the Flow Trigger: the credential is checked first (a key that does not load or a
 * missing App Secret fails activation, not the customer's first request); with "Set the Flow's
 * Endpoint URI" the Flow is pointed at this node.
 */
import type { IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIALS_NAME } from '../helpers/constants';
import { flowPrivateKeyOf } from '../helpers/flows/credential';
import { getFlow, updateFlowMetadata } from '../transport/flows';
import { quoteInput } from '../helpers/errors';

type FlowRegistration = { mode: 'manual' } | { mode: 'flowEndpoint'; flowId: string; url: string };

async function readRegistration(this: IHookFunctions): Promise<FlowRegistration> {
	const credentials = await this.getCredentials(CREDENTIALS_NAME);
	flowPrivateKeyOf(this.getNode(), credentials);
	const signatures = this.getNodeParameter('signatures', 'required') as string;
	if (signatures === 'required' && String(credentials.appSecret ?? '') === '') {
		throw new NodeOperationError(
			this.getNode(),
			'The WhatsApp Cloud API credential has no App Secret, so Flow request signatures cannot be verified',
			{
				description:
					'Copy it from App Dashboard → App settings → Basic, or set Signature Check to "When Present" if no Meta app is linked to the Flow.',
			},
		);
	}
	if (this.getNodeParameter('registration', 'manual') !== 'flowEndpoint') return { mode: 'manual' };
	const flowId = String(this.getNodeParameter('flowId', '', { extractValue: true })).trim();
	if (!/^\d+$/.test(flowId)) {
		throw new NodeOperationError(
			this.getNode(),
			`Flow ID ${quoteInput(flowId)} is not a Flow ID (digits)`,
			{
				description: 'Use the ID shown in WhatsApp Manager → Flows, or from Flow → List.',
			},
		);
	}
	return { mode: 'flowEndpoint', flowId, url: this.getNodeWebhookUrl('default') ?? '' };
}

export const flowRegistrationMethods = {
	async checkExists(this: IHookFunctions): Promise<boolean> {
		const registration = await readRegistration.call(this);
		// Manual: nothing at Meta to look at; create() only confirms the credential works.
		if (registration.mode === 'manual') return false;
		const flow = await getFlow.call(this, registration.flowId, { fields: ['id', 'endpoint_uri'] });
		return flow.endpoint_uri === registration.url;
	},

	async create(this: IHookFunctions): Promise<boolean> {
		const registration = await readRegistration.call(this);
		if (registration.mode === 'manual') return true;
		await updateFlowMetadata.call(this, registration.flowId, { endpointUri: registration.url });
		return true;
	},

	/**
	 * Leaves the endpoint URI as it is: Meta has no "no endpoint" for a Flow that needs one, and the
	 * URI may already serve another workflow. A deactivated endpoint answers 404, which Meta's
	 * client shows as an error.
	 */
	async delete(this: IHookFunctions): Promise<boolean> {
		return true;
	},
};
