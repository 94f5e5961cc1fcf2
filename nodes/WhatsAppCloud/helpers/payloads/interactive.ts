import { PayloadError } from '../errors';
import {
	CTA_DISPLAY_TEXT_MAX,
	FLOW_CTA_MAX,
	FLOW_MESSAGE_VERSION,
	FLOW_TOKEN_DEFAULT,
	INTERACTIVE_BODY_MAX,
	INTERACTIVE_FOOTER_MAX,
	INTERACTIVE_HEADER_TEXT_MAX,
	LIST_BUTTON_LABEL_MAX,
	LIST_ROW_DESCRIPTION_MAX,
	LIST_ROW_ID_MAX,
	LIST_ROW_TITLE_MAX,
	LIST_ROWS_TOTAL_MAX,
	LIST_SECTION_TITLE_MAX,
	LIST_SECTIONS_MAX,
	REPLY_BUTTON_ID_MAX,
	REPLY_BUTTON_TITLE_MAX,
	REPLY_BUTTONS_MAX,
	REPLY_BUTTONS_MIN,
} from '../limits';
import type {
	ClientFlowAction,
	ClientFlowMode,
	ClientFlowParameters,
	ClientInteractiveContent,
	ClientInteractiveFooter,
	ClientInteractiveHeader,
	ClientInteractiveObject,
	ClientInteractiveTextHeader,
	ClientInteractiveType,
	ClientListSection,
	ClientReplyButton,
} from '../types/client';
import {
	checkCount,
	checkNoEdgeSpaces,
	checkUnique,
	containsEmoji,
	httpUrl,
	isPlainObject,
	oneOf,
	optionalText,
	requiredList,
	requiredObject,
	requiredText,
} from '../check';
import { buildMediaSource } from './media';

export const INTERACTIVE_TYPES: readonly ClientInteractiveType[] = [
	'button',
	'list',
	'cta_url',
	'location_request_message',
	'flow',
];

export type InteractiveHeaderInput =
	| { type: 'none' }
	| { type: 'text'; text: string }
	| { type: 'image' | 'video' | 'document'; id?: string; link?: string };

export type ReplyButtonInput = { id: string; title: string };
export type ListRowInput = { id: string; title: string; description?: string };
export type ListSectionInput = { title?: string; rows: ListRowInput[] };

export type FlowInput = {
	/** Exactly one of `flowId` and `flowName`. */
	flowId?: string;
	flowName?: string;
	/** The button label, 1-20 characters, no emoji. */
	cta: string;
	/** Echoed back in the completion (`nfm_reply`); Meta's default `unused` when empty. */
	token?: string;
	action?: ClientFlowAction;
	/** First screen; required for `navigate`. */
	screen?: string;
	/** Initial data for the first screen (`navigate` only); a non-empty object when given. */
	data?: Record<string, unknown>;
	mode?: ClientFlowMode;
};

type InteractiveCommon = {
	header?: InteractiveHeaderInput;
	body: string;
	footer?: string;
};

export type InteractiveInput = InteractiveCommon &
	(
		| { type: 'button'; buttons: ReplyButtonInput[] }
		| { type: 'list'; buttonLabel: string; sections: ListSectionInput[] }
		| { type: 'cta_url'; displayText: string; url: string }
		| { type: 'location_request_message' }
		| { type: 'flow'; flow: FlowInput }
	);

const HEADER_TYPES = ['none', 'text', 'image', 'video', 'document'] as const;

/** Meta states no lengths for flow IDs, names, screens and tokens; this cap only stops runaway values. */
const FLOW_TEXT_MAX = 1000;

function buildHeader(
	input: unknown,
	interactiveType: ClientInteractiveType,
): ClientInteractiveHeader | undefined {
	if (input === undefined || input === null) return undefined;
	const header = requiredObject('header', input);
	const type = oneOf('header.type', header.type, HEADER_TYPES);
	if (type === 'none') return undefined;
	if (interactiveType === 'location_request_message') {
		throw new PayloadError('header is not allowed on location request messages', {
			field: 'header',
			limit: 'no header on location requests',
			actual: `a ${type} header`,
		});
	}
	if (type === 'text') {
		return {
			type: 'text',
			text: requiredText('header.text', header.text, INTERACTIVE_HEADER_TEXT_MAX),
		};
	}
	if (interactiveType !== 'button') {
		throw new PayloadError(
			`header must be text (or none) on ${interactiveType} messages; it is ${type}`,
			{ field: 'header.type', limit: 'a text header or none', actual: type },
		);
	}
	const source = buildMediaSource(
		{ id: header.id as string | undefined, link: header.link as string | undefined },
		'header',
	);
	if (type === 'image') return { type, image: source };
	if (type === 'video') return { type, video: source };
	return { type, document: source };
}

function buildFooter(
	value: unknown,
	interactiveType: ClientInteractiveType,
): ClientInteractiveFooter | undefined {
	const text = optionalText('footer', value, INTERACTIVE_FOOTER_MAX);
	if (text === undefined) return undefined;
	if (interactiveType === 'location_request_message') {
		throw new PayloadError('footer is not allowed on location request messages', {
			field: 'footer',
			limit: 'no footer on location requests',
			actual: `${text.length} characters`,
		});
	}
	return { text };
}

function buildButtons(value: unknown): ClientReplyButton[] {
	const list = requiredList('buttons', value);
	checkCount('buttons', list.length, REPLY_BUTTONS_MIN, REPLY_BUTTONS_MAX, 'buttons');
	const buttons = list.map((item, index): ClientReplyButton => {
		const field = `buttons[${index}]`;
		const button = requiredObject(field, item);
		const id = checkNoEdgeSpaces(
			`${field}.id`,
			requiredText(`${field}.id`, button.id, REPLY_BUTTON_ID_MAX),
		);
		const title = requiredText(`${field}.title`, button.title, REPLY_BUTTON_TITLE_MAX);
		return { type: 'reply', reply: { id, title } };
	});
	checkUnique(
		buttons.map((button) => button.reply.id),
		(index) => `buttons[${index}].id`,
		'button ID',
	);
	checkUnique(
		buttons.map((button) => button.reply.title),
		(index) => `buttons[${index}].title`,
		'button title',
	);
	return buttons;
}

function buildSections(value: unknown): ClientListSection[] {
	const list = requiredList('sections', value);
	checkCount('sections', list.length, 1, LIST_SECTIONS_MAX, 'sections');
	const rowFields: string[] = [];
	const rowIds: string[] = [];
	const sections = list.map((item, sectionIndex): ClientListSection => {
		const field = `sections[${sectionIndex}]`;
		const section = requiredObject(field, item);
		// A title is optional for a single section but required once there are several.
		const title =
			list.length > 1
				? requiredText(`${field}.title`, section.title, LIST_SECTION_TITLE_MAX)
				: optionalText(`${field}.title`, section.title, LIST_SECTION_TITLE_MAX);
		const rowsInput = requiredList(`${field}.rows`, section.rows);
		checkCount(`${field}.rows`, rowsInput.length, 1, LIST_ROWS_TOTAL_MAX, 'rows');
		const rows = rowsInput.map((rowItem, rowIndex) => {
			const rowField = `${field}.rows[${rowIndex}]`;
			const row = requiredObject(rowField, rowItem);
			const id = checkNoEdgeSpaces(
				`${rowField}.id`,
				requiredText(`${rowField}.id`, row.id, LIST_ROW_ID_MAX),
			);
			const rowTitle = requiredText(`${rowField}.title`, row.title, LIST_ROW_TITLE_MAX);
			const description = optionalText(
				`${rowField}.description`,
				row.description,
				LIST_ROW_DESCRIPTION_MAX,
			);
			rowFields.push(`${rowField}.id`);
			rowIds.push(id);
			return description === undefined
				? { id, title: rowTitle }
				: { id, title: rowTitle, description };
		});
		return title === undefined ? { rows } : { title, rows };
	});
	checkCount('sections[*].rows', rowIds.length, 1, LIST_ROWS_TOTAL_MAX, 'rows in total');
	checkUnique(rowIds, (index) => rowFields[index], 'row ID');
	return sections;
}

function buildFlowParameters(value: unknown): ClientFlowParameters {
	const flow = requiredObject('flow', value);
	const flowId = optionalText('flowId', flow.flowId, FLOW_TEXT_MAX);
	const flowName = optionalText('flowName', flow.flowName, FLOW_TEXT_MAX);
	if ((flowId === undefined) === (flowName === undefined)) {
		const actual = flowId === undefined ? 'neither' : 'both';
		throw new PayloadError(`flow needs exactly one of flowId and flowName; it has ${actual}`, {
			field: 'flowId',
			limit: 'exactly one of flow ID and flow name',
			actual,
		});
	}
	const cta = requiredText('flowCta', flow.cta, FLOW_CTA_MAX);
	if (containsEmoji(cta)) {
		throw new PayloadError('flowCta must not contain emoji', {
			field: 'flowCta',
			limit: `1 to ${FLOW_CTA_MAX} characters without emoji`,
			actual: 'contains emoji',
		});
	}
	const token = optionalText('flowToken', flow.token, FLOW_TEXT_MAX) ?? FLOW_TOKEN_DEFAULT;
	const action = oneOf('flowAction', flow.action ?? 'navigate', [
		'navigate',
		'data_exchange',
	] as const);
	const mode =
		flow.mode === undefined || flow.mode === ''
			? undefined
			: oneOf('flowMode', flow.mode, ['draft', 'published'] as const);
	const identity = flowId !== undefined ? { flow_id: flowId } : { flow_name: flowName as string };
	const common = {
		flow_message_version: FLOW_MESSAGE_VERSION,
		flow_token: token,
		...identity,
		flow_cta: cta,
		...(mode ? { mode } : {}),
	} as const;

	const hasData = flow.data !== undefined && flow.data !== null;
	if (action === 'data_exchange') {
		if (optionalText('flowScreen', flow.screen, FLOW_TEXT_MAX) !== undefined || hasData) {
			throw new PayloadError(
				'flowScreen and flowData are only for the navigate action; data_exchange asks your endpoint for the first screen',
				{ field: 'flowScreen', limit: 'only with navigate', actual: 'given with data_exchange' },
			);
		}
		return { ...common, flow_action: 'data_exchange' };
	}
	const screen = requiredText('flowScreen', flow.screen, FLOW_TEXT_MAX);
	if (!hasData) return { ...common, flow_action: 'navigate', flow_action_payload: { screen } };
	if (!isPlainObject(flow.data) || Object.keys(flow.data).length === 0) {
		const actual = isPlainObject(flow.data) ? 'an empty object' : 'not an object';
		throw new PayloadError(`flowData must be a non-empty JSON object when given; it is ${actual}`, {
			field: 'flowData',
			limit: 'a non-empty object',
			actual,
		});
	}
	return {
		...common,
		flow_action: 'navigate',
		flow_action_payload: { screen, data: flow.data },
	};
}

export function buildInteractiveContent(input: InteractiveInput): ClientInteractiveContent {
	requiredObject('interactive', input);
	const type = oneOf('interactiveType', input.type, INTERACTIVE_TYPES);
	const header = buildHeader(input.header, type);
	// Meta requires the body for buttons, lists and location requests; we require it everywhere (safe side).
	const body = { text: requiredText('body', input.body, INTERACTIVE_BODY_MAX) };
	const footer = buildFooter(input.footer, type);
	const footerPart = footer ? { footer } : {};
	const parts = { ...(header ? { header } : {}), body, ...footerPart };
	// buildHeader already refused media headers for every type but `button`.
	const textParts = {
		...(header ? { header: header as ClientInteractiveTextHeader } : {}),
		body,
		...footerPart,
	};
	const fields = input as unknown as Record<string, unknown>;

	let interactive: ClientInteractiveObject;
	switch (type) {
		case 'button':
			interactive = { type, ...parts, action: { buttons: buildButtons(fields.buttons) } };
			break;
		case 'list':
			interactive = {
				type,
				...textParts,
				action: {
					button: requiredText('buttonLabel', fields.buttonLabel, LIST_BUTTON_LABEL_MAX),
					sections: buildSections(fields.sections),
				},
			};
			break;
		case 'cta_url':
			interactive = {
				type,
				...textParts,
				action: {
					name: 'cta_url',
					parameters: {
						display_text: requiredText('displayText', fields.displayText, CTA_DISPLAY_TEXT_MAX),
						url: httpUrl('url', fields.url),
					},
				},
			};
			break;
		case 'location_request_message':
			interactive = { type, body, action: { name: 'send_location' } };
			break;
		case 'flow':
			interactive = {
				type,
				...textParts,
				action: { name: 'flow', parameters: buildFlowParameters(fields.flow) },
			};
			break;
	}
	return { type: 'interactive', interactive };
}
