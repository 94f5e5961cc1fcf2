/**
 * The question when the node is an AI agent's human review (n8n's generated `…HitlTool`). n8n's
 * default message writes the tool's input as `{{ $tool.parameters }}`, an object, which an
 * expression turns into "[object Object]". The reviewer has to see what they approve, so that
 * expression is shown as one `name: value` line per parameter, shortened (and saying so) only
 * where the whole question would not fit Meta's limit.
 */
import { textLength } from '../text';

/** `{{ $tool.parameters }}` as written in a message, spaces inside the braces optional. */
const TOOL_PARAMETERS_EXPRESSION = /\{\{\s*\$tool\.parameters\s*\}\}/g;

/** Stands where the parameters go while the rest of the message is evaluated by n8n. */
export const TOOL_PARAMETERS_MARK = '\u2063tool-parameters\u2063';

/** The raw message with each `{{ $tool.parameters }}` replaced by the mark; undefined if none. */
export function markToolParameters(rawMessage: unknown): string | undefined {
	if (typeof rawMessage !== 'string' || !rawMessage.startsWith('=')) return undefined;
	if (!rawMessage.match(TOOL_PARAMETERS_EXPRESSION)) return undefined;
	return rawMessage.replace(TOOL_PARAMETERS_EXPRESSION, TOOL_PARAMETERS_MARK);
}

/** One `name: value` line per parameter; strings as they are, everything else as JSON. */
export function formatToolParameters(parameters: unknown): string {
	if (parameters === undefined || parameters === null) return '';
	if (typeof parameters !== 'object' || Array.isArray(parameters)) return show(parameters);
	return Object.entries(parameters as Record<string, unknown>)
		.map(([name, value]) => `${name}: ${show(value)}`)
		.join('\n');
}

function show(value: unknown): string {
	if (typeof value === 'string') return value;
	return JSON.stringify(value) ?? String(value);
}

/**
 * `text` (n8n's evaluation of the marked message) with the parameters in place of each mark, each
 * cut to what fits in `max` characters together with the rest of the text.
 */
export function fillToolParameters(text: string, parameters: unknown, max: number): string {
	const parts = text.split(TOOL_PARAMETERS_MARK);
	const marks = parts.length - 1;
	if (marks === 0) return text;
	const formatted = formatToolParameters(parameters);
	const room = Math.floor((max - textLength(parts.join(''))) / marks);
	return parts.join(shorten(formatted, room));
}

/** `value` itself if it fits in `room`, otherwise its start and how long it really is. */
export function shorten(value: string, room: number): string {
	const length = textLength(value);
	if (length <= room) return value;
	const tail = `… (${length} characters in all)`;
	let keep = Math.max(0, room - textLength(tail));
	// never leave half of a surrogate pair
	const last = value.charCodeAt(keep - 1);
	if (keep > 0 && last >= 0xd800 && last <= 0xdbff) keep -= 1;
	return value.slice(0, keep) + tail;
}
