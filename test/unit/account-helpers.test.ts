/**
 * Account helpers: business profile update, QR codes, conversational automation and block-user
 * batching — each Meta limit at its edge and one past it; a property test of the profile update
 * builder against the emulator (accepted, or a PayloadError, never a malformed request).
 */
import fc from 'fast-check';

import {
	buildConversationalAutomationUpdate,
	automationFromResponse,
	automationUpdateFromFields,
} from '../../nodes/WhatsAppCloud/helpers/account/automation';
import {
	BLOCK_USERS_PER_REQUEST_MAX,
	blockUsersBody,
	blockUsersResults,
	failedBatchResults,
	hasPerUserResults,
	planBlockUsers,
	usersFromParameter,
} from '../../nodes/WhatsAppCloud/helpers/account/blockUsers';
import {
	PROFILE_NO_VERTICAL,
	PROFILE_VERTICALS,
	buildBusinessProfileUpdate,
	profileFromResponse,
	profileUpdateFromFields,
} from '../../nodes/WhatsAppCloud/helpers/account/profile';
import {
	buildQrCodeCreate,
	buildQrCodeUpdate,
	qrCodeFields,
} from '../../nodes/WhatsAppCloud/helpers/account/qrCode';
import { graphErrorHint } from '../../nodes/WhatsAppCloud/helpers/graphError';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { assertAcceptedOrRefused, junk, refusal, textNear } from './support/builderProperty';

const text = (n: number) => 'a'.repeat(n);

describe('business profile update', () => {
	it('sends only the fields given, with messaging_product', () => {
		expect(
			buildBusinessProfileUpdate({
				about: 'Fresh coffee',
				websites: ['https://example.com'],
				vertical: 'RETAIL',
				profilePictureHandle: '4::aW1hZ2U=:ARZ',
			}),
		).toEqual({
			messaging_product: 'whatsapp',
			about: 'Fresh coffee',
			websites: ['https://example.com'],
			vertical: 'RETAIL',
			profile_picture_handle: '4::aW1hZ2U=:ARZ',
		});
	});

	it('empty strings and lists clear a field; about can never be empty', () => {
		expect(
			buildBusinessProfileUpdate({ address: '', email: '', websites: [], vertical: '' }),
		).toEqual({
			messaging_product: 'whatsapp',
			address: '',
			email: '',
			websites: [],
			vertical: '',
		});
		expect(refusal(() => buildBusinessProfileUpdate({ about: '' })).field).toBe('about');
		expect(refusal(() => buildBusinessProfileUpdate({})).field).toBe('profile');
	});

	it.each([
		['about', 139],
		['address', 256],
		['description', 512],
	] as const)('%s: %i characters pass, one more is refused', (field, max) => {
		expect(buildBusinessProfileUpdate({ [field]: text(max) })[field]).toHaveLength(max);
		expect(refusal(() => buildBusinessProfileUpdate({ [field]: text(max + 1) }))).toMatchObject({
			field,
			limit: `${field === 'about' ? '1 to ' : 'at most '}${max} characters`,
			actual: `${max + 1} characters`,
		});
	});

	it('email: 128 characters and a valid address', () => {
		const email = (n: number) => `${text(n - 12)}@example.com`;
		expect(buildBusinessProfileUpdate({ email: email(128) }).email).toHaveLength(128);
		expect(refusal(() => buildBusinessProfileUpdate({ email: email(129) })).field).toBe('email');
		expect(refusal(() => buildBusinessProfileUpdate({ email: 'shop at example' })).limit).toBe(
			'an email address',
		);
	});

	it('websites: 2 of at most 256 characters with http(s)', () => {
		const site = (n: number) => `https://x.example/${text(n - 18)}`;
		expect(
			buildBusinessProfileUpdate({ websites: [site(256), 'http://b.example'] }).websites,
		).toHaveLength(2);
		expect(
			refusal(() =>
				buildBusinessProfileUpdate({ websites: ['https://a.x', 'https://b.x', 'https://c.x'] }),
			),
		).toMatchObject({ field: 'websites', actual: '3 websites' });
		expect(refusal(() => buildBusinessProfileUpdate({ websites: [site(257)] })).field).toBe(
			'websites[0]',
		);
		expect(refusal(() => buildBusinessProfileUpdate({ websites: ['example.com'] })).field).toBe(
			'websites[0]',
		);
	});

	it("vertical: one of Meta's values", () => {
		for (const vertical of PROFILE_VERTICALS)
			expect(buildBusinessProfileUpdate({ vertical }).vertical).toBe(vertical);
		expect(refusal(() => buildBusinessProfileUpdate({ vertical: 'SHOES' as never })).field).toBe(
			'vertical',
		);
	});

	it('reads the first profile of a Graph answer', () => {
		expect(profileFromResponse({ data: [{ about: 'x', messaging_product: 'whatsapp' }] })).toEqual({
			about: 'x',
			messaging_product: 'whatsapp',
		});
		expect(profileFromResponse({})).toEqual({});
	});
});

describe('QR codes', () => {
	it('prefilled message: 140 characters pass, 141 are refused; formats PNG and SVG', () => {
		expect(buildQrCodeCreate({ prefilledMessage: text(140), imageFormat: 'PNG' })).toEqual({
			prefilled_message: text(140),
			generate_qr_image: 'PNG',
		});
		expect(
			buildQrCodeCreate({ prefilledMessage: 'Hi', imageFormat: 'svg' as never }).generate_qr_image,
		).toBe('SVG');
		expect(
			refusal(() => buildQrCodeCreate({ prefilledMessage: text(141), imageFormat: 'PNG' })),
		).toMatchObject({
			field: 'prefilledMessage',
			actual: '141 characters',
		});
		expect(
			refusal(() => buildQrCodeCreate({ prefilledMessage: 'Hi', imageFormat: 'GIF' as never }))
				.field,
		).toBe('imageFormat');
		expect(
			refusal(() => buildQrCodeCreate({ prefilledMessage: '', imageFormat: 'PNG' })).field,
		).toBe('prefilledMessage');
	});

	it('update names the code; fields ask for the image in a format', () => {
		expect(buildQrCodeUpdate({ code: 'ANOVZ6RINRD7G1', prefilledMessage: 'New' })).toEqual({
			code: 'ANOVZ6RINRD7G1',
			prefilled_message: 'New',
		});
		expect(refusal(() => buildQrCodeUpdate({ code: '../x', prefilledMessage: 'New' })).field).toBe(
			'code',
		);
		expect(qrCodeFields('SVG')).toBe(
			'code,prefilled_message,deep_link_url,qr_image_url.format(SVG)',
		);
		expect(qrCodeFields()).toBe('code,prefilled_message,deep_link_url');
	});
});

describe('conversational automation', () => {
	const cmd = (name: string, description = 'd') => ({ name, description });

	it("builds Meta's body; empty lists remove ice breakers or commands", () => {
		expect(
			buildConversationalAutomationUpdate({
				enableWelcomeMessage: true,
				prompts: ['Plan a trip'],
				commands: [cmd('tickets', 'Book flight tickets')],
			}),
		).toEqual({
			enable_welcome_message: true,
			prompts: ['Plan a trip'],
			commands: [{ command_name: 'tickets', command_description: 'Book flight tickets' }],
		});
		expect(buildConversationalAutomationUpdate({ prompts: [], commands: [] })).toEqual({
			prompts: [],
			commands: [],
		});
		expect(refusal(() => buildConversationalAutomationUpdate({})).field).toBe(
			'conversationalAutomation',
		);
	});

	it('4 ice breakers of 80 characters pass; a 5th, an 81st character or an emoji is refused', () => {
		expect(() =>
			buildConversationalAutomationUpdate({ prompts: [text(80), 'b', 'c', 'd'] }),
		).not.toThrow();
		expect(
			refusal(() => buildConversationalAutomationUpdate({ prompts: ['a', 'b', 'c', 'd', 'e'] })),
		).toMatchObject({
			field: 'prompts',
			actual: '5 ice breakers',
		});
		expect(refusal(() => buildConversationalAutomationUpdate({ prompts: [text(81)] })).field).toBe(
			'prompts[0]',
		);
		expect(refusal(() => buildConversationalAutomationUpdate({ prompts: ['Hi 👋'] })).limit).toBe(
			'no emoji',
		);
		expect(refusal(() => buildConversationalAutomationUpdate({ prompts: ['a', 'a'] })).field).toBe(
			'prompts[1]',
		);
	});

	it('30 commands, names of 32 and descriptions of 256 pass; one more is refused', () => {
		const many = (n: number) => Array.from({ length: n }, (_, i) => cmd(`c${i}`));
		expect(() => buildConversationalAutomationUpdate({ commands: many(30) })).not.toThrow();
		expect(refusal(() => buildConversationalAutomationUpdate({ commands: many(31) })).field).toBe(
			'commands',
		);
		expect(() =>
			buildConversationalAutomationUpdate({ commands: [cmd(text(32), text(256))] }),
		).not.toThrow();
		expect(
			refusal(() => buildConversationalAutomationUpdate({ commands: [cmd(text(33))] })).field,
		).toBe('commands[0].name');
		expect(
			refusal(() => buildConversationalAutomationUpdate({ commands: [cmd('a', text(257))] })).field,
		).toBe('commands[0].description');
		expect(
			refusal(() => buildConversationalAutomationUpdate({ commands: [cmd('/help')] })).field,
		).toBe('commands[0].name');
		expect(
			refusal(() => buildConversationalAutomationUpdate({ commands: [cmd('a'), cmd('a')] })).field,
		).toBe('commands[1].name');
	});

	it('reads the automation object of a phone number answer', () => {
		expect(
			automationFromResponse({ conversational_automation: { prompts: ['x'] }, id: '1' }),
		).toEqual({
			prompts: ['x'],
		});
		expect(automationFromResponse({ id: '1' })).toEqual({});
	});
});

describe('block users batching', () => {
	it('normalizes phones to +digits and BSUIDs to user_id, merges repeats, keeps positions', () => {
		const plan = planBlockUsers(['+1 (650) 555-1234', '16505551234', 'US.13491208655302741918']);
		expect(plan.targets).toEqual([
			{
				input: '+1 (650) 555-1234',
				sent: '+16505551234',
				entry: { user: '+16505551234' },
				inputIndexes: [0, 1],
			},
			{
				input: 'US.13491208655302741918',
				sent: 'US.13491208655302741918',
				entry: { user_id: 'US.13491208655302741918' },
				inputIndexes: [2],
			},
		]);
		expect(blockUsersBody(plan.batches[0])).toEqual({
			messaging_product: 'whatsapp',
			block_users: [{ user: '+16505551234' }, { user_id: 'US.13491208655302741918' }],
		});
	});

	it('1,000 users make one request, 1,001 make two', () => {
		const users = (n: number) =>
			Array.from({ length: n }, (_, i) => `1650${String(i).padStart(7, '0')}`);
		expect(planBlockUsers(users(BLOCK_USERS_PER_REQUEST_MAX)).batches.map((b) => b.length)).toEqual(
			[1000],
		);
		expect(
			planBlockUsers(users(BLOCK_USERS_PER_REQUEST_MAX + 1)).batches.map((b) => b.length),
		).toEqual([1000, 1]);
	});

	it('a bad user fails naming its position; an empty list fails', () => {
		expect(refusal(() => planBlockUsers(['16505551234', 'not a phone']))).toMatchObject({
			field: 'users[1]',
		});
		expect(refusal(() => planBlockUsers([])).field).toBe('users');
	});

	it("maps Meta's added and failed lists back to each user", () => {
		const plan = planBlockUsers(['16505551234', '16505550000', '16505559999']);
		const results = blockUsersResults('block', plan.batches[0], {
			messaging_product: 'whatsapp',
			block_users: {
				added_users: [{ input: '+16505551234', wa_id: '16505551234' }],
				failed_users: [
					{
						input: '+16505550000',
						wa_id: '16505550000',
						errors: [
							{
								message: 'Re-engagement required',
								code: 131047,
								error_data: { details: 'User has not messaged' },
							},
						],
					},
				],
			},
			error: { code: 139100 },
		});
		expect(results).toEqual([
			{ input: '16505551234', action: 'block', ok: true, waId: '16505551234', inputIndexes: [0] },
			{
				input: '16505550000',
				action: 'block',
				ok: false,
				waId: '16505550000',
				error: {
					code: 131047,
					message: 'Re-engagement required',
					details: 'User has not messaged',
				},
				inputIndexes: [1],
			},
			{
				input: '16505559999',
				action: 'block',
				ok: false,
				error: { code: null, message: 'Meta reported no result for this user' },
				inputIndexes: [2],
			},
		]);
		expect(hasPerUserResults({ block_users: {} })).toBe(true);
		expect(hasPerUserResults({ error: {} })).toBe(false);
		expect(failedBatchResults('unblock', plan.batches[0], { code: 130429 })[2]).toEqual({
			input: '16505559999',
			action: 'unblock',
			ok: false,
			error: { code: 130429 },
			inputIndexes: [2],
		});
	});
});

// ── Property: the profile update builder against the emulator ───────────────────────────────────

const maybe = <T>(arb: fc.Arbitrary<T>) =>
	fc.option(
		fc.oneof(
			{ weight: 10, arbitrary: arb },
			{ weight: 1, arbitrary: junk as fc.Arbitrary<unknown> },
		),
		{
			nil: undefined,
			freq: 3,
		},
	);
const email = fc.oneof(
	{ weight: 6, arbitrary: fc.emailAddress() },
	{
		weight: 1,
		arbitrary: fc.constantFrom('', 'no-at-sign', 'a@b', `${'x'.repeat(120)}@example.com`),
	},
);
const website = fc.oneof(
	{ weight: 6, arbitrary: fc.webUrl({ validSchemes: ['https', 'http'] }) },
	{
		weight: 1,
		arbitrary: fc.constantFrom(
			'example.com',
			'ftp://x.example',
			`https://x.example/${'p'.repeat(240)}`,
		),
	},
);
const profileInput = fc.record(
	{
		about: maybe(textNear(139)),
		address: maybe(textNear(256)),
		description: maybe(textNear(512)),
		email: maybe(email),
		websites: maybe(fc.array(website, { maxLength: 3 })),
		vertical: maybe(
			fc.oneof(fc.constantFrom(...PROFILE_VERTICALS, ''), fc.constantFrom('SHOES', 'retail')),
		),
	},
	{ requiredKeys: [] },
);

describe('property: business profile update builder', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ port: 0 });
	});
	afterAll(() => emu.stop());

	it('returns a body the emulator accepts, or a PayloadError', async () => {
		await assertAcceptedOrRefused({
			arbitrary: profileInput,
			build: (input) => buildBusinessProfileUpdate(input as never),
			url: `${emu.baseUrl}/${emu.config.apiVersion}/${emu.config.phoneNumberIds[0]}/whatsapp_business_profile`,
			token: emu.config.token,
		});
	}, 60_000);
});

describe('hints for the block list and calling codes', () => {
	it.each([
		[139100, 'each user result'],
		[139101, '64,000'],
		[139102, 'first page'],
		[138006, 'call permission request'],
	])('%i', (code, words) => {
		expect(graphErrorHint(code)).toContain(words);
	});
});

// ── Property: from the node's parameters to the requests ────────────────────────────────────────

/** The Update Fields collection as n8n hands it over: websites as a list or as typed text. */
const profileFields = fc.record(
	{
		about: maybe(textNear(139)),
		address: maybe(textNear(256)),
		description: maybe(textNear(512)),
		email: maybe(email),
		websites: maybe(
			fc.oneof(
				fc.array(website, { maxLength: 3 }),
				fc.array(website, { maxLength: 3 }).map((sites) => sites.join(', ')),
			),
		),
		vertical: maybe(fc.constantFrom(...PROFILE_VERTICALS, PROFILE_NO_VERTICAL, 'SHOES')),
	},
	{ requiredKeys: [] },
);

const automationFields = fc.record(
	{
		enableWelcomeMessage: maybe(fc.boolean()),
		iceBreakers: maybe(
			fc.oneof(
				fc.array(textNear(80), { maxLength: 5 }),
				fc.array(fc.stringMatching(/^[a-z?]{1,81}$/), { maxLength: 5 }).map((p) => p.join('\n')),
			),
		),
		commands: maybe(
			fc.oneof(
				fc
					.array(
						fc.record({
							name: fc.oneof(fc.stringMatching(/^[a-z]{1,33}$/), textNear(32)),
							description: textNear(256),
						}),
						{ maxLength: 31 },
					)
					.map((command) => ({ command })),
				fc.constant({}),
			),
		),
	},
	{ requiredKeys: [] },
);

describe('property: account updates from the node parameters', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ port: 0 });
	});
	afterAll(() => emu.stop());
	const url = (edge: string) =>
		`${emu.baseUrl}/${emu.config.apiVersion}/${emu.config.phoneNumberIds[0]}/${edge}`;

	it('business profile: a body the emulator accepts, or a PayloadError', async () => {
		await assertAcceptedOrRefused({
			arbitrary: profileFields,
			build: (fields) => buildBusinessProfileUpdate(profileUpdateFromFields(fields)),
			url: url('whatsapp_business_profile'),
			token: emu.config.token,
		});
	}, 60_000);

	it('conversational automation: a body the emulator accepts, or a PayloadError', async () => {
		await assertAcceptedOrRefused({
			arbitrary: automationFields,
			build: (fields) => buildConversationalAutomationUpdate(automationUpdateFromFields(fields)),
			url: url('conversational_automation'),
			token: emu.config.token,
		});
	}, 60_000);

	it('block users: any Users value is a plan of valid batches or a PayloadError', () => {
		const users = fc.oneof(
			fc
				.array(fc.oneof(fc.stringMatching(/^\+?[1-9][0-9 ]{6,16}$/), fc.string()), {
					maxLength: 20,
				})
				.map((list) => list.join(fc.sample(fc.constantFrom(',', '\n', ';'), 1)[0])),
			fc.array(fc.oneof(fc.integer({ min: 1_000_000, max: 99_999_999_999 }), fc.string())),
			junk,
		);
		fc.assert(
			fc.property(users, (value) => {
				let plan;
				try {
					plan = planBlockUsers(usersFromParameter(value), 'users');
				} catch (error) {
					expect(
						refusal(() => {
							throw error;
						}).field,
					).toMatch(/^users/);
					return;
				}
				for (const batch of plan.batches) {
					const body = blockUsersBody(batch);
					for (const entry of body.block_users) {
						if ('user' in entry) expect(entry.user).toMatch(/^\+\d{7,15}$/);
						else expect(entry.user_id).toMatch(/^[A-Z]{2}\./);
					}
				}
			}),
			{ numRuns: 300 },
		);
	});
});
