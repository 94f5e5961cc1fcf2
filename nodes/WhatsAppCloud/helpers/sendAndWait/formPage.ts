/**
 * The form page of the "Form Link in the Message" fallback: what n8n's own send-and-wait serves at
 * its signed waiting URL (a GET shows the form, the POST of it resumes the execution), written
 * here as plain HTML with no script, posted as `multipart/form-data` to the same URL (the only body
 * n8n takes at a custom form's waiting URL).
 */
import type { FormDefinition, FormField } from './form';
import { formComponentName } from './form';

/** The Content-Security-Policy n8n puts on its own form pages (a sandbox that allows forms). */
export const FORM_PAGE_CSP =
	'sandbox allow-downloads allow-forms allow-modals allow-orientation-lock allow-pointer-lock allow-popups allow-popups-to-escape-sandbox allow-presentation allow-scripts allow-top-navigation-by-user-activation allow-top-navigation-to-custom-protocols';

export function escapeHtml(value: string): string {
	return value
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

const INPUT_TYPES: Partial<Record<FormField['kind'], string>> = {
	text: 'text',
	number: 'number',
	email: 'email',
	phone: 'tel',
	password: 'password',
	date: 'date',
};

function fieldHtml(field: FormField, index: number): string {
	const name = formComponentName(index);
	const required = field.required ? ' required' : '';
	const label = `<label for="${name}">${escapeHtml(field.label)}${field.required ? ' *' : ''}</label>`;
	const help = field.helperText ? `<small>${escapeHtml(field.helperText)}</small>` : '';
	const options = (field.options ?? []).map((title, optionIndex) => ({
		id: `option_${optionIndex}`,
		title: escapeHtml(title),
	}));
	let control: string;
	switch (field.kind) {
		case 'textarea':
			control = `<textarea id="${name}" name="${name}" rows="5"${required}></textarea>`;
			break;
		case 'dropdown':
			control = `<select id="${name}" name="${name}"${required}><option value="">–</option>${options
				.map((option) => `<option value="${option.id}">${option.title}</option>`)
				.join('')}</select>`;
			break;
		case 'radio':
		case 'checkbox': {
			const type = field.kind;
			control = `<div class="choices">${options
				.map(
					(option, optionIndex) =>
						`<label><input type="${type}" name="${name}" value="${option.id}"${type === 'radio' && required && optionIndex === 0 ? ' required' : ''}> ${option.title}</label>`,
				)
				.join('')}</div>`;
			break;
		}
		default:
			control = `<input id="${name}" name="${name}" type="${INPUT_TYPES[field.kind] ?? 'text'}"${field.kind === 'number' ? ' step="any"' : ''}${required}>`;
	}
	return `<div class="field">${label}${control}${help}</div>`;
}

const STYLE =
	'body{font-family:system-ui,sans-serif;background:#f2f4f5;margin:0;padding:24px}main{max-width:480px;margin:auto;background:#fff;border-radius:8px;padding:24px}h1{font-size:20px}.field{margin:16px 0;display:flex;flex-direction:column;gap:6px}input,select,textarea{font:inherit;padding:8px;border:1px solid #ccc;border-radius:6px}.choices label{display:block}small{color:#666}button{font:inherit;background:#25d366;color:#fff;border:0;border-radius:6px;padding:10px 16px}p.error{color:#b00020}';

function page(title: string, body: string): string {
	return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/** The form, posted back to the page's own (signed) URL. */
export function renderFormPage(form: FormDefinition, error?: string): string {
	const description = form.description
		? `<p>${escapeHtml(form.description).replace(/\n/g, '<br>')}</p>`
		: '';
	const problem = error ? `<p class="error">${escapeHtml(error)}</p>` : '';
	return page(
		form.title,
		`<h1>${escapeHtml(form.title)}</h1>${description}${problem}<form method="post" enctype="multipart/form-data">${form.fields
			.map((field, index) => fieldHtml(field, index))
			.join('')}<button type="submit">${escapeHtml(form.submitLabel)}</button></form>`,
	);
}

/** What the customer sees once the answer is taken, or when it no longer can be. */
export function renderMessagePage(title: string, text: string): string {
	return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`);
}

/** The fields of a posted form page: n8n parses multipart into `{ data: { field: value }, files }`. */
export function postedFormFields(body: unknown): Record<string, unknown> {
	if (typeof body !== 'object' || body === null) return {};
	const { data } = body as { data?: unknown };
	return typeof data === 'object' && data !== null && !Array.isArray(data)
		? (data as Record<string, unknown>)
		: {};
}
