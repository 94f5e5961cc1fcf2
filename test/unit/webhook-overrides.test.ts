import { OVERRIDABLE_FIELDS as EMULATOR_OVERRIDABLE_FIELDS } from '../emulator';
import type { OverrideState } from '../../nodes/WhatsAppCloud/helpers/webhook/overrides';
import {
	OVERRIDABLE_FIELDS,
	OVERRIDE_CALLBACK_URI_MAX_LENGTH,
	deliveredVia,
	isOurs,
	mayUnsubscribeApp,
	overrideUrlProblem,
	parseBusinessAccountPage,
	parseBusinessAccountSubscription,
	parseNumberOverridePage,
	parseWebhookConfiguration,
	planActivation,
	planDeactivation,
} from '../../nodes/WhatsAppCloud/helpers/webhook/overrides';

const OURS = 'https://n8n.example.com/webhook/abc/webhook';
const OTHER = 'https://n8n.example.com/webhook/def/webhook';
const APP = '1398712045611027';
const appEntry = (id: string, override?: string) => ({
	whatsapp_business_api_data: { id, link: 'https://…', name: 'App' },
	...(override !== undefined ? { override_callback_uri: override } : {}),
});

describe('parseBusinessAccountSubscription', () => {
	it.each([
		['our app without override', { data: [appEntry(APP)] }, { appSubscribed: true }],
		[
			'our app with override',
			{ data: [appEntry('999'), appEntry(APP, OURS)] },
			{ appSubscribed: true, overrideUrl: OURS },
		],
		['an empty override is none', { data: [appEntry(APP, '')] }, { appSubscribed: true }],
		['only another app', { data: [appEntry('999', OTHER)] }, { appSubscribed: false }],
		[
			'numeric app id',
			{ data: [{ whatsapp_business_api_data: { id: Number(APP) } }] },
			{ appSubscribed: true },
		],
		['empty list', { data: [] }, { appSubscribed: false }],
		['garbage', { data: 'x' }, { appSubscribed: false }],
		['null', null, { appSubscribed: false }],
	])('%s', (_name, response, expected) => {
		expect(parseBusinessAccountSubscription(response, APP)).toEqual(expected);
	});
});

describe('parseWebhookConfiguration', () => {
	it.each([
		[
			'the whole chain',
			{
				webhook_configuration: {
					phone_number: OURS,
					whatsapp_business_account: OTHER,
					application: 'https://app.example.com/hook',
				},
				id: '1',
			},
			{ phoneNumber: OURS, businessAccount: OTHER, application: 'https://app.example.com/hook' },
		],
		[
			'keys absent when unset',
			{ webhook_configuration: { application: OTHER }, id: '1' },
			{ application: OTHER },
		],
		['no configuration', { id: '1' }, {}],
		['not an object', { webhook_configuration: 'x' }, {}],
	])('%s', (_name, response, expected) => {
		expect(parseWebhookConfiguration(response)).toEqual(expected);
	});
});

describe('parseBusinessAccountPage', () => {
	it('reads accounts and the next cursor only when a next page exists', () => {
		expect(
			parseBusinessAccountPage({
				data: [
					{ id: '1', name: 'One', currency: 'USD', timezone_id: '1', tasks: ['MANAGE'] },
					{ id: 2 },
					{ name: 'no id' },
					'junk',
				],
				paging: { cursors: { before: 'b', after: 'a' }, next: 'https://graph…?after=a' },
			}),
		).toEqual({
			accounts: [
				{ id: '1', name: 'One', currency: 'USD', timezoneId: '1', tasks: ['MANAGE'] },
				{ id: '2' },
			],
			after: 'a',
		});
		expect(
			parseBusinessAccountPage({ data: [{ id: '1' }], paging: { cursors: { after: 'a' } } }),
		).toEqual({ accounts: [{ id: '1' }] });
		expect(parseBusinessAccountPage(undefined)).toEqual({ accounts: [] });
	});
});

describe('isOurs', () => {
	it.each([
		[OURS, true],
		[OTHER, false],
		[`${OURS}/`, false],
		[OURS.toUpperCase(), false],
		['', false],
		[undefined, false],
	])('%s → %s', (registered, expected) => {
		expect(isOurs(registered, OURS)).toBe(expected);
	});
});

describe('planActivation', () => {
	const state = (scope: OverrideState['scope'], appSubscribed: boolean, currentUrl?: string) => ({
		scope,
		appSubscribed,
		currentUrl,
	});
	it.each<[string, OverrideState, ReturnType<typeof planActivation>]>([
		['WABA already ours', state('businessAccount', true, OURS), { action: 'keep' }],
		['number already ours', state('phoneNumber', true, OURS), { action: 'keep' }],
		[
			'WABA foreign',
			state('businessAccount', true, OTHER),
			{ action: 'refuse', currentUrl: OTHER },
		],
		['number foreign', state('phoneNumber', true, OTHER), { action: 'refuse', currentUrl: OTHER }],
		[
			'WABA free, app subscribed: the override POST alone',
			state('businessAccount', true),
			{ action: 'set', subscribeAppFirst: false, unsubscribeOnFailure: false },
		],
		[
			'WABA free, app not subscribed: the override POST subscribes it; undo on failure',
			state('businessAccount', false),
			{ action: 'set', subscribeAppFirst: false, unsubscribeOnFailure: true },
		],
		[
			'number free, app subscribed: never the bodyless POST (it would clear the WABA override)',
			state('phoneNumber', true),
			{ action: 'set', subscribeAppFirst: false, unsubscribeOnFailure: false },
		],
		[
			'number free, app not subscribed: subscribe first, undo on failure',
			state('phoneNumber', false),
			{ action: 'set', subscribeAppFirst: true, unsubscribeOnFailure: true },
		],
	])('%s', (_name, given, expected) => {
		expect(planActivation(given, OURS)).toEqual(expected);
	});
});

describe('planDeactivation', () => {
	it.each([
		[OURS, { action: 'remove' }],
		[OTHER, { action: 'leave', reason: 'foreign' }],
		[undefined, { action: 'leave', reason: 'absent' }],
		['', { action: 'leave', reason: 'absent' }],
	])('%s', (current, expected) => {
		expect(planDeactivation(current, OURS)).toEqual(expected);
	});
});

describe('overrideUrlProblem', () => {
	const prefix = 'https://n8n.example.com/webhook/';
	it.each([
		[OURS, undefined],
		['http://localhost:5678/webhook/x/webhook', undefined],
		[`${prefix}${'a'.repeat(OVERRIDE_CALLBACK_URI_MAX_LENGTH - prefix.length)}`, undefined],
		[
			`${prefix}${'a'.repeat(OVERRIDE_CALLBACK_URI_MAX_LENGTH - prefix.length + 1)}`,
			/201 characters long; Meta accepts at most 200/,
		],
		['', /empty/],
		['ftp://x', /not an http\(s\) URL/],
	])('%s', (url, expected) => {
		const problem = overrideUrlProblem(url);
		if (expected === undefined) expect(problem).toBeUndefined();
		else expect(problem).toMatch(expected);
	});
});

describe('deliveredVia', () => {
	const ids = { appId: 'app', wabaId: 'waba', phoneNumberId: 'phone' };
	it.each([
		['app', 'app'],
		['businessAccount', 'waba'],
		['phoneNumber', 'phone'],
	] as const)('%s → %s', (scope, id) => {
		expect(deliveredVia(scope, ids)).toEqual({ registration: scope, registrationId: id });
	});
});

it('the overridable fields are the ones the emulator routes through overrides', () => {
	expect([...OVERRIDABLE_FIELDS].sort()).toEqual([...EMULATOR_OVERRIDABLE_FIELDS].sort());
});

describe('parseNumberOverridePage and mayUnsubscribeApp', () => {
	it('keeps only numbers with their own override, and the cursor when a next page exists', () => {
		const page = parseNumberOverridePage({
			data: [
				{ id: '1', webhook_configuration: { phone_number: OURS, application: OTHER } },
				{ id: '2', webhook_configuration: { whatsapp_business_account: OTHER } },
				{ id: '3' },
				{ webhook_configuration: { phone_number: OTHER } },
			],
			paging: { cursors: { after: 'c' }, next: 'https://graph…' },
		});
		expect(page).toEqual({ overrides: [{ phoneNumberId: '1', url: OURS }], after: 'c' });
		expect(parseNumberOverridePage({ data: [] })).toEqual({ overrides: [] });
	});

	it.each([
		[{ phoneNumbers: [] }, true],
		[{ businessAccount: OTHER, phoneNumbers: [] }, false],
		[{ phoneNumbers: [{ phoneNumberId: '1', url: OURS }] }, false],
	])('%j → %s', (overrides, expected) => {
		expect(mayUnsubscribeApp(overrides)).toBe(expected);
	});
});
