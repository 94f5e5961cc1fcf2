/**
 * A WhatsApp Flow screen as the customer sees it once the Flow message's button opened it, drawn
 * from the Flow JSON the business published (read from the emulator) with the values the customer
 * entered: the title bar, the text components, each input with its label and value, and the
 * Footer's button. Used by chat.ts for the README pictures of Send and Wait's forms.
 * Components: https://developers.facebook.com/docs/whatsapp/flows/reference/components
 */
import type { FlowScreen } from '../emulator/flowJson';

type Obj = Record<string, any>;

/** Values by component name, as the customer submitted them (option ids for choices). */
export type FlowValues = Record<string, unknown>;

/** Text as HTML (line breaks kept); chat.ts uses it too. */
export const escape = (s: string) =>
	s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');

const TEXT_CLASSES: Record<string, string> = {
	TextHeading: 'f-heading',
	TextSubheading: 'f-subheading',
	TextBody: 'f-body',
	TextCaption: 'f-caption',
};

/** A DatePicker's value (YYYY-MM-DD since Flow JSON 5.0) as the phone shows it. */
function shownDate(value: unknown): string {
	const date = new Date(`${String(value)}T00:00:00Z`);
	if (Number.isNaN(date.getTime())) return String(value);
	return date.toLocaleDateString('en-GB', {
		day: 'numeric',
		month: 'short',
		year: 'numeric',
		timeZone: 'UTC',
	});
}

const selected = (value: unknown): string[] =>
	Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];

/** An outlined input with its label on the border, as WhatsApp draws text inputs and pickers. */
function field(label: string, value: string, icon = '', tall = false): string {
	return `<div class="f-field${tall ? ' tall' : ''}"><div class="f-label">${escape(label)}</div><div class="f-value">${
		value ? escape(value) : '&nbsp;'
	}</div>${icon ? `<div class="f-icon">${icon}</div>` : ''}</div>`;
}

function options(c: Obj, value: unknown, mark: 'radio' | 'check'): string {
	const chosen = selected(value);
	const rows = ((c['data-source'] ?? []) as Obj[])
		.map((o) => {
			const on = chosen.includes(String(o.id)) ? ' on' : '';
			return `<div class="f-option"><span>${escape(String(o.title))}</span><span class="f-${mark}${on}">${
				mark === 'check' && on ? '✓' : ''
			}</span></div>`;
		})
		.join('');
	return `<div class="f-group"><div class="f-group-label">${escape(String(c.label))}</div>${rows}</div>`;
}

function component(c: Obj, values: FlowValues): string {
	const value = typeof c.name === 'string' ? values[c.name] : undefined;
	const helper = c['helper-text']
		? `<div class="f-helper">${escape(String(c['helper-text']))}</div>`
		: '';
	if (c.type in TEXT_CLASSES)
		return `<div class="${TEXT_CLASSES[c.type]}">${escape(String(c.text))}</div>`;
	switch (c.type) {
		case 'Form':
			return ((c.children ?? []) as Obj[]).map((child) => component(child, values)).join('');
		case 'TextInput':
			return field(String(c.label), value === undefined ? '' : String(value)) + helper;
		case 'TextArea':
			return field(String(c.label), value === undefined ? '' : String(value), '', true) + helper;
		case 'DatePicker':
			return field(String(c.label), value === undefined ? '' : shownDate(value), '▦') + helper;
		case 'Dropdown': {
			const option = ((c['data-source'] ?? []) as Obj[]).find((o) => o.id === value);
			return field(String(c.label), option ? String(option.title) : '', '▾') + helper;
		}
		case 'RadioButtonsGroup':
			return options(c, value, 'radio') + helper;
		case 'CheckboxGroup':
			return options(c, value, 'check') + helper;
		case 'Footer':
			return `<div class="f-footer"><div class="f-button">${escape(String(c.label))}</div><div class="f-managed">Managed by the business. <span>Learn more</span></div></div>`;
		default:
			return '';
	}
}

/** The screen, filled in, as an HTML fragment (styles in FLOW_SCREEN_CSS). */
export function flowScreenHtml(screen: FlowScreen, values: FlowValues): string {
	const children = ((screen.layout?.children ?? []) as Obj[])
		.map((c) => component(c, values))
		.join('');
	const title = String((screen as Obj).title ?? '');
	return `<div class="f-screen"><div class="f-top"><span class="f-close">✕</span><span class="f-title">${escape(
		title,
	)}</span><span class="f-more">⋮</span></div><div class="f-content">${children}</div></div>`;
}

export const FLOW_SCREEN_CSS = `
.f-screen{align-self:stretch;background:#fff;border-radius:12px 12px 0 0;margin-top:10px;box-shadow:0 -2px 6px rgba(0,0,0,.15);overflow:hidden}
.f-top{display:flex;align-items:center;gap:14px;padding:12px 16px;border-bottom:1px solid #e9edef}
.f-close,.f-more{color:#54656f;font-size:16px}.f-title{flex:1;font-weight:bold;font-size:15px}
.f-content{padding:12px 16px 10px;display:flex;flex-direction:column;gap:12px}
.f-heading{font-size:20px;font-weight:bold}.f-subheading{font-size:16px;font-weight:bold}
.f-body{line-height:1.4}.f-caption{font-size:12px;color:#667781}
.f-field{position:relative;border:1px solid #8696a0;border-radius:6px;padding:12px 34px 10px 12px;margin-top:6px}
.f-field.tall .f-value{min-height:42px}
.f-label{position:absolute;top:-8px;left:9px;background:#fff;padding:0 4px;font-size:11px;color:#008069}
.f-value{color:#111b21;line-height:1.35}
.f-icon{position:absolute;right:11px;top:50%;transform:translateY(-50%);color:#54656f;font-size:15px}
.f-helper{font-size:11px;color:#667781;margin:-8px 0 0 12px}
.f-group-label{font-weight:bold;margin-bottom:2px}
.f-option{display:flex;justify-content:space-between;align-items:center;padding:7px 0;border-bottom:1px solid #f0f2f5}
.f-radio{width:16px;height:16px;border:2px solid #8696a0;border-radius:50%}
.f-radio.on{border-color:#008069;background:radial-gradient(#008069 45%,#fff 50%)}
.f-check{width:16px;height:16px;border:2px solid #8696a0;border-radius:3px;color:#fff;font-size:13px;line-height:16px;text-align:center}
.f-check.on{border-color:#008069;background:#008069}
.f-footer{margin-top:4px;text-align:center}
.f-button{background:#008069;color:#fff;border-radius:20px;padding:10px;font-weight:bold}
.f-managed{font-size:11px;color:#667781;margin-top:8px}.f-managed span{color:#027eb5}
`;
