/** Newest Graph API version in the fact sheet (v26.0, released 2026-07-29); supported until at least 2028. */
export const DEFAULT_GRAPH_API_VERSION = 'v26.0';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';

export const CREDENTIALS_NAME = 'whatsAppCloudApi';
