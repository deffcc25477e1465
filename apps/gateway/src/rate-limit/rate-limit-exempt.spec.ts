import { gatewayConfigSchema } from '../config';
import { rateLimitExempt } from './rate-limiter';

const BASE = { EVENTS_DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/events' };

describe('the test-only rate limit allowance (RATE_LIMIT_TEST_EXEMPT_LOOPBACK)', () => {
  it('is refused by the configuration outside NODE_ENV=test, so no deployment can leave it on', () => {
    for (const NODE_ENV of ['production', 'development', undefined]) {
      const parsed = gatewayConfigSchema.safeParse({ ...BASE, NODE_ENV, RATE_LIMIT_TEST_EXEMPT_LOOPBACK: 'true' });
      expect(parsed.success).toBe(false);
      expect(JSON.stringify(parsed.error?.issues)).toMatch(/RATE_LIMIT_TEST_EXEMPT_LOOPBACK/);
    }
    expect(gatewayConfigSchema.safeParse({ ...BASE, NODE_ENV: 'test', RATE_LIMIT_TEST_EXEMPT_LOOPBACK: 'true' }).success).toBe(true);
    expect(gatewayConfigSchema.parse({ ...BASE, NODE_ENV: 'production' }).RATE_LIMIT_TEST_EXEMPT_LOOPBACK).toBe(false);
  });

  it('exempts only a client on loopback, as the socket and the forwarded address both say', () => {
    const on = { RATE_LIMIT_TEST_EXEMPT_LOOPBACK: true, NODE_ENV: 'test' as const };
    const request = (remoteAddress: string, ip = remoteAddress) => ({ ip, socket: { remoteAddress } }) as never;
    expect(rateLimitExempt(on, request('127.0.0.1'))).toBe(true);
    expect(rateLimitExempt(on, request('::1'))).toBe(true);
    expect(rateLimitExempt(on, request('::ffff:127.0.0.1'))).toBe(true);
    // A proxy on this machine forwarding someone else's request (TRUST_PROXY): not exempt.
    expect(rateLimitExempt(on, request('127.0.0.1', '203.0.113.1'))).toBe(false);
    expect(rateLimitExempt(on, request('203.0.113.1'))).toBe(false);
    expect(rateLimitExempt({ ...on, RATE_LIMIT_TEST_EXEMPT_LOOPBACK: false }, request('127.0.0.1'))).toBe(false);
    expect(rateLimitExempt({ ...on, NODE_ENV: 'production' }, request('127.0.0.1'))).toBe(false);
  });
});
