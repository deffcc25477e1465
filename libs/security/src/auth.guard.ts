import { type CanActivate, type ExecutionContext, Injectable, Optional, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '@shop/errors';
import { currentRequestContext } from '@shop/observability';
import { AccessRevocations } from './access-revocations';
import { IS_PUBLIC } from './decorators';
import { InvalidTokenError, JwksVerifier } from './jwks-verifier';
import type { RequestWithPrincipal } from './principal';
import { RouteMetadata } from './route-metadata';

/** Seconds a caller is told to wait while the revocations are not loaded yet (auth answers within a deadline). */
const REVOCATIONS_UNKNOWN_RETRY_SECONDS = 2;

/**
 * Every route needs a valid bearer token unless it is marked @Public(). With AccessRevocations
 * provided, a token issued before its user's access last changed is refused too, and until the
 * revocations are loaded no token is taken (503): one revoked a moment ago could be among them.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly isPublic: RouteMetadata<boolean>;

  constructor(
    reflector: Reflector,
    private readonly verifier: JwksVerifier,
    @Optional() private readonly revocations?: AccessRevocations,
  ) {
    this.isPublic = new RouteMetadata(reflector, IS_PUBLIC);
  }

  /**
   * A public route is let through at once, without a promise: every promise a request makes costs
   * async_hooks' bookkeeping for the request context, and Nest awaits a guard's promise in two more.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.isPublic.of(context)) return true;
    return this.authenticate(context.switchToHttp().getRequest<RequestWithPrincipal>());
  }

  private async authenticate(request: RequestWithPrincipal): Promise<boolean> {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header) : null;
    if (!match?.[1]) throw new UnauthorizedException('missing bearer token');
    let principal;
    try {
      principal = await this.verifier.verify(match[1]);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException(error.message);
      throw error;
    }
    const verdict = this.revocations?.verdict(principal) ?? 'accepted';
    if (verdict === 'revoked') throw new UnauthorizedException('access token has been revoked');
    if (verdict === 'unknown') throw new AppError('unavailable', 'access revocations are not loaded yet; try again shortly', REVOCATIONS_UNKNOWN_RETRY_SECONDS);
    request.principal = principal;
    const requestContext = currentRequestContext();
    if (requestContext) requestContext.userId = principal.id;
    return true;
  }
}
