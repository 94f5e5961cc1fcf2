import {
	appAccessToken,
	appSubscriptionPointsAt,
	wabaHasApp,
	whatsAppSubscription,
} from '../../nodes/WhatsAppCloud/helpers/webhook/registration';

const URL_A = 'https://n8n.example.com/webhook/abc/webhook';
const list = (...data: unknown[]) => ({ data });
const sub = (callback_url: string, fields = ['messages'], active = true) => ({
	object: 'whatsapp_business_account',
	callback_url,
	active,
	fields: fields.map((name) => ({ name, version: 'v26.0' })),
});

describe('whatsAppSubscription', () => {
	it.each([
		[
			'finds the whatsapp_business_account entry',
			list({ object: 'page', callback_url: 'x' }, sub(URL_A)),
			URL_A,
		],
		['none', list({ object: 'page' }), undefined],
		['empty', list(), undefined],
		['not a list', { data: 'x' }, undefined],
		['null', null, undefined],
	])('%s', (_name, response, url) => {
		expect(whatsAppSubscription(response)?.callback_url).toBe(url);
	});
});

describe('appSubscriptionPointsAt', () => {
	it.each([
		['same URL, fields covered', sub(URL_A, ['messages', 'account_update']), ['messages'], true],
		['same URL, a field missing', sub(URL_A, ['messages']), ['messages', 'account_update'], false],
		['another URL', sub('https://other.example.com/hook'), ['messages'], false],
		['inactive', sub(URL_A, ['messages'], false), ['messages'], false],
		['no subscription', undefined, ['messages'], false],
	])('%s', (_name, subscription, fields, expected) => {
		expect(appSubscriptionPointsAt(subscription, URL_A, fields)).toBe(expected);
	});
});

describe('wabaHasApp', () => {
	it.each([
		['listed', list({ whatsapp_business_api_data: { id: '123', name: 'App' } }), true],
		['numeric id', list({ whatsapp_business_api_data: { id: 123 } }), true],
		['another app', list({ whatsapp_business_api_data: { id: '999' } }), false],
		['empty', list(), false],
		['garbage', 'nope', false],
	])('%s', (_name, response, expected) => {
		expect(wabaHasApp(response, '123')).toBe(expected);
	});
});

it('appAccessToken is {app-id}|{app-secret}', () => {
	expect(appAccessToken('123', 'secret')).toBe('123|secret');
});
