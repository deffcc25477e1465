import { eventually } from '@shop/testing';
import { createServer, type Server } from 'node:http';
import { type Harness, startHarness } from './platform-harness';

interface ExportedSpan {
  service: string;
  traceId: string;
  name: string;
}

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
            scopeSpans: Array<{ spans: Array<{ traceId: string; name: string }> }>;
          }>;
        };
        for (const resourceSpan of payload.resourceSpans ?? []) {
          const service = resourceSpan.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
          for (const scope of resourceSpan.scopeSpans) for (const span of scope.spans) spans.push({ service, traceId: span.traceId, name: span.name });
        }
      } catch {
        // not JSON: ignored
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, spans })));
}

describe('tracing across HTTP and gRPC', () => {
  let harness: Harness;
  let collector: Awaited<ReturnType<typeof startCollector>>;

  beforeAll(async () => {
    collector = await startCollector();
    harness = await startHarness({
      kafka: false,
      redis: false,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '200' },
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
});
