/**
 * Commerce and account operations on a real n8n (2.41.1, or $N8N_E2E_VERSION) with this package
 * loaded from `npm pack`, against the Cloud API emulator:
 * 1. a catalog flow — a workflow sends the catalog message; the customer orders from it; the
 *    trigger emits the `order` item and the workflow replies with the order total;
 * 2. a block / list / unblock / list round trip in one workflow;
 * 3. a QR code created, its PNG kept as n8n binary data and read back byte for byte.
 * Needs `npm run build` first; installs n8n into .cache/ on first use.
 */
import { displayDigits } from '../emulator/seed';
import {
	actionNode,
	codeNode,
	connect,
	locator,
	manualTrigger,
	nodeOutput,
	triggerNode,
} from './support/nodes';
import { useN8nWithEmulator } from './support/fixture';

jest.setTimeout(600_000);

const CUSTOMER = '16505551234';

describe('commerce and account operations on a real n8n', () => {
	const world = useN8nWithEmulator({ logName: 'commerce' });
	const phoneNumberId = () => world.emu.config.phoneNumberIds[0];

	it('1. catalog message → the customer orders → order item → the reply states the total', async () => {
		// The shop's side: send the catalog message.
		const start = manualTrigger();
		const sendCatalog = actionNode('Send catalog', world.cred, {
			resource: 'message',
			operation: 'sendInteractive',
			phoneNumberId: locator(phoneNumberId(), 'id'),
			recipient: CUSTOMER,
			interactiveType: 'catalog_message',
			interactiveBody: 'Our coffee shop — tap to browse',
			interactiveFooter: 'Delivery in 2 days',
			thumbnailProductRetailerId: locator('SKU-1', 'id'),
			messageOptions: {},
		});
		const sendId = await world.n8n.createWorkflow({
			name: 'e2e catalog message',
			nodes: [start, sendCatalog],
			connections: connect([start.name, sendCatalog.name]),
		});
		const sent = await world.n8n.execute(sendId);
		expect(sent.status).toBe('success');
		const [catalogMessage] = world.emu.messages();
		expect(catalogMessage.body).toMatchObject({
			to: CUSTOMER,
			type: 'interactive',
			interactive: {
				type: 'catalog_message',
				action: { name: 'catalog_message', parameters: { thumbnail_product_retailer_id: 'SKU-1' } },
			},
		});
		expect(nodeOutput(sent, 'Send catalog')[0].json.messageId).toBe(catalogMessage.wamid);

		// The order arrives at the trigger, which answers with the total.
		const webhookId = 'e2e-orders';
		const trigger = triggerNode('On order', world.cred, webhookId, {
			events: ['message'],
			options: { messageTypes: ['order'] },
		});
		const reply = actionNode('Reply with total', world.cred, {
			resource: 'message',
			operation: 'sendText',
			phoneNumberId: locator(phoneNumberId(), 'id'),
			recipient: '={{ $json.from }}',
			textBody:
				'=Thanks for your order of {{ $json.order.products.length }} products: {{ $json.order.total.amount.toFixed(2) }} {{ $json.order.total.currency }}',
			messageOptions: { replyToMessageId: '={{ $json.messageId }}' },
		});
		const orderId = await world.n8n.createWorkflow({
			name: 'e2e orders',
			nodes: [trigger, reply],
			connections: connect([trigger.name, reply.name]),
		});
		await world.n8n.activate(orderId);
		await world.n8n.waitForWebhook(`${webhookId}/webhook`);
		const product = (sku: string) =>
			world.emu.commerce.product(world.emu.commerce.catalogs[0].id, sku)!;
		const lines = [
			{ sku: 'SKU-1', quantity: 2 },
			{ sku: 'SKU-3', quantity: 1 },
		];
		const price = (sku: string) => Number(product(sku).price.replace(/[^\d.]/g, ''));
		// in cents, as a shop would add it up
		const expectedTotal =
			lines.reduce((cents, l) => cents + Math.round(price(l.sku) * 100) * l.quantity, 0) / 100;
		const order = world.emu.inbound.order(
			CUSTOMER,
			{
				catalog_id: world.emu.commerce.catalogs[0].id,
				text: 'Please gift wrap',
				product_items: lines.map((l) => ({
					product_retailer_id: l.sku,
					quantity: l.quantity,
					item_price: price(l.sku),
					currency: 'EUR',
				})),
			},
			{
				context: {
					from: world.emu.phone(phoneNumberId())?.display_phone_number,
					id: catalogMessage.wamid,
				},
			},
		);
		const delivered = await world.emu.deliver(order, {
			url: `${world.n8n.webhookBaseUrl}${webhookId}/webhook`,
			maxAttempts: 1,
		});
		expect(delivered.statusCodes).toEqual([200]);
		const [execution] = await world.n8n.waitForExecutions(orderId, { count: 1 });
		expect(execution.status).toBe('success');
		const [item] = nodeOutput(execution, 'On order');
		expect(item.json).toMatchObject({
			event: 'message',
			type: 'order',
			from: CUSTOMER,
			context: { messageId: catalogMessage.wamid },
			order: {
				catalogId: world.emu.commerce.catalogs[0].id,
				text: 'Please gift wrap',
				products: [
					{ productRetailerId: 'SKU-1', quantity: 2, itemPrice: price('SKU-1'), currency: 'EUR' },
					{ productRetailerId: 'SKU-3', quantity: 1, itemPrice: price('SKU-3'), currency: 'EUR' },
				],
				total: { amount: expectedTotal, currency: 'EUR' },
			},
		});
		const replies = world.emu.messages().filter((m) => m.type === 'text');
		expect(replies).toHaveLength(1);
		expect(replies[0].body).toMatchObject({
			to: CUSTOMER,
			context: { message_id: item.json.messageId },
			text: { body: `Thanks for your order of 2 products: ${expectedTotal.toFixed(2)} EUR` },
		});
		await world.n8n.deactivate(orderId);
	});

	it('2. block → list blocked → unblock → list blocked, in one workflow', async () => {
		// Meta blocks only users who wrote in the last 24 hours.
		world.emu.account.noteInbound(phoneNumberId(), CUSTOMER);
		const number = { phoneNumberId: locator(phoneNumberId(), 'id') };
		const start = manualTrigger();
		const block = actionNode('Block', world.cred, {
			resource: 'user',
			operation: 'block',
			...number,
			users: `+${CUSTOMER}`,
		});
		const listAfterBlock = actionNode('Blocked after block', world.cred, {
			resource: 'user',
			operation: 'listBlocked',
			...number,
			returnAll: true,
		});
		const unblock = actionNode('Unblock', world.cred, {
			resource: 'user',
			operation: 'unblock',
			...number,
			users: '={{ $json.waId }}',
		});
		const listAfterUnblock = actionNode(
			'Blocked after unblock',
			world.cred,
			{ resource: 'user', operation: 'listBlocked', ...number, returnAll: true },
			{ alwaysOutputData: true },
		);
		const id = await world.n8n.createWorkflow({
			name: 'e2e block round trip',
			nodes: [start, block, listAfterBlock, unblock, listAfterUnblock],
			connections: connect(
				[start.name, block.name],
				[block.name, listAfterBlock.name],
				[listAfterBlock.name, unblock.name],
				[unblock.name, listAfterUnblock.name],
			),
		});
		const execution = await world.n8n.execute(id);
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Block').map((i) => i.json)).toEqual([
			{
				phoneNumberId: phoneNumberId(),
				user: `+${CUSTOMER}`,
				action: 'block',
				ok: true,
				waId: CUSTOMER,
			},
		]);
		expect(nodeOutput(execution, 'Blocked after block').map((i) => i.json)).toEqual([
			{ phoneNumberId: phoneNumberId(), waId: CUSTOMER },
		]);
		expect(nodeOutput(execution, 'Unblock').map((i) => i.json)).toEqual([
			{
				phoneNumberId: phoneNumberId(),
				user: CUSTOMER,
				action: 'unblock',
				ok: true,
				waId: CUSTOMER,
			},
		]);
		// alwaysOutputData: an empty list still yields one empty item
		expect(nodeOutput(execution, 'Blocked after unblock').map((i) => i.json)).toEqual([{}]);
		expect(world.emu.account.blockedUsers(phoneNumberId())).toEqual([]);
		const calls = world.emu
			.requests()
			.map((r) => `${r.method} ${r.path.replace(`/${world.emu.config.apiVersion}`, '')}`);
		expect(calls).toEqual([
			`POST /${phoneNumberId()}/block_users`,
			`GET /${phoneNumberId()}/block_users`,
			`DELETE /${phoneNumberId()}/block_users`,
			`GET /${phoneNumberId()}/block_users`,
		]);
	});

	it('3. a QR code is created and its PNG kept as binary data', async () => {
		const start = manualTrigger();
		const create = actionNode('Create QR code', world.cred, {
			resource: 'qrCode',
			operation: 'create',
			phoneNumberId: locator(phoneNumberId(), 'id'),
			prefilledMessage: 'Hi! I scanned the poster in your shop',
			imageFormat: 'PNG',
			binaryPropertyName: 'qr',
		});
		const readBinary = codeNode(
			'Read QR image',
			`const item = $input.first();
const buf = await this.helpers.getBinaryDataBuffer(0, 'qr');
return [{ json: { base64: buf.toString('base64'), mimeType: item.binary.qr.mimeType, fileName: item.binary.qr.fileName, fileSize: buf.length } }];`,
		);
		const id = await world.n8n.createWorkflow({
			name: 'e2e QR code',
			nodes: [start, create, readBinary],
			connections: connect([start.name, create.name], [create.name, readBinary.name]),
		});
		const execution = await world.n8n.execute(id);
		expect(execution.status).toBe('success');
		const [created] = nodeOutput(execution, 'Create QR code');
		const code = String(created.json.code);
		expect(created.json).toMatchObject({
			phoneNumberId: phoneNumberId(),
			prefilled_message: 'Hi! I scanned the poster in your shop',
			deep_link_url: `https://wa.me/message/${code}`,
		});
		expect(created.binary?.qr).toMatchObject({ mimeType: 'image/png', fileName: `${code}.png` });
		expect(world.emu.account.qrCodesOf(phoneNumberId()).map((q) => q.code)).toEqual([code]);

		// The same bytes the emulator serves for this code.
		const served = Buffer.from(
			await (
				await fetch(String(created.json.qr_image_url), {
					headers: { authorization: `Bearer ${world.emu.config.token}` },
				})
			).arrayBuffer(),
		);
		const [read] = nodeOutput(execution, 'Read QR image');
		expect(read.json).toMatchObject({ mimeType: 'image/png', fileName: `${code}.png` });
		const png = Buffer.from(String(read.json.base64), 'base64');
		expect(png.subarray(0, 8)).toEqual(Buffer.from('89504e470d0a1a0a', 'hex'));
		expect(png).toEqual(served);
	});
});
