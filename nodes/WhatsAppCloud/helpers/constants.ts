/** Newest Graph API version (v26.0, released 2026-07-29): https://developers.facebook.com/docs/graph-api/changelog */
export const DEFAULT_GRAPH_API_VERSION = 'v26.0';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';

export const CREDENTIALS_NAME = 'whatsAppCloudApi';

/** The node parameter that names a WhatsApp Business Account per node (empty: the credential's). */
export const BUSINESS_ACCOUNT_PARAMETER = 'businessAccountId';
