import { PayloadError } from '../errors';
import { REACTION_EMOJI_COUNT } from '../limits';
import type { ClientReactionContent } from '../types/client';
import { containsEmoji, describeType, graphemes, requiredObject, requiredToken } from '../check';

export type ReactionInput = {
	/** The wamid of the message reacted to. */
	messageId: string;
	/** One emoji; empty removes the earlier reaction. */
	emoji: string;
};

export function buildReactionContent(input: ReactionInput): ClientReactionContent {
	requiredObject('reaction', input);
	const messageId = requiredToken('messageId', input.messageId, 'a message ID (wamid)');
	const raw: unknown = input.emoji ?? '';
	if (typeof raw !== 'string') {
		throw new PayloadError(`emoji must be text; it is ${describeType(raw)}`, {
			field: 'emoji',
			limit: 'exactly one emoji, or empty to remove the reaction',
			actual: describeType(raw),
		});
	}
	const emoji = raw.trim();
	if (emoji !== '') {
		const clusters = graphemes(emoji);
		if (clusters.length !== REACTION_EMOJI_COUNT || !containsEmoji(emoji)) {
			const actual =
				clusters.length === 1
					? 'a character that is not an emoji'
					: `${clusters.length} characters`;
			throw new PayloadError(
				`emoji must be exactly one emoji (or empty to remove the reaction); it has ${actual}`,
				{ field: 'emoji', limit: 'exactly one emoji, or empty to remove the reaction', actual },
			);
		}
	}
	return { type: 'reaction', reaction: { message_id: messageId, emoji } };
}
