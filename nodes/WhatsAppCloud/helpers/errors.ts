import { UserError } from 'n8n-workflow';

export interface PayloadErrorDetails {
	/** The parameter path as the user sees it, e.g. `buttons[2].title`. */
	field: string;
	/** What the value must satisfy, e.g. `at most 20 characters`. */
	limit?: string;
	/** What it is, e.g. `23 characters`. Never the value itself when it may be secret. */
	actual?: string;
}

/**
 * A parameter that Meta would reject. Pure helpers throw it; the operation layer wraps it in a
 * NodeOperationError carrying the item index.
 */
export class PayloadError extends UserError {
	readonly field: string;

	readonly limit?: string;

	readonly actual?: string;

	constructor(message: string, details: PayloadErrorDetails) {
		super(message);
		this.name = 'PayloadError';
		this.field = details.field;
		this.limit = details.limit;
		this.actual = details.actual;
	}
}

export function isPayloadError(error: unknown): error is PayloadError {
	return error instanceof PayloadError;
}
