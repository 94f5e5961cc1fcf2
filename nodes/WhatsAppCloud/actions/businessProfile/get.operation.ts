import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { getBusinessProfile } from '../../transport/account';
import type { ItemOperation } from '../node.type';
import { readPhoneNumberId } from '../parameters';
import { businessNumberField } from '../user/fields';

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = readPhoneNumberId(this, itemIndex, 'Phone Number');
	const profile = (await getBusinessProfile.call(this, phoneNumberId, itemIndex)) as IDataObject;
	const json: IDataObject = { phoneNumberId, ...profile };
	delete json.messaging_product;
	return [{ json }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Get',
		value: 'get',
		description:
			"Get the number's business profile: about, address, description, email, websites, industry and photo URL",
		action: 'Get the business profile',
	},
	properties: [businessNumberField('The business phone number whose profile to read')],
	execute,
};
