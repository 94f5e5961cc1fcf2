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
const voiceCall = (text = 'Call us') => ({ type: 'VOICE_CALL', text });

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
			withComponents(body('a'), { type: 'HOLOGRAM' }),
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
		['voice call with text of 25', withButtons(quickReply(), voiceCall('t'.repeat(25))), 'ok'],
		[
			'voice call with text of 26',
			withButtons(voiceCall('t'.repeat(26))),
			'buttons[0].text must be 1 to 25 characters; it has 26',
		],
		[
			'voice call without text',
			withButtons({ type: 'VOICE_CALL' }),
			'buttons[0].text must be text of 1 to 25 characters; it is missing',
		],
		[
			'2 voice call',
			withButtons(voiceCall(), voiceCall()),
			'buttons may have at most 1 VOICE_CALL button; there are 2',
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

describe('validateTemplateCreate: carousel, offer, catalog, multi-product, authentication', () => {
	const handle = { header_handle: ['4::aW1hZ2U=:ARZsample'] };
	const card = (over: Record<string, unknown> = {}, buttons: unknown[] = [quickReply('More')]) => ({
		components: [
			{ type: 'HEADER', format: 'IMAGE', example: handle },
			{ type: 'BODY', text: '{{1}} for {{2}}', example: { body_text: [['Aloe', '$9']] } },
			{ type: 'BUTTONS', buttons },
			...(over.extra ? [over.extra] : []),
		],
		...over,
	});
	const carousel = (cards: unknown[], extra: unknown[] = []) => ({
		name: 'picks',
		language: 'en_US',
		category: 'MARKETING',
		components: [body('Hi {{1}}', ['Ana']), { type: 'CAROUSEL', cards }, ...extra] as unknown[],
	});
	const cards = (n: number) => Array.from({ length: n }, () => card());

	test.each([
		['2 cards', carousel(cards(2)), 'ok'],
		['10 cards', carousel(cards(10)), 'ok'],
		['1 card', carousel(cards(1)), 'carousel.cards must be 2 to 10 cards; there are 1'],
		['11 cards', carousel(cards(11)), 'carousel.cards must be 2 to 10 cards; there are 11'],
		[
			'a UTILITY carousel',
			{ ...carousel(cards(2)), category: 'UTILITY' },
			'carousel is allowed only in MARKETING templates; this one is UTILITY',
		],
		[
			'a footer next to the carousel',
			carousel(cards(2), [{ type: 'FOOTER', text: 'x' }]),
			'components of a carousel template are a BODY and the CAROUSEL only; the FOOTER goes on the cards, if anywhere',
		],
		[
			'card body of 160',
			carousel([
				card(),
				{ components: [card().components[0], body('b'.repeat(160)), card().components[2]] },
			]),
			'ok',
		],
		[
			'card body of 161',
			carousel([
				card(),
				{ components: [card().components[0], body('b'.repeat(161)), card().components[2]] },
			]),
			'carousel.cards[1].body.text must be 1 to 160 characters; it has 161',
		],
		[
			'3 buttons on a card',
			carousel([card({}, [quickReply('a'), quickReply('b'), quickReply('c')]), card()]),
			'carousel.cards[0].buttons must be at most 2 per card; there are 3',
		],
		[
			'a copy code button on a card',
			carousel([card({}, [copyCode]), card()]),
			'carousel.cards[0].buttons[0].type must be QUICK_REPLY, URL, PHONE_NUMBER on a card; it is COPY_CODE',
		],
		[
			'different button types on card 1',
			carousel([card(), card({}, [url()])]),
			'carousel.cards[1] must have the same components and button types, in the same order, as card 0 (Meta requires identical cards)',
		],
		[
			'a text header on a card',
			carousel([
				{ components: [{ type: 'HEADER', format: 'TEXT', text: 'x' }, card().components[2]] },
				card(),
			]),
			'carousel.cards[0].header.format must be IMAGE or VIDEO (every card starts with a picture or a video); it is "TEXT"',
		],
		[
			'a card header without a sample',
			carousel([
				{ components: [{ type: 'HEADER', format: 'VIDEO' }, card().components[2]] },
				card(),
			]),
			expect.stringContaining(
				'carousel.cards[0].header.example.header_handle must hold the upload handle',
			),
		],
		[
			'card body placeholders without examples',
			carousel([
				{ components: [card().components[0], body('Only {{1}}'), card().components[2]] },
				card(),
			]),
			'carousel.cards[0].body.text has 1 placeholder and needs as many example values (Meta reviews them); it has 0',
		],
	])('carousel: %s', (_, input, expected) => {
		expect(outcome(input)).toEqual(expected);
	});

	const offer = (
		limited: Record<string, unknown> = { text: 'Ends soon', has_expiration: true },
		buttons: unknown[] = [copyCode, url()],
		extra: unknown[] = [],
	) => ({
		name: 'flash',
		language: 'en_US',
		category: 'MARKETING',
		components: [
			{ type: 'LIMITED_TIME_OFFER', limited_time_offer: limited },
			body('Use {{1}}', ['SAVE20']),
			{ type: 'BUTTONS', buttons },
			...extra,
		] as unknown[],
	});

	test.each([
		['a countdown offer', offer(), 'ok'],
		['offer text of 16', offer({ text: 'o'.repeat(16) }, [url()]), 'ok'],
		[
			'offer text of 17',
			offer({ text: 'o'.repeat(17) }, [url()]),
			'limited_time_offer.text must be 1 to 16 characters; it has 17',
		],
		[
			'expiration without a copy code first',
			offer(undefined, [url(), copyCode]),
			'buttons[0] must be a COPY_CODE button when the offer has an expiration (the code is copied before it runs out)',
		],
		[
			'no URL button',
			offer(undefined, [copyCode]),
			'buttons of a limited-time offer must include a URL button',
		],
		[
			'a quick reply',
			offer(undefined, [copyCode, url(), quickReply()]),
			'buttons of a limited-time offer are one URL button and, optionally, one COPY_CODE button',
		],
		[
			'a footer',
			offer(undefined, undefined, [{ type: 'FOOTER', text: 'x' }]),
			'footer is not allowed in limited-time offer templates',
		],
		[
			'a document header',
			offer(undefined, undefined, [{ type: 'HEADER', format: 'DOCUMENT', example: handle }]),
			'header.format of a limited-time offer must be IMAGE or VIDEO (or no header); it is "DOCUMENT"',
		],
		[
			'a body of 601',
			{
				...offer(),
				components: [offer().components[0], body('b'.repeat(601)), offer().components[2]],
			},
			'body.text must be 1 to 600 characters; it has 601',
		],
		[
			'UTILITY',
			{ ...offer(), category: 'UTILITY' },
			'limited_time_offer is allowed only in MARKETING templates; this one is UTILITY',
		],
	])('limited-time offer: %s', (_, input, expected) => {
		expect(outcome(input)).toEqual(expected);
	});

	const products = (
		button: unknown,
		header?: unknown,
		category = 'MARKETING',
		more: unknown[] = [],
	) => ({
		name: 'shop',
		language: 'en_US',
		category,
		components: [
			...(header ? [header] : []),
			body('Shop now'),
			{ type: 'BUTTONS', buttons: [button, ...more] },
		] as unknown[],
	});
	const textHeader = { type: 'HEADER', format: 'TEXT', text: 'New in' };

	test.each([
		['catalog', products({ type: 'CATALOG', text: 'View catalog' }), 'ok'],
		['multi-product', products({ type: 'MPM', text: 'View items' }, textHeader), 'ok'],
		[
			'catalog with a header',
			products({ type: 'CATALOG', text: 'View' }, textHeader),
			'header is not allowed in catalog templates: the thumbnail product is chosen when sending',
		],
		[
			'multi-product without a text header',
			products({ type: 'MPM', text: 'View' }),
			'header of a multi-product template must be a TEXT header',
		],
		[
			'catalog with another button',
			products({ type: 'CATALOG', text: 'View' }, undefined, 'MARKETING', [quickReply()]),
			'buttons of a CATALOG template must be exactly one button, the CATALOG button',
		],
		[
			'UTILITY catalog',
			products({ type: 'CATALOG', text: 'View' }, undefined, 'UTILITY'),
			'buttons may have a CATALOG button only in MARKETING templates; this one is UTILITY',
		],
		[
			'catalog label of 26',
			products({ type: 'CATALOG', text: 'v'.repeat(26) }),
			'buttons[0].text must be 1 to 25 characters; it has 26',
		],
	])('catalog and multi-product: %s', (_, input, expected) => {
		expect(outcome(input)).toEqual(expected);
	});

	const app = { package_name: 'com.example.shop', signature_hash: 'K8a/AINcGX7' };
	const auth = (
		button: Record<string, unknown>,
		ttl?: number,
		footer: unknown = { type: 'FOOTER', code_expiration_minutes: 5 },
	) => ({
		name: 'login_code',
		language: 'en_US',
		category: 'AUTHENTICATION',
		...(ttl !== undefined ? { message_send_ttl_seconds: ttl } : {}),
		components: [
			{ type: 'BODY', add_security_recommendation: true },
			footer,
			{ type: 'BUTTONS', buttons: [{ type: 'OTP', ...button }] },
		],
	});

	test.each([
		['copy code', auth({ otp_type: 'COPY_CODE', text: 'Copy code' }), 'ok'],
		[
			'one-tap',
			auth({ otp_type: 'ONE_TAP', autofill_text: 'Autofill', supported_apps: [app] }),
			'ok',
		],
		[
			'zero-tap',
			auth({ otp_type: 'ZERO_TAP', supported_apps: [app], zero_tap_terms_accepted: true }),
			'ok',
		],
		[
			'zero-tap without the terms',
			auth({ otp_type: 'ZERO_TAP', supported_apps: [app] }),
			"buttons[0].zero_tap_terms_accepted must be true: zero-tap needs you to accept Meta's zero-tap terms",
		],
		[
			'one-tap without apps',
			auth({ otp_type: 'ONE_TAP' }),
			'buttons[0].supported_apps must list 1 to 5 Android apps (package name and signature hash) for ONE_TAP buttons; it has missing',
		],
		['5 apps', auth({ otp_type: 'ONE_TAP', supported_apps: Array(5).fill(app) }), 'ok'],
		[
			'6 apps',
			auth({ otp_type: 'ONE_TAP', supported_apps: Array(6).fill(app) }),
			'buttons[0].supported_apps must list 1 to 5 Android apps (package name and signature hash) for ONE_TAP buttons; it has 6',
		],
		[
			'a signature hash of 10 characters',
			auth({ otp_type: 'ONE_TAP', supported_apps: [{ ...app, signature_hash: 'K8a/AINcGX' }] }),
			'buttons[0].supported_apps[0].signature_hash must be the 11-character hash of the app\'s signing key; it is "K8a/AINcGX"',
		],
		[
			'a package name that is not one',
			auth({ otp_type: 'ONE_TAP', supported_apps: [{ ...app, package_name: 'shop' }] }),
			'buttons[0].supported_apps[0].package_name must be an Android package name such as com.example.app',
		],
		[
			'a package name of 225',
			auth({
				otp_type: 'ONE_TAP',
				supported_apps: [{ ...app, package_name: `com.${'a'.repeat(221)}` }],
			}),
			'buttons[0].supported_apps[0].package_name must be 1 to 224 characters; it has 225',
		],
		[
			'apps on a copy code button',
			auth({ otp_type: 'COPY_CODE', supported_apps: [app] }),
			'buttons[0].supported_apps is for one-tap and zero-tap buttons only; a copy code button has none',
		],
		[
			'autofill text of 26',
			auth({ otp_type: 'ONE_TAP', autofill_text: 'a'.repeat(26), supported_apps: [app] }),
			'buttons[0].autofill_text must be 1 to 25 characters; it has 26',
		],
		['time-to-live 900', auth({ otp_type: 'COPY_CODE' }, 900), 'ok'],
		[
			'time-to-live 901',
			auth({ otp_type: 'COPY_CODE' }, 901),
			'message_send_ttl_seconds must be a whole number of seconds from 30 to 900 for AUTHENTICATION templates; it is 901',
		],
		[
			'a footer text',
			auth({ otp_type: 'COPY_CODE' }, undefined, { type: 'FOOTER', text: 'Expires soon' }),
			'footer.text must be left out of AUTHENTICATION templates (Meta presets it from code_expiration_minutes)',
		],
	])('authentication: %s', (_, input, expected) => {
		expect(outcome(input)).toEqual(expected);
	});

	test('time-to-live per category; kept in the definition', () => {
		expect(validateTemplateCreate({ ...base(), message_send_ttl_seconds: 43_200 })).toMatchObject({
			message_send_ttl_seconds: 43_200,
		});
		expect(outcome({ ...base(), message_send_ttl_seconds: 43_201 })).toBe(
			'message_send_ttl_seconds must be a whole number of seconds from 30 to 43200 for UTILITY templates; it is 43201',
		);
		expect(outcome({ ...base(), category: 'MARKETING', message_send_ttl_seconds: 3600 })).toBe(
			'message_send_ttl_seconds must be a whole number of seconds from 43200 to 2592000 for MARKETING templates (honoured by the Marketing Messages API only); it is 3600',
		);
	});
});
