/** A template quick reply's payload, what Meta echoes back as `button.payload`: up to 256 characters. */
import { startEmulator, type Emulator } from './index';
import { errCode, nextTo, send } from './testUtil';

let e: Emulator;
beforeAll(async () => {
	e = await startEmulator();
});
afterAll(() => e.stop());

const orderUpdate = (payload: string) => ({
	type: 'template',
	template: {
		name: 'order_update',
		language: { code: 'en_US' },
		components: [
			{ type: 'header', parameters: [{ type: 'text', text: '#1042' }] },
			{
				type: 'body',
				parameters: ['Ana', '#1042', 'Monday'].map((text) => ({ type: 'text', text })),
			},
			{
				type: 'button',
				sub_type: 'quick_reply',
				index: '0',
				parameters: [{ type: 'payload', payload }],
			},
		],
	},
});

test('256 characters are accepted, 257 refused with 131009', async () => {
	expect((await send(e, { to: nextTo(), ...orderUpdate('p'.repeat(256)) })).status).toBe(200);
	const refused = await send(e, { to: nextTo(), ...orderUpdate('p'.repeat(257)) });
	expect(refused.status).toBe(400);
	expect(errCode(refused)).toBe(131009);
});
