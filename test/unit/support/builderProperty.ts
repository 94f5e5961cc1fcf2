/** Shared pieces of the builder tests: expecting a PayloadError, and the "accepted or refused" property. */
import fc from 'fast-check';

import { PayloadError } from '../../../nodes/WhatsAppCloud/helpers/errors';

/** The PayloadError `build` throws; any other outcome fails the test. */
export function refusal(build: () => unknown): PayloadError {
	try {
		build();
	} catch (error) {
		if (error instanceof PayloadError) return error;
		throw error;
	}
	throw new Error('expected a PayloadError');
}

/** Values of the wrong type. */
export const junk = fc.oneof(fc.anything(), fc.constant(undefined), fc.constant(null));

/** Text mostly within `max`, sometimes just past it, sometimes empty. */
export const textNear = (max: number) =>
	fc.oneof(
		{ weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: max }) },
		{ weight: 1, arbitrary: fc.string({ minLength: max - 1, maxLength: max + 2 }) },
		{ weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: Math.ceil(max / 2) }) },
		{ weight: 1, arbitrary: fc.constant('') },
	);

/**
 * Property: every input either makes `build` throw a PayloadError or yields a body the emulator
 * answers 200 to at `url`. Both sides must be reached often enough for the property to mean something.
 */
export async function assertAcceptedOrRefused<T>(options: {
	arbitrary: fc.Arbitrary<T>;
	build: (input: T) => unknown;
	url: string;
	token: string;
	numRuns?: number;
	minEach?: number;
	/** A refusal of a well-formed body for the account's state (e.g. a product not in the catalog). */
	isStateRefusal?: (answer: unknown) => boolean;
}): Promise<void> {
	let accepted = 0;
	let refused = 0;
	await fc.assert(
		fc.asyncProperty(options.arbitrary, async (input) => {
			let body: unknown;
			try {
				body = options.build(input);
			} catch (error) {
				if (!(error instanceof PayloadError)) throw error;
				if (error.field === '') throw new Error('a PayloadError must name its field');
				refused++;
				return;
			}
			const response = await fetch(options.url, {
				method: 'POST',
				headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			if (response.status !== 200) {
				const text = await response.text();
				let answer: unknown = text;
				try {
					answer = JSON.parse(text);
				} catch {
					// not JSON: reported as text below
				}
				if (options.isStateRefusal?.(answer)) return;
				throw new Error(`emulator refused ${JSON.stringify(body)}: ${text}`);
			}
			accepted++;
		}),
		{ numRuns: options.numRuns ?? 300 },
	);
	expect(accepted).toBeGreaterThan(options.minEach ?? 10);
	expect(refused).toBeGreaterThan(options.minEach ?? 10);
}
