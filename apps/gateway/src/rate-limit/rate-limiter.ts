import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { exemptUnderTestAllowance } from '@shop/config';
import { APP_CONFIG, LOGGER } from '@shop/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';
import type { RateLimitStore } from './rate-limit-store';

export const RATE_LIMIT_STORE = Symbol('RATE_LIMIT_STORE');

export type RateLimitPolicy = 'ip' | 'user' | 'auth';

/** A 429 in the error shape; the filter turns retryAfterSeconds into Retry-After. */
export class TooManyRequestsException extends HttpException {
  constructor(retryAfterSeconds: number) {
    super({ message: 'too many requests; slow down', retryAfterSeconds }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Whether rate limits leave this request uncounted: only with RATE_LIMIT_TEST_EXEMPT_LOOPBACK, which
 * the configuration refuses unless NODE_ENV=test, and only for a client on this machine, both as the
 * socket says and as the request says (request.ip: with TRUST_PROXY, X-Forwarded-For's client), so a
 * proxy on loopback does not pass the allowance on to the clients it forwards.
 */
export function rateLimitExempt(config: Pick<GatewayConfig, 'RATE_LIMIT_TEST_EXEMPT_LOOPBACK' | 'NODE_ENV'>, request: Pick<FastifyRequest, 'ip' | 'socket'>): boolean {
  return exemptUnderTestAllowance(config, request.socket?.remoteAddress, request.ip);
}

@Injectable()
export class RateLimiter {
  private lastStoreWarning = 0;

  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** See rateLimitExempt: a test-only allowance for clients on loopback. */
  exempts(request: Pick<FastifyRequest, 'ip' | 'socket'>): boolean {
    return rateLimitExempt(this.config, request);
  }

  limitFor(policy: RateLimitPolicy): number {
    if (policy === 'user') return this.config.RATE_LIMIT_PER_USER;
    if (policy === 'auth') return this.config.RATE_LIMIT_AUTH_PER_IP;
    return this.config.RATE_LIMIT_PER_IP;
  }

  /** Counts one request against `subject` under `policy`; throws 429 past the limit. */
  async consume(policy: RateLimitPolicy, subject: string, reply: FastifyReply): Promise<void> {
    const limit = this.limitFor(policy);
    const windowMs = this.config.RATE_LIMIT_WINDOW_SECONDS * 1000;
    let result;
    try {
      result = await this.store.hit(`rl:${policy}:${subject}`, windowMs);
    } catch (error) {
      // A broken limiter store must not take the shop down: let the request through, loudly.
      if (Date.now() - this.lastStoreWarning > 10_000) {
        this.lastStoreWarning = Date.now();
        this.logger.warn({ err: error }, 'rate limit store unavailable; not limiting');
      }
      return;
    }
    const resetSeconds = Math.max(1, Math.ceil(result.resetMs / 1000));
    void reply.header('RateLimit-Limit', String(limit));
    void reply.header('RateLimit-Remaining', String(Math.max(0, limit - result.count)));
    void reply.header('RateLimit-Reset', String(resetSeconds));
    if (result.count > limit) throw new TooManyRequestsException(resetSeconds);
  }
}
