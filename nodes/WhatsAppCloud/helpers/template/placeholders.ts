/**
 * Template placeholders: `{{1}}`, `{{2}}` (positional) or `{{first_name}}` (named).
 * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components
 */
import type { TemplateParameterFormat } from '../types/template';

/** `{{` name `}}`, spaces allowed inside the braces; an empty `{{}}` gives the name ''. */
const PLACEHOLDER = /\{\{\s*([^{}\s]*)\s*\}\}/g;

/** Every placeholder name of a text in order of appearance, repeats and empty names included. */
export function placeholderNames(text: string): string[] {
	return Array.from(text.matchAll(PLACEHOLDER), (match) => match[1]);
}

/** Named, unless the template's texts use only numbered placeholders (or none). */
export function inferParameterFormat(
	texts: string[],
	{ countEmpty = false } = {},
): TemplateParameterFormat {
	const named = texts.some((text) =>
		placeholderNames(text).some((name) => (name !== '' || countEmpty) && !/^\d+$/.test(name)),
	);
	return named ? 'NAMED' : 'POSITIONAL';
}
