import { status } from '@grpc/grpc-js';
import { chatV1, userV1 } from '@shop/contracts';
import { AppError } from '@shop/errors';
import { ServiceMetrics } from '@shop/observability';
import pino from 'pino';
import { GrpcDownstream } from './grpc-downstream';
import { bindService, startGrpcServer, stopGrpcServer } from './grpc-server';
import type { MethodDefinition } from './types';

/** One service on a loopback port and a client of it, as the services run them. */
async function serveOnLoopback<D extends Record<string, MethodDefinition<unknown, unknown>>>(name: string, definition: D, handlers: unknown) {
  const server = await startGrpcServer({
    host: '127.0.0.1',
    port: 0,
    services: [bindService(name, definition, handlers as never)],
    logger: pino({ level: 'silent' }),
    metrics: new ServiceMetrics(`${name}-spec`),
  });
  const client = new GrpcDownstream(name, definition, { target: `127.0.0.1:${server.port}`, deadlineMs: 5000, breaker: { failureThreshold: 5, openMs: 1000 } });
  const stop = async () => {
    client.close();
    await stopGrpcServer(server.server);
  };
  return { client, stop };
}

describe('startGrpcServer', () => {
  const seen: unknown[] = [];
  const profile = (userId: string, name = 'Ada'): userV1.Profile => ({ userId, email: 'ada@example.com', name, locale: 'en', phone: '', createdAt: '', updatedAt: '' });
  // Only the two methods the test calls do anything.
  const handlers = new Proxy({} as Record<string, unknown>, {
    get: (_target, method) => async (request: { userId: string; name?: string }) => {
      seen.push(request);
      if (method === 'getProfile' || method === 'updateProfile') return profile(request.userId, request.name);
      throw new Error(`${String(method)} is not part of this test`);
    },
  });
  let loopback: Awaited<ReturnType<typeof serveOnLoopback<typeof userV1.UserServiceService>>> | undefined;
  let client: GrpcDownstream<typeof userV1.UserServiceService>;

  beforeAll(async () => {
    loopback = await serveOnLoopback('user', userV1.UserServiceService, handlers);
    client = loopback.client;
  });

  afterAll(() => loopback?.stop());

  it('refuses a string no store can keep with INVALID_ARGUMENT before any handler runs, naming the field', async () => {
    seen.length = 0;
    const refused = client.call('updateProfile', { userId: '00000000-0000-4000-8000-000000000000', name: 'Ada\u0000' });
    await expect(refused).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringMatching(/^name must not contain control characters/) });
    expect(seen).toEqual([]);
  });

  it('hands text people write to the handler', async () => {
    const answer = await client.call('updateProfile', { userId: '00000000-0000-4000-8000-000000000000', name: 'Zoë\tÅngström' });
    expect(answer.name).toBe('Zoë\tÅngström');
  });

  it('keeps the circuit closed for every caller after more requests than its threshold that the handler failed on (issue 8, finding 1)', async () => {
    // The handler throws on this method, as one did on input Postgres refused: INTERNAL, six times, past the threshold of five.
    for (let i = 0; i < 6; i += 1) await expect(client.call('listAddresses', { userId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: status.INTERNAL });
    expect(client.breaker.state).toBe('closed');
    await expect(client.call('getProfile', { userId: '00000000-0000-4000-8000-000000000002' })).resolves.toMatchObject({ userId: '00000000-0000-4000-8000-000000000002' });
  });
});

describe('server-streaming calls', () => {
  const request = { userId: '00000000-0000-4000-8000-000000000000', sessionId: '00000000-0000-4000-8000-000000000001', text: 'hi' };
  const reply: chatV1.Reply = { text: 'Hello there', products: [], orders: [], intent: 'model', handover: false };
  let finishedAfterCancel: (() => void) | undefined;
  const streamMessage = async (message: chatV1.SendMessageRequest, _context: unknown, send: (event: chatV1.ReplyEvent) => void) => {
      if (message.text === 'refuse') throw new AppError('rate_limited', 'at most 2 chat messages a day');
      send({ event: { $case: 'delta', value: 'Hello ' } });
      if (message.text === 'slow') {
        // Goes on after the caller has gone: what it sends then is dropped, and it still finishes.
        await new Promise((resolve) => setTimeout(resolve, 200));
        send({ event: { $case: 'delta', value: 'there' } });
        finishedAfterCancel?.();
        return;
      }
      send({ event: { $case: 'delta', value: 'there' } });
      send({ event: { $case: 'reply', value: reply } });
  };
  // Only the streaming method does anything.
  const handlers = new Proxy({} as Record<string, unknown>, {
    get: (_target, method) =>
      method === 'streamMessage'
        ? streamMessage
        : async () => {
            throw new Error(`${String(method)} is not part of this test`);
          },
  });
  let loopback: Awaited<ReturnType<typeof serveOnLoopback<typeof chatV1.ChatServiceService>>> | undefined;
  let client: GrpcDownstream<typeof chatV1.ChatServiceService>;

  beforeAll(async () => {
    loopback = await serveOnLoopback('chat', chatV1.ChatServiceService, handlers);
    client = loopback.client;
  });

  afterAll(() => loopback?.stop());

  it('passes each message on in order', async () => {
    const events: chatV1.ReplyEvent[] = [];
    for await (const event of client.stream('streamMessage', request)) events.push(event);
    expect(events.map((event) => event.event)).toEqual([
      { $case: 'delta', value: 'Hello ' },
      { $case: 'delta', value: 'there' },
      { $case: 'reply', value: reply },
    ]);
  });

  it('ends the stream with the handler\'s error as its gRPC status', async () => {
    const events = client.stream('streamMessage', { ...request, text: 'refuse' });
    await expect(events.next()).rejects.toMatchObject({ code: status.RESOURCE_EXHAUSTED, details: 'at most 2 chat messages a day' });
  });

  it('cancels the call when the caller stops listening, and lets the handler finish', async () => {
    const finished = new Promise<void>((resolve) => (finishedAfterCancel = resolve));
    const events = client.stream('streamMessage', { ...request, text: 'slow' });
    expect((await events.next()).value).toEqual({ event: { $case: 'delta', value: 'Hello ' } });
    await events.return();
    await finished;
    expect(client.breaker.state).toBe('closed');
  });
});
