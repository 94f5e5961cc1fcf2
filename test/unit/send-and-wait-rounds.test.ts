/**
 * Send and Wait: the per-round nonce in the answer id (loops), its fit within Meta's id limits with
 * the longest IDs and hosts, and the template quick replies that carry the ids outside the 24-hour
 * window.
 */
import fc from 'fast-check';

import { SEED_TEMPLATES } from '../emulator/seed';
import { isPayloadError } from '../../nodes/WhatsAppCloud/helpers/errors';
import { LIST_ROW_ID_MAX } from '../../nodes/WhatsAppCloud/helpers/limits';
import {
	ANSWER_ID_MAX,
	decodeAnswerId,
	encodeAnswerId,
	isBoundTo,
} from '../../nodes/WhatsAppCloud/helpers/sendAndWait/answerId';
import { isCurrentRound, newRound } from '../../nodes/WhatsAppCloud/helpers/sendAndWait/round';
import { quickReplyAnswerValues } from '../../nodes/WhatsAppCloud/helpers/sendAndWait/templateAnswers';
import { buildTemplateContent } from '../../nodes/WhatsAppCloud/helpers/template/build';
import { QUICK_REPLY_PAYLOAD_MAX } from '../../nodes/WhatsAppCloud/helpers/template/limits';
import type { ServerTemplate } from '../../nodes/WhatsAppCloud/helpers/types/template';
import { waitingBaseUrl } from '../../nodes/WhatsAppCloud/trigger/answers';

const SECRET = 'app-secret';
const TO = '16505551234';
const signature = (seed: number) =>
	Array.from({ length: 32 }, (_, i) =>
		((seed * 31 + i * 7) % 256).toString(16).padStart(2, '0'),
	).join('');
const base = {
	executionId: '4821',
	nodeId: '0f6a7c2e-4b1d-4e8f-9a3b-2c5d6e7f8a9b',
	choice: 0,
	signature: signature(1),
};

describe('question rounds', () => {
	it('draws 8 base64url characters, different each time', () => {
		const rounds = new Set(Array.from({ length: 1000 }, () => newRound()));
		expect(rounds.size).toBe(1000);
		for (const round of rounds) expect(round).toMatch(/^[A-Za-z0-9_-]{8}$/);
	});

	it('an id of round 1 is not an id of round 2 of the same execution, node and choice', () => {
		const [one, two] = [newRound(), newRound()];
		const first = decodeAnswerId(encodeAnswerId({ ...base, round: one }, SECRET, TO))!;
		const second = decodeAnswerId(encodeAnswerId({ ...base, round: two }, SECRET, TO))!;
		expect(first.round).toBe(one);
		expect(isCurrentRound(first.round, two)).toBe(false);
		expect(isCurrentRound(second.round, two)).toBe(true);
		expect(isCurrentRound(undefined, two)).toBe(false);
		expect(isCurrentRound(one, undefined)).toBe(false);
		expect(isCurrentRound('', '')).toBe(false);
	});

	it('the round is bound: round 1 relabelled as round 2 fails the recipient binding', () => {
		const [one, two] = [newRound(), newRound()];
		const id = encodeAnswerId({ ...base, round: one }, SECRET, TO);
		const relabelled = decodeAnswerId(id.replace(`~${one}~`, `~${two}~`))!;
		expect(relabelled.round).toBe(two);
		expect(isBoundTo(relabelled, SECRET, { from: TO })).toBe(false);
		expect(isBoundTo(decodeAnswerId(id)!, SECRET, { from: TO })).toBe(true);
	});

	it("carries n8n's signature exactly (base64url in the id, hex again when decoded)", () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 10_000 }), (seed) => {
				const reference = { ...base, round: newRound(), signature: signature(seed) };
				expect(decodeAnswerId(encodeAnswerId(reference, SECRET, TO))?.signature).toBe(
					reference.signature,
				);
			}),
		);
	});

	it('fits a list row id (200) with the longest execution and node IDs, any choice, any recipient', () => {
		const idChars = fc.constantFrom(...'abcXYZ019_-'.split(''));
		fc.assert(
			fc.property(
				fc.string({ unit: idChars, minLength: 1, maxLength: 40 }),
				fc.string({ unit: idChars, minLength: 1, maxLength: 64 }),
				fc.integer({ min: 0, max: 9 }),
				fc.string({ maxLength: 100 }),
				(executionId, nodeId, choice, recipient) => {
					const reference = {
						executionId,
						nodeId,
						choice,
						round: newRound(),
						signature: base.signature,
					};
					const id = encodeAnswerId(reference, SECRET, recipient);
					expect(id.length).toBeLessThanOrEqual(ANSWER_ID_MAX);
					expect(id.length).toBeLessThanOrEqual(LIST_ROW_ID_MAX);
					expect(decodeAnswerId(id)).toMatchObject(reference);
				},
			),
		);
		const longest = encodeAnswerId(
			{
				...base,
				executionId: '9'.repeat(40),
				nodeId: 'n'.repeat(64),
				choice: 9,
				round: newRound(),
			},
			SECRET,
			TO,
		);
		expect(longest.length).toBe(184); // 6 + 40 + 64 + 1 + 8 + 43 + 16 + 6 separators
	});

	it('the id holds no host: the longest host still resumes through its own waiting endpoint', () => {
		const host = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.example.com`;
		const own = `https://${host}:5678/some/prefix/webhook/wh-1/webhook`;
		expect(waitingBaseUrl(own, 'wh-1', 'webhook-waiting')).toBe(
			`https://${host}:5678/some/prefix/webhook-waiting`,
		);
		const id = encodeAnswerId({ ...base, round: newRound() }, SECRET, TO);
		expect(id).not.toContain('example.com');
		expect(id.length).toBeLessThanOrEqual(QUICK_REPLY_PAYLOAD_MAX);
	});

	it('refuses a round that is not 8 base64url characters', () => {
		for (const round of ['', 'short', 'abcdefghi', 'abc~defg', 'abc/defg']) {
			try {
				encodeAnswerId({ ...base, round }, SECRET, TO);
				throw new Error(`accepted ${round}`);
			} catch (error) {
				expect(isPayloadError(error)).toBe(true);
			}
		}
	});
});

describe('template quick replies carry the answers', () => {
	const seed = (name: string) =>
		SEED_TEMPLATES.find(
			(t) => t.name === name && t.language === 'en_US',
		) as unknown as ServerTemplate;
	const ids = (n: number) =>
		Array.from({ length: n }, (_, choice) =>
			encodeAnswerId({ ...base, choice, round: 'AbCd-_12' }, SECRET, TO),
		);

	it('the i-th quick reply carries the i-th answer id in a send Meta accepts', () => {
		const template = seed('order_update');
		const values = {
			'header.text.1': '#1042',
			'body.1': 'Ana',
			'body.2': '#1042',
			'body.3': 'Monday',
			'button.0.payload': 'overridden',
			...quickReplyAnswerValues(template, ids(2)),
		};
		const content = buildTemplateContent(template, 'en_US', values);
		const buttons = (content.template.components ?? []).filter((c) => c.type === 'button');
		expect(buttons).toEqual([
			{
				type: 'button',
				sub_type: 'quick_reply',
				index: '0',
				parameters: [{ type: 'payload', payload: ids(2)[0] }],
			},
			{
				type: 'button',
				sub_type: 'quick_reply',
				index: '1',
				parameters: [{ type: 'payload', payload: ids(2)[1] }],
			},
		]);
	});

	it('a template with another number of quick replies is refused naming the counts', () => {
		const attempt = (name: string, n: number) => {
			try {
				quickReplyAnswerValues(seed(name), ids(n));
				return 'ok';
			} catch (error) {
				return isPayloadError(error) ? error.message : 'other';
			}
		};
		expect(attempt('order_update', 1)).toMatch(
			/^Template "order_update" has 2 quick-reply buttons; this question has 1 answer option,/,
		);
		expect(attempt('order_update', 3)).toMatch(/has 2 quick-reply buttons; this question has 3/);
		// a carousel's card quick replies answer nothing
		expect(attempt('carousel_picks', 2)).toMatch(/has 0 quick-reply buttons/);
		expect(attempt('hello_world', 2)).toMatch(/has 0 quick-reply buttons/);
	});

	it("a payload over Meta's limit is refused before sending", () => {
		const long = ['x'.repeat(QUICK_REPLY_PAYLOAD_MAX + 1), 'y'];
		expect(() => quickReplyAnswerValues(seed('order_update'), long)).toThrow(
			/Quick Reply "Track" Payload.*257 characters/,
		);
	});
});
