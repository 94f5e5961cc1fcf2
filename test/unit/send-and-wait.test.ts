/** The Send and Wait answer id (round trip, tampering, binding, length) and the question builders. */
import fc from 'fast-check';

import { isPayloadError } from '../../nodes/WhatsAppCloud/helpers/errors';
import { buildInteractiveContent } from '../../nodes/WhatsAppCloud/helpers/payloads/interactive';
import {
	ANSWER_ID_MAX,
	decodeAnswerId,
	encodeAnswerId,
	formLinkKey,
	isBoundTo,
	isFormLinkKey,
	parseAnswerReport,
	recipientKeysOf,
	signAnswerReport,
	verifyAnswerReport,
} from '../../nodes/WhatsAppCloud/helpers/sendAndWait/answerId';
import {
	answerJson,
	questionMessage,
	questionOptions,
	waitTillFrom,
} from '../../nodes/WhatsAppCloud/helpers/sendAndWait/question';
import { LIST_ROW_ID_MAX, REPLY_BUTTON_ID_MAX } from '../../nodes/WhatsAppCloud/helpers/limits';

const SECRET = 'app-secret';
const SIGNATURE = 'ab'.repeat(32);
const NODE_ID = '0f6a7c2e-4b1d-4e8f-9a3b-2c5d6e7f8a9b';
const reference = {
	executionId: '123456789',
	nodeId: NODE_ID,
	choice: 1,
	round: 'Rnd_0-9z',
	signature: SIGNATURE,
};

describe('answer id', () => {
	it('round-trips and fits a list row id even with long execution and node IDs', () => {
		const long = { ...reference, executionId: '9'.repeat(40), nodeId: 'n'.repeat(64), choice: 9 };
		const id = encodeAnswerId(long, SECRET, '16505551234');
		expect(id.length).toBeLessThanOrEqual(ANSWER_ID_MAX);
		expect(ANSWER_ID_MAX).toBeLessThanOrEqual(Math.min(LIST_ROW_ID_MAX, REPLY_BUTTON_ID_MAX));
		expect(decodeAnswerId(id)).toMatchObject({ ...long });
		expect(id).toMatch(/^[A-Za-z0-9_~-]+$/);
	});

	it('is bound to its recipient: another number or user ID does not match', () => {
		const decoded = decodeAnswerId(encodeAnswerId(reference, SECRET, '16505551234'))!;
		expect(isBoundTo(decoded, SECRET, { from: '16505551234' })).toBe(true);
		expect(isBoundTo(decoded, SECRET, { from: '16505559999' })).toBe(false);
		expect(isBoundTo(decoded, 'other-secret', { from: '16505551234' })).toBe(false);
		const bsuid = decodeAnswerId(encodeAnswerId(reference, SECRET, 'US.123456'))!;
		expect(isBoundTo(bsuid, SECRET, { fromUserId: 'US.123456' })).toBe(true);
		expect(isBoundTo(bsuid, SECRET, { from: '16505551234', fromUserId: 'US.999' })).toBe(false);
	});

	it("accepts Meta's wa_id variants of Brazilian and Mexican numbers", () => {
		const br = decodeAnswerId(encodeAnswerId(reference, SECRET, '5511987654321'))!;
		expect(isBoundTo(br, SECRET, { from: '551187654321' })).toBe(true);
		const mx = decodeAnswerId(encodeAnswerId(reference, SECRET, '525512345678'))!;
		expect(isBoundTo(mx, SECRET, { from: '5215512345678' })).toBe(true);
		expect(recipientKeysOf({ from: '16505551234' })).toEqual(['16505551234']);
	});

	it('a changed choice, execution, node, round, n8n signature or binding no longer matches; garbage decodes to nothing', () => {
		const id = encodeAnswerId(reference, SECRET, '16505551234');
		const parts = id.split('~');
		for (const index of [1, 2, 3, 4, 5, 6]) {
			const changed = [...parts];
			const swap = (c: string) => (c === '1' ? '2' : '1');
			changed[index] =
				index === 3
					? '2'
					: index === 5 // the last base64url character carries 2 unused bits: change the first
						? changed[index].replace(/^./, swap)
						: changed[index].replace(/.$/, swap);
			const decoded = decodeAnswerId(changed.join('~'));
			expect(decoded && isBoundTo(decoded, SECRET, { from: '16505551234' })).toBeFalsy();
		}
		for (const junk of ['', 'order_status', `${id}~x`, id.replace('n8nwa1', 'n8nwa2'), 42, null]) {
			expect(decodeAnswerId(junk)).toBeUndefined();
		}
	});

	it('never throws on any string and decodes only well-formed ids', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 300 }), (text) => {
				const decoded = decodeAnswerId(text);
				if (decoded) expect(text.startsWith('n8nwa1~')).toBe(true);
			}),
		);
	});

	it('refuses what it cannot carry', () => {
		const attempt = (r: typeof reference) => {
			try {
				encodeAnswerId(r, SECRET, 'x');
				return 'ok';
			} catch (error) {
				return isPayloadError(error) ? 'payload error' : 'other';
			}
		};
		expect(attempt({ ...reference, executionId: 'a/b' })).toBe('payload error');
		expect(attempt({ ...reference, signature: 'short' })).toBe('payload error');
	});
});

describe('answer report', () => {
	const report = {
		choice: 0,
		from: '16505551234',
		messageId: 'wamid.tap',
		questionMessageId: 'wamid.question',
		title: 'Approve',
		timestamp: '2026-12-01T00:00:00.000Z',
		phoneNumberId: '106540352242922',
	};

	it('verifies only with the App Secret and only unchanged', () => {
		const signature = signAnswerReport(report, SECRET);
		expect(verifyAnswerReport(report, signature, SECRET)).toBe(true);
		expect(verifyAnswerReport({ ...report, choice: 1 }, signature, SECRET)).toBe(false);
		expect(verifyAnswerReport({ ...report, from: '1' }, signature, SECRET)).toBe(false);
		expect(verifyAnswerReport(report, signature, 'x')).toBe(false);
		expect(verifyAnswerReport(report, signature, '')).toBe(false);
		expect(verifyAnswerReport(report, undefined, SECRET)).toBe(false);
	});

	it('parses what the trigger sends, and nothing else', () => {
		expect(parseAnswerReport(JSON.parse(JSON.stringify(report)))).toEqual(report);
		expect(parseAnswerReport({ ...report, choice: '0' })).toBeUndefined();
		expect(parseAnswerReport({ choice: 0 })).toBeUndefined();
		expect(parseAnswerReport('x')).toBeUndefined();
	});
});

describe('question', () => {
	const ids = (n: number) => Array.from({ length: n }, (_, i) => `id${i}`);

	it('approval: two buttons by default, one for approve only', () => {
		const two = questionOptions({ responseType: 'approval' });
		expect(two.map((o) => o.title)).toEqual(['Approve', 'Decline']);
		expect(questionOptions({ responseType: 'approval', approvalType: 'single' })).toHaveLength(1);
		const message = questionMessage(
			{ body: 'Ok?', responseType: 'approval', options: two },
			ids(2),
		);
		expect(buildInteractiveContent(message).interactive).toMatchObject({
			type: 'button',
			action: { buttons: [{ reply: { id: 'id0', title: 'Approve' } }, { reply: { id: 'id1' } }] },
		});
	});

	it('choice: 2–3 as buttons, 4–10 as a list, 1 or 11 refused naming the field', () => {
		const options = (n: number) =>
			questionOptions({
				responseType: 'choice',
				choices: Array.from({ length: n }, (_, i) => ({ title: `Option ${i}` })),
			});
		const kind = (n: number) =>
			buildInteractiveContent(
				questionMessage(
					{ body: 'Pick', responseType: 'choice', options: options(n), listButtonLabel: 'Pick' },
					ids(n),
				),
			).interactive.type;
		expect([2, 3, 4, 10].map(kind)).toEqual(['button', 'button', 'list', 'list']);
		for (const n of [1, 11]) {
			expect(() => options(n)).toThrow(/choices must have 2 to 10 options/);
		}
		expect(() =>
			questionOptions({ responseType: 'choice', choices: [{ title: 'a' }, { title: ' ' }] }),
		).toThrow(/choices\[1\]\.title is required/);
	});

	it('answers: approval by choice 0, choice by its value', () => {
		const report = { choice: 1, messageId: 'm', from: '1', title: 'Tuesday' };
		expect(answerJson('approval', undefined, { ...report, choice: 0 }, 't')).toMatchObject({
			approved: true,
		});
		expect(
			answerJson(
				'choice',
				[
					{ title: 'Mon', value: 'mon' },
					{ title: 'Tuesday', value: 'tue' },
				],
				report,
				't',
			),
		).toMatchObject({ choice: 'tue', title: 'Tuesday', index: 1, respondedAt: 't' });
	});

	it('limit wait time: interval, date, none; a bad date names the field', () => {
		const never = new Date('3000-01-01T00:00:00.000Z');
		expect(waitTillFrom(undefined, 0, never)).toBe(never);
		expect(
			waitTillFrom(
				{ limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'minutes' },
				1000,
				never,
			).getTime(),
		).toBe(121_000);
		expect(
			waitTillFrom(
				{ limitType: 'atSpecifiedTime', maxDateAndTime: '2027-01-01T00:00:00Z' },
				0,
				never,
			).toISOString(),
		).toBe('2027-01-01T00:00:00.000Z');
		expect(() =>
			waitTillFrom({ limitType: 'atSpecifiedTime', maxDateAndTime: 'soon' }, 0, never),
		).toThrow(/Max Date and Time/);
	});
});

describe('form link key', () => {
	const link = { executionId: '123456789', nodeId: NODE_ID, round: 'Rnd_0-9z' };

	it('matches only the execution, node and round it was made for, with the same App Secret', () => {
		const key = formLinkKey(SECRET, link);
		expect(key).toMatch(/^[0-9a-f]{32}$/);
		expect(isFormLinkKey(key, SECRET, link)).toBe(true);
		expect(isFormLinkKey(key, 'other-secret', link)).toBe(false);
		expect(isFormLinkKey(key, '', link)).toBe(false);
		for (const changed of [
			{ ...link, executionId: '123456788' },
			{ ...link, nodeId: `${NODE_ID.slice(0, -1)}c` },
			{ ...link, round: 'Rnd_0-9y' },
		])
			expect(isFormLinkKey(key, SECRET, changed)).toBe(false);
	});

	it('refuses anything that is not the key', () => {
		const key = formLinkKey(SECRET, link);
		for (const junk of [undefined, null, 42, '', key.slice(1), `${key}0`, key.toUpperCase()])
			expect(isFormLinkKey(junk, SECRET, link)).toBe(false);
	});
});
