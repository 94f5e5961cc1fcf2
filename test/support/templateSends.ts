/**
 * Meta's send-time JSON of template parts, for the tests that check what the emulator received
 * (unit, node and e2e): one place for the shape of a carousel card.
 */
export const text = (t: string) => ({ type: 'text', text: t });

/** A media-card carousel card as sent: image header, body values, optional payload, URL suffix. */
export function carouselCardSend(
	cardIndex: number,
	card: {
		image: { id: string } | { link: string };
		body: string[];
		payload?: string;
		urlSuffix: string;
	},
) {
	return {
		card_index: cardIndex,
		components: [
			{ type: 'header', parameters: [{ type: 'image', image: card.image }] },
			{ type: 'body', parameters: card.body.map(text) },
			...(card.payload
				? [
						{
							type: 'button',
							sub_type: 'quick_reply',
							index: '0',
							parameters: [{ type: 'payload', payload: card.payload }],
						},
					]
				: []),
			{ type: 'button', sub_type: 'url', index: '1', parameters: [text(card.urlSuffix)] },
		],
	};
}
