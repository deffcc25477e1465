import { type DynamicModule, Global, Module } from '@nestjs/common';
import { HEALTH_METRICS_REGISTRY } from '@shop/health';
import type { ServiceMetrics } from '@shop/observability';
import type { Logger } from 'pino';
import { APP_CONFIG, LOGGER, METRICS, SERVICE_NAME } from './core.tokens';
import { ShutdownSequence } from './shutdown-sequence';

export interface CoreOptions {
  name: string;
  /** The service's configuration, already validated against its schema. */
  config: object;
  logger: Logger;
  metrics: ServiceMetrics;
  shutdown: ShutdownSequence;
}

/**
 * What every module of a service may inject: its name (SERVICE_NAME), the validated config
 * (APP_CONFIG), the logger, the metrics registry and the ShutdownSequence. Global, and made by startService, which needs the
 * logger and the sequence before Nest exists (migrations, a start that fails half way).
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreOptions): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: SERVICE_NAME, useValue: options.name },
        { provide: APP_CONFIG, useValue: options.config },
        { provide: LOGGER, useValue: options.logger },
        { provide: METRICS, useValue: options.metrics },
        { provide: ShutdownSequence, useValue: options.shutdown },
        // Readiness (HealthController) reports itself on the service's /metrics.
        { provide: HEALTH_METRICS_REGISTRY, useValue: options.metrics.registry },
      ],
      exports: [SERVICE_NAME, APP_CONFIG, LOGGER, METRICS, ShutdownSequence, HEALTH_METRICS_REGISTRY],
    };
  }
}
