import type { DynamicModule, Provider } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type GrpcServiceBinding, startGrpcServer, stopGrpcServer } from '@shop/grpc';
import { createLogger, ServiceMetrics } from '@shop/observability';
import { migrate, prismaDir } from '@shop/persistence';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { coreProviders, createHttpApp } from './create-http-app';
import { onShutdown } from './shutdown';

export interface ServiceConfig {
  LOG_LEVEL: string;
  HOST: string;
  HTTP_PORT: number;
  GRPC_PORT: number;
  DATABASE_URL?: string;
  MIGRATE_ON_START?: boolean;
}

export interface Stoppable {
  stop(): Promise<void>;
}

export interface ServiceSpec<C extends ServiceConfig> {
  name: string;
  config: C;
  /** The app module, given the providers for config, logger and metrics. */
  module(core: Provider[], logger: Logger, metrics: ServiceMetrics): DynamicModule;
  grpc(app: NestFastifyApplication): GrpcServiceBinding[];
  /**
   * Work before traffic is taken (keys, seed data), and the background loops (relays, consumers) to
   * stop on shutdown, one after another in the order given: a relay before the bus it publishes to.
   */
  start?(app: NestFastifyApplication, logger: Logger, metrics: ServiceMetrics): Promise<Stoppable[]>;
}

export interface RunningService {
  app: NestFastifyApplication;
  grpcPort: number;
  httpPort: number;
  logger: Logger;
  stop(): Promise<void>;
}

/**
 * Boots a backend service the same way everywhere: migrations (under a lock), the Nest app with
 * health and metrics on HTTP, the gRPC server, background loops, and an orderly stop.
 */
export async function runService<C extends ServiceConfig>(spec: ServiceSpec<C>): Promise<RunningService> {
  const { config } = spec;
  const logger = createLogger(spec.name, config.LOG_LEVEL as 'info');
  const metrics = new ServiceMetrics(spec.name);
  if (config.DATABASE_URL && config.MIGRATE_ON_START !== false) {
    const result = await migrate(config.DATABASE_URL, join(process.env.PRISMA_DIR ?? prismaDir(spec.name), 'migrations'));
    if (result.applied.length > 0) logger.info({ applied: result.applied }, 'applied database migrations');
  }
  const app = await createHttpApp(spec.module(coreProviders(config, logger, metrics), logger, metrics), { logger, metrics });
  await app.init();
  let background: Stoppable[];
  try {
    background = (await spec.start?.(app, logger, metrics)) ?? [];
  } catch (error) {
    // A start that fails (a key that does not open, say) leaves nothing running behind it.
    await app.close().catch(() => undefined);
    throw error;
  }
  const grpc = await startGrpcServer({ host: config.HOST, port: config.GRPC_PORT, services: spec.grpc(app), logger, metrics });
  await app.listen(config.HTTP_PORT, config.HOST);
  const httpPort = Number(new URL(await app.getUrl()).port);
  logger.info({ grpcPort: grpc.port, httpPort }, `${spec.name} service started`);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await stopGrpcServer(grpc.server);
      for (const loop of background) await loop.stop().catch((error: unknown) => logger.warn({ err: error }, 'a background loop failed to stop'));
      await app.close();
    })());
  return { app, grpcPort: grpc.port, httpPort, logger, stop };
}

/** Entry point for a service's main.ts: run it, stop it on SIGTERM, exit non-zero if it cannot start. */
export function main<C extends ServiceConfig>(spec: () => ServiceSpec<C>): void {
  let name = 'service';
  Promise.resolve()
    .then(() => {
      const resolved = spec();
      name = resolved.name;
      return runService(resolved);
    })
    .then((service) => onShutdown(service.logger, service.stop))
    .catch((error: unknown) => {
      process.stderr.write(`${name} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
