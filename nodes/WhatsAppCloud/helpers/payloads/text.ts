import { TEXT_BODY_MAX } from '../limits';
import type { ClientTextContent } from '../types/client';
import { flag, requiredObject, requiredText } from '../check';

export type TextInput = {
	body: string;
	/** Show a preview of the first http(s) URL in the body. */
	previewUrl?: boolean;
};

export function buildTextContent(input: TextInput): ClientTextContent {
	requiredObject('text', input);
	const body = requiredText('text', input.body, TEXT_BODY_MAX);
	const text: ClientTextContent['text'] = { body };
	if (flag('previewUrl', input.previewUrl)) text.preview_url = true;
	return { type: 'text', text };
}
