import { ServiceMetrics } from './metrics';

describe('ServiceMetrics.grpcSeries', () => {
  it('keeps one series per method and side, and counts each outcome under its code', async () => {
    const metrics = new ServiceMetrics('spec');
    const server = metrics.grpcSeries('server', 'OrderService', 'getOrder');
    expect(metrics.grpcSeries('server', 'OrderService', 'getOrder')).toBe(server);
    expect(metrics.grpcSeries('client', 'OrderService', 'getOrder')).not.toBe(server);
    server.handled('OK').inc();
    server.handled('OK').inc();
    server.handled('NOT_FOUND').inc();
    server.duration.startTimer()();
    const text = await metrics.render();
    expect(text).toContain('grpc_server_handled_total{grpc_service="OrderService",grpc_method="getOrder",grpc_code="OK",service="spec"} 2');
    expect(text).toContain('grpc_server_handled_total{grpc_service="OrderService",grpc_method="getOrder",grpc_code="NOT_FOUND",service="spec"} 1');
    expect(text).toContain('grpc_server_handling_seconds_count{service="spec",grpc_service="OrderService",grpc_method="getOrder"} 1');
    expect(text).not.toContain('grpc_client_handled_total{');
  });
});

describe('ServiceMetrics.gauge', () => {
  it('is made once per name, and with collect reads its value only when scraped', async () => {
    const metrics = new ServiceMetrics('spec');
    let reads = 0;
    const gauge = metrics.gauge('spec_backlog', 'Rows waiting', ['queue'], async (self) => {
      reads += 1;
      self.set({ queue: 'a' }, 7);
    });
    expect(metrics.gauge('spec_backlog', 'Rows waiting', ['queue'])).toBe(gauge);
    expect(reads).toBe(0);
    expect(await metrics.render()).toContain('spec_backlog{queue="a",service="spec"} 7');
    expect(reads).toBe(1);
  });
});

describe('ServiceMetrics.httpSeries', () => {
  const observations: Array<[method: string, route: string, status: number, seconds: number]> = [
    ['GET', '/health/live', 200, 0.0004],
    ['GET', '/health/live', 200, 0.003],
    ['GET', '/api/v1/products/:id', 404, 0.02],
    ['GET', '/api/v1/products/:id', 200, 12],
    ['POST', '/api/v1/orders', 503, 1.5],
  ];
  const sameText = (text: string) => text.split('\n').filter((line) => line.startsWith('http_')).sort();

  it('exposes what counting and observing each request in prom-client exposed, and counts on after a scrape', async () => {
    const tallied = new ServiceMetrics('spec');
    const observed = new ServiceMetrics('spec');
    for (const [method, route, status, seconds] of observations) {
      tallied.httpSeries(method, route).record(status, seconds);
      observed.httpRequests.inc({ method, route, status: String(status) });
      observed.httpDuration.observe({ method, route }, seconds);
    }
    expect(sameText(await tallied.render())).toEqual(sameText(await observed.render()));
    expect(await tallied.render()).toContain('http_requests_total{method="GET",route="/health/live",status="200",service="spec"} 2');

    tallied.httpSeries('GET', '/health/live').record(200, 0.0004);
    observed.httpRequests.inc({ method: 'GET', route: '/health/live', status: '200' });
    observed.httpDuration.observe({ method: 'GET', route: '/health/live' }, 0.0004);
    expect(tallied.httpSeries('GET', '/health/live')).toBe(tallied.httpSeries('GET', '/health/live'));
    expect(sameText(await tallied.render())).toEqual(sameText(await observed.render()));
  });
});
