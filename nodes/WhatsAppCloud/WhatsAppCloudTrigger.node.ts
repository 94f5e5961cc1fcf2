import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { CREDENTIALS_NAME } from './helpers/constants';
import { parseGraphError } from './helpers/graphError';
import { defaultMediaFileName } from './helpers/media';
import type { WebhookItem, WebhookMessageItem } from './helpers/types/webhook';
import { MESSAGE_TYPES, STATUS_VALUES, WEBHOOK_FIELDS } from './helpers/types/webhook';
import { clearDedupeStore, dedupeStoreFor, dropDuplicates } from './helpers/webhook/dedupe';
import type { EventFilter, EventKind } from './helpers/webhook/filter';
import { filterItems, OTHER, parseIdList } from './helpers/webhook/filter';
import { parseWebhookBody } from './helpers/webhook/parse';
import { constantTimeEquals, SIGNATURE_HEADER, verifySignature } from './helpers/webhook/signature';
import {
	appAccessToken,
	appSubscriptionPointsAt,
	wabaHasApp,
	WHATSAPP_OBJECT,
	whatsAppSubscription,
} from './helpers/webhook/registration';
import type { GraphCall } from './transport/graph';
import { graphApiError, graphCall, graphRequest } from './transport/graph';
import { downloadMedia } from './transport/media';

/** The express surface this node uses (n8n passes express objects; express types are not a dependency). */
interface WebhookRequest {
	method?: string;
	url?: string;
	originalUrl?: string;
	query?: Record<string, unknown>;
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
}

interface WebhookResponse {
	status(code: number): WebhookResponse;
	type(contentType: string): WebhookResponse;
	send(body?: unknown): WebhookResponse;
	end(): void;
}

interface TriggerOptions {
	businessAccountIds?: string;
	dedupeWindowMinutes?: number;
	downloadMedia?: boolean;
	binaryPropertyName?: string;
	fields?: string[];
	includePayload?: boolean;
	messageTypes?: string[];
	phoneNumberIds?: string;
	statuses?: string[];
}

const DEFAULT_DEDUPE_WINDOW_MINUTES = 10;

const titleCase = (value: string) =>
	value
		.split('_')
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');

const MESSAGE_TYPE_NAMES: Partial<Record<string, string>> = {
	button: 'Template Button Reply',
	interactive: 'Interactive Reply (Buttons, Lists, Flows)',
	request_welcome: 'Request Welcome (First Contact)',
	unknown: 'Unknown (Legacy Unsupported)',
};

const MESSAGE_TYPE_OPTIONS = [
	...MESSAGE_TYPES.map((type) => ({
		name: MESSAGE_TYPE_NAMES[type] ?? titleCase(type),
		value: type,
	})),
	{ name: 'Other (Types Not Known Yet)', value: OTHER },
].sort((a, b) => a.name.localeCompare(b.name));

const OTHER_FIELD_OPTIONS = [
	...WEBHOOK_FIELDS.filter((field) => field !== 'messages').map((field) => ({
		name: titleCase(field),
		value: field,
	})),
	{ name: 'Other (Fields Not Known Yet)', value: OTHER },
].sort((a, b) => a.name.localeCompare(b.name));

const SUBSCRIBE_FIELD_OPTIONS = WEBHOOK_FIELDS.map((field) => ({
	name: titleCase(field),
	value: field,
})).sort((a, b) => a.name.localeCompare(b.name));

export class WhatsAppCloudTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Cloud API Trigger',
		name: 'whatsAppCloudTrigger',
		icon: { light: 'file:whatsAppCloud.svg', dark: 'file:whatsAppCloud.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{$parameter["registration"] === "manual" ? "Manual registration" : "Automatic registration"}}',
		description:
			'Starts the workflow on WhatsApp Cloud API webhooks: messages, statuses, errors and account events, signature-verified and de-duplicated',
		defaults: { name: 'WhatsApp Cloud API Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIALS_NAME, required: true }],
		webhooks: [
			// Same path for both: Meta verifies the URL with GET and delivers events with POST.
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName: 'Registration',
				name: 'registration',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Automatic',
						value: 'automatic',
						description:
							"On activation, point the Meta app's WhatsApp webhook at this node and subscribe the business account (needs App ID, App Secret and Business Account ID in the credential)",
					},
					{
						name: 'Manual',
						value: 'manual',
						description: "You paste this node's URL and the verify token into Meta's App Dashboard",
					},
				],
				default: 'automatic',
			},
			{
				displayName:
					"A Meta app has one webhook URL for WhatsApp: activating this trigger points the app's webhook here. If it already points at another URL, activation stops with an error unless 'Replace Existing Webhook' is on. Deactivating removes only a webhook that points here.",
				name: 'automaticNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['automatic'] } },
			},
			{
				displayName:
					"In the App Dashboard → WhatsApp → Configuration, set Callback URL to this node's Production URL (Webhook URLs above) and Verify Token to the credential's Verify Token, then subscribe to the Messages field (and any other fields you want). The credential's App Secret is still required: every POST is verified with it.",
				name: 'manualNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['manual'] } },
			},
			{
				displayName: 'Subscribe to Fields',
				name: 'subscribeFields',
				type: 'multiOptions',
				options: SUBSCRIBE_FIELD_OPTIONS,
				default: ['messages'],
				description:
					"Webhook fields the app subscribes to on activation. Messages carries inbound messages, statuses and errors; the others need the app's permission for them.",
				displayOptions: { show: { registration: ['automatic'] } },
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{
						name: 'Errors',
						value: 'error',
						description: 'Asynchronous errors Meta reports without a message or status',
					},
					{
						name: 'Messages',
						value: 'message',
						description: 'Inbound user messages of every type',
					},
					{
						name: 'Other Fields',
						value: 'field',
						description: 'Template, account, quality, user preference and other field updates',
					},
					{
						name: 'Statuses',
						value: 'status',
						description: 'Sent, delivered, read, played and failed receipts of your messages',
					},
				],
				default: ['error', 'message', 'field', 'status'],
				description: 'Which events start the workflow; each event becomes one item',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Business Account IDs',
						name: 'businessAccountIds',
						type: 'string',
						default: '',
						placeholder: '102290129340398, 109876543210123',
						description:
							'Only events of these WhatsApp Business Account IDs (comma-separated). Empty: all.',
					},
					{
						displayName: 'De-Duplication Window (Minutes)',
						name: 'dedupeWindowMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_DEDUPE_WINDOW_MINUTES,
						description:
							'Meta may deliver the same message or status more than once; repeats within this window are dropped. 0 turns it off.',
					},
					{
						displayName: 'Download Media',
						name: 'downloadMedia',
						type: 'boolean',
						default: false,
						description:
							'Whether to download the media of image, video, audio, document and sticker messages into binary data (checked against its SHA-256)',
					},
					{
						displayName: 'Include Full Payload',
						name: 'includePayload',
						type: 'boolean',
						default: false,
						description:
							'Whether to add the whole webhook body, as Meta sent it, to every item under "payload" (each item always carries its own raw event)',
					},
					{
						displayName: 'Media Binary Property',
						name: 'binaryPropertyName',
						type: 'string',
						default: 'data',
						description: 'Binary property that receives downloaded media',
					},
					{
						displayName: 'Message Types',
						name: 'messageTypes',
						type: 'multiOptions',
						options: MESSAGE_TYPE_OPTIONS,
						default: [],
						description: 'Only messages of these types. Empty: all types.',
					},
					{
						displayName: 'Other Fields',
						name: 'fields',
						type: 'multiOptions',
						options: OTHER_FIELD_OPTIONS,
						default: [],
						description: 'Only these non-message fields. Empty: all fields.',
					},
					{
						displayName: 'Phone Number IDs',
						name: 'phoneNumberIds',
						type: 'string',
						default: '',
						placeholder: '106540352242922, 113269274970227',
						description:
							'Only events received by these phone number IDs (comma-separated); events without a phone number (templates, account) still pass. Empty: all.',
					},
					{
						displayName: 'Replace Existing Webhook',
						name: 'replaceExistingSubscription',
						type: 'boolean',
						default: false,
						description:
							"Whether automatic registration may take over the app's webhook when it points at another URL; the previous URL is restored on deactivation",
					},
					{
						displayName: 'Statuses',
						name: 'statuses',
						type: 'multiOptions',
						options: STATUS_VALUES.map((status) => ({ name: titleCase(status), value: status })),
						default: [],
						description: 'Only these status values. Empty: all statuses.',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const config = await readRegistrationConfig.call(this);
				if (config.mode === 'manual') return false; // create() validates the credential
				const subscription = whatsAppSubscription(await listAppSubscriptions.call(this, config));
				if (!appSubscriptionPointsAt(subscription, config.webhookUrl, config.fields)) return false;
				return await isAppSubscribedToWaba.call(this, config);
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const config = await readRegistrationConfig.call(this);
				if (config.mode === 'manual') return true;
				const staticData = this.getWorkflowStaticData('node');
				const current = whatsAppSubscription(await listAppSubscriptions.call(this, config));
				const pointsElsewhere =
					current?.active !== false &&
					typeof current?.callback_url === 'string' &&
					current.callback_url !== '' &&
					current.callback_url !== config.webhookUrl;
				if (pointsElsewhere && !config.replaceExisting) {
					throw new NodeOperationError(
						this.getNode(),
						`The Meta app ${config.appId} already sends its WhatsApp webhooks to another URL`,
						{
							description: `It points at ${current.callback_url}. A Meta app has one WhatsApp webhook URL, so only one trigger per app can receive events: deactivate the other workflow, use another app, or turn on "Replace Existing Webhook".`,
						},
					);
				}
				// Re-creating over our own subscription (e.g. fields changed) keeps what we saved before.
				const alreadyOurs = current?.callback_url === config.webhookUrl;
				if (!alreadyOurs) delete staticData.previousSubscription;
				if (pointsElsewhere && current) {
					staticData.previousSubscription = {
						callbackUrl: current.callback_url,
						fields: (current.fields ?? []).map((field) => field.name),
					};
				}
				await subscribeApp.call(this, config, config.webhookUrl, config.fields);
				if (!(await isAppSubscribedToWaba.call(this, config))) {
					await subscribeAppToWaba.call(this, config);
					staticData.subscribedWaba = config.wabaId;
				}
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				clearDedupeStore(dedupeScope(this.getWorkflow().id, this.getNode()));
				const config = await readRegistrationConfig.call(this, { forDelete: true });
				if (config.mode === 'manual') return true;
				const staticData = this.getWorkflowStaticData('node');
				const current = whatsAppSubscription(await listAppSubscriptions.call(this, config));
				// Never touch a webhook that points at another workflow or server.
				if (current?.callback_url !== config.webhookUrl) return true;
				const previous = staticData.previousSubscription as
					{ callbackUrl: string; fields: string[] } | undefined;
				if (previous) {
					await subscribeApp.call(this, config, previous.callbackUrl, previous.fields);
				} else {
					await deleteAppSubscription.call(this, config);
					if (staticData.subscribedWaba === config.wabaId) {
						await unsubscribeAppFromWaba.call(this, config);
					}
				}
				delete staticData.previousSubscription;
				delete staticData.subscribedWaba;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject() as unknown as WebhookRequest;
		const res = this.getResponseObject() as unknown as WebhookResponse;
		const credentials = await this.getCredentials(CREDENTIALS_NAME);
		const method = (
			req.method ?? (this.getWebhookName() === 'setup' ? 'GET' : 'POST')
		).toUpperCase();

		if (method === 'GET') {
			const query = rawQuery(req);
			const verifyToken = String(credentials.verifyToken ?? '');
			const accepted =
				query.get('hub.mode') === 'subscribe' &&
				verifyToken !== '' &&
				constantTimeEquals(query.get('hub.verify_token') ?? '', verifyToken) &&
				query.has('hub.challenge');
			if (accepted) {
				res
					.status(200)
					.type('text/plain')
					.send(query.get('hub.challenge') ?? '');
			} else {
				res.status(403).type('text/plain').send('Forbidden');
			}
			return { noWebhookResponse: true };
		}

		const appSecret = String(credentials.appSecret ?? '');
		if (appSecret === '') {
			// Never accept unsigned events: n8n answers 500, so Meta keeps retrying until this is fixed.
			throw new NodeOperationError(
				this.getNode(),
				'The WhatsApp Cloud API credential has no App Secret, so webhook signatures cannot be verified',
				{
					description:
						'Copy the App Secret from App Dashboard → App settings → Basic into the credential. Meta retries the rejected events for up to 7 days.',
				},
			);
		}
		if (req.rawBody === undefined && typeof req.readRawBody === 'function') await req.readRawBody();
		const rawBody = req.rawBody ?? Buffer.alloc(0);
		const headers = this.getHeaderData() as Record<string, unknown>;
		const signature = verifySignature(rawBody, headers[SIGNATURE_HEADER], appSecret);
		if (!signature.valid) {
			res.status(401).type('text/plain').send('Invalid X-Hub-Signature-256');
			return { noWebhookResponse: true };
		}

		const parsed = parseWebhookBody(rawBody);
		if (!parsed.ok) return {}; // signed but not a WhatsApp payload: 200, nothing to run

		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const filter: EventFilter = {
			kinds: this.getNodeParameter('events', []) as EventKind[],
			messageTypes: options.messageTypes,
			statuses: options.statuses,
			fields: options.fields,
			phoneNumberIds: parseIdList(options.phoneNumberIds),
			wabaIds: parseIdList(options.businessAccountIds),
		};
		const windowMs = (options.dedupeWindowMinutes ?? DEFAULT_DEDUPE_WINDOW_MINUTES) * 60_000;
		const store = dedupeStoreFor(dedupeScope(this.getWorkflow().id, this.getNode()));
		const items = dropDuplicates(filterItems(parsed.items, filter), store, windowMs);
		if (items.length === 0) return {};

		const payload = options.includePayload
			? (JSON.parse(rawBody.toString('utf8')) as IDataObject)
			: undefined;
		const executionItems: INodeExecutionData[] = items.map((item) => ({
			json: (payload ? { ...item, payload } : item) as unknown as IDataObject,
		}));

		if (!options.downloadMedia || !items.some(hasMedia)) return { workflowData: [executionItems] };

		// Downloads take seconds; Meta wants its 200 fast, so answer first and then fetch.
		res.status(200).type('text/plain').send('EVENT_RECEIVED');
		const property = options.binaryPropertyName || 'data';
		for (const [index, item] of items.entries()) {
			if (!hasMedia(item)) continue;
			const target = executionItems[index];
			try {
				const media = await downloadMedia.call(
					this as unknown as IExecuteFunctions,
					item.media.id,
					index,
					item.phoneNumberId,
				);
				const fileName = item.media.filename || defaultMediaFileName(item.media.id, media.mimeType);
				target.binary = {
					[property]: await this.helpers.prepareBinaryData(media.data, fileName, media.mimeType),
				};
			} catch (error) {
				// The event already got its 200: keep it, and say why its media is missing.
				target.json.mediaError = (error as Error).message;
			}
		}
		return { noWebhookResponse: true, workflowData: [executionItems] };
	}
}

function hasMedia(item: WebhookItem): item is WebhookMessageItem & {
	media: NonNullable<WebhookMessageItem['media']>;
} {
	return item.event === 'message' && (item as WebhookMessageItem).media?.id !== undefined;
}

/** One store per webhook: the webhook ID is what Meta's deliveries are addressed to. */
function dedupeScope(workflowId: string | undefined, node: INode): string {
	return `${workflowId ?? ''}:${node.webhookId ?? node.id}`;
}

/** The query string as sent: parameter names keep their dots (`hub.mode`). */
function rawQuery(req: WebhookRequest): URLSearchParams {
	const url = req.originalUrl ?? req.url ?? '';
	const queryStart = url.indexOf('?');
	if (queryStart >= 0) return new URLSearchParams(url.slice(queryStart + 1));
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(req.query ?? {})) {
		if (typeof value === 'string') params.set(key, value);
	}
	return params;
}

// ---------------------------------------------------------------------------------------------
// Automatic registration: Graph calls through the transport
// ---------------------------------------------------------------------------------------------

type RegistrationConfig =
	| { mode: 'manual' }
	| {
			mode: 'automatic';
			webhookUrl: string;
			appId: string;
			/** `{app-id}|{app-secret}`, for the app subscriptions edge only. */
			appToken: string;
			wabaId: string;
			verifyToken: string;
			fields: string[];
			replaceExisting: boolean;
	  };

type AutomaticConfig = Extract<RegistrationConfig, { mode: 'automatic' }>;

/**
 * Reads and checks what registration needs. On activation a missing value is an error in the node;
 * on deactivation it only means there is nothing this trigger can have registered.
 */
async function readRegistrationConfig(
	this: IHookFunctions,
	{ forDelete = false } = {},
): Promise<RegistrationConfig> {
	const credentials = await this.getCredentials(CREDENTIALS_NAME);
	const text = (key: string) => String(credentials[key] ?? '').trim();
	const appSecret = String(credentials.appSecret ?? '');
	if (!forDelete && appSecret === '') {
		throw new NodeOperationError(
			this.getNode(),
			'The WhatsApp Cloud API credential has no App Secret',
			{
				description:
					'The trigger verifies the X-Hub-Signature-256 of every webhook with it and rejects events it cannot verify. Copy it from App Dashboard → App settings → Basic.',
			},
		);
	}
	if (this.getNodeParameter('registration', 'automatic') === 'manual') return { mode: 'manual' };

	const missing = [
		['App ID', text('appId')],
		['App Secret', appSecret],
		['WhatsApp Business Account ID', text('businessAccountId')],
		['Verify Token', text('verifyToken')],
	]
		.filter(([, value]) => value === '')
		.map(([name]) => name);
	if (missing.length > 0) {
		if (forDelete) return { mode: 'manual' };
		throw new NodeOperationError(
			this.getNode(),
			`Automatic registration needs ${missing.join(', ')} in the credential`,
			{
				description:
					'Fill them in, or set Registration to Manual and register the URL in the App Dashboard.',
			},
		);
	}
	const fields = this.getNodeParameter('subscribeFields', ['messages']) as string[];
	const options = this.getNodeParameter('options', {}) as { replaceExistingSubscription?: boolean };
	return {
		mode: 'automatic',
		webhookUrl: this.getNodeWebhookUrl('default') ?? '',
		appId: text('appId'),
		appToken: appAccessToken(text('appId'), appSecret),
		wabaId: text('businessAccountId'),
		verifyToken: text('verifyToken'),
		fields: fields.length > 0 ? fields : ['messages'],
		replaceExisting: options.replaceExistingSubscription === true,
	};
}

/** `GET /{app-id}/subscriptions` with the app token (the edge rejects user and system-user tokens). */
async function listAppSubscriptions(
	this: IHookFunctions,
	config: AutomaticConfig,
): Promise<unknown> {
	return await graphRequest.call(this, {
		method: 'GET',
		path: `/${encodeURIComponent(config.appId)}/subscriptions`,
		qs: { access_token: config.appToken },
	});
}

/** Graph's code when its GET handshake against the callback URL fails. */
const CALLBACK_VERIFICATION_FAILED = 2200;

/** `POST /{app-id}/subscriptions`: Meta runs the GET handshake against `callbackUrl` before answering. */
async function subscribeApp(
	this: IHookFunctions,
	config: AutomaticConfig,
	callbackUrl: string,
	fields: string[],
): Promise<void> {
	const call: GraphCall = {
		method: 'POST',
		path: `/${encodeURIComponent(config.appId)}/subscriptions`,
		qs: { access_token: config.appToken },
		body: {
			object: WHATSAPP_OBJECT,
			callback_url: callbackUrl,
			verify_token: config.verifyToken,
			fields: fields.join(','),
			include_values: true,
		},
	};
	const outcome = await graphCall.call(this, call);
	if (outcome.kind === 'network') {
		throw new NodeApiError(
			this.getNode(),
			{ code: outcome.errorCode, message: outcome.message },
			{
				message: outcome.message,
			},
		);
	}
	if (outcome.statusCode >= 200 && outcome.statusCode < 300) return;
	const graphError = parseGraphError(outcome.body);
	if (graphError?.code === CALLBACK_VERIFICATION_FAILED) {
		// Explain it ourselves: Meta's text quotes our server's socket error (e.g. ECONNREFUSED),
		// which n8n would otherwise rewrite into "the service refused the connection".
		throw new NodeOperationError(
			this.getNode(),
			`Meta could not verify the webhook URL ${callbackUrl}`,
			{
				description: `${[graphError.message, graphError.details].filter(Boolean).join(' — ')}. When subscribing, Meta calls this URL with a GET request and expects the verify token back: n8n must be reachable from the internet over HTTPS with a valid certificate (check the WEBHOOK_URL setting).`,
			},
		);
	}
	throw graphApiError(this, outcome.statusCode, outcome.body);
}

async function deleteAppSubscription(this: IHookFunctions, config: AutomaticConfig): Promise<void> {
	await graphRequest.call(this, {
		method: 'DELETE',
		path: `/${encodeURIComponent(config.appId)}/subscriptions`,
		qs: { access_token: config.appToken, object: WHATSAPP_OBJECT },
	});
}

/** WABA calls use the credential's system-user token (whatsapp_business_management). */
async function isAppSubscribedToWaba(
	this: IHookFunctions,
	config: AutomaticConfig,
): Promise<boolean> {
	const response = await graphRequest.call(this, {
		method: 'GET',
		path: `/${encodeURIComponent(config.wabaId)}/subscribed_apps`,
	});
	return wabaHasApp(response, config.appId);
}

async function subscribeAppToWaba(this: IHookFunctions, config: AutomaticConfig): Promise<void> {
	await graphRequest.call(this, {
		method: 'POST',
		path: `/${encodeURIComponent(config.wabaId)}/subscribed_apps`,
	});
}

async function unsubscribeAppFromWaba(
	this: IHookFunctions,
	config: AutomaticConfig,
): Promise<void> {
	await graphRequest.call(this, {
		method: 'DELETE',
		path: `/${encodeURIComponent(config.wabaId)}/subscribed_apps`,
	});
}
