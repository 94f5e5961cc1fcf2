import { defineResource } from '../resource';
import * as block from './block.operation';
import * as getCallPermission from './getCallPermission.operation';
import * as listBlocked from './listBlocked.operation';
import * as unblock from './unblock.operation';

export const user = defineResource({
	name: 'User',
	value: 'user',
	defaultOperation: 'block',
	operations: [
		block.operation,
		getCallPermission.operation,
		listBlocked.operation,
		unblock.operation,
	],
});
