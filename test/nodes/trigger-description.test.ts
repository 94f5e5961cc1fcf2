/** Static checks on the trigger's description that the community lint cannot see (computed lists). */
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { WhatsAppCloudTrigger } from '../../nodes/WhatsAppCloud/WhatsAppCloudTrigger.node';

const { description, webhookMethods } = new WhatsAppCloudTrigger();

function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => [
		property,
		...(property.type === 'collection'
			? allProperties((property.options ?? []) as INodeProperties[])
			: []),
	]);
}

const properties = allProperties(description.properties);

describe('WhatsApp Cloud API Trigger description', () => {
	it('answers GET and POST on one path', () => {
		const webhooks = description.webhooks ?? [];
		expect(webhooks.map((w) => [w.name, w.httpMethod, w.path, w.responseMode])).toEqual([
			['setup', 'GET', 'webhook', 'onReceived'],
			['default', 'POST', 'webhook', 'onReceived'],
		]);
	});

	it('implements the complete webhook lifecycle', () => {
		expect(Object.keys(webhookMethods.default).sort()).toEqual(['checkExists', 'create', 'delete']);
	});

	it('is a trigger with the package names', () => {
		expect(description).toMatchObject({
			name: 'whatsAppCloudTrigger',
			displayName: 'WhatsApp Cloud API Trigger',
			group: ['trigger'],
			inputs: [],
			credentials: [{ name: 'whatsAppCloudApi', required: true }],
			icon: { light: 'file:whatsAppCloud.svg', dark: 'file:whatsAppCloud.dark.svg' },
		});
	});

	it.each(
		properties
			.filter((p) => p.type === 'options' || p.type === 'multiOptions')
			.map((p) => [p.name, p.options as INodePropertyOptions[]]),
	)('options of %s are sorted by name', (_name, options) => {
		const names = options.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});

	it('collection items are sorted by display name', () => {
		for (const property of properties.filter((p) => p.type === 'collection')) {
			const names = ((property.options ?? []) as INodePropertyCollection[]).map(
				(o) => o.displayName,
			);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		}
	});

	it.each(properties.filter((p) => p.type === 'boolean').map((p) => [p.name, p.description]))(
		'boolean %s is described "Whether …"',
		(_name, text) => {
			expect(text).toMatch(/^Whether /);
		},
	);

	it('emits every event kind by default', () => {
		const events = description.properties.find((p) => p.name === 'events');
		expect([...(events?.default as string[])].sort()).toEqual([
			'call',
			'error',
			'field',
			'message',
			'status',
		]);
	});

	it('Scope defaults to App, so workflows saved before scopes existed register as before', () => {
		const scope = description.properties.find((p) => p.name === 'scope');
		expect(scope?.default).toBe('app');
		expect(scope?.displayOptions?.show).toEqual({ registration: ['automatic'] });
		const subscribeFields = description.properties.find((p) => p.name === 'subscribeFields');
		expect(subscribeFields?.displayOptions?.show).toEqual({
			registration: ['automatic'],
			scope: ['app'],
		});
	});

	it('the per-trigger Verify Token is a secret', () => {
		const verifyToken = properties.find((p) => p.name === 'verifyToken');
		expect(verifyToken?.typeOptions?.password).toBe(true);
	});
});
