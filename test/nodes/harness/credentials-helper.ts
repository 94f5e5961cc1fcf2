/**
 * The harness's `ICredentialsHelper`: what n8n's CLI `CredentialsHelper` does, minus the database.
 *
 * - `getDecrypted` returns the test's plain credential data with the credential type's property
 *   defaults filled in (`NodeHelpers.getNodeParameters`, as n8n's `applyDefaultsAndOverwrites`
 *   does) and `={{ }}` expressions in credential fields resolved against the current item.
 *   So a test that omits `apiVersion` gets the credential's default, as in n8n.
 * - `authenticate` applies the credential type's `authenticate`: a function is called; a generic
 *   `{ type: 'generic', properties }` block is applied exactly like n8n's CLI implementation (each
 *   key/value resolved as an expression with `$credentials`, merged into headers/qs/body/auth).
 *   n8n-core 2.8 does not export that logic (it lives in `packages/cli`), so it is mirrored here.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, UnexpectedError } from 'n8n-workflow';
import { Credentials, getAdditionalKeys } from 'n8n-core';

export class HarnessCredentialsHelper extends ICredentialsHelper {
	/** Calls to `authenticate`, newest last — lets tests prove the credential was applied. */
	readonly authenticateCalls: Array<{ typeName: string; url?: string }> = [];

	constructor(
		private readonly credentialTypes: Record<string, ICredentialType>,
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	private type(name: string): ICredentialType {
		const type = this.credentialTypes[name];
		if (!type) throw new UnexpectedError(`Harness: unknown credential type "${name}"`);
		return type;
	}

	getParentTypes(name: string): string[] {
		return this.type(name).extends ?? [];
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.type(type).properties;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incoming: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incoming as IHttpRequestOptions;
		this.authenticateCalls.push({ typeName, url: requestOptions.url });
		const { authenticate } = this.type(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}
		if (authenticate?.type === 'generic') {
			requestOptions.headers ??= {};
			const resolve = (value: string) => {
				if (typeof value !== 'string' || !value.startsWith('=')) return value;
				const additionalKeys = { $credentials: credentials } as IWorkflowDataProxyAdditionalKeys;
				const out = workflow.expression.getSimpleParameterValue(
					node,
					value,
					'internal',
					additionalKeys,
					undefined,
					'',
				);
				return out ? out.toString() : '';
			};
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
				target[outerKey] ??= {};
				for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
					target[outerKey][resolve(key)] = resolve(value);
				}
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		_node: INode,
		_credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined; // no expirable credential types in this package
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string) {
		return new Credentials({ id: nodeCredentials.id, name: nodeCredentials.name }, type);
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		_raw?: boolean,
		resolve?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const raw = this.data[type];
		if (raw === undefined) {
			// n8n would fail to find the credential in its database.
			throw new UnexpectedError(`Harness: no test credentials given for "${type}"`);
		}
		const withDefaults = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			structuredClone(raw) as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		// Keep fields the type does not declare (n8n keeps e.g. oauthTokenData the same way).
		const data = { ...raw, ...withDefaults };
		if (!resolve) return data;
		return resolve.workflow.expression.getParameterValue(
			data as INodeParameters,
			resolve.runExecutionData,
			resolve.runIndex,
			resolve.itemIndex,
			resolve.node.name,
			resolve.connectionInputData,
			mode,
			getAdditionalKeys(additionalData, mode, null),
			executeData,
			false,
			data,
		) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}
}
