/**
 * Send and Wait outside the 24-hour window (Meta's error 131047): an approved template with
 * quick-reply buttons goes out instead of the interactive question, the answer ids in its payloads.
 * The template fields are Send Template's own (same names, so its picker and mapper work here).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { businessAccountField } from '../../../descriptions/common';
import type { ClientEnvelopeInput } from '../../../helpers/payloads/envelope';
import { quickReplyAnswerValues } from '../../../helpers/sendAndWait/templateAnswers';
import { parseTemplateReference } from '../../../helpers/template/reference';
import {
	readVariableValues,
	templateField,
	templateLanguageField,
	templateMessage,
	templateVariablesField,
} from '../sendTemplate.operation';

export type WindowClosedChoice = 'fail' | 'fallback' | 'always';

const TEMPLATE_MODES = ['fallback', 'always'];
// Forms travel in a Flow message, which has no template counterpart here.
const BUTTON_RESPONSE_TYPES = ['approval', 'choice'];
const whenTemplate = {
	show: { responseType: BUTTON_RESPONSE_TYPES, windowClosed: TEMPLATE_MODES },
};

export const windowClosedFields: INodeProperties[] = [
	{
		displayName: 'Outside the 24-Hour Window',
		name: 'windowClosed',
		type: 'options',
		noDataExpression: true,
		default: 'fail',
		displayOptions: { show: { responseType: BUTTON_RESPONSE_TYPES } },
		description:
			"Meta accepts buttons and lists only within 24 hours of the customer's last message (error 131047 otherwise); an approved template can be sent any time",
		options: [
			{
				name: 'Fail',
				value: 'fail',
				description: "The item fails with Meta's error 131047",
			},
			{
				name: 'Send a Template Instead',
				value: 'fallback',
				description:
					'When Meta answers 131047, send the template below; its quick-reply buttons answer the question',
			},
			{
				name: 'Always Send the Template',
				value: 'always',
				description:
					'Send the template below instead of the message with buttons (the Message field is then not sent)',
			},
		],
	},
	{
		displayName:
			'The template needs one quick-reply button per answer, in order (approve, decline; or the options in their order). The node fills in their payloads itself (any payload set below is replaced).',
		name: 'windowClosedNotice',
		type: 'notice',
		default: '',
		displayOptions: whenTemplate,
	},
	{ ...businessAccountField, displayOptions: whenTemplate },
	{ ...templateField, displayOptions: whenTemplate },
	{ ...templateLanguageField, displayOptions: whenTemplate },
	{ ...templateVariablesField, required: false, displayOptions: whenTemplate },
];

export function readWindowClosed(
	context: IExecuteFunctions,
	itemIndex: number,
): WindowClosedChoice {
	const value = context.getNodeParameter('windowClosed', itemIndex, 'fail');
	return value === 'fallback' || value === 'always' ? value : 'fail';
}

/** The template send carrying `ids` (one per answer option) in its quick-reply payloads. */
export async function answerTemplateMessage(
	context: IExecuteFunctions,
	itemIndex: number,
	envelope: ClientEnvelopeInput,
	ids: string[],
): Promise<IDataObject> {
	const reference = parseTemplateReference(
		context.getNodeParameter('template', itemIndex, '', { extractValue: true }),
		context.getNodeParameter('templateLanguage', itemIndex, ''),
	);
	if (reference.name === '') {
		throw new NodeOperationError(
			context.getNode(),
			'Template is required when "Outside the 24-Hour Window" sends a template',
			{ itemIndex },
		);
	}
	const values = readVariableValues(context, itemIndex);
	const { payload } = await templateMessage(
		context,
		itemIndex,
		envelope,
		reference,
		(template) => ({
			...values,
			...quickReplyAnswerValues(template, ids),
		}),
	);
	return payload;
}
