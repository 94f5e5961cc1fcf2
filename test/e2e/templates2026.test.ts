/**
 * The 2026 template kinds and the Marketing Messages API on a real n8n (2.41.1, or
 * $N8N_E2E_VERSION) with this package loaded from `npm pack`, against the Cloud API emulator:
 * a carousel and an authentication template picked in the editor's picker (n8n's
 * /rest/dynamic-node-parameters endpoints, as the editor calls them) and sent with variables
 * through the resource mapper; a marketing broadcast of 500 through the Marketing Messages API at
 * the number's rate; and the fallback to Cloud API for a number that is not onboarded.
 * Needs `npm run build` first; installs n8n into .cache/ on first use.
 */
import * as os from 'node:os';

import { PHONE_NUMBER_IDS, SEEDED_MEDIA_IDS, startEmulator, type Emulator } from '../emulator';
import { templateMapperFields } from '../../nodes/WhatsAppCloud/helpers/template/variables';
import { NODE_TYPE, startN8n, type N8nInstance } from './harness';
import { carouselCardSend } from '../support/templateSends';
import {
	actionNode,
	codeNode,
	connect,
	createEmulatorCredential,
	locator,
	manualTrigger,
	nodeOutput,
	noOp,
	seededTemplate,
	templateMapperValue,
	type CredentialRef,
	type Json,
} from './support/nodes';

// jest ignores `testTimeout` inside a `projects` entry
jest.setTimeout(600_000);

const [ONBOARDED, , NOT_ONBOARDED] = PHONE_NUMBER_IDS;
const CUSTOMER = '4915112345678';
const text = (t: string) => ({ type: 'text', text: t });

const timings: Record<string, number | string> = {};
const log = (k: string, v: number | string) => {
	timings[k] = v;
};

describe('2026 template kinds and the Marketing Messages API on a real n8n', () => {
	let n8n: N8nInstance;
	let emu: Emulator;
	let cred: CredentialRef;

	beforeAll(async () => {
		const t0 = Date.now();
		emu = await startEmulator({ port: 0 });
		n8n = await startN8n({ logName: 'templates2026', packageDir: process.env.N8N_E2E_PACKAGE_DIR });
		cred = await createEmulatorCredential(n8n, emu);
		log('n8nStartMs', Date.now() - t0);
	}, 600_000);

	afterAll(async () => {
		await n8n?.stop();
		await emu?.stop();
		process.stderr.write(`[e2e templates2026] n8n ${n8n?.version}: ${JSON.stringify(timings)}\n`);
	}, 60_000);

	beforeEach(() => {
		emu.reset();
	});

	/** What the editor sends to n8n's dynamic-parameter endpoints for a Send Template node. */
	const editorRequest = (path: string, methodName: string, parameters: Json, filter?: string) => ({
		path,
		methodName,
		nodeTypeAndVersion: { name: NODE_TYPE, version: 1 },
		currentNodeParameters: {
			resource: 'message',
			operation: 'sendTemplate',
			phoneNumberId: locator(ONBOARDED, 'id'),
			recipient: '',
			templateLanguage: '',
			...parameters,
		},
		credentials: { whatsAppCloudApi: cred },
		...(filter !== undefined ? { filter } : {}),
	});

	/** The template picker's list, filtered as a user types. */
	async function pick(filter: string): Promise<Array<{ name: string; value: string }>> {
		const r = await n8n.rest(
			'POST',
			'/rest/dynamic-node-parameters/resource-locator-results',
			editorRequest('parameters.template', 'searchTemplates', {}, filter),
		);
		expect(r.status).toBe(200);
		return r.body.data.results;
	}

	/** The resource mapper's fields once a template is picked. */
	async function mapperFields(value: string): Promise<unknown> {
		const r = await n8n.rest(
			'POST',
			'/rest/dynamic-node-parameters/resource-mapper-fields',
			editorRequest('parameters.templateVariables', 'getTemplateVariables', {
				template: locator(value, 'list'),
			}),
		);
		expect(r.status).toBe(200);
		return r.body.data;
	}

	it('1. a carousel and an authentication template: picked, filled through the mapper, sent', async () => {
		const carouselPick = await pick('carousel');
		expect(carouselPick).toEqual([
			{ name: 'carousel_picks (en_US)', value: 'carousel_picks|en_US', description: 'MARKETING' },
		]);
		const authPick = (await pick('auth_one')).find((r) => r.value === 'auth_one_tap|en_US');
		expect(authPick).toMatchObject({ name: 'auth_one_tap (en_US)' });

		const carousel = seededTemplate('carousel_picks', 'en_US');
		const auth = seededTemplate('auth_one_tap', 'en_US');
		// The editor's mapper gets exactly the node's fields: per card media, body and buttons;
		// for authentication one code (the button override is left out until added).
		expect(await mapperFields('carousel_picks|en_US')).toEqual(templateMapperFields(carousel));
		const authFields = await mapperFields('auth_one_tap|en_US');
		expect(authFields).toEqual(templateMapperFields(auth));
		expect(authFields).toMatchObject({
			fields: [
				{ id: 'body.1', required: true },
				{ id: 'button.0.url_suffix', required: false, removed: true },
			],
		});

		const start = manualTrigger();
		const recipients = codeNode(
			'Customer',
			`return [{ json: { to: '${CUSTOMER}', name: 'Ana', code: '482913' } }];`,
		);
		const sendCarousel = actionNode('Send carousel', cred, {
			resource: 'message',
			operation: 'sendTemplate',
			phoneNumberId: locator(ONBOARDED, 'id'),
			recipient: '={{ $json.to }}',
			template: locator(carouselPick[0].value, 'list', carouselPick[0].name),
			templateLanguage: '',
			templateVariables: templateMapperValue(carousel, {
				'body.1': '={{ $json.name }}',
				'card.0.header.image': SEEDED_MEDIA_IDS.image,
				'card.0.body.1': 'Blue Echeveria',
				'card.0.body.2': '$12',
				'card.0.button.0.payload': 'MORE_ECHEVERIA',
				'card.0.button.1.url_suffix': 'blue-echeveria',
				'card.1.header.image': 'https://cdn.example.com/aloe.jpg',
				'card.1.body.1': 'Aloe Vera',
				'card.1.body.2': '$9',
				'card.1.button.1.url_suffix': 'aloe-vera',
			}),
			messageOptions: { marketingMessagesApi: 'whenOnboarded' },
		});
		const sendCode = actionNode('Send code', cred, {
			resource: 'message',
			operation: 'sendTemplate',
			phoneNumberId: locator(ONBOARDED, 'id'),
			recipient: "={{ $('Customer').item.json.to }}",
			template: locator(authPick!.value, 'list', authPick!.name),
			templateLanguage: '',
			templateVariables: templateMapperValue(auth, {
				'body.1': "={{ $('Customer').item.json.code }}",
			}),
			messageOptions: { marketingMessagesApi: 'always' },
		});
		const id = await n8n.createWorkflow({
			name: 'e2e carousel and one-time password',
			nodes: [start, recipients, sendCarousel, sendCode],
			connections: connect(
				[start.name, recipients.name],
				[recipients.name, sendCarousel.name],
				[sendCarousel.name, sendCode.name],
			),
		});
		const exec = await n8n.execute(id);
		expect(exec.status).toBe('success');

		const [carouselSent, codeSent] = emu.messages();
		expect(carouselSent.body).toEqual({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: CUSTOMER,
			type: 'template',
			product_policy: 'STRICT',
			template: {
				name: 'carousel_picks',
				language: { code: 'en_US', policy: 'deterministic' },
				components: [
					{ type: 'body', parameters: [text('Ana')] },
					{
						type: 'carousel',
						cards: [
							carouselCardSend(0, {
								image: { id: SEEDED_MEDIA_IDS.image },
								body: ['Blue Echeveria', '$12'],
								payload: 'MORE_ECHEVERIA',
								urlSuffix: 'blue-echeveria',
							}),
							carouselCardSend(1, {
								image: { link: 'https://cdn.example.com/aloe.jpg' },
								body: ['Aloe Vera', '$9'],
								urlSuffix: 'aloe-vera',
							}),
						],
					},
				],
			},
		});
		expect(carouselSent.marketingMessages).toEqual({ servedBy: 'marketing_messages' });
		// Authentication templates are never marketing: Cloud API, whatever the option says.
		expect(codeSent.body).toEqual({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: CUSTOMER,
			type: 'template',
			template: {
				name: 'auth_one_tap',
				language: { code: 'en_US', policy: 'deterministic' },
				components: [
					{ type: 'body', parameters: [text('482913')] },
					{ type: 'button', sub_type: 'url', index: '0', parameters: [text('482913')] },
				],
			},
		});
		expect(codeSent.marketingMessages).toBeUndefined();
		expect(nodeOutput(exec, 'Send carousel')[0].json).toMatchObject({
			messageId: carouselSent.wamid,
			templateName: 'carousel_picks',
			route: 'marketing_messages',
		});
		expect(nodeOutput(exec, 'Send code')[0].json).toMatchObject({
			messageId: codeSent.wamid,
			templateName: 'auth_one_tap',
			route: 'cloud_api',
		});
	});

	/** Manual Trigger → Code (recipients) → Send Template image_promo to `{{$json.to}}`. */
	async function marketingBroadcast(
		name: string,
		recipients: string[],
		phoneNumberId: string,
		choice: 'whenOnboarded' | 'always',
	): Promise<string> {
		const start = manualTrigger();
		const items = codeNode(
			'Recipients',
			`const to = ${JSON.stringify(recipients)};\nreturn to.map((t) => ({ json: { to: t } }));`,
		);
		const send = actionNode(
			'Send promo',
			cred,
			{
				resource: 'message',
				operation: 'sendTemplate',
				phoneNumberId: locator(phoneNumberId, 'id'),
				recipient: '={{ $json.to }}',
				template: locator('image_promo|en_US', 'list', 'image_promo (en_US)'),
				templateLanguage: '',
				templateVariables: templateMapperValue(seededTemplate('image_promo', 'en_US'), {
					'header.image': SEEDED_MEDIA_IDS.image,
					'body.1': 'there',
					'button.0.url_suffix': 'summer',
				}),
				messageOptions: { marketingMessagesApi: choice },
				sendingOptions: {},
			},
			{ onError: 'continueErrorOutput' },
		);
		const sent = noOp('Sent');
		const failed = noOp('Failed');
		return n8n.createWorkflow({
			name,
			nodes: [start, items, send, sent, failed],
			connections: connect(
				[start.name, items.name],
				[items.name, send.name],
				[send.name, sent.name, 0],
				[send.name, failed.name, 1],
			),
		});
	}

	const recipientsFrom = (base: number, n: number) =>
		Array.from({ length: n }, (_, i) => String(base + i));

	it('2. a marketing broadcast of 500 through the Marketing Messages API at 80 msg/s: every one once', async () => {
		emu.configure({ messagesPerSecond: 80, latency: { kind: 'fixed', ms: 150 } });
		const recipients = recipientsFrom(4917100000000, 500);
		const id = await marketingBroadcast('e2e mm broadcast', recipients, ONBOARDED, 'always');
		const t0 = Date.now();
		const exec = await n8n.execute(id, { timeoutMs: 180_000 });
		log('mmBroadcastExecutionMs', Date.now() - t0);
		expect(exec.status).toBe('success');
		const out = nodeOutput(exec, 'Send promo', 0);
		expect(nodeOutput(exec, 'Send promo', 1)).toHaveLength(0);
		expect(out).toHaveLength(500);
		expect(out.map((i) => i.json.to)).toEqual(recipients);
		expect(out.every((i) => i.json.route === 'marketing_messages')).toBe(true);

		const stats = emu.stats();
		expect(stats.accepted).toBe(500);
		expect(stats.duplicates).toBe(0);
		expect(Object.values(stats.byRecipient).every((r) => r.accepted === 1)).toBe(true);
		const messages = emu.messages();
		expect(messages.every((m) => m.marketingMessages?.servedBy === 'marketing_messages')).toBe(
			true,
		);
		expect(new Set(messages.map((m) => m.wamid))).toEqual(
			new Set(out.map((i) => i.json.messageId)),
		);
		expect(emu.requests().filter((r) => r.path.endsWith('/messages'))).toHaveLength(0);

		// The sustained rate, from the emulator's acceptance times after the bucket's first second.
		const at = messages.map((m) => m.at).sort((a, b) => a - b);
		const steady = at.filter((t) => t > at[0] + 1000);
		const rate = (steady.length / (at[at.length - 1] - (at[0] + 1000))) * 1000;
		const throttled = emu.requests().filter((r) => r.code === 130429).length;
		log('mmBroadcastRate', Number(rate.toFixed(2)));
		log('mmBroadcastRateOfLimit', Number((rate / 80).toFixed(3)));
		log('mmBroadcast130429Answers', throttled);
		expect(throttled).toBe(0);
		expect(rate).toBeLessThanOrEqual(80 * 1.05);
		// Reaching the limit needs the CPU n8n spends per message; on a machine already running more
		// than it has cores (other n8n instances), only the upper bound says something about us.
		const load = os.loadavg()[0];
		log('mmBroadcastLoadAverage', Number(load.toFixed(1)));
		if (load <= os.cpus().length) expect(rate).toBeGreaterThanOrEqual(80 * 0.95);
	});

	it('3. a number that is not onboarded: the regular API when chosen, else a clear error', async () => {
		const recipients = recipientsFrom(4917200000000, 40);
		const fallbackId = await marketingBroadcast(
			'e2e mm fallback',
			recipients,
			NOT_ONBOARDED,
			'whenOnboarded',
		);
		const exec = await n8n.execute(fallbackId, { timeoutMs: 120_000 });
		expect(exec.status).toBe('success');
		const out = nodeOutput(exec, 'Send promo', 0);
		expect(out).toHaveLength(40);
		expect(nodeOutput(exec, 'Send promo', 1)).toHaveLength(0);
		expect(
			out.every(
				(i) => i.json.route === 'cloud_api' && i.json.routeFallbackReason === 'notOnboarded',
			),
		).toBe(true);
		const stats = emu.stats();
		expect(stats.accepted).toBe(40);
		expect(stats.duplicates).toBe(0);
		expect(Object.keys(stats.byRecipient).sort()).toEqual([...recipients].sort());
		expect(emu.messages().every((m) => m.marketingMessages === undefined)).toBe(true);
		// Refused ones were never sent, so resending them cannot double anything; once a refusal is
		// known, later items of the number skip the Marketing Messages API.
		const refusals = emu.requests().filter((r) => r.path.endsWith('/marketing_messages'));
		expect(refusals.every((r) => r.code === 131055)).toBe(true);
		log('fallbackRefusals', refusals.length);
		expect(refusals.length).toBeLessThan(40);

		emu.reset();
		const strictId = await marketingBroadcast(
			'e2e mm strict',
			recipients.slice(0, 5),
			NOT_ONBOARDED,
			'always',
		);
		const strict = await n8n.execute(strictId, { timeoutMs: 60_000 });
		expect(strict.status).toBe('success');
		expect(nodeOutput(strict, 'Send promo', 0)).toHaveLength(0);
		const failed = nodeOutput(strict, 'Send promo', 1);
		expect(failed).toHaveLength(5);
		const error = failed[0].json.error as Json;
		expect(error).toMatchObject({ code: 131055, route: 'marketing_messages' });
		expect(String(error.hint)).toContain('Onboard it in WhatsApp Manager');
		expect(emu.messages()).toHaveLength(0);
	});
});
