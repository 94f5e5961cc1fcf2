/** Static checks on the action node's description that the community lint cannot see. */
import type { INodeProperties } from 'n8n-workflow';
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node';

const { description } = new WhatsAppCloud();

function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => {
		const nested =
			property.type === 'collection'
				? (property.options as INodeProperties[])
				: property.type === 'fixedCollection'
					? (property.options ?? []).flatMap((o) => ('values' in o ? o.values : []))
					: [];
		return [property, ...allProperties(nested ?? [])];
	});
}

describe('WhatsApp Cloud API description', () => {
	it('no single fixed collection defaults to an empty group (n8n 2.41 fails activation on it)', () => {
		const offenders = allProperties(description.properties)
			.filter((p) => p.type === 'fixedCollection' && !p.typeOptions?.multipleValues)
			.filter((p) =>
				Object.values((p.default ?? {}) as Record<string, unknown>).some(
					(value) => typeof value === 'object' && value !== null && Object.keys(value).length === 0,
				),
			)
			.map((p) => p.name);
		expect(offenders).toEqual([]);
	});

	it("offers Send and Wait the way n8n recognises it (webhooks + the operation's value)", () => {
		const webhooks = description.webhooks ?? [];
		expect(webhooks.map((w) => [w.httpMethod, w.path, w.restartWebhook])).toEqual([
			['GET', '={{ $nodeId }}', true],
			['POST', '={{ $nodeId }}', true],
		]);
		const messageOperations = description.properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === 'message',
		);
		expect((messageOperations?.options as Array<{ value: string }>).map((o) => o.value)).toContain(
			SEND_AND_WAIT_OPERATION,
		);
	});

	it("Business Account is optional and empty by default (the credential's), on the operations that need an account", () => {
		const fields = description.properties.filter((p) => p.name === 'businessAccountId');
		for (const field of fields) {
			expect(field.required).toBeFalsy();
			expect(field.default).toEqual({ mode: 'list', value: '' });
		}
		const shownFor = fields.map(
			(f) => `${f.displayOptions?.show?.resource?.[0]}:${f.displayOptions?.show?.operation?.[0]}`,
		);
		expect(shownFor.sort()).toEqual([
			// Create and List work on the account; the others' Flow pickers list its Flows.
			'flow:create',
			'flow:delete',
			'flow:deprecate',
			'flow:get',
			'flow:list',
			'flow:publish',
			'flow:update',
			'flow:updateJson',
			// Send and Wait's forms publish their Flow in the account.
			'message:sendAndWait',
			'message:sendTemplate',
			'phoneNumber:list',
			'template:create',
			'template:delete',
			'template:get',
			'template:list',
		]);
	});
});
