import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface GrpcMethodSeries {
  duration: Histogram.Internal<'grpc_service' | 'grpc_method'>;
  handled(code: string): Counter.Internal;
}

/** One registry per process: process metrics plus request rate, errors and latency for HTTP and gRPC. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly grpcServerHandled: Counter<'grpc_service' | 'grpc_method' | 'grpc_code'>;
  readonly grpcServerDuration: Histogram<'grpc_service' | 'grpc_method'>;
  readonly grpcClientHandled: Counter<'grpc_service' | 'grpc_method' | 'grpc_code'>;
  readonly grpcClientDuration: Histogram<'grpc_service' | 'grpc_method'>;
  private readonly grpcSeriesCache = new Map<string, GrpcMethodSeries>();

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests handled, by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.grpcServerHandled = new Counter({
      name: 'grpc_server_handled_total',
      help: 'gRPC calls handled, by method and status code',
      labelNames: ['grpc_service', 'grpc_method', 'grpc_code'],
      registers: [this.registry],
    });
    this.grpcServerDuration = new Histogram({
      name: 'grpc_server_handling_seconds',
      help: 'gRPC server handling latency',
      labelNames: ['grpc_service', 'grpc_method'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.grpcClientHandled = new Counter({
      name: 'grpc_client_handled_total',
      help: 'gRPC calls made, by method and status code',
      labelNames: ['grpc_service', 'grpc_method', 'grpc_code'],
      registers: [this.registry],
    });
    this.grpcClientDuration = new Histogram({
      name: 'grpc_client_handling_seconds',
      help: 'gRPC client round-trip latency',
      labelNames: ['grpc_service', 'grpc_method'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Counter<L>;
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** A histogram of seconds with the request latency buckets, made once per registry. */
  histogram<L extends string>(name: string, help: string, labelNames: readonly L[]): Histogram<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Histogram<L>;
    return new Histogram({ name, help, labelNames, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  }

  /**
   * A gauge, made once per registry. With `collect`, its value is read when Prometheus scrapes
   * (a query, say), so it costs nothing between scrapes; the first caller's `collect` is kept.
   */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], collect?: (gauge: Gauge<L>) => Promise<void> | void): Gauge<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Gauge<L>;
    return new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      ...(collect ? { collect(this: Gauge<L>) { return collect(this); } } : {}),
    });
  }

  /**
   * The duration and outcome series of one gRPC method, as server or client. prom-client hashes the
   * labels on every call; a method's series are looked up once and kept.
   */
  grpcSeries(side: 'server' | 'client', service: string, method: string): GrpcMethodSeries {
    const key = `${side} ${service} ${method}`;
    let series = this.grpcSeriesCache.get(key);
    if (!series) {
      const labels = { grpc_service: service, grpc_method: method };
      const handled = side === 'server' ? this.grpcServerHandled : this.grpcClientHandled;
      const byCode = new Map<string, Counter.Internal>();
      series = {
        duration: (side === 'server' ? this.grpcServerDuration : this.grpcClientDuration).labels(labels),
        handled: (code) => {
          let counter = byCode.get(code);
          if (!counter) byCode.set(code, (counter = handled.labels({ ...labels, grpc_code: code })));
          return counter;
        },
      };
      this.grpcSeriesCache.set(key, series);
    }
    return series;
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }
}
