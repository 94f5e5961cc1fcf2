/**
 * Calls this n8n instance's own waiting endpoint to resume a Send and Wait execution. No
 * credential travels here: the Graph token is only ever sent to the Graph host.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import type { AnswerReference, AnswerReport } from '../helpers/sendAndWait/answerId';
import {
	ANSWER_SIGNATURE_HEADER,
	CHOICE_PARAMETER,
	ROUND_PARAMETER,
} from '../helpers/sendAndWait/answerId';

export interface ResumeOutcome {
	/** True when the waiting execution took the answer. */
	resumed: boolean;
	statusCode: number;
}

/**
 * `POST {waitingBase}/{executionId}/{nodeId}?a={choice}&r={round}&signature=…` with the signed
 * report; the parameters in the order n8n signed them.
 */
export async function resumeWaitingExecution(
	this: IWebhookFunctions,
	waitingBaseUrl: string,
	reference: AnswerReference,
	report: AnswerReport,
	reportSignature: string,
): Promise<ResumeOutcome> {
	const url = `${waitingBaseUrl}/${encodeURIComponent(reference.executionId)}/${encodeURIComponent(reference.nodeId)}?${CHOICE_PARAMETER}=${reference.choice}&${ROUND_PARAMETER}=${reference.round}&signature=${reference.signature}`;
	try {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url,
			body: report,
			json: true,
			headers: { [ANSWER_SIGNATURE_HEADER]: reportSignature },
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
		return { resumed, statusCode: response.statusCode };
	} catch {
		return { resumed: false, statusCode: 0 };
	}
}
