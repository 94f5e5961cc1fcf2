import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import type { BusinessAccountSummary } from '../helpers/webhook/overrides';
import { getTokenUser, listBusinessAccounts } from '../transport/webhookOverrides';

const PAGE_SIZE = 100;

/** "Client B (201234567890123)", or the ID when Graph sent no name. */
export function businessAccountLabel(account: BusinessAccountSummary): string {
	return account.name ? `${account.name} (${account.id})` : account.id;
}

/**
 * The WhatsApp Business Accounts the credential's token was granted, for the Business Account
 * picker: Meta lists them on the token's system user (`GET /me`, then
 * `/{system-user-id}/assigned_whatsapp_business_accounts`), owned and client accounts alike.
 */
export async function searchBusinessAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const user = await getTokenUser.call(this);
	const page = await listBusinessAccounts.call(
		this,
		{ edge: 'assigned', systemUserId: user.id },
		{ limit: PAGE_SIZE, after: paginationToken },
	);
	const needle = (filter ?? '').trim().toLowerCase();
	const results: INodeListSearchItems[] = page.accounts
		.filter(
			(account) => needle === '' || businessAccountLabel(account).toLowerCase().includes(needle),
		)
		.map((account) => ({ name: businessAccountLabel(account), value: account.id }));
	return { results, paginationToken: page.after };
}

export const businessAccountListSearch = { searchBusinessAccounts };
