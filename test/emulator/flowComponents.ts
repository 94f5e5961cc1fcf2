/**
 * Meta's component rules for Flow JSON screens, as its validator applies them on upload
 * (https://developers.facebook.com/docs/whatsapp/flows/reference/components): known component
 * types, required properties, label and text lengths, option counts, unique names, at most one
 * Footer, a Footer on terminal screens, 50 components per screen, and `${form.x}` references that
 * name an input of the screen. The customer's side of a form (what the client lets them submit)
 * is `checkSubmission`. Limits marked in the fact sheet as uncertain are taken on the strict side.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const len = (s: string) => [...s].length;
const isDynamic = (v: unknown) => typeof v === 'string' && /^\$\{.*\}$/.test(v.trim());

export const COMPONENTS_PER_SCREEN_MAX = 50;

const TEXT_COMPONENTS: Record<string, number> = {
	TextHeading: 80,
	TextSubheading: 80,
	TextBody: 4096,
	TextCaption: 409,
};
/** Input components and their label limits. */
const INPUTS: Record<string, number> = {
	TextInput: 20,
	TextArea: 20,
	Dropdown: 20,
	DatePicker: 40,
	CalendarPicker: 40,
	CheckboxGroup: 30,
	RadioButtonsGroup: 30,
	ChipsSelector: 80,
	OptIn: 120,
	PhotoPicker: 30,
	DocumentPicker: 30,
};
const OPTION_MAX: Record<string, number> = {
	Dropdown: 200,
	CheckboxGroup: 20,
	RadioButtonsGroup: 20,
	ChipsSelector: 20,
};
const OTHER = [
	'Footer',
	'Form',
	'EmbeddedLink',
	'Image',
	'If',
	'Switch',
	'NavigationList',
	'RichText',
	'ImageCarousel',
];
export const TEXT_INPUT_TYPES = ['text', 'number', 'email', 'password', 'passcode', 'phone'];
const ACTIONS = ['complete', 'navigate', 'data_exchange', 'update_data', 'open_url'];
const HELPER_TEXT_MAX = 80;
const OPTION_TITLE_MAX = 30;
const FOOTER_LABEL_MAX = 35;

export type AddError = (error: string, path: string, message: string) => void;

/** The input components of a screen (inside Forms too), each with its path. */
export function screenInputs(screen: Obj): Array<{ component: Obj; path: string }> {
	const out: Array<{ component: Obj; path: string }> = [];
	const walk = (children: unknown, path: string) => {
		if (!Array.isArray(children)) return;
		children.forEach((child, index) => {
			if (!isObj(child)) return;
			const at = `${path}[${index}]`;
			if (typeof child.type === 'string' && child.type in INPUTS)
				out.push({ component: child, path: at });
			walk(child.children, `${at}.children`);
		});
	};
	walk(isObj(screen.layout) ? screen.layout.children : undefined, 'layout.children');
	return out;
}

function checkComponent(c: Obj, at: string, add: AddError, names: Set<string>, footers: string[]) {
	const type = c.type;
	if (typeof type !== 'string')
		return add('MISSING_REQUIRED_PROPERTY', `${at}.type`, "Missing required property 'type'.");
	const text = (key: string, max: number, required: boolean) => {
		const value = c[key];
		if (value === undefined) {
			if (required)
				add(
					'MISSING_REQUIRED_PROPERTY',
					`${at}.${key}`,
					`Missing required property '${key}' of ${type}.`,
				);
			return;
		}
		if (typeof value !== 'string')
			return add('INVALID_PROPERTY_VALUE', `${at}.${key}`, `${type} '${key}' must be a string.`);
		if (!isDynamic(value) && len(value) > max)
			add(
				'INVALID_PROPERTY_VALUE',
				`${at}.${key}`,
				`${type} '${key}' is ${len(value)} characters; the limit is ${max}.`,
			);
		if (required && !isDynamic(value) && value.trim() === '')
			add('INVALID_PROPERTY_VALUE', `${at}.${key}`, `${type} '${key}' must not be empty.`);
	};
	if (type in TEXT_COMPONENTS) return text('text', TEXT_COMPONENTS[type], true);
	if (type in INPUTS) {
		const name = c.name;
		if (typeof name !== 'string' || name === '')
			add(
				'MISSING_REQUIRED_PROPERTY',
				`${at}.name`,
				`Missing required property 'name' of ${type}.`,
			);
		else if (!/^[A-Za-z0-9_]+$/.test(name))
			add(
				'INVALID_PROPERTY_VALUE',
				`${at}.name`,
				`Component name '${name}': only letters, digits and underscores.`,
			);
		else if (names.has(name))
			add(
				'DUPLICATE_COMPONENT_NAME',
				`${at}.name`,
				`Component name '${name}' is used more than once on the screen.`,
			);
		else names.add(name);
		text('label', INPUTS[type], type !== 'OptIn');
		if (type === 'OptIn') text('label', INPUTS[type], true);
		text('helper-text', HELPER_TEXT_MAX, false);
		if (c.required !== undefined && typeof c.required !== 'boolean' && !isDynamic(c.required))
			add('INVALID_PROPERTY_VALUE', `${at}.required`, `${type} 'required' must be a boolean.`);
		if (
			type === 'TextInput' &&
			c['input-type'] !== undefined &&
			!TEXT_INPUT_TYPES.includes(String(c['input-type']))
		)
			add(
				'INVALID_PROPERTY_VALUE',
				`${at}.input-type`,
				`TextInput 'input-type' must be one of ${TEXT_INPUT_TYPES.join(', ')}.`,
			);
		if (type in OPTION_MAX) {
			const source = c['data-source'];
			if (source === undefined)
				add(
					'MISSING_REQUIRED_PROPERTY',
					`${at}.data-source`,
					`Missing required property 'data-source' of ${type}.`,
				);
			else if (Array.isArray(source)) {
				if (source.length < 1 || source.length > OPTION_MAX[type])
					add(
						'INVALID_PROPERTY_VALUE',
						`${at}.data-source`,
						`${type} needs 1 to ${OPTION_MAX[type]} options; it has ${source.length}.`,
					);
				const ids = new Set<string>();
				source.forEach((option, index) => {
					const op = `${at}.data-source[${index}]`;
					if (!isObj(option) || typeof option.id !== 'string' || typeof option.title !== 'string')
						return add('INVALID_PROPERTY_VALUE', op, 'Each option needs a string id and title.');
					if (ids.has(option.id))
						add(
							'INVALID_PROPERTY_VALUE',
							`${op}.id`,
							`Option id '${option.id}' is used more than once.`,
						);
					ids.add(option.id);
					if (len(option.title) > OPTION_TITLE_MAX)
						add(
							'INVALID_PROPERTY_VALUE',
							`${op}.title`,
							`Option title is ${len(option.title)} characters; the limit is ${OPTION_TITLE_MAX}.`,
						);
				});
				if (type === 'CheckboxGroup') {
					const min = c['min-selected-items'];
					const max = c['max-selected-items'];
					for (const [key, value] of [
						['min-selected-items', min],
						['max-selected-items', max],
					] as const)
						if (
							value !== undefined &&
							(!Number.isInteger(value) ||
								(value as number) < 0 ||
								(value as number) > source.length)
						)
							add(
								'INVALID_PROPERTY_VALUE',
								`${at}.${key}`,
								`CheckboxGroup '${key}' must be a whole number of 0 to ${source.length}.`,
							);
					if (typeof min === 'number' && typeof max === 'number' && min > max)
						add(
							'INVALID_PROPERTY_VALUE',
							`${at}.min-selected-items`,
							"'min-selected-items' is more than 'max-selected-items'.",
						);
				}
			}
		}
		return;
	}
	if (type === 'Footer') {
		footers.push(at);
		text('label', FOOTER_LABEL_MAX, true);
		const action = c['on-click-action'];
		if (!isObj(action))
			add(
				'MISSING_REQUIRED_PROPERTY',
				`${at}.on-click-action`,
				"Missing required property 'on-click-action' of Footer.",
			);
		else if (!ACTIONS.includes(String(action.name)))
			add(
				'INVALID_PROPERTY_VALUE',
				`${at}.on-click-action.name`,
				`on-click-action name must be one of ${ACTIONS.join(', ')}.`,
			);
		return;
	}
	if (!OTHER.includes(type))
		add('INVALID_PROPERTY_VALUE', `${at}.type`, `Unknown component type '${type}'.`);
}

/** Every `${form.x}` in a value (for the Footer's payload). */
function formReferences(value: unknown, path: string, out: Array<{ name: string; path: string }>) {
	if (typeof value === 'string') {
		for (const match of value.matchAll(/\$\{form\.([A-Za-z0-9_]+)\}/g))
			out.push({ name: match[1], path });
	} else if (Array.isArray(value)) value.forEach((v, i) => formReferences(v, `${path}[${i}]`, out));
	else if (isObj(value))
		for (const [k, v] of Object.entries(value)) formReferences(v, `${path}.${k}`, out);
}

/** Meta's component checks on one screen; `at` is the screen's path (`screens[0]`). */
export function checkScreenComponents(screen: Obj, at: string, add: AddError): void {
	if (!isObj(screen.layout)) return;
	if (screen.layout.type !== 'SingleColumnLayout')
		add('INVALID_PROPERTY_VALUE', `${at}.layout.type`, "Layout type must be 'SingleColumnLayout'.");
	const names = new Set<string>();
	const footers: string[] = [];
	let count = 0;
	const references: Array<{ name: string; path: string }> = [];
	const walk = (children: unknown, path: string) => {
		if (!Array.isArray(children)) return;
		children.forEach((child, index) => {
			const cp = `${path}[${index}]`;
			count++;
			if (!isObj(child)) return add('INVALID_PROPERTY_VALUE', cp, 'A component must be an object.');
			checkComponent(child, cp, add, names, footers);
			if (child.type === 'Footer')
				formReferences(child['on-click-action'], `${cp}.on-click-action`, references);
			walk(child.children, `${cp}.children`);
		});
	};
	walk(screen.layout.children, `${at}.layout.children`);
	if (count > COMPONENTS_PER_SCREEN_MAX)
		add(
			'INVALID_PROPERTY_VALUE',
			`${at}.layout.children`,
			`A screen holds at most ${COMPONENTS_PER_SCREEN_MAX} components; it has ${count}.`,
		);
	if (footers.length > 1)
		add('INVALID_PROPERTY_VALUE', footers[1], 'A screen can have only one Footer.');
	if (screen.terminal === true && footers.length === 0)
		add('MISSING_REQUIRED_PROPERTY', `${at}.layout.children`, 'A terminal screen needs a Footer.');
	for (const reference of references)
		if (!names.has(reference.name))
			add(
				'INVALID_PROPERTY_VALUE',
				reference.path,
				`\${form.${reference.name}} names no component of the screen.`,
			);
}

/**
 * What the WhatsApp client lets a customer submit on a screen: `values` by component name.
 * Returns the problems (empty: the Footer can be tapped).
 */
export function checkSubmission(screen: Obj, values: Obj): string[] {
	const problems: string[] = [];
	const inputs = screenInputs(screen);
	const known = new Set(inputs.map((input) => String(input.component.name)));
	for (const name of Object.keys(values))
		if (!known.has(name)) problems.push(`${name} is not a field of the screen`);
	for (const { component } of inputs) {
		const name = String(component.name);
		const value = values[name];
		const empty =
			value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
		if (empty) {
			if (component.required === true) problems.push(`${name} is required`);
			continue;
		}
		const ids = Array.isArray(component['data-source'])
			? (component['data-source'] as Obj[]).map((option) => String(option.id))
			: [];
		switch (component.type) {
			case 'TextInput': {
				const text = String(value);
				if (typeof value !== 'string') problems.push(`${name} must be text`);
				else if (component['input-type'] === 'number' && !/^-?\d+(\.\d+)?$/.test(text))
					problems.push(`${name} must be a number`);
				else if (component['input-type'] === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text))
					problems.push(`${name} must be an email address`);
				else if (component['input-type'] === 'phone' && !/^\+?[\d\s()-]{4,}$/.test(text))
					problems.push(`${name} must be a phone number`);
				break;
			}
			case 'DatePicker':
				if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))
					problems.push(`${name} must be a date YYYY-MM-DD`);
				break;
			case 'Dropdown':
			case 'RadioButtonsGroup':
				if (!ids.includes(String(value)))
					problems.push(`${name}: "${String(value)}" is not one of its options`);
				break;
			case 'CheckboxGroup': {
				const list = Array.isArray(value) ? value.map(String) : [String(value)];
				for (const id of list)
					if (!ids.includes(id)) problems.push(`${name}: "${id}" is not one of its options`);
				const min = component['min-selected-items'];
				const max = component['max-selected-items'];
				if (typeof min === 'number' && list.length < min)
					problems.push(`${name} needs at least ${min} ticked`);
				if (typeof max === 'number' && list.length > max)
					problems.push(`${name} allows at most ${max} ticked`);
				break;
			}
			default:
				break;
		}
	}
	return problems;
}

/** The Footer's `complete` payload with each `${form.x}` replaced by the submitted value. */
export function completionPayload(screen: Obj, values: Obj): Obj | undefined {
	let footer: Obj | undefined;
	const walk = (children: unknown) => {
		if (!Array.isArray(children)) return;
		for (const child of children) {
			if (!isObj(child)) continue;
			if (child.type === 'Footer') footer = child;
			walk(child.children);
		}
	};
	walk(isObj(screen.layout) ? screen.layout.children : undefined);
	const action = footer?.['on-click-action'];
	if (!isObj(action) || action.name !== 'complete') return undefined;
	const resolve = (value: unknown): unknown => {
		if (typeof value === 'string') {
			const whole = /^\$\{form\.([A-Za-z0-9_]+)\}$/.exec(value);
			// A whole reference keeps the value's type (a CheckboxGroup gives a list); an unset field is left out [U].
			if (whole) return values[whole[1]];
			return value.replace(/\$\{form\.([A-Za-z0-9_]+)\}/g, (_, name: string) =>
				String(values[name] ?? ''),
			);
		}
		if (Array.isArray(value)) return value.map(resolve);
		if (isObj(value))
			return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
		return value;
	};
	return (resolve(isObj(action.payload) ? action.payload : {}) as Obj) ?? {};
}
