import { authConfigSchema } from './config';

const BASE = { DATABASE_URL: 'postgres://localhost/shop_auth', EVENTS_DATABASE_URL: 'postgres://localhost/shop_events' };

describe('auth configuration', () => {
  it('requires a signing key encryption secret of 32+ characters in production', () => {
    const missing = authConfigSchema.safeParse({ ...BASE, NODE_ENV: 'production' });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.map((issue) => issue.path.join('.'))).toContain('SIGNING_KEY_ENCRYPTION_KEY');
    expect(authConfigSchema.safeParse({ ...BASE, NODE_ENV: 'production', SIGNING_KEY_ENCRYPTION_KEY: 'short' }).success).toBe(false);
    expect(authConfigSchema.safeParse({ ...BASE, NODE_ENV: 'production', SIGNING_KEY_ENCRYPTION_KEY: 'x'.repeat(32) }).success).toBe(true);
  });

  it('runs without one in development, keys then stored unsealed', () => {
    const config = authConfigSchema.parse({ ...BASE, NODE_ENV: 'development', SIGNING_KEY_ENCRYPTION_KEY: '' });
    expect(config.SIGNING_KEY_ENCRYPTION_KEY).toBeUndefined();
  });

  it('limits rotations on request to one per 5 minutes unless told otherwise', () => {
    expect(authConfigSchema.parse({ ...BASE, NODE_ENV: 'development' }).SIGNING_KEY_MIN_ROTATION_INTERVAL_SECONDS).toBe(300);
    expect(authConfigSchema.parse({ ...BASE, NODE_ENV: 'development', SIGNING_KEY_MIN_ROTATION_INTERVAL_SECONDS: '0' }).SIGNING_KEY_MIN_ROTATION_INTERVAL_SECONDS).toBe(0);
    expect(authConfigSchema.safeParse({ ...BASE, NODE_ENV: 'development', SIGNING_KEY_MIN_ROTATION_INTERVAL_SECONDS: '-1' }).success).toBe(false);
  });

  it('refuses a first admin password that the password policy would refuse at bootstrap, naming ADMIN_PASSWORD', () => {
    const admin = (password: string) => authConfigSchema.safeParse({ ...BASE, ADMIN_EMAIL: 'admin@shop.local', ADMIN_PASSWORD: password });
    const refused = admin('change-me-local-admin');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues).toEqual([expect.objectContaining({ path: ['ADMIN_PASSWORD'], message: expect.stringMatching(/not contain the email address/) })]);
    expect(admin('short1!').error?.issues[0]?.message).toMatch(/at least 10 characters/);
    expect(admin('shop-local-dev-2026').success).toBe(true);
  });
});
