import type { Provider } from '@nestjs/common';
import { redisTlsOptions } from '@shop/config';
import { HEALTH_CHECKS, type HealthCheck } from '@shop/health';
import { APP_CONFIG, LOGGER, ShutdownSequence } from '@shop/service-kit';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';
import { MemoryRateLimitStore, RedisRateLimitStore } from './rate-limit-store';
import { RATE_LIMIT_STORE } from './rate-limiter';

/** The gateway's Redis when REDIS_URL is set, else null. */
const GATEWAY_REDIS = Symbol('GATEWAY_REDIS');

/**
 * What the gateway loses while its Redis is away: the limiter fails open (RateLimiter.consume), so
 * requests are served, only not counted. Readiness says so ("degraded") but stays ready.
 */
export const REDIS_DEGRADED_IMPACT = 'rate limits are not enforced (the limiter lets requests through) until Redis answers';

/** The readiness check of the gateway's Redis: one it can do without. */
export function gatewayRedisHealthCheck(redis: Pick<Redis, 'ping'>): HealthCheck {
  return { name: 'redis', degradedImpact: REDIS_DEGRADED_IMPACT, check: async () => void (await redis.ping()) };
}

/** Rate limits in Redis (shared by every gateway replica; its outage degrades readiness) or in memory. */
export const rateLimitStoreProviders: Provider[] = [
  {
    provide: GATEWAY_REDIS,
    inject: [APP_CONFIG, LOGGER, ShutdownSequence],
    useFactory: (config: GatewayConfig, logger: Logger, shutdown: ShutdownSequence): Redis | null => {
      if (!config.REDIS_URL) return null;
      // Fail fast rather than queue: a slow limiter must not slow every request.
      const redis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 200, lazyConnect: false, ...redisTlsOptions(config) });
      redis.on('error', (error) => logger.debug({ err: error }, 'redis error'));
      shutdown.add('clients', 'redis', () => redis.disconnect());
      return redis;
    },
  },
  {
    provide: RATE_LIMIT_STORE,
    inject: [GATEWAY_REDIS],
    useFactory: (redis: Redis | null) => (redis ? new RedisRateLimitStore(redis) : new MemoryRateLimitStore()),
  },
  {
    provide: HEALTH_CHECKS,
    inject: [GATEWAY_REDIS],
    useFactory: (redis: Redis | null): HealthCheck[] => (redis ? [gatewayRedisHealthCheck(redis)] : []),
  },
];
