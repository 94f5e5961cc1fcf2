/**
 * Builders of n8n workflow JSON for the e2e scenarios: nodes and parameter values exactly as the n8n
 * editor stores them (resource locators with `__rl`, resource-mapper values with their schema).
 */
import { randomUUID } from 'node:crypto';

import type { Emulator } from '../../emulator';
import { SEED_TEMPLATES } from '../../emulator';
import { templateMapperFields } from '../../../nodes/WhatsAppCloud/helpers/template/variables';
import type { ServerTemplate } from '../../../nodes/WhatsAppCloud/helpers/types/template';
import {
	CREDENTIAL_TYPE,
	NODE_TYPE,
	TRIGGER_NODE_TYPE,
	TRIGGER_VERSION,
	type N8nInstance,
} from '../harness';

export type Json = Record<string, unknown>;
export type WorkflowNode = Json & { name: string };

export interface CredentialRef {
	id: string;
	name: string;
}

/** The credential data that points the package at the emulator. */
export function emulatorCredentialData(emu: Emulator, verifyToken = 'e2e-verify-token'): Json {
	const c = emu.config;
	return {
		accessToken: c.token,
		appSecret: c.appSecret,
		appId: c.appId,
		businessAccountId: c.wabaId,
		verifyToken,
		apiVersion: c.apiVersion,
		baseUrl: emu.baseUrl,
	};
}

export async function createEmulatorCredential(
	n8n: N8nInstance,
	emu: Emulator,
	name = 'WhatsApp (emulator)',
): Promise<CredentialRef> {
	const id = await n8n.createCredential({
		name,
		type: CREDENTIAL_TYPE,
		data: emulatorCredentialData(emu),
	});
	return { id, name };
}

let position = 0;
/** A workflow node as the editor stores it, placed after the previous one. */
export function node(
	name: string,
	type: string,
	typeVersion: number,
	parameters: Json,
	extra: Json = {},
): WorkflowNode {
	position += 220;
	return {
		id: randomUUID(),
		name,
		type,
		typeVersion,
		position: [position % 2200, 200 * Math.floor(position / 2200)],
		parameters,
		...extra,
	};
}

/** `{ __rl: true, mode, value }` — how n8n stores a resourceLocator parameter. */
export const locator = (value: string, mode = 'list', cachedResultName?: string): Json => ({
	__rl: true,
	value,
	mode,
	...(cachedResultName ? { cachedResultName } : {}),
});

export function triggerNode(
	name: string,
	cred: CredentialRef,
	webhookId: string,
	params: {
		events?: string[];
		options?: Json;
		/** Registration parameters (default manual): `{ registration: 'automatic', scope, … }`. */
		registration?: Json;
	} = {},
): WorkflowNode {
	return node(
		name,
		TRIGGER_NODE_TYPE,
		TRIGGER_VERSION,
		{
			...(params.registration ?? { registration: 'manual' }),
			...(params.events ? { events: params.events } : {}),
			options: params.options ?? {},
		},
		{ webhookId, credentials: { whatsAppCloudApi: cred } },
	);
}

export function actionNode(
	name: string,
	cred: CredentialRef,
	parameters: Json,
	extra: Json = {},
): WorkflowNode {
	return node(name, NODE_TYPE, 1, parameters, {
		credentials: { whatsAppCloudApi: cred },
		...extra,
	});
}

export const manualTrigger = (name = 'Start') => node(name, 'n8n-nodes-base.manualTrigger', 1, {});

export const codeNode = (name: string, jsCode: string) =>
	node(name, 'n8n-nodes-base.code', 2, { jsCode });

export const noOp = (name: string) => node(name, 'n8n-nodes-base.noOp', 1, {});

/** IF (v2.2) with one string "equals" condition. */
export function ifEquals(name: string, leftValue: string, rightValue: string): WorkflowNode {
	return node(name, 'n8n-nodes-base.if', 2.2, {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
			conditions: [
				{
					id: randomUUID(),
					leftValue,
					rightValue,
					operator: { type: 'string', operation: 'equals' },
				},
			],
			combinator: 'and',
		},
		looseTypeValidation: true,
		options: {},
	});
}

/** connections: [from, to, fromOutput?] → n8n's connections object. */
export function connect(...links: Array<[string, string, number?]>): Json {
	const out: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }> =
		{};
	for (const [from, to, output = 0] of links) {
		const entry = (out[from] ??= { main: [] });
		while (entry.main.length <= output) entry.main.push([]);
		entry.main[output].push({ node: to, type: 'main', index: 0 });
	}
	return out;
}

export function seededTemplate(name: string, language: string): ServerTemplate {
	const t = SEED_TEMPLATES.find((x) => x.name === name && x.language === language);
	if (!t) throw new Error(`no seeded template ${name} (${language})`);
	return t as unknown as ServerTemplate;
}

/**
 * A resourceMapper parameter as the editor saves it after the user picked a template and filled
 * its variables: the mapped values plus the schema the node's `getTemplateVariables` returned.
 */
export function templateMapperValue(template: ServerTemplate, value: Json): Json {
	const schema = templateMapperFields(template).fields.map((f) => ({
		...f,
		removed: false,
	}));
	return {
		mappingMode: 'defineBelow',
		value,
		matchingColumns: [],
		schema,
		attemptToConvertTypes: false,
		convertFieldsToString: true,
	};
}

/** The wamid and sender of the first message in an inbound payload. */
export function inboundMessageId(payload: unknown): string {
	const p = payload as {
		entry: Array<{ changes: Array<{ value: { messages?: Array<{ id: string }> } }> }>;
	};
	const id = p.entry[0].changes[0].value.messages?.[0]?.id;
	if (!id) throw new Error('payload carries no message');
	return id;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value. */
export async function until<T>(
	what: string,
	fn: () => T | undefined | false | Promise<T | undefined | false>,
	timeoutMs = 30_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(100);
	}
}

/** Output items of a node in an execution (public API shape). */
export function nodeOutput(
	exec: { data?: { resultData: { runData: Record<string, Array<Record<string, any>>> } } },
	nodeName: string,
	output = 0,
): Array<{ json: Json; binary?: Json; pairedItem?: unknown }> {
	const runs = exec.data?.resultData.runData[nodeName];
	if (!runs?.length) return [];
	return runs.flatMap((r) => r.data?.main?.[output] ?? []);
}
