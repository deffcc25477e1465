import {
  Server,
  ServerCredentials,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { AppError, isStoreUnreachable, toGrpcError } from '@shop/errors';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestContext, type ServiceMetrics } from '@shop/observability';
import { findUnstorableText, unstorableTextMessage } from '@shop/validation';
import type { Logger } from 'pino';
import type { MethodDefinition, ServiceHandlers } from './types';

export interface GrpcServiceBinding {
  name: string;
  definition: object;
  handlers: object;
}

export function bindService<D extends object>(name: string, definition: D, handlers: ServiceHandlers<D>): GrpcServiceBinding {
  return { name, definition, handlers };
}

export interface GrpcServerOptions {
  host?: string;
  port: number;
  services: GrpcServiceBinding[];
  logger: Logger;
  metrics: ServiceMetrics;
}

/**
 * Hosts promise-style handlers on grpc-js with request ids, metrics and domain-error mapping around
 * every call. No handler sees a string no store can keep (a NUL byte, control characters): every
 * service refuses those itself with INVALID_ARGUMENT, whatever its callers checked.
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<{ server: Server; port: number }> {
  // Connections are recycled now and then so clients re-resolve DNS and spread onto replicas added by scaling.
  const server = new Server({
    'grpc.max_receive_message_length': 4 * 1024 * 1024,
    'grpc.max_connection_age_ms': 5 * 60_000,
    'grpc.max_connection_age_grace_ms': 30_000,
    // Channelz keeps per-call statistics for a debugging service we do not run; it costs every call.
    'grpc.enable_channelz': 0,
  });
  for (const binding of options.services) {
    const implementation: UntypedServiceImplementation = {};
    const definition = binding.definition as Record<string, MethodDefinition<unknown, unknown>>;
    const handlers = binding.handlers as Record<string, (request: unknown, context: unknown, send?: (message: unknown) => void) => Promise<unknown>>;
    for (const [method, entry] of Object.entries(definition)) {
      const handler = handlers[method];
      if (!handler) throw new Error(`${binding.name}.${method} has no handler`);
      implementation[method] = entry.responseStream
        ? wrapServerStream(binding.name, method, handler.bind(binding.handlers), options)
        : wrapUnary(binding.name, method, handler.bind(binding.handlers), options);
    }
    server.addService(binding.definition as ServiceDefinition, implementation);
  }
  const address = `${options.host ?? '0.0.0.0'}:${options.port}`;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    ),
  );
  return { server, port };
}

export function stopGrpcServer(server: Server, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function wrapUnary(
  service: string,
  method: string,
  handler: (request: unknown, context: unknown) => Promise<unknown>,
  { logger, metrics }: GrpcServerOptions,
) {
  const series = metrics.grpcSeries('server', service, method);
  return (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
    const stopTimer = series.duration.startTimer();
    const requestId = requestIdFrom(call.metadata.get(REQUEST_ID_HEADER)[0]);
    runWithRequestContext({ requestId }, () => {
      const unstorable = findUnstorableText(call.request);
      const handled = unstorable
        ? Promise.reject(AppError.invalid(unstorableTextMessage(unstorable)))
        : handler(call.request, { metadata: call.metadata, requestId });
      handled.then(
        (response) => {
          stopTimer();
          series.handled('OK').inc();
          callback(null, response);
        },
        (error: unknown) => {
          stopTimer();
          const grpcError = toGrpcError(error);
          series.handled(status[grpcError.code]).inc();
          if (grpcError.code === status.INTERNAL || isStoreUnreachable(error)) logger.error({ err: error, method: `${service}.${method}` }, 'gRPC handler failed');
          callback(grpcError);
        },
      );
    });
  };
}

function wrapServerStream(
  service: string,
  method: string,
  handler: (request: unknown, context: unknown, send: (message: unknown) => void) => Promise<unknown>,
  { logger, metrics }: GrpcServerOptions,
) {
  const series = metrics.grpcSeries('server', service, method);
  return (call: ServerWritableStream<unknown, unknown>) => {
    const stopTimer = series.duration.startTimer();
    const requestId = requestIdFrom(call.metadata.get(REQUEST_ID_HEADER)[0]);
    let gone = false;
    call.once('cancelled', () => (gone = true));
    // grpc-js buffers what the peer has not read yet; a message stream is small (a chat reply), so
    // writes are not held back for flow control.
    const send = (message: unknown) => {
      if (!gone) call.write(message);
    };
    runWithRequestContext({ requestId }, () => {
      const unstorable = findUnstorableText(call.request);
      const handled = unstorable
        ? Promise.reject(AppError.invalid(unstorableTextMessage(unstorable)))
        : handler(call.request, { metadata: call.metadata, requestId }, send);
      handled.then(
        () => {
          stopTimer();
          series.handled(gone ? 'CANCELLED' : 'OK').inc();
          if (!gone) call.end();
        },
        (error: unknown) => {
          stopTimer();
          const grpcError = toGrpcError(error);
          series.handled(status[grpcError.code]).inc();
          if (grpcError.code === status.INTERNAL || isStoreUnreachable(error)) logger.error({ err: error, method: `${service}.${method}` }, 'gRPC handler failed');
          // grpc-js ends a server stream with a status when its 'error' event carries one.
          if (!gone) call.emit('error', grpcError);
        },
      );
    });
  };
}
