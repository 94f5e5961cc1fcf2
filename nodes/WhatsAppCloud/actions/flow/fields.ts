/** Fields and readers shared by the Flow management operations. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import {
	checkFlowId,
	FLOW_CATEGORIES,
	FLOW_JSON_MAX_BYTES,
	FLOW_STATUSES,
	flowJsonFromFile,
	flowJsonText,
} from '../../helpers/flows/management';
import { changeFlowStatus } from '../../transport/flows';
import { businessAccountField } from '../../descriptions/common';
import { flowIdField } from '../../descriptions/flows';
import { forItem } from '../errors';

const FLOW_JSON_PLACEHOLDER =
	'{ "version": "7.1", "data_api_version": "3.0", "routing_model": { … }, "screens": [ … ] }';

const title = (value: string) =>
	value
		.split('_')
		.map((word) => word.charAt(0) + word.slice(1).toLowerCase())
		.join(' ');

export const flowCategoryOptions = FLOW_CATEGORIES.map((value) => ({ name: title(value), value }));
export const flowStatusOptions = FLOW_STATUSES.map((value) => ({ name: title(value), value }));

/**
 * The Flow JSON, typed in or from a binary file. With `withNone` (Create) there is also
 * "None": an empty draft whose JSON is uploaded later.
 */
export function flowJsonFields(withNone: boolean): INodeProperties[] {
	const showFor = (source: string) => ({ show: { flowJsonSource: [source] } });
	return [
		{
			displayName: 'Flow JSON From',
			name: 'flowJsonSource',
			type: 'options',
			noDataExpression: true,
			default: 'field',
			options: [
				{
					name: 'Binary File',
					value: 'binary',
					description: 'A Flow JSON file in an input binary field (e.g. from Read/Write Files)',
				},
				{
					name: 'Field',
					value: 'field',
					description: 'The Flow JSON typed in below, or built by an expression',
				},
				...(withNone
					? [
							{
								name: 'None',
								value: 'none',
								description: 'Create an empty draft; upload its JSON later with Update JSON',
							},
						]
					: []),
			],
		},
		{
			displayName: 'Flow JSON',
			name: 'flowJson',
			type: 'json',
			default: '',
			required: true,
			placeholder: FLOW_JSON_PLACEHOLDER,
			description: `The Flow's screens as Meta's Flow JSON (up to ${FLOW_JSON_MAX_BYTES / 1024 / 1024} MB). Design it in WhatsApp Manager's Flow Builder and copy it from there.`,
			displayOptions: showFor('field'),
		},
		{
			displayName: 'Input Binary Field',
			name: 'flowJsonBinaryProperty',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the input binary field holding the flow.json file',
			description: `The binary field of the input item with the Flow JSON file (UTF-8, up to ${FLOW_JSON_MAX_BYTES / 1024 / 1024} MB)`,
			displayOptions: showFor('binary'),
		},
	];
}

/**
 * The Flow of an operation that acts on one, with the Business Account its picker lists the Flows
 * of (the operation itself needs only the Flow ID).
 */
export function flowFields(description: string): INodeProperties[] {
	return [
		{
			...businessAccountField,
			description:
				"The account whose Flows the Flow picker lists, from the accounts the credential's token was granted. Leave empty to use the credential's WhatsApp Business Account ID.",
		},
		{ ...flowIdField, description },
	];
}

/** The Flow ID from the picker or the ID field (plain strings of older nodes included). */
export function readFlowId(context: IExecuteFunctions, itemIndex: number): string {
	const value = context.getNodeParameter('flowId', itemIndex, '', { extractValue: true });
	return forItem(context, itemIndex, () => checkFlowId('Flow', value));
}

/** The Flow JSON text from the chosen source; undefined for "none". */
export async function readFlowJson(
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<string | undefined> {
	const source = context.getNodeParameter('flowJsonSource', itemIndex, 'field') as string;
	if (source === 'none') return undefined;
	if (source === 'binary') {
		const property = String(
			context.getNodeParameter('flowJsonBinaryProperty', itemIndex, 'data'),
		).trim();
		context.helpers.assertBinaryData(itemIndex, property);
		const bytes = await context.helpers.getBinaryDataBuffer(itemIndex, property);
		return forItem(context, itemIndex, () =>
			flowJsonFromFile(`Input Binary Field "${property}"`, bytes),
		);
	}
	const value = context.getNodeParameter('flowJson', itemIndex, '');
	return forItem(context, itemIndex, () => flowJsonText('Flow JSON', value));
}

/** Publish and Deprecate: the Flow's status changes, or Meta says why not (139002 / 139003). */
export function changeStatus(change: 'publish' | 'deprecate') {
	return async function (
		this: IExecuteFunctions,
		itemIndex: number,
	): Promise<INodeExecutionData[]> {
		const flowId = readFlowId(this, itemIndex);
		const answer = await changeFlowStatus.call(this, flowId, change, itemIndex);
		const status = change === 'publish' ? 'PUBLISHED' : 'DEPRECATED';
		return [{ json: { id: flowId, success: answer.success ?? true, status } }];
	};
}
