import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { phoneNumberIdField, recipientField, sendOptions } from '../../descriptions/common';
import { TEXT_BODY_MAX } from '../../helpers/limits';
import { buildMessage } from '../../helpers/payloads/envelope';
import { buildTextContent } from '../../helpers/payloads/text';
import type { MessageSend } from '../../transport/sender';
import type { SendOperation } from '../node.type';
import { forItem } from '../errors';
import { readEnvelope } from './envelope';
import { buildTemplateFallback, templateFallbackOptions } from './sendTemplate.operation';

const fields: INodeProperties[] = [
	phoneNumberIdField,
	recipientField,
	{
		displayName: 'Text',
		name: 'textBody',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Your order #1042 has shipped 🚚',
		description: `The message text, 1 to ${TEXT_BODY_MAX} characters. WhatsApp formatting works: *bold*, _italic_, ~strike~, \`\`\`code\`\`\`.`,
	},
	sendOptions([
		{
			displayName: 'Show URL Preview',
			name: 'previewUrl',
			type: 'boolean',
			default: false,
			description:
				'Whether WhatsApp shows a preview of the first http(s) link in the text (only the first link gets one)',
		},
		...templateFallbackOptions,
	]),
];

async function build(this: IExecuteFunctions, itemIndex: number): Promise<MessageSend> {
	const { phoneNumberId, envelope, options } = readEnvelope(this, itemIndex);
	const body = this.getNodeParameter('textBody', itemIndex, '') as string;
	const message = forItem(this, itemIndex, () =>
		buildMessage(envelope, buildTextContent({ body, previewUrl: options.previewUrl === true })),
	);
	const fallback = await buildTemplateFallback.call(this, itemIndex, envelope, options);
	return { phoneNumberId, payload: message as IDataObject, ...(fallback ? { fallback } : {}) };
}

export const operation: SendOperation = {
	kind: 'send',
	option: {
		name: 'Send Text',
		value: 'sendText',
		description: 'Send a text message',
		action: 'Send a text message',
	},
	properties: fields,
	build,
};
