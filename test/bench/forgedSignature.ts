/**
 * What a forged webhook costs the signature check (audit finding 1): a non-ASCII body with a
 * well-formed but wrong `X-Hub-Signature-256`, which goes through the escaped-unicode fallback.
 * For each body: wall and CPU time of the check and the memory it takes, for the raw HMAC alone,
 * the check as it was before the fix (loaded from git, commit BEFORE_COMMIT) and the check now,
 * each in a fresh child process. Prints ratios to the raw HMAC of the same body and merges the
 * figures into test/bench/results.json under `forgedSignature`.
 *
 *   npx ts-node --transpile-only test/bench/forgedSignature.ts [--quick]
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import path from 'node:path';

import { BEFORE_COMMIT, moduleFromGit } from './fromGit';
import type { TableRow } from './measure';
import { formatTable, machineInfo, mergeResults, round } from './measure';
import {
	ESCAPED_FORM_MAX_BODY_BYTES,
	escapeUnicode,
	verifySignature,
} from '../../nodes/WhatsAppCloud/helpers/webhook/signature';

const RESULTS_FILE = path.join(__dirname, 'results.json');
const SIGNATURE_FILE = 'nodes/WhatsAppCloud/helpers/webhook/signature.ts';
const SECRET = 'bench-app-secret-0123456789abcdef';
const WRONG_HEADER = `sha256=${'0'.repeat(64)}`;
const MiB = 1024 * 1024;
const QUICK = process.argv.includes('--quick');
const RUNS = QUICK ? 2 : 5;

type Variant = 'raw' | 'before' | 'after';
type Verify = (body: Buffer, header: string, secret: string) => { valid: boolean };

/** A Meta-shaped webhook whose text body fills it up to `size` bytes with `filler`. */
export function webhookOf(size: number, filler: string): Buffer {
	const head =
		'{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUE=","timestamp":"1750000000","type":"text","text":{"body":"';
	const tail = '"}}]}}]}]}';
	const room = size - Buffer.byteLength(head) - Buffer.byteLength(tail);
	const unit = Buffer.from(filler, 'utf8');
	const text = Buffer.alloc(room, 0x20);
	for (let at = 0; at + unit.length <= room; at += unit.length) unit.copy(text, at);
	return Buffer.concat([Buffer.from(head), text, Buffer.from(tail)]);
}

interface BodyCase {
	name: string;
	describe: string;
	build: () => Buffer;
	/** the header a forger sends; `escaped` = Meta's escaped-form signature (a genuine event) */
	header: 'wrong' | 'escaped';
}

const CASES: BodyCase[] = [
	{
		name: 'forged16MiB',
		describe: '16 MiB webhook, text of "ä" and "漢", wrong signature (the audit case)',
		build: () => webhookOf(16 * MiB, 'äöü漢字 '),
		header: 'wrong',
	},
	{
		name: 'forgedAtCapDense',
		describe: `${ESCAPED_FORM_MAX_BODY_BYTES / MiB} MiB (the cap) of "ä", wrong signature`,
		build: () => webhookOf(ESCAPED_FORM_MAX_BODY_BYTES, 'ä'),
		header: 'wrong',
	},
	{
		name: 'forgedAtCapMixed',
		describe: `${ESCAPED_FORM_MAX_BODY_BYTES / MiB} MiB of mixed text (ASCII runs, umlauts, emoji), wrong signature`,
		build: () => webhookOf(ESCAPED_FORM_MAX_BODY_BYTES, 'Grüße aus München, see you soon 👋 '),
		header: 'wrong',
	},
	{
		name: 'genuine3MB',
		describe: '3 MB webhook (about Meta’s largest) signed in the escaped form',
		build: () => webhookOf(3_000_000, 'Grüße aus München, see you soon 👋 '),
		header: 'escaped',
	},
];

/** The baseline: one HMAC of the raw bytes, compared. */
const rawCheck: Verify = (body, header, secret) => ({
	valid: `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` === header,
});

/** The pre-fix check, from git. */
const loadBefore = () => moduleFromGit<{ verifySignature: Verify }>(SIGNATURE_FILE).verifySignature;

interface Measurement {
	bodyBytes: number;
	valid: boolean;
	/** least of the runs */
	wallMs: number;
	cpuMs: number;
	/** JS heap right after the first check, above what it was before (no GC in between) */
	heapGrowthMB: number;
	/** peak resident memory of the process above what it was before the first check */
	peakRssGrowthMB: number;
}

/** In a child process: one body, one variant. */
function measureInChild(caseName: string, variant: Variant): Measurement {
	const gc = (globalThis as { gc?: () => void }).gc;
	const bodyCase = CASES.find((c) => c.name === caseName)!;
	const body = bodyCase.build();
	const header =
		bodyCase.header === 'wrong'
			? WRONG_HEADER
			: `sha256=${createHmac('sha256', SECRET)
					.update(escapeUnicode(body.toString('utf8')))
					.digest('hex')}`;
	const verify: Verify =
		variant === 'raw' ? rawCheck : variant === 'before' ? loadBefore() : verifySignature;
	const run = (input: Buffer) => verify(input, header, SECRET);
	// warm up the code paths on a small body, then start from a collected heap
	for (let i = 0; i < 20; i++) run(body.subarray(0, 64 * 1024));
	gc?.();
	const heapBefore = process.memoryUsage().heapUsed;
	const rssBefore = process.resourceUsage().maxRSS;
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const result = run(body);
	let wallMs = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	let cpuMs = (cpu.user + cpu.system) / 1000;
	const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
	const rssGrowthKb = process.resourceUsage().maxRSS - rssBefore;
	for (let i = 1; i < RUNS; i++) {
		gc?.();
		const c0 = process.cpuUsage();
		const t0 = performance.now();
		run(body);
		wallMs = Math.min(wallMs, performance.now() - t0);
		const c = process.cpuUsage(c0);
		cpuMs = Math.min(cpuMs, (c.user + c.system) / 1000);
	}
	return {
		bodyBytes: body.length,
		valid: result.valid,
		wallMs: round(wallMs, 1),
		cpuMs: round(cpuMs, 1),
		heapGrowthMB: round(Math.max(0, heapGrowth) / MiB, 1),
		peakRssGrowthMB: round(Math.max(0, rssGrowthKb) / 1024, 1),
	};
}

function spawnMeasurement(caseName: string, variant: Variant): Measurement {
	const out = execFileSync(
		process.execPath,
		[
			'--expose-gc',
			'--max-old-space-size=4096',
			'-r',
			'ts-node/register/transpile-only',
			__filename,
			'--child',
			caseName,
			variant,
			...(QUICK ? ['--quick'] : []),
		],
		{ encoding: 'utf8', maxBuffer: 1024 * 1024 },
	);
	return JSON.parse(out.trim().split('\n').pop()!) as Measurement;
}

/**
 * What the check may cost: the audit case (over the cap) what the raw HMAC costs. At the cap the
 * fallback's pass is a JavaScript loop over every byte (several ns per byte on a loaded machine,
 * against a hardware-assisted HMAC): its time is reported, the target is on memory and outcome.
 */
function targetFor(bodyCase: BodyCase): { text: string; maxCpuMs: (raw: number) => number } {
	if (bodyCase.name === 'forged16MiB') return { text: '≤ 2× raw', maxCpuMs: (raw) => 2 * raw };
	return { text: 'time reported', maxCpuMs: () => Number.POSITIVE_INFINITY };
}

function main(): void {
	const started = Date.now();
	const machine = machineInfo();
	const figures: Record<string, unknown> = {};
	const rows: TableRow[] = [];
	let raw16MiBCpuMs = 0;
	for (const bodyCase of CASES) {
		const measured = Object.fromEntries(
			(['raw', 'before', 'after'] as Variant[]).map((variant) => [
				variant,
				spawnMeasurement(bodyCase.name, variant),
			]),
		) as Record<Variant, Measurement>;
		if (bodyCase.name === 'forged16MiB') raw16MiBCpuMs = measured.raw.cpuMs;
		const ratio = (variant: Variant, key: 'wallMs' | 'cpuMs', base = measured.raw[key]) =>
			round(measured[variant][key] / Math.max(base, 0.1), 1);
		figures[bodyCase.name] = {
			describe: bodyCase.describe,
			bodyBytes: measured.raw.bodyBytes,
			...measured,
			beforeVsRawCpu: ratio('before', 'cpuMs'),
			afterVsRawCpu: ratio('after', 'cpuMs'),
			beforeVsRawWall: ratio('before', 'wallMs'),
			afterVsRawWall: ratio('after', 'wallMs'),
			afterVsRaw16MiBCpu: ratio('after', 'cpuMs', raw16MiBCpuMs),
		};
		const line = (variant: Variant) =>
			`${measured[variant].cpuMs} ms CPU (${ratio(variant, 'cpuMs')}× raw, ${ratio(variant, 'cpuMs', raw16MiBCpuMs)}× raw of 16 MiB), heap +${measured[variant].heapGrowthMB} MB, peak RSS +${measured[variant].peakRssGrowthMB} MB${measured[variant].valid ? ', accepted' : ''}`;
		const target = targetFor(bodyCase);
		const expectValid = bodyCase.header === 'escaped';
		const pass =
			measured.after.valid === expectValid &&
			measured.after.cpuMs <= target.maxCpuMs(measured.raw.cpuMs) &&
			measured.after.heapGrowthMB < 16;
		rows.push(
			{ figure: `${bodyCase.name}: raw HMAC`, value: `${measured.raw.cpuMs} ms CPU` },
			{ figure: `${bodyCase.name}: before (${BEFORE_COMMIT})`, value: line('before') },
			{
				figure: `${bodyCase.name}: now`,
				value: line('after'),
				target: `${target.text}, heap + < 16 MB${expectValid ? ', accepted' : ', refused'}`,
				verdict: pass ? 'PASS' : 'FAIL',
			},
		);
	}
	for (const bodyCase of CASES) {
		process.stdout.write(`${bodyCase.name}: ${bodyCase.describe}\n`);
	}
	process.stdout.write(`${formatTable(rows)}\n`);
	mergeResults(RESULTS_FILE, {
		forgedSignature: {
			...figures,
			runsPerMeasurement: RUNS,
			beforeCommit: BEFORE_COMMIT,
			machine,
			runSeconds: round((Date.now() - started) / 1000, 1),
			measuredAt: new Date().toISOString(),
		},
	});
}

if (process.argv[2] === '--child') {
	process.stdout.write(
		`${JSON.stringify(measureInChild(process.argv[3], process.argv[4] as Variant))}\n`,
	);
} else if (require.main === module) {
	main();
}
