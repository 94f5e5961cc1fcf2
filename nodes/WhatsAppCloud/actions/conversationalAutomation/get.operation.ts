import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { getConversationalAutomation } from '../../transport/account';
import type { ItemOperation } from '../node.type';
import { readPhoneNumberId } from '../parameters';
import { businessNumberField } from '../user/fields';

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = readPhoneNumberId(this, itemIndex, 'Phone Number');
	const automation = await getConversationalAutomation.call(this, phoneNumberId, itemIndex);
	// Graph's `id` is the phone number ID again.
	const json: IDataObject = { phoneNumberId, ...(automation as IDataObject) };
	delete json.id;
	return [{ json }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Get',
		value: 'get',
		description: "Get the number's welcome message switch, ice breakers and commands",
		action: 'Get the conversational automation',
	},
	properties: [businessNumberField('The business phone number whose automation to read')],
	execute,
};
