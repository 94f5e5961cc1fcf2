import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { phoneNumberIdField, recipientField, sendOptions } from '../../descriptions/common';
import { buildMessage } from '../../helpers/payloads/envelope';
import { trimmedValue } from '../../helpers/parameters';
import { buildLocationContent } from '../../helpers/payloads/location';
import type { MessageSend } from '../../transport/sender';
import type { SendOperation } from '../node.type';
import { forItem } from '../errors';
import { readEnvelope } from './envelope';

const fields: INodeProperties[] = [
	phoneNumberIdField,
	recipientField,
	{
		displayName: 'Latitude',
		name: 'latitude',
		type: 'number',
		typeOptions: { minValue: -90, maxValue: 90, numberPrecision: 7 },
		default: 0,
		required: true,
		description: 'Latitude in decimal degrees, -90 to 90 (e.g. 52.5200 for Berlin)',
	},
	{
		displayName: 'Longitude',
		name: 'longitude',
		type: 'number',
		typeOptions: { minValue: -180, maxValue: 180, numberPrecision: 7 },
		default: 0,
		required: true,
		description: 'Longitude in decimal degrees, -180 to 180 (e.g. 13.4050 for Berlin)',
	},
	{
		displayName: 'Name',
		name: 'locationName',
		type: 'string',
		default: '',
		placeholder: 'e.g. Main Store',
		description: 'Name of the place, shown above the map; optional',
	},
	{
		displayName: 'Address',
		name: 'locationAddress',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1 Market Street, San Francisco',
		description: 'Address of the place; WhatsApp shows it only together with a name',
	},
	sendOptions(),
];

async function build(this: IExecuteFunctions, itemIndex: number): Promise<MessageSend> {
	const { phoneNumberId, envelope } = readEnvelope(this, itemIndex);
	// Values of any kind go to the builder, which names the field of one it cannot use.
	const location = {
		latitude: this.getNodeParameter('latitude', itemIndex) as number,
		longitude: this.getNodeParameter('longitude', itemIndex) as number,
		name: trimmedValue(this.getNodeParameter('locationName', itemIndex, '')) as string,
		address: trimmedValue(this.getNodeParameter('locationAddress', itemIndex, '')) as string,
	};
	const message = forItem(this, itemIndex, () =>
		buildMessage(envelope, buildLocationContent(location)),
	);
	return { phoneNumberId, payload: message as IDataObject };
}

export const operation: SendOperation = {
	kind: 'send',
	option: {
		name: 'Send Location',
		value: 'sendLocation',
		description: 'Send a map location',
		action: 'Send a location',
	},
	properties: fields,
	build,
};
