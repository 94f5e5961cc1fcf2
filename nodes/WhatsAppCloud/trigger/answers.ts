/**
 * Send and Wait answers: taps on buttons, list rows or template quick replies whose id the action
 * node issued. Each is checked against its recipient and handed to this instance's own waiting
 * endpoint; n8n checks its own signature before anything resumes.
 */
import type { IWebhookFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { WebhookItem, WebhookMessageItem } from '../helpers/types/webhook';
import type { AnswerReference, AnswerReport } from '../helpers/sendAndWait/answerId';
import { decodeAnswerId, isBoundTo, signAnswerReport } from '../helpers/sendAndWait/answerId';
import { buildMessage } from '../helpers/payloads/envelope';
import { flowResponseValues } from '../helpers/sendAndWait/form';
import { buildTextContent } from '../helpers/payloads/text';
import { graphRequest } from '../transport/graph';
import { resumeWaitingExecution } from '../transport/waiting';

export const DEFAULT_STALE_ANSWER_REPLY =
	'This question has already been answered or is no longer open.';
export const DEFAULT_WAITING_ENDPOINT = 'webhook-waiting';

export interface AnswerSettings {
	waitingEndpoint: string;
	staleAnswerReply: string;
}

/** The answer a message item carries, if it is a tap on one of our ids. */
export function answerOf(
	item: WebhookItem,
): { message: WebhookMessageItem; reference: AnswerReference } | undefined {
	if (item.event !== 'message') return undefined;
	const message = item as WebhookMessageItem;
	if (message.type !== 'interactive' && message.type !== 'button') return undefined;
	// A Flow answer (`nfm_reply`) carries the id as its flow token.
	const reference = decodeAnswerId(message.replyId ?? message.flowResponse?.flowToken);
	return reference ? { message, reference } : undefined;
}

/**
 * n8n's waiting endpoint on this instance: this trigger's own production URL, with the webhook
 * endpoint's last path segment swapped for the waiting one (`webhook` → `webhook-waiting`).
 */
export function waitingBaseUrl(
	ownWebhookUrl: string,
	webhookId: string | undefined,
	waitingEndpoint: string,
): string | undefined {
	const marker = webhookId ? `/${webhookId}/` : undefined;
	const at = marker ? ownWebhookUrl.indexOf(marker) : -1;
	if (at < 0) return undefined;
	const webhookBase = ownWebhookUrl.slice(0, at);
	const slash = webhookBase.lastIndexOf('/');
	if (slash < 0) return undefined;
	const endpoint = waitingEndpoint.replace(/^\/+|\/+$/g, '') || DEFAULT_WAITING_ENDPOINT;
	return `${webhookBase.slice(0, slash)}/${endpoint}`;
}

/**
 * Resumes the execution each answer belongs to, after this webhook has answered Meta: n8n 2 runs
 * webhooks with one expression isolate by default, and its waiting endpoint needs that isolate, so
 * calling it from inside this webhook would wait for the webhook itself.
 */
export function deliverAnswersLater(
	this: IWebhookFunctions,
	answers: Array<{ message: WebhookMessageItem; reference: AnswerReference }>,
	appSecret: string,
	settings: AnswerSettings,
): void {
	const base = waitingBaseUrl(
		this.getNodeWebhookUrl('default') ?? '',
		this.getNode().webhookId,
		settings.waitingEndpoint,
	);
	if (!base) return;
	for (const answer of answers) {
		void deliverAnswer.call(this, base, answer, appSecret, settings).catch(() => undefined);
	}
}

/**
 * How long a tap keeps trying to reach its execution. A loaded n8n can take tens of seconds between
 * sending the question and recording the execution as waiting (until then the waiting endpoint
 * answers 409 "running"); Meta already has its 200, so giving up early would lose the answer.
 */
const RESUME_DEADLINE_MS = 10 * 60_000;
const RESUME_MAX_DELAY_MS = 10_000;

async function deliverAnswer(
	this: IWebhookFunctions,
	base: string,
	{ message, reference }: { message: WebhookMessageItem; reference: AnswerReference },
	appSecret: string,
	settings: AnswerSettings,
): Promise<void> {
	// Another person's tap, or an id made up elsewhere: it resumes nothing and gets no reply.
	if (!isBoundTo(reference, appSecret, message)) return;
	const report: AnswerReport = {
		choice: reference.choice,
		from: message.from,
		fromUserId: message.fromUserId,
		messageId: message.messageId,
		questionMessageId: message.context?.messageId,
		title: message.text,
		timestamp: message.timestamp,
		phoneNumberId: message.phoneNumberId,
		...(message.flowResponse ? { response: flowResponseValues(message.flowResponse.data) } : {}),
	};
	const signature = signAnswerReport(report, appSecret);
	const deadline = Date.now() + RESUME_DEADLINE_MS;
	for (let delay = 500; ; delay = Math.min(delay * 2, RESUME_MAX_DELAY_MS)) {
		const outcome = await resumeWaitingExecution.call(this, base, reference, report, signature);
		if (outcome.resumed) return;
		if (!outcome.retryable || Date.now() + delay > deadline) {
			// No answer at all may still have resumed: say nothing rather than "already answered".
			if (outcome.statusCode === 0) return;
			break;
		}
		await sleep(delay);
	}
	await replyStale.call(this, message, settings.staleAnswerReply);
}

async function replyStale(
	this: IWebhookFunctions,
	message: WebhookMessageItem,
	text: string,
): Promise<void> {
	if (text.trim() === '' || !message.phoneNumberId) return;
	const recipient = message.from ? { to: message.from } : { recipient: message.fromUserId ?? '' };
	try {
		const body = buildMessage(
			{ recipient, replyToMessageId: message.messageId },
			buildTextContent({ body: text }),
		);
		await graphRequest.call(this, {
			method: 'POST',
			path: `/${encodeURIComponent(message.phoneNumberId)}/messages`,
			body: body as unknown as Record<string, string>,
		});
	} catch {
		// A failed courtesy reply must not make Meta re-deliver the tap.
	}
}
