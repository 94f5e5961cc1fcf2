/**
 * A WhatsApp-like chat view (HTML) of the messages a conversation really exchanged: the customer's
 * messages and taps, and the business messages exactly as the emulator accepted them (interactive
 * buttons and lists, templates filled from their definition). The README pictures are screenshots
 * of it; nothing here is typed by hand.
 */
import type { AcceptedMessage, FlowJsonDoc } from '../emulator';
import { SEED_TEMPLATES } from '../emulator';
import { escape, FLOW_SCREEN_CSS, flowScreenHtml, type FlowValues } from './flowScreen';

type Obj = Record<string, any>;

/** A Flow the customer opened from a Flow message: its published JSON and what they entered. */
export interface OpenedFlow {
	doc: FlowJsonDoc;
	values: FlowValues;
}

export type ChatEntry =
	/** `flowResponse`: the customer's answer to a Flow (the nfm_reply), shown with "View response" */
	| { from: 'customer'; text: string; at?: string; flowResponse?: boolean }
	| {
			from: 'business';
			message: AcceptedMessage;
			at?: string;
			openList?: boolean;
			openFlow?: OpenedFlow;
	  };

/** WhatsApp's *bold* and _italic_. */
const rich = (s: string) =>
	escape(s)
		.replace(/\*([^*\n]+)\*/g, '<b>$1</b>')
		.replace(/_([^_\n]+)_/g, '<i>$1</i>');

function fill(text: string, parameters: Obj[] | undefined): string {
	return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
		const byName = parameters?.find((p) => p.parameter_name === name);
		const byIndex = /^\d+$/.test(name) ? parameters?.[Number(name) - 1] : undefined;
		return String((byName ?? byIndex)?.text ?? whole);
	});
}

function templateParts(body: Obj) {
	const sent = body.template as Obj;
	const definition = SEED_TEMPLATES.find(
		(t) => t.name === sent.name && t.language === sent.language.code,
	) as unknown as Obj | undefined;
	const components = (definition?.components ?? []) as Obj[];
	const sentComponent = (type: string) =>
		((sent.components ?? []) as Obj[]).find((c) => c.type === type)?.parameters as
			Obj[] | undefined;
	const of = (type: string) => components.find((c) => c.type === type);
	const buttons = ((of('BUTTONS')?.buttons ?? []) as Obj[]).map((b) => String(b.text));
	return {
		header: of('HEADER')?.text ? fill(of('HEADER')!.text, sentComponent('header')) : undefined,
		body: fill(String(of('BODY')?.text ?? ''), sentComponent('body')),
		footer: of('FOOTER')?.text as string | undefined,
		buttons,
	};
}

function businessBubble(entry: Extract<ChatEntry, { from: 'business' }>): string {
	const { message } = entry;
	const body = message.body as Obj;
	let header: string | undefined;
	let text = '';
	let footer: string | undefined;
	let buttons: string[] = [];
	let list: { label: string; rows: Obj[] } | undefined;
	let flowCta: string | undefined;
	let quoted: string | undefined;
	if (message.type === 'text') text = String(body.text.body);
	if (message.type === 'interactive') {
		const i = body.interactive as Obj;
		header = i.header?.text;
		text = String(i.body?.text ?? '');
		footer = i.footer?.text;
		if (i.type === 'button') buttons = i.action.buttons.map((b: Obj) => String(b.reply.title));
		if (i.type === 'list')
			list = {
				label: String(i.action.button),
				rows: (i.action.sections as Obj[]).flatMap((s) => s.rows as Obj[]),
			};
		if (i.type === 'flow') flowCta = String(i.action.parameters.flow_cta);
	}
	if (message.type === 'template') {
		const t = templateParts(body);
		({ header, footer, buttons } = t);
		text = t.body;
	}
	if (body.context?.message_id) quoted = 'reply';
	const buttonRow = buttons.length
		? `<div class="buttons">${buttons.map((b) => `<div class="button">↩ ${escape(b)}</div>`).join('')}</div>`
		: '';
	const listButton = list
		? `<div class="buttons"><div class="button">☰ ${escape(list.label)}</div></div>`
		: '';
	const flowButton = flowCta
		? `<div class="buttons"><div class="button">✎ ${escape(flowCta)}</div></div>`
		: '';
	const sheet =
		list && entry.openList
			? `<div class="sheet"><div class="sheet-title">${escape(list.label)}</div>${list.rows
					.map(
						(r, i) =>
							`<div class="row"><div><div class="row-title">${escape(String(r.title))}</div>${
								r.description ? `<div class="row-desc">${escape(String(r.description))}</div>` : ''
							}</div><div class="radio${i === 1 ? ' on' : ''}"></div></div>`,
					)
					.join('')}</div>`
			: '';
	const flowScreen = entry.openFlow ? openedFlowHtml(message, entry.openFlow) : '';
	return `<div class="msg in"><div class="bubble">${quoted ? '<div class="quote">↪ reply to the customer\'s answer</div>' : ''}${
		header ? `<div class="header">${rich(header)}</div>` : ''
	}<div>${rich(text)}</div>${footer ? `<div class="footer">${escape(footer)}</div>` : ''}<div class="time">${
		entry.at ?? ''
	}</div></div>${buttonRow}${listButton}${flowButton}</div>${sheet}${flowScreen}`;
}

/** The screen the Flow message opens (`flow_action_payload.screen`, else the first). */
function openedFlowHtml(message: AcceptedMessage, opened: OpenedFlow): string {
	const parameters = (message.body as Obj).interactive.action.parameters as Obj;
	const id = parameters.flow_action_payload?.screen;
	const screen = opened.doc.screens.find((s) => s.id === id) ?? opened.doc.screens[0];
	return flowScreenHtml(screen, opened.values);
}

function customerBubble(entry: Extract<ChatEntry, { from: 'customer' }>): string {
	const response = entry.flowResponse ? '<div class="view">View response</div>' : '';
	return `<div class="msg out"><div class="bubble">${rich(entry.text)}<div class="time">${
		entry.at ?? ''
	} ✓✓</div>${response}</div></div>`;
}

export function chatHtml(title: string, entries: ChatEntry[]): string {
	const items = entries
		.map((e) => (e.from === 'customer' ? customerBubble(e) : businessBubble(e)))
		.join('');
	return `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;font-family:"DejaVu Sans",Arial,sans-serif;font-size:14px;background:#efeae2}
.top{background:#008069;color:#fff;padding:12px 16px;font-weight:bold;display:flex;gap:10px;align-items:center}
.avatar{width:32px;height:32px;border-radius:50%;background:#dfe5e7;color:#008069;display:flex;align-items:center;justify-content:center}
.sub{font-weight:normal;font-size:11px;opacity:.85}
.chat{padding:12px 14px;display:flex;flex-direction:column;gap:6px;min-height:100px}
.msg{display:flex;flex-direction:column;max-width:78%}
.msg.in{align-self:flex-start}.msg.out{align-self:flex-end}
.bubble{padding:7px 9px 4px;border-radius:8px;box-shadow:0 1px .5px rgba(0,0,0,.13);line-height:1.35}
.in .bubble{background:#fff}.out .bubble{background:#d9fdd3}
.header{font-weight:bold;margin-bottom:3px}.footer{color:#667781;font-size:12px;margin-top:4px}
.time{color:#667781;font-size:10px;text-align:right;margin-top:2px}
.quote{border-left:3px solid #06cf9c;background:#f0f0f0;padding:2px 6px;font-size:11px;color:#667781;margin-bottom:4px;border-radius:4px}
.buttons{display:flex;flex-direction:column;gap:2px;margin-top:2px}
.button{background:#fff;border-radius:8px;text-align:center;color:#027eb5;padding:8px;box-shadow:0 1px .5px rgba(0,0,0,.13)}
.sheet{align-self:stretch;background:#fff;border-radius:12px 12px 0 0;margin-top:10px;padding:10px 16px;box-shadow:0 -2px 6px rgba(0,0,0,.15)}
.sheet-title{font-weight:bold;text-align:center;margin-bottom:6px}
.row{display:flex;justify-content:space-between;align-items:center;padding:8px 0;border-bottom:1px solid #eee}
.row-desc{color:#667781;font-size:12px}
.radio{width:16px;height:16px;border:2px solid #8696a0;border-radius:50%}.radio.on{border-color:#008069;background:radial-gradient(#008069 45%,#fff 50%)}
.view{border-top:1px solid rgba(0,0,0,.08);margin-top:5px;padding-top:6px;text-align:center;color:#027eb5}
${FLOW_SCREEN_CSS}</style></head><body><div class="top"><div class="avatar">EB</div><div>Emulator Business<div class="sub">${escape(
		title,
	)}</div></div></div><div class="chat">${items}</div></body></html>`;
}
