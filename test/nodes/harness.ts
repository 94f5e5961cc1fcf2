/**
 * Node test harness: runs our nodes through n8n-core 2.8's real execution code.
 *
 * - `runNode`: a two-node workflow (Start → node under test) executed by n8n-core's
 *   `WorkflowExecute.processRunExecutionData`, the same entry point n8n's own `NodeTestHarness`
 *   uses. The node's `execute()` gets a real `ExecuteContext`: real expression resolution, real
 *   `httpRequestWithAuthentication` (n8n-core's axios request helper + our credentials helper
 *   applying the credential's `authenticate`), real `continueOnFail`/`onError` routing, real
 *   filesystem binary data.
 * - `callWebhook`: a trigger node's `webhook()` with a real `WebhookContext`, behind a real loopback
 *   HTTP exchange (see harness/http-exchange.ts), answering the way n8n's webhook server does.
 * - `callHook`: `webhookMethods.<name>.checkExists/create/delete` with a real `HookContext`.
 * - `callLoadOptions`: `methods.listSearch/loadOptions/resourceMapping` with a real `LoadOptionsContext`.
 *
 * Nothing of ours or of n8n's is mocked; only n8n's database-backed services are replaced by
 * in-memory equivalents (credentials store, node-types registry).
 */
import { Container } from '@n8n/di';
import {
	BinaryDataService,
	ExecutionLifecycleHooks,
	HookContext,
	LoadOptionsContext,
	WebhookContext,
	WorkflowExecute,
	prepareBinaryData,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ExecutionBaseError,
	IBinaryData,
	IConnections,
	IDataObject,
	IExecuteResponsePromiseData,
	IExecuteWorkflowInfo,
	IN8nHttpFullResponse,
	INode,
	INodeCredentials,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IVersionedNodeType,
	IWebhookData,
	IWebhookDescription,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { createRunExecutionData, NodeHelpers, UnexpectedError, Workflow } from 'n8n-workflow';
import { randomUUID } from 'node:crypto';

import { WhatsAppCloudApi } from '../../credentials/WhatsAppCloudApi.credentials';
import type { Emulator } from '../emulator';
import { HarnessCredentialsHelper } from './harness/credentials-helper';
import { httpExchange } from './harness/http-exchange';
import { HarnessNodeTypes, nodeTypeName } from './harness/node-types';
import { setupN8nCore } from './harness/setup';
import { HarnessStart, START_NODE_NAME, START_NODE_TYPE } from './harness/start-node';

export { HarnessCredentialsHelper } from './harness/credentials-helper';
export { setupN8nCore } from './harness/setup';

/** Credential types the harness knows; `authenticate` of these is applied to requests. */
export const credentialTypes: Record<string, ICredentialType> = {
	whatsAppCloudApi: new WhatsAppCloudApi(),
};

type AnyNodeType = INodeType | IVersionedNodeType;
type Credentials = Record<string, ICredentialDataDecryptedObject>;

/** The node's credential pointed at a started emulator, as most node tests use it. */
export function emulatorCredentials(
	emu: Emulator,
	overrides: ICredentialDataDecryptedObject = {},
): Credentials {
	return {
		whatsAppCloudApi: {
			accessToken: emu.config.token,
			appSecret: emu.config.appSecret,
			appId: emu.config.appId,
			businessAccountId: emu.config.wabaId,
			apiVersion: emu.config.apiVersion,
			baseUrl: emu.baseUrl,
			verifyToken: 'x',
			...overrides,
		},
	};
}

/** Input binary as tests write it; the harness stores it through n8n's BinaryDataService. */
export interface HarnessBinaryInput {
	data: Buffer;
	mimeType: string;
	fileName?: string;
}

/** An input item whose binary entries may be raw buffers (stored for you) or n8n IBinaryData. */
export type HarnessInputItem = Omit<INodeExecutionData, 'binary'> & {
	binary?: Record<string, HarnessBinaryInput | IBinaryData>;
};

export interface RunNodeOptions {
	node: AnyNodeType;
	parameters: INodeParameters;
	items?: Array<INodeExecutionData | HarnessInputItem>;
	credentials?: Credentials;
	/** Shorthand for `onError: 'continueRegularOutput'` (n8n's old "Continue On Fail" setting). */
	continueOnFail?: boolean;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	typeVersion?: number;
	/** Receives what the node hands to `this.sendResponse` (n8n's respond-to-webhook hook). */
	onSendResponse?: (response: IExecuteResponsePromiseData) => void;
}

export interface RunNodeResult {
	/** The node's outputs, as n8n recorded them (`runData[node][0].data.main`). Error output is [1]. */
	outputs: INodeExecutionData[][];
	/**
	 * The error the node's execute() threw (the real NodeApiError/NodeOperationError instance), when
	 * n8n recorded one for the node. Undefined when the run succeeded.
	 */
	error?: Error;
	/** What n8n itself stored in runData (`{ ...error, message, stack }`, class lost). */
	recordedError?: ExecutionBaseError;
	/** Reads an output item's binary property through n8n's BinaryDataService. */
	binary(item: INodeExecutionData, prop?: string): Promise<Buffer>;
	/** The `Authorization`-applying calls the credentials helper saw (for assertions). */
	authenticateCalls: HarnessCredentialsHelper['authenticateCalls'];
}

const WORKFLOW_ID = 'harness-workflow';
const WEBHOOK_ID = 'harness-webhook-id';

function defaultVersion(nodeType: AnyNodeType): number {
	const { description } = nodeType;
	if ('defaultVersion' in description && typeof description.defaultVersion === 'number') {
		return description.defaultVersion;
	}
	const v = (description as INodeType['description']).version;
	return Array.isArray(v) ? Math.max(...v) : v;
}

function nodeName(nodeType: INodeType): string {
	return nodeType.description.defaults?.name ?? nodeType.description.displayName;
}

function nodeCredentials(credentials: Credentials | undefined): INodeCredentials | undefined {
	if (!credentials) return undefined;
	const out: INodeCredentials = {};
	for (const type of Object.keys(credentials)) out[type] = { id: `${type}-id`, name: type };
	return out;
}

interface Built {
	workflow: Workflow;
	node: INode;
	additionalData: IWorkflowExecuteAdditionalData;
	credentialsHelper: HarnessCredentialsHelper;
	executionId: string;
}

/** The workflow + additionalData every entry point shares. */
function build(opts: {
	node: AnyNodeType;
	parameters: INodeParameters;
	credentials?: Credentials;
	typeVersion?: number;
	onError?: INode['onError'];
	withStart?: boolean;
	staticData?: IDataObject;
	webhookId?: string;
	onExecuteError?: (error: unknown) => void;
}): Built {
	const type = nodeTypeName(opts.node);
	const nodeTypes = new HarnessNodeTypes(
		{ [type]: opts.node, [START_NODE_TYPE]: new HarnessStart() },
		opts.onExecuteError ? { type, onError: opts.onExecuteError } : undefined,
	);
	const typeVersion = opts.typeVersion ?? defaultVersion(opts.node);
	const node: INode = {
		id: randomUUID(),
		name: nodeName(NodeHelpers.getVersionedNodeType(opts.node, typeVersion)),
		type,
		typeVersion,
		position: [200, 0],
		parameters: opts.parameters,
		credentials: nodeCredentials(opts.credentials),
		...(opts.onError ? { onError: opts.onError } : {}),
		...(opts.webhookId ? { webhookId: opts.webhookId } : {}),
	};
	const nodes: INode[] = [node];
	const connections: IConnections = {};
	if (opts.withStart) {
		nodes.unshift({
			id: randomUUID(),
			name: START_NODE_NAME,
			type: START_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		});
		connections[START_NODE_NAME] = { main: [[{ node: node.name, type: 'main', index: 0 }]] };
	}
	const workflow = new Workflow({
		id: WORKFLOW_ID,
		name: 'Harness workflow',
		nodes,
		connections,
		active: false,
		nodeTypes,
		// Workflow wraps this in an ObservableObject proxy that writes through to the same object,
		// so a caller passing the same object across calls sees the node's static data persist.
		staticData: opts.staticData,
		settings: { executionOrder: 'v1' },
	});
	const executionId = String(Math.floor(Math.random() * 1e9));
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, opts.credentials ?? {});
	const workflowData: IWorkflowBase = {
		id: WORKFLOW_ID,
		name: workflow.name ?? '',
		active: false,
		activeVersionId: null,
		isArchived: false,
		nodes,
		connections,
		createdAt: new Date(),
		updatedAt: new Date(),
	};
	const additionalData: IWorkflowExecuteAdditionalData = {
		credentialsHelper,
		hooks: new ExecutionLifecycleHooks('manual', executionId, workflowData),
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		variables: {},
		executeWorkflow: async (_info: IExecuteWorkflowInfo) => {
			throw new UnexpectedError('Harness: sub-workflows are not supported');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new UnexpectedError('Harness: task runners are not supported');
		},
		// Declared by n8n-core's module augmentation; only used by `$secrets`.
		externalSecretsProxy:
			undefined as unknown as IWorkflowExecuteAdditionalData['externalSecretsProxy'],
	};
	return { workflow, node, additionalData, credentialsHelper, executionId };
}

async function toInputItems(
	items: RunNodeOptions['items'],
	executionId: string,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	const list: Array<INodeExecutionData | HarnessInputItem> = items ?? [{ json: {} }];
	for (const item of list) {
		const copy: INodeExecutionData = { ...item, binary: undefined } as INodeExecutionData;
		if (item.binary) {
			copy.binary = {};
			for (const [prop, value] of Object.entries(item.binary)) {
				if (value && Buffer.isBuffer((value as HarnessBinaryInput).data)) {
					// Store the bytes the way an upstream n8n node's prepareBinaryData would.
					const input = value as HarnessBinaryInput;
					const stored = await prepareBinaryData(
						input.data,
						executionId,
						WORKFLOW_ID,
						input.fileName,
						input.mimeType,
					);
					if (input.fileName) stored.fileName = input.fileName;
					copy.binary[prop] = stored;
				} else {
					copy.binary[prop] = value as IBinaryData;
				}
			}
		} else {
			delete copy.binary;
		}
		out.push(copy);
	}
	return out;
}

/** Runs Start → node with `items` through n8n-core's WorkflowExecute. */
export async function runNode(opts: RunNodeOptions): Promise<RunNodeResult> {
	await setupN8nCore();
	const onError = opts.onError ?? (opts.continueOnFail ? 'continueRegularOutput' : undefined);
	let thrown: unknown;
	const { workflow, node, additionalData, credentialsHelper, executionId } = build({
		...opts,
		onError,
		withStart: true,
		onExecuteError: (e) => (thrown = e),
	});
	const { onSendResponse } = opts;
	if (onSendResponse) additionalData.hooks?.addHandler('sendResponse', (r) => onSendResponse(r));
	const startNode = workflow.getNode(START_NODE_NAME)!;
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: startNode,
					data: { main: [await toInputItems(opts.items, executionId)] },
					source: null,
				},
			],
		},
	});
	const run = await new WorkflowExecute(
		additionalData,
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);

	const task = run.data.resultData.runData[node.name]?.[0];
	const startTask = run.data.resultData.runData[START_NODE_NAME]?.[0];
	const recordedError = task?.error ?? startTask?.error ?? run.data.resultData.error;
	// Hand back the instance execute() threw (n8n only keeps a plain-object copy), but only when n8n
	// recorded an error — a thrown error swallowed by continueOnFail is still recorded by n8n.
	const error = recordedError
		? thrown instanceof Error && thrown.message === recordedError.message
			? thrown
			: (recordedError as Error)
		: undefined;
	const outputs = (task?.data?.main ?? []).map((items) => items ?? []);
	const binaryDataService = Container.get(BinaryDataService);
	return {
		outputs,
		error,
		recordedError,
		authenticateCalls: credentialsHelper.authenticateCalls,
		binary: async (item, prop = 'data') => {
			const data = item.binary?.[prop];
			if (!data) throw new UnexpectedError(`Harness: item has no binary property "${prop}"`);
			return await binaryDataService.getAsBuffer(data);
		},
	};
}

export interface CallWebhookOptions {
	node: AnyNodeType;
	parameters: INodeParameters;
	credentials?: Credentials;
	/** Which `description.webhooks` entry; default: the one whose httpMethod matches `method`. */
	webhookName?: 'default' | 'setup';
	method: 'GET' | 'POST';
	query?: Record<string, string>;
	headers?: Record<string, string>;
	/** The raw bytes; `req.rawBody` gets them, `req.body` the parsed JSON when parseable. */
	body?: Buffer | string;
	staticData?: IDataObject;
	typeVersion?: number;
	/**
	 * For webhooks with `responseMode: 'responseNode'`: runs "the rest of the workflow" on the items
	 * webhook() returned and gives back what it sent with `this.sendResponse` (undefined: it sent
	 * nothing). The harness writes it like n8n's webhook server: a Buffer body as is, with its status
	 * and headers; nothing sent → the description's `responseCode` with an empty body.
	 */
	respondToWebhook?: (
		workflowData: INodeExecutionData[][],
	) => Promise<IN8nHttpFullResponse | undefined>;
}

export interface CallWebhookResult {
	statusCode: number;
	/** Parsed JSON when the response is JSON, else the text. */
	responseBody: unknown;
	headers: Record<string, string>;
	workflowData?: INodeExecutionData[][];
	noWebhookResponse?: boolean;
	/** Error thrown by `webhook()` (the real instance; n8n answers 500 then). */
	error?: Error;
}

function pickWebhook(
	workflow: Workflow,
	node: INode,
	method: string,
	name?: string,
): IWebhookDescription {
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const webhooks = nodeType.description.webhooks ?? [];
	const resolve = (value: unknown) =>
		workflow.expression.getSimpleParameterValue(node, value as string, 'webhook', {}, undefined);
	const found = name
		? webhooks.find((w) => w.name === name)
		: (webhooks.find((w) => String(resolve(w.httpMethod)).toUpperCase() === method) ??
			webhooks.find((w) => w.name === 'default'));
	if (!found) throw new UnexpectedError(`Harness: node has no webhook "${name ?? method}"`);
	return found;
}

function webhookData(built: Built, description: IWebhookDescription, method: string): IWebhookData {
	const { workflow, node, additionalData } = built;
	const path = workflow.expression.getSimpleParameterValue(node, description.path, 'webhook', {});
	return {
		httpMethod: method as IWebhookData['httpMethod'],
		node: node.name,
		path: String(path ?? ''),
		webhookDescription: description,
		workflowId: WORKFLOW_ID,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
	};
}

/**
 * Calls `webhook()` like n8n's webhook server: a real HTTP request arrives, `webhook()` runs with a
 * `WebhookContext` over that request/response; if the node did not write the response itself, the
 * harness answers as n8n does for `responseMode: 'onReceived'`: `webhookResponse` as the body with
 * 200, else `{ message: 'Workflow was started' }` (with workflowData) / `'Webhook call received'`.
 */
export async function callWebhook(opts: CallWebhookOptions): Promise<CallWebhookResult> {
	await setupN8nCore();
	const built = build({ ...opts, webhookId: WEBHOOK_ID });
	const { workflow, node, additionalData } = built;
	const description = pickWebhook(workflow, node, opts.method, opts.webhookName);
	const hook = webhookData(built, description, opts.method);
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (!nodeType.webhook) throw new UnexpectedError('Harness: node has no webhook() method');

	let result: Awaited<ReturnType<NonNullable<INodeType['webhook']>>> | undefined;
	let error: Error | undefined;
	const headers: Record<string, string> = { ...opts.headers };
	const hasContentType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
	if (opts.body !== undefined && !hasContentType) headers['content-type'] = 'application/json';

	const response = await httpExchange(
		{
			method: opts.method,
			path: `/webhook/${NodeHelpers.getNodeWebhookPath(WORKFLOW_ID, node, hook.path)}`,
			query: opts.query,
			headers,
			body: opts.body,
		},
		async (req, res) => {
			// n8n passes the express req/res to the context through additionalData.
			additionalData.httpRequest = req as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
			additionalData.httpResponse =
				res as unknown as IWorkflowExecuteAdditionalData['httpResponse'];
			const context = new WebhookContext(workflow, node, additionalData, 'webhook', hook, [], null);
			try {
				result = await nodeType.webhook!.call(context);
			} catch (e) {
				error = e as Error;
				// n8n's executeWebhook replaces the error with this message, and its error handler
				// answers 500 `{ code: 0, message }`.
				if (!res.headersSent) {
					res
						.status(500)
						.json({ code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
				}
				return;
			}
			if (res.writableEnded || result.noWebhookResponse) return; // node answered itself
			if (description.responseMode === 'responseNode' && result.workflowData) {
				const sent = opts.respondToWebhook
					? await opts.respondToWebhook(result.workflowData)
					: undefined;
				if (sent) {
					res.status(sent.statusCode);
					for (const [name, value] of Object.entries(sent.headers))
						res.setHeader(name, String(value));
					res.end(Buffer.isBuffer(sent.body) ? sent.body : JSON.stringify(sent.body));
				} else {
					const code = workflow.expression.getSimpleParameterValue(
						node,
						description.responseCode as string | undefined,
						'webhook',
						{},
						undefined,
						200,
					);
					res.status(Number(code));
					res.end();
				}
				return;
			}
			if (result.webhookResponse !== undefined) {
				// n8n's sendSuccessResponse(raw): strings via res.send, everything else via res.json.
				const body = result.webhookResponse as unknown;
				res.status(200);
				if (typeof body === 'string') res.send(body);
				else res.json(body);
			} else if (result.workflowData) {
				res.status(200).json({ message: 'Workflow was started' });
			} else {
				res.status(200).json({ message: 'Webhook call received' });
			}
		},
	);

	const text = response.body.toString('utf8');
	let responseBody: unknown = text;
	if ((response.headers['content-type'] ?? '').includes('json')) {
		try {
			responseBody = JSON.parse(text);
		} catch {
			// keep text
		}
	}
	const r = result as Awaited<ReturnType<NonNullable<INodeType['webhook']>>> | undefined;
	return {
		statusCode: response.statusCode,
		responseBody,
		headers: response.headers,
		workflowData: r?.workflowData,
		noWebhookResponse: r?.noWebhookResponse,
		error,
	};
}

export interface CallHookOptions {
	node: AnyNodeType;
	parameters: INodeParameters;
	credentials?: Credentials;
	method: 'checkExists' | 'create' | 'delete';
	/** The URL `this.getNodeWebhookUrl('default')` must return (what n8n would register at Meta). */
	webhookUrl: string;
	staticData?: IDataObject;
	activation?: WorkflowActivateMode;
	/** Which `webhookMethods` group; default 'default'. */
	webhookName?: 'default' | 'setup';
	typeVersion?: number;
}

/** Calls `webhookMethods[webhookName][method]` with a real `HookContext` (mode 'trigger'). */
export async function callHook(opts: CallHookOptions): Promise<boolean> {
	await setupN8nCore();
	const webhookName = opts.webhookName ?? 'default';
	const built = build({ ...opts, webhookId: WEBHOOK_ID });
	const { workflow, node, additionalData } = built;
	const description = pickWebhook(workflow, node, 'POST', webhookName);
	const hook = webhookData(built, description, String(description.httpMethod));
	// getNodeWebhookUrl() is n8n's `${webhookBaseUrl}/${webhookId}/${path}`; choose the base so that
	// n8n's own computation yields the requested URL.
	const suffix = `/${NodeHelpers.getNodeWebhookPath(WORKFLOW_ID, node, hook.path.replace(/^\//, ''), description.isFullPath as boolean | undefined)}`;
	const urlMatches = opts.webhookUrl.endsWith(suffix);
	if (urlMatches) additionalData.webhookBaseUrl = opts.webhookUrl.slice(0, -suffix.length);
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const fn = nodeType.webhookMethods?.[webhookName]?.[opts.method];
	if (!fn)
		throw new UnexpectedError(`Harness: node has no webhookMethods.${webhookName}.${opts.method}`);
	const context = new HookContext(
		workflow,
		node,
		additionalData,
		'trigger',
		opts.activation ?? 'activate',
		hook,
	);
	if (!urlMatches) {
		// A URL that does not end in `<webhookId>/<path>` cannot come out of n8n's formula; serve it
		// as given (documented deviation).
		context.getNodeWebhookUrl = () => opts.webhookUrl;
	}
	return await fn.call(context);
}

export interface CallLoadOptionsOptions {
	node: AnyNodeType;
	kind: 'listSearch' | 'loadOptions' | 'resourceMapping';
	method: string;
	/** The node's current parameters (what the editor sends as `currentNodeParameters`). */
	parameters?: INodeParameters;
	credentials?: Credentials;
	filter?: string;
	paginationToken?: string;
	/** Parameter path the request is for (e.g. 'parameters.phoneNumberId'); default 'parameters'. */
	path?: string;
	typeVersion?: number;
}

/** Calls `methods[kind][method]` with a real `LoadOptionsContext`, as the editor's backend does. */
export async function callLoadOptions(opts: CallLoadOptionsOptions): Promise<unknown> {
	await setupN8nCore();
	const parameters = opts.parameters ?? {};
	const { workflow, node, additionalData } = build({ ...opts, parameters });
	additionalData.currentNodeParameters = parameters;
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const group = nodeType.methods?.[opts.kind] as
		Record<string, (this: unknown, ...args: unknown[]) => Promise<unknown>> | undefined;
	const fn = group?.[opts.method];
	if (!fn) throw new UnexpectedError(`Harness: node has no methods.${opts.kind}.${opts.method}`);
	const context = new LoadOptionsContext(workflow, node, additionalData, opts.path ?? 'parameters');
	if (opts.kind === 'listSearch') {
		return await fn.call(context, opts.filter, opts.paginationToken);
	}
	return await fn.call(context);
}
