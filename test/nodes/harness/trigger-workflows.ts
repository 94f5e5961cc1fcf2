/**
 * Several workflows with one trigger each behind one loopback server, standing in for n8n's
 * production webhook endpoints: `/<workflow name>/harness-webhook-id/webhook` runs that workflow's
 * trigger `webhook()` (GET handshake, POST events) through the harness with the workflow's own
 * parameters, and records the executions it starts. A workflow that is not active answers 404, as
 * n8n does for an unregistered webhook. Its hooks run with its URL and static data, so Meta's
 * handshakes during activation reach the trigger itself.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeParameters,
	INodeType,
} from 'n8n-workflow';

import { callHook, callWebhook } from '../harness';

type Credentials = Record<string, ICredentialDataDecryptedObject>;

/** The suffix n8n's formula gives the harness's webhook (`<webhookId>/<path>`). */
export const WEBHOOK_SUFFIX = '/harness-webhook-id/webhook';

export interface StandInWorkflow {
	name: string;
	url: string;
	parameters: INodeParameters;
	staticData: IDataObject;
	/** Whether its webhook is registered (n8n registers it before create() and drops it after delete()). */
	active: boolean;
	/** The items of each execution its trigger started, oldest first. */
	executions: IDataObject[][];
	/** Answers of its webhook, oldest first: [method, status]. */
	requests: Array<[string, number]>;
}

export class TriggerWorkflows {
	private server?: http.Server;
	private base = '';
	private readonly workflows = new Map<string, StandInWorkflow>();

	constructor(
		private readonly node: INodeType,
		private readonly credentials: (workflow: StandInWorkflow) => Credentials,
	) {}

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => void this.serve(req, Buffer.concat(chunks), res));
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
		this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}

	/** Forgets every workflow (between tests). */
	clear(): void {
		this.workflows.clear();
	}

	urlOf(name: string): string {
		return `${this.base}/${name}${WEBHOOK_SUFFIX}`;
	}

	/** A workflow whose trigger has `parameters`; inactive until activated. */
	add(name: string, parameters: INodeParameters): StandInWorkflow {
		const workflow: StandInWorkflow = {
			name,
			url: this.urlOf(name),
			parameters,
			staticData: {},
			active: false,
			executions: [],
			requests: [],
		};
		this.workflows.set(name, workflow);
		return workflow;
	}

	get(name: string): StandInWorkflow {
		const workflow = this.workflows.get(name);
		if (!workflow) throw new Error(`no stand-in workflow ${name}`);
		return workflow;
	}

	/** Runs one of the trigger's webhook methods for the workflow. */
	async hook(name: string, method: 'checkExists' | 'create' | 'delete'): Promise<boolean> {
		const workflow = this.get(name);
		return await callHook({
			node: this.node,
			parameters: workflow.parameters,
			credentials: this.credentials(workflow),
			method,
			webhookUrl: workflow.url,
			staticData: workflow.staticData,
		});
	}

	/** n8n's activation: the webhook exists, then checkExists → create; the webhook goes if it throws. */
	async activate(name: string): Promise<void> {
		const workflow = this.get(name);
		workflow.active = true;
		try {
			if (!(await this.hook(name, 'checkExists'))) await this.hook(name, 'create');
		} catch (error) {
			workflow.active = false;
			throw error;
		}
	}

	/** n8n's deactivation: delete, then the webhook is gone. */
	async deactivate(name: string): Promise<void> {
		await this.hook(name, 'delete');
		this.get(name).active = false;
	}

	/** The workflow name a URL of this server belongs to ('' for any other URL). */
	nameOf(url: string): string {
		if (!url.startsWith(`${this.base}/`) || !url.endsWith(WEBHOOK_SUFFIX)) return '';
		return url.slice(this.base.length + 1, -WEBHOOK_SUFFIX.length);
	}

	private async serve(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const workflow = this.workflows.get(this.nameOf(`${this.base}${url.pathname}`));
		const method = req.method === 'GET' ? 'GET' : 'POST';
		if (!workflow?.active) {
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ code: 404, message: 'The requested webhook is not registered.' }));
			return;
		}
		const headers: Record<string, string> = {};
		for (const [key, value] of Object.entries(req.headers)) {
			if (typeof value === 'string') headers[key] = value;
		}
		try {
			const result = await callWebhook({
				node: this.node,
				parameters: workflow.parameters,
				credentials: this.credentials(workflow),
				method,
				query: Object.fromEntries(url.searchParams),
				headers,
				body: method === 'GET' ? undefined : body,
				staticData: workflow.staticData,
			});
			if (result.workflowData) workflow.executions.push(result.workflowData[0].map((i) => i.json));
			workflow.requests.push([method, result.statusCode]);
			res.writeHead(result.statusCode, {
				'content-type': result.headers['content-type'] ?? 'text/plain',
			});
			res.end(
				typeof result.responseBody === 'string'
					? result.responseBody
					: JSON.stringify(result.responseBody),
			);
		} catch {
			workflow.requests.push([method, 500]);
			res.writeHead(500);
			res.end();
		}
	}
}
