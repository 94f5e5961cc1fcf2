/**
 * A throwaway test CA and a graph.facebook.com certificate made with `openssl` at run time, plus
 * the `--require` preload that makes n8n (and only n8n) resolve graph.facebook.com to loopback.
 * Everything lives in a temp dir that is removed after the run; no key is ever committed.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const GRAPH_HOST = 'graph.facebook.com';

export interface TestPki {
	dir: string;
	caCert: string;
	leafKey: string;
	leafCert: string;
	preload: string;
	remove(): void;
}

function openssl(args: string[], cwd: string): void {
	execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * The preload runs inside the n8n process (NODE_OPTIONS=--require). It answers dns.lookup for
 * graph.facebook.com with 127.0.0.1, and when the stand-in could not bind 443 it also moves
 * TLS connections for that host to BENCH_GRAPH_PORT. Nothing else in the process changes.
 */
const PRELOAD = `'use strict';
const dns = require('dns');
const HOST = ${JSON.stringify(GRAPH_HOST)};
const isGraph = (h) => typeof h === 'string' && h.toLowerCase().replace(/\\.$/, '') === HOST;
const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
	if (!isGraph(hostname)) return lookup.apply(this, arguments);
	if (typeof options === 'function') { callback = options; options = {}; }
	if (typeof options === 'number') options = { family: options };
	options = options || {};
	if (options.all) return process.nextTick(callback, null, [{ address: '127.0.0.1', family: 4 }]);
	return process.nextTick(callback, null, '127.0.0.1', 4);
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = function (hostname, options) {
	if (!isGraph(hostname)) return promisesLookup.apply(this, arguments);
	const all = options && typeof options === 'object' && options.all;
	return Promise.resolve(all ? [{ address: '127.0.0.1', family: 4 }] : { address: '127.0.0.1', family: 4 });
};
const port = Number(process.env.BENCH_GRAPH_PORT || 443);
if (port !== 443) {
	const tls = require('tls');
	const connect = tls.connect;
	tls.connect = function (...args) {
		const o = args[0];
		if (o && typeof o === 'object' && (isGraph(o.servername) || isGraph(o.host)) && Number(o.port || 443) === 443) {
			args[0] = Object.assign({}, o, { port });
		}
		return connect.apply(this, args);
	};
}
`;

export function makeTestPki(): TestPki {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-pki-'));
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	openssl(
		[
			'req',
			'-x509',
			...ec,
			'-keyout',
			'ca.key',
			'-out',
			'ca.pem',
			'-days',
			'2',
			'-subj',
			'/CN=n8n benchmark test CA (throwaway)',
			'-addext',
			'basicConstraints=critical,CA:TRUE',
			'-addext',
			'keyUsage=critical,keyCertSign,cRLSign',
		],
		dir,
	);
	openssl(
		['req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${GRAPH_HOST}`],
		dir,
	);
	fs.writeFileSync(
		path.join(dir, 'leaf.ext'),
		[
			`subjectAltName=DNS:${GRAPH_HOST}`,
			'basicConstraints=CA:FALSE',
			'keyUsage=critical,digitalSignature',
			'extendedKeyUsage=serverAuth',
			'subjectKeyIdentifier=hash',
			'authorityKeyIdentifier=keyid,issuer',
		].join('\n'),
	);
	openssl(
		[
			'x509',
			'-req',
			'-in',
			'leaf.csr',
			'-CA',
			'ca.pem',
			'-CAkey',
			'ca.key',
			'-CAcreateserial',
			'-out',
			'leaf.pem',
			'-days',
			'2',
			'-extfile',
			'leaf.ext',
		],
		dir,
	);
	const preload = path.join(dir, 'graph-loopback-preload.js');
	fs.writeFileSync(preload, PRELOAD);
	return {
		dir,
		caCert: path.join(dir, 'ca.pem'),
		leafKey: path.join(dir, 'leaf.key'),
		leafCert: path.join(dir, 'leaf.pem'),
		preload,
		remove: () => fs.rmSync(dir, { recursive: true, force: true }),
	};
}
