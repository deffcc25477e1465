import { type FakeOpenAi, startFakeOpenAi, uniqueName } from '@shop/testing';
import { type Api, type Harness, startHarness } from './platform-harness';

interface Frame {
  event: string;
  data: Record<string, unknown>;
  at: number;
}

/** Reads a Server-Sent Events body frame by frame, noting when each frame arrived. */
async function readFrames(response: Response): Promise<Frame[]> {
  const frames: Frame[] = [];
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
      const lines = buffered.slice(0, end).split('\n');
      buffered = buffered.slice(end + 2);
      const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length) ?? 'message';
      const data = lines.find((line) => line.startsWith('data: '))?.slice('data: '.length) ?? '{}';
      frames.push({ event, data: JSON.parse(data) as Record<string, unknown>, at: performance.now() });
    }
  }
  return frames;
}

/**
 * The chat through the gateway with a model: the scripted OpenAI-compatible server streams its
 * answer a word every 40 ms, and the shopper's Server-Sent Events carry the words as they come
 * (bridge → gRPC server stream → gateway → SSE), not the finished reply cut up.
 */
describe('chat with a streaming model through the gateway', () => {
  let harness: Harness;
  let model: FakeOpenAi;
  let call: Api;
  let token: string;
  const run = uniqueName('chatstream').replace(/_/g, '-');

  beforeAll(async () => {
    model = await startFakeOpenAi({ chunkIntervalMs: 40 });
    harness = await startHarness({ kafka: false, redis: false, env: { RATE_LIMIT_AUTH_PER_IP: '1000', LLM_BASE_URL: model.url, LLM_MODEL: 'scripted' } });
    call = harness.api('10.12.0.7');
    const email = `${run}@example.com`;
    expect((await call('POST', '/api/v1/auth/register', { body: { email, password: 'correct-horse-42' } })).status).toBe(201);
    token = (await call('POST', '/api/v1/auth/login', { body: { email, password: 'correct-horse-42' } })).body.accessToken;
  });

  afterAll(async () => {
    await harness?.platform.stop();
    await harness?.dropDatabases();
    await model?.close();
  });

  /** A shopper's message, with the reply asked for as Server-Sent Events. */
  const sendAskingForStream = (session: string, text: string) =>
    fetch(`${harness.platform.gatewayUrl}/api/v1/chat/sessions/${session}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'content-type': 'application/json', 'x-forwarded-for': '10.12.0.7' },
      body: JSON.stringify({ text }),
    });

  afterEach(() => {
    if (expect.getState().assertionCalls !== expect.getState().numPassingAsserts) process.stdout.write(`${harness.logs.slice(-40).join('\n')}\n`);
  });

  it('sends the model\'s words as they come, then the stored reply', async () => {
    const session = (await call('POST', '/api/v1/chat/sessions', { token })).body.id as string;
    const answer = 'Your last order left the warehouse this morning and should reach you within two working days.';
    model.script.push({ content: 'Let me check your orders.', toolCalls: [{ name: 'my_orders', arguments: {} }] }, { content: answer });
    const asked = performance.now();
    const response = await sendAskingForStream(session, 'Where is my order?');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const frames = await readFrames(response);

    const deltas = frames.filter((frame) => frame.event === 'delta');
    const reply = frames.find((frame) => frame.event === 'reply')!;
    expect(frames.map((frame) => frame.event).filter((event, index, all) => event !== all[index - 1])).toEqual(['delta', 'tool', 'delta', 'reply', 'done']);
    expect(frames.find((frame) => frame.event === 'tool')!.data).toEqual({ name: 'my_orders' });
    // A frame per word, spread over the model's answer: the first words arrive long before the end.
    expect(deltas.length).toBeGreaterThanOrEqual(15);
    expect(reply.at - deltas[0]!.at).toBeGreaterThanOrEqual(400);
    expect(deltas[0]!.at - asked).toBeLessThan(reply.at - asked);
    const text = deltas.map((frame) => frame.data.text).join('');
    expect(text).toBe(`Let me check your orders.\n\n${answer}`);
    expect((reply.data.reply as { text: string }).text).toBe(text);

    const stored = await call('GET', `/api/v1/chat/sessions/${session}`, { token });
    expect(stored.body.messages.map((message: { role: string; text: string }) => [message.role, message.text])).toEqual([
      ['user', 'Where is my order?'],
      ['assistant', text],
    ]);
  });

  it('answers a refused message with its HTTP status, not a stream', async () => {
    const other = '00000000-0000-4000-8000-000000000000';
    const response = await sendAskingForStream(other, 'hello');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
  });
});
