/**
 * One-time DI/environment setup that n8n-core 2.8 needs before any execution context can run.
 *
 * n8n-core reads its services from the `@n8n/di` Container (`InstanceSettings`, `BinaryDataService`,
 * `Logger`, `ErrorReporter`, `SecurityConfig`…). Those classes build their config from environment
 * variables (`@n8n/config` `@Env` decorators) the first time they are resolved, so we set the
 * variables first and then let the Container construct the *real* services — nothing is mocked.
 *
 * Binary data runs in n8n 2.x's default mode for a regular (non-queue) instance, `filesystem`,
 * stored under a temp dir (like `~/.n8n/storage/binaryData`), so `prepareBinaryData` writes files and
 * items carry `id: 'filesystem-v2:…'` references, exactly as in a running n8n.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService, InstanceSettings } from 'n8n-core';
// Not re-exported from the package index; the dist path is stable within the pinned 2.8.1.
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

let ready: Promise<string> | undefined;

/** The temp dir holding n8n's user folder (settings file, binary data). Removed at process exit. */
export async function setupN8nCore(): Promise<string> {
	ready ??= init();
	return await ready;
}

async function init(): Promise<string> {
	const dir = mkdtempSync(path.join(tmpdir(), 'n8n-harness-'));
	process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

	// Must be set before the first Container.get(): config classes read env at construction.
	process.env.N8N_USER_FOLDER = dir; // InstanceSettings writes <dir>/.n8n/config here, not in ~
	process.env.N8N_ENCRYPTION_KEY ??= 'n8n-nodes-harness-test-key';
	process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
	process.env.N8N_LOG_LEVEL ??= 'silent'; // the real winston Logger, but quiet
	process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
	process.env.N8N_BINARY_DATA_STORAGE_PATH = path.join(dir, 'binaryData');
	process.env.N8N_DIAGNOSTICS_ENABLED = 'false';

	Container.get(InstanceSettings);
	// BinaryDataService needs init() to register its filesystem manager; without it it silently
	// falls back to base64-in-memory, which would hide bugs in nodes that assume `data` holds bytes.
	await Container.get(BinaryDataService).init();
	// Every ExecuteContext resolves SSHClientsManager, whose constructor starts a 60 s cleanup
	// setInterval that keeps Jest from exiting. Our nodes never open SSH tunnels: stop the timer
	// now (onShutdown is what n8n calls at process exit) and keep the instance.
	Container.get(SSHClientsManager).onShutdown();
	return dir;
}
