/**
 * The appointment-booking Flow endpoint as an n8n workflow (shared by the e2e test and the Flow
 * endpoint benchmark): WhatsApp Cloud API Flow Trigger → Switch on the screen → the action node's
 * Flow → Respond, which shows the next screen with data the workflow computes, or closes the Flow.
 */
import type { Emulator } from '../../emulator';
import type { OpensslKeyPair } from '../../support/flowVectors';
import { CREDENTIAL_TYPE, PACKAGE_NAME, TRIGGER_VERSION, type N8nInstance } from '../harness';
import type { CredentialRef, Json, WorkflowNode } from './nodes';
import { actionNode, connect, emulatorCredentialData, node } from './nodes';

export const FLOW_TRIGGER_TYPE = `${PACKAGE_NAME}.whatsAppCloudFlowTrigger`;

export const BOOKING_SCREEN =
	"={{ $json.action === 'INIT' ? 'PICK_DATE' : ($json.screen === 'PICK_DATE' ? 'PICK_SLOT' : 'CONFIRM') }}";
/** The workflow computes each screen's data: the slots depend on the chosen date. */
export const BOOKING_DATA = `={{ $json.action === 'INIT'
	? { dates: [{ id: '2026-12-24', title: 'Thu 24 Dec' }, { id: '2026-12-28', title: 'Mon 28 Dec' }] }
	: $json.screen === 'PICK_DATE'
		? { date: $json.data.date, slots: ($json.data.date === '2026-12-24' ? ['09:00', '09:30'] : ['14:00']).map(s => ({ id: s, title: s })) }
		: { date: $json.data.date, slot: $json.data.slot, summary: $json.data.date + ' at ' + $json.data.slot } }}`;

/** A credential for the emulator holding the Flow private key (encrypted, with its passphrase). */
export async function createFlowCredential(
	n8n: N8nInstance,
	emu: Emulator,
	keys: OpensslKeyPair,
	name: string,
): Promise<CredentialRef> {
	const id = await n8n.createCredential({
		name,
		type: CREDENTIAL_TYPE,
		data: {
			...emulatorCredentialData(emu),
			flowPrivateKey: keys.encryptedPkcs8Pem,
			flowPrivateKeyPassphrase: keys.passphrase,
		},
	});
	return { id, name };
}

/** The Flow Trigger, its endpoint at `/webhook/<webhookId>/flow`. */
export function flowTriggerNode(cred: CredentialRef, webhookId: string, name = 'Flow Trigger') {
	return node(
		name,
		FLOW_TRIGGER_TYPE,
		TRIGGER_VERSION,
		{ registration: 'manual', signatures: 'required', options: {} },
		{ webhookId, credentials: { whatsAppCloudApi: cred } },
	);
}

/** The action node's Flow → Respond with the given parameters. */
export function flowRespondNode(cred: CredentialRef, name: string, parameters: Json): WorkflowNode {
	return actionNode(name, cred, { resource: 'flow', operation: 'respond', ...parameters });
}

/** INIT → PICK_DATE → PICK_SLOT (slots for the date) → CONFIRM → closed with the booking. */
export function bookingEndpointWorkflow(cred: CredentialRef, webhookId: string, name: string) {
	const trigger = flowTriggerNode(cred, webhookId);
	const route = node('Last screen?', 'n8n-nodes-base.switch', 3, {
		mode: 'expression',
		numberOutputs: 2,
		output: "={{ $json.screen === 'CONFIRM' ? 1 : 0 }}",
	});
	const next = flowRespondNode(cred, 'Next screen', {
		respondWith: 'nextScreen',
		screen: BOOKING_SCREEN,
		screenData: BOOKING_DATA,
	});
	const close = flowRespondNode(cred, 'Book', {
		respondWith: 'closeFlow',
		responseParameters:
			'={{ { date: $json.data.date, slot: $json.data.slot, booking: "B-" + $json.data.slot } }}',
	});
	return {
		name,
		nodes: [trigger, route, next, close],
		connections: connect(
			[trigger.name, route.name],
			[route.name, next.name, 0],
			[route.name, close.name, 1],
		),
	};
}
