/**
 * A Send and Wait question as a WhatsApp interactive message, and the answer as the output item.
 * Approval: one or two reply buttons. Choice: 2–3 options as reply buttons, 4–10 as a list.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
 */
import { checkCount, fail, isBlank } from '../check';
import { LIST_ROWS_TOTAL_MAX, REPLY_BUTTONS_MAX } from '../limits';
import type { InteractiveInput } from '../payloads/interactive';
import type { AnswerReport } from './answerId';
import { quoteInput } from '../errors';

export type QuestionOption = { title: string; description?: string; value: string };

export type Question = {
	body: string;
	header?: string;
	footer?: string;
} & (
	| { responseType: 'approval'; options: QuestionOption[] }
	| { responseType: 'choice'; options: QuestionOption[]; listButtonLabel: string }
);

export const CHOICES_MIN = 2;

/** The options a question offers, from the node's fields; checked for count. */
export function questionOptions(input: {
	responseType: string;
	approvalType?: string;
	approveLabel?: string;
	disapproveLabel?: string;
	choices?: Array<{ title?: unknown; description?: unknown; value?: unknown }>;
}): QuestionOption[] {
	if (input.responseType === 'approval') {
		const approve = String(input.approveLabel ?? '').trim() || 'Approve';
		const options: QuestionOption[] = [{ title: approve, value: 'approve' }];
		if (input.approvalType !== 'single') {
			const decline = String(input.disapproveLabel ?? '').trim() || 'Decline';
			options.push({ title: decline, value: 'decline' });
		}
		return options;
	}
	if (input.responseType !== 'choice') {
		fail(
			'responseType',
			`must be approval or choice; it is ${quoteInput(input.responseType)}`,
			'approval or choice',
			input.responseType,
		);
	}
	const choices = (input.choices ?? []).map((choice, index) => {
		if (isBlank(choice.title)) {
			fail(`choices[${index}].title`, 'is required', '1 or more characters', 'empty');
		}
		const title = String(choice.title).trim();
		const description = isBlank(choice.description) ? undefined : String(choice.description).trim();
		const value = isBlank(choice.value) ? title : String(choice.value);
		return { title, value, ...(description ? { description } : {}) };
	});
	checkCount('choices', choices.length, CHOICES_MIN, LIST_ROWS_TOTAL_MAX, 'options');
	return choices;
}

/** The interactive message for a question whose i-th option carries `ids[i]`. */
export function questionMessage(question: Question, ids: string[]): InteractiveInput {
	const common = {
		body: question.body,
		...(question.footer ? { footer: question.footer } : {}),
	};
	const asButtons =
		question.responseType === 'approval' || question.options.length <= REPLY_BUTTONS_MAX;
	if (asButtons) {
		return {
			...common,
			...(question.header ? { header: { type: 'text', text: question.header } } : {}),
			type: 'button',
			buttons: question.options.map((option, index) => ({ id: ids[index], title: option.title })),
		};
	}
	return {
		...common,
		...(question.header ? { header: { type: 'text', text: question.header } } : {}),
		type: 'list',
		buttonLabel: question.listButtonLabel,
		sections: [
			{
				rows: question.options.map((option, index) => ({
					id: ids[index],
					title: option.title,
					...(option.description ? { description: option.description } : {}),
				})),
			},
		],
	};
}

/** What every answer's output carries about who answered, where and when. */
export function answerCommon(report: AnswerReport, respondedAt: string) {
	return {
		from: report.from,
		...(report.fromUserId ? { fromUserId: report.fromUserId } : {}),
		messageId: report.messageId,
		questionMessageId: report.questionMessageId,
		phoneNumberId: report.phoneNumberId,
		respondedAt,
	};
}

/** The output item of an answered question. */
export function answerJson(
	responseType: 'approval' | 'choice',
	options: QuestionOption[] | undefined,
	report: AnswerReport,
	respondedAt: string,
): Record<string, unknown> {
	const option = options?.[report.choice];
	const title = report.title ?? option?.title;
	const common = answerCommon(report, respondedAt);
	if (responseType === 'approval') {
		return { approved: report.choice === 0, answer: title, ...common };
	}
	return { choice: option?.value ?? title, title, index: report.choice, ...common };
}

/** When to stop waiting: n8n's "wait indefinitely" date unless a limit is set. */
export function waitTillFrom(
	limit:
		| { limitType?: string; resumeAmount?: number; resumeUnit?: string; maxDateAndTime?: string }
		| undefined,
	now: number,
	indefinitely: Date,
): Date {
	if (!limit || !limit.limitType) return indefinitely;
	if (limit.limitType === 'atSpecifiedTime') {
		const at = new Date(String(limit.maxDateAndTime ?? ''));
		if (Number.isNaN(at.getTime())) {
			fail(
				'Limit Wait Time → Max Date and Time',
				'is not a date',
				'a date and time',
				String(limit.maxDateAndTime ?? ''),
			);
		}
		return at;
	}
	const amount = Number(limit.resumeAmount ?? 1);
	if (!Number.isFinite(amount) || amount < 0) {
		fail(
			'Limit Wait Time → Amount',
			'must be a number of 0 or more',
			'0 or more',
			String(limit.resumeAmount),
		);
	}
	const unitMs =
		{ minutes: 60_000, hours: 3_600_000, days: 86_400_000 }[limit.resumeUnit ?? 'hours'] ??
		3_600_000;
	return new Date(now + amount * unitMs);
}
