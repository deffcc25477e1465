import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HealthController } from '@shop/health';
import { IpRateLimitGuard } from './rate-limit.guards';
import type { RateLimiter } from './rate-limiter';

/** A request to a handler of `controller`, from one address. */
function contextFor(controller: unknown): ExecutionContext {
  const request = { ip: '203.0.113.9', socket: { remoteAddress: '203.0.113.9' } };
  return {
    getClass: () => controller,
    getHandler: () => () => undefined,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
  } as unknown as ExecutionContext;
}

describe('IpRateLimitGuard', () => {
  const consumed: string[] = [];
  const limiter = { exempts: () => false, consume: async (policy: string, subject: string) => void consumed.push(`${policy}:${subject}`) } as unknown as RateLimiter;
  const guard = new IpRateLimitGuard(limiter, new Reflector());

  beforeEach(() => (consumed.length = 0));

  it('counts every other route against the client address', async () => {
    class CatalogController {}
    expect(await guard.canActivate(contextFor(CatalogController))).toBe(true);
    expect(consumed).toEqual(['ip:203.0.113.9']);
  });

  it('leaves the health probes uncounted: no 429 for an orchestrator, no wait on Redis', async () => {
    expect(await guard.canActivate(contextFor(HealthController))).toBe(true);
    expect(consumed).toEqual([]);
  });
});
