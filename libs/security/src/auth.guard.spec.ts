import { type ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { AppError } from '@shop/errors';
import { AccessRevocations } from './access-revocations';
import { AuthGuard } from './auth.guard';
import type { JwksVerifier } from './jwks-verifier';
import type { Principal } from './principal';

describe('AuthGuard with access revocations', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');
  const principal: Principal = { id: 'ada', email: 'ada@example.com', roles: ['admin'], permissions: ['users:roles:write'], issuedAt: now / 1000 - 60 };
  const verifier = { verify: async () => principal } as unknown as JwksVerifier;
  // No route is public here.
  const reflector = { getAllAndOverride: () => undefined } as unknown as Reflector;
  const request = () => ({ headers: { authorization: 'Bearer a.b.c' } as Record<string, string> });
  const context = (req: ReturnType<typeof request>) =>
    ({ getHandler: () => undefined, getClass: () => undefined, switchToHttp: () => ({ getRequest: () => req }) }) as unknown as ExecutionContext;

  it('refuses a token issued before the user access changed with 401, and takes a later one', async () => {
    const revocations = new AccessRevocations(() => now);
    revocations.load([{ userId: 'ada', notBeforeMs: now - 30_000 }], 900);
    const guard = new AuthGuard(reflector, verifier, revocations);
    const refused = request();
    await expect(guard.canActivate(context(refused))).rejects.toEqual(new UnauthorizedException('access token has been revoked'));
    expect((refused as { principal?: Principal }).principal).toBeUndefined();

    const fresh = new AccessRevocations(() => now);
    fresh.load([{ userId: 'ada', notBeforeMs: now - 90_000 }], 900);
    const taken = request();
    await expect(new AuthGuard(reflector, verifier, fresh).canActivate(context(taken))).resolves.toBe(true);
    expect((taken as { principal?: Principal }).principal).toBe(principal);
  });

  it('answers 503 with a retry while the revocations are not loaded', async () => {
    const guard = new AuthGuard(reflector, verifier, new AccessRevocations(() => now));
    const error = await Promise.resolve(guard.canActivate(context(request()))).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: 'unavailable', retryAfterSeconds: 2 });
  });

  it('takes every valid token when no revocations are provided', async () => {
    await expect(new AuthGuard(reflector, verifier).canActivate(context(request()))).resolves.toBe(true);
  });
});
