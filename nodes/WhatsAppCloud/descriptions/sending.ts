import type { INodeProperties } from 'n8n-workflow';

export const MAX_MESSAGES_PER_SECOND = 1000;

/** The Sending Options collection of every message send. */
export const sendingOptions: INodeProperties = {
	displayName: 'Sending Options',
	name: 'sendingOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { resource: ['message'] } },
	options: [
		{
			displayName: 'Campaign Key',
			name: 'campaignKey',
			type: 'string',
			default: '',
			placeholder: 'spring-sale-2026',
			description:
				"Send each recipient at most once for this key: recipients Meta accepted a message for are recorded in n8n's database, and a re-run with the same key skips them (the output says how many). Leave empty to send every item.",
		},
		{
			displayName: 'Include Raw Response',
			name: 'includeRawResponse',
			type: 'boolean',
			default: false,
			description: "Whether to add Meta's unmodified Graph API response to each output item",
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 20 },
			default: 6,
			description:
				'How often one message is tried in all when Meta answers with a rate limit or a temporary error. Errors that retrying cannot fix fail at once.',
		},
		{
			displayName: 'Max Wait per Message (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 600,
			description:
				'The longest one message may spend waiting between retries before it fails with its last error',
		},
		{
			displayName: 'Messages per Second',
			name: 'messagesPerSecond',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_MESSAGES_PER_SECOND },
			default: 80,
			description:
				"The sender phone number's throughput: 80 by default at Meta, 1,000 after an upgrade, 20 for numbers also used in the WhatsApp Business app. Every execution in this n8n process shares it; it drops by itself when Meta answers 130429.",
		},
		{
			displayName: 'Retry Uncertain Failures (Risk of Duplicates)',
			name: 'retryUncertain',
			type: 'boolean',
			default: false,
			description:
				'Whether to retry when Meta may already have the message: the connection failed after the request was sent (timeout, reset), or the answer does not say (an HTTP 5xx without an error from Meta, codes 1, 2, 131000). Meta has no way to detect a repeat, so a retry can deliver it twice.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description: 'How long to wait for Meta to answer one request',
		},
	],
};
