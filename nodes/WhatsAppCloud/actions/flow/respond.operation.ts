/**
 * Flow → Respond: answers the WhatsApp Flow endpoint request that started this workflow (next
 * screen with its data, an error message on a screen, close the Flow with its parameters, or
 * "flow token no longer valid"), encrypted with that request's key, through n8n's
 * respond-to-webhook mechanism (`this.sendResponse`), as n8n's Respond to Webhook node does.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIALS_NAME } from '../../helpers/constants';
import { flowPrivateKeyOf } from '../../helpers/flows/credential';
import type { FlowRespondInput, FlowRespondWith } from '../../helpers/flows/respond';
import { prepareFlowResponse } from '../../helpers/flows/respond';
import { parseJsonParameter } from '../../helpers/check';
import { forItem } from '../errors';
import type { ItemOperation } from '../node.type';
import { quoteInput } from '../../helpers/errors';

const FLOW_TRIGGER_TYPE_SUFFIX = '.whatsAppCloudFlowTrigger';
/** Key in the execution's flow context: request IDs already answered by this execution. */
const ANSWERED_KEY = 'whatsAppCloudFlowAnswered';

export const properties: INodeProperties[] = [
	{
		displayName:
			'Answers the Flow Trigger request of this execution. Meta waits about 10 seconds; a workflow that ends without this answer is answered with an error (HTTP 500).',
		name: 'flowRespondNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Respond With',
		name: 'respondWith',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Close the Flow',
				value: 'closeFlow',
				description:
					'Complete the Flow: the customer sees it close and the parameters arrive as an nfm_reply message at the WhatsApp Cloud API Trigger',
			},
			{
				name: 'Error Message',
				value: 'errorMessage',
				description: 'Show a screen (by default the current one) with an error snackbar',
			},
			{
				name: 'Flow Token No Longer Valid',
				value: 'tokenInvalid',
				description:
					'HTTP 427: the Flow closes with your message and its button stops working (e.g. already booked)',
			},
			{
				name: 'Next Screen',
				value: 'nextScreen',
				description: 'Show a screen of the Flow with its data',
			},
		],
		default: 'nextScreen',
	},
	{
		displayName: 'Screen',
		name: 'screen',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. PICK_SLOT',
		description: 'ID of the screen in the Flow JSON',
		displayOptions: { show: { respondWith: ['nextScreen'] } },
	},
	{
		displayName: 'Screen',
		name: 'screen',
		type: 'string',
		default: '',
		placeholder: 'e.g. PICK_SLOT',
		description: 'ID of the screen that shows the error; empty: the screen the request came from',
		displayOptions: { show: { respondWith: ['errorMessage'] } },
	},
	{
		displayName: 'Screen Data (JSON)',
		name: 'screenData',
		type: 'json',
		default: '{}',
		description:
			"The screen's data fields as a JSON object, as the screen's data section in the Flow JSON declares them",
		displayOptions: { show: { respondWith: ['nextScreen', 'errorMessage'] } },
	},
	{
		displayName: 'Error Message',
		name: 'errorMessage',
		type: 'string',
		default: '',
		required: true,
		description: 'The text the customer sees',
		displayOptions: { show: { respondWith: ['errorMessage', 'tokenInvalid'] } },
	},
	{
		displayName: 'Response Parameters (JSON)',
		name: 'responseParameters',
		type: 'json',
		default: '{}',
		description:
			'What the completed Flow reports back (in the nfm_reply message, with the flow token), as a JSON object',
		displayOptions: { show: { respondWith: ['closeFlow'] } },
	},
	{
		displayName: 'Flow Context',
		name: 'flowContext',
		type: 'string',
		default: '',
		description:
			"The flowContext of the Flow Trigger's item. Empty: taken from the Flow Trigger of this workflow, or from the input item.",
	},
];

function readInput(this: IExecuteFunctions, itemIndex: number): FlowRespondInput {
	const respondWith = this.getNodeParameter('respondWith', itemIndex) as FlowRespondWith;
	const json = (name: string, field: string) =>
		forItem(this, itemIndex, () =>
			parseJsonParameter(field, this.getNodeParameter(name, itemIndex, '{}')),
		);
	const text = (name: string) => this.getNodeParameter(name, itemIndex, '') as string;
	switch (respondWith) {
		case 'nextScreen':
			return { respondWith, screen: text('screen'), data: json('screenData', 'Screen Data') };
		case 'errorMessage':
			return {
				respondWith,
				screen: text('screen'),
				errorMessage: text('errorMessage'),
				data: json('screenData', 'Screen Data'),
			};
		case 'closeFlow':
			return { respondWith, params: json('responseParameters', 'Response Parameters') };
		case 'tokenInvalid':
			return { respondWith, errorMessage: text('errorMessage') };
		default:
			throw new NodeOperationError(
				this.getNode(),
				`Respond With ${quoteInput(String(respondWith))} is not one of Close the Flow, Error Message, Flow Token No Longer Valid, Next Screen`,
				{ itemIndex },
			);
	}
}

/** The sealed context: the parameter, else the Flow Trigger's item, else the input item. */
function flowContextFor(this: IExecuteFunctions, itemIndex: number): string {
	const given = String(this.getNodeParameter('flowContext', itemIndex, '')).trim();
	if (given !== '') return given;
	const trigger = this.getParentNodes(this.getNode().name).find(
		(node) => node.type.endsWith(FLOW_TRIGGER_TYPE_SUFFIX) && !node.disabled,
	);
	if (trigger) {
		const proxy = this.getWorkflowDataProxy(itemIndex);
		const first = (proxy.$(trigger.name) as { first(): INodeExecutionData | undefined }).first();
		const sealed = first?.json?.flowContext;
		if (typeof sealed === 'string' && sealed !== '') return sealed;
	}
	const sealed = this.getInputData()[itemIndex]?.json?.flowContext;
	if (typeof sealed === 'string' && sealed !== '') return sealed;
	throw new NodeOperationError(
		this.getNode(),
		'No Flow request to answer: this workflow was not started by a WhatsApp Cloud API Flow Trigger',
		{
			itemIndex,
			description:
				'Start the workflow with the Flow Trigger, or set Flow Context to the flowContext of its item.',
		},
	);
}

/** Flow → Respond for one item: sends the encrypted answer and outputs what was answered. */
export async function respondToFlow(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const credentials = await this.getCredentials(CREDENTIALS_NAME, itemIndex);
	const privateKey = flowPrivateKeyOf(this.getNode(), credentials, itemIndex);
	const sealed = flowContextFor.call(this, itemIndex);
	const input = readInput.call(this, itemIndex);
	const prepared = forItem(this, itemIndex, () =>
		prepareFlowResponse(sealed, privateKey, input, Date.now()),
	);
	if (prepared.kind === 'send') {
		const execution = this.getContext('flow');
		const answered = (execution[ANSWERED_KEY] ?? {}) as Record<string, number>;
		const earlier = answered[prepared.summary.requestId];
		if (earlier !== undefined) {
			throw new NodeOperationError(
				this.getNode(),
				`This Flow request was already answered (item ${earlier}); each request takes exactly one answer`,
				{
					itemIndex,
					description:
						'Flow → Respond runs once per item: reduce the items to one before it (e.g. with Limit or Aggregate).',
				},
			);
		}
		await this.sendResponse({
			body: Buffer.from(prepared.http.body, 'utf8'),
			headers: prepared.http.headers,
			statusCode: prepared.http.statusCode,
		});
		execution[ANSWERED_KEY] = { ...answered, [prepared.summary.requestId]: itemIndex };
	}
	const json = this.getInputData()[itemIndex]?.json ?? {};
	return [
		{
			json: { ...json, flowResponse: prepared.summary as unknown as IDataObject },
			pairedItem: { item: itemIndex },
		},
	];
}

/** Registered by the Flow resource's `index.ts`, which adds the display conditions. */
export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Respond',
		value: 'respond',
		description: 'Answer the Flow endpoint request that started this workflow',
		action: 'Respond to a flow request',
	},
	properties,
	execute: respondToFlow,
};
