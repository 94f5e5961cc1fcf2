/**
 * A chat model for the AI Agent e2e tests: an OpenAI-compatible `/v1/chat/completions` server on
 * localhost. No machine here reaches a model provider, and an agent test needs a model whose next
 * step is known, so each test gives the reply to every request (`decide`). n8n's own OpenAI Chat
 * Model node talks to it through the credential's Base URL; everything else in the run is real.
 * https://platform.openai.com/docs/api-reference/chat/create
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string | null | Array<{ type: string; text?: string }>;
	tool_calls?: ToolCall[];
	tool_call_id?: string;
}

export interface ToolCall {
	id: string;
	type: 'function';
	function: { name: string; arguments: string };
}

export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	tools?: Array<{ type: 'function'; function: { name: string; parameters: unknown } }>;
	stream?: boolean;
}

/** What the model answers: a call of one tool, or a final text. */
export type ChatReply =
	{ toolCall: { name: string; arguments: Record<string, unknown> } } | { text: string };

export interface ChatModelServer {
	/** The Base URL for n8n's OpenAI credential (`…/v1`). */
	baseUrl: string;
	requests: ChatRequest[];
	stop(): Promise<void>;
}

/** The text of a message, whichever shape the client sent it in. */
export function textOf(message: ChatMessage): string {
	if (typeof message.content === 'string') return message.content;
	return (message.content ?? []).map((part) => part.text ?? '').join('');
}

export async function startChatModel(
	decide: (request: ChatRequest) => ChatReply,
): Promise<ChatModelServer> {
	const requests: ChatRequest[] = [];
	let calls = 0;
	const server: Server = createServer((req, res) => {
		void handle(req, res).catch((error: Error) => {
			res.writeHead(500, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: { message: error.message, type: 'server_error' } }));
		});
	});

	async function handle(req: IncomingMessage, res: ServerResponse) {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
			return;
		}
		const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
		requests.push(request);
		const reply = decide(request);
		calls += 1;
		const id = `chatcmpl-${calls}`;
		const message =
			'toolCall' in reply
				? {
						role: 'assistant',
						content: null,
						tool_calls: [
							{
								id: `call_${calls}`,
								type: 'function',
								function: {
									name: reply.toolCall.name,
									arguments: JSON.stringify(reply.toolCall.arguments),
								},
							},
						],
					}
				: { role: 'assistant', content: reply.text };
		const finishReason = 'toolCall' in reply ? 'tool_calls' : 'stop';
		const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
		const created = Math.floor(Date.now() / 1000);
		if (!request.stream) {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					id,
					object: 'chat.completion',
					created,
					model: request.model,
					choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
					usage,
				}),
			);
			return;
		}
		res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
		const send = (choices: unknown[], extra: Record<string, unknown> = {}) =>
			res.write(
				`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.model, choices, ...extra })}\n\n`,
			);
		const delta =
			'toolCall' in reply
				? {
						role: 'assistant',
						content: null,
						tool_calls: message.tool_calls!.map((call, index) => ({ index, ...call })),
					}
				: { role: 'assistant', content: reply.text };
		send([{ index: 0, delta, finish_reason: null }]);
		send([{ index: 0, delta: {}, finish_reason: finishReason }]);
		send([], { usage });
		res.end('data: [DONE]\n\n');
	}

	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		requests,
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
