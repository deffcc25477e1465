import './tracing';
import helmet from '@fastify/helmet';
import { RequestMethod, ValidationPipe } from '@nestjs/common';
import { loadConfigOrExit } from '@shop/config';
import type { HealthCheck } from '@shop/health';
import { createLogger, ServiceMetrics } from '@shop/observability';
import { JwksVerifier } from '@shop/security';
import { coreProviders, createHttpApp, onShutdown } from '@shop/service-kit';
import Redis from 'ioredis';
import { gatewayConfigSchema } from './config';
import { setupOpenApi } from './docs/openapi';
import { downstreamClients } from './downstream/downstreams';
import { GatewayModule } from './gateway.module';
import { MemoryRateLimitStore, type RateLimitStore, RedisRateLimitStore } from './rate-limit/rate-limit-store';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit(gatewayConfigSchema, 'gateway');
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const metrics = new ServiceMetrics('gateway');
  const downstream = downstreamClients(config, metrics);

  const verifier = new JwksVerifier({
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    fetchJwks: async () => ({ keys: (await downstream.auth.call('getJwks', {})).keys.map((key) => ({ ...key })) }),
  });

  const healthChecks: HealthCheck[] = [];
  let rateLimitStore: RateLimitStore = new MemoryRateLimitStore();
  let redis: Redis | undefined;
  if (config.REDIS_URL) {
    // Fail fast rather than queue: a slow limiter must not slow every request.
    redis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 200, lazyConnect: false });
    redis.on('error', (error) => logger.debug({ err: error }, 'redis error'));
    rateLimitStore = new RedisRateLimitStore(redis);
    healthChecks.push({ name: 'redis', check: async () => void (await redis!.ping()) });
  }

  const app = await createHttpApp(
    GatewayModule.forRoot({ core: coreProviders(config, logger, metrics), downstreams: downstream.providers, verifier, rateLimitStore, healthChecks }),
    { logger, metrics, bodyLimitBytes: config.BODY_LIMIT_BYTES, trustProxy: config.TRUST_PROXY, rawBody: true },
  );
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Swagger UI at /docs uses inline styles and scripts.
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  if (config.CORS_ORIGINS.length > 0) {
    app.enableCors({
      origin: config.CORS_ORIGINS.includes('*') ? true : config.CORS_ORIGINS,
      credentials: !config.CORS_ORIGINS.includes('*'),
      exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
    });
  }
  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: '.well-known/jwks.json', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      stopAtFirstError: false,
    }),
  );
  setupOpenApi(app);
  await app.listen(config.PORT, config.HOST);
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  logger.info({ url }, `gateway listening on ${url}`);

  onShutdown(logger, async () => {
    await app.close();
    downstream.close();
    redis?.disconnect();
  });
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`gateway failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
