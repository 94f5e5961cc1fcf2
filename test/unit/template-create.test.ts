import { PayloadError } from '../../nodes/WhatsAppCloud/helpers/errors';
import { validateTemplateCreate } from '../../nodes/WhatsAppCloud/helpers/template/create';

const body = (text: string, examples?: string[]) => ({
	type: 'BODY',
	text,
	...(examples ? { example: { body_text: [examples] } } : {}),
});

const base = () => ({
	name: 'order_update_v2',
	language: 'en_US',
	category: 'UTILITY',
	components: [body('Hi {{1}}, your order {{2}} ships soon.', ['Ana', '#1'])] as unknown[],
});

const withComponents = (...components: unknown[]) => ({ ...base(), components });
const withButtons = (...buttons: unknown[]) =>
	withComponents(body('Hello there'), { type: 'BUTTONS', buttons });

const quickReply = (text = 'OK') => ({ type: 'QUICK_REPLY', text });
const url = (n = '') => ({ type: 'URL', text: `Open${n}`, url: 'https://a.example' });
const phone = { type: 'PHONE_NUMBER', text: 'Call', phone_number: '+15550783881' };
const copyCode = { type: 'COPY_CODE', example: 'SAVE20' };

/** 'ok' or the PayloadError's message. */
function outcome(input: unknown): string {
	try {
		validateTemplateCreate(input);
		return 'ok';
	} catch (error) {
		if (!(error instanceof PayloadError)) throw error;
		return error.message;
	}
}

describe('validateTemplateCreate', () => {
	test('returns the definition with parameter_format filled in', () => {
		expect(
			validateTemplateCreate({ ...base(), category: 'utility', allow_category_change: true }),
		).toEqual({
			...base(),
			category: 'UTILITY',
			parameter_format: 'POSITIONAL',
			allow_category_change: true,
		});
	});

	test.each([
		['name of 512', { ...base(), name: 'a'.repeat(512) }, 'ok'],
		[
			'name of 513',
			{ ...base(), name: 'a'.repeat(513) },
			expect.stringContaining('name must be 1 to 512 lowercase'),
		],
		['name with capitals', { ...base(), name: 'Order' }, expect.stringContaining('name must be')],
		[
			'name with a dash',
			{ ...base(), name: 'order-update' },
			expect.stringContaining('name must be'),
		],
		['empty name', { ...base(), name: '' }, expect.stringContaining('name must be')],
		[
			'unknown category',
			{ ...base(), category: 'PROMO' },
			expect.stringContaining('category must be one of'),
		],
		['language en', { ...base(), language: 'en' }, 'ok'],
		['language pt_BR', { ...base(), language: 'pt_BR' }, 'ok'],
		[
			'language English',
			{ ...base(), language: 'English' },
			expect.stringContaining('language must be a language code'),
		],
		[
			'no components',
			{ ...base(), components: [] },
			expect.stringContaining('components must be a list'),
		],
		[
			'no body',
			withComponents({ type: 'FOOTER', text: 'f' }),
			'components must include a BODY component',
		],
		[
			'two bodies',
			withComponents(body('a'), body('b')),
			'components may have one BODY; there are 2',
		],
		[
			'unknown component',
			withComponents(body('a'), { type: 'CAROUSEL' }),
			expect.stringContaining('components[1].type must be'),
		],
		['body of 1024', withComponents(body('b'.repeat(1024))), 'ok'],
		[
			'body of 1025',
			withComponents(body('b'.repeat(1025))),
			'body.text must be 1 to 1024 characters; it has 1025',
		],
		[
			'placeholders out of order',
			withComponents(body('a {{2}} b {{1}}', ['x', 'y'])),
			expect.stringContaining('numbered in order'),
		],
		[
			'a gap',
			withComponents(body('a {{1}} b {{3}}', ['x', 'y'])),
			expect.stringContaining('placeholder 2 is {{3}}'),
		],
		[
			'a repeat',
			withComponents(body('a {{1}} b {{1}}', ['x', 'y'])),
			expect.stringContaining('placeholder 2 is {{1}}'),
		],
		[
			'missing examples',
			withComponents(body('a {{1}} b {{2}}')),
			expect.stringContaining('needs as many example values'),
		],
		[
			'too few examples',
			withComponents(body('a {{1}} b {{2}}', ['x'])),
			expect.stringContaining('it has 1'),
		],
		[
			'empty example',
			withComponents(body('a {{1}}', [''])),
			expect.stringContaining('example values'),
		],
		[
			'mixed styles',
			withComponents(body('a {{1}} b {{name}}', ['x', 'y'])),
			expect.stringContaining('mixes the numbered placeholder {{1}} into a template with named'),
		],
		[
			'named placeholders with examples',
			withComponents({
				type: 'BODY',
				text: 'Hi {{first_name}}',
				example: { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] },
			}),
			'ok',
		],
		[
			'named placeholder without example',
			withComponents({
				type: 'BODY',
				text: 'Hi {{first_name}} {{last_name}}',
				example: { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] },
			}),
			expect.stringContaining('missing for {{last_name}}'),
		],
		[
			'named placeholder of 21',
			withComponents(body(`Hi {{${'a'.repeat(21)}}}`)),
			expect.stringContaining('names must be 1 to 20 lowercase'),
		],
		[
			'header text of 60',
			withComponents({ type: 'HEADER', format: 'TEXT', text: 'h'.repeat(60) }, body('b')),
			'ok',
		],
		[
			'header text of 61',
			withComponents({ type: 'HEADER', format: 'TEXT', text: 'h'.repeat(61) }, body('b')),
			'header.text must be 1 to 60 characters; it has 61',
		],
		[
			'header with 2 placeholders',
			withComponents(
				{
					type: 'HEADER',
					format: 'TEXT',
					text: '{{1}} {{2}}',
					example: { header_text: ['a', 'b'] },
				},
				body('b'),
			),
			'header.text may have at most 1 placeholder; it has 2',
		],
		[
			'header placeholder without example',
			withComponents({ type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' }, body('b')),
			expect.stringContaining('header.text has 1 placeholder'),
		],
		[
			'image header without sample',
			withComponents({ type: 'HEADER', format: 'IMAGE' }, body('b')),
			expect.stringContaining('header.example.header_handle must hold'),
		],
		[
			'image header with sample',
			withComponents(
				{ type: 'HEADER', format: 'image', example: { header_handle: ['4::abc'] } },
				body('b'),
			),
			'ok',
		],
		['location header', withComponents({ type: 'HEADER', format: 'LOCATION' }, body('b')), 'ok'],
		[
			'unknown header format',
			withComponents({ type: 'HEADER', format: 'GIFV' }, body('b')),
			expect.stringContaining('header.format must be one of'),
		],
		['footer of 60', withComponents(body('b'), { type: 'FOOTER', text: 'f'.repeat(60) }), 'ok'],
		[
			'footer of 61',
			withComponents(body('b'), { type: 'FOOTER', text: 'f'.repeat(61) }),
			'footer.text must be 1 to 60 characters; it has 61',
		],
		[
			'footer with a placeholder',
			withComponents(body('b'), { type: 'FOOTER', text: 'f {{1}}' }),
			'footer.text cannot contain placeholders',
		],
	])('%s', (_, input, expected) => {
		expect(outcome(input)).toEqual(expected);
	});

	test.each([
		[
			'10 quick replies',
			withButtons(...Array.from({ length: 10 }, (_, i) => quickReply(`Q${i}`))),
			'ok',
		],
		[
			'11 quick replies',
			withButtons(...Array.from({ length: 11 }, (_, i) => quickReply(`Q${i}`))),
			'buttons must be at most 10; there are 11',
		],
		[
			'10 mixed',
			withButtons(
				...Array.from({ length: 6 }, () => quickReply()),
				url('1'),
				url('2'),
				phone,
				copyCode,
			),
			'ok',
		],
		['2 URL', withButtons(url('1'), url('2')), 'ok'],
		[
			'3 URL',
			withButtons(url('1'), url('2'), url('3')),
			'buttons may have at most 2 URL buttons; there are 3',
		],
		[
			'2 phone',
			withButtons(phone, phone),
			'buttons may have at most 1 PHONE_NUMBER button; there are 2',
		],
		[
			'2 copy code',
			withButtons(copyCode, copyCode),
			'buttons may have at most 1 COPY_CODE button; there are 2',
		],
		['no buttons', withButtons(), expect.stringContaining('must list 1 to 10 buttons')],
		[
			'interleaved quick replies',
			withButtons(quickReply(), url(), quickReply()),
			expect.stringContaining('keep quick reply buttons together'),
		],
		['button text of 25', withButtons(quickReply('t'.repeat(25))), 'ok'],
		[
			'button text of 26',
			withButtons(quickReply('t'.repeat(26))),
			'buttons[0].text must be 1 to 25 characters; it has 26',
		],
		[
			'unknown button',
			withButtons({ type: 'CALL_ME', text: 'x' }),
			expect.stringContaining('buttons[0].type must be one of'),
		],
		[
			'URL not http',
			withButtons({ type: 'URL', text: 'Go', url: 'ftp://a.example' }),
			expect.stringContaining('must be an http(s) URL'),
		],
		[
			'URL placeholder in the middle',
			withButtons({
				type: 'URL',
				text: 'Go',
				url: 'https://a.example/{{1}}/x',
				example: ['https://a.example/1/x'],
			}),
			expect.stringContaining('one placeholder, {{1}}, at its very end'),
		],
		[
			'URL placeholder without example',
			withButtons({ type: 'URL', text: 'Go', url: 'https://a.example/{{1}}' }),
			expect.stringContaining('buttons[0].example must be a full example URL'),
		],
		[
			'URL placeholder with example',
			withButtons({
				type: 'URL',
				text: 'Go',
				url: 'https://a.example/{{1}}',
				example: ['https://a.example/1'],
			}),
			'ok',
		],
		['copy code example of 15', withButtons({ type: 'COPY_CODE', example: 'C'.repeat(15) }), 'ok'],
		[
			'copy code example of 16',
			withButtons({ type: 'COPY_CODE', example: 'C'.repeat(16) }),
			'buttons[0].example must be 1 to 15 characters; it has 16',
		],
		['phone of 20', withButtons({ ...phone, phone_number: '+' + '1'.repeat(19) }), 'ok'],
		[
			'phone of 21',
			withButtons({ ...phone, phone_number: '+' + '1'.repeat(20) }),
			'buttons[0].phone_number must be 1 to 20 characters; it has 21',
		],
		[
			'flow without flow',
			withButtons({ type: 'FLOW', text: 'Go' }),
			'buttons[0] needs flow_id, flow_name or flow_json',
		],
		[
			'OTP outside authentication',
			withButtons({ type: 'OTP', otp_type: 'COPY_CODE' }),
			expect.stringContaining('only use OTP buttons in AUTHENTICATION'),
		],
	])('buttons: %s', (_, input, expected) => {
		expect(outcome(input)).toEqual(expected);
	});

	test('authentication templates: preset body, one OTP button, expiry 1-90 minutes', () => {
		const auth = (
			footer: unknown,
			buttons: unknown[] = [{ type: 'OTP', otp_type: 'COPY_CODE' }],
		) => ({
			name: 'login_code',
			language: 'en_US',
			category: 'AUTHENTICATION',
			components: [
				{ type: 'BODY', add_security_recommendation: true },
				...(footer ? [footer] : []),
				{ type: 'BUTTONS', buttons },
			],
		});
		expect(outcome(auth({ type: 'FOOTER', code_expiration_minutes: 90 }))).toBe('ok');
		expect(outcome(auth({ type: 'FOOTER', code_expiration_minutes: 91 }))).toContain('1 to 90');
		expect(outcome(auth(null, [quickReply()]))).toContain('exactly one OTP button');
		expect(
			outcome({ ...auth(null), components: [{ type: 'BODY', text: 'Code {{1}}' }] }),
		).toContain('must be left out');
	});

	test('declared parameter_format must be POSITIONAL or NAMED', () => {
		expect(outcome({ ...base(), parameter_format: 'BOTH' })).toContain(
			'parameter_format must be POSITIONAL or NAMED',
		);
	});

	test('non-objects are refused, never crash', () => {
		for (const input of [null, undefined, 1, 'x', [], { components: 'x' }]) {
			expect(() => validateTemplateCreate(input)).toThrow(PayloadError);
		}
	});
});
