import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	DEFAULT_GRAPH_API_VERSION,
	DEFAULT_GRAPH_BASE_URL,
} from '../nodes/WhatsAppCloud/helpers/constants';

export class WhatsAppCloudApi implements ICredentialType {
	name = 'whatsAppCloudApi';

	displayName = 'WhatsApp Cloud API';

	icon: Icon = {
		light: 'file:../nodes/WhatsAppCloud/whatsAppCloud.svg',
		dark: 'file:../nodes/WhatsAppCloud/whatsAppCloud.dark.svg',
	};

	documentationUrl = 'https://developers.facebook.com/docs/whatsapp/cloud-api/get-started';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Permanent system-user token with the whatsapp_business_messaging and whatsapp_business_management permissions (Business Settings → System users → Generate new token)',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'App Dashboard → App settings → Basic → App secret. The trigger uses it to verify the X-Hub-Signature-256 of every webhook; it never leaves n8n.',
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			description:
				'App Dashboard → App settings → Basic → App ID. Needed only to register the trigger webhook automatically.',
		},
		{
			displayName: 'WhatsApp Business Account ID',
			name: 'businessAccountId',
			type: 'string',
			default: '',
			description:
				'WhatsApp Manager → Account tools → Phone numbers, or App Dashboard → WhatsApp → API Setup. Needed for templates, the phone number list and automatic webhook registration.',
		},
		{
			displayName: 'Verify Token',
			name: 'verifyToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Any string you choose; Meta sends it back when it verifies the webhook URL. Type the same value into the App Dashboard (manual registration).',
		},
		{
			displayName: 'Flow Private Key',
			name: 'flowPrivateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			placeholder: '-----BEGIN PRIVATE KEY-----…',
			description:
				'PEM private key (RSA, 2048-bit) whose public half is uploaded as the business public key of your numbers. The Flow Trigger decrypts Flow endpoint requests with it; it never leaves n8n. Needed only for WhatsApp Flows with an endpoint.',
		},
		{
			displayName: 'Flow Private Key Passphrase',
			name: 'flowPrivateKeyPassphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only if the Flow Private Key is encrypted (BEGIN ENCRYPTED PRIVATE KEY or Proc-Type: 4,ENCRYPTED)',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: DEFAULT_GRAPH_API_VERSION,
			placeholder: DEFAULT_GRAPH_API_VERSION,
			description: 'Graph API version used for every call, e.g. v25.0 or v26.0',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_GRAPH_BASE_URL,
			description:
				'Graph API host. Change only to go through a proxy or to try workflows against the local emulator.',
		},
	];

	/**
	 * A function rather than a `={{ }}` template: n8n applies it to every request, and evaluating an
	 * expression costs milliseconds of CPU per message in a broadcast.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.accessToken)}`,
			},
		};
	}

	/**
	 * n8n reports a failed test request by its HTTP status text only ("Unauthorized"). Taking Meta's
	 * error body as the answer instead lets the rules name Meta's error and what to do about it.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}/{{$credentials.apiVersion}}',
			url: '/me',
			qs: { fields: 'id,name' },
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.code',
					value: 190,
					message:
						'Meta: "Invalid OAuth access token" (error 190) — the access token is invalid or expired. Create a permanent system-user token.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.code',
					value: 0,
					message:
						'Meta: "AuthException" (error 0) — the access token was revoked or its session ended. Create a new system-user token.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.code',
					value: 10,
					message:
						'Meta: "Permission denied" (error 10) — give the system user whatsapp_business_messaging and whatsapp_business_management.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.code',
					value: 100,
					message:
						'Meta: "Invalid parameter" (error 100) — check the API Version (e.g. v26.0) and the Base URL.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.type',
					value: 'OAuthException',
					message:
						'Meta rejected the access token (OAuthException): check the token and its permissions.',
				},
			},
		],
	};
}
