import {
	containsExpression,
	copyJson,
	fieldReadPath,
	locatorId,
	scalarAt,
} from '../../nodes/WhatsAppCloud/helpers/parameters';

describe('containsExpression', () => {
	it.each([
		['={{ $json.to }}', true],
		['=plain text', true],
		['plain', false],
		['', false],
		[42, false],
		[null, false],
		[{ __rl: true, mode: 'id', value: '123' }, false],
		[{ __rl: true, mode: 'id', value: '={{ $json.id }}' }, true],
		[{ values: [{ name: 'a' }, { name: '={{ 1 }}' }] }, true],
		[['a', 'b'], false],
	])('%j → %s', (value, expected) => {
		expect(containsExpression(value)).toBe(expected);
	});
});

describe('fieldReadPath', () => {
	it.each([
		['={{ $json.to }}', ['to']],
		['={{$json.to}}', ['to']],
		['={{  $json.customer.phone  }}', ['customer', 'phone']],
		['={{ $json["first name"] }}', ['first name']],
		["={{ $json['a.b'].c }}", ['a.b', 'c']],
		['={{ $json.$id }}', ['$id']],
	])('%s reads %j', (raw, path) => {
		expect(fieldReadPath(raw)).toEqual(path);
	});

	it.each([
		'{{ $json.to }}',
		'={{ $json.to }} ',
		'={{ $json }}',
		'={{ $json.to }}{{ $json.text }}',
		'=Hi {{ $json.name }}',
		'={{ $json.to.trim() }}',
		'={{ $json.to || "x" }}',
		'={{ $json[0] }}',
		'={{ $json[key] }}',
		'={{ $json["a\\"b"] }}',
		'={{ $json.1a }}',
		'={{ $node.Start.json.to }}',
		'={{ $("Start").item.json.to }}',
		'={{ $json?.to }}',
		// n8n's sandbox refuses these (a security error): the shortcut must not answer them.
		'={{ $json.constructor }}',
		'={{ $json.constructorId }}',
		'={{ $json.caller }}',
		'={{ $json["__proto__"] }}',
		'={{ $json.a.prototype }}',
		'={{ $json.$ }}',
	])('%s is not a plain field read', (raw) => {
		expect(fieldReadPath(raw)).toBeUndefined();
	});

	it('ignores values that are not strings', () => {
		expect(fieldReadPath(12)).toBeUndefined();
		expect(fieldReadPath({ value: '={{ $json.to }}' })).toBeUndefined();
	});
});

describe('scalarAt', () => {
	const json = {
		to: '4915100000001',
		count: 3,
		flag: false,
		empty: '',
		zero: 0,
		nested: { phone: '+49 151' },
		list: ['a'],
		nothing: null,
		infinite: Infinity,
		notANumber: NaN,
	};

	it('returns strings, finite numbers and booleans', () => {
		expect(scalarAt(json, ['to'])).toBe('4915100000001');
		expect(scalarAt(json, ['count'])).toBe(3);
		expect(scalarAt(json, ['flag'])).toBe(false);
		expect(scalarAt(json, ['empty'])).toBe('');
		expect(scalarAt(json, ['zero'])).toBe(0);
		expect(scalarAt(json, ['nested', 'phone'])).toBe('+49 151');
	});

	it('leaves everything else to n8n', () => {
		for (const path of [
			['missing'],
			['nested'],
			['list'],
			['nothing'],
			['infinite'],
			['notANumber'],
			['nothing', 'x'],
			['to', 'length'],
			['constructor'],
			['__proto__'],
			['nested', 'toString'],
		]) {
			expect(scalarAt(json, path)).toBeUndefined();
		}
		expect(scalarAt(undefined, ['to'])).toBeUndefined();
	});
});

describe('locatorId', () => {
	it.each([
		[{ __rl: true, mode: 'list', value: '201234567890123' }, '201234567890123'],
		[{ __rl: true, mode: 'id', value: ' 201234567890123 ' }, '201234567890123'],
		[{ __rl: true, mode: 'list', value: '' }, ''],
		[{ __rl: true, mode: 'id', value: 201234567890123 }, '201234567890123'],
		[{ __rl: true, mode: 'list' }, ''],
		['106540352242922', '106540352242922'],
		[undefined, ''],
		[null, ''],
		[['1'], ''],
		[{ __rl: true, mode: 'id', value: { nested: '1' } }, ''],
	])('%j → %j', (raw, expected) => {
		expect(locatorId(raw)).toBe(expected);
	});
});

describe('copyJson', () => {
	it('copies objects and arrays deeply', () => {
		const value = { a: [{ b: 1 }], c: 'x', d: null };
		const copy = copyJson(value);
		expect(copy).toEqual(value);
		copy.a[0].b = 2;
		expect(value.a[0].b).toBe(1);
	});
});

describe('the action node and the shortcut', () => {
	it('declares no validateType, which n8n applies after evaluating and the shortcut would skip', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { WhatsAppCloud } = require('../../nodes/WhatsAppCloud/WhatsAppCloud.node.ts') as {
			WhatsAppCloud: new () => { description: { properties: unknown[] } };
		};
		const withValidation: string[] = [];
		const visit = (value: unknown, path: string) => {
			if (Array.isArray(value)) value.forEach((entry, i) => visit(entry, `${path}[${i}]`));
			else if (value !== null && typeof value === 'object') {
				const record = value as Record<string, unknown>;
				if ('validateType' in record) withValidation.push(`${path} (${String(record.name)})`);
				for (const [key, entry] of Object.entries(record)) visit(entry, `${path}.${key}`);
			}
		};
		visit(new WhatsAppCloud().description.properties, 'properties');
		expect(withValidation).toEqual([]);
	});
});
