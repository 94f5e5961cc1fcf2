/**
 * WhatsApp Flows management (fact sheet 2 §5.3–5.4): the Flows of the business account, their JSON
 * asset with Meta's validation errors, the lifecycle DRAFT → PUBLISHED → DEPRECATED with Meta's
 * 13900x errors, preview URLs, and the business public key per phone number.
 */
import { createPublicKey, randomBytes } from 'node:crypto';

import { GraphError } from '../errors';
import type { Accounts, Caller } from './accounts';
import { MANAGEMENT } from './accounts';
import type { RequestContext } from '../server';
import { bodyParams } from '../server';
import type { FlowJsonDoc, FlowValidationError } from '../flowJson';
import { validateFlowJson } from '../flowJson';
import { parseMultipart } from './media';
import { page } from './phoneNumbers';

type Obj = Record<string, unknown>;

export const FLOW_CATEGORIES = [
	'SIGN_UP',
	'SIGN_IN',
	'APPOINTMENT_BOOKING',
	'LEAD_GENERATION',
	'CONTACT_US',
	'CUSTOMER_SUPPORT',
	'SURVEY',
	'OTHER',
];
export type FlowStatus = 'DRAFT' | 'PUBLISHED' | 'DEPRECATED' | 'BLOCKED' | 'THROTTLED';

/** Meta's limit for the flow.json asset. */
export const MAX_FLOW_JSON_BYTES = 10 * 1024 * 1024;
const PREVIEW_TTL_MS = 30 * 24 * 3600_000;
const MAX_NAME = 200;

export interface EmuFlow {
	id: string;
	name: string;
	categories: string[];
	status: FlowStatus;
	wabaId: string;
	/** The uploaded flow.json, as sent. */
	json?: string;
	/** Parsed JSON when it has screens (kept even with validation errors). */
	doc?: FlowJsonDoc;
	validationErrors: FlowValidationError[];
	endpointUri?: string;
	/** The Meta app linked to the Flow: endpoint requests are then signed with its secret. */
	applicationId?: string;
	preview: { token: string; expiresAt: number };
	updatedAt: number;
}

export interface BusinessPublicKey {
	pem: string;
	status: 'VALID' | 'MISMATCH';
}

/** What the flows feature needs from the emulator. */
export interface FlowsHost {
	readonly baseUrl: string;
	readonly accounts: Pick<
		Accounts,
		'requireWaba' | 'requirePhone' | 'waba' | 'defaultWabaId' | 'defaultAppId'
	>;
}

const str = (v: unknown) =>
	typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/** Graph takes list parameters as JSON text (`["OTHER"]`), form arrays or comma lists. */
function listParam(value: unknown): string[] | undefined {
	if (value === undefined) return undefined;
	if (Array.isArray(value)) return value.map(String);
	const text = String(value).trim();
	if (text.startsWith('[')) {
		try {
			const parsed = JSON.parse(text) as unknown;
			if (Array.isArray(parsed)) return parsed.map(String);
		} catch {
			throw new GraphError(100, `Param categories must be a JSON array; got ${text}.`);
		}
	}
	return text === '' ? [] : text.split(',').map((s) => s.trim());
}

const notFound = (id: string) =>
	new GraphError(
		100,
		`Unsupported request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
	);

const flag = (v: unknown) => v === true || v === 'true' || v === '1';

export class FlowStore {
	private flows = new Map<string, EmuFlow>();
	private keys = new Map<string, BusinessPublicKey>();
	private counter = 0;

	constructor(private readonly host: FlowsHost) {}

	reset(): void {
		this.flows.clear();
		this.keys.clear();
		this.counter = 0;
	}

	get(id: string): EmuFlow | undefined {
		return this.flows.get(id);
	}

	list(): EmuFlow[] {
		return [...this.flows.values()];
	}

	/** The Flow a message names (by ID or name), if the sender's account has it. */
	ofAccount(ref: { id?: string; name?: string }, wabaId: string | undefined): EmuFlow | undefined {
		return this.list().find(
			(f) => f.wabaId === wabaId && (ref.id ? f.id === ref.id : f.name === ref.name),
		);
	}

	publicKey(phoneNumberId: string): BusinessPublicKey | undefined {
		return this.keys.get(phoneNumberId);
	}

	private newId(): string {
		this.counter++;
		return String(1_592_000_000_000_000 + this.counter * 7_919);
	}

	private setJson(flow: EmuFlow, text: string): FlowValidationError[] {
		const result = validateFlowJson(text);
		flow.json = text;
		flow.doc = result.doc;
		flow.validationErrors = result.errors;
		flow.updatedAt = Date.now();
		return result.errors;
	}

	private checkName(name: unknown, wabaId: string, except?: string): string {
		const text = str(name);
		if (text === undefined || text.trim() === '')
			throw new GraphError(100, 'The parameter name is required.');
		if (text.length > MAX_NAME)
			throw new GraphError(100, `Param name must be at most ${MAX_NAME} characters.`);
		const taken = this.list().some(
			(f) => f.id !== except && f.wabaId === wabaId && f.name === text,
		);
		if (taken) throw new GraphError(100, `A Flow named "${text}" already exists in this account.`);
		return text;
	}

	private checkCategories(value: unknown, required: boolean): string[] | undefined {
		const categories = listParam(value);
		if (categories === undefined) {
			if (required) throw new GraphError(100, 'The parameter categories is required.');
			return undefined;
		}
		if (categories.length === 0)
			throw new GraphError(100, 'Param categories must name at least one category.');
		const unknown = categories.filter((c) => !FLOW_CATEGORIES.includes(c));
		if (unknown.length)
			throw new GraphError(
				100,
				`Invalid categories ${unknown.join(', ')}; use ${FLOW_CATEGORIES.join(', ')}.`,
			);
		return categories;
	}

	private checkEndpoint(value: unknown): string | undefined {
		const text = str(value);
		if (text === undefined || text === '') return undefined;
		let ok = false;
		try {
			ok = /^https?:$/.test(new URL(text).protocol);
		} catch {
			ok = false;
		}
		if (!ok) throw new GraphError(100, 'Param endpoint_uri must be a valid URL.');
		return text;
	}

	/** `owner`: the WABA and the app of the token that creates it (default: the emulator's own). */
	create(
		p: Obj,
		owner: { wabaId?: string; appId?: string } = {},
	): { id: string; success: true; validation_errors?: FlowValidationError[] } {
		const wabaId = owner.wabaId ?? this.host.accounts.defaultWabaId;
		const name = this.checkName(p.name, wabaId);
		const categories = this.checkCategories(p.categories, true)!;
		const endpointUri = this.checkEndpoint(p.endpoint_uri);
		const flow: EmuFlow = {
			id: this.newId(),
			name,
			categories,
			status: 'DRAFT',
			wabaId,
			validationErrors: [],
			endpointUri,
			// Flows created through the API are linked to the app of the token [U].
			applicationId: owner.appId ?? this.host.accounts.defaultAppId,
			preview: { token: randomBytes(8).toString('hex'), expiresAt: Date.now() + PREVIEW_TTL_MS },
			updatedAt: Date.now(),
		};
		const cloneId = str(p.clone_flow_id);
		let json = str(p.flow_json);
		if (cloneId) {
			const source = this.flows.get(cloneId);
			if (!source) throw new GraphError(100, `Flow ${cloneId} to clone does not exist.`);
			json ??= source.json;
		}
		if (json !== undefined && typeof p.flow_json === 'object')
			throw new GraphError(100, 'Param flow_json must be a string.');
		const errors = json !== undefined ? this.setJson(flow, json) : undefined;
		this.flows.set(flow.id, flow);
		if (flag(p.publish) && errors && errors.length === 0) this.publish(flow.id);
		return { id: flow.id, success: true, ...(errors ? { validation_errors: errors } : {}) };
	}

	updateMetadata(id: string, p: Obj, callerAppId?: string): void {
		const flow = this.require(id);
		if (flow.status !== 'DRAFT')
			throw new GraphError(139001, "Flow can't be updated: it is no longer a draft.");
		const name = p.name === undefined ? undefined : this.checkName(p.name, flow.wabaId, id);
		const categories = this.checkCategories(p.categories, false);
		const endpointUri =
			p.endpoint_uri === undefined ? undefined : this.checkEndpoint(p.endpoint_uri);
		if (name !== undefined) flow.name = name;
		if (categories) flow.categories = categories;
		if (p.endpoint_uri !== undefined) flow.endpointUri = endpointUri;
		if (p.application_id !== undefined) {
			const app = str(p.application_id);
			if (app !== (callerAppId ?? this.host.accounts.defaultAppId))
				throw new GraphError(100, `Application ${app ?? ''} is not an app of this business.`);
			flow.applicationId = app;
		}
		flow.updatedAt = Date.now();
	}

	uploadJson(
		id: string,
		c: RequestContext,
	): { success: true; validation_errors: FlowValidationError[] } {
		const flow = this.require(id);
		const ct = c.req.headers['content-type'] ?? '';
		if (!/^multipart\/form-data/i.test(ct))
			throw new GraphError(100, 'Uploading flow.json requires multipart/form-data.');
		const parts = parseMultipart(c.body, ct);
		const field = (n: string) => parts.find((part) => part.name === n);
		const file = field('file');
		if (!file) throw new GraphError(100, 'The parameter file is required.');
		const assetType = field('asset_type')?.data.toString('utf8');
		if (assetType !== 'FLOW_JSON') throw new GraphError(100, 'Param asset_type must be FLOW_JSON.');
		const name = field('name')?.data.toString('utf8');
		if (name !== 'flow.json') throw new GraphError(100, 'Param name must be flow.json.');
		if (file.data.length > MAX_FLOW_JSON_BYTES)
			throw new GraphError(139001, 'Error while processing Flow JSON: the file is over 10 MB.');
		if (flow.status !== 'DRAFT')
			throw new GraphError(139001, "Flow can't be updated: it is no longer a draft.");
		return { success: true, validation_errors: this.setJson(flow, file.data.toString('utf8')) };
	}

	publish(id: string): void {
		const flow = this.require(id);
		if (flow.status !== 'DRAFT')
			throw new GraphError(139002, `Publishing Flow in invalid state: it is ${flow.status}.`);
		if (flow.json === undefined)
			throw new GraphError(139002, 'Publishing Flow without Flow JSON: upload flow.json first.');
		if (flow.validationErrors.length)
			throw new GraphError(
				139002,
				`Publishing Flow with validation errors (${flow.validationErrors.length}).`,
			);
		if (flow.doc?.data_api_version !== undefined) {
			if (!flow.endpointUri)
				throw new GraphError(139002, 'Publishing without specifying endpoint_uri is forbidden.');
			if (!flow.applicationId)
				throw new GraphError(139002, 'No Application Connected to the Flow.');
			if (this.keys.size === 0) throw new GraphError(139002, 'Missing Flows Signed Public Key.');
		}
		flow.status = 'PUBLISHED';
		flow.updatedAt = Date.now();
	}

	deprecate(id: string): void {
		const flow = this.require(id);
		if (flow.status === 'DEPRECATED') throw new GraphError(139003, 'Flow is already deprecated.');
		if (flow.status !== 'PUBLISHED')
			throw new GraphError(139003, "Can't deprecate unpublished flow.");
		flow.status = 'DEPRECATED';
		flow.updatedAt = Date.now();
	}

	delete(id: string): void {
		const flow = this.require(id);
		if (flow.status !== 'DRAFT')
			throw new GraphError(
				139004,
				`Can't delete a ${flow.status.toLowerCase()} Flow; deprecate it instead.`,
			);
		this.flows.delete(id);
	}

	/** Sets the business public key of a number after Meta's checks (a 2048-bit RSA public key). */
	uploadPublicKey(phoneNumberId: string, pem: unknown): void {
		const text = str(pem);
		if (text === undefined || text.trim() === '')
			throw new GraphError(100, 'The parameter business_public_key is required.');
		let bits = 0;
		let type: string | undefined;
		try {
			const key = createPublicKey({ key: text, format: 'pem' });
			type = key.asymmetricKeyType;
			bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
		} catch {
			throw new GraphError(100, 'Param business_public_key is not a valid PEM public key.');
		}
		if (type !== 'rsa' || bits !== 2048)
			throw new GraphError(100, 'Param business_public_key must be a 2048-bit RSA public key.');
		this.keys.set(phoneNumberId, { pem: text.replace(/\r\n/g, '\n').trim(), status: 'VALID' });
	}

	/** The Flow as `GET /{flow-id}?fields=…` answers it. */
	json(flow: EmuFlow, fields: string | null): Obj {
		const requested = (fields ?? 'id,name,status,categories,validation_errors')
			.split(/,(?![^(]*\))/)
			.map((f) => f.trim())
			.filter(Boolean);
		const out: Obj = { id: flow.id };
		for (const field of requested) {
			const [name, modifier] = [
				field.split('.')[0].split('{')[0],
				field.slice(field.indexOf('.') + 1),
			];
			switch (name) {
				case 'id':
					break;
				case 'name':
					out.name = flow.name;
					break;
				case 'categories':
					out.categories = flow.categories;
					break;
				case 'status':
					out.status = flow.status;
					break;
				case 'validation_errors':
					out.validation_errors = flow.validationErrors;
					break;
				case 'json_version':
					if (flow.doc?.version) out.json_version = flow.doc.version;
					break;
				case 'data_api_version':
					if (flow.doc?.data_api_version) out.data_api_version = flow.doc.data_api_version;
					break;
				case 'endpoint_uri':
				case 'data_channel_uri':
					if (flow.endpointUri) out[name] = flow.endpointUri;
					break;
				case 'updated_at':
					out.updated_at = new Date(flow.updatedAt).toISOString().replace(/\.\d+Z$/, '+0000');
					break;
				case 'preview': {
					if (/invalidate\(true\)/.test(modifier)) {
						flow.preview = {
							token: randomBytes(8).toString('hex'),
							expiresAt: Date.now() + PREVIEW_TTL_MS,
						};
					}
					out.preview = {
						preview_url: `${this.host.baseUrl}/__emulator/flows/preview/${flow.id}?token=${flow.preview.token}`,
						expires_at: new Date(flow.preview.expiresAt).toISOString().replace(/\.\d+Z$/, '+0000'),
					};
					break;
				}
				case 'health_status': {
					const can = flow.status === 'BLOCKED' ? 'BLOCKED' : 'AVAILABLE';
					out.health_status = {
						can_send_message: can,
						entities: [{ entity_type: 'FLOW', id: flow.id, can_send_message: can }],
					};
					break;
				}
				case 'whatsapp_business_account':
					out.whatsapp_business_account = { id: flow.wabaId };
					break;
				case 'application':
					if (flow.applicationId)
						out.application = {
							id: flow.applicationId,
							name: 'Emulator App',
							link: `https://www.facebook.com/games/?app_id=${flow.applicationId}`,
						};
					break;
				default:
					throw new GraphError(
						100,
						`Tried accessing nonexisting field (${name}) on node type (Flow).`,
					);
			}
		}
		return out;
	}

	private require(id: string): EmuFlow {
		const flow = this.flows.get(id);
		if (!flow) throw notFound(id);
		return flow;
	}

	/**
	 * The Graph routes of this feature; false when the request is not one of them. `node` and
	 * `edge` are the path segments after the version.
	 */
	route(
		c: RequestContext,
		node: string,
		edge: string | undefined,
		method: string,
		caller: Caller,
	): boolean {
		const fields = c.url.searchParams.get('fields');
		if (edge === 'flows' && this.host.accounts.waba(node)) {
			this.host.accounts.requireWaba(node, caller, MANAGEMENT, method);
			if (method === 'POST') {
				c.send(200, this.create(bodyParams(c), { wabaId: node, appId: caller.appId }));
				return true;
			}
			if (method === 'GET') {
				const items = this.list()
					.filter((f) => f.wabaId === node)
					.map((f) => this.json(f, fields ?? 'id,name,status,categories,validation_errors'));
				const paged = page(
					items,
					c.url.searchParams,
					`${this.host.baseUrl}${c.url.pathname}${c.url.search}`,
				);
				if (!paged) throw new GraphError(100, 'Invalid cursor');
				c.send(200, paged);
				return true;
			}
		}
		if (edge === 'whatsapp_business_encryption') {
			if (method !== 'POST' && method !== 'GET') return false;
			this.host.accounts.requirePhone(node, caller, MANAGEMENT, method);
			if (method === 'POST') {
				this.uploadPublicKey(node, bodyParamsOrForm(c).business_public_key);
				c.send(200, { success: true });
				return true;
			}
			const key = this.keys.get(node);
			c.send(200, {
				data: key
					? [{ business_public_key: key.pem, business_public_key_signature_status: key.status }]
					: [],
			});
			return true;
		}
		const flow = this.flows.get(node);
		if (!flow) return false;
		// A Flow is visible only to tokens that reach its business account.
		try {
			this.host.accounts.requireWaba(flow.wabaId, caller, MANAGEMENT, method);
		} catch {
			throw notFound(node);
		}
		if (!edge) {
			if (method === 'GET') c.send(200, this.json(flow, fields));
			else if (method === 'POST') {
				this.updateMetadata(node, bodyParams(c), caller.appId);
				c.send(200, { success: true });
			} else if (method === 'DELETE') {
				this.delete(node);
				c.send(200, { success: true });
			} else return false;
			return true;
		}
		if (edge === 'assets' && method === 'POST') {
			c.send(200, this.uploadJson(node, c));
			return true;
		}
		if (edge === 'assets' && method === 'GET') {
			c.send(200, {
				data: flow.json
					? [
							{
								name: 'flow.json',
								asset_type: 'FLOW_JSON',
								download_url: `${this.host.baseUrl}/__emulator/flows/assets/${flow.id}`,
							},
						]
					: [],
			});
			return true;
		}
		if (edge === 'publish' && method === 'POST') {
			this.publish(node);
			c.send(200, { success: true });
			return true;
		}
		if (edge === 'deprecate' && method === 'POST') {
			this.deprecate(node);
			c.send(200, { success: true });
			return true;
		}
		return false;
	}
}

/** bodyParams plus multipart text fields (the public key is form-data in Meta's collection). */
function bodyParamsOrForm(c: RequestContext): Obj {
	const ct = c.req.headers['content-type'] ?? '';
	if (!/^multipart\/form-data/i.test(ct)) return bodyParams(c);
	const out: Obj = {};
	for (const part of parseMultipart(c.body, ct)) out[part.name] = part.data.toString('utf8');
	return out;
}
