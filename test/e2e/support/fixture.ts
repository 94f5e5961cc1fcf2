/**
 * The set-up most e2e files share: one emulator and one real n8n for the whole file, a credential
 * pointing at the emulator, and the emulator reset before each test. Call it at the top of a
 * `describe`; the returned object's fields are filled in by its `beforeAll`.
 */
import { startEmulator, type Emulator, type StartOptions as EmulatorStart } from '../../emulator';
import { startN8n, type N8nInstance, type StartOptions as N8nStart } from '../harness';
import { createEmulatorCredential, type CredentialRef } from './nodes';

export interface E2eWorld {
	n8n: N8nInstance;
	emu: Emulator;
	cred: CredentialRef;
}

export function useN8nWithEmulator(
	n8nOptions: N8nStart,
	emulatorOptions: EmulatorStart = {},
): E2eWorld {
	const world = {} as E2eWorld;

	beforeAll(async () => {
		world.emu = await startEmulator({ port: 0, ...emulatorOptions });
		world.n8n = await startN8n(n8nOptions);
		world.cred = await createEmulatorCredential(world.n8n, world.emu);
	}, 600_000);

	afterAll(async () => {
		await world.n8n?.stop();
		await world.emu?.stop();
	}, 60_000);

	beforeEach(() => world.emu.reset());

	return world;
}
