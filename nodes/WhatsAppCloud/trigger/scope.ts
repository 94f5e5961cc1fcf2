/**
 * Where the trigger registers (the app's callback URL, one business account's override or one
 * phone number's) and with which verify token: read the same way by registration and by the
 * webhook, so the handshake answers for what registration sent and every item says which
 * registration delivered it.
 */
import type {
	ICredentialDataDecryptedObject,
	IHookFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import { BUSINESS_ACCOUNT_PARAMETER } from '../helpers/constants';
import { locatorId } from '../helpers/parameters';
import type { RegistrationScope } from '../helpers/webhook/overrides';
import type { TriggerOptions } from './description';

export interface TriggerScope {
	scope: RegistrationScope;
	appId: string;
	/** The node's Business Account, else the credential's ('' when neither has one). */
	wabaId: string;
	/** The Phone Number scope's number ('' otherwise or when empty). */
	phoneNumberId: string;
}

const text = (value: unknown) =>
	typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';

/** Manual registration is the App Dashboard's callback URL: the app scope. */
export function readTriggerScope(
	context: IHookFunctions | IWebhookFunctions,
	credentials: ICredentialDataDecryptedObject,
): TriggerScope {
	const automatic = context.getNodeParameter('registration', 'automatic') !== 'manual';
	const scope = automatic
		? (context.getNodeParameter('scope', 'app') as RegistrationScope)
		: ('app' as const);
	const wabaId =
		(automatic ? locatorId(context.getNodeParameter(BUSINESS_ACCOUNT_PARAMETER, '')) : '') ||
		text(credentials.businessAccountId);
	const phoneNumberId =
		automatic && scope === 'phoneNumber'
			? locatorId(context.getNodeParameter('phoneNumberId', ''))
			: '';
	return { scope, appId: text(credentials.appId), wabaId, phoneNumberId };
}

/**
 * The token Meta's handshake must carry: the trigger's own (each override URL is verified on its
 * own, so workflows may differ), else the credential's.
 */
export function verifyTokenOf(
	options: TriggerOptions,
	credentials: ICredentialDataDecryptedObject,
): string {
	return text(options.verifyToken) || text(credentials.verifyToken);
}
