/**
 * `withFastParameters` must answer exactly what n8n's own `getNodeParameter` answers. A probe node
 * reads the same parameters both ways, for every item, inside n8n-core's real execution; random
 * items and parameter values come from fast-check.
 */
import fc from 'fast-check';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { withFastParameters } from '../../nodes/WhatsAppCloud/actions/parameters';
import { runNode } from './harness';

const PARAMETERS = ['first', 'second', 'third', 'options', 'sender'] as const;

type Answer = { value: unknown } | { error: string };

function answer(read: () => unknown): Answer {
	try {
		return { value: read() };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

class ParameterProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Parameter Probe',
		name: 'parameterProbe',
		group: ['transform'],
		version: 1,
		description: 'Reads its parameters through n8n and through withFastParameters',
		defaults: { name: 'Parameter Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'First', name: 'first', type: 'string', default: '' },
			{ displayName: 'Second', name: 'second', type: 'string', default: '' },
			{ displayName: 'Third', name: 'third', type: 'number', default: 0 },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				default: {},
				options: [
					{ displayName: 'Note', name: 'note', type: 'string', default: '' },
					{ displayName: 'Flag', name: 'flag', type: 'boolean', default: false },
				],
			},
			{
				displayName: 'Sender',
				name: 'sender',
				type: 'resourceLocator',
				default: { mode: 'id', value: '' },
				modes: [{ displayName: 'ID', name: 'id', type: 'string' }],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let evaluations = 0;
		const counted = Object.create(this, {
			getNodeParameter: {
				value: (...args: Parameters<IExecuteFunctions['getNodeParameter']>) => {
					evaluations++;
					return this.getNodeParameter(...args);
				},
			},
		}) as IExecuteFunctions;
		const fast = withFastParameters(counted);
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			for (const name of PARAMETERS) {
				const options = name === 'sender' ? { extractValue: true } : undefined;
				const viaN8n = answer(() => this.getNodeParameter(name, itemIndex, undefined, options));
				const viaFast = answer(() => fast.getNodeParameter(name, itemIndex, undefined, options));
				// An object handed out twice is a fresh copy each time, unless n8n itself shares it
				// (`={{ $json }}` is the input item itself).
				const isShared = (read: () => unknown) => {
					const first = read();
					return typeof first === 'object' && first !== null && first === read();
				};
				const read = (via: IExecuteFunctions) => () =>
					via.getNodeParameter(name, itemIndex, undefined, options);
				const shared = 'value' in viaFast && isShared(read(fast)) && !isShared(read(this));
				output.push({ json: { itemIndex, name, viaN8n, viaFast, shared } as never });
			}
		}
		output.push({ json: { evaluationsByN8n: evaluations } });
		return [output];
	}
}

// Names n8n's sandbox refuses or treats specially are among them: the shortcut must leave those to n8n.
const fieldName = fc.oneof(
	{
		weight: 4,
		arbitrary: fc.constantFrom('to', 'text', 'first name', 'a.b', 'nested', 'list', 'n'),
	},
	{
		weight: 1,
		arbitrary: fc.constantFrom(
			'constructor',
			'constructorId',
			'caller',
			'arguments',
			'prototype',
			'$',
			'class',
			'length',
		),
	},
);
const scalar = fc.oneof(
	fc.string({ maxLength: 12 }),
	fc.constantFrom('', '={{ 1 + 1 }}', '{{ $json.to }}', '  padded  '),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
);
const itemJson = fc.dictionary(
	fieldName,
	fc.oneof(
		scalar,
		fc.dictionary(fieldName, scalar, { maxKeys: 3 }),
		fc.array(scalar, { maxLength: 2 }),
	),
	{ maxKeys: 6 },
);
const access = fieldName.map((name) => (/^[\w$]+$/.test(name) ? `.${name}` : `["${name}"]`));
const expression = fc.oneof(
	fc.array(access, { minLength: 1, maxLength: 3 }).map((path) => `={{ $json${path.join('')} }}`),
	access.map((path) => `={{$json${path}}}`),
	access.map((path) => `=Dear {{ $json${path} }}`),
	access.map((path) => `={{ $json${path} }} `),
	access.map((path) => `={{ String($json${path}) }}`),
	fc.constantFrom('={{ $json }}', '={{ $itemIndex }}', '=static via expression', '={{ 2 * 21 }}'),
	fc.string({ maxLength: 12 }).filter((text) => !text.startsWith('=')),
);
const parameters = fc.record({
	first: expression,
	second: expression,
	third: fc.oneof(fc.integer(), expression),
	options: fc.oneof(
		fc.record({ note: expression }),
		fc.record({ note: fc.string({ maxLength: 8 }), flag: fc.boolean() }),
		fc.constant({}),
	),
	sender: fc.oneof(
		fc.record({ __rl: fc.constant(true), mode: fc.constant('id'), value: expression }),
		fc.record({
			__rl: fc.constant(true),
			mode: fc.constant('id'),
			value: fc.constant('106540352242922'),
		}),
	),
});

describe('withFastParameters', () => {
	it('answers what n8n answers, for any item and parameter', async () => {
		await fc.assert(
			fc.asyncProperty(
				parameters,
				fc.array(itemJson, { minLength: 1, maxLength: 8 }),
				async (values, items) => {
					const { outputs, error } = await runNode({
						node: new ParameterProbe(),
						parameters: values as unknown as INodeParameters,
						items: items.map((json) => ({ json })),
					});
					expect(error).toBeUndefined();
					expect(outputs[0]).toHaveLength(items.length * PARAMETERS.length + 1);
					for (const { json } of outputs[0].slice(0, -1)) {
						expect({ at: [json.itemIndex, json.name], answer: json.viaFast }).toEqual({
							at: [json.itemIndex, json.name],
							answer: json.viaN8n,
						});
						expect(json.shared).toBe(false);
					}
				},
			),
			{ numRuns: 200 },
		);
	});

	it('takes field reads and static values past the expression engine', async () => {
		const { outputs } = await runNode({
			node: new ParameterProbe(),
			parameters: {
				first: '={{ $json.to }}',
				second: '={{ $json.customer["first name"] }}',
				third: 7,
				options: { note: 'fixed', flag: true },
				sender: { __rl: true, mode: 'id', value: '106540352242922' },
			},
			items: [
				{ json: { to: '4915100000001', customer: { 'first name': 'Ada' } } },
				{ json: { to: 4915100000002, customer: { 'first name': 'Grace' } } },
			],
		});
		const values = outputs[0]
			.slice(0, -1)
			.map(({ json }) => [json.name, (json.viaFast as { value: unknown }).value]);
		expect(values).toEqual([
			['first', '4915100000001'],
			['second', 'Ada'],
			['third', 7],
			['options', { note: 'fixed', flag: true }],
			['sender', '106540352242922'],
			['first', 4915100000002],
			['second', 'Grace'],
			['third', 7],
			['options', { note: 'fixed', flag: true }],
			['sender', '106540352242922'],
		]);
		// Per item the probe reads each parameter three times (the comparison, then the copy
		// check twice): n8n evaluated only the three static parameters, once each.
		expect(outputs[0].at(-1)?.json).toEqual({ evaluationsByN8n: 3 });
	});
});
