/**
 * Conversational components (`POST /{phone-number-id}/conversational_automation`): the welcome
 * message switch, ice breakers (prompts) and commands, with Meta's counts and lengths checked.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/conversational-components
 */
import { PayloadError } from '../errors';
import {
	checkCount,
	checkUnique,
	containsEmoji,
	flag,
	isPlainObject,
	requiredList,
	requiredObject,
	requiredText,
} from '../check';

export const ICE_BREAKERS_MAX = 4;
export const ICE_BREAKER_MAX = 80;
export const COMMANDS_MAX = 30;
export const COMMAND_NAME_MAX = 32;
export const COMMAND_DESCRIPTION_MAX = 256;

export type AutomationCommand = { command_name: string; command_description: string };

export type ConversationalAutomationInput = {
	enableWelcomeMessage?: boolean;
	/** Ice breakers; an empty list removes them. */
	prompts?: string[];
	/** An empty list removes them. */
	commands?: Array<{ name: string; description: string }>;
};

export type ConversationalAutomationUpdate = {
	enable_welcome_message?: boolean;
	prompts?: string[];
	commands?: AutomationCommand[];
};

/** What `GET /{phone-number-id}?fields=conversational_automation` answers under that key. */
export type ConversationalAutomation = ConversationalAutomationUpdate & { id?: string };

function noEmoji(field: string, value: string): string {
	if (containsEmoji(value)) {
		throw new PayloadError(`${field} must not contain emoji`, {
			field,
			limit: 'no emoji',
			actual: 'contains emoji',
		});
	}
	return value;
}

function commandName(field: string, value: unknown): string {
	const name = noEmoji(field, requiredText(field, value, COMMAND_NAME_MAX));
	// Users type "/name"; a slash or a space in the name itself could never be typed as one command.
	if (/[\s/]/.test(name)) {
		throw new PayloadError(
			`${field} must be one word without "/" (users type /${name.replace(/^\/+/, '')})`,
			{
				field,
				limit: 'one word, no "/" and no spaces',
				actual: 'contains "/" or spaces',
			},
		);
	}
	return name;
}

export function buildConversationalAutomationUpdate(
	input: ConversationalAutomationInput,
): ConversationalAutomationUpdate {
	const fields = requiredObject('conversationalAutomation', input);
	const update: ConversationalAutomationUpdate = {};
	if (fields.enableWelcomeMessage !== undefined && fields.enableWelcomeMessage !== null) {
		update.enable_welcome_message = flag('enableWelcomeMessage', fields.enableWelcomeMessage);
	}
	if (fields.prompts !== undefined && fields.prompts !== null) {
		const list = requiredList('prompts', fields.prompts);
		checkCount('prompts', list.length, 0, ICE_BREAKERS_MAX, 'ice breakers');
		update.prompts = list.map((prompt, index) =>
			noEmoji(`prompts[${index}]`, requiredText(`prompts[${index}]`, prompt, ICE_BREAKER_MAX)),
		);
		checkUnique(update.prompts, (index) => `prompts[${index}]`, 'ice breaker');
	}
	if (fields.commands !== undefined && fields.commands !== null) {
		const list = requiredList('commands', fields.commands);
		checkCount('commands', list.length, 0, COMMANDS_MAX, 'commands');
		update.commands = list.map((item, index) => {
			const field = `commands[${index}]`;
			const command = requiredObject(field, item);
			return {
				command_name: commandName(`${field}.name`, command.name),
				command_description: noEmoji(
					`${field}.description`,
					requiredText(`${field}.description`, command.description, COMMAND_DESCRIPTION_MAX),
				),
			};
		});
		checkUnique(
			update.commands.map((command) => command.command_name),
			(index) => `commands[${index}].name`,
			'command name',
		);
	}
	if (Object.keys(update).length === 0) {
		throw new PayloadError(
			'The conversational automation update changes nothing: give the welcome message switch, ice breakers or commands',
			{ field: 'conversationalAutomation', limit: 'at least one field', actual: 'no fields' },
		);
	}
	return update;
}

/** The `conversational_automation` object of a phone number read, or an empty one. */
export function automationFromResponse(response: unknown): ConversationalAutomation {
	const value =
		typeof response === 'object' && response !== null
			? (response as { conversational_automation?: unknown }).conversational_automation
			: undefined;
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
	return value as ConversationalAutomation;
}

// ── From the node's parameters ──────────────────────────────────────────────────────────────────

/** Ice breakers from the field (a list) or an expression (a list, or text with one per line). */
function iceBreakersFrom(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value !== 'string') return value === undefined || value === null ? [] : [value];
	return value
		.split('\n')
		.map((prompt) => prompt.trim())
		.filter((prompt) => prompt !== '');
}

/** The Commands fixed collection `{command: [{name, description}]}`; a JSON list passes through. */
function commandsFromFields(value: unknown): ConversationalAutomationInput['commands'] {
	if (Array.isArray(value)) return value as ConversationalAutomationInput['commands'];
	const list = isPlainObject(value) && Array.isArray(value.command) ? value.command : [];
	return list.map((command: unknown) => {
		const fields = isPlainObject(command) ? command : {};
		return { name: fields.name as string, description: fields.description as string };
	});
}

/** The Update Fields collection as n8n hands it over → the builder's input; absent stays absent. */
export function automationUpdateFromFields(given: unknown): ConversationalAutomationInput {
	const fields = isPlainObject(given) ? given : {};
	return {
		enableWelcomeMessage: fields.enableWelcomeMessage as boolean | undefined,
		prompts:
			fields.iceBreakers === undefined
				? undefined
				: (iceBreakersFrom(fields.iceBreakers) as string[]),
		commands: fields.commands === undefined ? undefined : commandsFromFields(fields.commands),
	};
}
