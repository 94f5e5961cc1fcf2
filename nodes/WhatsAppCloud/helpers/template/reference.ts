/** `name|language` from the list mode, or a name typed by hand (optionally with `|language`). */
export function parseTemplateReference(
	reference: unknown,
	language: unknown,
): { name: string; language?: string } {
	const [rawName, rawLanguage] = String(reference ?? '').split('|');
	const name = rawName.trim();
	const chosen = String(language ?? '').trim() || (rawLanguage ?? '').trim();
	return chosen ? { name, language: chosen } : { name };
}
