// Diagnostic preload for test/bench/n8n/isolates.ts (never shipped): inside n8n, logs every
// expression isolate n8n builds, every acquire (with the n8n code that asked) and every expression
// evaluated in an isolate, one JSON line each to $ISOLATE_LOG.
'use strict';
const fs = require('node:fs');

const LOG = process.env.ISOLATE_LOG;
const RUNTIME = process.env.ISOLATE_RUNTIME_DIR;

/** The n8n and node-package frames of the current stack, innermost first. */
function callers() {
	const limit = Error.stackTraceLimit;
	Error.stackTraceLimit = 40;
	const stack = new Error().stack ?? '';
	Error.stackTraceLimit = limit;
	return (
		stack
			.split('\n')
			.slice(3)
			.filter((l) => /node_modules\/(n8n|n8n-core|n8n-workflow|n8n-nodes-[\w-]+)\//.test(l))
			// the expression engine's own frames say nothing about who asked
			.filter((l) => !/n8n-workflow\/(src|dist\/cjs)\/(expression|workflow-expression)\./.test(l))
			.map((l) =>
				l
					.trim()
					.replace(/^at /, '')
					.replace(/\(.*node_modules\//, '(')
					.replace(/:\d+\)$/, ')'),
			)
			.slice(0, 6)
	);
}

if (LOG && RUNTIME) {
	const write = (entry) =>
		fs.appendFileSync(LOG, `${JSON.stringify({ at: Date.now(), pid: process.pid, ...entry })}\n`);
	try {
		const runtime = require(RUNTIME);
		const bridge = runtime.IsolatedVmBridge.prototype;
		const { initialize, initializeSync, execute } = bridge;
		bridge.initialize = async function (...args) {
			const started = performance.now();
			const result = await initialize.apply(this, args);
			write({ kind: 'create', ms: Math.round(performance.now() - started) });
			return result;
		};
		if (initializeSync) {
			bridge.initializeSync = function (...args) {
				const started = performance.now();
				const result = initializeSync.apply(this, args);
				write({ kind: 'create', sync: true, ms: Math.round(performance.now() - started) });
				return result;
			};
		}
		bridge.execute = function (code, ...args) {
			write({ kind: 'eval', code: String(code).slice(0, 100), callers: callers() });
			return execute.call(this, code, ...args);
		};
		const evaluator = runtime.ExpressionEvaluator.prototype;
		const { acquire } = evaluator;
		evaluator.acquire = async function (...args) {
			write({ kind: 'acquire', callers: callers() });
			return await acquire.apply(this, args);
		};
	} catch (error) {
		write({ kind: 'preload-failed', error: String(error) });
	}
}
