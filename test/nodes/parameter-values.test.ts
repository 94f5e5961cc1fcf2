/**
 * The parameter-reading layer of the send operations, through n8n-core against the emulator:
 * parameter values of any JSON type (typed in, or from an expression) end in a request the emulator
 * accepts or in our error naming the field and the item — never a TypeError, never an object sent
 * as "[object Object]" or null as "null" (audit finding 8).
 */
import fc from 'fast-check';
import type { INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import type { Emulator } from '../emulator';
import { SEEDED_MEDIA_IDS, startEmulator } from '../emulator';
import { runNode } from './harness';

const WAMID = 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => emu.reset());

/** One item whose `json` holds the values; `fromItem` parameters read them by expression. */
async function send(
	operation: string,
	parameters: INodeParameters,
	json: Record<string, unknown> = {},
) {
	return await runNode({
		node: new WhatsAppCloud(),
		parameters: {
			resource: 'message',
			operation,
			phoneNumberId: { mode: 'id', value: emu.config.phoneNumberIds[0] },
			recipient: '16505551234',
			...parameters,
		},
		items: [{ json: json as never }],
		credentials: {
			whatsAppCloudApi: {
				accessToken: emu.config.token,
				appSecret: emu.config.appSecret,
				businessAccountId: emu.config.wabaId,
				apiVersion: emu.config.apiVersion,
				baseUrl: emu.baseUrl,
			},
		},
	});
}

/** Our refusal: a NodeOperationError for item 0 that wraps no JavaScript error. */
function expectOurError(error: unknown, field: RegExp) {
	expect(error).toBeInstanceOf(NodeOperationError);
	const nodeError = error as NodeOperationError;
	expect(nodeError.cause).not.toBeInstanceOf(TypeError);
	expect(nodeError.message).not.toMatch(/Cannot read|is not a function|\[object Object\]/);
	expect(`${nodeError.message} ${nodeError.description ?? ''}`).toMatch(field);
	expect(nodeError.description ?? '').toMatch(/\(item 0\)/);
	expect(emu.messages()).toEqual([]);
}

describe('values of the wrong kind are refused by field, not sent or crashed on', () => {
	it('Send Location with a null name sends no name, a numeric address as its digits', async () => {
		const result = await send('sendLocation', {
			latitude: 1,
			longitude: 2,
			locationName: null,
			locationAddress: 12,
		} as never);
		expect(result.error).toBeUndefined();
		expect((emu.messages()[0].body as { location: unknown }).location).toEqual({
			latitude: 1,
			longitude: 2,
			address: '12',
		});
	});

	it('Send Location with an object name names the field', async () => {
		const result = await send(
			'sendLocation',
			{ latitude: 1, longitude: 2, locationName: '={{ $json.v }}' },
			{ v: { a: 1 } },
		);
		expectOurError(result.error, /name must be text; it is an object/);
	});

	it('Send Location with a null latitude names the field', async () => {
		const result = await send(
			'sendLocation',
			{ latitude: '={{ $json.v }}', longitude: 2 },
			{ v: null },
		);
		expectOurError(result.error, /latitude must be a number from -90 to 90; it is null/);
	});

	it.each([
		[
			'an object',
			'={{ $json.value }}',
			{ value: { order: 7 } },
			/callbackData must be text; it is an object/,
		],
		['a list', '={{ $json.value }}', { value: [1, 2] }, /callbackData must be text; it is a list/],
	])('callback data given as %s is refused', async (_what, expression, json, message) => {
		const result = await send(
			'sendText',
			{ textBody: 'x', messageOptions: { callbackData: expression } },
			json,
		);
		expectOurError(result.error, message);
	});

	it('a reaction to a null message ID is refused, not sent to "null"', async () => {
		const result = await send(
			'sendReaction',
			{ reactionMessageId: '={{ $json.id }}', emoji: '👍' },
			{ id: null },
		);
		expectOurError(result.error, /messageId must be a message ID/);
	});

	it('a reply-to given as an object is refused', async () => {
		const result = await send(
			'sendText',
			{ textBody: 'x', messageOptions: { replyToMessageId: '={{ $json.id }}' } },
			{ id: { wamid: WAMID } },
		);
		expectOurError(result.error, /replyToMessageId must be text; it is an object/);
	});

	const V = '={{ $json.v }}';

	it.each([
		[
			'caption',
			{ mediaType: 'image', mediaSource: 'id', mediaId: SEEDED_MEDIA_IDS.image, caption: V },
			null,
			'ok',
		],
		[
			'file name',
			{
				mediaType: 'document',
				mediaSource: 'id',
				mediaId: SEEDED_MEDIA_IDS.document,
				documentFileName: V,
			},
			{ a: 1 },
			/filename must be text; it is an object/,
		],
		[
			'media URL',
			{ mediaType: 'image', mediaSource: 'url', mediaUrl: V },
			42,
			/image.link must be a full http/,
		],
		[
			'media ID',
			{ mediaType: 'image', mediaSource: 'id', mediaId: V },
			null,
			/image needs exactly one source/,
		],
		[
			'binary field name',
			{ mediaType: 'image', mediaSource: 'binary', binaryPropertyName: V },
			{ a: 1 },
			/binaryPropertyName must be text; it is an object/,
		],
	] as const)('Send Media with a %s of the wrong kind', async (_what, parameters, v, outcome) => {
		const result = await send('sendMedia', parameters as unknown as INodeParameters, { v });
		if (outcome === 'ok') expect(result.error).toBeUndefined();
		else expectOurError(result.error, outcome);
	});

	const button = { button: [{ id: 'a', title: 'A' }] };
	it.each([
		[
			'header media URL',
			{
				interactiveType: 'button',
				interactiveBody: 'b',
				replyButtons: button,
				headerType: 'image',
				headerMediaSource: 'link',
				headerMediaUrl: V,
			},
			null,
			/header needs exactly one source/,
		],
		[
			'header media ID',
			{
				interactiveType: 'button',
				interactiveBody: 'b',
				replyButtons: button,
				headerType: 'image',
				headerMediaSource: 'id',
				headerMediaId: V,
			},
			{ id: 1 },
			/must be text; it is an object/,
		],
		[
			'CTA URL',
			{ interactiveType: 'cta_url', interactiveBody: 'b', ctaDisplayText: 'Go', ctaUrl: V },
			7,
			/url must be a full http/,
		],
		[
			'reply buttons',
			{ interactiveType: 'button', interactiveBody: 'b', replyButtons: V },
			null,
			/buttons must have 1 to 3 buttons/,
		],
		[
			'Flow name',
			{
				interactiveType: 'flow',
				interactiveBody: 'b',
				flowIdentifier: 'name',
				flowName: V,
				flowCta: 'Book',
				flowAction: 'data_exchange',
			},
			[1],
			/flow/i,
		],
		[
			'catalog ID',
			{
				interactiveType: 'product',
				catalogId: { __rl: true, mode: 'id', value: V },
				productRetailerId: { __rl: true, mode: 'id', value: 'sku' },
			},
			{ id: 1 },
			/catalogId must be text; it is an object/,
		],
	] as const)(
		'Send Interactive with a %s of the wrong kind',
		async (_what, parameters, v, field) => {
			const result = await send('sendInteractive', parameters as unknown as INodeParameters, { v });
			expectOurError(result.error, field);
		},
	);
});

// ── Property: any JSON value in any of an operation's fields → accepted by the emulator or our error ──

const anyJson = fc.oneof(
	fc.constant(null),
	fc.boolean(),
	fc.integer(),
	fc.double({ noNaN: false }),
	fc.string({ maxLength: 12 }),
	fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), { maxLength: 3 }),
	fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), {
		maxKeys: 2,
	}),
);

/** Per operation: valid parameters, and the fields a value of any kind is put into. */
const cases: Array<{ operation: string; valid: INodeParameters; fields: string[] }> = [
	{
		operation: 'sendLocation',
		valid: {
			latitude: 52.52,
			longitude: 13.405,
			locationName: 'Shop',
			locationAddress: 'Street 1',
		},
		fields: ['latitude', 'longitude', 'locationName', 'locationAddress'],
	},
	{
		operation: 'sendMedia',
		valid: {
			mediaType: 'document',
			mediaSource: 'id',
			mediaId: SEEDED_MEDIA_IDS.document,
			caption: 'Invoice',
			documentFileName: 'invoice.pdf',
		},
		fields: ['mediaId', 'caption', 'documentFileName'],
	},
	{
		operation: 'sendMedia',
		valid: { mediaType: 'image', mediaSource: 'url', mediaUrl: 'https://example.com/a.png' },
		fields: ['mediaUrl'],
	},
	{
		operation: 'sendInteractive',
		valid: {
			interactiveType: 'cta_url',
			interactiveBody: 'Body',
			interactiveFooter: 'Foot',
			ctaDisplayText: 'Open',
			ctaUrl: 'https://example.com',
			headerType: 'text',
			headerText: 'Head',
		},
		fields: ['interactiveBody', 'interactiveFooter', 'ctaDisplayText', 'ctaUrl', 'headerText'],
	},
	{
		operation: 'sendReaction',
		valid: { reactionMessageId: WAMID, emoji: '👍' },
		fields: ['reactionMessageId', 'emoji'],
	},
	{
		operation: 'sendText',
		valid: { textBody: 'Hi', messageOptions: { callbackData: 'cb', replyToMessageId: WAMID } },
		fields: ['textBody', 'messageOptions.callbackData', 'messageOptions.replyToMessageId'],
	},
];

const scenario = fc.constantFrom(...cases).chain((c) =>
	fc.record({
		case: fc.constant(c),
		field: fc.constantFrom(...c.fields),
		value: anyJson,
		byExpression: fc.boolean(),
	}),
);

describe('property: parameter values of any JSON type', () => {
	jest.setTimeout(120_000);

	it('end in a request the emulator accepts or in our error for the field, never a TypeError', async () => {
		let accepted = 0;
		let refused = 0;
		await fc.assert(
			fc.asyncProperty(scenario, async ({ case: c, field, value, byExpression }) => {
				emu.reset();
				const parameters = JSON.parse(JSON.stringify(c.valid)) as INodeParameters;
				const [name, option] = field.split('.');
				const given = byExpression ? '={{ $json.value }}' : (value as never);
				if (option) (parameters[name] as INodeParameters)[option] = given;
				else parameters[name] = given;
				let result: Awaited<ReturnType<typeof send>>;
				try {
					result = await send(c.operation, parameters, { value });
				} catch (error) {
					// n8n's own check of required fields refuses some typed-in values before the node runs.
					if (!byExpression && (error as Error).name === 'WorkflowHasIssuesError') return;
					throw error;
				}
				if (result.error === undefined) {
					accepted++;
					const sent = JSON.stringify(emu.messages().map((m) => m.body));
					expect(emu.messages()).toHaveLength(1);
					expect(sent).not.toContain('[object Object]');
					if (value === null) expect(sent).not.toContain('"null"');
					return;
				}
				refused++;
				// Whether a well-formed media ID exists only Meta knows: its refusal is the answer.
				if (field === 'mediaId' && result.error instanceof NodeApiError) return;
				expect(result.error).not.toBeInstanceOf(NodeApiError);
				expect(result.error).toBeInstanceOf(NodeOperationError);
				const error = result.error as NodeOperationError;
				expect(error.cause).not.toBeInstanceOf(TypeError);
				expect(error.message).not.toMatch(/Cannot read|is not a function|undefined \(reading/);
				expect(emu.messages()).toEqual([]);
			}),
			{ numRuns: 150, seed: 2121 },
		);
		// Guards against vacuity: both outcomes occur.
		expect(accepted).toBeGreaterThan(10);
		expect(refused).toBeGreaterThan(10);
	});
});

describe('error messages quote at most the start of a long input (audit finding 8)', () => {
	const huge = `${'x'.repeat(1_000_000)}`;
	const V = '={{ $json.v }}';
	it.each([
		['sendMedia', { mediaType: 'image', mediaSource: 'url', mediaUrl: V }],
		[
			'sendInteractive',
			{ interactiveType: 'cta_url', interactiveBody: 'b', ctaDisplayText: 'Go', ctaUrl: V },
		],
		['sendText', { textBody: 'x', phoneNumberId: { __rl: true, mode: 'id', value: V } }],
		['sendLocation', { latitude: V, longitude: 2 }],
	] as const)('%s with a 1 MB value', async (operation, parameters) => {
		const result = await send(operation, parameters as unknown as INodeParameters, { v: huge });
		expect(result.error).toBeInstanceOf(NodeOperationError);
		const error = result.error as NodeOperationError;
		expect(error.message).toContain('(1000000 characters)');
		expect(error.message.length).toBeLessThan(400);
		expect((error.description ?? '').length).toBeLessThan(1000);
	});

	it('Media → Download and Template → Delete with a 1 MB ID', async () => {
		for (const parameters of [
			{ resource: 'media', operation: 'download', mediaId: V },
			{ resource: 'template', operation: 'delete', templateName: V },
		]) {
			const result = await runNode({
				node: new WhatsAppCloud(),
				parameters: parameters as INodeParameters,
				items: [{ json: { v: `1 ${huge}` } }],
				credentials: {
					whatsAppCloudApi: {
						accessToken: emu.config.token,
						businessAccountId: emu.config.wabaId,
						apiVersion: emu.config.apiVersion,
						baseUrl: emu.baseUrl,
					},
				},
			});
			expect(result.error).toBeInstanceOf(NodeOperationError);
			expect(result.error!.message).toContain('(1000002 characters)');
			expect(result.error!.message.length).toBeLessThan(400);
		}
	});
});
