import type { IExecuteFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

import {
	containsExpression,
	copyJson,
	fieldReadPath,
	isPlainParameterName,
	scalarAt,
} from '../helpers/parameters';

type GetNodeParameter = (
	name: string,
	itemIndex: number,
	fallbackValue?: unknown,
	options?: IGetNodeParameterOptions,
) => unknown;

/**
 * The execution context with a cheaper `getNodeParameter` for a broadcast's per-item reads. n8n
 * evaluates every parameter of every item through its expression engine (about a millisecond of
 * CPU each in n8n 2's default engine), which caps how fast one process can send. Two reads skip it
 * and give the same answer:
 * - a parameter without any expression is evaluated once and copied for the other items;
 * - `={{ $json.field }}` (a path of plain property reads) returns the input item's string,
 *   number or boolean directly.
 * Everything else — other expressions, a missing field, an object value, names n8n's sandbox
 * refuses — goes to n8n as before, so its errors and conversions stay n8n's own. (n8n's check after
 * evaluating, `validateType`, is declared by none of this node's parameters; a unit test keeps it so.)
 */
export function withFastParameters(context: IExecuteFunctions): IExecuteFunctions {
	const evaluate = context.getNodeParameter.bind(context) as GetNodeParameter;
	const parameters = context.getNode().parameters;
	const items = context.getInputData();
	const fieldPaths = new Map<string, string[] | undefined>();
	const onceEvaluated = new Map<string, unknown>();

	const getNodeParameter: GetNodeParameter = (name, itemIndex, fallbackValue, options) => {
		const raw = isPlainParameterName(name) ? parameters[name] : undefined;
		if (raw === undefined) return evaluate(name, itemIndex, fallbackValue, options);

		if (!containsExpression(raw)) {
			const key = options ? `${name}\u0000${JSON.stringify(options)}` : name;
			if (!onceEvaluated.has(key)) {
				onceEvaluated.set(key, evaluate(name, itemIndex, fallbackValue, options));
			}
			return copyJson(onceEvaluated.get(key));
		}

		if (!options) {
			if (!fieldPaths.has(name)) fieldPaths.set(name, fieldReadPath(raw));
			const path = fieldPaths.get(name);
			const value = path && scalarAt(items[itemIndex]?.json, path);
			if (value !== undefined) return value;
		}
		return evaluate(name, itemIndex, fallbackValue, options);
	};

	return Object.create(context, {
		getNodeParameter: { value: getNodeParameter },
	}) as IExecuteFunctions;
}
