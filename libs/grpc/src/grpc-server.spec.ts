import { status } from '@grpc/grpc-js';
import { userV1 } from '@shop/contracts';
import { ServiceMetrics } from '@shop/observability';
import pino from 'pino';
import { GrpcDownstream } from './grpc-downstream';
import { bindService, startGrpcServer, stopGrpcServer } from './grpc-server';

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
  let server: Awaited<ReturnType<typeof startGrpcServer>>;
  let client: GrpcDownstream<typeof userV1.UserServiceService>;

  beforeAll(async () => {
    server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      services: [bindService('user', userV1.UserServiceService, handlers as never)],
      logger: pino({ level: 'silent' }),
      metrics: new ServiceMetrics('grpc-server-spec'),
    });
    client = new GrpcDownstream('user', userV1.UserServiceService, {
      target: `127.0.0.1:${server.port}`,
      deadlineMs: 5000,
      breaker: { failureThreshold: 5, openMs: 1000 },
    });
  });

  afterAll(async () => {
    client?.close();
    if (server) await stopGrpcServer(server.server);
  });

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
});
