/**
 * End-to-end scenarios on a real n8n (2.41.1, or $N8N_E2E_VERSION) with this package loaded from
 * `npm pack`, against the Cloud API emulator. One n8n start serves every scenario of this file.
 * Needs `npm run build` first; installs n8n into .cache/ on first use.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';

import { SEEDED_MEDIA_IDS, startEmulator, type Emulator } from '../emulator';
import { startN8n, type N8nInstance } from './harness';
import { CUSTOMER, runConversation } from './scenarios/conversation';
import {
	actionNode,
	codeNode,
	connect,
	createEmulatorCredential,
	locator,
	manualTrigger,
	nodeOutput,
	noOp,
	sleep,
	triggerNode,
	type CredentialRef,
} from './support/nodes';

// jest ignores `testTimeout` inside a `projects` entry
jest.setTimeout(600_000);

/** A valid 1×1 PNG (red pixel). */
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
	'base64',
);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Meta's error code on an error-output item (design §4: "Error items carry Meta's code …"): at
 * `code`, or nested under `details` or `error` (n8n's error output keeps only items whose json is
 * `{error}` / `{error, message[, details]}`). Never parsed from the message text.
 */
function errorCode(json: Record<string, unknown> | undefined): unknown {
	if (!json) return undefined;
	const nested = (k: string) => {
		const v = json[k];
		return typeof v === 'object' && v !== null ? (v as Record<string, unknown>).code : undefined;
	};
	return json.code ?? nested('details') ?? nested('error');
}

const timings: Record<string, number | string> = {};
const log = (k: string, v: number | string) => {
	timings[k] = v;
};

describe('WhatsApp Cloud API nodes on a real n8n', () => {
	let n8n: N8nInstance;
	let emu: Emulator;
	let cred: CredentialRef;

	beforeAll(async () => {
		const t0 = Date.now();
		emu = await startEmulator({ port: 0 });
		// N8N_E2E_PACKAGE_DIR: load another build of the package (e.g. a patched copy) instead of the repo
		n8n = await startN8n({ logName: 'scenarios', packageDir: process.env.N8N_E2E_PACKAGE_DIR });
		cred = await createEmulatorCredential(n8n, emu);
		log('n8nStartMs', Date.now() - t0);
	}, 600_000);

	afterAll(async () => {
		await n8n?.stop();
		await emu?.stop();
		process.stderr.write(`[e2e scenarios] n8n ${n8n?.version}: ${JSON.stringify(timings)}\n`);
	}, 60_000);

	beforeEach(() => {
		// fresh limits, messages and settings per scenario; media/templates reseeded
		emu.reset();
	});

	it('1. customer message → reply buttons quoting it; button tap → template via picker + mapper', async () => {
		const t0 = Date.now();
		const r = await runConversation(n8n, emu, cred);
		log('conversationMs', Date.now() - t0);
		for (const [k, v] of Object.entries(r.timings)) log(k, v);
	});

	it('2. forged or unsigned webhooks get 401 and start no execution', async () => {
		const webhookId = 'e2e-forged';
		const trigger = triggerNode('On WhatsApp event', cred, webhookId);
		const id = await n8n.createWorkflow({
			name: 'e2e forged',
			nodes: [trigger],
			connections: {},
		});
		await n8n.activate(id);
		await n8n.waitForWebhook(`${webhookId}/webhook`);
		const url = `${n8n.webhookBaseUrl}${webhookId}/webhook`;
		const payload = () => emu.inbound.text(CUSTOMER, 'forged?');

		const bad = await emu.deliver(payload(), { url, signature: 'bad', maxAttempts: 1 });
		const none = await emu.deliver(payload(), { url, signature: 'none', maxAttempts: 1 });
		const otherSecret = await emu.deliver(payload(), {
			url,
			signWith: 'not-the-app-secret',
			maxAttempts: 1,
		});
		// a valid signature over different bytes
		const body = JSON.stringify(payload());
		const res = await fetch(url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-hub-signature-256': `sha256=${createHash('sha256').update('x').digest('hex')}`,
			},
			body,
		});
		await res.arrayBuffer();
		expect([bad, none, otherSecret].map((d) => d.statusCodes)).toEqual([[401], [401], [401]]);
		expect(res.status).toBe(401);
		await sleep(1500);
		expect(await n8n.executions(id, { includeData: false })).toHaveLength(0);

		// the same trigger accepts a correctly signed one (so the 401s were about the signature)
		const good = await emu.deliver(payload(), { url, maxAttempts: 1 });
		expect(good.statusCodes).toEqual([200]);
		const execs = await n8n.waitForExecutions(id, { count: 1 });
		expect(execs).toHaveLength(1);
		await n8n.deactivate(id);
	});

	/** Manual Trigger → Code (items) → sendText to `{{$json.to}}`; optional error output. */
	async function broadcastWorkflow(
		name: string,
		recipients: string[],
		opts: { errorOutput?: boolean; sendingOptions?: Record<string, unknown> } = {},
	): Promise<string> {
		const start = manualTrigger();
		const items = codeNode(
			'Recipients',
			`const to = ${JSON.stringify(recipients)};\nreturn to.map((t, i) => ({ json: { to: t, name: 'Customer ' + i } }));`,
		);
		const send = actionNode(
			'Send broadcast',
			cred,
			{
				resource: 'message',
				operation: 'sendText',
				phoneNumberId: locator(emu.config.phoneNumberIds[0], 'id'),
				recipient: '={{ $json.to }}',
				// one expression per item (the recipient): keeps the main process' CPU per item low
				textBody: 'Hello! Our summer sale starts today.',
				messageOptions: {},
				sendingOptions: opts.sendingOptions ?? {},
			},
			opts.errorOutput ? { onError: 'continueErrorOutput' } : {},
		);
		const nodes = [start, items, send];
		const links: Array<[string, string, number?]> = [
			[start.name, items.name],
			[items.name, send.name],
		];
		if (opts.errorOutput) {
			const ok = noOp('Sent');
			const failed = noOp('Failed');
			nodes.push(ok, failed);
			links.push([send.name, ok.name, 0], [send.name, failed.name, 1]);
		}
		return n8n.createWorkflow({ name, nodes, connections: connect(...links) });
	}

	const recipientsFrom = (base: number, n: number) =>
		Array.from({ length: n }, (_, i) => String(base + i));

	it('3. broadcast: 500 items at 80 msg/s with 150 ms latency → all accepted once, at the limit', async () => {
		emu.configure({ messagesPerSecond: 80, latency: { kind: 'fixed', ms: 150 } });
		const recipients = recipientsFrom(4915100000000, 500);
		const id = await broadcastWorkflow('e2e broadcast', recipients);
		const t0 = Date.now();
		const exec = await n8n.execute(id, { timeoutMs: 120_000 });
		log('broadcastExecutionMs', Date.now() - t0);
		expect(exec.status).toBe('success');
		const out = nodeOutput(exec, 'Send broadcast');
		expect(out).toHaveLength(500);
		expect(out.every((i) => typeof i.json.messageId === 'string' && !i.json.error)).toBe(true);
		expect(out.map((i) => i.json.to)).toEqual(recipients);

		const stats = emu.stats();
		expect(stats.accepted).toBe(500);
		expect(stats.duplicates).toBe(0);
		expect(Object.keys(stats.byRecipient).sort()).toEqual([...recipients].sort());
		expect(Object.values(stats.byRecipient).every((r) => r.accepted === 1)).toBe(true);

		// Rate from the emulator's acceptance times. Its bucket starts full (1 s worth = 80), so during
		// the first second a sender may get up to 80 more than the rate; the sustained rate is measured
		// after that second: acceptances after at[0] + 1 s over the time they took.
		const at = emu
			.messages()
			.map((m) => m.at)
			.sort((a, b) => a - b);
		const spanMs = at[at.length - 1] - at[0];
		const steady = at.filter((t) => t > at[0] + 1000);
		const rate = (steady.length / (at[at.length - 1] - (at[0] + 1000))) * 1000;
		const throttled = emu.requests().filter((r) => r.code === 130429).length;
		log('broadcastRate', Number(rate.toFixed(2)));
		log('broadcastRateOfLimit', Number((rate / 80).toFixed(3)));
		log('broadcastSpanMs', spanMs);
		log('broadcast130429Answers', throttled);
		log('broadcastFirstAcceptAfterRunMs', at[0] - t0);
		const perSecond: number[] = [];
		for (const t of at)
			perSecond[Math.floor((t - at[0]) / 1000)] =
				(perSecond[Math.floor((t - at[0]) / 1000)] ?? 0) + 1;
		log('broadcastAcceptedPerSecond', perSecond.join(','));
		log(
			'loadAverage',
			os
				.loadavg()
				.map((l) => l.toFixed(1))
				.join(' '),
		);
		expect(rate).toBeGreaterThanOrEqual(80 * 0.95);
		expect(rate).toBeLessThanOrEqual(80 * 1.05);
	});

	it('4. faults (5xx, 131056, permanent errors): every item sent or in the error output with its code, none lost or doubled', async () => {
		const recipients = recipientsFrom(4916200000000, 60);
		const pairLimited = recipients.slice(10, 12);
		const undeliverable = recipients.slice(20, 23);
		const others = recipients.filter((r) => !pairLimited.includes(r) && !undeliverable.includes(r));
		// 5xx (HTTP 500/503, codes 1/2/131000/131016) on a quarter of the sends to the others: 131016
		// is retried, 1/2/131000 fail at once as uncertain (Meta may have the message); the pair-limited and undeliverable recipients always get their code, so each item's
		// final code is known.
		emu.configure({
			faults: {
				errorRate: 0.25,
				errorCodes: [1, 2, 131000, 131016],
				errorRecipients: others,
			},
		});
		for (const to of pairLimited) emu.queueError(to, 131056, 50);
		for (const to of undeliverable) emu.queueError(to, 131026, 50);
		const id = await broadcastWorkflow('e2e faults', recipients, {
			errorOutput: true,
			sendingOptions: { maxAttempts: 8, maxWaitSeconds: 3 },
		});
		const t0 = Date.now();
		const exec = await n8n.execute(id, { timeoutMs: 180_000 });
		log('faultsExecutionMs', Date.now() - t0);
		expect(exec.status).toBe('success');
		const sent = nodeOutput(exec, 'Send broadcast', 0);
		const failed = nodeOutput(exec, 'Send broadcast', 1);
		expect(nodeOutput(exec, 'Sent')).toHaveLength(sent.length);
		expect(nodeOutput(exec, 'Failed')).toHaveLength(failed.length);
		// every item exactly once, across both outputs (identified by pairedItem → input index)
		const indexOf = (i: { pairedItem?: unknown }) => (i.pairedItem as { item: number }).item;
		expect([...sent, ...failed].map(indexOf).sort((x, y) => x - y)).toEqual(
			recipients.map((_, i) => i),
		);
		for (const i of sent) expect(i.json.to).toBe(recipients[indexOf(i)]);
		const failedBy = new Map(failed.map((i) => [recipients[indexOf(i)], i.json]));
		log('faultsErrorItemExample', JSON.stringify(failedBy.get(undeliverable[0])));
		for (const to of undeliverable) expect(errorCode(failedBy.get(to))).toBe(131026);
		for (const to of pairLimited) expect(errorCode(failedBy.get(to))).toBe(131056);
		// anything else that failed can only be a 5xx: uncertain, or retried past its attempts
		for (const [to, json] of failedBy) {
			if (undeliverable.includes(to) || pairLimited.includes(to)) continue;
			expect([1, 2, 131000, 131016]).toContain(errorCode(json));
		}
		for (const json of failedBy.values()) {
			const error = json.error as string | { message?: unknown };
			expect(typeof (typeof error === 'string' ? error : error?.message)).toBe('string');
		}
		// the emulator accepted exactly the sent ones, each once
		const stats = emu.stats();
		expect(stats.duplicates).toBe(0);
		expect(Object.keys(stats.byRecipient).sort()).toEqual(
			sent.map((i) => String(i.json.to)).sort(),
		);
		const wamids = new Set(emu.messages().map((m) => m.wamid));
		for (const i of sent) expect(wamids.has(String(i.json.messageId))).toBe(true);
		const serverErrors = emu.requests().filter((r) => (r.status ?? 0) >= 500).length;
		log(
			'faults',
			`${sent.length} sent, ${failed.length} failed, ${serverErrors} 5xx answers retried`,
		);
		expect(serverErrors).toBeGreaterThan(0);
		expect(sent.some((i) => Number(i.json.attempts) > 1)).toBe(true);
	});

	it('5. media: binary from a Code node sent as image (upload, then by ID); inbound image downloaded with the right bytes', async () => {
		// outbound
		const start = manualTrigger();
		const makeFile = codeNode(
			'Make image',
			`return [{ json: { to: '${CUSTOMER}' }, binary: { data: { data: '${PNG.toString('base64')}', mimeType: 'image/png', fileName: 'pixel.png', fileExtension: 'png' } } }];`,
		);
		const sendImage = actionNode('Send image', cred, {
			resource: 'message',
			operation: 'sendMedia',
			phoneNumberId: locator(emu.config.phoneNumberIds[0], 'id'),
			recipient: '={{ $json.to }}',
			mediaType: 'image',
			mediaSource: 'binary',
			binaryPropertyName: 'data',
			caption: 'Your receipt',
			messageOptions: {},
		});
		const outId = await n8n.createWorkflow({
			name: 'e2e media out',
			nodes: [start, makeFile, sendImage],
			connections: connect([start.name, makeFile.name], [makeFile.name, sendImage.name]),
		});
		const exec = await n8n.execute(outId);
		expect(exec.status).toBe('success');
		const [msg] = emu.messages();
		expect(msg.type).toBe('image');
		const image = msg.body.image as { id: string; caption?: string };
		expect(image.caption).toBe('Your receipt');
		const uploaded = emu.media.get(image.id);
		expect(uploaded?.sha256).toBe(sha256(PNG));
		expect(uploaded?.mimeType).toBe('image/png');
		const uploads = emu.requests().filter((r) => r.method === 'POST' && /\/media$/.test(r.path));
		expect(uploads).toHaveLength(1);
		expect(nodeOutput(exec, 'Send image')[0].json).toMatchObject({ messageId: msg.wamid });

		// inbound: the trigger downloads it; a media/download node downloads it again
		const webhookId = 'e2e-media-in';
		const trigger = triggerNode('On image', cred, webhookId, {
			events: ['message'],
			options: { downloadMedia: true, messageTypes: ['image'] },
		});
		const readCode = `const out = [];
const items = $input.all();
for (let i = 0; i < items.length; i++) {
  const prop = Object.keys(items[i].binary || {})[0];
  const buf = await this.helpers.getBinaryDataBuffer(i, prop);
  const b = items[i].binary[prop];
  out.push({ json: { prop, base64: buf.toString('base64'), mimeType: b.mimeType, fileName: b.fileName } });
}
return out;`;
		const fromTrigger = codeNode('Trigger bytes', readCode);
		const download = actionNode('Download media', cred, {
			resource: 'media',
			operation: 'download',
			mediaId: '={{ $json.media.id }}',
			binaryPropertyName: 'file',
			downloadOptions: {},
		});
		const fromDownload = codeNode('Downloaded bytes', readCode);
		const inId = await n8n.createWorkflow({
			name: 'e2e media in',
			nodes: [trigger, fromTrigger, download, fromDownload],
			connections: connect(
				[trigger.name, fromTrigger.name],
				[trigger.name, download.name],
				[download.name, fromDownload.name],
			),
		});
		await n8n.activate(inId);
		await n8n.waitForWebhook(`${webhookId}/webhook`);
		const photo = Buffer.concat([PNG, Buffer.from('customer-photo')]);
		const inbound = emu.inbound.image(CUSTOMER, {
			bytes: photo,
			mimeType: 'image/png',
			caption: 'Broken item',
		});
		const d = await emu.deliver(inbound, {
			url: `${n8n.webhookBaseUrl}${webhookId}/webhook`,
			maxAttempts: 1,
		});
		expect(d.statusCodes).toEqual([200]);
		const [inExec] = await n8n.waitForExecutions(inId, { count: 1 });
		expect(inExec.status).toBe('success');
		const trig = nodeOutput(inExec, 'On image')[0];
		expect(trig.json).toMatchObject({
			type: 'image',
			text: 'Broken item',
			media: { mimeType: 'image/png', sha256: sha256(photo) },
		});
		expect(trig.json.mediaError).toBeUndefined();
		expect(trig.binary?.data).toMatchObject({ mimeType: 'image/png' });
		const [a] = nodeOutput(inExec, 'Trigger bytes');
		const [b] = nodeOutput(inExec, 'Downloaded bytes');
		expect(a.json).toMatchObject({
			prop: 'data',
			mimeType: 'image/png',
			base64: photo.toString('base64'),
		});
		expect(b.json).toMatchObject({
			prop: 'file',
			mimeType: 'image/png',
			base64: photo.toString('base64'),
		});
		await n8n.deactivate(inId);
	});

	it('5b. media download redirected to another host: the token never reaches it (audit finding 2)', async () => {
		const stored = emu.media.get(SEEDED_MEDIA_IDS.document)!;
		const seen: Array<string | undefined> = [];
		const foreign = http.createServer((req, res) => {
			seen.push(req.headers.authorization);
			res.setHeader('content-type', stored.mimeType);
			res.end(stored.bytes);
		});
		await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
		try {
			emu.configure({
				mediaDownloadRedirect: `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`,
			});
			const start = manualTrigger();
			const download = actionNode('Download media', cred, {
				resource: 'media',
				operation: 'download',
				mediaId: stored.id,
				binaryPropertyName: 'file',
				downloadOptions: {},
			});
			const id = await n8n.createWorkflow({
				name: 'e2e media redirect',
				nodes: [start, download],
				connections: connect([start.name, download.name]),
			});
			const exec = await n8n.execute(id);
			expect(exec.status).toBe('success');
			expect(nodeOutput(exec, 'Download media')[0].json).toMatchObject({ sha256: stored.sha256 });
			expect(seen).toEqual([undefined]);
		} finally {
			await new Promise<void>((resolve) => foreign.close(() => resolve()));
		}
	});

	it('6. status webhooks arrive as status items, filtered by the trigger options', async () => {
		const webhookId = 'e2e-statuses';
		const trigger = triggerNode('On status', cred, webhookId, {
			events: ['status'],
			options: { statuses: ['delivered', 'read', 'failed'] },
		});
		const id = await n8n.createWorkflow({
			name: 'e2e statuses',
			nodes: [trigger],
			connections: {},
		});
		await n8n.activate(id);
		await n8n.waitForWebhook(`${webhookId}/webhook`);
		const url = `${n8n.webhookBaseUrl}${webhookId}/webhook`;
		const wamid = 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJFMkUyRTJFMkUyRTJFMkUyRTIA';
		const st = (s: 'sent' | 'delivered' | 'read' | 'failed', extra = {}) =>
			emu.inbound.status(wamid, s, {
				recipient: CUSTOMER,
				bizOpaqueCallbackData: 'cb-42',
				...extra,
			});
		for (const p of [
			st('sent'),
			st('delivered'),
			st('read'),
			st('failed', { errors: [{ code: 131047 }] }),
			emu.inbound.text(CUSTOMER, 'a message, not a status'),
		]) {
			expect((await emu.deliver(p, { url, maxAttempts: 1 })).statusCodes).toEqual([200]);
		}
		const execs = await n8n.waitForExecutions(id, { count: 3 });
		await sleep(1500);
		const all = await n8n.executions(id);
		expect(all).toHaveLength(3);
		const items = all.flatMap((e) => nodeOutput(e, 'On status')).map((i) => i.json);
		expect(items.map((i) => i.status).sort()).toEqual(['delivered', 'failed', 'read']);
		for (const i of items) {
			expect(i).toMatchObject({
				event: 'status',
				messageId: wamid,
				recipientId: CUSTOMER,
				callbackData: 'cb-42',
				phoneNumberId: emu.config.phoneNumberIds[0],
			});
		}
		expect(items.find((i) => i.status === 'failed')).toMatchObject({
			errors: [expect.objectContaining({ code: 131047 })],
		});
		expect(execs.length).toBe(3);
		await n8n.deactivate(id);
	});
});
