import type {
	INodeType,
	INodeTypeDescription,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { flowTriggerProperties } from './flowTrigger/description';
import { flowRegistrationMethods } from './flowTrigger/registration';
import { handleFlowRequest } from './flowTrigger/webhook';
import { CREDENTIALS_NAME } from './helpers/constants';
import { flowListSearch } from './methods/flows';

/**
 * HTTP status n8n answers with when the workflow ends without Flow → Respond: Meta's client reads
 * 500 as an endpoint error and shows its error screen. Written as an expression (n8n's webhook
 * server evaluates `responseCode`) plus, for n8n versions that read it, a native resolver under
 * n8n's `WEBHOOK_RESOLVERS` symbol, so no expression engine runs per request.
 */
const NO_RESPONSE_STATUS = '={{500}}';
const endedWithoutRespond = Object.assign(
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'responseNode',
		path: 'flow',
		responseCode: NO_RESPONSE_STATUS,
	} satisfies IWebhookDescription,
	{
		[Symbol.for('n8n.webhookDescriptionResolvers')]: {
			responseCode: { template: NO_RESPONSE_STATUS, resolve: () => 500 },
		},
	},
);

export class WhatsAppCloudFlowTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Cloud API Flow Trigger',
		name: 'whatsAppCloudFlowTrigger',
		icon: { light: 'file:whatsAppCloud.svg', dark: 'file:whatsAppCloud.dark.svg' },
		group: ['trigger'],
		version: 1,
		// flowId is a resource locator; workflows saved before it was one hold a plain string.
		subtitle:
			'={{ (id => (id ? "Flow " + id : "Flow endpoint"))(typeof $parameter["flowId"] === "object" ? $parameter["flowId"].cachedResultName || $parameter["flowId"].value : $parameter["flowId"]) }}',
		description:
			"Serves a WhatsApp Flow's data endpoint: verifies and decrypts each request, answers health checks, and starts the workflow, which answers with Flow → Respond",
		defaults: { name: 'WhatsApp Cloud API Flow Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIALS_NAME, required: true }],
		webhooks: [endedWithoutRespond],
		properties: flowTriggerProperties,
	};

	methods = { listSearch: flowListSearch };

	webhookMethods = { default: flowRegistrationMethods };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleFlowRequest.call(this);
	}
}
