import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HealthController } from '@shop/health';
import type { RequestWithPrincipal } from '@shop/security';
import type { FastifyReply } from 'fastify';
import { RateLimiter } from './rate-limiter';

const STRICT_AUTH_LIMIT = 'shop:strictAuthLimit';

/** Login, register and refresh: a much smaller budget per client IP against credential stuffing. */
export const StrictAuthRateLimit = () => SetMetadata(STRICT_AUTH_LIMIT, true);

/**
 * Runs before authentication: a budget per client IP for every route but the health probes. An
 * orchestrator's probes come from one address (the node's) and must neither be refused with 429 nor
 * wait on Redis: liveness is the process answering, and readiness already reports Redis itself.
 */
@Injectable()
export class IpRateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getClass() === HealthController) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<RequestWithPrincipal>();
    const reply = http.getResponse<FastifyReply>();
    if (this.limiter.exempts(request)) return true;
    const strict = this.reflector.getAllAndOverride<boolean>(STRICT_AUTH_LIMIT, [context.getHandler(), context.getClass()]);
    await this.limiter.consume(strict ? 'auth' : 'ip', request.ip, reply);
    return true;
  }
}

/** Runs after authentication: a budget per user, whichever IPs they come from. */
@Injectable()
export class UserRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: RateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<RequestWithPrincipal>();
    const principal = request.principal;
    if (principal && !this.limiter.exempts(request)) await this.limiter.consume('user', principal.id, http.getResponse<FastifyReply>());
    return true;
  }
}
