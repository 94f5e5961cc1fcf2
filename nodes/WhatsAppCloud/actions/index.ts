import type { INodeProperties } from 'n8n-workflow';

import { businessProfile } from './businessProfile';
import { conversationalAutomation } from './conversationalAutomation';
import { encryptionKey } from './encryptionKey';
import { flow } from './flow';
import { media } from './media';
import { message } from './message';
import type { Operation } from './node.type';
import { phoneNumber } from './phoneNumber';
import { qrCode } from './qrCode';
import type { Resource } from './resource';
import { template } from './template';
import { user } from './user';

/** Every resource of the action node; each lists its operations in its own `index.ts`. */
const resources: Resource[] = [
	businessProfile,
	conversationalAutomation,
	encryptionKey,
	flow,
	media,
	message,
	phoneNumber,
	qrCode,
	template,
	user,
];

export const resourceSelector: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: resources.map((resource) => resource.option),
	default: 'message',
};

/** Each resource's Operation selector and its operations' fields. */
export const resourceProperties: INodeProperties[] = resources.flatMap(
	(resource) => resource.properties,
);

export function operationFor(resource: string, operation: string): Operation | undefined {
	return resources
		.find((candidate) => candidate.option.value === resource)
		?.operations.get(operation);
}
