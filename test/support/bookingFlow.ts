/**
 * An appointment-booking Flow with an endpoint, as a business would write it: pick a date, pick a
 * slot the endpoint computes for that date, confirm. Shared by emulator, node and e2e tests.
 */
const option = (id: string, title: string) => ({ id, title });
const optionList = (example: Array<{ id: string; title: string }>) => ({
	type: 'array',
	items: {
		type: 'object',
		properties: { id: { type: 'string' }, title: { type: 'string' } },
	},
	__example__: example,
});

export const BOOKING_FLOW = {
	version: '7.1',
	data_api_version: '3.0',
	routing_model: { PICK_DATE: ['PICK_SLOT'], PICK_SLOT: ['CONFIRM'], CONFIRM: [] },
	screens: [
		{
			id: 'PICK_DATE',
			title: 'Pick a date',
			data: { dates: optionList([option('2026-12-24', 'Thu 24 Dec')]) },
			layout: {
				type: 'SingleColumnLayout',
				children: [
					{
						type: 'Form',
						name: 'date_form',
						children: [
							{
								type: 'Dropdown',
								name: 'date',
								label: 'Date',
								required: true,
								'data-source': '${data.dates}',
							},
							{
								type: 'Footer',
								label: 'Next',
								'on-click-action': {
									name: 'data_exchange',
									payload: { date: '${form.date}' },
								},
							},
						],
					},
				],
			},
		},
		{
			id: 'PICK_SLOT',
			title: 'Pick a time',
			data: {
				date: { type: 'string', __example__: '2026-12-24' },
				slots: optionList([option('09:00', '09:00')]),
			},
			layout: {
				type: 'SingleColumnLayout',
				children: [
					{
						type: 'Form',
						name: 'slot_form',
						children: [
							{
								type: 'RadioButtonsGroup',
								name: 'slot',
								label: 'Time',
								required: true,
								'data-source': '${data.slots}',
							},
							{
								type: 'Footer',
								label: 'Next',
								'on-click-action': {
									name: 'data_exchange',
									payload: { date: '${data.date}', slot: '${form.slot}' },
								},
							},
						],
					},
				],
			},
		},
		{
			id: 'CONFIRM',
			title: 'Confirm',
			terminal: true,
			data: {
				date: { type: 'string', __example__: '2026-12-24' },
				slot: { type: 'string', __example__: '09:00' },
				summary: { type: 'string', __example__: 'Thu 24 Dec at 09:00' },
			},
			layout: {
				type: 'SingleColumnLayout',
				children: [
					{ type: 'TextBody', text: '${data.summary}' },
					{
						type: 'Footer',
						label: 'Book',
						'on-click-action': {
							name: 'data_exchange',
							payload: { date: '${data.date}', slot: '${data.slot}' },
						},
					},
				],
			},
		},
	],
};

export const BOOKING_FLOW_JSON = JSON.stringify(BOOKING_FLOW, null, 2);

/** The business logic the booking endpoint runs, identical in every test that needs it. */
export const BOOKING_DATES = [
	option('2026-12-24', 'Thu 24 Dec'),
	option('2026-12-28', 'Mon 28 Dec'),
];
export const slotsFor = (date: string) =>
	(date === '2026-12-24' ? ['09:00', '09:30'] : ['14:00']).map((slot) => option(slot, slot));
