import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CREDENTIALS_NAME } from './helpers/constants';
import { businessAccountListSearch } from './methods/businessAccounts';
import { phoneNumberListSearch } from './methods/phoneNumbers';
import { triggerProperties } from './trigger/description';
import { registrationMethods } from './trigger/registration';
import { handleWebhook } from './trigger/webhook';

export class WhatsAppCloudTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Cloud API Trigger',
		name: 'whatsAppCloudTrigger',
		icon: { light: 'file:whatsAppCloud.svg', dark: 'file:whatsAppCloud.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves exactly like 1. For every request to a version-1 webhook node, n8n evaluates an
		// expression of its own ($parameter.options.binaryData) in its expression engine; from 1.1
		// on, the webhook phase evaluates only expressions the user put into the node's fields.
		version: [1, 1.1],
		subtitle:
			'={{$parameter["registration"] === "manual" ? "Manual registration" : $parameter["scope"] === "businessAccount" ? "Business account override" : $parameter["scope"] === "phoneNumber" ? "Phone number override" : "Automatic registration"}}',
		// n8n's node creator merges this node and the action node into one entry and shows this text
		// on it, after a trigger too: it says what both do.
		description:
			"Send every WhatsApp message type and manage media and templates through Meta's Cloud API, or start the workflow on its signature-verified webhooks",
		defaults: { name: 'WhatsApp Cloud API Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIALS_NAME, required: true }],
		webhooks: [
			// Same path for both: Meta verifies the URL with GET and delivers events with POST.
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: triggerProperties,
	};

	methods = {
		listSearch: { ...businessAccountListSearch, ...phoneNumberListSearch },
	};

	webhookMethods = { default: registrationMethods };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleWebhook.call(this);
	}
}
