/** Template sends and template management through n8n-core against the emulator. */
import type { INodeParameters } from 'n8n-workflow';

import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import type { Emulator } from '../emulator';
import { SEEDED_MEDIA_IDS, startEmulator } from '../emulator';
import { callLoadOptions, emulatorCredentials, runNode } from './harness';

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => {
	emu.reset();
});

const credentials = (overrides: Record<string, string> = {}) => emulatorCredentials(emu, overrides);

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });

/** The resource mapper's parameter value, as the editor stores it. */
const mapper = (value: Record<string, unknown> | null) => ({
	mappingMode: 'defineBelow',
	value,
	matchingColumns: [],
	schema: Object.keys(value ?? {}).map((id) => ({
		id,
		displayName: id,
		required: false,
		defaultMatch: false,
		display: true,
		type: 'string',
		canBeUsedToMatch: false,
	})),
	attemptToConvertTypes: false,
	convertFieldsToString: false,
});

const RECIPIENT = '16505551234';

async function sendTemplate(
	template: { mode: string; value: string },
	values: Record<string, unknown> | null,
	extra: INodeParameters = {},
	run: {
		items?: number;
		continueOnFail?: boolean;
		credentials?: ReturnType<typeof credentials>;
	} = {},
) {
	return await runNode({
		node: new WhatsAppCloud(),
		parameters: {
			resource: 'message',
			operation: 'sendTemplate',
			phoneNumberId: rl('id', emu.config.phoneNumberIds[0]),
			recipient: `+${RECIPIENT}`,
			template: rl(template.mode, template.value),
			templateLanguage: '',
			templateVariables: mapper(values) as unknown as INodeParameters,
			...extra,
		},
		items: Array.from({ length: run.items ?? 1 }, (_, i) => ({ json: { i } })),
		credentials: run.credentials ?? credentials(),
		continueOnFail: run.continueOnFail,
	});
}

const envelope = {
	messaging_product: 'whatsapp',
	recipient_type: 'individual',
	to: RECIPIENT,
	type: 'template',
};
const language = (code: string) => ({ code, policy: 'deterministic' });

describe('Send Template: the exact JSON Meta receives', () => {
	test.each([
		['hello_world|en_US', {}, { name: 'hello_world', language: language('en_US') }],
		[
			'order_update|es',
			{
				'header.text.1': '#1042',
				'body.1': 'Ana',
				'body.2': '#1042',
				'body.3': 'lunes',
				'button.1.payload': 'CANCEL',
			},
			{
				name: 'order_update',
				language: language('es'),
				components: [
					{ type: 'header', parameters: [{ type: 'text', text: '#1042' }] },
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'Ana' },
							{ type: 'text', text: '#1042' },
							{ type: 'text', text: 'lunes' },
						],
					},
					{
						type: 'button',
						sub_type: 'quick_reply',
						index: '1',
						parameters: [{ type: 'payload', payload: 'CANCEL' }],
					},
				],
			},
		],
		[
			'shipping_named|en_US',
			{ 'header.text.first_name': 'Ana', 'body.order_id': '#1042', 'body.delivery_date': 'Monday' },
			{
				name: 'shipping_named',
				language: language('en_US'),
				components: [
					{
						type: 'header',
						parameters: [{ type: 'text', text: 'Ana', parameter_name: 'first_name' }],
					},
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: '#1042', parameter_name: 'order_id' },
							{ type: 'text', text: 'Monday', parameter_name: 'delivery_date' },
						],
					},
				],
			},
		],
		[
			'image_promo|en_US',
			{
				'header.image': SEEDED_MEDIA_IDS.image,
				'body.1': 'Ana',
				'button.0.url_suffix': 'summer',
				'button.1.payload': 'STOP',
			},
			{
				name: 'image_promo',
				language: language('en_US'),
				components: [
					{
						type: 'header',
						parameters: [{ type: 'image', image: { id: SEEDED_MEDIA_IDS.image } }],
					},
					{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] },
					{
						type: 'button',
						sub_type: 'url',
						index: '0',
						parameters: [{ type: 'text', text: 'summer' }],
					},
					{
						type: 'button',
						sub_type: 'quick_reply',
						index: '1',
						parameters: [{ type: 'payload', payload: 'STOP' }],
					},
				],
			},
		],
		[
			'video_intro|en_US',
			{ 'header.video': 'https://cdn.example.com/intro.mp4' },
			{
				name: 'video_intro',
				language: language('en_US'),
				components: [
					{
						type: 'header',
						parameters: [{ type: 'video', video: { link: 'https://cdn.example.com/intro.mp4' } }],
					},
				],
			},
		],
		[
			'invoice_ready|en_US',
			{
				'header.document': SEEDED_MEDIA_IDS.document,
				'body.1': 'INV-7',
				'body.2': { currency: { fallback_value: '$10.50', code: 'USD', amount_1000: 10500 } },
				'body.3': { date_time: { fallback_value: 'Jan 1, 2027' } },
			},
			{
				name: 'invoice_ready',
				language: language('en_US'),
				components: [
					{
						type: 'header',
						parameters: [{ type: 'document', document: { id: SEEDED_MEDIA_IDS.document } }],
					},
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'INV-7' },
							{
								type: 'currency',
								currency: { fallback_value: '$10.50', code: 'USD', amount_1000: 10500 },
							},
							{ type: 'date_time', date_time: { fallback_value: 'Jan 1, 2027' } },
						],
					},
				],
			},
		],
		[
			'store_location|en_US',
			{
				'header.location.latitude': 37.4847,
				'header.location.longitude': -122.1477,
				'header.location.name': 'Main store',
				'header.location.address': '1 Hacker Way',
				'body.1': 'our main store',
			},
			{
				name: 'store_location',
				language: language('en_US'),
				components: [
					{
						type: 'header',
						parameters: [
							{
								type: 'location',
								location: {
									latitude: 37.4847,
									longitude: -122.1477,
									name: 'Main store',
									address: '1 Hacker Way',
								},
							},
						],
					},
					{ type: 'body', parameters: [{ type: 'text', text: 'our main store' }] },
				],
			},
		],
		[
			'coupon_offer|en_US',
			{ 'body.1': 'SAVE20', 'body.2': '20%', 'button.0.coupon_code': 'SAVE20' },
			{
				name: 'coupon_offer',
				language: language('en_US'),
				components: [
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'SAVE20' },
							{ type: 'text', text: '20%' },
						],
					},
					{
						type: 'button',
						sub_type: 'copy_code',
						index: '0',
						parameters: [{ type: 'coupon_code', coupon_code: 'SAVE20' }],
					},
				],
			},
		],
		[
			'signup_flow|en_US',
			{ 'button.0.flow_token': 'tok-1', 'button.0.flow_action_data': '{"plan":"gold"}' },
			{
				name: 'signup_flow',
				language: language('en_US'),
				components: [
					{
						type: 'button',
						sub_type: 'flow',
						index: '0',
						parameters: [
							{
								type: 'action',
								action: { flow_token: 'tok-1', flow_action_data: { plan: 'gold' } },
							},
						],
					},
				],
			},
		],
		['contact_us|en_US', {}, { name: 'contact_us', language: language('en_US') }],
		[
			'auth_code|en_US',
			{ 'body.1': '123456', 'button.0.url_suffix': '123456' },
			{
				name: 'auth_code',
				language: language('en_US'),
				components: [
					{ type: 'body', parameters: [{ type: 'text', text: '123456' }] },
					{
						type: 'button',
						sub_type: 'url',
						index: '0',
						parameters: [{ type: 'text', text: '123456' }],
					},
				],
			},
		],
	])('%s', async (value, values, expected) => {
		const result = await sendTemplate({ mode: 'list', value }, values);
		expect(result.error).toBeUndefined();
		const [sent] = emu.messages();
		expect(sent.body).toEqual({ ...envelope, template: expected });
		expect(result.outputs[0]).toHaveLength(1);
		expect(result.outputs[0][0].json).toMatchObject({
			messageId: sent.wamid,
			phoneNumberId: emu.config.phoneNumberIds[0],
			templateName: expected.name,
			templateLanguage: expected.language.code,
		});
	});

	test('by name with a language field; expressions evaluated per item', async () => {
		const result = await sendTemplate(
			{ mode: 'name', value: 'payment_due' },
			{ 'body.1': '={{ "$" + ($json.i + 1) + ".00" }}', 'body.2': 'Jan 1, 2027' },
			{ templateLanguage: 'en_US' },
			{ items: 2 },
		);
		expect(result.error).toBeUndefined();
		expect(
			emu
				.messages()
				.map(
					(m) =>
						(m.body.template as { components: Array<{ parameters: Array<{ text: string }> }> })
							.components[0].parameters[0].text,
				),
		).toEqual(['$1.00', '$2.00']);
	});

	test('the definition is fetched once for all items of an execution', async () => {
		const result = await sendTemplate(
			{ mode: 'list', value: 'payment_due|en_US' },
			{ 'body.1': '$1', 'body.2': 'today' },
			{},
			{ items: 5 },
		);
		expect(result.error).toBeUndefined();
		expect(emu.messages()).toHaveLength(5);
		expect(
			emu.requests().filter((r) => r.method === 'GET' && r.path.includes('message_templates')),
		).toHaveLength(1);
	});

	test('a template with one language needs no language; one with several does', async () => {
		expect((await sendTemplate({ mode: 'name', value: 'hello_world' }, {})).error).toBeUndefined();
		const ambiguous = await sendTemplate({ mode: 'name', value: 'order_update' }, {});
		expect(ambiguous.error?.message).toBe(
			'Template "order_update" exists in several languages; set the Language field',
		);
		expect((ambiguous.error as { description?: string }).description).toContain(
			'en_US (APPROVED), es (APPROVED)',
		);
	});

	test('missing variables are listed, and nothing is sent', async () => {
		const result = await sendTemplate(
			{ mode: 'list', value: 'order_update|en_US' },
			{ 'body.2': '#1' },
		);
		expect(result.error?.message).toBe(
			'template order_update (en_US) needs 3 more variables: header.text.1 (Header {{1}} (e.g. #1234)); body.1 (Body {{1}} (e.g. Ana)); body.3 (Body {{3}} (e.g. Monday))',
		);
		expect(emu.messages()).toHaveLength(0);
	});

	test('a limit violation names the field and the item; other items still go with continue-on-fail', async () => {
		const result = await sendTemplate(
			{ mode: 'list', value: 'payment_due|en_US' },
			{ 'body.1': '={{ $json.i === 1 ? "a\\nb" : "ok" }}', 'body.2': 'today' },
			{},
			{ items: 3, continueOnFail: true },
		);
		expect(emu.messages()).toHaveLength(2);
		const failed = result.outputs[0][1].json as { error?: { message?: string } };
		expect(failed.error?.message).toContain('body.1 must not contain line breaks or tabs');
	});

	test('unknown template, rejected template, no business account ID', async () => {
		expect(
			(await sendTemplate({ mode: 'name', value: 'no_such_template' }, {})).error?.message,
		).toBe(
			`Template "no_such_template" does not exist in WhatsApp Business Account ${emu.config.wabaId}`,
		);
		expect(
			(await sendTemplate({ mode: 'list', value: 'old_promo|en_US' }, {})).error?.message,
		).toBe('template old_promo (en_US) is REJECTED; only APPROVED templates can be sent');
		const noWaba = await sendTemplate(
			{ mode: 'list', value: 'hello_world|en_US' },
			{},
			{},
			{ credentials: credentials({ businessAccountId: '' }) },
		);
		expect(noWaba.error?.message).toBe(
			'The credential has no WhatsApp Business Account ID, which templates and phone number lists need',
		);
		expect((noWaba.error as { description?: string }).description).toContain(
			'WhatsApp Business Account ID',
		);
		expect(emu.messages()).toHaveLength(0);
	});
});

describe('editor methods', () => {
	test('searchTemplates lists approved templates as "name (language)"', async () => {
		const result = (await callLoadOptions({
			node: new WhatsAppCloud(),
			kind: 'listSearch',
			method: 'searchTemplates',
			credentials: credentials(),
		})) as { results: Array<{ name: string; value: string }> };
		const names = result.results.map((r) => r.name);
		expect(names).toContain('order_update (es)');
		expect(names).not.toContain('old_promo (en_US)');
		expect(result.results.find((r) => r.name === 'order_update (es)')?.value).toBe(
			'order_update|es',
		);
	});

	test('searchTemplates filters', async () => {
		const result = (await callLoadOptions({
			node: new WhatsAppCloud(),
			kind: 'listSearch',
			method: 'searchTemplates',
			credentials: credentials(),
			filter: 'order',
		})) as { results: Array<{ name: string }> };
		expect(result.results.map((r) => r.name)).toEqual([
			'order_update (en_US)',
			'order_update (es)',
		]);
	});

	test('getTemplateVariables gives the resource mapper fields of the chosen template', async () => {
		const result = await callLoadOptions({
			node: new WhatsAppCloud(),
			kind: 'resourceMapping',
			method: 'getTemplateVariables',
			credentials: credentials(),
			parameters: {
				resource: 'message',
				operation: 'sendTemplate',
				template: rl('list', 'coupon_offer|en_US'),
				templateLanguage: '',
			},
		});
		expect(result).toEqual({
			fields: [
				expect.objectContaining({
					id: 'body.1',
					displayName: 'Body {{1}} (e.g. SAVE20)',
					required: true,
					type: 'string',
				}),
				expect.objectContaining({ id: 'body.2', required: true }),
				expect.objectContaining({
					id: 'button.0.coupon_code',
					required: true,
					defaultMatch: false,
					display: true,
					canBeUsedToMatch: false,
				}),
			],
		});
	});

	test('getTemplateVariables before a template is chosen: no fields', async () => {
		const result = await callLoadOptions({
			node: new WhatsAppCloud(),
			kind: 'resourceMapping',
			method: 'getTemplateVariables',
			credentials: credentials(),
			parameters: {
				resource: 'message',
				operation: 'sendTemplate',
				template: rl('list', ''),
				templateLanguage: '',
			},
		});
		expect(result).toEqual({ fields: [] });
	});
});

async function templateOp(operation: string, parameters: INodeParameters, continueOnFail = false) {
	return await runNode({
		node: new WhatsAppCloud(),
		parameters: { resource: 'template', operation, ...parameters },
		credentials: credentials(),
		continueOnFail,
	});
}

describe('Template: list, get, create, delete', () => {
	test('list: all, with limit, with filters', async () => {
		const all = await templateOp('list', { returnAll: true });
		expect(all.outputs[0]).toHaveLength(20);
		const limited = await templateOp('list', { returnAll: false, limit: 3 });
		expect(limited.outputs[0]).toHaveLength(3);
		const filtered = await templateOp('list', {
			returnAll: true,
			filters: {
				status: ['APPROVED'],
				category: ['MARKETING', 'AUTHENTICATION'],
				language: 'en_US',
			},
		});
		expect(filtered.outputs[0].map((i) => i.json.name).sort()).toEqual([
			'auth_code',
			'auth_copy_code',
			'auth_one_tap',
			'carousel_picks',
			'catalog_browse',
			'coupon_offer',
			'flash_sale',
			'image_promo',
			'mpm_restock',
			'signup_flow',
			'video_intro',
		]);
		const byName = await templateOp('list', { returnAll: true, filters: { name: 'order' } });
		expect(byName.outputs[0].map((i) => `${i.json.name}|${i.json.language}`)).toEqual([
			'order_update|en_US',
			'order_update|es',
		]);
		expect(byName.outputs[0][0].json).toMatchObject({
			id: '1209876543210002',
			status: 'APPROVED',
			category: 'UTILITY',
			components: expect.any(Array),
		});
	});

	test('list pages through Graph cursors', async () => {
		const result = await templateOp('list', { returnAll: false, limit: 13 });
		expect(result.outputs[0]).toHaveLength(13);
		expect(new Set(result.outputs[0].map((i) => i.json.id)).size).toBe(13);
	});

	test('get by name (every language or one) and by ID', async () => {
		const both = await templateOp('get', {
			getBy: 'name',
			templateName: 'order_update',
			templateLanguage: '',
		});
		expect(both.outputs[0].map((i) => i.json.language)).toEqual(['en_US', 'es']);
		const one = await templateOp('get', {
			getBy: 'name',
			templateName: 'order_update',
			templateLanguage: 'es',
		});
		expect(one.outputs[0].map((i) => i.json.id)).toEqual(['1209876543210003']);
		const byId = await templateOp('get', { getBy: 'id', templateId: '1209876543210005' });
		expect(byId.outputs[0][0].json).toMatchObject({ name: 'image_promo', language: 'en_US' });
		const missing = await templateOp('get', {
			getBy: 'name',
			templateName: 'order',
			templateLanguage: '',
		});
		expect(missing.error?.message).toBe(
			`Template "order" does not exist in WhatsApp Business Account ${emu.config.wabaId}`,
		);
	});

	test('create from fields, then send it', async () => {
		const created = await templateOp('create', {
			templateName: 'welcome_named',
			templateLanguage: 'en_US',
			category: 'MARKETING',
			componentsFrom: 'fields',
			headerFormat: 'TEXT',
			headerText: 'Hi {{first_name}}',
			headerExample: 'Ana',
			bodyText: 'Your code {{code}} gives {{discount}} off.',
			bodyExamples: {
				example: [
					{ placeholder: 'code', value: 'SAVE20' },
					{ placeholder: '{{discount}}', value: '20%' },
				],
			},
			footerText: 'Reply STOP to opt out',
			buttons: {
				button: [
					{ type: 'QUICK_REPLY', text: 'Stop' },
					{
						type: 'URL',
						text: 'Shop',
						url: 'https://shop.example.com/{{1}}',
						urlExample: 'https://shop.example.com/a',
					},
					{ type: 'COPY_CODE', couponExample: 'SAVE20' },
				],
			},
		});
		expect(created.error).toBeUndefined();
		expect(created.outputs[0][0].json).toMatchObject({
			id: expect.any(String),
			name: 'welcome_named',
			language: 'en_US',
			category: 'MARKETING',
			status: 'APPROVED',
			parameter_format: 'NAMED',
		});
		const sent = await sendTemplate(
			{ mode: 'name', value: 'welcome_named' },
			{
				'header.text.first_name': 'Ana',
				'body.code': 'SAVE20',
				'body.discount': '20%',
				'button.1.url_suffix': 'a',
				'button.2.coupon_code': 'SAVE20',
			},
		);
		expect(sent.error).toBeUndefined();
		expect(emu.messages()[0].body.template).toEqual({
			name: 'welcome_named',
			language: language('en_US'),
			components: [
				{
					type: 'header',
					parameters: [{ type: 'text', text: 'Ana', parameter_name: 'first_name' }],
				},
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: 'SAVE20', parameter_name: 'code' },
						{ type: 'text', text: '20%', parameter_name: 'discount' },
					],
				},
				{ type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'a' }] },
				{
					type: 'button',
					sub_type: 'copy_code',
					index: '2',
					parameters: [{ type: 'coupon_code', coupon_code: 'SAVE20' }],
				},
			],
		});
	});

	test('create from JSON', async () => {
		const created = await templateOp('create', {
			templateName: 'json_made',
			templateLanguage: 'es',
			category: 'UTILITY',
			componentsFrom: 'json',
			componentsJson: JSON.stringify([
				{ type: 'BODY', text: 'Hola {{1}}', example: { body_text: [['Ana']] } },
			]),
		});
		expect(created.error).toBeUndefined();
		const got = await templateOp('get', {
			getBy: 'name',
			templateName: 'json_made',
			templateLanguage: 'es',
		});
		expect(got.outputs[0][0].json).toMatchObject({
			parameter_format: 'POSITIONAL',
			components: [{ type: 'BODY', text: 'Hola {{1}}' }],
		});
	});

	test('create is checked before anything is sent', async () => {
		const result = await templateOp('create', {
			templateName: 'bad_one',
			templateLanguage: 'en_US',
			category: 'UTILITY',
			componentsFrom: 'fields',
			headerFormat: 'none',
			bodyText: 'Hi {{1}} and {{3}}',
			bodyExamples: { example: [{ placeholder: '1', value: 'a' }] },
		});
		expect(result.error?.message).toContain('placeholder 2 is {{3}}');
		expect(emu.requests().filter((r) => r.method === 'POST')).toHaveLength(0);
	});

	test('create: invalid JSON', async () => {
		const result = await templateOp('create', {
			templateName: 'bad_json',
			templateLanguage: 'en_US',
			category: 'UTILITY',
			componentsFrom: 'json',
			componentsJson: '[{',
		});
		expect(result.error?.message).toBe('Components (JSON) is not valid JSON');
	});

	test('delete one language version, then every version', async () => {
		const one = await templateOp('delete', {
			templateName: 'order_update',
			templateId: '1209876543210003',
		});
		expect(one.outputs[0][0].json).toEqual({
			success: true,
			name: 'order_update',
			templateId: '1209876543210003',
		});
		const left = await templateOp('get', {
			getBy: 'name',
			templateName: 'order_update',
			templateLanguage: '',
		});
		expect(left.outputs[0].map((i) => i.json.language)).toEqual(['en_US']);
		const all = await templateOp('delete', { templateName: 'order_update', templateId: '' });
		expect(all.outputs[0][0].json).toEqual({ success: true, name: 'order_update' });
		const gone = await templateOp('delete', { templateName: 'order_update', templateId: '' });
		expect(gone.error?.message).toContain('(#100)');
	});
});

describe('Fallback template on free-form sends (131047)', () => {
	const sendText = (fallbackTemplate: INodeParameters) =>
		runNode({
			node: new WhatsAppCloud(),
			parameters: {
				resource: 'message',
				operation: 'sendText',
				phoneNumberId: rl('id', emu.config.phoneNumberIds[0]),
				recipient: `+${RECIPIENT}`,
				textBody: 'Your order shipped',
				messageOptions: { fallbackTemplate },
			},
			credentials: credentials(),
		});

	test('Meta answers 131047 → the template is sent instead', async () => {
		emu.queueError(RECIPIENT, 131047);
		const result = await sendText({
			template: {
				name: 'payment_due',
				language: 'en_US',
				variables: '{"body.1": "$5", "body.2": "today"}',
			},
		});
		expect(result.error).toBeUndefined();
		expect(emu.messages().map((m) => m.body)).toEqual([
			{
				...envelope,
				template: {
					name: 'payment_due',
					language: language('en_US'),
					components: [
						{
							type: 'body',
							parameters: [
								{ type: 'text', text: '$5' },
								{ type: 'text', text: 'today' },
							],
						},
					],
				},
			},
		]);
		expect(result.outputs[0][0].json).toMatchObject({ sentAs: 'fallbackTemplate' });
	});

	test('no 131047 → the text goes out and the fallback is unused', async () => {
		const result = await sendText({
			template: { name: 'hello_world', language: '', variables: '{}' },
		});
		expect(result.error).toBeUndefined();
		expect(emu.messages().map((m) => m.type)).toEqual(['text']);
	});

	test('a fallback that cannot be built fails the item before anything is sent', async () => {
		const result = await sendText({
			template: { name: 'payment_due', language: 'en_US', variables: '{"body.1": "$5"}' },
		});
		expect(result.error?.message).toContain('needs 1 more variable: body.2');
		expect(emu.messages()).toHaveLength(0);
	});
});
