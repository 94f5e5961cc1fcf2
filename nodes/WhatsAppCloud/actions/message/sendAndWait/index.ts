/**
 * Message → Send and Wait for Response: a question with native WhatsApp buttons or a list. The
 * execution waits; the trigger hands the customer's tap to n8n's waiting endpoint, and `webhook()`
 * below turns it into this node's output.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError, SEND_AND_WAIT_OPERATION, WAIT_INDEFINITELY } from 'n8n-workflow';

import { CREDENTIALS_NAME } from '../../../helpers/constants';
import { INTERACTIVE_BODY_MAX } from '../../../helpers/limits';
import { buildMessage } from '../../../helpers/payloads/envelope';
import { buildInteractiveContent } from '../../../helpers/payloads/interactive';
import { buildTextContent } from '../../../helpers/payloads/text';
import type { ClientRecipient } from '../../../helpers/recipient';
import {
	ANSWER_SIGNATURE_HEADER,
	CHOICE_PARAMETER,
	LINK_KEY_PARAMETER,
	ROUND_PARAMETER,
	encodeAnswerId,
	formLinkKey,
	isFormLinkKey,
	parseAnswerReport,
	recipientKeyOf,
	verifyAnswerReport,
} from '../../../helpers/sendAndWait/answerId';
import type { Question } from '../../../helpers/sendAndWait/question';
import { isCurrentRound, newRound, ROUND_FIELD } from '../../../helpers/sendAndWait/round';
import { fillToolParameters, markToolParameters } from '../../../helpers/sendAndWait/toolReview';
import {
	answerCommon,
	answerJson,
	questionMessage,
	questionOptions,
	waitTillFrom,
} from '../../../helpers/sendAndWait/question';
import { graphRequest, requireAppSecret } from '../../../transport/graph';
import { sendMessages } from '../../../transport/sender';
import { forItem } from '../../errors';
import { failedItem, sentJson } from '../../output';
import { readSendSettings } from '../../parameters';
import type { WaitOperation } from '../../node.type';
import { readEnvelope } from '../envelope';
import { DEFAULT_ANSWER_REPLY, sendAndWaitFields } from './description';
import {
	formAnswer,
	formDelivery,
	formLinkWebhook,
	formQuestionPayload,
	isFormResponseType,
	parameter,
} from './form';
import { FORM_DELIVERY_LINK } from './formFields';
import { answerTemplateMessage, readWindowClosed } from './template';

interface WaitOptions {
	header?: string;
	footer?: string;
	limitWaitTime?: { values?: IDataObject };
	replyAfterAnswer?: string;
}

/** The question's text, header and footer. */
function readQuestionText(context: IExecuteFunctions | IWebhookFunctions, itemIndex: number) {
	const get = (name: string, fallback: unknown) => parameter(context, name, itemIndex, fallback);
	const waitOptions = get('waitOptions', {}) as WaitOptions;
	// only execute() renders the question; the waiting webhook reads the rest of it
	const review = 'getInputData' in context ? reviewBody(context, itemIndex) : undefined;
	return {
		body: review ?? String(get('message', '')),
		...(waitOptions.header ? { header: waitOptions.header } : {}),
		...(waitOptions.footer ? { footer: waitOptions.footer } : {}),
	};
}

/** The question as the node's fields describe it (item 0: one question per execution). */
function readQuestion(context: IExecuteFunctions | IWebhookFunctions, itemIndex = 0): Question {
	const get = (name: string, fallback: unknown) => parameter(context, name, itemIndex, fallback);
	const responseType = get('responseType', 'approval') as 'approval' | 'choice';
	const approval = ((get('approvalOptions', {}) as IDataObject).values ?? {}) as IDataObject;
	const choices = ((get('choices', {}) as IDataObject).option ?? []) as IDataObject[];
	const options = questionOptions({
		responseType,
		approvalType: approval.approvalType as string | undefined,
		approveLabel: approval.approveLabel as string | undefined,
		disapproveLabel: approval.disapproveLabel as string | undefined,
		choices,
	});
	const common = readQuestionText(context, itemIndex);
	return responseType === 'approval'
		? { ...common, responseType, options }
		: {
				...common,
				responseType,
				options,
				listButtonLabel: String(get('listButtonLabel', 'Choose')),
			};
}

/**
 * The body as an AI agent's human review: where the message shows `{{ $tool.parameters }}`, the
 * reviewer reads the tool's input line by line instead of "[object Object]". Undefined otherwise.
 */
function reviewBody(context: IExecuteFunctions, itemIndex: number): string | undefined {
	const raw = context.getNodeParameter('message', itemIndex, '', { rawExpressions: true });
	const marked = markToolParameters(raw);
	if (marked === undefined) return undefined;
	// evaluateExpression adds the leading "=" itself
	const text = String(context.evaluateExpression(marked.slice(1), itemIndex) ?? '');
	const parameters = context.evaluateExpression('{{ $tool.parameters }}', itemIndex);
	return fillToolParameters(text, parameters, INTERACTIVE_BODY_MAX);
}

/** The signature n8n puts on this execution's resume URL for one choice of one round. */
function resumeSignature(context: IExecuteFunctions, choice: number, round: string): string {
	const url = new URL(
		context.getSignedResumeUrl({ [CHOICE_PARAMETER]: String(choice), [ROUND_PARAMETER]: round }),
	);
	return url.searchParams.get('signature') ?? '';
}

async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const itemIndex = 0;
	const credentials = await this.getCredentials(CREDENTIALS_NAME);
	const appSecret = requireAppSecret(this.getNode(), credentials);
	const { phoneNumberId, envelope } = readEnvelope(this, itemIndex);
	const recipientKey = recipientKeyOf(envelope.recipient as { to?: string; recipient?: string });
	const round = newRound();
	const reference = { executionId: this.getExecutionId(), nodeId: this.getNode().id, round };
	const answerId = (choice: number) =>
		forItem(this, itemIndex, () =>
			encodeAnswerId(
				{ ...reference, choice, signature: resumeSignature(this, choice, round) },
				appSecret,
				recipientKey,
			),
		);
	let message: { payload: IDataObject; fallback?: IDataObject };
	if (isFormResponseType(this.getNodeParameter('responseType', itemIndex, 'approval'))) {
		// A form's one answer id travels as the Flow's token.
		const text = readQuestionText(this, itemIndex);
		message = {
			payload: await formQuestionPayload.call(
				this,
				envelope,
				text,
				() => answerId(0),
				() =>
					this.getSignedResumeUrl({
						[ROUND_PARAMETER]: round,
						[LINK_KEY_PARAMETER]: formLinkKey(appSecret, reference),
					}),
				itemIndex,
			),
		};
	} else {
		const question = forItem(this, itemIndex, () => readQuestion(this, itemIndex));
		const ids = question.options.map((_, choice) => answerId(choice));
		const windowClosed = readWindowClosed(this, itemIndex);
		const interactive =
			windowClosed === 'always'
				? undefined
				: (forItem(this, itemIndex, () =>
						buildMessage(envelope, buildInteractiveContent(questionMessage(question, ids))),
					) as unknown as IDataObject);
		const template =
			windowClosed === 'fail'
				? undefined
				: await answerTemplateMessage(this, itemIndex, envelope, ids);
		message = interactive
			? { payload: interactive, ...(template ? { fallback: template as IDataObject } : {}) }
			: { payload: template as IDataObject };
	}

	const report = await sendMessages.call(this, 1, async () => ({ phoneNumberId, ...message }), {
		...readSendSettings.call(this),
		stopOnFirstError: false,
	});
	const outcome = report.outcomes[0];
	if (!outcome?.ok) {
		const error = outcome?.error as NodeOperationError;
		if (!this.continueOnFail()) throw error;
		return [failedItem(this, error, itemIndex)];
	}

	const waitOptions = this.getNodeParameter('waitOptions', itemIndex, {}) as WaitOptions;
	const waitTill = forItem(this, itemIndex, () =>
		waitTillFrom(waitOptions.limitWaitTime?.values, Date.now(), WAIT_INDEFINITELY),
	);
	const sent = sentJson(outcome.sent);
	// n8n passes the waiting node's input through when the wait runs out: make that input say so.
	this.getExecuteData().data = {
		main: [
			[
				{
					json: {
						timedOut: true,
						questionMessageId: sent.messageId,
						to: sent.to,
						phoneNumberId,
						...(sent.sentAs ? { sentAs: sent.sentAs } : {}),
						[ROUND_FIELD]: round,
					},
					pairedItem: { item: itemIndex },
				},
			],
		],
	};
	await this.putExecutionToWait(waitTill);
	return [this.getInputData()];
}

/** n8n hands the waiting webhook the waiting node's input, where execute() kept the current round. */
function currentRound(context: IWebhookFunctions): unknown {
	return context.evaluateExpression(`{{ $json.${ROUND_FIELD} }}`, 0);
}

/** Whether a form link is one this node issued for its current question: its key and its round. */
async function isIssuedFormLink(context: IWebhookFunctions): Promise<boolean> {
	const credentials = await context.getCredentials(CREDENTIALS_NAME);
	const query = context.getQueryData() as IDataObject;
	const round = String(query[ROUND_PARAMETER] ?? '');
	const reference = { executionId: context.getExecutionId(), nodeId: context.getNode().id, round };
	return (
		isFormLinkKey(query[LINK_KEY_PARAMETER], String(credentials.appSecret ?? ''), reference) &&
		isCurrentRound(round, currentRound(context))
	);
}

/** n8n's waiting endpoint: only a POST from the trigger, signed with the App Secret, resumes. */
export async function sendAndWaitWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const responseType = this.getNodeParameter('responseType', 'approval') as string;
	const isForm = isFormResponseType(responseType);
	const res = this.getResponseObject();
	if (isForm && formDelivery(this) === FORM_DELIVERY_LINK) {
		if (await isIssuedFormLink(this)) return await formLinkWebhook.call(this);
		res.status(401).type('text/plain').send('This form link is not valid or no longer open');
		return { noWebhookResponse: true };
	}
	const req = this.getRequestObject();
	if (req.method !== 'POST') {
		res.status(200).type('text/plain').send('Answer this question with the buttons in WhatsApp.');
		return { noWebhookResponse: true };
	}
	const credentials = await this.getCredentials(CREDENTIALS_NAME);
	const appSecret = String(credentials.appSecret ?? '');
	const answer = parseAnswerReport(this.getBodyData());
	const query = this.getQueryData() as IDataObject;
	const headers = this.getHeaderData() as IDataObject;
	const valid =
		answer !== undefined &&
		String(query[CHOICE_PARAMETER]) === String(answer.choice) &&
		// A form takes only a Flow answer, a button question never one.
		isForm === (answer.response !== undefined) &&
		verifyAnswerReport(answer, headers[ANSWER_SIGNATURE_HEADER], appSecret);
	if (!valid || !answer) {
		res.status(401).type('text/plain').send('Not an answer from the WhatsApp Cloud API Trigger');
		return { noWebhookResponse: true };
	}
	if (!isCurrentRound(query[ROUND_PARAMETER], currentRound(this))) {
		res.status(409).type('text/plain').send('This question is no longer open');
		return { noWebhookResponse: true };
	}

	const respondedAt = new Date().toISOString();
	if (isForm) {
		const { values, summary } = formAnswer(this, answer.response ?? {});
		await replyToAnswer.call(this, answer, summary);
		return {
			webhookResponse: { resumed: true },
			workflowData: [[{ json: { ...values, ...answerCommon(answer, respondedAt) } }]],
		};
	}
	let options;
	try {
		options = readQuestion(this).options;
	} catch {
		options = undefined; // fields built from expressions: the tapped title still says which
	}
	const json = answerJson(responseType as 'approval' | 'choice', options, answer, respondedAt);
	await replyToAnswer.call(this, answer, String(json.answer ?? json.title ?? ''));
	return {
		webhookResponse: { resumed: true },
		workflowData: [[{ json: json as IDataObject }]],
	};
}

/** The confirmation the customer gets once their answer is taken (a failure never blocks resuming). */
async function replyToAnswer(
	this: IWebhookFunctions,
	answer: { from?: string; fromUserId?: string; phoneNumberId?: string; messageId: string },
	title: string,
): Promise<void> {
	const waitOptions = this.getNodeParameter('waitOptions', {}) as WaitOptions;
	const template = waitOptions.replyAfterAnswer ?? DEFAULT_ANSWER_REPLY;
	if (template.trim() === '' || !answer.phoneNumberId) return;
	const recipient: ClientRecipient = answer.from
		? { to: answer.from }
		: { recipient: answer.fromUserId ?? '' };
	try {
		const message = buildMessage(
			{ recipient, replyToMessageId: answer.messageId },
			buildTextContent({ body: template.split('{answer}').join(title) }),
		);
		await graphRequest.call(this, {
			method: 'POST',
			path: `/${encodeURIComponent(answer.phoneNumberId)}/messages`,
			body: message as unknown as IDataObject,
		});
	} catch {
		// The answer counts even when the confirmation cannot be sent.
	}
}

export const operation: WaitOperation = {
	kind: 'wait',
	option: {
		name: 'Send and Wait for Response',
		value: SEND_AND_WAIT_OPERATION,
		description: 'Send a question with WhatsApp buttons or a list, and wait for the answer',
		action: 'Send message and wait for response',
	},
	properties: sendAndWaitFields,
	execute,
};
