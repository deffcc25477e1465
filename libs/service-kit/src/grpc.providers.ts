import type { FactoryProvider, Type } from '@nestjs/common';
import { bindService, GrpcDownstream, type GrpcServiceBinding, type MethodDefinition, type ServiceHandlers } from '@shop/grpc';
import type { ServiceMetrics } from '@shop/observability';
import { APP_CONFIG, METRICS } from './core.tokens';
import { ShutdownSequence } from './shutdown-sequence';

/** The gRPC services a module serves; startService hosts them on GRPC_PORT. A module without them serves HTTP only. */
export const GRPC_SERVICES = Symbol('GRPC_SERVICES');

/** Serves `definition` with the module's `handlers` provider. */
export function provideGrpcService<D extends object>(name: string, definition: D, handlers: Type<ServiceHandlers<D>>): FactoryProvider<GrpcServiceBinding[]> {
  return { provide: GRPC_SERVICES, inject: [handlers], useFactory: (instance: ServiceHandlers<D>) => [bindService(name, definition, instance)] };
}

/** How a service calls the others: a deadline per call and a circuit breaker per downstream. */
export interface DownstreamConfig {
  GRPC_DEADLINE_MS: number;
  CIRCUIT_FAILURE_THRESHOLD: number;
  CIRCUIT_OPEN_MS: number;
}

/**
 * A client of another service under `token`, at the address `target` reads from the config; closed
 * with the other clients at shutdown. Its deadline is GRPC_DEADLINE_MS unless `deadlineMs` reads
 * another one (a service whose answers take longer by nature).
 */
export function provideGrpcClient<D extends Record<string, MethodDefinition<unknown, unknown>>, C extends DownstreamConfig>(
  token: symbol,
  name: string,
  definition: D,
  target: (config: C) => string,
  deadlineMs: (config: C) => number = (config) => config.GRPC_DEADLINE_MS,
): FactoryProvider<GrpcDownstream<D>> {
  return {
    provide: token,
    inject: [APP_CONFIG, METRICS, ShutdownSequence],
    useFactory: (config: C, metrics: ServiceMetrics, shutdown: ShutdownSequence) => {
      const client = new GrpcDownstream(name, definition, {
        target: target(config),
        deadlineMs: deadlineMs(config),
        breaker: { failureThreshold: config.CIRCUIT_FAILURE_THRESHOLD, openMs: config.CIRCUIT_OPEN_MS },
        metrics,
      });
      shutdown.add('clients', `${name} client`, () => client.close());
      return client;
    },
  };
}
