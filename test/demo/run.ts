/**
 * `npm run demo` — the support-bot demo: the Cloud API emulator plays a customer, a real n8n runs
 * test/demo/workflows/support-bot.json, and the chat is printed as a transcript with delivery ticks.
 * The n8n editor stays open on http://127.0.0.1:5678 until Ctrl-C.
 *
 *   npm run demo                 # interactive: leaves n8n and the emulator running
 *   npm run demo -- --ci         # checks the transcript, stops, exits 0 (non-zero when it is wrong)
 *   npm run demo -- --port 5679  # another n8n port
 */
import { SEED_TEMPLATES, type AcceptedMessage, type Emulator } from '../emulator';
import { DEMO_LOGIN, portIsFree, startDemo, type Demo } from './setup';

type Json = Record<string, any>;

const args = process.argv.slice(2);
const CI = args.includes('--ci');
const portArg = args.indexOf('--port');
const DEMO_PORT = portArg >= 0 ? Number(args[portArg + 1]) : 5678;

const CUSTOMER = { phone: '16505551234', name: 'Sheena Nelson', pretty: '+1 650-555-1234' };
const BUSINESS = 'Demo Shop';

const color = process.stdout.isTTY && !CI && !process.env.NO_COLOR;
const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const dim = (s: string) => paint('2', s);
const bold = (s: string) => paint('1', s);
const green = (s: string) => paint('32', s);
const blue = (s: string) => paint('94', s);

const say = (line = '') => process.stdout.write(`${line}\n`);
const info = (line: string) => process.stderr.write(`${dim(`[demo] ${line}`)}\n`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until<T>(fn: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = fn();
		if (v !== undefined) return v;
		if (Date.now() > deadline) return undefined;
		await sleep(50);
	}
}

// ------------------------------------------------------------------------------------------
// what Meta told n8n about each message (status webhooks the trigger acknowledged with 200)

type Tick = 'sent' | 'delivered' | 'read' | 'failed';
const RANK: Record<Tick, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

function statusOf(emu: Emulator, wamid: string): Tick | undefined {
	let best: Tick | undefined;
	for (const d of emu.deliveries().log) {
		if (!d.delivered || d.field !== 'messages') continue;
		const body = JSON.parse(d.body) as Json;
		for (const e of body.entry ?? [])
			for (const c of e.changes ?? [])
				for (const s of c.value?.statuses ?? []) {
					if (s.id !== wamid) continue;
					const t = s.status as Tick;
					if (!best || RANK[t] > RANK[best]) best = t;
				}
	}
	return best;
}

function ticks(t: Tick | undefined): string {
	switch (t) {
		case 'sent':
			return '✓';
		case 'delivered':
			return '✓✓';
		case 'read':
			return color ? blue('✓✓') : '✓✓ (read)';
		case 'failed':
			return '✗ failed';
		default:
			return '🕓';
	}
}

// ------------------------------------------------------------------------------------------
// rendering

const WIDTH = 76;
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);

function bubble(
	side: 'left' | 'right',
	name: string,
	at: number,
	lines: string[],
	tick: string,
): void {
	const indent = side === 'left' ? '  ' : ' '.repeat(12);
	say(`${indent}${dim(clock(at))}  ${bold(name)}`);
	lines.forEach((l, i) => say(`${indent}       ${l}${i === lines.length - 1 ? `  ${tick}` : ''}`));
	say();
}

function fillTemplate(text: string, params: Json[] | undefined): string {
	return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
		const i = Number(k) - 1;
		const p = params?.[Number.isNaN(i) ? -1 : i] ?? params?.find((x) => x.parameter_name === k);
		return p?.text ?? `{{${k}}}`;
	});
}

function renderBot(m: AcceptedMessage, quoted?: string): string[] {
	const b = m.body as Json;
	const lines: string[] = [];
	if (quoted) lines.push(dim(`┃ ${CUSTOMER.name}: ${quoted}`));
	if (b.type === 'text') lines.push(b.text.body);
	else if (b.type === 'interactive') {
		const i = b.interactive as Json;
		if (i.header?.text) lines.push(bold(i.header.text));
		lines.push(i.body.text);
		if (i.footer?.text) lines.push(dim(i.footer.text));
		if (i.type === 'button')
			lines.push(i.action.buttons.map((x: Json) => green(`[ ${x.reply.title} ]`)).join(' '));
		if (i.type === 'list') {
			lines.push(green(`[ ☰ ${i.action.button} ]`));
			for (const s of i.action.sections) {
				lines.push(dim(`   ${s.title}`));
				for (const r of s.rows)
					lines.push(`   ○ ${r.title}${r.description ? dim(` — ${r.description}`) : ''}`);
			}
		}
	} else if (b.type === 'template') {
		const t = b.template as Json;
		const def = SEED_TEMPLATES.find((x) => x.name === t.name && x.language === t.language.code);
		const comp = (type: string) =>
			(t.components ?? []).find((c: Json) => c.type === type) as Json | undefined;
		lines.push(dim(`template ${t.name} (${t.language.code})`));
		for (const c of def?.components ?? []) {
			const cc = c as Json;
			if (cc.type === 'HEADER' && cc.text)
				lines.push(bold(fillTemplate(cc.text, comp('header')?.parameters)));
			if (cc.type === 'BODY') lines.push(fillTemplate(cc.text, comp('body')?.parameters));
			if (cc.type === 'FOOTER') lines.push(dim(cc.text));
			if (cc.type === 'BUTTONS')
				lines.push(cc.buttons.map((x: Json) => green(`[ ${x.text} ]`)).join(' '));
		}
	} else lines.push(`(${b.type})`);
	return lines;
}

// ------------------------------------------------------------------------------------------
// the conversation

interface Step {
	/** what the customer does, as shown in the transcript */
	shown: string;
	payload: (emu: Emulator, lastBot?: AcceptedMessage) => Json;
	/** what the bot must answer with: body.type / interactive.type / template name */
	expect: string;
}

const STEPS: Step[] = [
	{
		shown: 'Hi! I ordered a rain jacket last week. Where is it?',
		payload: (emu) =>
			emu.inbound.text(CUSTOMER.phone, 'Hi! I ordered a rain jacket last week. Where is it?', {
				name: CUSTOMER.name,
			}),
		expect: 'interactive/button',
	},
	{
		shown: '👆 taps [ Show menu ]',
		payload: (emu, last) =>
			emu.inbound.buttonReply(CUSTOMER.phone, 'menu', 'Show menu', {
				name: CUSTOMER.name,
				context: { from: emu.config.displayPhoneNumbers[0], id: last?.wamid },
			}),
		expect: 'interactive/list',
	},
	{
		shown: '👆 picks "Track my order"',
		payload: (emu, last) =>
			emu.inbound.listReply(
				CUSTOMER.phone,
				'track_order',
				'Track my order',
				'Where is my parcel?',
				{
					name: CUSTOMER.name,
					context: { from: emu.config.displayPhoneNumbers[0], id: last?.wamid },
				},
			),
		expect: 'template/order_update',
	},
];

const kindOf = (m: AcceptedMessage) => {
	const b = m.body as Json;
	if (b.type === 'interactive') return `interactive/${b.interactive.type}`;
	if (b.type === 'template') return `template/${b.template.name}`;
	return String(b.type);
};

async function playConversation(demo: Demo): Promise<string[]> {
	const { emu, n8n } = demo;
	const problems: string[] = [];
	say();
	say(bold(`  WhatsApp · ${CUSTOMER.name} (${CUSTOMER.pretty}) ⇄ ${BUSINESS} (+1 555-078-3881)`));
	say(dim(`  ${'─'.repeat(WIDTH - 2)}`));
	say();
	let lastBot: AcceptedMessage | undefined;
	for (const [index, step] of STEPS.entries()) {
		const before = emu.messages().length;
		const payload = step.payload(emu, lastBot);
		const inboundId = payload.entry[0].changes[0].value.messages[0].id as string;
		const at = Date.now();
		const d = await emu.deliver(payload);
		if (!d.delivered)
			problems.push(`step ${index + 1}: webhook answered ${d.statusCodes.join(',')}`);
		const read = await until(() => emu.reads().find((r) => r.messageId === inboundId), 20_000);
		const reply = await until(() => emu.messages().slice(before)[0], 20_000);
		bubble('left', CUSTOMER.name, at, [step.shown], ticks(read ? 'read' : 'delivered'));
		if (read?.typing) say(`${' '.repeat(19)}${dim(`${BUSINESS} is typing…`)}\n`);
		if (!read) problems.push(`step ${index + 1}: the customer's message was not marked as read`);
		else if (!read.typing) problems.push(`step ${index + 1}: no typing indicator`);
		if (!reply) {
			problems.push(`step ${index + 1}: the bot did not answer`);
			continue;
		}
		// let Meta's receipts come in: sent → delivered → read
		await until(() => (statusOf(emu, reply.wamid) === 'read' ? true : undefined), 5_000);
		const status = statusOf(emu, reply.wamid);
		const quoted = (reply.body as Json).context?.message_id === inboundId ? step.shown : undefined;
		bubble('right', BUSINESS, reply.at, renderBot(reply, quoted), ticks(status));
		if (kindOf(reply) !== step.expect)
			problems.push(`step ${index + 1}: expected ${step.expect}, the bot sent ${kindOf(reply)}`);
		if (reply.to !== CUSTOMER.phone) problems.push(`step ${index + 1}: sent to ${reply.to}`);
		if (status !== 'read')
			problems.push(`step ${index + 1}: reply status ${status ?? 'none'}, not read`);
		if (index === 0 && !quoted) problems.push('the welcome does not quote the first message');
		await sleep(300); // anything extra the bot sends shows up as an unexpected message
		const extra = emu.messages().length - before;
		if (extra !== 1) problems.push(`step ${index + 1}: the bot sent ${extra} messages, not 1`);
		lastBot = reply;
	}
	const execs = await n8n.executions(demo.supportBotId, { includeData: false });
	const ok = execs.filter((e) => e.status === 'success').length;
	if (ok !== STEPS.length)
		problems.push(`${ok} successful executions of the support bot, expected ${STEPS.length}`);
	say(dim(`  ${'─'.repeat(WIDTH - 2)}`));
	say(
		dim(
			`  ✓ sent  ✓✓ delivered  ${color ? blue('✓✓') : '✓✓ (read)'} read — receipts are Meta's status webhooks, which the trigger received`,
		),
	);
	return problems;
}

async function main(): Promise<void> {
	const started = Date.now();
	if (!CI && !(await portIsFree(DEMO_PORT))) {
		throw new Error(
			`port ${DEMO_PORT} is in use (another n8n?). Stop it, or run: npm run demo -- --port <free port>`,
		);
	}
	const demo = await startDemo({ port: CI ? 0 : DEMO_PORT, log: info });
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		info('stopping n8n and the emulator…');
		await demo.stop().catch(() => undefined);
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	let problems: string[];
	try {
		problems = await playConversation(demo);
	} catch (error) {
		problems = [`the conversation failed: ${(error as Error).message}`];
	}
	say();
	if (problems.length) {
		say(`Transcript check FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		say(`n8n log: ${demo.n8n.logFile}`);
	} else if (CI)
		say(green(`Transcript check passed (${((Date.now() - started) / 1000).toFixed(1)} s).`));
	if (CI) {
		await stop(problems.length ? 1 : 0);
		return;
	}
	const wf = `${demo.n8n.baseUrl}/workflow/${demo.supportBotId}`;
	say(bold('The n8n editor is open — explore the workflow and its executions:'));
	say(`  ${wf}`);
	say(`  login: ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`);
	say();
	say(`Write to the bot as the customer (the emulator signs and delivers the webhook):`);
	say(
		dim(
			`  curl -s ${demo.emu.baseUrl}/__emulator/inbound -H 'content-type: application/json' \\\n` +
				`    -d '{"message":{"type":"text","from":"${CUSTOMER.phone}","name":"${CUSTOMER.name}","text":"Hello again"}}'`,
		),
	);
	say(dim(`  curl -s ${demo.emu.baseUrl}/__emulator/messages   # what the bot sent`));
	say();
	say('Ctrl-C stops n8n and the emulator.');
	await new Promise<never>(() => undefined);
}

main().catch((error: Error) => {
	process.stderr.write(`demo failed: ${error.stack ?? error.message}\n`);
	process.exit(1);
});
