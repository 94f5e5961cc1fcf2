/**
 * A question's round: a nonce drawn each time the node sends a question, so that in a loop (the
 * same node waiting again in one execution) a tap on an earlier round's message resumes nothing.
 * n8n's resume signature covers only the execution, the node and the query, which a loop repeats.
 */
import { randomBytes } from 'crypto';

import { constantTimeEquals } from '../webhook/signature';

/** Where the waiting node's input keeps its current round (n8n hands that input to `webhook()`). */
export const ROUND_FIELD = 'questionRound';

/** 48 random bits as 8 base64url characters. */
export function newRound(): string {
	return randomBytes(6).toString('base64url');
}

/** Whether the round an answer was issued for is the one the node waits for now. */
export function isCurrentRound(answered: unknown, current: unknown): boolean {
	if (typeof answered !== 'string' || typeof current !== 'string' || current === '') return false;
	return constantTimeEquals(answered, current);
}
