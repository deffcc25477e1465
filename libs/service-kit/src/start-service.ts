import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { UnknownElementException } from '@nestjs/core/errors/exceptions';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type GrpcServiceBinding, startGrpcServer, stopGrpcServer } from '@shop/grpc';
import { createLogger, ServiceMetrics } from '@shop/observability';
import { migrate, prismaDir } from '@shop/persistence';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { CoreModule } from './core.module';
import { createHttpApp, type HttpAppOptions } from './create-http-app';
import { GRPC_SERVICES } from './grpc.providers';
import { ShutdownSequence } from './shutdown-sequence';
import { stopOnSignals } from './signals';

/** What start-up reads from every service's config. */
export interface ServiceConfig {
  LOG_LEVEL: string;
  HOST: string;
  HTTP_PORT?: number;
  GRPC_PORT?: number;
  /** With MIGRATE_ON_START (the default), the migrations in prisma/<name>/migrations are applied first. */
  DATABASE_URL?: string;
  MIGRATE_ON_START?: boolean;
}

export interface ServiceOptions<C extends ServiceConfig = ServiceConfig> {
  /** Names the logs, the metrics and prisma/<name>/. */
  name: string;
  /** Validated; modules inject it as APP_CONFIG. */
  config: C;
  /**
   * The service's module. It may inject APP_CONFIG, LOGGER, METRICS and the ShutdownSequence
   * anywhere, and provides GRPC_SERVICES when it serves gRPC (on config.GRPC_PORT).
   */
  module: Type | DynamicModule;
  /** The HTTP server: its port (config.HTTP_PORT unless given) and Fastify's options. */
  http?: Omit<HttpAppOptions, 'logger' | 'metrics'> & { port?: number };
  /** Changes to the app before it initialises (the gateway's prefix, pipes, CORS, OpenAPI). */
  configure?(app: NestFastifyApplication): void | Promise<void>;
}

export interface RunningService {
  app: NestFastifyApplication;
  /** Undefined for a service without gRPC (the gateway). */
  grpcPort?: number;
  httpPort: number;
  logger: Logger;
  /** Stops everything in the ShutdownSequence's order; once. */
  stop(): Promise<void>;
}

@Module({})
class ServiceHostModule {}

/**
 * Starts a service the same way everywhere: migrations (under a lock), the Nest app on Fastify
 * (its modules' onModuleInit and onApplicationBootstrap hooks do the service's own start-up work and
 * start its loops and consumers), the gRPC server, then HTTP. A start that fails anywhere stops
 * whatever had been made, in the same order as a shutdown, and throws.
 */
export async function startService<C extends ServiceConfig>(options: ServiceOptions<C>): Promise<RunningService> {
  const { name, config } = options;
  const logger = createLogger(name, config.LOG_LEVEL as 'info');
  const metrics = new ServiceMetrics(name);
  const shutdown = new ShutdownSequence(logger);
  let app: NestFastifyApplication | undefined;
  try {
    await migrateOnStart(name, config, logger);
    app = await createHttpApp(
      { module: ServiceHostModule, imports: [CoreModule.forRoot({ name, config, logger, metrics, shutdown }), options.module] },
      { logger, metrics, ...options.http },
    );
    await options.configure?.(app);
    await app.init();
    const services = grpcServicesOf(app);
    let grpcPort: number | undefined;
    if (services.length > 0) {
      if (config.GRPC_PORT === undefined) throw new Error(`${name} serves gRPC but its config has no GRPC_PORT`);
      const grpc = await startGrpcServer({ host: config.HOST, port: config.GRPC_PORT, services, logger, metrics });
      shutdown.add('intake', 'gRPC server', () => stopGrpcServer(grpc.server));
      grpcPort = grpc.port;
    }
    const port = options.http?.port ?? config.HTTP_PORT;
    if (port === undefined) throw new Error(`${name} has no HTTP port`);
    await app.listen(port, config.HOST);
    const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
    const httpPort = Number(new URL(url).port);
    logger.info({ grpcPort, httpPort, url }, `${name} started`);
    const running = app;
    let stopped: Promise<void> | undefined;
    // Closing the app runs the sequence; `finally` runs it too should the close itself fail.
    const stop = () => (stopped ??= running.close().finally(() => shutdown.stop()));
    return { app: running, grpcPort, httpPort, logger, stop };
  } catch (error) {
    // Nothing stays behind a failed start: closing the app runs the ShutdownSequence, and a failure
    // before the app existed (a provider that could not be made) runs it here.
    await app?.close().catch((closeError: unknown) => logger.warn({ err: closeError }, 'closing after a failed start failed'));
    await shutdown.stop();
    throw error;
  }
}

/** A process's entry point: starts the service, stops it on SIGTERM/SIGINT, exits non-zero when it cannot start. */
export function main<C extends ServiceConfig>(options: () => ServiceOptions<C>): void {
  let name = 'service';
  Promise.resolve()
    .then(() => {
      const resolved = options();
      name = resolved.name;
      return startService(resolved);
    })
    .then((service) => stopOnSignals(service.logger, service.stop))
    .catch((error: unknown) => {
      process.stderr.write(`${name} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}

async function migrateOnStart(name: string, config: ServiceConfig, logger: Logger): Promise<void> {
  if (!config.DATABASE_URL || config.MIGRATE_ON_START === false) return;
  const result = await migrate(config.DATABASE_URL, join(process.env.PRISMA_DIR || prismaDir(name), 'migrations'));
  if (result.applied.length > 0) logger.info({ applied: result.applied }, 'applied database migrations');
}

/** The module's GRPC_SERVICES, none when it provides none (asked through ModuleRef: the app itself logs a lookup that misses as an error). */
function grpcServicesOf(app: NestFastifyApplication): GrpcServiceBinding[] {
  try {
    return app.get(ModuleRef).get<symbol, GrpcServiceBinding[]>(GRPC_SERVICES, { strict: false });
  } catch (error) {
    if (error instanceof UnknownElementException) return [];
    throw error;
  }
}
