import { PayloadError, quoteInput } from '../errors';
import { LATITUDE_MAX, LATITUDE_MIN, LONGITUDE_MAX, LONGITUDE_MIN } from '../limits';
import type { ClientLocationContent } from '../types/client';
import { describeType, optionalText, requiredObject } from '../check';

export type LocationInput = {
	latitude: number | string;
	longitude: number | string;
	name?: string;
	address?: string;
};

/** Meta gives no length for these; a generous cap keeps a runaway expression out of the request. */
const LOCATION_TEXT_MAX = 1000;

function coordinate(field: string, value: unknown, min: number, max: number): number {
	const number =
		typeof value === 'number'
			? value
			: typeof value === 'string' && value.trim() !== ''
				? Number(value.trim())
				: Number.NaN;
	if (!Number.isFinite(number) || number < min || number > max) {
		const actual =
			typeof value === 'number' || typeof value === 'string'
				? quoteInput(String(value))
				: describeType(value);
		throw new PayloadError(`${field} must be a number from ${min} to ${max}; it is ${actual}`, {
			field,
			limit: `a number from ${min} to ${max}`,
			actual,
		});
	}
	return number;
}

/** Meta shows the address only together with a name; both are optional. */
export function buildLocationContent(input: LocationInput): ClientLocationContent {
	requiredObject('location', input);
	const location: ClientLocationContent['location'] = {
		latitude: coordinate('latitude', input.latitude, LATITUDE_MIN, LATITUDE_MAX),
		longitude: coordinate('longitude', input.longitude, LONGITUDE_MIN, LONGITUDE_MAX),
	};
	const name = optionalText('name', input.name, LOCATION_TEXT_MAX);
	const address = optionalText('address', input.address, LOCATION_TEXT_MAX);
	if (name !== undefined) location.name = name;
	if (address !== undefined) location.address = address;
	return { type: 'location', location };
}
