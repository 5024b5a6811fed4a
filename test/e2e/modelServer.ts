/**
 * A scripted OpenAI-compatible chat model on 127.0.0.1, for running n8n's AI Agent without a real
 * model: `POST /v1/chat/completions` answers each request with the next turn of a script (a function
 * of the request), streamed (SSE) when the request asks for it; `GET /v1/models` lists one model.
 * Every request body is kept, so a test can read what n8n sent: the tools (name, description, JSON
 * schema of the parameters) and the `role: "tool"` messages holding the tools' results.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatTool {
	type: 'function';
	function: { name: string; description?: string; parameters?: JsonSchema };
}

export interface JsonSchema {
	type?: string | string[];
	description?: string;
	properties?: Record<string, JsonSchema>;
	required?: string[];
	[key: string]: unknown;
}

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content?: string | Array<{ type: string; text?: string }> | null;
	tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
}

export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	tools?: ChatTool[];
	stream?: boolean;
	[key: string]: unknown;
}

/** A turn: either tool calls (name and arguments) or a final text. */
export type Turn = { toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> } | { text: string };

export interface ModelServer {
	/** The base URL for the openAiApi credential's `url` (ends with /v1). */
	url: string;
	requests: ChatRequest[];
	/** Other requests (method and path), e.g. GET /v1/models. */
	other: string[];
	stop(): Promise<void>;
}

/** The text of a message (string content, or the text parts of an array content). */
export function messageText(message: ChatMessage): string {
	if (typeof message.content === 'string') return message.content;
	return (message.content ?? []).map((part) => part.text ?? '').join('');
}

export async function startModelServer(script: (request: ChatRequest, index: number) => Turn): Promise<ModelServer> {
	const requests: ChatRequest[] = [];
	const other: string[] = [];
	let callCounter = 0;
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += String(chunk)));
		req.on('end', () => {
			const path = (req.url ?? '').split('?')[0];
			const json = (status: number, value: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(value));
			};
			if (req.method === 'GET' && path.endsWith('/models')) {
				other.push(`${req.method} ${path}`);
				json(200, { object: 'list', data: [{ id: 'test-model', object: 'model', created: 0, owned_by: 'test' }] });
				return;
			}
			if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
				other.push(`${req.method} ${path}`);
				json(404, { error: { message: `no ${req.method} ${path} here`, type: 'invalid_request_error' } });
				return;
			}
			let request: ChatRequest;
			try {
				request = JSON.parse(body) as ChatRequest;
			} catch {
				json(400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
				return;
			}
			requests.push(request);
			let turn: Turn;
			try {
				turn = script(request, requests.length - 1);
			} catch (error) {
				// a script that cannot answer says why in the answer, which n8n shows as the model's error
				json(500, { error: { message: `model script: ${(error as Error).message}`, type: 'server_error' } });
				return;
			}
			const message =
				'text' in turn
					? { role: 'assistant', content: turn.text }
					: {
							role: 'assistant',
							content: null,
							tool_calls: turn.toolCalls.map((call) => ({ id: `call_${++callCounter}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } })),
						};
			const finish = 'text' in turn ? 'stop' : 'tool_calls';
			const base = { id: `chatcmpl-${requests.length}`, created: Math.floor(Date.now() / 1000), model: request.model };
			const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
			if (!request.stream) {
				json(200, { ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finish, logprobs: null }], usage });
				return;
			}
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
			const send = (value: unknown) => res.write(`data: ${JSON.stringify(value)}\n\n`);
			const delta =
				'text' in turn
					? { role: 'assistant', content: turn.text }
					: { role: 'assistant', content: null, tool_calls: message.tool_calls?.map((call, index) => ({ index, ...call })) };
			send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }] });
			send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finish }] });
			send({ ...base, object: 'chat.completion.chunk', choices: [], usage });
			res.end('data: [DONE]\n\n');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		other,
		stop: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
