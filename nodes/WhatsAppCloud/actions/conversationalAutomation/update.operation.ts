import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import {
	COMMAND_DESCRIPTION_MAX,
	COMMAND_NAME_MAX,
	COMMANDS_MAX,
	ICE_BREAKER_MAX,
	ICE_BREAKERS_MAX,
	automationUpdateFromFields,
	buildConversationalAutomationUpdate,
} from '../../helpers/account/automation';
import { updateConversationalAutomation } from '../../transport/account';
import { forItem } from '../errors';
import type { ItemOperation } from '../node.type';
import { readPhoneNumberId } from '../parameters';
import { businessNumberField } from '../user/fields';

const fields: INodeProperties[] = [
	businessNumberField('The business phone number whose automation to change'),
	{
		displayName: 'Update Fields',
		name: 'automationUpdate',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'Only the fields added here change; Ice Breakers or Commands added without entries remove them all',
		options: [
			{
				displayName: 'Commands',
				name: 'commands',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Command',
				default: {},
				description: `Up to ${COMMANDS_MAX} commands users type after "/"; they replace the current ones`,
				options: [
					{
						displayName: 'Command',
						name: 'command',
						values: [
							{
								displayName: 'Description',
								name: 'description',
								type: 'string',
								default: '',
								placeholder: 'e.g. Book flight tickets',
								description: `What the command does, 1 to ${COMMAND_DESCRIPTION_MAX} characters, no emoji`,
							},
							{
								displayName: 'Name',
								name: 'name',
								type: 'string',
								default: '',
								placeholder: 'e.g. tickets',
								description: `One word without "/", 1 to ${COMMAND_NAME_MAX} characters, no emoji`,
							},
						],
					},
				],
			},
			{
				displayName: 'Ice Breakers',
				name: 'iceBreakers',
				type: 'string',
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Ice Breaker' },
				default: [],
				placeholder: 'e.g. What are your opening hours?',
				description: `Up to ${ICE_BREAKERS_MAX} questions a user can tap to start a chat, each 1 to ${ICE_BREAKER_MAX} characters, no emoji; they replace the current ones`,
			},
			{
				displayName: 'Welcome Message',
				name: 'enableWelcomeMessage',
				type: 'boolean',
				default: true,
				description:
					'Whether a user opening a chat for the first time triggers a request_welcome message at the trigger',
			},
		],
	},
];

async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneNumberId = readPhoneNumberId(this, itemIndex, 'Phone Number');
	const given = this.getNodeParameter('automationUpdate', itemIndex, {});
	const input = automationUpdateFromFields(given);
	const update = forItem(this, itemIndex, () => buildConversationalAutomationUpdate(input));
	const success = await updateConversationalAutomation.call(this, phoneNumberId, update, itemIndex);
	return [{ json: { success, phoneNumberId, changes: update as IDataObject } }];
}

export const operation: ItemOperation = {
	kind: 'item',
	option: {
		name: 'Update',
		value: 'update',
		description: 'Turn the welcome message on or off and set the ice breakers and commands',
		action: 'Update the conversational automation',
	},
	properties: fields,
	execute,
};
