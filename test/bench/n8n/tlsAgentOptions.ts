/**
 * What `agentOptions` could save per request, given that n8n's request helper builds a new HTTPS
 * agent (and so a new TLS context and connection) for every request: a client on the Node that runs
 * n8n (.cache/node24) sends POSTs the way n8n does — `new https.Agent({ ...agentOptions })` per
 * request, 10 in flight — to a TLS server in another process (the bench's test CA and
 * graph.facebook.com certificate, ECDSA P-256), and reports its own CPU per request. Variants:
 * options a community node can pass through `agentOptions`, and for comparison what only n8n could
 * do (share a TLS context, share the agent, keep connections alive).
 *
 *   npx ts-node --transpile-only test/bench/n8n/tlsAgentOptions.ts [--rounds=7] [--requests=400]
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { CACHE_ROOT } from '../../e2e/install';
import { makeTestPki } from './tls';

const NODE_24 = path.join(CACHE_ROOT, 'node24', 'node_modules', 'node', 'bin', 'node');

const SERVER = `
const https = require('https'); const fs = require('fs');
const [key, cert] = process.argv.slice(1);
const body = JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: '1', wa_id: '1' }], messages: [{ id: 'wamid.x' }] });
https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
  req.resume(); req.on('end', () => { res.setHeader('content-type', 'application/json'); res.end(body); });
}).listen(0, '127.0.0.1', function () { process.stdout.write(String(this.address().port) + '\\n'); });
`;

const CLIENT = `
const https = require('https'); const tls = require('tls'); const fs = require('fs');
const [caFile, port, rounds, requests] = process.argv.slice(1);
const ca = fs.readFileSync(caFile);
// per request, as n8n's helper does; 'ca' stands in for NODE_EXTRA_CA_CERTS
const perRequest = {
  'default (what every node gets)': {},
  'ecdhCurve X25519 (no ML-KEM key share)': { ecdhCurve: 'X25519' },
  'maxVersion TLSv1.2': { maxVersion: 'TLSv1.2' },
  'maxCachedSessions 0': { maxCachedSessions: 0 },
  'keepAlive (agent discarded after one request)': { keepAlive: true },
  'shared secureContext (needs node:tls)': { secureContext: tls.createSecureContext({ ca }) },
};
const shared = {
  'one agent for all requests (TLS session resumption)': new https.Agent({ ca }),
  'one keep-alive agent (what n8n would need to change)': new https.Agent({ ca, keepAlive: true }),
};
function post(agent) {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', servername: 'graph.facebook.com', port: Number(port), method: 'POST', path: '/v23.0/1/messages', agent, headers: { 'content-type': 'application/json' } }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
    req.end('{"messaging_product":"whatsapp","to":"15550001111","type":"text","text":{"body":"hi"}}');
  });
}
async function measure(name, n) {
  const agentFor = () => shared[name] ?? new https.Agent({ ca, ...perRequest[name] });
  const before = process.cpuUsage(); let started = 0;
  await Promise.all(Array.from({ length: 10 }, async () => { while (started++ < n) await post(agentFor()); }));
  const used = process.cpuUsage(before); return (used.user + used.system) / 1000 / n;
}
(async () => {
  const names = [...Object.keys(perRequest), ...Object.keys(shared)];
  for (const name of names) await measure(name, 50);
  const results = Object.fromEntries(names.map((name) => [name, []]));
  // the order rotates each round, so drift in the machine's load hits every variant alike
  for (let r = 0; r < Number(rounds); r++) for (let k = 0; k < names.length; k++) { const name = names[(k + r) % names.length]; results[name].push(await measure(name, Number(requests))); }
  process.stdout.write(JSON.stringify(results) + '\\n');
  for (const agent of Object.values(shared)) agent.destroy();
})();
`;

async function main(): Promise<void> {
	const flag = (name: string, fallback: number) =>
		Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
	const rounds = flag('rounds', 7);
	const requests = flag('requests', 400);
	const pki = makeTestPki();
	const server = spawn(process.execPath, ['-e', SERVER, pki.leafKey, pki.leafCert], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	try {
		const port = await new Promise<string>((resolve) =>
			server.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())),
		);
		const node = fs.existsSync(NODE_24) ? NODE_24 : process.execPath;
		const versions = execFileSync(node, [
			'-p',
			'process.version + " OpenSSL " + process.versions.openssl',
		])
			.toString()
			.trim();
		const out = execFileSync(
			node,
			['-e', CLIENT, pki.caCert, port, String(rounds), String(requests)],
			{
				maxBuffer: 1 << 20,
			},
		).toString();
		const results = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number[]>;
		const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
		const base = median(results['default (what every node gets)']);
		process.stdout.write(
			`client ${versions}; ${rounds} rounds × ${requests} requests, 10 in flight; load ${os.loadavg()[0].toFixed(1)}\n`,
		);
		process.stdout.write(
			'| variant | client CPU ms / request (median) | vs default |\n|---|---|---|\n',
		);
		for (const [name, values] of Object.entries(results)) {
			const m = median(values);
			process.stdout.write(
				`| ${name} | ${m.toFixed(2)} | ${(m - base >= 0 ? '+' : '') + (m - base).toFixed(2)} |\n`,
			);
		}
	} finally {
		server.kill();
		pki.remove();
	}
}

void main();
