/** The fields of Send and Wait's Free Text and Custom Form response types. */
import type { INodePropertyOptions, INodeProperties } from 'n8n-workflow';

import { businessAccountField } from '../../../descriptions/common';
import { FORM_LIMITS } from '../../../helpers/sendAndWait/form';

export const FORM_RESPONSE_TYPES = ['freeText', 'customForm'];

/** The two response types, as options of Response Type. */
export const formResponseTypeOptions: INodePropertyOptions[] = [
	{
		name: 'Free Text',
		value: 'freeText',
		description: 'The customer types an answer in a form inside WhatsApp (a WhatsApp Flow)',
	},
	{
		name: 'Custom Form',
		value: 'customForm',
		description: 'The customer fills in the fields you define, in a form inside WhatsApp',
	},
];

export const FORM_DELIVERY_FLOW = 'whatsAppFlow';
export const FORM_DELIVERY_LINK = 'formLink';
export const DEFAULT_FORM_BUTTON_LABEL = 'Respond';

const forForms = { show: { responseType: FORM_RESPONSE_TYPES } };

const optionValues: INodeProperties = {
	displayName: 'Options',
	name: 'fieldOptions',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add option',
	default: { values: [{ option: '' }] },
	displayOptions: { show: { fieldType: ['dropdown', 'radio', 'checkbox'] } },
	description: `Dropdown: up to ${FORM_LIMITS.dropdownOptions}; radio buttons and checkboxes: up to ${FORM_LIMITS.checkboxOptions}; each up to ${FORM_LIMITS.optionTitle} characters`,
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [{ displayName: 'Option', name: 'option', type: 'string', default: '' }],
		},
	],
};

export const formProperties: INodeProperties[] = [
	{
		displayName: 'Form Delivery',
		name: 'formDelivery',
		type: 'options',
		noDataExpression: true,
		displayOptions: forForms,
		options: [
			{
				name: 'WhatsApp Flow (Inside the Chat)',
				value: FORM_DELIVERY_FLOW,
				description:
					'The node publishes a WhatsApp Flow for the form in the business account (reused while the form is unchanged) and sends it; the answer comes back through the trigger',
			},
			{
				name: 'Form Link in the Message',
				value: FORM_DELIVERY_LINK,
				description:
					"The message carries a link to n8n's form page, as n8n's own WhatsApp node does; for accounts that cannot publish Flows",
			},
		],
		default: FORM_DELIVERY_FLOW,
	},
	{
		displayName:
			'The link opens a page of this n8n instance (its webhook URL must be reachable by the customer). Anyone holding the link can answer: it is not bound to the recipient like the Flow is.',
		name: 'formLinkNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...forForms.show, formDelivery: [FORM_DELIVERY_LINK] } },
	},
	{
		...businessAccountField,
		description:
			"The WhatsApp Business Account the form's Flow is published in (the phone number's account). Leave empty to use the credential's WhatsApp Business Account ID.",
		displayOptions: { show: { ...forForms.show, formDelivery: [FORM_DELIVERY_FLOW] } },
	},
	{
		displayName: 'Form Fields',
		name: 'formFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add form field',
		default: {},
		displayOptions: { show: { responseType: ['customForm'] } },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Element Type',
						name: 'fieldType',
						type: 'options',
						default: 'text',
						options: [
							{ name: 'Checkboxes', value: 'checkbox' },
							{ name: 'Date', value: 'date' },
							{ name: 'Dropdown', value: 'dropdown' },
							{ name: 'Email', value: 'email' },
							{ name: 'Number', value: 'number' },
							{ name: 'Password', value: 'password' },
							{ name: 'Phone', value: 'phone' },
							{ name: 'Radio Buttons', value: 'radio' },
							{ name: 'Text Input', value: 'text' },
							{ name: 'Textarea', value: 'textarea' },
						],
					},
					{
						displayName: 'Field Label',
						name: 'fieldLabel',
						type: 'string',
						default: '',
						placeholder: 'e.g. Delivery date',
						required: true,
						description: `What the customer sees: up to ${FORM_LIMITS.textInputLabel} characters for text, number, email, phone, password, long text and dropdown fields, ${FORM_LIMITS.checkboxLabel} for checkboxes and radio buttons, ${FORM_LIMITS.datePickerLabel} for dates`,
					},
					{
						displayName: 'Field Name',
						name: 'fieldName',
						type: 'string',
						default: '',
						placeholder: 'e.g. deliveryDate',
						description: "The value's key in the output; the label when empty",
					},
					{
						displayName: 'Helper Text',
						name: 'helperText',
						type: 'string',
						default: '',
						description: `Small text under the field, up to ${FORM_LIMITS.helperText} characters`,
					},
					{
						displayName: 'Max Selections',
						name: 'maxSelections',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0 },
						displayOptions: { show: { fieldType: ['checkbox'] } },
						description: 'How many boxes may be ticked at most (0: no maximum)',
					},
					{
						displayName: 'Min Selections',
						name: 'minSelections',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0 },
						displayOptions: { show: { fieldType: ['checkbox'] } },
						description: 'How many boxes must be ticked at least (0: no minimum)',
					},
					optionValues,
					{
						displayName: 'Required Field',
						name: 'requiredField',
						type: 'boolean',
						default: false,
						description: 'Whether the customer must fill in this field to send the form',
					},
				],
			},
		],
	},
	{
		displayName: 'Form Options',
		name: 'formOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: forForms,
		options: [
			{
				displayName: 'Message Button Label',
				name: 'messageButtonLabel',
				type: 'string',
				default: DEFAULT_FORM_BUTTON_LABEL,
				description: `The button that opens the form, up to ${FORM_LIMITS.flowCta} characters, no emoji`,
			},
			{
				displayName: 'Response Form Title',
				name: 'responseFormTitle',
				type: 'string',
				default: '',
				description: `The title of the form, up to ${FORM_LIMITS.screenTitle} characters (default: "Your answer")`,
			},
			{
				displayName: 'Response Form Description',
				name: 'responseFormDescription',
				type: 'string',
				default: '',
				description: 'Text above the fields (default: the message)',
			},
			{
				displayName: 'Response Form Button Label',
				name: 'responseFormButtonLabel',
				type: 'string',
				default: 'Submit',
				description: `The button that sends the form, up to ${FORM_LIMITS.footerLabel} characters`,
			},
		],
	},
];
