import { eventually, uniqueName } from '@shop/testing';
import { createServer, type Server } from 'node:http';
import { type Harness, startHarness } from './platform-harness';

interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, string | number | boolean | undefined>;
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean };
const valueOf = (value: OtlpValue) => value.stringValue ?? (value.intValue === undefined ? value.boolValue : Number(value.intValue));

/** A minimal OTLP/HTTP (JSON) collector: what an OpenTelemetry Collector would receive. */
function startCollector(): Promise<{ server: Server; url: string; spans: ExportedSpan[] }> {
  const spans: ExportedSpan[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      try {
        const payload = JSON.parse(body) as {
          resourceSpans: Array<{
            resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
            scopeSpans: Array<{
              spans: Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: Array<{ key: string; value: OtlpValue }> }>;
            }>;
          }>;
        };
        for (const resourceSpan of payload.resourceSpans ?? []) {
          const service = resourceSpan.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
          for (const scope of resourceSpan.scopeSpans) {
            for (const span of scope.spans) {
              spans.push({
                service,
                traceId: span.traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId ?? '',
                name: span.name,
                kind: span.kind,
                attributes: Object.fromEntries((span.attributes ?? []).map((a) => [a.key, valueOf(a.value)])),
              });
            }
          }
        }
      } catch {
        // not JSON: ignored
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, spans })));
}

describe('tracing across HTTP, gRPC and Kafka', () => {
  let harness: Harness;
  let collector: Awaited<ReturnType<typeof startCollector>>;

  beforeAll(async () => {
    collector = await startCollector();
    harness = await startHarness({
      kafka: true,
      redis: false,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '200',
        // The test payment provider pays at once: payment.succeeded follows payment.created in the same trace.
        PAYMENT_TEST_AUTO_COMPLETE: 'true',
      },
    });
  });
  afterAll(async () => {
    await harness?.platform.stop();
    await harness?.dropDatabases();
    collector?.server.close();
  });

  it('continues the caller\u2019s trace through the gateway into the auth service, exported over OTLP', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await harness.api('192.0.2.77')('POST', '/api/v1/auth/login', {
      body: { email: 'nobody@example.com', password: 'wrong-password-1' },
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(response.status).toBe(401);
    const spans = () => collector.spans.filter((s) => s.traceId === traceId);
    // Spans arrive in export batches; wait for the three expected below, however they were batched.
    await eventually(
      async () => (spans().filter((s) => s.name === 'grpc.shop.auth.v1.AuthService/Login').length >= 2 && spans().some((s) => s.name === 'POST') ? true : undefined),
      15_000,
      'gateway and auth spans exported',
    ).catch(() => undefined);
    expect([...new Set(spans().map((s) => s.service))].sort()).toEqual(['auth', 'gateway']);
    const names = spans().map((s) => s.name);
    // The gateway's client span and auth's server span for the same call, plus the gateway's HTTP span.
    expect(names.filter((name) => name === 'grpc.shop.auth.v1.AuthService/Login')).toHaveLength(2);
    expect(names).toContain('POST');
  });

  it('follows one checkout as one trace: gateway, order, inventory and payment, through the outbox and Kafka', async () => {
    const run = uniqueName('tr').replace(/_/g, '-');
    const sku = `MUG-${run}`.toUpperCase();
    const admin = harness.api('198.51.100.60');
    const adminToken = (await admin('POST', '/api/v1/auth/login', { body: { email: harness.platform.adminEmail, password: harness.platform.adminPassword } })).body.accessToken as string;
    const category = await admin('POST', '/api/v1/admin/categories', { token: adminToken, body: { name: `Tracing ${run}` } });
    const product = await admin('POST', '/api/v1/admin/products', {
      token: adminToken,
      body: { name: 'Traced Mug', description: 'Holds tea.', brand: 'Fieldware', categoryIds: [category.body.id], status: 'published', variants: [{ sku, price: { amount: 1250, currency: 'EUR' }, attributes: { colour: 'green' } }] },
    });
    expect(product.status).toBe(201);
    expect((await admin('PUT', `/api/v1/admin/inventory/${sku}`, { token: adminToken, body: { onHand: 5 } })).status).toBe(200);
    const shopper = harness.api('10.9.8.7');
    const email = `${run}@example.com`;
    expect((await shopper('POST', '/api/v1/auth/register', { body: { email, password: 'correct-horse-42' } })).status).toBe(201);
    const token = (await shopper('POST', '/api/v1/auth/login', { body: { email, password: 'correct-horse-42' } })).body.accessToken as string;
    expect((await shopper('POST', '/api/v1/cart/items', { token, body: { sku, quantity: 1 } })).status).toBe(201);

    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const placed = await shopper('POST', '/api/v1/orders', {
      token,
      headers: { 'idempotency-key': `${run}-trace`, traceparent: `00-${traceId}-b7ad6b7169203331-01` },
      body: { shippingAddress: { line1: '1 Market Street', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' } },
    });
    expect(placed.status).toBe(202);
    await eventually(async () => ((await shopper('GET', `/api/v1/orders/${placed.body.id}`, { token })).body.status === 'CONFIRMED' ? true : undefined), 30_000, 'order confirmed');

    const inTrace = () => collector.spans.filter((s) => s.traceId === traceId);
    const processed = (service: string, suffix: string) => inTrace().some((s) => s.service === service && s.name.startsWith('process ') && s.name.endsWith(suffix));
    // The last steps: order hears payment.succeeded, inventory commits the reservation.
    await eventually(
      async () => (processed('order', '.payment.succeeded') && processed('inventory', '.inventory.commands') && processed('payment', '.payment.commands') ? true : undefined),
      15_000,
      'the checkout’s spans exported',
    ).catch(() => undefined);
    const spans = inTrace();
    const summary = spans.map((s) => `${s.service}: ${s.name}`);
    expect([...new Set(spans.map((s) => s.service))].sort()).toEqual(expect.arrayContaining(['gateway', 'inventory', 'order', 'payment']));
    // The request, the order service's call, the command it wrote, its trip over Kafka and its handling.
    expect(summary).toEqual(
      expect.arrayContaining([
        'gateway: POST',
        'order: grpc.shop.order.v1.OrderService/PlaceOrder',
        expect.stringMatching(/^order: create .*inventory\.commands$/),
        // The relay sends order.created and inventory.reserve in one batch: `send`, linked to both.
        expect.stringMatching(/^order: send( |$)/),
        expect.stringMatching(/^inventory: process .*inventory\.commands$/),
        expect.stringMatching(/^inventory: create .*inventory\.reserved$/),
        expect.stringMatching(/^order: process .*inventory\.reserved$/),
        expect.stringMatching(/^order: create .*payment\.commands$/),
        expect.stringMatching(/^payment: process .*payment\.commands$/),
        expect.stringMatching(/^payment: create .*payment\.created$/),
        expect.stringMatching(/^order: process .*payment\.succeeded$/),
      ]),
    );
    // Postgres queries inside the handlers are traced too (pg under Prisma's adapter).
    expect(spans.some((s) => s.service === 'inventory' && (s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql'))).toBe(true);
    // One connected trace: every span's parent is a span of the same trace, but the caller's.
    const ids = new Set(spans.map((s) => s.spanId));
    const orphans = spans.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId) && s.parentSpanId !== 'b7ad6b7169203331');
    expect(orphans.map((s) => `${s.service}: ${s.name}`)).toEqual([]);
    // Messaging semantic conventions on the consumer's span.
    const reserve = spans.find((s) => s.service === 'inventory' && s.name.startsWith('process ') && s.name.endsWith('inventory.commands'))!;
    expect(reserve.kind).toBe(5); // CONSUMER
    expect(reserve.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.operation.type': 'process', 'messaging.destination.name': expect.stringMatching(/inventory\.commands$/) });
    // The create span is the process span's parent: the trace goes through the message, not around it.
    const create = spans.find((s) => s.spanId === reserve.parentSpanId)!;
    expect(create).toMatchObject({ service: 'order', kind: 4 }); // PRODUCER
    expect(create.name).toMatch(/^create .*inventory\.commands$/);
  });
});
