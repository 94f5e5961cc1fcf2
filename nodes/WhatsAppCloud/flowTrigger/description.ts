import type { INodeProperties } from 'n8n-workflow';

import { flowIdField } from '../descriptions/flows';

/** The Flow Trigger's `options` collection, as n8n hands it to the webhook. */
export interface FlowTriggerOptions {
	runOnErrorNotifications?: boolean;
}

export const flowTriggerProperties: INodeProperties[] = [
	{
		displayName:
			"Set this node's Production URL as the Flow's endpoint URI (WhatsApp Manager → Flows, or the Flow → Create / Update operations), upload the public key of the credential's Flow Private Key for your number, and end the workflow with WhatsApp Cloud API → Flow → Respond. The trigger answers Meta's health checks itself.",
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Endpoint Registration',
		name: 'registration',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Manual',
				value: 'manual',
				description:
					"You set this node's URL as the Flow's endpoint URI in WhatsApp Manager or with Flow → Update",
			},
			{
				name: "Set the Flow's Endpoint URI",
				value: 'flowEndpoint',
				description:
					'On activation, point the endpoint URI of the Flow below at this node (draft Flows: Meta does not change published ones)',
			},
		],
		default: 'manual',
	},
	{
		...flowIdField,
		required: false,
		description:
			'The Flow whose endpoint this is. Requests do not name their Flow, so here it labels the items (flowId); leave empty when several Flows share the endpoint.',
		displayOptions: { show: { registration: ['manual'] } },
	},
	{
		...flowIdField,
		description: 'The Flow whose endpoint URI is set to this node on activation',
		displayOptions: { show: { registration: ['flowEndpoint'] } },
	},
	{
		displayName: 'Signature Check',
		name: 'signatures',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Required',
				value: 'required',
				description:
					"Refuse requests without a valid X-Hub-Signature-256 (Meta signs when a Meta app is linked to the Flow). Needs the credential's App Secret.",
			},
			{
				name: 'When Present',
				value: 'ifPresent',
				description:
					'Check the signature when Meta sends one, accept unsigned requests. Anyone who has the public key can then call the endpoint.',
			},
		],
		default: 'required',
		description: 'Requests that fail the check are answered 432 and start nothing',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Run on Error Notifications',
				name: 'runOnErrorNotifications',
				type: 'boolean',
				default: true,
				description:
					'Whether to start the workflow when the WhatsApp client reports an error the endpoint caused (the trigger acknowledges it either way; the item has errorNotice)',
			},
		],
	},
];
