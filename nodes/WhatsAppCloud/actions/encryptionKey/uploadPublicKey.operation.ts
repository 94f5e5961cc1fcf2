import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { phoneNumberIdField } from '../../descriptions/common';
import { CREDENTIALS_NAME } from '../../helpers/constants';
import { flowPrivateKeyOf } from '../../helpers/flows/credential';
import {
	businessPublicKeyFromPem,
	businessPublicKeyOf,
	publicKeyFingerprint,
} from '../../helpers/flows/keys';
import { uploadBusinessPublicKey } from '../../transport/flows';
import { forItem } from '../errors';
import type { ItemOperation } from '../node.type';
import { readPhoneNumberId } from '../parameters';

type KeySource = 'credential' | 'pem' | 'binary';

const fields: INodeProperties[] = [
	{
		...phoneNumberIdField,
		displayName: 'Phone Number',
		description:
			'The business phone number whose Flows use this key (each number has its own business public key)',
	},
	{
		displayName: 'Public Key From',
		name: 'publicKeySource',
		type: 'options',
		noDataExpression: true,
		default: 'credential',
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: 'A public.pem file in an input binary field (e.g. from Generate Key Pair)',
			},
			{
				name: "The Credential's Flow Private Key",
				value: 'credential',
				description:
					'The public half of the private key in this credential, which the Flow Trigger decrypts with',
			},
			{
				name: 'Text',
				value: 'pem',
				description: 'The PEM public key pasted below',
			},
		],
	},
	{
		displayName: 'Public Key',
		name: 'publicKeyPem',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		required: true,
		placeholder:
			'-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA…\n-----END PUBLIC KEY-----',
		description: 'A 2048-bit RSA public key in PEM format (never the private key)',
		displayOptions: { show: { publicKeySource: ['pem'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'publicKeyBinaryProperty',
		type: 'string',
		default: 'publicKey',
		required: true,
		hint: 'The name of the input binary field holding public.pem',
		displayOptions: { show: { publicKeySource: ['binary'] } },
	},
];

async function readPublicKey(
	context: IExecuteFunctions,
	itemIndex: number,
	source: KeySource,
): Promise<{ pem: string; fingerprint: string }> {
	let read: { pem: string; key: Parameters<typeof publicKeyFingerprint>[0] };
	if (source === 'credential') {
		const credentials = await context.getCredentials(CREDENTIALS_NAME, itemIndex);
		const privateKey = flowPrivateKeyOf(context.getNode(), credentials, itemIndex);
		read = forItem(context, itemIndex, () =>
			businessPublicKeyOf("The credential's Flow Private Key", privateKey),
		);
	} else if (source === 'binary') {
		const property = String(
			context.getNodeParameter('publicKeyBinaryProperty', itemIndex, 'publicKey'),
		).trim();
		context.helpers.assertBinaryData(itemIndex, property);
		const bytes = await context.helpers.getBinaryDataBuffer(itemIndex, property);
		read = forItem(context, itemIndex, () =>
			businessPublicKeyFromPem(`Input Binary Field "${property}"`, bytes.toString('utf8')),
		);
	} else {
		const text = context.getNodeParameter('publicKeyPem', itemIndex, '');
		read = forItem(context, itemIndex, () => businessPublicKeyFromPem('Public Key', text));
	}
	return { pem: read.pem, fingerprint: publicKeyFingerprint(read.key) };
}

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = readPhoneNumberId(this, itemIndex, 'Phone Number');
	const source = this.getNodeParameter('publicKeySource', itemIndex, 'credential') as KeySource;
	const { pem, fingerprint } = await readPublicKey(this, itemIndex, source);
	const answer = await uploadBusinessPublicKey.call(this, phoneNumberId, pem, itemIndex);
	const json: IDataObject = {
		phoneNumberId,
		success: answer.success ?? true,
		source,
		publicKeySha256: fingerprint,
	};
	return [{ json }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Upload Public Key',
		value: 'uploadPublicKey',
		description:
			'Set the business public key of a phone number, which WhatsApp encrypts Flow requests with',
		action: 'Upload a flow public key',
	},
	properties: fields,
	execute,
};
