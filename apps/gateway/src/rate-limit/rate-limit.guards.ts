import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HealthController } from '@shop/health';
import { type RequestWithPrincipal, RouteMetadata } from '@shop/security';
import type { FastifyReply } from 'fastify';
import { type RateLimitPolicy, RateLimiter } from './rate-limiter';

const STRICT_AUTH_LIMIT = 'shop:strictAuthLimit';

/** Login, register and refresh: a much smaller budget per client IP against credential stuffing. */
export const StrictAuthRateLimit = () => SetMetadata(STRICT_AUTH_LIMIT, true);

/**
 * Counts one request against `subject`; true once counted (a request past its budget is refused by
 * the 429 consume throws).
 */
async function counted(limiter: RateLimiter, policy: RateLimitPolicy, subject: string, reply: FastifyReply): Promise<boolean> {
  await limiter.consume(policy, subject, reply);
  return true;
}

/**
 * Runs before authentication: a budget per client IP for every route but the health probes. An
 * orchestrator's probes come from one address (the node's) and must neither be refused with 429 nor
 * wait on Redis: liveness is the process answering, and readiness already reports Redis itself.
 * A request it does not count is let through without a promise (see AuthGuard.canActivate).
 */
@Injectable()
export class IpRateLimitGuard implements CanActivate {
  private readonly strictAuthLimit: RouteMetadata<boolean>;

  constructor(
    private readonly limiter: RateLimiter,
    reflector: Reflector,
  ) {
    this.strictAuthLimit = new RouteMetadata(reflector, STRICT_AUTH_LIMIT);
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getClass() === HealthController) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<RequestWithPrincipal>();
    if (this.limiter.exempts(request)) return true;
    return counted(this.limiter, this.strictAuthLimit.of(context) ? 'auth' : 'ip', request.ip, http.getResponse<FastifyReply>());
  }
}

/** Runs after authentication: a budget per user, whichever IPs they come from; nothing to count on a public route. */
@Injectable()
export class UserRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: RateLimiter) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<RequestWithPrincipal>();
    const principal = request.principal;
    if (!principal || this.limiter.exempts(request)) return true;
    return counted(this.limiter, 'user', principal.id, http.getResponse<FastifyReply>());
  }
}
