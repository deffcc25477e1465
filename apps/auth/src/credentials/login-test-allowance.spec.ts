import { authConfigSchema } from '../config';
import { LoginThrottle } from './login-throttle';

const BASE = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/auth', EVENTS_DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/events', BCRYPT_COST: '12' };

describe('the test-only allowance for failed logins (RATE_LIMIT_TEST_EXEMPT_LOOPBACK)', () => {
  it('is refused by the configuration outside NODE_ENV=test, so no deployment can leave it on', () => {
    for (const NODE_ENV of ['production', 'development', undefined]) {
      const parsed = authConfigSchema.safeParse({ ...BASE, NODE_ENV, RATE_LIMIT_TEST_EXEMPT_LOOPBACK: 'true', SIGNING_KEY_ENCRYPTION_KEY: 'k'.repeat(32) });
      expect(parsed.success).toBe(false);
      expect(JSON.stringify(parsed.error?.issues)).toMatch(/RATE_LIMIT_TEST_EXEMPT_LOOPBACK/);
    }
    expect(authConfigSchema.safeParse({ ...BASE, NODE_ENV: 'test', RATE_LIMIT_TEST_EXEMPT_LOOPBACK: 'true' }).success).toBe(true);
    expect(authConfigSchema.parse({ ...BASE, NODE_ENV: 'production', SIGNING_KEY_ENCRYPTION_KEY: 'k'.repeat(32) }).RATE_LIMIT_TEST_EXEMPT_LOOPBACK).toBe(false);
  });

  it('spares only a client on loopback, and only with the allowance on under NODE_ENV=test', () => {
    const throttle = (config: object) => new LoginThrottle({} as never, authConfigSchema.parse({ ...BASE, ...config }));
    const on = throttle({ NODE_ENV: 'test', RATE_LIMIT_TEST_EXEMPT_LOOPBACK: 'true' });
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(on.exempts(address)).toBe(true);
    for (const address of ['203.0.113.1', '::ffff:203.0.113.1', '2001:db8::1', '', 'unknown', '127.0.0.1.example.com']) expect(on.exempts(address)).toBe(false);
    expect(throttle({ NODE_ENV: 'test' }).exempts('127.0.0.1')).toBe(false);
  });
});
