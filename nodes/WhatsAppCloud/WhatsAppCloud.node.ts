import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { withFastParameters } from './actions/parameters';
import { operationFields, operationFor } from './actions/router';
import { operationSelectors } from './descriptions/operations';
import { readSendSettings, sendingOptions } from './descriptions/sending';
import { phoneNumberListSearch } from './methods/phoneNumbers';
import { templateListSearch, templateResourceMapping } from './methods/templates';
import { sendMessages } from './transport/sender';

export class WhatsAppCloud implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Cloud API',
		name: 'whatsAppCloud',
		icon: { light: 'file:whatsAppCloud.svg', dark: 'file:whatsAppCloud.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			"Send every WhatsApp message type through Meta's Cloud API at the number's allowed rate, and manage media, templates and phone numbers",
		defaults: { name: 'WhatsApp Cloud API' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'whatsAppCloudApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Media', value: 'media' },
					{ name: 'Message', value: 'message' },
					{ name: 'Phone Number', value: 'phoneNumber' },
					{ name: 'Template', value: 'template' },
				],
				default: 'message',
			},
			...operationSelectors,
			...operationFields,
			sendingOptions,
		],
	};

	methods = {
		listSearch: { ...phoneNumberListSearch, ...templateListSearch },
		resourceMapping: { ...templateResourceMapping },
	};

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
		const returnData: INodeExecutionData[] = [];

		if (operation.kind === 'send') {
			// All items go to the paced sender at once; their outcomes come back in item order.
			const report = await sendMessages.call(
				withFastParameters(this),
				items.length,
				operation.build,
				{
					...readSendSettings.call(this),
					stopOnFirstError: !this.continueOnFail(),
				},
			);
			if (report.stoppedBy) {
				const { error, itemIndex } = report.stoppedBy;
				const notSent = report.outcomes.filter((outcome) => outcome === undefined).length;
				error.description = [
					error.description,
					`Item ${itemIndex} failed. ${report.accepted} of ${items.length} messages were accepted by Meta before the node stopped; ${notSent} were not sent. Use "On Error: Continue (using error output)" to get every item's outcome instead of stopping.`,
				]
					.filter(Boolean)
					.join('\n');
				throw error;
			}
			for (const outcome of report.outcomes) {
				if (!outcome) continue;
				const pairedItem = { item: outcome.itemIndex };
				if (outcome.ok) {
					returnData.push({ json: outcome.json, pairedItem });
					continue;
				}
				// n8n replaces the json of an item carrying `.error` with the bare message, and routes an
				// item to the error output when its json holds only `error`: so Meta's code, details and
				// the recipient travel inside `error`.
				const { error: message, ...details } = outcome.json;
				returnData.push({ json: { error: { message, ...details } }, pairedItem });
			}
			return [returnData];
		}

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const results = await operation.execute.call(this, itemIndex);
				for (const result of results)
					returnData.push({ ...result, pairedItem: { item: itemIndex } });
			} catch (error) {
				const nodeError =
					error instanceof NodeApiError || error instanceof NodeOperationError
						? error
						: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
				if (!this.continueOnFail()) throw nodeError;
				returnData.push({
					json: { error: nodeError.message },
					error: nodeError,
					pairedItem: { item: itemIndex },
				});
			}
		}
		return [returnData];
	}
}
