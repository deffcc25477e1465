import {
  type CallOptions,
  type Client,
  credentials,
  makeGenericClientConstructor,
  Metadata,
  type ServiceDefinition,
  type ServiceError,
  status,
} from '@grpc/grpc-js';
import { RETRY_AFTER_METADATA } from '@shop/errors';
import { currentRequestContext, REQUEST_ID_HEADER, type ServiceMetrics } from '@shop/observability';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker';
import { verdictOf } from './downstream-health';
import type { MethodDefinition, RequestOf, ResponseOf, StreamingMethodsOf, UnaryMethodsOf } from './types';

export interface DownstreamOptions {
  /** A service address; a bare host:port is resolved through DNS, every address behind the name is used. */
  target: string;
  deadlineMs: number;
  breaker: CircuitBreakerOptions;
  metrics?: ServiceMetrics;
}

/** The error a caller sees when a downstream cannot be reached; it carries UNAVAILABLE like a real gRPC failure. */
export class DownstreamUnavailableError extends Error implements Partial<ServiceError> {
  readonly code = status.UNAVAILABLE;
  readonly metadata = new Metadata();
  constructor(
    readonly details: string,
    /** While a circuit is open: when it lets a call through again, for the caller's Retry-After. */
    retryAfterMs?: number,
  ) {
    super(details);
    this.name = 'DownstreamUnavailableError';
    if (retryAfterMs !== undefined) this.metadata.set(RETRY_AFTER_METADATA, String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  }
}

/** `auth:50051` becomes `dns:///auth:50051`, so grpc-js resolves all A records and balances round-robin. */
export function dnsTarget(target: string): string {
  return /^(dns|ipv4|ipv6|unix|unix-abstract|vsock):/.test(target) ? target : `dns:///${target}`;
}

/**
 * A typed client for one downstream service: a deadline on every call, the request id passed on,
 * round-robin over every address behind the service name, and a circuit breaker.
 */
export class GrpcDownstream<D extends Record<string, MethodDefinition<unknown, unknown>>> {
  private readonly client: Client;
  readonly breaker: CircuitBreaker;

  constructor(
    readonly name: string,
    private readonly definition: D,
    private readonly options: DownstreamOptions,
  ) {
    const ClientCtor = makeGenericClientConstructor(definition as unknown as ServiceDefinition, name);
    this.client = new ClientCtor(dnsTarget(options.target), credentials.createInsecure(), {
      'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
      'grpc.dns_min_time_between_resolutions_ms': 5000,
      'grpc.keepalive_time_ms': 30_000,
      'grpc.initial_reconnect_backoff_ms': 200,
      // Services restart in seconds; reconnect soon after they are back.
      'grpc.max_reconnect_backoff_ms': 2000,
      // Channelz keeps per-call statistics for a debugging service we do not run; it costs every call.
      'grpc.enable_channelz': 0,
    });
    this.breaker = new CircuitBreaker(options.breaker);
  }

  call<K extends UnaryMethodsOf<D> & string>(method: K, request: RequestOf<D[K]>, metadata?: Metadata): Promise<ResponseOf<D[K]>> {
    if (!this.breaker.tryAcquire()) {
      this.record(method, 'CIRCUIT_OPEN');
      return Promise.reject(new DownstreamUnavailableError(`${this.name} service is unavailable`, this.breaker.retryAfterMs));
    }
    const definition = this.definition[method]!;
    const callMetadata = this.metadataOf(metadata);
    const callOptions: CallOptions = { deadline: Date.now() + this.options.deadlineMs };
    const stopTimer = this.options.metrics?.grpcSeries('client', this.name, method).duration.startTimer();
    return new Promise<ResponseOf<D[K]>>((resolve, reject) => {
      this.client.makeUnaryRequest<RequestOf<D[K]>, unknown>(
        definition.path,
        definition.requestSerialize,
        definition.responseDeserialize,
        request,
        callMetadata,
        callOptions,
        (error: ServiceError | null, response?: unknown) => {
          stopTimer?.();
          this.breaker.record(verdictOf(error));
          if (error) {
            this.record(method, status[error.code] ?? String(error.code));
            if (error.code === status.UNAVAILABLE || error.code === status.DEADLINE_EXCEEDED) {
              reject(new DownstreamUnavailableError(`${this.name} service is unavailable`));
              return;
            }
            reject(error);
            return;
          }
          this.record(method, 'OK');
          resolve(response as ResponseOf<D[K]>);
        },
      );
    });
  }

  /**
   * A server-streaming call: its messages as they come. The deadline covers the whole stream; a
   * failure before or amid the messages is thrown where the caller iterates (UNAVAILABLE and
   * DEADLINE_EXCEEDED as DownstreamUnavailableError, like `call`). A caller that stops iterating
   * early cancels the call.
   */
  async *stream<K extends StreamingMethodsOf<D> & string>(method: K, request: RequestOf<D[K]>, metadata?: Metadata): AsyncGenerator<ResponseOf<D[K]>, void, undefined> {
    if (!this.breaker.tryAcquire()) {
      this.record(method, 'CIRCUIT_OPEN');
      throw new DownstreamUnavailableError(`${this.name} service is unavailable`, this.breaker.retryAfterMs);
    }
    const definition = this.definition[method]!;
    const stopTimer = this.options.metrics?.grpcSeries('client', this.name, method).duration.startTimer();
    const call = this.client.makeServerStreamRequest<RequestOf<D[K]>, ResponseOf<D[K]>>(
      definition.path,
      definition.requestSerialize,
      definition.responseDeserialize as (value: Buffer) => ResponseOf<D[K]>,
      request,
      this.metadataOf(metadata),
      { deadline: Date.now() + this.options.deadlineMs },
    );
    let finished = false;
    try {
      for await (const message of call) yield message as ResponseOf<D[K]>;
      finished = true;
      this.breaker.record(verdictOf(null));
      this.record(method, 'OK');
    } catch (error) {
      finished = true;
      const grpcError = error as ServiceError;
      this.breaker.record(verdictOf(grpcError));
      this.record(method, status[grpcError.code] ?? String(grpcError.code));
      if (grpcError.code === status.UNAVAILABLE || grpcError.code === status.DEADLINE_EXCEEDED) throw new DownstreamUnavailableError(`${this.name} service is unavailable`);
      throw error;
    } finally {
      stopTimer?.();
      if (!finished) {
        // The caller stopped listening (its client went away): the server is told, and the call
        // says nothing about the service's health.
        call.cancel();
        this.record(method, 'CANCELLED');
        this.breaker.record('says-nothing');
      }
    }
  }

  close(): void {
    this.client.close();
  }

  private metadataOf(metadata: Metadata | undefined): Metadata {
    const callMetadata = metadata ?? new Metadata();
    const requestId = currentRequestContext()?.requestId;
    if (requestId) callMetadata.set(REQUEST_ID_HEADER, requestId);
    return callMetadata;
  }

  private record(method: string, code: string): void {
    this.options.metrics?.grpcSeries('client', this.name, method).handled(code).inc();
  }
}
