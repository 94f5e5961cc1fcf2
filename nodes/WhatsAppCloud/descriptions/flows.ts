import type { INodeProperties } from 'n8n-workflow';

/**
 * A WhatsApp Flow: picked from the business account's Flows, or given by ID. A plain string saved
 * by an earlier version of a node (before this was a picker) still reads as the ID.
 */
export const flowIdField: INodeProperties = {
	displayName: 'Flow',
	name: 'flowId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The WhatsApp Flow (WhatsApp Manager → Account tools → Flows)',
	// The list follows the node's Business Account field where the operation has one.
	typeOptions: { loadOptionsDependsOn: ['businessAccountId.value'] },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchFlows', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 1592000000007919',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A Flow ID has only digits' },
				},
			],
		},
	],
};
