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
