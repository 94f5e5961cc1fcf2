/** Public in-process API of the WhatsApp Cloud API emulator (test/emulator). */
export { Emulator, startEmulator, DEFAULT_SETTINGS, mergeSettings } from './server';
export type {
	AcceptedMessage,
	AutoStatusSettings,
	DeliveryCounters,
	DeliveryRecord,
	EmulatorConfig,
	EmulatorOptions,
	EmulatorSettings,
	InboundMediaOptions,
	ReadReceipt,
	RequestRecord,
	SettingsPatch,
	StartOptions,
	Subscription,
	WebhookSettings,
} from './server';
export {
	DEFAULT_API_VERSION,
	DEFAULT_APP_ID,
	DEFAULT_APP_SECRET,
	DEFAULT_BUSINESS_PORTFOLIO_ID,
	DEFAULT_PHONE_NUMBER_ID,
	DEFAULT_SYSTEM_USER_ID,
	DEFAULT_TOKEN,
	DEFAULT_WABA_ID,
	PHONE_NUMBER_IDS,
	SEED_PHONE_NUMBERS,
	SEED_TEMPLATES,
	SEEDED_MEDIA_IDS,
} from './seed';
export type { Template, TemplateComponent, TemplateButton, TemplateCard } from './seed';
export type { MarketingMessagesSettings } from './graph/marketingMessages';
export { DEFAULT_MARKETING_MESSAGES } from './graph/marketingMessages';
export type { TemplateSubmission } from './graph/templates';
export { GraphError, ERROR_TITLES, errorBody, httpStatusFor } from './errors';
export type { GraphErrorBody } from './errors';
export type { FaultSettings, LatencySpec } from './faults';
export { DEFAULT_FAULTS } from './faults';
export type { PairRateSettings, BusinessRateSettings } from './limits';
export { MEDIA_TYPES, parseMultipart } from './graph/media';
export { MANAGEMENT, MESSAGING } from './graph/accounts';
export type {
	AccountsSeed,
	AppSeed,
	BusinessAccountSeed,
	BusinessPortfolioSeed,
	NumberSeed,
	TokenSeed,
	WhatsAppPermission,
} from './graph/accounts';
export { OVERRIDABLE_FIELDS, OVERRIDE_URI_MAX_LENGTH } from './graph/overrides';
export type { RegistrationLevel, RegistrationsView } from './graph/overrides';
export { FLOW_CATEGORIES, FlowStore } from './graph/flows';
export type { BusinessPublicKey, EmuFlow, FlowStatus } from './graph/flows';
export { FlowClient } from './flowClient';
export type { FlowExchange, FlowSession, OpenSessionOptions, SignMode } from './flowClient';
export { checkScreenAnswer, validateFlowJson } from './flowJson';
export type { FlowJsonDoc, FlowValidationError } from './flowJson';
export {
	asyncError,
	batch,
	bsuidFor,
	envelope,
	errorsPayload,
	escapeUnicode,
	events,
	fieldPayload,
	inboundItem,
	messages as inboundMessages,
	messagesPayload,
	serialize,
	sign,
	status as statusObject,
	statusesPayload,
	verifyHandshake,
} from './webhooks';
export type {
	DeliveryAttempt,
	DeliveryOptions,
	DeliveryResult,
	EnvelopeContext,
	InboundItem,
	MediaRef,
	SenderOptions,
	StatusKind,
	StatusOptions,
	WebhookPayload,
} from './webhooks';
export { AccountApi, deepLink } from './graph/account';
export { CommerceApi, SEED_CATALOG_ID } from './graph/commerce';
export {
	CallingApi,
	callConnect,
	callPermissionReply,
	callStatus,
	callTerminate,
} from './graph/calling';
export type { Catalog, Product } from './graph/commerce';
