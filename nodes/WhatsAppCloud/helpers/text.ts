import { PayloadError } from './errors';

/**
 * Length as we check it: UTF-16 code units (JavaScript's `length`). Meta does not say how it counts
 * "characters"; this is the largest of the plausible counts, so what passes here passes at Meta.
 */
export function textLength(value: string): number {
	return value.length;
}

/** Throws a PayloadError naming the field when `value` is outside `min`..`max` characters. */
export function checkLength(field: string, value: string, max: number, min = 0): string {
	const length = textLength(value);
	if (length > max || length < min) {
		const limit = min > 0 ? `${min} to ${max} characters` : `at most ${max} characters`;
		throw new PayloadError(`${field} must be ${limit}; it has ${length}`, {
			field,
			limit,
			actual: `${length} characters`,
		});
	}
	return value;
}
