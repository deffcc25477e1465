import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the scripted model answers one chat-completions request with: text, tool calls (with or without text before them), or an HTTP error. */
export type ScriptedTurn =
  | { content: string; toolCalls?: Array<{ name: string; arguments: Record<string, unknown> }>; usage?: number }
  | { toolCalls: Array<{ name: string; arguments: Record<string, unknown> }>; usage?: number }
  | { status: number; body?: unknown };

export interface FakeOpenAi {
  /** The base URL to give the OpenAI client (ends in /v1). */
  url: string;
  /** The JSON bodies of the chat-completions requests received, in order. */
  requests: Array<{ model: string; messages: Array<{ role: string; content?: string | null; tool_call_id?: string }>; tools?: unknown[]; stream?: boolean; stream_options?: { include_usage?: boolean } }>;
  /** Turns still to play; a request with none left gets a plain "ok" answer. */
  script: ScriptedTurn[];
  close(): Promise<void>;
}

const read = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });

/**
 * A test double of an OpenAI-compatible chat-completions endpoint (the external API the
 * chatbot-bridge talks to): it speaks the real protocol, plain JSON or streamed chunks
 * (`stream: true`, Server-Sent Events ending in [DONE]: a chunk per word of the text, a tool call's
 * name then its arguments in two pieces, the usage last when `stream_options.include_usage` asks),
 * and plays back scripted turns, each after `latencyMs` (the time to the first chunk when streamed),
 * with `chunkIntervalMs` between streamed chunks.
 */
export async function startFakeOpenAi(
  options: {
    script?: ScriptedTurn[];
    latencyMs?: number;
    chunkIntervalMs?: number;
    /** Called when an answer is sent: the request and how long it took here, from its body read to the answer's end (the model's own latency, for a bench). */
    onAnswered?: (request: FakeOpenAi['requests'][number], ms: number) => void;
  } = {},
): Promise<FakeOpenAi> {
  const fake: Omit<FakeOpenAi, 'url' | 'close'> = { requests: [], script: options.script ?? [] };
  let sequence = 0;
  const server: Server = createServer(async (request, response) => {
    const body = await read(request);
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const parsed = JSON.parse(body) as FakeOpenAi['requests'][number];
    const received = performance.now();
    if (options.onAnswered) response.once('finish', () => options.onAnswered!(parsed, performance.now() - received));
    fake.requests.push(parsed);
    const turn = fake.script.shift() ?? { content: 'ok' };
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    if ('status' in turn) {
      response.writeHead(turn.status, { 'content-type': 'application/json' }).end(JSON.stringify(turn.body ?? { error: { message: 'scripted failure', type: 'server_error' } }));
      return;
    }
    sequence += 1;
    const id = `chatcmpl-${sequence}`;
    const created = Math.floor(Date.now() / 1000);
    const toolCalls = 'toolCalls' in turn && turn.toolCalls ? turn.toolCalls.map((call, index) => ({ index, id: `call_${sequence}_${index}`, type: 'function' as const, function: { name: call.name, arguments: JSON.stringify(call.arguments) } })) : undefined;
    const content = 'content' in turn ? turn.content : null;
    const usage = { prompt_tokens: Math.floor((turn.usage ?? 30) * 0.8), completion_tokens: Math.ceil((turn.usage ?? 30) * 0.2), total_tokens: turn.usage ?? 30 };
    const finish = toolCalls ? 'tool_calls' : 'stop';
    if (parsed.stream) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const frame = (body: unknown) => `data: ${JSON.stringify(body)}\n\n`;
      const chunk = (delta: unknown, finishReason: string | null) => frame({ id, object: 'chat.completion.chunk', created, model: parsed.model, choices: [{ index: 0, delta, finish_reason: finishReason }] });
      const pieces = [chunk({ role: 'assistant', content: '' }, null)];
      if (content) for (const word of content.match(/\S+\s*/g) ?? []) pieces.push(chunk({ content: word }, null));
      for (const call of toolCalls ?? []) {
        const half = Math.ceil(call.function.arguments.length / 2);
        pieces.push(chunk({ tool_calls: [{ index: call.index, id: call.id, type: 'function', function: { name: call.function.name, arguments: call.function.arguments.slice(0, half) } }] }, null));
        pieces.push(chunk({ tool_calls: [{ index: call.index, function: { arguments: call.function.arguments.slice(half) } }] }, null));
      }
      pieces.push(chunk({}, finish));
      if (parsed.stream_options?.include_usage) pieces.push(frame({ id, object: 'chat.completion.chunk', created, model: parsed.model, choices: [], usage }));
      for (const [index, piece] of pieces.entries()) {
        if (index > 0 && options.chunkIntervalMs) await new Promise((resolve) => setTimeout(resolve, options.chunkIntervalMs));
        response.write(piece);
      }
      response.end('data: [DONE]\n\n');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model: parsed.model,
        choices: [{ index: 0, message: { role: 'assistant', content, ...(toolCalls ? { tool_calls: toolCalls.map(({ index: _index, ...call }) => call) } : {}) }, finish_reason: finish }],
        usage,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake as FakeOpenAi, {
    url: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
