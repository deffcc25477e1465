import { status } from '@grpc/grpc-js';
import { inventoryV1, orderV1, productV1, userV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { eventually, grpcError, uniqueName } from '@shop/testing';
import { connect } from 'node:net';
import { type Api, type ApiResponse, type Harness, startHarness } from './platform-harness';

const PASSWORD = 'correct-horse-42';
const SOME_ID = '00000000-0000-4000-8000-000000000000';

/** The one error shape, with the request id the answer's X-Request-Id header carries too. */
function expectErrorShape(response: ApiResponse, statusCode: number): void {
  expect(response.status).toBe(statusCode);
  expect(response.body).toMatchObject({ statusCode, error: expect.any(String), message: expect.any(String), requestId: expect.any(String) });
  expect(response.headers.get('x-request-id')).toBe(response.body.requestId);
}

interface RawAnswer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON the tests assert on
  body: any;
}

/** Sends bytes as they are (methods fetch refuses, headers too large for it) and reads the answer until the server closes. */
function rawHttp(port: number, request: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = new Headers();
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      const body = rest.join('\r\n\r\n');
      let parsed: unknown = body;
      try {
        parsed = JSON.parse(body);
      } catch {
        // not JSON
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: parsed });
    });
    socket.write(request);
  });
}

describe('the edge: every refusal a 4xx in the one error shape, checked at the gateway and again at the service', () => {
  let harness: Harness;
  let api: Api;
  let port: number;
  let adminToken: string;

  beforeAll(async () => {
    harness = await startHarness({ kafka: false, redis: false, env: { LOGIN_MAX_FAILURES: '3', GRPC_DEADLINE_MS: '1500' } });
    api = harness.api();
    port = Number(new URL(harness.platform.gatewayUrl).port);
    const login = await harness.api('198.51.100.1')('POST', '/api/v1/auth/login', {
      body: { email: harness.platform.adminEmail, password: harness.platform.adminPassword },
    });
    expect(login.status).toBe(200);
    adminToken = login.body.accessToken;
  });

  afterAll(async () => {
    await harness?.platform.stop();
    await harness?.dropDatabases();
  });

  afterEach(() => {
    const failed = expect.getState().assertionCalls !== expect.getState().numPassingAsserts;
    if (failed) process.stdout.write(`${harness.logs.slice(-40).join('\n')}\n`);
  });

  let shoppers = 0;
  /** A registered shopper with a profile, calling from a client address of their own. */
  async function shopper(): Promise<{ email: string; accessToken: string; refreshToken: string; call: Api }> {
    shoppers += 1;
    const call = harness.api(`192.0.2.${shoppers}`);
    const email = `${uniqueName('edge')}@example.com`;
    expect((await call('POST', '/api/v1/auth/register', { body: { email, password: PASSWORD, name: 'Ada' } })).status).toBe(201);
    const login = await call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    await eventually(async () => ((await call('GET', '/api/v1/users/me', { token: login.body.accessToken })).status === 200 ? true : undefined), 30_000, 'profile');
    return { email, ...login.body, call };
  }

  /** Straight to a service, past the gateway and its checks. */
  const direct = (service: string) => ({
    target: `127.0.0.1:${harness.platform.processes.get(service)!.grpcPort}`,
    deadlineMs: 5000,
    breaker: { failureThreshold: 100, openMs: 1000 },
  });

  describe('unvalidated input is a 400, not a 500 from gRPC or Postgres (finding 2)', () => {
    it('refuses page numbers past what a list takes, on every list', async () => {
      const user = await shopper();
      const pages = [
        ['/api/v1/products?page=2147483648', undefined],
        ['/api/v1/orders?page=2147483648', user.accessToken],
        ['/api/v1/admin/orders?page=2147483648', adminToken],
        ['/api/v1/admin/products?page=2147483648', adminToken],
        ['/api/v1/admin/inventory/ANY-SKU/movements?page=2147483648', adminToken],
        ['/api/v1/products?limit=2147483648', undefined],
      ] as const;
      for (const [path, token] of pages) {
        const response = await api('GET', path, { token });
        expectErrorShape(response, 400);
      }
      // Within int32 but past the search window: the product service's own rule, still a 400.
      expectErrorShape(await api('GET', '/api/v1/products?page=10001'), 400);
    });

    it('refuses price bounds past the 32-bit price column and attribute names a plain object answers to', async () => {
      expectErrorShape(await api('GET', '/api/v1/products?minPrice=2147483648'), 400);
      expectErrorShape(await api('GET', '/api/v1/products?maxPrice=99999999999'), 400);
      const prototypeLookup = await api('GET', '/api/v1/products?attr.constructor=x');
      expectErrorShape(prototypeLookup, 400);
      expect(prototypeLookup.body.details).toEqual(['attr.constructor: "constructor" is a reserved name, not an attribute name']);
      expect((await api('GET', '/api/v1/products?maxPrice=2147483647')).status).toBe(200);
    });

    it('refuses a NUL byte (or another control character) in any string it would store, and in queries', async () => {
      const user = await shopper();
      const refusals = [
        await user.call('PATCH', '/api/v1/users/me', { token: user.accessToken, body: { name: 'Ada\u0000' } }),
        await user.call('POST', '/api/v1/users/me/addresses', { token: user.accessToken, body: { line1: '1 Road\u0000', city: 'London', postalCode: 'N1 9GU', country: 'GB' } }),
        await user.call('POST', '/api/v1/orders', {
          token: user.accessToken,
          headers: { 'idempotency-key': uniqueName('order') },
          body: { shippingAddress: { line1: '1 Road', line2: 'flat\u00002', city: 'London', postalCode: 'N1 9GU', country: 'GB' } },
        }),
        await user.call('POST', `/api/v1/orders/${SOME_ID}/cancel`, { token: user.accessToken, body: { reason: 'changed\u0000my mind' } }),
        await api('POST', '/api/v1/auth/register', { body: { email: `${uniqueName('nul')}@example.com`, password: PASSWORD, name: 'Bell\u0007' } }),
        await api('POST', '/api/v1/admin/categories', { token: adminToken, body: { name: 'Coats\u001b[31m' } }),
        await api('GET', '/api/v1/products?q=jacket%00'),
      ];
      for (const response of refusals) expectErrorShape(response, 400);
      expect(refusals[0]!.body.details).toEqual(['name must not contain control characters (such as NUL) or unpaired surrogates']);
      expect(refusals[2]!.body.details).toEqual(['shippingAddress.line2 must not contain control characters (such as NUL) or unpaired surrogates']);
      // Lines and tabs are text people write.
      expect((await user.call('PATCH', '/api/v1/users/me', { token: user.accessToken, body: { name: 'Ada\tLovelace' } })).status).toBe(200);
    });

    it('refuses a deeply nested body before validation walks it (unauthenticated, it overflowed the stack)', async () => {
      const nested = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
      const response = await harness.api('198.51.100.77')('POST', '/api/v1/auth/login', { raw: `{"email":${nested},"password":"x"}` });
      expectErrorShape(response, 400);
      expect(response.body.message).toBe('the JSON body nests arrays and objects deeper than 32 levels');
    });

    it('refuses a variant price past the 32-bit price column', async () => {
      const product = (amount: number) => ({
        name: 'Expensive coat',
        description: '',
        categoryIds: [],
        status: 'published',
        variants: [{ sku: uniqueName('COAT').replace(/_/g, '-'), price: { amount, currency: 'EUR' } }],
      });
      const refused = await api('POST', '/api/v1/admin/products', { token: adminToken, body: product(3_000_000_000) });
      expectErrorShape(refused, 400);
      expect((await api('POST', '/api/v1/admin/products', { token: adminToken, body: product(2_147_483_647) })).status).toBe(201);
    });

    it('has each service refuse the same input itself with INVALID_ARGUMENT, whoever calls', async () => {
      const users = new GrpcDownstream('user', userV1.UserServiceService, direct('user'));
      const products = new GrpcDownstream('product', productV1.ProductServiceService, direct('product'));
      const orders = new GrpcDownstream('order', orderV1.OrderServiceService, direct('order'));
      const inventory = new GrpcDownstream('inventory', inventoryV1.InventoryServiceService, direct('inventory'));
      try {
        const search = { q: '', category: '', attributes: [], sort: '', page: 0, limit: 0 };
        const refusals = await Promise.all([
          grpcError(users.call('updateProfile', { userId: SOME_ID, name: 'Ada\u0000' })),
          grpcError(users.call('updateProfile', { userId: SOME_ID })),
          grpcError(products.call('searchProducts', { ...search, attributes: [{ name: 'constructor', values: ['x'] }] })),
          grpcError(products.call('searchProducts', { ...search, minPrice: 2_147_483_648 })),
          grpcError(products.call('listProducts', { page: 2_000_000_000, limit: 20, status: '' })),
          grpcError(
            products.call('createProduct', {
              product: { name: 'Coat', description: '', brand: '', categoryIds: [], attributes: {}, images: [], status: 'draft', variants: [{ sku: 'X-1', price: { amount: 3_000_000_000, currency: 'EUR' }, attributes: {} }] },
            }),
          ),
          grpcError(orders.call('listOrders', { userId: '', status: '', page: 2_000_000_000, limit: 20 })),
          grpcError(orders.call('cancelOrder', { orderId: SOME_ID, userId: SOME_ID, reason: 'why\u0000' })),
          grpcError(inventory.call('listMovements', { sku: 'ANY-SKU', page: 2_000_000_000, limit: 20 })),
        ]);
        expect(refusals.map((refusal) => refusal.code)).toEqual(refusals.map(() => status.INVALID_ARGUMENT));
      } finally {
        for (const downstream of [users, products, orders, inventory]) downstream.close();
      }
    });
  });

  describe('every error in the one shape, 405s, 503s that say when, no-store (finding 6)', () => {
    it("answers Fastify's own refusals in the error shape with a request id", async () => {
      const tooLong = await api('GET', `/api/v1/products/${'a'.repeat(200)}`);
      expectErrorShape(tooLong, 414);
      expect(tooLong.body.message).toBe('a path segment is longer than this API accepts');
      const badUrl = await api('GET', '/api/v1/products/%E0%A4%A');
      expectErrorShape(badUrl, 400);

      const hugeHeaders = await rawHttp(port, `GET /api/v1/categories HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`);
      expect(hugeHeaders.status).toBe(431);
      expect(hugeHeaders.body).toEqual({ statusCode: 431, error: 'Request Header Fields Too Large', message: expect.any(String), requestId: hugeHeaders.headers.get('x-request-id') });
    });

    it('answers a method a path does not take with 405 and Allow, and one nothing implements with 501', async () => {
      const wrongMethod = await api('DELETE', '/api/v1/products');
      expectErrorShape(wrongMethod, 405);
      expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
      const patchRoles = await api('POST', `/api/v1/admin/users/${SOME_ID}/roles`, { token: adminToken, body: { roles: ['customer'] } });
      expectErrorShape(patchRoles, 405);
      expect(patchRoles.headers.get('allow')).toBe('GET, HEAD, PATCH');

      const trace = await rawHttp(port, 'TRACE /api/v1/products HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(trace.status).toBe(405);
      expect(trace.headers.get('allow')).toBe('GET, HEAD');
      expect(trace.body).toMatchObject({ statusCode: 405, error: 'Method Not Allowed', requestId: trace.headers.get('x-request-id') });
      const traceNowhere = await rawHttp(port, 'TRACE /api/v1/nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(traceNowhere.status).toBe(501);
      expect(traceNowhere.body).toMatchObject({ statusCode: 501, error: 'Not Implemented', message: 'TRACE is not a method this API implements' });
      const invented = await rawHttp(port, 'FROBNICATE /api/v1/products HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(invented.status).toBe(501);
      expect(invented.body).toMatchObject({ statusCode: 501, error: 'Not Implemented', requestId: expect.any(String) });
      expectErrorShape(await api('GET', '/api/v1/nowhere'), 404);
    });

    it('keeps token and profile answers out of every cache', async () => {
      const user = await shopper();
      const login = await user.call('POST', '/api/v1/auth/login', { body: { email: user.email, password: PASSWORD } });
      expect(login.headers.get('cache-control')).toBe('no-store');
      const refresh = await user.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
      expect(refresh.status).toBe(200);
      expect(refresh.headers.get('cache-control')).toBe('no-store');
      const me = await user.call('GET', '/api/v1/users/me', { token: login.body.accessToken });
      expect(me.status).toBe(200);
      expect(me.headers.get('cache-control')).toBe('no-store');
    });
  });

  describe('the smaller ones (finding 7)', () => {
    it('locks out the source that failed to log in, not the account: its owner logs in from elsewhere', async () => {
      const user = await shopper();
      const attacker = harness.api('203.0.113.66');
      for (let i = 0; i < 3; i += 1) expect((await attacker('POST', '/api/v1/auth/login', { body: { email: user.email, password: 'wrong-password-1' } })).status).toBe(401);
      const locked = await attacker('POST', '/api/v1/auth/login', { body: { email: user.email, password: PASSWORD } });
      expectErrorShape(locked, 429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await user.call('POST', '/api/v1/auth/login', { body: { email: user.email, password: PASSWORD } })).status).toBe(200);
    });

    it('sets stock only for SKUs the catalogue has', async () => {
      const unknown = await api('PUT', `/api/v1/admin/inventory/${uniqueName('NO-SUCH').replace(/_/g, '-')}`, { token: adminToken, body: { onHand: 5 } });
      expectErrorShape(unknown, 404);
      const adjusted = await api('POST', '/api/v1/admin/inventory/NO-SUCH-SKU-2/adjustments', { token: adminToken, body: { delta: 5, reason: 'goods in' } });
      expectErrorShape(adjusted, 404);
      const sku = uniqueName('KNOWN').replace(/_/g, '-');
      const created = await api('POST', '/api/v1/admin/products', {
        token: adminToken,
        body: { name: 'Scarf', description: '', categoryIds: [], status: 'draft', variants: [{ sku, price: { amount: 1500, currency: 'EUR' } }] },
      });
      expect(created.status).toBe(201);
      const stocked = await api('PUT', `/api/v1/admin/inventory/${sku}`, { token: adminToken, body: { onHand: 5 } });
      expect(stocked.status).toBe(200);
      expect(stocked.body).toMatchObject({ sku, onHand: 5, available: 5 });
    });

    it('refuses a profile change that changes nothing', async () => {
      const user = await shopper();
      expectErrorShape(await user.call('PATCH', '/api/v1/users/me', { token: user.accessToken }), 400);
      expectErrorShape(await user.call('PATCH', '/api/v1/users/me', { token: user.accessToken, body: {} }), 400);
      expect((await user.call('PATCH', '/api/v1/users/me', { token: user.accessToken, body: { locale: 'en-GB' } })).status).toBe(200);
    });

    it('answers a form or plain text sent to a JSON route with 415 in the error shape', async () => {
      const form = await harness.api('198.51.100.88')('POST', '/api/v1/auth/login', {
        raw: 'email=ada%40example.com&password=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectErrorShape(form, 415);
      const text = await harness.api('198.51.100.88')('POST', '/api/v1/auth/login', { raw: 'hello', headers: { 'content-type': 'text/plain' } });
      expectErrorShape(text, 415);
    });
  });

  // Last: it stops a service.
  it('gives every 503 a Retry-After, not only an open circuit’s (finding 6)', async () => {
    const user = await shopper();
    await harness.platform.kill('user');
    try {
      const unavailable = await user.call('GET', '/api/v1/users/me/addresses', { token: user.accessToken });
      expectErrorShape(unavailable, 503);
      expect(Number(unavailable.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await harness.platform.start('user');
    }
  });
});
