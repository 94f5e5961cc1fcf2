/**
 * Send and Wait outside the 24-hour window: an approved template whose quick-reply buttons carry
 * the answer ids, the i-th quick reply answering as the i-th option. Meta echoes a quick reply's
 * payload back as `button.payload` when the customer taps it.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
 */
import { fail } from '../check';
import { QUICK_REPLY_PAYLOAD_MAX } from '../template/limits';
import { templateVariables } from '../template/variables';
import type { ServerTemplate } from '../types/template';

/**
 * The template variable values that put `ids[i]` on the template's i-th quick-reply button (the
 * top-level buttons; carousel cards answer nothing). Throws unless the template has exactly one
 * quick reply per answer option, or when an id exceeds Meta's payload limit.
 */
export function quickReplyAnswerValues(
	template: ServerTemplate,
	ids: string[],
): Record<string, string> {
	const quickReplies = templateVariables(template).filter(
		(variable) =>
			variable.source.kind === 'quickReplyPayload' && variable.source.card === undefined,
	);
	if (quickReplies.length !== ids.length) {
		fail(
			'Template',
			`"${template.name}" has ${quickReplies.length} quick-reply button${quickReplies.length === 1 ? '' : 's'}; this question has ${ids.length} answer option${ids.length === 1 ? '' : 's'}, and each option needs its own quick reply (in the same order)`,
			`${ids.length} quick-reply buttons`,
			`${quickReplies.length}`,
		);
	}
	return Object.fromEntries(
		quickReplies.map((variable, index) => {
			if (ids[index].length > QUICK_REPLY_PAYLOAD_MAX) {
				fail(
					`Template → ${variable.displayName}`,
					`would carry an answer id of ${ids[index].length} characters`,
					`${QUICK_REPLY_PAYLOAD_MAX} characters`,
					`${ids[index].length}`,
				);
			}
			return [variable.id, ids[index]];
		}),
	);
}
