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
 * The webhook: n8n answers 500 when the workflow ends without Flow → Respond, which Meta's client
 * reads as an endpoint error (its error screen). A plain number, not an expression: n8n reads
 * `responseCode` on every request, and an expression would run in its expression engine there
 * (n8n's native resolvers do not apply, since the Flow ID resource locator makes the node's
 * parameters count as dynamic). n8n types description fields as strings but passes the number
 * through to the response unchanged.
 */
const endedWithoutRespond: IWebhookDescription = {
	name: 'default',
	httpMethod: 'POST',
	responseMode: 'responseNode',
	path: 'flow',
	responseCode: 500 as unknown as string,
};

export class WhatsAppCloudFlowTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Cloud API Flow Trigger',
		name: 'whatsAppCloudFlowTrigger',
		icon: { light: 'file:whatsAppCloud.svg', dark: 'file:whatsAppCloud.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves exactly like 1. For every request to a version-1 webhook node, n8n evaluates an
		// expression of its own ($parameter.options.binaryData) in its expression engine; from 1.1
		// on, the webhook phase evaluates only expressions the user put into the node's fields.
		version: [1, 1.1],
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
