/**
 * Calling permissions: whether a user allows calls from the business number, and how many
 * permission requests and calls are left. Calling must be enabled on the number.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/
 */
import type { IDataObject } from 'n8n-workflow';

import type { GraphContext } from './graph';
import { graphRequest } from './graph';

export interface CallPermissionLimit {
	/** ISO 8601 duration, e.g. `PT24H`, `P7D`. */
	time_period: string;
	max_allowed: number;
	current_usage: number;
	/** Unix seconds when the oldest counted use stops counting. */
	limit_expiration_time?: number;
}

export interface CallPermissions {
	permission?: {
		status: 'no_permission' | 'temporary' | 'permanent' | (string & Record<never, never>);
		expiration_time?: number;
	};
	actions?: Array<{
		action_name: 'send_call_permission_request' | 'start_call' | (string & Record<never, never>);
		can_perform_action: boolean;
		limits?: CallPermissionLimit[];
	}>;
}

/**
 * `GET /{phone-number-id}/call_permissions` for one user: a phone number (`user_wa_id`) or a
 * business-scoped user ID (`recipient`).
 */
export async function getCallPermissions(
	this: GraphContext,
	phoneNumberId: string,
	user: { waId: string } | { userId: string },
	itemIndex?: number,
): Promise<CallPermissions> {
	const qs: IDataObject = 'waId' in user ? { user_wa_id: user.waId } : { recipient: user.userId };
	return (await graphRequest.call(
		this,
		{ method: 'GET', path: `/${encodeURIComponent(phoneNumberId)}/call_permissions`, qs },
		itemIndex,
	)) as CallPermissions;
}
