import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { operationFor, resourceProperties, resourceSelector } from './actions';
import { campaignFor } from './actions/campaign';
import { toNodeError } from './actions/errors';
import { sendAndWaitWebhook } from './actions/message/sendAndWait';
import { failedItem, pairedTo, sendOutputItems, stoppedError } from './actions/output';
import { readSendSettings, withFastParameters } from './actions/parameters';
import { sendingOptions } from './descriptions/sending';
import { businessAccountListSearch } from './methods/businessAccounts';
import { commerceListSearch } from './methods/commerce';
import { flowListSearch } from './methods/flows';
import { phoneNumberListSearch } from './methods/phoneNumbers';
import { templateListSearch, templateResourceMapping } from './methods/templates';
import { sendMessages } from './transport/sender';

// Send and Wait resumes through n8n's waiting endpoint (only while an execution waits here).
// Restart webhooks are never registered anywhere, so they have no checkExists/create/delete; n8n's
// own send-and-wait nodes reference theirs like this, and the community rule
// webhook-lifecycle-complete reads an inline `webhooks` array as a webhook trigger's.
const sendAndWaitWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'GET',
		responseMode: 'onReceived',
		responseData: '',
		path: '={{ $nodeId }}',
		restartWebhook: true,
		isFullPath: true,
	},
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		responseData: '',
		path: '={{ $nodeId }}',
		restartWebhook: true,
		isFullPath: true,
	},
];

export class WhatsAppCloud implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Cloud API',
		name: 'whatsAppCloud',
		icon: { light: 'file:whatsAppCloud.svg', dark: 'file:whatsAppCloud.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			"Send every WhatsApp message type through Meta's Cloud API at the number's allowed rate, answer WhatsApp Flows, and manage Flows, media, templates, phone numbers, blocked users, the business profile, QR codes and chat automation",
		defaults: { name: 'WhatsApp Cloud API' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'whatsAppCloudApi', required: true }],
		webhooks: sendAndWaitWebhooks,
		properties: [resourceSelector, ...resourceProperties, sendingOptions],
	};

	methods = {
		listSearch: {
			...businessAccountListSearch,
			...commerceListSearch,
			...flowListSearch,
			...phoneNumberListSearch,
			...templateListSearch,
		},
		resourceMapping: { ...templateResourceMapping },
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await sendAndWaitWebhook.call(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const resource = this.getNodeParameter('resource', 0) as string;
		const operationName = this.getNodeParameter('operation', 0) as string;
		const operation = operationFor(resource, operationName);
		if (!operation) {
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operationName}" is not known for the resource "${resource}"`,
				{ itemIndex: 0 },
			);
		}
		if (operation.kind === 'wait') return await operation.execute.call(this);
		if (operation.kind === 'send') {
			// All items go to the paced sender at once; their outcomes come back in item order.
			const context = withFastParameters(this);
			const campaign = campaignFor(context, items.length, operation.build);
			const report = await sendMessages.call(
				context,
				items.length,
				campaign?.build ?? operation.build,
				{
					...readSendSettings.call(this),
					stopOnFirstError: !this.continueOnFail(),
					onSettled: campaign?.onSettled,
				},
			);
			await campaign?.flush();
			if (report.stoppedBy) throw stoppedError(this, report, report.stoppedBy, items.length);
			return [sendOutputItems.call(this, report, campaign)];
		}

		const returnData: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const results = await operation.execute.call(this, itemIndex);
				returnData.push(...pairedTo(this, itemIndex, results));
			} catch (error) {
				const nodeError = toNodeError(this, error, itemIndex);
				if (!this.continueOnFail()) throw nodeError;
				returnData.push(...failedItem(this, nodeError, itemIndex));
			}
		}
		return [returnData];
	}
}
