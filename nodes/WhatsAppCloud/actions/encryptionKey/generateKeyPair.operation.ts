import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIALS_NAME } from '../../helpers/constants';
import { BUSINESS_KEY_BITS, generateFlowKeyPair } from '../../helpers/flows/keys';
import type { ItemOperation } from '../node.type';

const PEM_MIME_TYPE = 'application/x-pem-file';

export const PRIVATE_KEY_WARNING =
	"Binary field privateKey holds the Flow private key: download it, paste it into the credential's Flow Private Key field, keep no other copy, and delete this execution (n8n keeps execution data, and with it this key).";

const fields: INodeProperties[] = [
	{
		displayName:
			"Run this once, for a number without a key. It outputs private.pem and public.pem as binary files: paste private.pem into the credential's Flow Private Key, upload the public key with Upload Public Key, then delete the execution, which holds the private key.",
		name: 'generateNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Encrypt Private Key',
		name: 'privateKeyEncryption',
		type: 'options',
		noDataExpression: true,
		default: 'none',
		options: [
			{
				name: 'No',
				value: 'none',
				description: 'A plain PEM private key ("BEGIN PRIVATE KEY")',
			},
			{
				name: "With the Credential's Passphrase",
				value: 'credentialPassphrase',
				description:
					'Encrypted with the Flow Private Key Passphrase of the credential (AES-256), so the file is useless without it',
			},
		],
	},
];

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const encryption = this.getNodeParameter('privateKeyEncryption', itemIndex, 'none') as string;
	let passphrase: string | undefined;
	if (encryption === 'credentialPassphrase') {
		const credentials = await this.getCredentials(CREDENTIALS_NAME, itemIndex);
		passphrase = String(credentials.flowPrivateKeyPassphrase ?? '');
		if (passphrase === '') {
			throw new NodeOperationError(
				this.getNode(),
				'The credential has no Flow Private Key Passphrase to encrypt the private key with',
				{
					itemIndex,
					description:
						'Set "Flow Private Key Passphrase" in the WhatsApp Cloud API credential, or set Encrypt Private Key to No.',
				},
			);
		}
	}
	const pair = await generateFlowKeyPair(passphrase);
	const privateKey = await this.helpers.prepareBinaryData(
		Buffer.from(pair.privateKeyPem, 'utf8'),
		'private.pem',
		PEM_MIME_TYPE,
	);
	const publicKey = await this.helpers.prepareBinaryData(
		Buffer.from(pair.publicKeyPem, 'utf8'),
		'public.pem',
		PEM_MIME_TYPE,
	);
	const json: IDataObject = {
		publicKeyPem: pair.publicKeyPem,
		publicKeySha256: pair.publicKeySha256,
		bits: BUSINESS_KEY_BITS,
		privateKeyEncrypted: pair.encrypted,
		warning: PRIVATE_KEY_WARNING,
	};
	return [{ json, binary: { privateKey, publicKey } }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Generate Key Pair',
		value: 'generateKeyPair',
		description:
			'Create a new 2048-bit RSA key pair for Flows, as private.pem and public.pem files',
		action: 'Generate a flow key pair',
	},
	properties: fields,
	execute,
};
