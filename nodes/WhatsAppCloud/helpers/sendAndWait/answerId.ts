/**
 * The id a Send and Wait button (or list row, or template quick-reply payload) carries, so that the
 * customer's tap, which Meta delivers only to the app's webhook, resumes exactly the waiting
 * execution it was sent for — and only when the intended recipient taps it.
 *
 * `n8nwa1~{executionId}~{nodeId}~{choice}~{round}~{signature}~{binding}`
 * - `round`: a random nonce per question sent; the waiting node takes only its current round's
 *   answers, since n8n's signature (execution + node + query) is the same each time a loop asks again;
 * - `signature`: n8n's own HMAC of the signed resume URL (`getSignedResumeUrl({ a: choice, r: round })`)
 *   in base64url, so n8n itself refuses a resume it did not issue;
 * - `binding`: HMAC-SHA256 with the credential's App Secret over all of the above and the recipient,
 *   so a tap by anyone else, or an id changed in any part, resumes nothing — whether or not the n8n
 *   version checks its own signature (n8n 1.x's waiting endpoint does not).
 * Only URL-safe ASCII, and short enough for a list row id (200 characters), Meta's tightest carrier.
 */
import { createHmac, randomBytes } from 'crypto';

import { PayloadError } from '../errors';
import { constantTimeEquals } from '../webhook/signature';

export const ANSWER_ID_PREFIX = 'n8nwa1';
/** Meta's limit for a list row id; reply button ids allow 256. */
export const ANSWER_ID_MAX = 200;
/** The resume URL's query parameter that carries the choice (n8n signs it). */
export const CHOICE_PARAMETER = 'a';
/** The resume URL's query parameter that carries the question's round (n8n signs it). */
export const ROUND_PARAMETER = 'r';

export interface AnswerReference {
	executionId: string;
	nodeId: string;
	/** The option's index: `0`/`1` for approve/decline, the option's position for a choice. */
	choice: number;
	/** The question's round: 8 base64url characters, new each time the node sends a question. */
	round: string;
	/** n8n's `signature` of the resume URL, 64 hex characters. */
	signature: string;
	/** 16 hex characters binding the answer to its recipient. */
	binding: string;
}

const SEPARATOR = '~';
const EXECUTION_ID = /^[A-Za-z0-9_-]{1,40}$/;
const NODE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const ROUND = /^[A-Za-z0-9_-]{8}$/;
/** n8n's 32-byte signature in base64url: 43 characters instead of 64 hex. */
const SIGNATURE_B64 = /^[A-Za-z0-9_-]{43}$/;

function bindingFor(
	appSecret: string,
	reference: Omit<AnswerReference, 'binding'>,
	recipientKey: string,
) {
	return createHmac('sha256', appSecret)
		.update(
			[
				ANSWER_ID_PREFIX,
				reference.executionId,
				reference.nodeId,
				reference.choice,
				reference.round,
				reference.signature,
				recipientKey,
			].join('\n'),
		)
		.digest('hex')
		.slice(0, 16);
}

/** The id for one option of a question sent to `recipientKey` (phone digits or business-scoped user ID). */
export function encodeAnswerId(
	reference: Omit<AnswerReference, 'binding'>,
	appSecret: string,
	recipientKey: string,
): string {
	if (!EXECUTION_ID.test(reference.executionId) || !NODE_ID.test(reference.nodeId)) {
		throw new PayloadError('execution or node ID cannot be carried in an answer id', {
			field: 'Send and Wait',
			limit: 'an answer id Meta carries',
		});
	}
	if (!HEX64.test(reference.signature) || !ROUND.test(reference.round))
		throw new PayloadError('resume signature is not 64 hex, or the round not 8 base64url', {
			field: 'Send and Wait',
			limit: 'an answer id Meta carries',
		});
	const binding = bindingFor(appSecret, reference, recipientKey);
	const id = [
		ANSWER_ID_PREFIX,
		reference.executionId,
		reference.nodeId,
		String(reference.choice),
		reference.round,
		Buffer.from(reference.signature, 'hex').toString('base64url'),
		binding,
	].join(SEPARATOR);
	if (id.length > ANSWER_ID_MAX)
		throw new PayloadError(`answer id is ${id.length} characters`, {
			field: 'Send and Wait',
			limit: 'an answer id Meta carries',
		});
	return id;
}

/** The reference an id carries, or undefined for anything that is not one (never throws). */
export function decodeAnswerId(id: unknown): AnswerReference | undefined {
	if (
		typeof id !== 'string' ||
		id.length > 256 ||
		!id.startsWith(`${ANSWER_ID_PREFIX}${SEPARATOR}`)
	)
		return undefined;
	const parts = id.split(SEPARATOR);
	if (parts.length !== 7) return undefined;
	const [, executionId, nodeId, choiceText, round, signature, binding] = parts;
	if (!EXECUTION_ID.test(executionId) || !NODE_ID.test(nodeId) || !ROUND.test(round))
		return undefined;
	if (!/^\d{1,2}$/.test(choiceText) || !SIGNATURE_B64.test(signature) || !HEX16.test(binding))
		return undefined;
	return {
		executionId,
		nodeId,
		choice: Number(choiceText),
		round,
		signature: Buffer.from(signature, 'base64url').toString('hex'),
		binding,
	};
}

/**
 * Whether the tap came from the recipient the question was sent to. Meta's `wa_id` can differ from
 * the number as dialled (Brazil's ninth digit, Mexico's `1` after 52), so those variants count too.
 */
export function isBoundTo(
	reference: AnswerReference,
	appSecret: string,
	sender: { from?: string; fromUserId?: string },
): boolean {
	return recipientKeysOf(sender).some((key) =>
		constantTimeEquals(bindingFor(appSecret, reference, key), reference.binding),
	);
}

/** The keys a sender may have been addressed by. */
export function recipientKeysOf(sender: { from?: string; fromUserId?: string }): string[] {
	const keys: string[] = [];
	const from = (sender.from ?? '').replace(/\D/g, '');
	if (from) {
		keys.push(from);
		if (/^55\d{10}$/.test(from)) keys.push(`${from.slice(0, 4)}9${from.slice(4)}`);
		if (/^55\d{2}9\d{8}$/.test(from)) keys.push(`${from.slice(0, 4)}${from.slice(5)}`);
		if (/^521\d{10}$/.test(from)) keys.push(`52${from.slice(3)}`);
		if (/^52\d{10}$/.test(from)) keys.push(`521${from.slice(2)}`);
	}
	if (sender.fromUserId) keys.push(sender.fromUserId);
	return keys;
}

/** The key the question's recipient is bound by: phone digits, or the business-scoped user ID. */
export function recipientKeyOf(recipient: { to?: string; recipient?: string }): string {
	return recipient.to ?? recipient.recipient ?? '';
}

/** What the trigger tells the waiting execution about a tap, and the HMAC that proves the trigger sent it. */
export interface AnswerReport {
	choice: number;
	from?: string;
	fromUserId?: string;
	/** The tap's own message ID. */
	messageId: string;
	/** The question's message ID (`context.id`). */
	questionMessageId?: string;
	/** The tapped button's or row's title as the customer saw it. */
	title?: string;
	timestamp?: string | null;
	phoneNumberId?: string;
	/** A Flow answer's values (`nfm_reply.response_json` without its token). */
	response?: Record<string, unknown>;
}

export const ANSWER_SIGNATURE_HEADER = 'x-whatsapp-answer-signature';

function canonical(report: AnswerReport): string {
	return JSON.stringify([
		report.choice,
		report.from ?? '',
		report.fromUserId ?? '',
		report.messageId,
		report.questionMessageId ?? '',
		report.title ?? '',
		report.timestamp ?? '',
		report.phoneNumberId ?? '',
		...(report.response ? [report.response] : []),
	]);
}

export function signAnswerReport(report: AnswerReport, appSecret: string): string {
	return `sha256=${createHmac('sha256', appSecret).update(canonical(report)).digest('hex')}`;
}

export function verifyAnswerReport(
	report: AnswerReport,
	header: unknown,
	appSecret: string,
): boolean {
	if (typeof header !== 'string' || appSecret === '') return false;
	return constantTimeEquals(signAnswerReport(report, appSecret), header);
}

/** The one field of the multipart form the trigger posts the report in, as JSON. */
export const REPORT_FIELD = 'report';

/**
 * The report as `multipart/form-data`: n8n refuses any other body at a custom form's waiting URL
 * (415), and parses this one for every node. JSON has no line breaks, so it cannot end the part.
 */
export function answerReportForm(report: AnswerReport): { contentType: string; body: string } {
	const boundary = `n8nwa-${randomBytes(16).toString('hex')}`;
	return {
		contentType: `multipart/form-data; boundary=${boundary}`,
		body: `--${boundary}\r\nContent-Disposition: form-data; name="${REPORT_FIELD}"\r\n\r\n${JSON.stringify(report)}\r\n--${boundary}--\r\n`,
	};
}

/** The report field of n8n's parse of a multipart body (`{ data: { report }, files }`), parsed. */
function reportFromForm(body: Record<string, unknown>): unknown {
	const field = isRecord(body.data) ? body.data[REPORT_FIELD] : undefined;
	if (typeof field !== 'string') return body;
	try {
		return JSON.parse(field) as unknown;
	} catch {
		return undefined;
	}
}

/** A report from a JSON or multipart body, or undefined when it is not one. */
export function parseAnswerReport(body: unknown): AnswerReport | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const unwrapped = reportFromForm(body as Record<string, unknown>);
	if (typeof unwrapped !== 'object' || unwrapped === null) return undefined;
	const value = unwrapped as Record<string, unknown>;
	const text = (key: string) =>
		typeof value[key] === 'string' ? (value[key] as string) : undefined;
	if (typeof value.choice !== 'number' || !Number.isInteger(value.choice)) return undefined;
	const messageId = text('messageId');
	if (!messageId) return undefined;
	return {
		choice: value.choice,
		from: text('from'),
		fromUserId: text('fromUserId'),
		messageId,
		questionMessageId: text('questionMessageId'),
		title: text('title'),
		timestamp: text('timestamp') ?? null,
		phoneNumberId: text('phoneNumberId'),
		...(isRecord(value.response) ? { response: value.response } : {}),
	};
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The form link's query parameter with the key below (n8n signs it with the rest of the URL). */
export const LINK_KEY_PARAMETER = 'k';

/**
 * The key a form link carries: HMAC-SHA256 with the App Secret over the execution, node and round,
 * so the form page takes only links this node issued for the current question, whether or not the
 * n8n version checks its own signature (n8n 1.x's waiting endpoint does not).
 */
export function formLinkKey(
	appSecret: string,
	reference: Pick<AnswerReference, 'executionId' | 'nodeId' | 'round'>,
): string {
	return createHmac('sha256', appSecret)
		.update(
			[`${ANSWER_ID_PREFIX}-link`, reference.executionId, reference.nodeId, reference.round].join(
				'\n',
			),
		)
		.digest('hex')
		.slice(0, 32);
}

export function isFormLinkKey(
	key: unknown,
	appSecret: string,
	reference: Pick<AnswerReference, 'executionId' | 'nodeId' | 'round'>,
): boolean {
	if (typeof key !== 'string' || !appSecret) return false;
	return constantTimeEquals(formLinkKey(appSecret, reference), key);
}
