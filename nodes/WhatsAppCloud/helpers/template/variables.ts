/**
 * What a user must fill to send a template: read from its definition, one variable per value Meta
 * expects, each with an ID that stays the same as long as the template does (the resource mapper
 * stores values under it).
 */
import type { ResourceMapperFields } from 'n8n-workflow';

import { PayloadError, quoteInput } from '../errors';
import { inferParameterFormat, placeholderNames } from './placeholders';
import type {
	ServerBodyComponent,
	ServerLimitedTimeOfferComponent,
	ServerTemplate,
	ServerTemplateButton,
	ServerTextHeader,
	TemplateNamedExample,
	TemplateParameterFormat,
} from '../types/template';
import { MPM_SECTIONS_MAX, NAMED_PARAMETER } from './limits';

export type TemplateMediaKind = 'image' | 'video' | 'document';
export type TemplateLocationPart = 'latitude' | 'longitude' | 'name' | 'address';

/** Where a variable's value goes in the send. `card`: the 0-based carousel card it belongs to. */
export type TemplateVariableSource =
	| { kind: 'headerText'; name: string }
	| { kind: 'headerMedia'; media: TemplateMediaKind; card?: number }
	| { kind: 'headerLocation'; part: TemplateLocationPart }
	| { kind: 'bodyText'; name: string; card?: number }
	| { kind: 'quickReplyPayload'; index: number; card?: number }
	| { kind: 'urlSuffix'; index: number; urlPrefix: string; card?: number }
	| { kind: 'couponCode'; index: number }
	| { kind: 'flowToken'; index: number }
	| { kind: 'flowActionData'; index: number }
	| { kind: 'productThumbnail'; index: number; subType: 'catalog' | 'mpm' }
	/** Multi-product sections, 1-based as the user sees them. */
	| { kind: 'mpmSectionTitle'; index: number; section: number }
	| { kind: 'mpmSectionProducts'; index: number; section: number }
	| { kind: 'offerExpiration' }
	/** Authentication templates: the code in the body, also the OTP button's parameter. */
	| { kind: 'oneTimePassword' }
	| { kind: 'oneTimePasswordButton'; index: number };

export type TemplateVariableType = 'string' | 'number' | 'object' | 'dateTime';

export interface TemplateVariable {
	/** `header.text.1`, `header.image`, `body.first_name`, `button.1.url_suffix`, `card.0.body.1`, … */
	id: string;
	displayName: string;
	type: TemplateVariableType;
	required: boolean;
	/** Offered but left out of the mapper until the user adds it (extra sections, overrides). */
	optionalField?: boolean;
	/** The sample value the template was approved with, when Graph returns one. */
	example?: string;
	source: TemplateVariableSource;
}

/**
 * IDs the builder accepts besides the variables (for JSON and expressions, not the mapper):
 * `button.N.sections`, a multi-product button's whole sections list.
 */
export const MPM_SECTIONS_JSON = /^button\.(\d+)\.sections$/;

/** The template's placeholder style; older templates without `parameter_format` are positional. */
export function parameterFormat(template: Pick<ServerTemplate, 'parameter_format' | 'components'>) {
	if (template.parameter_format === 'NAMED' || template.parameter_format === 'POSITIONAL') {
		return template.parameter_format;
	}
	const components = Array.isArray(template.components) ? template.components : [];
	return inferParameterFormat(
		components.map((c) =>
			typeof (c as { text?: unknown }).text === 'string' ? (c as { text: string }).text : '',
		),
	);
}

/**
 * The distinct placeholders of a text: positional ones as `1`, `2`, … in number order (the order
 * Meta expects their values), named ones in order of appearance. Throws for a placeholder that does
 * not fit the template's format.
 */
export function placeholdersOf(
	field: string,
	text: string | undefined,
	format: TemplateParameterFormat,
): string[] {
	const found: string[] = [];
	for (const name of placeholderNames(typeof text === 'string' ? text : '')) {
		if (name === '') continue;
		if (format === 'POSITIONAL' && !/^\d+$/.test(name)) {
			throw new PayloadError(
				`${field} has the placeholder {{${name}}}, but the template uses numbered placeholders ({{1}}, {{2}}, …)`,
				{ field, limit: 'numbered placeholders', actual: `{{${name}}}` },
			);
		}
		if (format === 'NAMED' && !NAMED_PARAMETER.test(name)) {
			throw new PayloadError(
				`${field} has the placeholder {{${name}}}; named placeholders must be 1 to 20 lowercase letters or underscores`,
				{ field, limit: '^[a-z_]{1,20}$', actual: `{{${name}}}` },
			);
		}
		if (!found.includes(name)) found.push(name);
	}
	return format === 'POSITIONAL' ? found.sort((a, b) => Number(a) - Number(b)) : found;
}

function exampleOf(
	name: string,
	format: TemplateParameterFormat,
	positional: string[] | undefined,
	named: TemplateNamedExample[] | undefined,
): string | undefined {
	if (format === 'NAMED') return named?.find((e) => e.param_name === name)?.example;
	const value = positional?.[Number(name) - 1];
	return typeof value === 'string' ? value : undefined;
}

const withExample = (label: string, example: string | undefined) =>
	example ? `${label} (e.g. ${example})` : label;

const upper = (value: unknown) => (typeof value === 'string' ? value.toUpperCase() : '');

type Component = { type?: unknown } & Record<string, unknown>;

const componentsOf = (value: unknown): Component[] =>
	(Array.isArray(value) ? value : []).filter(
		(c): c is Component => typeof c === 'object' && c !== null,
	);

/** The URL before `{{1}}`, when the URL ends in the one placeholder a URL button may have. */
function dynamicUrlPrefix(url: string | undefined): string | undefined {
	const match = /^(.*)\{\{\s*1\s*\}\}\s*$/.exec(url ?? '');
	return match ? match[1] : undefined;
}

/** A button that carries an authentication template's one-time password. */
function isCodeButton(button: ServerTemplateButton): boolean {
	const url = 'url' in button ? button.url : undefined;
	return upper(button.type) === 'OTP' || /whatsapp\.com\/otp\//.test(url ?? '');
}

/** Where a group of variables sits: the template itself, or one carousel card. */
interface Scope {
	/** Prefix of the variable IDs: '' or `card.0.`. */
	id: string;
	/** Prefix of the display names: '' or `Card 1 `. */
	label: string;
	card?: number;
}

const TOP: Scope = { id: '', label: '' };
const cardScope = (card: number): Scope => ({
	id: `card.${card}.`,
	label: `Card ${card + 1} `,
	card,
});
const inCard = (scope: Scope) => (scope.card === undefined ? {} : { card: scope.card });

function mediaHeaderVariable(scope: Scope, media: TemplateMediaKind): TemplateVariable {
	const title = media.charAt(0).toUpperCase() + media.slice(1);
	return {
		id: `${scope.id}header.${media}`,
		displayName: `${scope.label}Header ${title} (media ID or https:// URL)`,
		type: 'string',
		required: true,
		source: { kind: 'headerMedia', media, ...inCard(scope) },
	};
}

function bodyVariables(
	scope: Scope,
	body: ServerBodyComponent,
	format: TemplateParameterFormat,
	field: string,
): TemplateVariable[] {
	const example = body.example;
	return placeholdersOf(field, body.text, format).map((name) => {
		const sample = exampleOf(
			name,
			format,
			example?.body_text?.[0],
			example?.body_text_named_params,
		);
		return {
			id: `${scope.id}body.${name}`,
			displayName: withExample(`${scope.label}Body {{${name}}}`, sample),
			type: 'string',
			required: true,
			example: sample,
			source: { kind: 'bodyText', name, ...inCard(scope) },
		};
	});
}

function mpmVariables(index: number, label: string): TemplateVariable[] {
	const variables: TemplateVariable[] = [
		{
			id: `button.${index}.thumbnail_product_retailer_id`,
			displayName: `Multi-Product Button${label}: Thumbnail Product (retailer ID)`,
			type: 'string',
			required: true,
			source: { kind: 'productThumbnail', index, subType: 'mpm' },
		},
	];
	for (let section = 1; section <= MPM_SECTIONS_MAX; section++) {
		variables.push(
			{
				id: `button.${index}.section.${section}.title`,
				displayName: `Section ${section} Title (up to 24 characters; needed with 2+ sections)`,
				type: 'string',
				required: false,
				optionalField: section > 1,
				source: { kind: 'mpmSectionTitle', index, section },
			},
			{
				id: `button.${index}.section.${section}.product_retailer_ids`,
				displayName: `Section ${section} Products (retailer IDs, comma-separated)`,
				type: 'string',
				required: false,
				optionalField: section > 1,
				source: { kind: 'mpmSectionProducts', index, section },
			},
		);
	}
	return variables;
}

function buttonVariables(
	scope: Scope,
	button: ServerTemplateButton,
	index: number,
	authentication: boolean,
): TemplateVariable[] {
	const type = upper(button.type);
	const label = 'text' in button && button.text ? ` ${quoteInput(button.text)}` : '';
	const id = `${scope.id}button.${index}`;
	switch (type) {
		case 'QUICK_REPLY':
			return [
				{
					id: `${id}.payload`,
					displayName: `${scope.label}Quick Reply${label} Payload (returned when tapped)`,
					type: 'string',
					required: false,
					source: { kind: 'quickReplyPayload', index, ...inCard(scope) },
				},
			];
		case 'URL':
		case 'OTP': {
			const url = 'url' in button ? button.url : undefined;
			const prefix = dynamicUrlPrefix(url);
			const isCode = isCodeButton(button);
			// OTP buttons always carry the code; static URL buttons take nothing.
			if (prefix === undefined && !isCode) return [];
			const sample =
				'example' in button && Array.isArray(button.example) ? button.example[0] : undefined;
			const example =
				prefix !== undefined && typeof sample === 'string' && sample.startsWith(prefix)
					? sample.slice(prefix.length)
					: undefined;
			if (isCode && authentication) {
				// The code is given once (the body's one-time password); this field only overrides it.
				return [
					{
						id: `${id}.url_suffix`,
						displayName: withExample(
							`One-Time Code in the Button${label} (leave out: the one-time password)`,
							example,
						),
						type: 'string',
						required: false,
						optionalField: true,
						example,
						source: { kind: 'oneTimePasswordButton', index },
					},
				];
			}
			return [
				{
					id: `${id}.url_suffix`,
					displayName: withExample(
						isCode
							? `One-Time Code (button${label})`
							: `${scope.label}URL Button${label} Suffix After ${prefix}`,
						example,
					),
					type: 'string',
					required: true,
					example,
					source: { kind: 'urlSuffix', index, urlPrefix: prefix ?? '', ...inCard(scope) },
				},
			];
		}
		case 'COPY_CODE': {
			const sample = 'example' in button ? button.example : undefined;
			const example = Array.isArray(sample) ? sample[0] : sample;
			return [
				{
					id: `${id}.coupon_code`,
					displayName: withExample('Coupon Code (copy code button)', example),
					type: 'string',
					required: true,
					example: typeof example === 'string' ? example : undefined,
					source: { kind: 'couponCode', index },
				},
			];
		}
		case 'FLOW':
			return [
				{
					id: `${id}.flow_token`,
					displayName: `Flow Button${label} Token (identifies the reply)`,
					type: 'string',
					required: false,
					source: { kind: 'flowToken', index },
				},
				{
					id: `${id}.flow_action_data`,
					displayName: `Flow Button${label} Initial Data (JSON object)`,
					type: 'object',
					required: false,
					source: { kind: 'flowActionData', index },
				},
			];
		case 'CATALOG':
			return [
				{
					id: `${id}.thumbnail_product_retailer_id`,
					displayName: `Catalog Button${label}: Thumbnail Product (retailer ID; empty: the first product)`,
					type: 'string',
					required: false,
					source: { kind: 'productThumbnail', index, subType: 'catalog' },
				},
			];
		case 'MPM':
			return mpmVariables(index, label);
		default:
			// PHONE_NUMBER, and button kinds without send-time values.
			return [];
	}
}

function buttonsVariables(
	scope: Scope,
	component: Component | undefined,
	authentication: boolean,
): TemplateVariable[] {
	const buttons = component?.buttons;
	if (!Array.isArray(buttons)) return [];
	return (buttons as ServerTemplateButton[]).flatMap((button, index) =>
		typeof button === 'object' && button !== null
			? buttonVariables(scope, button, index, authentication)
			: [],
	);
}

const SUPPORTED_COMPONENTS = [
	'HEADER',
	'BODY',
	'FOOTER',
	'BUTTONS',
	'CAROUSEL',
	'LIMITED_TIME_OFFER',
];
const CARD_COMPONENTS = ['HEADER', 'BODY', 'BUTTONS'];

function unsupported(field: string, type: string, allowed: string[]): PayloadError {
	return new PayloadError(
		`${field} has a ${type || 'typeless'} component, which this operation cannot send; send this template with the HTTP Request node`,
		{ field, limit: allowed.join(', '), actual: type || 'no type' },
	);
}

/** The variables of one carousel card: its media header, body placeholders and buttons. */
function cardVariables(
	card: unknown,
	cardIndex: number,
	format: TemplateParameterFormat,
): TemplateVariable[] {
	const scope = cardScope(cardIndex);
	const field = `template.components.carousel.cards[${cardIndex}]`;
	const components = componentsOf((card as { components?: unknown } | null)?.components);
	for (const component of components) {
		const type = upper(component.type);
		if (!CARD_COMPONENTS.includes(type)) throw unsupported(field, type, CARD_COMPONENTS);
	}
	const byType = (type: string) => components.find((c) => upper(c.type) === type);
	const variables: TemplateVariable[] = [];
	const headerFormat = upper(byType('HEADER')?.format);
	if (headerFormat === 'IMAGE' || headerFormat === 'VIDEO') {
		variables.push(mediaHeaderVariable(scope, headerFormat.toLowerCase() as TemplateMediaKind));
	}
	const body = byType('BODY') as ServerBodyComponent | undefined;
	if (body) variables.push(...bodyVariables(scope, body, format, `${field} body text`));
	variables.push(...buttonsVariables(scope, byType('BUTTONS'), false));
	return variables;
}

/** Every value a send of this template needs or accepts, in send order. */
export function templateVariables(template: ServerTemplate): TemplateVariable[] {
	const format = parameterFormat(template);
	const variables: TemplateVariable[] = [];
	const components = componentsOf(template.components);
	for (const component of components) {
		const type = upper(component.type);
		if (!SUPPORTED_COMPONENTS.includes(type))
			throw unsupported('template.components', type, SUPPORTED_COMPONENTS);
	}
	const byType = (type: string) => components.find((c) => upper(c.type) === type);
	const buttons = byType('BUTTONS');
	const authentication =
		template.category === 'AUTHENTICATION' &&
		Array.isArray(buttons?.buttons) &&
		(buttons.buttons as ServerTemplateButton[]).some(
			(b) => typeof b === 'object' && b !== null && isCodeButton(b),
		);

	const header = byType('HEADER');
	if (header) {
		const headerFormat = upper(header.format);
		if (headerFormat === 'TEXT') {
			const text = header as ServerTextHeader;
			const example = text.example;
			for (const name of placeholdersOf('header text', text.text, format)) {
				const sample = exampleOf(
					name,
					format,
					example?.header_text,
					example?.header_text_named_params,
				);
				variables.push({
					id: `header.text.${name}`,
					displayName: withExample(`Header {{${name}}}`, sample),
					type: 'string',
					required: true,
					example: sample,
					source: { kind: 'headerText', name },
				});
			}
		} else if (
			headerFormat === 'IMAGE' ||
			headerFormat === 'VIDEO' ||
			headerFormat === 'DOCUMENT'
		) {
			variables.push(mediaHeaderVariable(TOP, headerFormat.toLowerCase() as TemplateMediaKind));
		} else if (headerFormat === 'LOCATION') {
			const parts: Array<[TemplateLocationPart, string, TemplateVariableType]> = [
				['latitude', 'Header Location Latitude', 'number'],
				['longitude', 'Header Location Longitude', 'number'],
				['name', 'Header Location Name', 'string'],
				['address', 'Header Location Address', 'string'],
			];
			for (const [part, displayName, type] of parts) {
				variables.push({
					id: `header.location.${part}`,
					displayName,
					type,
					required: true,
					source: { kind: 'headerLocation', part },
				});
			}
		}
	}

	const offer = byType('LIMITED_TIME_OFFER') as ServerLimitedTimeOfferComponent | undefined;
	if (offer?.limited_time_offer?.has_expiration === true) {
		variables.push({
			id: 'offer.expiration_time',
			displayName: 'Offer Expires At (date and time; sent to Meta in milliseconds)',
			type: 'dateTime',
			required: true,
			source: { kind: 'offerExpiration' },
		});
	}

	const body = byType('BODY') as ServerBodyComponent | undefined;
	if (body) {
		const bodyFields = bodyVariables(TOP, body, format, 'body text');
		if (authentication && bodyFields.length === 1) {
			const code = bodyFields[0];
			const label = (buttons?.buttons as ServerTemplateButton[]).find(isCodeButton)?.text;
			variables.push({
				...code,
				displayName: withExample(
					`One-Time Password (in the body and the ${label ? quoteInput(label) : 'code'} button)`,
					code.example,
				),
				source: { kind: 'oneTimePassword' },
			});
		} else {
			variables.push(...bodyFields);
		}
	}

	const carousel = byType('CAROUSEL');
	if (carousel) {
		const cards = Array.isArray(carousel.cards) ? carousel.cards : [];
		cards.forEach((card, cardIndex) => variables.push(...cardVariables(card, cardIndex, format)));
	}

	variables.push(...buttonsVariables(TOP, buttons, authentication));
	return variables;
}

/** The resource mapper's field list: one field per variable, in send order. */
export function templateMapperFields(template: ServerTemplate): ResourceMapperFields {
	return {
		fields: templateVariables(template).map((variable) => ({
			id: variable.id,
			displayName: variable.displayName,
			required: variable.required,
			defaultMatch: false,
			display: true,
			type: variable.type,
			canBeUsedToMatch: false,
			...(variable.optionalField ? { removed: true } : {}),
		})),
	};
}
