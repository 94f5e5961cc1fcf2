import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { phoneNumberIdField } from '../../descriptions/common';
import { CREDENTIALS_NAME } from '../../helpers/constants';
import { attempt, loadFlowPrivateKey } from '../../helpers/flows/crypto';
import { publicKeyFingerprint } from '../../helpers/flows/keys';
import { getBusinessPublicKey } from '../../transport/flows';
import type { ItemOperation } from '../node.type';
import { readPhoneNumberId } from '../parameters';
import { createPublicKey } from 'crypto';

const fields: INodeProperties[] = [
	{
		...phoneNumberIdField,
		displayName: 'Phone Number',
		description: 'The business phone number whose business public key to get',
	},
];

/** The fingerprint of the credential's Flow private key's public half; undefined when unusable. */
function credentialKeyFingerprint(
	flowPrivateKey: unknown,
	passphrase: unknown,
): string | undefined {
	const loaded = attempt(() =>
		loadFlowPrivateKey(String(flowPrivateKey ?? ''), String(passphrase ?? '') || undefined),
	);
	return loaded.ok ? publicKeyFingerprint(createPublicKey(loaded.value)) : undefined;
}

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = readPhoneNumberId(this, itemIndex, 'Phone Number');
	const key = await getBusinessPublicKey.call(this, phoneNumberId, itemIndex);
	const credentials = await this.getCredentials(CREDENTIALS_NAME, itemIndex);
	const mine = credentialKeyFingerprint(
		credentials.flowPrivateKey,
		credentials.flowPrivateKeyPassphrase,
	);
	if (!key) {
		return [
			{
				json: {
					phoneNumberId,
					uploaded: false,
					matchesCredentialKey: mine === undefined ? null : false,
				},
			},
		];
	}
	const uploaded = attempt(() => createPublicKey(key.business_public_key));
	const fingerprint = uploaded.ok ? publicKeyFingerprint(uploaded.value) : null;
	const json: IDataObject = {
		phoneNumberId,
		uploaded: true,
		businessPublicKey: key.business_public_key,
		signatureStatus: key.business_public_key_signature_status ?? null,
		publicKeySha256: fingerprint,
		matchesCredentialKey: mine === undefined ? null : mine === fingerprint,
	};
	return [{ json }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Get',
		value: 'get',
		description:
			"Get a phone number's business public key, and whether it belongs to the credential's Flow Private Key",
		action: 'Get a flow public key',
	},
	properties: fields,
	execute,
};
