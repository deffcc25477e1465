import { status } from '@grpc/grpc-js';
import { authV1, productV1 } from '@shop/contracts';
import { AppError, RETRY_AFTER_METADATA } from '@shop/errors';
import { bindService, DownstreamUnavailableError, GrpcDownstream, type ServiceHandlers, startGrpcServer, stopGrpcServer } from '@shop/grpc';
import { createLogger, ServiceMetrics } from '@shop/observability';
import { grpcError, UNREACHABLE_ADDRESS } from '@shop/testing';

const logger = createLogger('grpc-test', 'silent');
type AuthHandlers = ServiceHandlers<typeof authV1.AuthServiceService>;

function handlersNamed(name: string, seen: string[]): AuthHandlers {
  const fail = async (): Promise<never> => {
    throw AppError.notFound('not here');
  };
  return {
    register: fail,
    login: fail,
    refresh: fail,
    logout: fail,
    getJwks: async (_request, context) => {
      seen.push(`${name}:${context.requestId}`);
      return { keys: [] };
    },
    rotateSigningKey: fail,
    getUserRoles: fail,
    setUserRoles: fail,
    listRoles: fail,
    logoutEverywhere: fail,
    lockUser: fail,
    unlockUser: fail,
    listAccessRevocations: fail,
  };
}

/** A product service whose every method answers an empty product list; only what reaches it matters here. */
function productHandlers(): ServiceHandlers<typeof productV1.ProductServiceService> {
  const answer = async () => ({ items: [], total: 0, page: 1, limit: 20 });
  return Object.fromEntries(Object.keys(productV1.ProductServiceService).map((method) => [method, answer])) as unknown as ServiceHandlers<
    typeof productV1.ProductServiceService
  >;
}

describe('gRPC downstream clients over real sockets', () => {
  it('spread calls round-robin over every address behind a target', async () => {
    const seen: string[] = [];
    const metrics = new ServiceMetrics('grpc-test');
    const servers = await Promise.all(
      ['a', 'b'].map((name) =>
        startGrpcServer({ host: '127.0.0.1', port: 0, logger, metrics, services: [bindService('AuthService', authV1.AuthServiceService, handlersNamed(name, seen))] }),
      ),
    );
    const client = new GrpcDownstream('auth', authV1.AuthServiceService, {
      target: `ipv4:${servers.map((s) => `127.0.0.1:${s.port}`).join(',')}`,
      deadlineMs: 2000,
      breaker: { failureThreshold: 5, openMs: 1000 },
    });
    try {
      for (let i = 0; i < 20; i += 1) await client.call('getJwks', {});
      const perServer = { a: seen.filter((s) => s.startsWith('a:')).length, b: seen.filter((s) => s.startsWith('b:')).length };
      expect(perServer.a + perServer.b).toBe(20);
      expect(perServer.a).toBeGreaterThanOrEqual(8);
      expect(perServer.b).toBeGreaterThanOrEqual(8);
      expect(await metrics.render()).toMatch(/grpc_server_handled_total\{grpc_service="AuthService",grpc_method="getJwks",grpc_code="OK",service="grpc-test"\} 20/);
    } finally {
      client.close();
      await Promise.all(servers.map((s) => stopGrpcServer(s.server)));
    }
  });

  it('resolve a DNS name', async () => {
    const seen: string[] = [];
    const server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      metrics: new ServiceMetrics('grpc-test'),
      services: [bindService('AuthService', authV1.AuthServiceService, handlersNamed('dns', seen))],
    });
    const client = new GrpcDownstream('auth', authV1.AuthServiceService, {
      target: `localhost:${server.port}`,
      deadlineMs: 2000,
      breaker: { failureThreshold: 5, openMs: 1000 },
    });
    try {
      await expect(client.call('getJwks', {})).resolves.toEqual({ keys: [] });
      await expect(client.call('login', { email: 'a', password: 'b', source: '' })).rejects.toMatchObject({ code: status.NOT_FOUND, details: 'not here' });
    } finally {
      client.close();
      await stopGrpcServer(server.server);
    }
  });

  it('fail fast when the service is down, and stop calling it once the circuit opens', async () => {
    const metrics = new ServiceMetrics('grpc-test');
    const client = new GrpcDownstream('auth', authV1.AuthServiceService, {
      target: UNREACHABLE_ADDRESS,
      deadlineMs: 1500,
      breaker: { failureThreshold: 3, openMs: 60_000 },
      metrics,
    });
    try {
      for (let i = 0; i < 3; i += 1) {
        const started = Date.now();
        await expect(client.call('getJwks', {})).rejects.toBeInstanceOf(DownstreamUnavailableError);
        expect(Date.now() - started).toBeLessThan(1600);
      }
      expect(client.breaker.state).toBe('open');
      const started = Date.now();
      await expect(client.call('getJwks', {})).rejects.toThrow('auth service is unavailable');
      // No connection attempt at all: well under any deadline, even on a loaded machine.
      expect(Date.now() - started).toBeLessThan(250);
      expect(await metrics.render()).toMatch(/grpc_client_handled_total\{grpc_service="auth",grpc_method="getJwks",grpc_code="CIRCUIT_OPEN",service="grpc-test"\} 1/);
    } finally {
      client.close();
    }
  });

  it('keep the circuit closed for errors one request caused, and open it when the service goes away', async () => {
    const metrics = new ServiceMetrics('grpc-test');
    const seen: string[] = [];
    const auth: AuthHandlers = {
      ...handlersNamed('auth', seen),
      // What Postgres does with a value it refuses (an out-of-range number, once a NUL byte): the handler throws, the caller sees INTERNAL.
      register: async () => {
        throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
      },
    };
    const server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      metrics,
      services: [bindService('AuthService', authV1.AuthServiceService, auth), bindService('ProductService', productV1.ProductServiceService, productHandlers())],
    });
    const breaker = { failureThreshold: 5, openMs: 60_000 };
    const target = `127.0.0.1:${server.port}`;
    const products = new GrpcDownstream('product', productV1.ProductServiceService, { target, deadlineMs: 2000, breaker, metrics });
    const authClient = new GrpcDownstream('auth', authV1.AuthServiceService, { target, deadlineMs: 2000, breaker, metrics });
    try {
      for (let i = 0; i < 6; i += 1) {
        // Never leaves this process: the request cannot be encoded (int32 ends at 2147483647).
        const unencodable = await grpcError(products.call('listProducts', { page: 2_147_483_648, limit: 20, status: '' }));
        expect(unencodable).toMatchObject({ code: status.INTERNAL, details: expect.stringMatching(/serialization failure/) });
        const refused = await grpcError(authClient.call('register', { email: 'a@example.com', password: 'correct-horse-42', name: 'A' }));
        expect(refused.code).toBe(status.INTERNAL);
        // A NUL byte never reaches the handler now: the server refuses it as the caller's mistake.
        const nul = await grpcError(authClient.call('register', { email: 'a@example.com', password: 'correct-horse-42', name: 'A\u0000' }));
        expect(nul.code).toBe(status.INVALID_ARGUMENT);
      }
      expect(products.breaker.state).toBe('closed');
      expect(authClient.breaker.state).toBe('closed');
      await expect(products.call('listProducts', { page: 1, limit: 20, status: '' })).resolves.toMatchObject({ items: [] });
      await expect(authClient.call('getJwks', {})).resolves.toEqual({ keys: [] });

      // The service really going away still opens it, and the refusal says when to come back.
      await stopGrpcServer(server.server, 0);
      for (let i = 0; i < breaker.failureThreshold; i += 1) {
        await expect(products.call('listProducts', { page: 1, limit: 20, status: '' })).rejects.toBeInstanceOf(DownstreamUnavailableError);
      }
      expect(products.breaker.state).toBe('open');
      const refusal = await grpcError(products.call('listProducts', { page: 1, limit: 20, status: '' }));
      expect(refusal.code).toBe(status.UNAVAILABLE);
      expect(Number(refusal.metadata.get(RETRY_AFTER_METADATA)[0])).toBeGreaterThan(50);
      expect(await metrics.render()).toMatch(/grpc_client_handled_total\{grpc_service="product",grpc_method="listProducts",grpc_code="CIRCUIT_OPEN",service="grpc-test"\} 1/);
    } finally {
      products.close();
      authClient.close();
      await stopGrpcServer(server.server, 0);
    }
  });
});
