/**
 * An agency's accounts for tests: besides the seeded app, portfolio and WABA A (three numbers), a
 * client WABA B with two numbers, a WABA C that another portfolio owns and shared with the agency,
 * a second app, an employee token that reaches only WABA B, and a token without
 * whatsapp_business_management.
 */
import type { AccountsSeed } from './graph/accounts';
import { MESSAGING } from './graph/accounts';
import { DEFAULT_APP_ID, DEFAULT_BUSINESS_PORTFOLIO_ID } from './seed';

export const WABA_B = '201234567890123';
export const B1 = '301234567890001';
export const B2 = '301234567890002';
export const CLIENT_PORTFOLIO = '390000000000001';
export const WABA_C = '201234567890777';
export const C1 = '301234567890777';
export const APP2 = '1500000000000002';
export const APP2_SECRET = 'app-two-secret';
export const APP2_TOKEN = 'EAAG-app-two-token';
export const EMPLOYEE_TOKEN = 'EAAG-employee-token';
export const EMPLOYEE_ID = '1000000000000003';
export const MESSAGING_ONLY_TOKEN = 'EAAG-messaging-only-token';

export const AGENCY_ACCOUNTS: AccountsSeed = {
	apps: [{ id: APP2, secret: APP2_SECRET, name: 'Second App' }],
	businesses: [{ id: CLIENT_PORTFOLIO, name: 'Client Portfolio' }],
	businessAccounts: [
		{
			id: WABA_B,
			name: 'Client B',
			phoneNumbers: [
				{ id: B1, displayPhoneNumber: '15550100001', verifiedName: 'B One' },
				{ id: B2, displayPhoneNumber: '15550100002', verifiedName: 'B Two' },
			],
		},
		{
			id: WABA_C,
			name: 'Client C (shared)',
			ownerBusinessId: CLIENT_PORTFOLIO,
			sharedWith: [DEFAULT_BUSINESS_PORTFOLIO_ID],
			phoneNumbers: [{ id: C1, displayPhoneNumber: '15550100777' }],
		},
	],
	tokens: [
		{ token: APP2_TOKEN, appId: APP2, systemUserId: '1000000000000002' },
		{
			token: EMPLOYEE_TOKEN,
			appId: DEFAULT_APP_ID,
			systemUserId: EMPLOYEE_ID,
			businessAccountIds: [WABA_B],
		},
		{
			token: MESSAGING_ONLY_TOKEN,
			appId: DEFAULT_APP_ID,
			systemUserId: '1000000000000004',
			permissions: [MESSAGING],
		},
	],
};
