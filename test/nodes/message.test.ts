/**
 * Message send operations through n8n-core against the emulator: the exact JSON the emulator
 * received for every message type and media source, the output items, and bad input.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import type { Emulator } from '../emulator';
import { SEEDED_MEDIA_IDS, startEmulator } from '../emulator';
import type { HarnessInputItem, RunNodeOptions } from './harness';
import { runNode, emulatorCredentials } from './harness';

/** A failed send's item: `{ error: { message, code, … } }` (see WhatsAppCloud.node.ts). */
const errorMessage = (item: INodeExecutionData) =>
	String((item.json.error as { message?: unknown } | undefined)?.message);

let emu: Emulator;

const WAMID = 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA';
const TO = '16505551234';

const credentials = () => emulatorCredentials(emu);
const phoneNumberId = () => emu.config.phoneNumberIds[0];

const png = Buffer.from(
	'89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
		'1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
	'hex',
);

async function send(
	operation: string,
	parameters: INodeParameters,
	options: Partial<Omit<RunNodeOptions, 'node' | 'parameters'>> & {
		items?: Array<INodeExecutionData | HarnessInputItem>;
	} = {},
) {
	return await runNode({
		node: new WhatsAppCloud(),
		parameters: {
			resource: 'message',
			operation,
			phoneNumberId: { mode: 'id', value: phoneNumberId() },
			...(operation === 'markAsRead' ? {} : { recipient: '+1 (650) 555-1234' }),
			...parameters,
		},
		credentials: credentials(),
		...options,
	});
}

const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to: TO };

/** The single message the emulator accepted, and the single output item. */
function sentOnce(result: Awaited<ReturnType<typeof send>>) {
	expect(result.error).toBeUndefined();
	const messages = emu.messages();
	expect(messages).toHaveLength(1);
	expect(result.outputs).toHaveLength(1);
	expect(result.outputs[0]).toHaveLength(1);
	const item = result.outputs[0][0];
	expect(item.json).toMatchObject({
		messageId: messages[0].wamid,
		phoneNumberId: phoneNumberId(),
		waId: TO,
		status: 'accepted',
		attempts: 1,
	});
	expect(item.pairedItem).toEqual({ item: 0 });
	return { body: messages[0].body as IDataObject, json: item.json };
}

beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => emu.reset());

describe('send text', () => {
	it('sends exactly the text, normalizing the recipient', async () => {
		const { body } = sentOnce(await send('sendText', { textBody: 'Hello *there*' }));
		expect(body).toEqual({ ...envelope, type: 'text', text: { body: 'Hello *there*' } });
	});

	it('adds preview, reply-to and callback data from the options', async () => {
		const { body } = sentOnce(
			await send('sendText', {
				textBody: 'See https://example.com',
				messageOptions: {
					previewUrl: true,
					replyToMessageId: ` ${WAMID} `,
					callbackData: 'order 7',
				},
			}),
		);
		expect(body).toEqual({
			...envelope,
			context: { message_id: WAMID },
			biz_opaque_callback_data: 'order 7',
			type: 'text',
			text: { body: 'See https://example.com', preview_url: true },
		});
	});

	it('evaluates expressions per item', async () => {
		const result = await send(
			'sendText',
			{ recipient: '={{ $json.phone }}', textBody: '=Hi {{ $json.name }}' },
			{
				items: [
					{ json: { phone: '+1 650 555 1234', name: 'Ana' } },
					{ json: { phone: '0049 151 2345 6789', name: 'Ben' } },
				],
			},
		);
		expect(result.error).toBeUndefined();
		const bodies = emu.messages().map((m) => m.body as IDataObject);
		expect(bodies).toEqual(
			expect.arrayContaining([
				{ ...envelope, to: TO, type: 'text', text: { body: 'Hi Ana' } },
				{ ...envelope, to: '4915123456789', type: 'text', text: { body: 'Hi Ben' } },
			]),
		);
		expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('sends to a business-scoped user ID', async () => {
		const result = await send('sendText', { recipient: 'US.13491208655302741918', textBody: 'x' });
		expect(result.error).toBeUndefined();
		expect(emu.messages()[0].body).toEqual({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			recipient: 'US.13491208655302741918',
			type: 'text',
			text: { body: 'x' },
		});
	});
});

describe('fallback template on a closed 24-hour window (131047)', () => {
	const queue131047 = async () => {
		const response = await fetch(`${emu.baseUrl}/__emulator/faults/queue`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ to: TO, code: 131047, count: 1 }),
		});
		expect(response.status).toBe(200);
	};

	it.each([
		['sendText', { textBody: 'Your order shipped' }],
		[
			'sendMedia',
			{ mediaType: 'image', mediaSource: 'url', mediaUrl: 'https://example.com/a.jpg' },
		],
	])('%s sends the fallback template instead', async (operation, parameters) => {
		await queue131047();
		const result = await send(operation, {
			...parameters,
			messageOptions: {
				callbackData: 'cb-1',
				fallbackTemplate: { template: { name: 'hello_world', language: 'en_US', variables: '{}' } },
			},
		});
		expect(result.error).toBeUndefined();
		const messages = emu.messages();
		expect(messages).toHaveLength(1);
		expect(messages[0].body).toMatchObject({
			...envelope,
			biz_opaque_callback_data: 'cb-1',
			type: 'template',
			template: { name: 'hello_world', language: { code: 'en_US' } },
		});
		expect(result.outputs[0][0].json).toMatchObject({
			messageId: messages[0].wamid,
			sentAs: 'fallbackTemplate',
			attempts: 2,
		});
	});

	it('without the option, 131047 fails the item', async () => {
		await queue131047();
		const result = await send('sendText', { textBody: 'x' }, { continueOnFail: true });
		expect(emu.messages()).toEqual([]);
		expect(errorMessage(result.outputs[0][0])).toContain('(#131047)');
	});
});

describe('send media', () => {
	it('by URL, with caption', async () => {
		const { body } = sentOnce(
			await send('sendMedia', {
				mediaType: 'image',
				mediaSource: 'url',
				mediaUrl: 'https://example.com/a.jpg',
				caption: 'Look',
			}),
		);
		expect(body).toEqual({
			...envelope,
			type: 'image',
			image: { link: 'https://example.com/a.jpg', caption: 'Look' },
		});
	});

	it('by media ID: document with file name', async () => {
		const { body } = sentOnce(
			await send('sendMedia', {
				mediaType: 'document',
				mediaSource: 'id',
				mediaId: SEEDED_MEDIA_IDS.document,
				caption: 'Invoice',
				documentFileName: 'invoice.pdf',
			}),
		);
		expect(body).toEqual({
			...envelope,
			type: 'document',
			document: { id: SEEDED_MEDIA_IDS.document, caption: 'Invoice', filename: 'invoice.pdf' },
		});
	});

	it('audio as a voice note', async () => {
		const { body } = sentOnce(
			await send('sendMedia', {
				mediaType: 'audio',
				mediaSource: 'id',
				mediaId: SEEDED_MEDIA_IDS.audio,
				voice: true,
			}),
		);
		expect(body).toEqual({
			...envelope,
			type: 'audio',
			audio: { id: SEEDED_MEDIA_IDS.audio, voice: true },
		});
	});

	it.each([
		['video', { caption: 'Clip' }, { id: SEEDED_MEDIA_IDS.video, caption: 'Clip' }],
		['sticker', {}, { id: SEEDED_MEDIA_IDS.sticker }],
	] as const)('%s by media ID', async (mediaType, extra, expected) => {
		const { body } = sentOnce(
			await send('sendMedia', {
				mediaType,
				mediaSource: 'id',
				mediaId: SEEDED_MEDIA_IDS[mediaType],
				...extra,
			}),
		);
		expect(body).toEqual({ ...envelope, type: mediaType, [mediaType]: expected });
	});

	it('from binary: a static WebP sticker', async () => {
		const webp = Buffer.concat([
			Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'),
			Buffer.alloc(64, 1),
		]);
		const result = await send(
			'sendMedia',
			{ mediaType: 'sticker', mediaSource: 'binary', binaryPropertyName: 'data' },
			{
				items: [
					{
						json: {},
						binary: { data: { data: webp, mimeType: 'image/webp', fileName: 's.webp' } },
					},
				],
			},
		);
		const { body, json } = sentOnce(result);
		expect(body).toEqual({ ...envelope, type: 'sticker', sticker: { id: json.mediaId } });
		expect(emu.media.get(json.mediaId as string)!.bytes.equals(webp)).toBe(true);
	});

	it('from binary: uploads first, sends the new media ID, outputs it; bytes match', async () => {
		const result = await send(
			'sendMedia',
			{ mediaType: 'image', mediaSource: 'binary', binaryPropertyName: 'photo', caption: 'Pixel' },
			{
				items: [
					{ json: {}, binary: { photo: { data: png, mimeType: 'image/png', fileName: 'p.png' } } },
				],
			},
		);
		const { body, json } = sentOnce(result);
		const mediaId = json.mediaId as string;
		expect(mediaId).toMatch(/^\d+$/);
		expect(body).toEqual({ ...envelope, type: 'image', image: { id: mediaId, caption: 'Pixel' } });
		const stored = emu.media.get(mediaId)!;
		expect(stored.bytes.equals(png)).toBe(true);
		expect(stored.mimeType).toBe('image/png');
		expect(stored.filename).toBe('p.png');
	});

	it('from binary: a document takes the binary file name when none is given', async () => {
		const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
		const result = await send(
			'sendMedia',
			{ mediaType: 'document', mediaSource: 'binary', binaryPropertyName: 'data' },
			{
				items: [
					{
						json: {},
						binary: { data: { data: pdf, mimeType: 'application/pdf', fileName: 'q3.pdf' } },
					},
				],
			},
		);
		const { body, json } = sentOnce(result);
		expect(body).toEqual({
			...envelope,
			type: 'document',
			document: { id: json.mediaId, filename: 'q3.pdf' },
		});
		expect(emu.media.get(json.mediaId as string)!.bytes.equals(pdf)).toBe(true);
	});

	it('from binary: a wrong MIME type fails before any upload, naming the field and limit', async () => {
		const result = await send(
			'sendMedia',
			{ mediaType: 'image', mediaSource: 'binary', binaryPropertyName: 'data' },
			{
				items: [
					{ json: {}, binary: { data: { data: png, mimeType: 'image/gif', fileName: 'a.gif' } } },
				],
			},
		);
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error!.message).toBe(
			'Input Binary Field "data" must be an image file of type one of image/jpeg, image/png; it has "image/gif"',
		);
		expect(emu.requests().filter((r) => r.method === 'POST')).toEqual([]);
	});

	it('from binary: a bad caption fails before the upload (no orphaned media)', async () => {
		const result = await send(
			'sendMedia',
			{
				mediaType: 'image',
				mediaSource: 'binary',
				binaryPropertyName: 'data',
				caption: 'x'.repeat(1025),
			},
			{
				items: [
					{ json: {}, binary: { data: { data: png, mimeType: 'image/png', fileName: 'a.png' } } },
				],
			},
		);
		expect(result.error!.message).toBe('caption must be at most 1024 characters; it has 1025');
		expect(emu.requests().filter((r) => r.method === 'POST')).toEqual([]);
	});
});

describe('send interactive', () => {
	it('reply buttons with image header and footer', async () => {
		const { body } = sentOnce(
			await send('sendInteractive', {
				interactiveType: 'button',
				headerType: 'image',
				headerMediaSource: 'link',
				headerMediaUrl: 'https://example.com/b.jpg',
				interactiveBody: 'Confirm?',
				interactiveFooter: 'Reply below',
				replyButtons: {
					button: [
						{ id: 'yes', title: 'Yes' },
						{ id: 'no', title: 'No' },
					],
				},
			}),
		);
		expect(body).toEqual({
			...envelope,
			type: 'interactive',
			interactive: {
				type: 'button',
				header: { type: 'image', image: { link: 'https://example.com/b.jpg' } },
				body: { text: 'Confirm?' },
				footer: { text: 'Reply below' },
				action: {
					buttons: [
						{ type: 'reply', reply: { id: 'yes', title: 'Yes' } },
						{ type: 'reply', reply: { id: 'no', title: 'No' } },
					],
				},
			},
		});
	});

	it('reply buttons with a document header by media ID', async () => {
		const { body } = sentOnce(
			await send('sendInteractive', {
				interactiveType: 'button',
				headerType: 'document',
				headerMediaSource: 'id',
				headerMediaId: SEEDED_MEDIA_IDS.document,
				interactiveBody: 'Your invoice',
				replyButtons: { button: [{ id: 'paid', title: 'Mark paid' }] },
			}),
		);
		expect(body).toMatchObject({
			interactive: {
				type: 'button',
				header: { type: 'document', document: { id: SEEDED_MEDIA_IDS.document } },
			},
		});
	});

	const expectedList = {
		type: 'list',
		header: { type: 'text', text: 'Slots' },
		body: { text: 'Pick a time' },
		action: {
			button: 'Choose',
			sections: [
				{ title: 'Morning', rows: [{ id: 'm9', title: '09:00', description: 'Front desk' }] },
				{ title: 'Afternoon', rows: [{ id: 'a2', title: '14:00' }] },
			],
		},
	};

	it('list defined by fields', async () => {
		const { body } = sentOnce(
			await send('sendInteractive', {
				interactiveType: 'list',
				headerType: 'text',
				headerText: 'Slots',
				interactiveBody: 'Pick a time',
				listButtonLabel: 'Choose',
				listSectionsInput: 'fields',
				listSections: {
					section: [
						{
							title: 'Morning',
							rows: { row: [{ id: 'm9', title: '09:00', description: 'Front desk' }] },
						},
						{ title: 'Afternoon', rows: { row: [{ id: 'a2', title: '14:00', description: '' }] } },
					],
				},
			}),
		);
		expect(body).toEqual({ ...envelope, type: 'interactive', interactive: expectedList });
	});

	it('list defined by JSON from an expression', async () => {
		const { body } = sentOnce(
			await send(
				'sendInteractive',
				{
					interactiveType: 'list',
					headerType: 'text',
					headerText: 'Slots',
					interactiveBody: 'Pick a time',
					listButtonLabel: 'Choose',
					listSectionsInput: 'json',
					listSectionsJson: '={{ $json.sections }}',
				},
				{ items: [{ json: { sections: expectedList.action.sections } }] },
			),
		);
		expect(body).toEqual({ ...envelope, type: 'interactive', interactive: expectedList });
	});

	it('CTA URL', async () => {
		const { body } = sentOnce(
			await send('sendInteractive', {
				interactiveType: 'cta_url',
				interactiveBody: 'Your order shipped',
				ctaDisplayText: 'Track',
				ctaUrl: 'https://example.com/track/1',
			}),
		);
		expect(body).toEqual({
			...envelope,
			type: 'interactive',
			interactive: {
				type: 'cta_url',
				body: { text: 'Your order shipped' },
				action: {
					name: 'cta_url',
					parameters: { display_text: 'Track', url: 'https://example.com/track/1' },
				},
			},
		});
	});

	it('location request', async () => {
		const { body } = sentOnce(
			await send('sendInteractive', {
				interactiveType: 'location_request_message',
				interactiveBody: 'Where should we deliver?',
			}),
		);
		expect(body).toEqual({
			...envelope,
			type: 'interactive',
			interactive: {
				type: 'location_request_message',
				body: { text: 'Where should we deliver?' },
				action: { name: 'send_location' },
			},
		});
	});

	it('flow (navigate with data, draft)', async () => {
		const { body } = sentOnce(
			await send('sendInteractive', {
				interactiveType: 'flow',
				interactiveBody: 'Book a table',
				flowIdentifier: 'id',
				flowId: '1234567890',
				flowCta: 'Book',
				flowSessionReference: 'session-1',
				flowAction: 'navigate',
				flowScreen: 'START',
				flowData: '{"party": 2}',
				flowMode: 'draft',
			}),
		);
		expect(body).toEqual({
			...envelope,
			type: 'interactive',
			interactive: {
				type: 'flow',
				body: { text: 'Book a table' },
				action: {
					name: 'flow',
					parameters: {
						flow_message_version: '3',
						flow_token: 'session-1',
						flow_id: '1234567890',
						flow_cta: 'Book',
						mode: 'draft',
						flow_action: 'navigate',
						flow_action_payload: { screen: 'START', data: { party: 2 } },
					},
				},
			},
		});
	});
});

describe('send location, contacts, reaction; mark as read', () => {
	it('location', async () => {
		const { body } = sentOnce(
			await send('sendLocation', {
				latitude: 52.52,
				longitude: 13.405,
				locationName: 'Store',
				locationAddress: 'Alexanderplatz 1',
			}),
		);
		expect(body).toEqual({
			...envelope,
			type: 'location',
			location: { latitude: 52.52, longitude: 13.405, name: 'Store', address: 'Alexanderplatz 1' },
		});
	});

	it('contacts from fields', async () => {
		const result = await send('sendContacts', {
			contactsInput: 'fields',
			contactCards: {
				contact: [
					{
						formattedName: 'Ana Silva',
						firstName: 'Ana',
						lastName: 'Silva',
						company: 'ACME',
						jobTitle: 'CTO',
						birthday: '1990-04-23',
						phones: { phone: [{ phone: '+1 650 555 1234', type: 'CELL', waId: '16505551234' }] },
						emails: { email: [{ email: 'ana@example.com', type: 'WORK' }] },
						urls: { url: [{ url: 'https://ana.example.com', type: 'none' }] },
					},
				],
			},
		});
		const expected = {
			...envelope,
			type: 'contacts',
			contacts: [
				{
					name: { formatted_name: 'Ana Silva', first_name: 'Ana', last_name: 'Silva' },
					phones: [{ phone: '+1 650 555 1234', type: 'CELL', wa_id: '16505551234' }],
					emails: [{ email: 'ana@example.com', type: 'WORK' }],
					urls: [{ url: 'https://ana.example.com' }],
					org: { company: 'ACME', title: 'CTO' },
					birthday: '1990-04-23',
				},
			],
		};
		expect(sentOnce(result).body).toEqual(expected);
	});

	it('reaction, and removing it', async () => {
		const { body } = sentOnce(
			await send('sendReaction', { reactionMessageId: WAMID, emoji: '👍' }),
		);
		expect(body).toEqual({
			...envelope,
			type: 'reaction',
			reaction: { message_id: WAMID, emoji: '👍' },
		});
		emu.reset();
		const removed = sentOnce(await send('sendReaction', { reactionMessageId: WAMID, emoji: '' }));
		expect(removed.body).toMatchObject({ reaction: { message_id: WAMID, emoji: '' } });
	});

	it('mark as read with typing indicator: output { success: true }', async () => {
		const result = await send('markAsRead', { readMessageId: WAMID, showTypingIndicator: true });
		expect(result.error).toBeUndefined();
		expect(emu.messages()).toEqual([]);
		expect(emu.requests().filter((r) => r.method === 'POST')).toEqual([
			expect.objectContaining({
				path: `/${emu.config.apiVersion}/${phoneNumberId()}/messages`,
				status: 200,
			}),
		]);
		expect(result.outputs[0]).toHaveLength(1);
		expect(result.outputs[0][0].json).toMatchObject({
			success: true,
			messageId: WAMID,
			phoneNumberId: phoneNumberId(),
		});
	});
});

describe('bad input names the field, the limit and the item', () => {
	const tooLongTitle = {
		interactiveType: 'button',
		interactiveBody: 'Pick',
		replyButtons: {
			button: [
				{ id: 'a', title: 'A' },
				{ id: 'b', title: '={{ $json.title }}' },
			],
		},
	};
	const items = [{ json: { title: 'Fine' } }, { json: { title: 'x'.repeat(23) } }];

	it('continue on fail off: the node stops with the item index', async () => {
		const result = await send(
			'sendInteractive',
			{
				interactiveType: 'button',
				interactiveBody: '={{ $json.body }}',
				replyButtons: { button: [{ id: 'a', title: 'A' }] },
			},
			{ items: [{ json: { body: 'ok' } }, { json: { body: 'x'.repeat(1025) } }] },
		);
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error!.message).toBe('body must be 1 to 1024 characters; it has 1025');
		const error = result.error as NodeOperationError;
		expect(error.context.itemIndex).toBe(1);
		expect(error.description).toContain(
			'Field: body; limit: 1 to 1024 characters; actual: 1025 characters (item 1)',
		);
	});

	it('continue on fail on: the bad item becomes an error item, the good one is sent', async () => {
		const result = await send(
			'sendText',
			{ textBody: '={{ $json.text }}' },
			{
				items: [{ json: { text: 'ok' } }, { json: { text: 'x'.repeat(4097) } }],
				continueOnFail: true,
			},
		);
		expect(result.error).toBeUndefined();
		expect(emu.messages()).toHaveLength(1);
		const [sent, failed] = result.outputs[0];
		expect(sent.json).toMatchObject({ messageId: emu.messages()[0].wamid });
		expect(failed.pairedItem).toEqual({ item: 1 });
		expect(errorMessage(failed)).toBe('text must be 1 to 4096 characters; it has 4097');
	});

	it('a bad recipient names the field and the item', async () => {
		const result = await send(
			'sendText',
			{ recipient: 'call me', textBody: 'x' },
			{ continueOnFail: true },
		);
		expect(errorMessage(result.outputs[0][0])).toContain(
			'The recipient "call me" is not a phone number',
		);
		expect(emu.messages()).toEqual([]);
	});

	it('an empty phone number ID is refused', async () => {
		const result = await send('sendText', {
			phoneNumberId: { mode: 'id', value: '={{ "" }}' },
			textBody: 'x',
		});
		expect(result.error!.message).toBe('Sender Phone Number is empty');
	});

	it.each([
		[
			'callback data over 512',
			'sendText',
			{ textBody: 'x', messageOptions: { callbackData: 'c'.repeat(513) } },
			'callbackData must be at most 512 characters; it has 513',
		],
		[
			'two emoji',
			'sendReaction',
			{ reactionMessageId: WAMID, emoji: '👍👍' },
			'emoji must be exactly one emoji (or empty to remove the reaction); it has 2 characters',
		],
		[
			'latitude out of range',
			'sendLocation',
			{ latitude: 91, longitude: 0 },
			'latitude must be a number from -90 to 90; it is "91"',
		],
		[
			'list JSON not JSON',
			'sendInteractive',
			{
				interactiveType: 'list',
				interactiveBody: 'b',
				listButtonLabel: 'Go',
				listSectionsInput: 'json',
				listSectionsJson: '[{',
			},
			'listSectionsJson is not valid JSON',
		],
		[
			'document link not http(s)',
			'sendMedia',
			{ mediaType: 'document', mediaSource: 'url', mediaUrl: 'ftp://x/y.pdf' },
			'document.link must be a full http:// or https:// URL; "ftp://x/y.pdf" is not',
		],
		[
			'four buttons',
			'sendInteractive',
			{
				interactiveType: 'button',
				interactiveBody: 'b',
				replyButtons: { button: [1, 2, 3, 4].map((n) => ({ id: `i${n}`, title: `T${n}` })) },
			},
			'buttons must have 1 to 3 buttons; it has 4',
		],
		[
			'flow CTA with emoji',
			'sendInteractive',
			{
				interactiveType: 'flow',
				interactiveBody: 'b',
				flowId: '1',
				flowCta: 'Go 🚀',
				flowScreen: 'S',
			},
			'flowCta must not contain emoji',
		],
		[
			'contacts without a name part',
			'sendContacts',
			{ contactsInput: 'json', contactsJson: '[{"name":{"formatted_name":"A"}}]' },
			'contacts[0].name needs a first_name, last_name, middle_name, prefix or suffix besides formatted_name',
		],
	])('%s', async (_name, operation, parameters, message) => {
		const result = await send(operation, parameters as INodeParameters, { continueOnFail: true });
		expect(result.outputs[0]).toHaveLength(1);
		expect(errorMessage(result.outputs[0][0])).toContain(message);
		expect(emu.messages()).toEqual([]);
	});

	it('expression-built buttons: item 1 fails with its index, item 0 is sent', async () => {
		const result = await send('sendInteractive', tooLongTitle, { items, continueOnFail: true });
		expect(emu.messages()).toHaveLength(1);
		const failed = result.outputs[0][1];
		expect(errorMessage(failed)).toBe('buttons[1].title must be 1 to 20 characters; it has 23');
		expect(failed.pairedItem).toEqual({ item: 1 });
	});
});
