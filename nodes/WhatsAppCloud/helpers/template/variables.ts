/**
 * What a user must fill to send a template: read from its definition, one variable per value Meta
 * expects, each with an ID that stays the same as long as the template does (the resource mapper
 * stores values under it).
 */
import type { ResourceMapperFields } from 'n8n-workflow';

import { PayloadError } from '../errors';
import { inferParameterFormat, placeholderNames } from './placeholders';
import type {
	ServerBodyComponent,
	ServerTemplate,
	ServerTemplateButton,
	TemplateNamedExample,
	TemplateParameterFormat,
} from '../types/template';
import { NAMED_PARAMETER } from './limits';

export type TemplateMediaKind = 'image' | 'video' | 'document';
export type TemplateLocationPart = 'latitude' | 'longitude' | 'name' | 'address';

/** Where a variable's value goes in the send. */
export type TemplateVariableSource =
	| { kind: 'headerText'; name: string }
	| { kind: 'headerMedia'; media: TemplateMediaKind }
	| { kind: 'headerLocation'; part: TemplateLocationPart }
	| { kind: 'bodyText'; name: string }
	| { kind: 'quickReplyPayload'; index: number }
	| { kind: 'urlSuffix'; index: number; urlPrefix: string }
	| { kind: 'couponCode'; index: number }
	| { kind: 'flowToken'; index: number }
	| { kind: 'flowActionData'; index: number }
	| { kind: 'productThumbnail'; index: number; subType: 'catalog' | 'mpm' }
	| { kind: 'mpmSections'; index: number };

export type TemplateVariableType = 'string' | 'number' | 'object';

export interface TemplateVariable {
	/** `header.text.1`, `header.image`, `body.first_name`, `button.1.url_suffix`, `button.0.payload`, … */
	id: string;
	displayName: string;
	type: TemplateVariableType;
	required: boolean;
	/** The sample value the template was approved with, when Graph returns one. */
	example?: string;
	source: TemplateVariableSource;
}

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

/** The URL before `{{1}}`, when the URL ends in the one placeholder a URL button may have. */
function dynamicUrlPrefix(url: string | undefined): string | undefined {
	const match = /^(.*)\{\{\s*1\s*\}\}\s*$/.exec(url ?? '');
	return match ? match[1] : undefined;
}

function buttonVariables(button: ServerTemplateButton, index: number): TemplateVariable[] {
	const type = upper(button.type);
	const label = 'text' in button && button.text ? ` "${button.text}"` : '';
	switch (type) {
		case 'QUICK_REPLY':
			return [
				{
					id: `button.${index}.payload`,
					displayName: `Quick Reply${label} Payload (returned when tapped)`,
					type: 'string',
					required: false,
					source: { kind: 'quickReplyPayload', index },
				},
			];
		case 'URL':
		case 'OTP': {
			const url = 'url' in button ? button.url : undefined;
			const prefix = dynamicUrlPrefix(url);
			// OTP buttons always carry the code; static URL buttons take nothing.
			if (prefix === undefined && type === 'URL') return [];
			const isCode = type === 'OTP' || /whatsapp\.com\/otp\//.test(url ?? '');
			const sample =
				'example' in button && Array.isArray(button.example) ? button.example[0] : undefined;
			const example =
				prefix !== undefined && typeof sample === 'string' && sample.startsWith(prefix)
					? sample.slice(prefix.length)
					: undefined;
			return [
				{
					id: `button.${index}.url_suffix`,
					displayName: withExample(
						isCode ? `One-Time Code (button${label})` : `URL Button${label} Suffix After ${prefix}`,
						example,
					),
					type: 'string',
					required: true,
					example,
					source: { kind: 'urlSuffix', index, urlPrefix: prefix ?? '' },
				},
			];
		}
		case 'COPY_CODE': {
			const sample = 'example' in button ? button.example : undefined;
			const example = Array.isArray(sample) ? sample[0] : sample;
			return [
				{
					id: `button.${index}.coupon_code`,
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
					id: `button.${index}.flow_token`,
					displayName: `Flow Button${label} Token (identifies the reply)`,
					type: 'string',
					required: false,
					source: { kind: 'flowToken', index },
				},
				{
					id: `button.${index}.flow_action_data`,
					displayName: `Flow Button${label} Initial Data (JSON object)`,
					type: 'object',
					required: false,
					source: { kind: 'flowActionData', index },
				},
			];
		case 'CATALOG':
			return [
				{
					id: `button.${index}.thumbnail_product_retailer_id`,
					displayName: `Catalog Button${label} Thumbnail Product Retailer ID`,
					type: 'string',
					required: false,
					source: { kind: 'productThumbnail', index, subType: 'catalog' },
				},
			];
		case 'MPM':
			return [
				{
					id: `button.${index}.thumbnail_product_retailer_id`,
					displayName: `Multi-Product Button${label} Thumbnail Product Retailer ID`,
					type: 'string',
					required: true,
					source: { kind: 'productThumbnail', index, subType: 'mpm' },
				},
				{
					id: `button.${index}.sections`,
					displayName: `Multi-Product Button${label} Sections (JSON list of {title, product_items})`,
					type: 'object',
					required: true,
					source: { kind: 'mpmSections', index },
				},
			];
		default:
			// PHONE_NUMBER, and button kinds without send-time values.
			return [];
	}
}

/** Every value a send of this template needs or accepts, in send order (header, body, buttons). */
export function templateVariables(template: ServerTemplate): TemplateVariable[] {
	const format = parameterFormat(template);
	const variables: TemplateVariable[] = [];
	const components = (Array.isArray(template.components) ? template.components : []).filter(
		(c) => typeof c === 'object' && c !== null,
	);
	const byType = (type: string) => components.find((c) => upper(c.type) === type);

	const header = byType('HEADER');
	if (header && 'format' in header) {
		const headerFormat = upper(header.format);
		if (headerFormat === 'TEXT' && 'text' in header) {
			const example = 'example' in header ? header.example : undefined;
			for (const name of placeholdersOf('header text', header.text, format)) {
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
			const media = headerFormat.toLowerCase() as TemplateMediaKind;
			const title = media.charAt(0).toUpperCase() + media.slice(1);
			variables.push({
				id: `header.${media}`,
				displayName: `Header ${title} (media ID or https:// URL)`,
				type: 'string',
				required: true,
				source: { kind: 'headerMedia', media },
			});
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

	const body = byType('BODY') as ServerBodyComponent | undefined;
	if (body) {
		const example = body.example;
		for (const name of placeholdersOf('body text', body.text, format)) {
			const sample = exampleOf(
				name,
				format,
				example?.body_text?.[0],
				example?.body_text_named_params,
			);
			variables.push({
				id: `body.${name}`,
				displayName: withExample(`Body {{${name}}}`, sample),
				type: 'string',
				required: true,
				example: sample,
				source: { kind: 'bodyText', name },
			});
		}
	}

	const buttons = byType('BUTTONS');
	if (buttons && 'buttons' in buttons && Array.isArray(buttons.buttons)) {
		buttons.buttons.forEach((button, index) => variables.push(...buttonVariables(button, index)));
	}

	for (const component of components) {
		const type = upper(component.type);
		if (!['HEADER', 'BODY', 'FOOTER', 'BUTTONS'].includes(type)) {
			throw new PayloadError(
				`template component ${type} is not supported by this operation; send this template with the HTTP Request node`,
				{ field: 'template.components', limit: 'HEADER, BODY, FOOTER, BUTTONS', actual: type },
			);
		}
	}
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
		})),
	};
}
