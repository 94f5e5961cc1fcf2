/**
 * Send and Wait's Free Text and Custom Form. With a WhatsApp Flow: the node finds the Flow of
 * this form definition in the business account by name (the name carries the definition's hash),
 * else creates and publishes it, and sends it with the signed answer id as its flow token; the
 * trigger hands the `nfm_reply` on like a button tap. With the form link: the message carries
 * n8n's signed waiting URL, whose GET shows the form and whose POST resumes the execution.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ClientEnvelopeInput } from '../../../helpers/payloads/envelope';
import { buildMessage } from '../../../helpers/payloads/envelope';
import { buildInteractiveContent } from '../../../helpers/payloads/interactive';
import { buildTextContent } from '../../../helpers/payloads/text';
import type { FormDefinition, FormFieldInput } from '../../../helpers/sendAndWait/form';
import {
	FORM_LIMITS,
	FORM_SCREEN_ID,
	formAnswerSummary,
	formAnswerValues,
	formDefinition,
	formFlow,
	hashOfFormFlowName,
	missingRequired,
} from '../../../helpers/sendAndWait/form';
import {
	FORM_PAGE_CSP,
	postedFormFields,
	renderFormPage,
	renderMessagePage,
} from '../../../helpers/sendAndWait/formPage';
import { requiredText } from '../../../helpers/check';
import type { GraphFlow } from '../../../transport/flows';
import { changeFlowStatus, createFlow, listFlows } from '../../../transport/flows';
import { requireBusinessAccountId } from '../../../transport/graph';
import { forItem } from '../../errors';
import {
	DEFAULT_FORM_BUTTON_LABEL,
	FORM_DELIVERY_FLOW,
	FORM_DELIVERY_LINK,
	FORM_RESPONSE_TYPES,
} from './formFields';

interface FormOptions {
	messageButtonLabel?: string;
	responseFormTitle?: string;
	responseFormDescription?: string;
	responseFormButtonLabel?: string;
}

type Context = IExecuteFunctions | IWebhookFunctions;

export const isFormResponseType = (responseType: unknown): boolean =>
	FORM_RESPONSE_TYPES.includes(String(responseType));

/** A parameter of the node: per item when executing, the node's own in its waiting webhook. */
export function parameter(
	context: Context,
	name: string,
	itemIndex: number,
	fallback: unknown,
): unknown {
	if ('getInputData' in context) return context.getNodeParameter(name, itemIndex, fallback);
	return context.getNodeParameter(name, fallback);
}

export function formDelivery(context: Context, itemIndex = 0): string {
	return String(parameter(context, 'formDelivery', itemIndex, FORM_DELIVERY_FLOW));
}

/** The form the node's fields define, checked against Meta's Flow component limits. */
export function readForm(context: Context, itemIndex = 0): FormDefinition {
	const options = parameter(context, 'formOptions', itemIndex, {}) as FormOptions;
	const fields = ((parameter(context, 'formFields', itemIndex, {}) as IDataObject).values ??
		[]) as FormFieldInput[];
	return formDefinition({
		responseType: String(parameter(context, 'responseType', itemIndex, 'freeText')) as
			'freeText' | 'customForm',
		title: options.responseFormTitle,
		description: options.responseFormDescription,
		submitLabel: options.responseFormButtonLabel,
		message: String(parameter(context, 'message', itemIndex, '')),
		fields,
	});
}

function buttonLabel(context: Context, itemIndex: number): string {
	const options = parameter(context, 'formOptions', itemIndex, {}) as FormOptions;
	const label = options.messageButtonLabel?.trim() || DEFAULT_FORM_BUTTON_LABEL;
	return requiredText('Message Button Label', label, FORM_LIMITS.flowCta);
}

const FALLBACK_HINT = `Set "Form Delivery" to "Form Link in the Message" to send n8n's form link instead (it works without Flows).`;

function flowError(
	context: IExecuteFunctions,
	itemIndex: number,
	wabaId: string,
	step: string,
	cause: unknown,
): NodeOperationError {
	const error = cause as { message?: string; description?: string; context?: IDataObject };
	const meta = error?.message ?? String(cause);
	return new NodeOperationError(
		context.getNode(),
		`The form's WhatsApp Flow could not be ${step} in business account ${wabaId}: ${meta}`,
		{
			itemIndex,
			description: `This account cannot create or publish WhatsApp Flows (Meta needs the token's whatsapp_business_management permission, a verified business and good number quality). ${FALLBACK_HINT}${error?.description ? `\n${error.description}` : ''}`,
		},
	);
}

/** The Flows of the account that carry this definition's hash, by name. */
async function flowsOfForm(
	this: IExecuteFunctions,
	wabaId: string,
	hash: string,
	itemIndex: number,
): Promise<GraphFlow[]> {
	const found: GraphFlow[] = [];
	let after: string | undefined;
	do {
		const page = await listFlows.call(
			this,
			wabaId,
			{ limit: 100, after, fields: ['id', 'name', 'status'] },
			itemIndex,
		);
		found.push(...page.flows.filter((flow) => hashOfFormFlowName(flow.name) === hash));
		after = page.after;
	} while (after);
	return found;
}

const SENDABLE = ['PUBLISHED', 'THROTTLED'];

/** The ID of the published Flow for this form: found by name, else created and published. */
export async function ensureFormFlow(
	this: IExecuteFunctions,
	form: FormDefinition,
	itemIndex: number,
): Promise<string> {
	const wabaId = await requireBusinessAccountId.call(this, itemIndex);
	const flow = formFlow(form);
	let existing: GraphFlow[];
	try {
		existing = await flowsOfForm.call(this, wabaId, flow.hash, itemIndex);
	} catch (error) {
		throw flowError(this, itemIndex, wabaId, 'looked up', error);
	}
	const published = existing.find((candidate) => SENDABLE.includes(String(candidate.status)));
	if (published) return published.id;
	// A draft of this definition (an earlier publish failed): publish it now.
	const draft = existing.find((candidate) => candidate.status === 'DRAFT');
	if (draft) {
		try {
			await changeFlowStatus.call(this, draft.id, 'publish', itemIndex);
		} catch (error) {
			throw flowError(this, itemIndex, wabaId, 'published', error);
		}
		return draft.id;
	}
	// Names are unique: one deprecated or blocked Flow of this form already has the plain name.
	const name = existing.length === 0 ? flow.name : `${flow.name} ${existing.length + 1}`;
	let created;
	try {
		created = await createFlow.call(
			this,
			wabaId,
			{ name, categories: ['OTHER'], flowJson: flow.json },
			itemIndex,
		);
	} catch (error) {
		// Another execution created it a moment ago: take that one.
		const again = await flowsOfForm.call(this, wabaId, flow.hash, itemIndex).catch(() => []);
		const theirs = again.find((candidate) => candidate.name === name);
		if (theirs && SENDABLE.includes(String(theirs.status))) return theirs.id;
		if (!theirs) throw flowError(this, itemIndex, wabaId, 'created', error);
		created = { id: theirs.id, validation_errors: [] };
	}
	const problems = created.validation_errors ?? [];
	if (problems.length > 0) {
		const list = problems
			.slice(0, 3)
			.map((problem) => problem.message)
			.join('; ');
		throw new NodeOperationError(
			this.getNode(),
			`Meta found ${problems.length} problem(s) in the form's Flow JSON: ${list}`,
			{ itemIndex, description: `Flow ${created.id} stays a draft. ${FALLBACK_HINT}` },
		);
	}
	try {
		await changeFlowStatus.call(this, created.id, 'publish', itemIndex);
	} catch (error) {
		throw flowError(this, itemIndex, wabaId, 'published', error);
	}
	return created.id;
}

/** The question message of a form: a Flow carrying `flowToken`, or text with the form link. */
export async function formQuestionPayload(
	this: IExecuteFunctions,
	envelope: ClientEnvelopeInput,
	question: { body: string; header?: string; footer?: string },
	flowToken: () => string,
	formLink: () => string,
	itemIndex: number,
): Promise<IDataObject> {
	const form = forItem(this, itemIndex, () => readForm(this, itemIndex));
	const label = forItem(this, itemIndex, () => buttonLabel(this, itemIndex));
	if (formDelivery(this, itemIndex) === FORM_DELIVERY_LINK) {
		const url = formLink();
		const body = `${question.body}\n\n*${label}:*\n_${url}_`;
		return forItem(
			this,
			itemIndex,
			() => buildMessage(envelope, buildTextContent({ body })) as unknown as IDataObject,
		);
	}
	const token = flowToken();
	const flowId = await ensureFormFlow.call(this, form, itemIndex);
	return forItem(
		this,
		itemIndex,
		() =>
			buildMessage(
				envelope,
				buildInteractiveContent({
					type: 'flow',
					body: question.body,
					...(question.header ? { header: { type: 'text', text: question.header } } : {}),
					...(question.footer ? { footer: question.footer } : {}),
					flow: { flowId, cta: label, token, action: 'navigate', screen: FORM_SCREEN_ID },
				}),
			) as unknown as IDataObject,
	);
}

/** The output of a Flow answer the trigger handed on, and the text for the confirmation. */
export function formAnswer(
	context: IWebhookFunctions,
	response: Record<string, unknown>,
): { values: Record<string, unknown>; summary: string } {
	let form: FormDefinition | undefined;
	try {
		form = readForm(context);
	} catch {
		form = undefined; // fields built from expressions: the values come as WhatsApp sent them
	}
	if (!form) return { values: { ...response }, summary: '' };
	const values = formAnswerValues(form, response);
	return { values, summary: formAnswerSummary(form, values) };
}

/** The form link's page: GET shows the form, POST takes the answer (n8n checked the URL's signature). */
export async function formLinkWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const res = this.getResponseObject();
	const req = this.getRequestObject();
	const form = readForm(this);
	res.setHeader('Content-Security-Policy', FORM_PAGE_CSP);
	if (req.method !== 'POST') {
		res.status(200).type('text/html').send(renderFormPage(form));
		return { noWebhookResponse: true };
	}
	const body = postedFormFields(this.getBodyData());
	const missing = missingRequired(form, body);
	if (missing.length > 0) {
		res
			.status(400)
			.type('text/html')
			.send(renderFormPage(form, `Please fill in: ${missing.join(', ')}`));
		return { noWebhookResponse: true };
	}
	const values = formAnswerValues(form, body);
	return {
		webhookResponse: renderMessagePage('Got it, thanks', 'This page can be closed now.'),
		workflowData: [
			[
				{
					json: {
						...values,
						formDelivery: FORM_DELIVERY_LINK,
						respondedAt: new Date().toISOString(),
					},
				},
			],
		],
	};
}
