/** `npm run emulator`: starts the emulator and prints what a credential needs. */
import { startEmulator } from './index';

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	if (i >= 0) return process.argv[i + 1];
	return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

async function main() {
	const port = Number(arg('port') ?? process.env.WA_EMULATOR_PORT ?? 8089);
	const e = await startEmulator({
		port,
		token: process.env.WA_EMULATOR_TOKEN || undefined,
		appSecret: process.env.WA_EMULATOR_APP_SECRET || undefined,
		seed: process.env.WA_EMULATOR_SEED ? Number(process.env.WA_EMULATOR_SEED) : undefined,
	});
	const c = e.config;
	const lines = [
		'WhatsApp Cloud API emulator running',
		`  Base URL:          ${c.baseUrl}  (Graph: ${c.baseUrl}/${c.apiVersion}/…)`,
		`  Access token:      ${c.token}`,
		`  App secret:        ${c.appSecret}`,
		`  App ID:            ${c.appId}`,
		`  WABA ID:           ${c.wabaId}`,
		`  Phone number IDs:  ${c.phoneNumberIds.map((id, i) => `${id} (+${c.displayPhoneNumbers[i]})`).join(', ')}`,
		`  Control API:       ${c.baseUrl}/__emulator/config`,
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	const stop = async () => {
		await e.stop();
		process.exit(0);
	};
	process.once('SIGINT', () => void stop());
	process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
	process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
	process.exit(1);
});
