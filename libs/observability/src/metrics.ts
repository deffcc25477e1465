import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface GrpcMethodSeries {
  duration: Histogram.Internal<'grpc_service' | 'grpc_method'>;
  handled(code: string): Counter.Internal;
}

/**
 * One HTTP route and method's requests since the last scrape, in plain numbers: prom-client validates
 * and hashes the labels on every inc and observe, even through a labels() child, which cost about a
 * microsecond per request. Its counter and histogram take the tally when they are read.
 */
export class HttpRouteTally {
  readonly byStatus = new Map<number, number>();
  /** Requests per latency bucket (LATENCY_BUCKETS' upper bounds, not cumulative); slower ones only in count. */
  readonly buckets = LATENCY_BUCKETS.map(() => 0);
  sum = 0;
  count = 0;

  constructor(readonly labels: { method: string; route: string }) {}

  record(status: number, seconds: number): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    for (let bucket = 0; bucket < LATENCY_BUCKETS.length; bucket += 1) {
      if (seconds <= LATENCY_BUCKETS[bucket]!) {
        this.buckets[bucket]! += 1;
        break;
      }
    }
    this.sum += seconds;
    this.count += 1;
  }
}

/** What prom-client's Histogram keeps per series (what its observe adds to); it has no call that adds many observations at once. */
interface HistogramSeriesValues {
  labels: Record<string, string>;
  bucketValues: Record<number, number>;
  sum: number;
  count: number;
}

function histogramSeries<L extends string>(histogram: Histogram<L>, labels: Record<L, string>): HistogramSeriesValues {
  const find = () =>
    Object.values((histogram as unknown as { hashMap: Record<string, HistogramSeriesValues> }).hashMap).find((series) =>
      Object.entries(labels).every(([name, value]) => series.labels[name] === value),
    );
  const existing = find();
  if (existing) return existing;
  histogram.zero(labels);
  return find()!;
}

/** Hands a route's tally to the request counter (by status) and the latency histogram, and starts it again. */
function takeCounts(tally: HttpRouteTally, requests: Counter<'method' | 'route' | 'status'>): void {
  for (const [status, count] of tally.byStatus) {
    if (count > 0) requests.inc({ ...tally.labels, status: String(status) }, count);
    tally.byStatus.set(status, 0);
  }
}

function takeLatencies(tally: HttpRouteTally, duration: Histogram<'method' | 'route'>): void {
  if (tally.count === 0) return;
  const series = histogramSeries(duration, tally.labels);
  LATENCY_BUCKETS.forEach((bound, index) => {
    series.bucketValues[bound]! += tally.buckets[index]!;
    tally.buckets[index] = 0;
  });
  series.sum += tally.sum;
  series.count += tally.count;
  tally.sum = 0;
  tally.count = 0;
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
  /** By route, then method: both strings the router and the HTTP parser hand over as constants, so no key is built per request. */
  private readonly httpTallies = new Map<string, Map<string, HttpRouteTally>>();

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    const tallies = () => [...this.httpTallies.values()].flatMap((byMethod) => [...byMethod.values()]);
    this.httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests handled, by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
      collect() {
        for (const tally of tallies()) takeCounts(tally, this);
      },
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
      collect() {
        for (const tally of tallies()) takeLatencies(tally, this);
      },
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

  /** The tally of one HTTP route and method, made once and kept; http_requests_total and http_request_duration_seconds take it when read. */
  httpSeries(method: string, route: string): HttpRouteTally {
    let byMethod = this.httpTallies.get(route);
    if (!byMethod) this.httpTallies.set(route, (byMethod = new Map()));
    let tally = byMethod.get(method);
    if (!tally) byMethod.set(method, (tally = new HttpRouteTally({ method, route })));
    return tally;
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }
}
