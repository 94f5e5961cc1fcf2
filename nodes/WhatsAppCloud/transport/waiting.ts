/**
 * Calls this n8n instance's own waiting endpoint to resume a Send and Wait execution. No
 * credential travels here: the Graph token is only ever sent to the Graph host.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import type { AnswerReference, AnswerReport } from '../helpers/sendAndWait/answerId';
import { socketErrorCode } from './graph';
import {
	ANSWER_SIGNATURE_HEADER,
	CHOICE_PARAMETER,
	ROUND_PARAMETER,
	answerReportForm,
} from '../helpers/sendAndWait/answerId';

export interface ResumeOutcome {
	/** True when the waiting execution took the answer. */
	resumed: boolean;
	statusCode: number;
	/**
	 * The call certainly resumed nothing and may succeed later: n8n busy (5xx), the execution still
	 * running towards its wait (409 "is running already"), or no connection made.
	 */
	retryable: boolean;
}

/** Socket failures where the request never reached n8n. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** n8n's answer while the execution has not yet reached its wait (waiting-webhooks, 409). */
function isStillRunning(statusCode: number, body: unknown): boolean {
	if (statusCode !== 409) return false;
	const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
	return /is running already/.test(text);
}

/**
 * `POST {waitingBase}/{executionId}/{nodeId}?a={choice}&r={round}&signature=…` with the signed
 * report (multipart, see `answerReportForm`); the parameters in the order n8n signed them.
 */
export async function resumeWaitingExecution(
	this: IWebhookFunctions,
	waitingBaseUrl: string,
	reference: AnswerReference,
	report: AnswerReport,
	reportSignature: string,
): Promise<ResumeOutcome> {
	const url = `${waitingBaseUrl}/${encodeURIComponent(reference.executionId)}/${encodeURIComponent(reference.nodeId)}?${CHOICE_PARAMETER}=${reference.choice}&${ROUND_PARAMETER}=${reference.round}&signature=${reference.signature}`;
	const form = answerReportForm(report);
	try {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url,
			body: form.body,
			json: true,
			headers: { 'content-type': form.contentType, [ANSWER_SIGNATURE_HEADER]: reportSignature },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// A loaded n8n can take long to resume; a timed-out call may still have resumed, so it is
			// not retried (a retry would find the answer taken and send the late-answer reply).
			timeout: 300_000,
		})) as { statusCode: number; body: unknown };
		const resumed =
			response.statusCode === 200 &&
			typeof response.body === 'object' &&
			(response.body as { resumed?: unknown } | null)?.resumed === true;
		const retryable =
			!resumed &&
			(response.statusCode >= 500 || isStillRunning(response.statusCode, response.body));
		return { resumed, statusCode: response.statusCode, retryable };
	} catch (error) {
		const code = socketErrorCode(error);
		return { resumed: false, statusCode: 0, retryable: code !== undefined && NOT_SENT.has(code) };
	}
}
