/** Meta's Graph error envelope (fact sheet §7.1) and the code table the emulator answers with. */

export interface GraphErrorBody {
	error: {
		message: string;
		type: string;
		code: number;
		error_subcode?: number;
		error_data: { messaging_product: 'whatsapp'; details: string };
		fbtrace_id: string;
	};
}

/** Titles follow Meta's error-code page; clients should branch on `code`, not on these. */
export const ERROR_TITLES: Record<number, string> = {
	1: 'An unknown error occurred',
	2: 'Service temporarily unavailable',
	4: 'Application request limit reached',
	10: 'Permission denied',
	100: 'Invalid parameter',
	190: 'Invalid OAuth access token',
	200: 'Permissions error',
	368: 'Temporarily blocked for policies violations',
	2200: 'Callback verification failed',
	80007: 'Rate limit issues',
	130429: 'Rate limit hit',
	130472: "User's number is part of an experiment",
	131000: 'Something went wrong',
	131005: 'Access denied',
	131008: 'Required parameter is missing',
	131009: 'Parameter value is not valid',
	131016: 'Service unavailable',
	131021: 'Recipient cannot be sender',
	131026: 'Message undeliverable',
	131030: 'Recipient phone number not in allowed list',
	131031: 'Business Account locked',
	131042: 'Business eligibility payment issue',
	131047: 'Re-engagement message',
	131048: 'Spam rate limit hit',
	131049: 'Meta chose not to deliver.',
	131050: 'User has stopped marketing messages',
	131051: 'Unsupported message type',
	131052: 'Media download error',
	131053: 'Media upload error',
	131056: '(Business Account, Consumer Account) pair rate limit hit',
	131057: 'Account in maintenance mode',
	131055: 'Method not allowed',
	131062: 'Business-scoped user ID recipient not supported',
	131063: 'Marketing templates disabled for Cloud API',
	132000: 'Number of parameters does not match the expected number of params',
	132001: 'Template name does not exist in the translation',
	132005: 'Translated text too long',
	132012: 'Parameter format does not match format in the created template',
	132015: 'Template is Paused',
	132016: 'Template is Disabled',
	133010: 'Phone number not registered',
	// [U] Marketing Messages API: non-marketing template (Meta's MM API error table, v23+).
	134100: 'Non-marketing templates not supported',
	135000: 'Generic user error',
	139000: 'Blocked by Integrity',
	139001: 'Flow failed to update',
	139002: 'Flow failed to publish',
	139003: 'Flow failed to deprecate',
	139004: 'Flow failed to delete',
	138006: 'No call permission',
	138009: 'Call permission request limit reached',
	139100: 'Failed to block/unblock users',
	139101: 'Blocklist limit reached',
	139102: 'Blocklist concurrent update',
	139103: 'Internal error',
};

const DEFAULT_DETAILS: Record<number, string> = {
	130429: 'Cloud API message throughput has been reached.',
	131056:
		'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
	131047:
		'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
	131026: 'Message undeliverable.',
	131000: 'Something went wrong.',
	131016: 'A service is temporarily unavailable.',
	2: 'Service temporarily unavailable.',
	1: 'An unknown error occurred.',
	80007: 'Rate limit issues for the WhatsApp Business Account.',
	190: 'The access token could not be decrypted.',
};

/**
 * HTTP statuses per fact sheet §7.2. Choices on [U] rows: 130429 → 429 (Meta's table), 131056 → 400
 * (what field reports show), 80007 → 429 (Meta's table), injected 1 → 500.
 */
export function httpStatusFor(code: number): number {
	switch (code) {
		case 190:
		case 0:
			return 401;
		case 10:
		case 200:
		case 368:
		case 131005:
		case 131031:
		case 130497:
			return 403;
		case 132001:
			return 404;
		case 4:
		case 80007:
		case 130429:
		case 131048:
			return 429;
		case 1:
		case 3:
		case 131000:
		case 131057:
		case 133000:
			return 500;
		case 2:
		case 131016:
		case 133004:
			return 503;
		default:
			return 400;
	}
}

export class GraphError extends Error {
	readonly status: number;
	readonly headers: Record<string, string>;
	constructor(
		readonly code: number,
		readonly details: string = DEFAULT_DETAILS[code] ?? ERROR_TITLES[code] ?? 'Error',
		status?: number,
		headers: Record<string, string> = {},
	) {
		super(`(#${code}) ${ERROR_TITLES[code] ?? 'Error'}: ${details}`);
		this.status = status ?? httpStatusFor(code);
		this.headers = headers;
	}
}

/** Shorthands for the validation codes used everywhere. */
export const missing = (what: string) =>
	new GraphError(131008, `The parameter ${what} is required.`);
export const invalid = (details: string) => new GraphError(131009, details);
export const badParam = (details: string) => new GraphError(100, details);

export function errorBody(
	code: number,
	details: string | undefined,
	traceId: string,
): GraphErrorBody {
	return {
		error: {
			message: `(#${code}) ${ERROR_TITLES[code] ?? 'Error'}`,
			type: 'OAuthException',
			code,
			error_data: {
				messaging_product: 'whatsapp',
				details: details ?? DEFAULT_DETAILS[code] ?? ERROR_TITLES[code] ?? 'Error',
			},
			fbtrace_id: traceId,
		},
	};
}
