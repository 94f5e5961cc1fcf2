import { defineResource } from '../resource';
import * as generateKeyPair from './generateKeyPair.operation';
import * as get from './get.operation';
import * as uploadPublicKey from './uploadPublicKey.operation';

/** The business key pair of WhatsApp Flows with an endpoint, per phone number. */
export const encryptionKey = defineResource({
	name: 'Flow Encryption Key',
	value: 'encryptionKey',
	defaultOperation: 'get',
	operations: [generateKeyPair.operation, get.operation, uploadPublicKey.operation],
});
