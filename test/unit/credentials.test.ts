import * as path from 'path';

import { WhatsAppCloudApi } from '../../credentials/WhatsAppCloudApi.credentials';
import { DEFAULT_GRAPH_API_VERSION } from '../../nodes/WhatsAppCloud/helpers/constants';

const credential = new WhatsAppCloudApi();
const property = (name: string) => credential.properties.find((p) => p.name === name);

describe('WhatsApp Cloud API credential', () => {
	test('has the fields both nodes rely on, secrets masked', () => {
		expect(credential.name).toBe('whatsAppCloudApi');
		expect(credential.properties.map((p) => p.name).sort()).toEqual(
			[
				'accessToken',
				'apiVersion',
				'appId',
				'appSecret',
				'baseUrl',
				'businessAccountId',
				'flowPrivateKey',
				'flowPrivateKeyPassphrase',
				'verifyToken',
			].sort(),
		);
		for (const secret of [
			'accessToken',
			'appSecret',
			'verifyToken',
			'flowPrivateKey',
			'flowPrivateKeyPassphrase',
		]) {
			expect(property(secret)?.typeOptions?.password).toBe(true);
		}
		expect(property('accessToken')?.required).toBe(true);
		expect(property('apiVersion')?.default).toBe(DEFAULT_GRAPH_API_VERSION);
		expect(DEFAULT_GRAPH_API_VERSION).toBe('v26.0');
		expect(property('baseUrl')?.default).toBe('https://graph.facebook.com');
		expect(credential.documentationUrl).toMatch(/^https:\/\/developers\.facebook\.com\//);
		expect(credential.icon).toEqual({
			light: 'file:../nodes/WhatsAppCloud/whatsAppCloud.svg',
			dark: 'file:../nodes/WhatsAppCloud/whatsAppCloud.dark.svg',
		});
	});

	test('authenticate adds the token as a Bearer header and keeps the request', async () => {
		const request = await credential.authenticate(
			{ accessToken: 'EAAG-token' },
			{ url: '/me', method: 'GET', headers: { 'X-Other': '1' }, qs: { fields: 'id' } },
		);
		expect(request).toEqual({
			url: '/me',
			method: 'GET',
			headers: { 'X-Other': '1', Authorization: 'Bearer EAAG-token' },
			qs: { fields: 'id' },
		});
	});

	test('the credential test calls GET {baseUrl}/{version}/me and reads Meta’s error body', () => {
		expect(credential.test.request).toEqual({
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}/{{$credentials.apiVersion}}',
			url: '/me',
			qs: { fields: 'id,name' },
			ignoreHttpStatusErrors: true,
		});
		const rules = credential.test.rules ?? [];
		const tokenRule = rules.find(
			(rule) => rule.type === 'responseSuccessBody' && rule.properties.value === 190,
		);
		expect(tokenRule?.properties.message).toMatch(/Invalid OAuth access token.*190/);
	});

	test('the built file loads in Node and exposes the same credential', () => {
		// npm test builds before running jest; this is what n8n loads from the package.
		const built = require(
			path.join(__dirname, '../../dist/credentials/WhatsAppCloudApi.credentials.js'),
		);
		const instance = new built.WhatsAppCloudApi();
		expect(instance.name).toBe('whatsAppCloudApi');
		expect(instance.properties.map((p: { name: string }) => p.name)).toEqual(
			credential.properties.map((p) => p.name),
		);
	});
});
