import { authV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { eventually, uniqueName } from '@shop/testing';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { Client } from 'pg';
import { type Api, type Harness, startHarness } from './platform-harness';

const PASSWORD = 'correct-horse-42';

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
}

const until = <T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, what?: string) => eventually(probe, timeoutMs, what);

/** How soon a change to someone's access must be refused at the gateway: the event takes a fraction of a second, the gateway's resync 5 s at worst. */
const REVOCATION_BOUND_MS = 6000;

/** Polls until the token is refused as revoked; answers how long that took. */
async function refusedWithin(call: Api, token: string, since: number): Promise<number> {
  const refused = await eventually(
    async () => {
      const response = await call('GET', '/api/v1/users/me', { token });
      return response.status === 401 ? response : undefined;
    },
    REVOCATION_BOUND_MS * 2,
    'the old token refused',
  );
  expect(refused.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: 'access token has been revoked', requestId: expect.any(String) });
  return Date.now() - since;
}

/**
 * An admin is demoted: the token they hold, which still says admin, is refused within seconds and
 * cannot promote them again; a new login carries their new roles.
 */
async function demotedAdminCannotComeBack(harness: Harness, adminToken: string, ip: string): Promise<void> {
  const call = harness.api(ip);
  const api = harness.api();
  const email = `${uniqueName('deputy')}@example.com`;
  const registered = await call('POST', '/api/v1/auth/register', { body: { email, password: PASSWORD, name: 'Deputy' } });
  expect(registered.status).toBe(201);
  const deputy = registered.body.id as string;
  expect((await api('PATCH', `/api/v1/admin/users/${deputy}/roles`, { token: adminToken, body: { roles: ['admin', 'customer'] } })).status).toBe(200);
  const login = await call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
  const adminOfOld: string = login.body.accessToken;
  expect(claims(adminOfOld).perms).toContain('users:roles:write');
  expect((await call('GET', '/api/v1/admin/roles', { token: adminOfOld })).status).toBe(200);

  const demotedAt = Date.now();
  expect((await api('PATCH', `/api/v1/admin/users/${deputy}/roles`, { token: adminToken, body: { roles: ['customer'] } })).status).toBe(200);
  expect(await refusedWithin(call, adminOfOld, demotedAt)).toBeLessThan(REVOCATION_BOUND_MS);
  const comeback = await call('PATCH', `/api/v1/admin/users/${deputy}/roles`, { token: adminOfOld, body: { roles: ['admin', 'customer'] } });
  expect(comeback.status).toBe(401);
  expect((await api('GET', `/api/v1/admin/users/${deputy}/roles`, { token: adminToken })).body).toMatchObject({ roles: ['customer'] });

  // The refresh token still works and brings the new roles at once.
  const refreshed = await call('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
  expect(refreshed.status).toBe(200);
  await eventually(async () => ((await call('GET', '/api/v1/users/me', { token: refreshed.body.accessToken })).status === 200 ? true : undefined), 30_000, 'the new token taken');
  expect((await call('PATCH', `/api/v1/admin/users/${deputy}/roles`, { token: refreshed.body.accessToken, body: { roles: ['admin'] } })).status).toBe(403);
}

/** Logging out everywhere ends the access token it was asked with, the other sessions and their refresh tokens. */
async function logoutEverywhereEndsEverySession(harness: Harness, ip: string): Promise<void> {
  const call = harness.api(ip);
  const email = `${uniqueName('everywhere')}@example.com`;
  expect((await call('POST', '/api/v1/auth/register', { body: { email, password: PASSWORD, name: 'Ev' } })).status).toBe(201);
  const phone = (await call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } })).body;
  const laptop = (await call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } })).body;
  await eventually(async () => ((await call('GET', '/api/v1/users/me', { token: phone.accessToken })).status === 200 ? true : undefined), 30_000, 'the profile');
  const loggedOutAt = Date.now();
  expect((await call('POST', '/api/v1/auth/logout-everywhere', { token: laptop.accessToken })).status).toBe(204);
  expect(await refusedWithin(call, phone.accessToken, loggedOutAt)).toBeLessThan(REVOCATION_BOUND_MS);
  expect((await call('GET', '/api/v1/users/me', { token: laptop.accessToken })).status).toBe(401);
  expect((await call('POST', '/api/v1/auth/refresh', { body: { refreshToken: phone.refreshToken } })).status).toBe(401);
  expect((await call('POST', '/api/v1/auth/refresh', { body: { refreshToken: laptop.refreshToken } })).status).toBe(401);
  const again = await call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
  expect((await call('GET', '/api/v1/users/me', { token: again.body.accessToken })).status).toBe(200);
}

describe('identity through the gateway (Kafka, Redis, per-service Postgres)', () => {
  let harness: Harness;
  let api: Api;
  let adminToken: string;

  beforeAll(async () => {
    harness = await startHarness({
      kafka: true,
      redis: true,
      env: {
        RATE_LIMIT_AUTH_PER_IP: '8',
        GRPC_DEADLINE_MS: '1500',
        CIRCUIT_FAILURE_THRESHOLD: '3',
        CIRCUIT_OPEN_MS: '1500',
        CORS_ORIGINS: 'https://shop.example',
        BODY_LIMIT_BYTES: '16384',
      },
    });
    api = harness.api();
    const login = await harness.api('198.51.100.1')('POST', '/api/v1/auth/login', {
      body: { email: harness.platform.adminEmail, password: harness.platform.adminPassword },
    });
    expect(login.status).toBe(200);
    adminToken = login.body.accessToken;
  });

  afterAll(async () => {
    await harness?.platform.stop();
    await harness?.dropDatabases();
  });

  afterEach(() => {
    const failed = expect.getState().assertionCalls !== expect.getState().numPassingAsserts;
    if (failed) process.stdout.write(`${harness.logs.slice(-40).join('\n')}\n`);
  });

  let shoppers = 0;
  /** Registers and logs in from its own client IP, so the strict auth limit is not shared between tests. */
  async function shopper(name = 'Ada'): Promise<{ email: string; id: string; accessToken: string; refreshToken: string; call: Api }> {
    shoppers += 1;
    const call = harness.api(`192.0.2.${shoppers}`);
    const email = `${uniqueName(name)}@example.com`;
    const registered = await call('POST', '/api/v1/auth/register', { body: { email, password: PASSWORD, name } });
    expect(registered.status).toBe(201);
    const login = await call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    return { email, id: registered.body.id, ...login.body, call };
  }

  it('registers, logs in, reads and updates the profile and manages addresses', async () => {
    const call = harness.api('192.0.2.200');
    const email = `${uniqueName('Grace')}@Example.com`;
    const registered = await call('POST', '/api/v1/auth/register', { body: { email, password: PASSWORD, name: 'Grace' } });
    expect(registered.status).toBe(201);
    expect(registered.body).toEqual({ id: expect.any(String), email: email.toLowerCase() });
    const login = await call('POST', '/api/v1/auth/login', { body: { email: email.toLowerCase(), password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    const token = login.body.accessToken;

    // The profile is made by the user service from the user.registered event, via the outbox and Kafka.
    const me = await until(async () => {
      const response = await call('GET', '/api/v1/users/me', { token });
      return response.status === 200 ? response : undefined;
    });
    expect(me.body).toMatchObject({ id: registered.body.id, email: email.toLowerCase(), name: 'Grace', locale: 'en', roles: ['customer'] });

    const updated = await call('PATCH', '/api/v1/users/me', { token, body: { name: 'Grace Hopper', locale: 'en-US', phone: '+1 202 555 0100' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Grace Hopper', locale: 'en-US', phone: '+1 202 555 0100' });

    const home = await call('POST', '/api/v1/users/me/addresses', { token, body: { line1: '1 Navy Way', city: 'Arlington', region: 'VA', postalCode: '22202', country: 'US' } });
    expect(home.status).toBe(201);
    expect(home.body).toMatchObject({ id: expect.any(String), line1: '1 Navy Way', country: 'US', isDefault: true });
    const office = await call('POST', '/api/v1/users/me/addresses', { token, body: { line1: '2 Office Rd', city: 'Boston', postalCode: '02110', country: 'US', isDefault: true } });
    expect(office.status).toBe(201);
    const list = await call('GET', '/api/v1/users/me/addresses', { token });
    expect(list.body).toMatchObject({ total: 2, page: 1, items: [{ id: office.body.id, isDefault: true }, { id: home.body.id, isDefault: false }] });
    const patched = await call('PATCH', `/api/v1/users/me/addresses/${home.body.id}`, { token, body: { city: 'Alexandria', isDefault: true } });
    expect(patched.body).toMatchObject({ city: 'Alexandria', isDefault: true });
    expect((await call('DELETE', `/api/v1/users/me/addresses/${office.body.id}`, { token })).status).toBe(204);
    expect((await call('GET', '/api/v1/users/me/addresses', { token })).body.items).toHaveLength(1);
  });

  it('rotates refresh tokens, detects reuse, and logs out', async () => {
    const user = await shopper();
    const refreshed = await user.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(user.refreshToken);
    const reused = await user.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(reused.status).toBe(401);
    expect(reused.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', requestId: expect.any(String) });
    // Reuse revoked the family, including the newest token.
    expect((await user.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: refreshed.body.refreshToken } })).status).toBe(401);

    const again = await user.call('POST', '/api/v1/auth/login', { body: { email: user.email, password: PASSWORD } });
    expect((await user.call('POST', '/api/v1/auth/logout', { body: { refreshToken: again.body.refreshToken } })).status).toBe(204);
    expect((await user.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: again.body.refreshToken } })).status).toBe(401);
  });

  it('lets an admin change roles, which changes access at the next token', async () => {
    const user = await shopper('Support');
    expect((await user.call('GET', '/api/v1/admin/roles', { token: user.accessToken })).status).toBe(403);
    const selfPromotion = await user.call('PATCH', `/api/v1/admin/users/${user.id}/roles`, { token: user.accessToken, body: { roles: ['admin'] } });
    expect(selfPromotion.status).toBe(403);
    expect(selfPromotion.body.message).toBe('missing permission: users:roles:write');

    const change = await api('PATCH', `/api/v1/admin/users/${user.id}/roles`, { token: adminToken, body: { roles: ['customer', 'support'] } });
    expect(change.status).toBe(200);
    expect(change.body).toMatchObject({ userId: user.id, roles: ['customer', 'support'], permissions: expect.arrayContaining(['users:read']) });
    // Well-formed, but no such role: refused as a change that cannot be made (422), as the OpenAPI document says.
    const unknown = await api('PATCH', `/api/v1/admin/users/${user.id}/roles`, { token: adminToken, body: { roles: ['wizard'] } });
    expect(unknown.status).toBe(422);

    const refreshed = await user.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(claims(refreshed.body.accessToken).perms).toContain('users:read');
    const roles = await user.call('GET', '/api/v1/admin/roles', { token: refreshed.body.accessToken });
    expect(roles.status).toBe(200);
    expect(roles.body.items.map((r: { name: string }) => r.name)).toEqual(['admin', 'customer', 'support']);
    // Support may read but not change roles.
    expect((await user.call('PATCH', `/api/v1/admin/users/${user.id}/roles`, { token: refreshed.body.accessToken, body: { roles: ['admin'] } })).status).toBe(403);
  });

  it('refuses the old token of a demoted admin within seconds, so it cannot promote them again (user.access_changed on Kafka)', async () => {
    await demotedAdminCannotComeBack(harness, adminToken, '192.0.2.210');
  });

  it('logs out everywhere: every access token refused within seconds, every refresh token refused', async () => {
    await logoutEverywhereEndsEverySession(harness, '192.0.2.211');
  });

  it('locks an account: its tokens refused within seconds, no login until unlocked', async () => {
    const user = await shopper('Locked');
    expect((await user.call('POST', `/api/v1/admin/users/${user.id}/lock`, { token: user.accessToken, body: {} })).status).toBe(403);
    const lockedAt = Date.now();
    const lock = await api('POST', `/api/v1/admin/users/${user.id}/lock`, { token: adminToken, body: { reason: 'card testing' } });
    expect(lock.status).toBe(200);
    expect(lock.body).toEqual({ userId: user.id, locked: true, lockedAt: expect.any(String), reason: 'card testing' });
    expect(await refusedWithin(user.call, user.accessToken, lockedAt)).toBeLessThan(REVOCATION_BOUND_MS);
    const login = await user.call('POST', '/api/v1/auth/login', { body: { email: user.email, password: PASSWORD } });
    expect(login.status).toBe(403);
    expect(login.body).toMatchObject({ statusCode: 403, message: 'this account is locked', requestId: expect.any(String) });
    expect((await user.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(401);
    expect((await api('POST', `/api/v1/admin/users/${user.id}/lock`, { token: adminToken, body: { reason: 'x'.repeat(201) } })).status).toBe(400);

    const unlock = await api('POST', `/api/v1/admin/users/${user.id}/unlock`, { token: adminToken });
    expect(unlock.body).toEqual({ userId: user.id, locked: false, lockedAt: null, reason: '' });
    const back = await user.call('POST', '/api/v1/auth/login', { body: { email: user.email, password: PASSWORD } });
    expect(back.status).toBe(200);
    await until(async () => ((await user.call('GET', '/api/v1/users/me', { token: back.body.accessToken })).status === 200 ? true : undefined), 30_000, 'the new token taken');
  });

  it('rejects bad bodies with 400 in the one error shape', async () => {
    const call = harness.api('192.0.2.251');
    const cases = [
      { email: 'ada@example.com', password: PASSWORD, isAdmin: true },
      { email: 'ada@example.com', password: 12345678901 },
      { email: 'not-an-email', password: PASSWORD },
      ['an', 'array'],
    ];
    for (const body of cases) {
      const response = await call('POST', '/api/v1/auth/register', { body });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.any(String), requestId: expect.any(String), details: expect.any(Array) });
    }
    const malformed = await call('POST', '/api/v1/auth/login', { raw: '{"email": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const user = await shopper();
    const wrongType = await user.call('POST', '/api/v1/users/me/addresses', { token: user.accessToken, body: { line1: 5, city: 'X', postalCode: '1', country: 'XX' } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.details).toEqual(expect.arrayContaining(['line1 must be a string', 'country must be an ISO 3166-1 alpha-2 code']));
    expect((await user.call('PATCH', '/api/v1/users/me/addresses/not-a-uuid', { token: user.accessToken, body: {} })).status).toBe(400);
    const huge = await user.call('PATCH', '/api/v1/users/me', { token: user.accessToken, raw: JSON.stringify({ name: 'x'.repeat(20_000) }) });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ statusCode: 413, requestId: expect.any(String) });
  });

  it('answers 409 for a duplicate email', async () => {
    const user = await shopper();
    const duplicate = await user.call('POST', '/api/v1/auth/register', { body: { email: user.email.toUpperCase(), password: PASSWORD } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ statusCode: 409, error: 'Conflict', message: 'an account with this email already exists' });
  });

  it('answers 401 for missing, expired, tampered and wrongly signed tokens', async () => {
    const user = await shopper();
    const call = user.call;
    expect((await call('GET', '/api/v1/users/me')).body).toMatchObject({ statusCode: 401, message: 'missing bearer token' });
    expect((await call('GET', '/api/v1/users/me', { headers: { authorization: `Basic ${user.accessToken}` } })).status).toBe(401);

    const [header, payload, signature] = user.accessToken.split('.');
    const elevated = Buffer.from(JSON.stringify({ ...claims(user.accessToken), perms: ['users:roles:write', 'users:read'] })).toString('base64url');
    expect(payload).toBeDefined();
    const tampered = await call('GET', '/api/v1/admin/roles', { token: `${header}.${elevated}.${signature}` });
    expect(tampered.status).toBe(401);

    const { kid } = JSON.parse(Buffer.from(header!, 'base64url').toString());
    const impostorKey = await generateKeyPair('RS256');
    const forged = await new SignJWT({ ...claims(user.accessToken), perms: ['users:read'] })
      .setProtectedHeader({ alg: 'RS256', kid })
      .sign(impostorKey.privateKey);
    expect((await call('GET', '/api/v1/admin/roles', { token: forged })).status).toBe(401);
    const hmac = await new SignJWT(claims(user.accessToken)).setProtectedHeader({ alg: 'HS256', kid }).sign(new TextEncoder().encode('guess'));
    expect((await call('GET', '/api/v1/users/me', { token: hmac })).status).toBe(401);

    // Expired: signed with the platform's real key, but an hour old.
    const pg = new Client({ connectionString: harness.platform.databaseUrls.auth });
    await pg.connect();
    const { rows } = await pg.query('SELECT kid, private_jwk FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1');
    await pg.end();
    const realKey = await importJWK(rows[0].private_jwk as JWK, 'RS256');
    const expired = await new SignJWT({ ...claims(user.accessToken) })
      .setProtectedHeader({ alg: 'RS256', kid: rows[0].kid })
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 1800)
      .sign(realKey);
    const expiredResponse = await call('GET', '/api/v1/users/me', { token: expired });
    expect(expiredResponse.body).toMatchObject({ statusCode: 401, message: 'access token has expired' });
    const stillValid = await new SignJWT({ ...claims(user.accessToken) }).setProtectedHeader({ alg: 'RS256', kid: rows[0].kid }).sign(realKey);
    expect((await call('GET', '/api/v1/users/me', { token: stillValid })).status).toBe(200);
    void exportJWK;
  });

  it('keeps tokens valid across a signing key rotation', async () => {
    const user = await shopper();
    // With the key set loaded, a token naming a kid auth never had primes the unknown-kid cool-down;
    // it must not hold back the real new kid.
    // The profile is made from user.registered, a moment after registering.
    await eventually(async () => ((await user.call('GET', '/api/v1/users/me', { token: user.accessToken })).status === 200 ? true : undefined), 30_000, 'the new profile');
    const [, payload, signature] = user.accessToken.split('.');
    const forgedKid = `${Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'forged-kid' })).toString('base64url')}.${payload}.${signature}`;
    expect((await user.call('GET', '/api/v1/users/me', { token: forgedKid })).body).toMatchObject({ statusCode: 401, message: 'access token is signed by an unknown key' });
    const rotated = await api('POST', '/api/v1/admin/auth/keys/rotate', { token: adminToken });
    expect(rotated.status).toBe(200);
    expect((await user.call('GET', '/api/v1/users/me', { token: user.accessToken })).status).toBe(200);
    const fresh = await user.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(JSON.parse(Buffer.from(fresh.body.accessToken.split('.')[0], 'base64url').toString()).kid).toBe(rotated.body.kid);
    expect((await user.call('GET', '/api/v1/users/me', { token: fresh.body.accessToken })).status).toBe(200);
    const jwks = await api('GET', '/.well-known/jwks.json');
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toContain(rotated.body.kid);
    // Rotations are rate limited (SIGNING_KEY_MIN_ROTATION_INTERVAL_SECONDS, 300 s by default).
    const again = await api('POST', '/api/v1/admin/auth/keys/rotate', { token: adminToken });
    expect(again.status).toBe(429);
    expect(again.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/next rotation is allowed in \d+ s/), requestId: expect.any(String) });
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(250);
  });

  it('answers 429 with Retry-After past the login limit, per client IP', async () => {
    const attacker = harness.api('198.51.100.99');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      statuses.push((await attacker('POST', '/api/v1/auth/login', { body: { email: 'victim@example.com', password: `guess-${i}` } })).status);
    }
    expect(statuses.slice(0, 8).every((s) => s === 401 || s === 429)).toBe(true);
    expect(statuses.slice(-2)).toEqual([429, 429]);
    const limited = await attacker('POST', '/api/v1/auth/login', { body: { email: 'victim@example.com', password: 'x' } });
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', requestId: expect.any(String) });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client is not affected by this IP's budget, nor by its failures: auth locked the victim's
    // email for this IP only, so the victim logging in from elsewhere is not locked out.
    expect((await harness.api('198.51.100.100')('POST', '/api/v1/auth/login', { body: { email: 'someone@example.com', password: 'x' } })).status).toBe(401);
    const elsewhere = await harness.api('198.51.100.101')('POST', '/api/v1/auth/login', { body: { email: 'victim@example.com', password: 'x' } });
    expect(elsewhere.body).toMatchObject({ statusCode: 401, message: 'invalid email or password' });
  });

  it('sends security headers, request ids, CORS for allowed origins, metrics and the OpenAPI document', async () => {
    const response = await api('GET', '/health/ready', { headers: { 'x-request-id': 'trace-me-12345' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('trace-me-12345');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age/);
    expect(response.body).toMatchObject({ status: 'ok', checks: { redis: { status: 'ok' } } });
    const preflight = await api('OPTIONS', '/api/v1/users/me', {
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const foreign = await api('OPTIONS', '/api/v1/users/me', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const metrics = await api('GET', '/metrics');
    expect(metrics.body).toMatch(/http_requests_total\{[^}]*route="\/api\/v1\/auth\/login"/);
    expect(metrics.body).toMatch(/grpc_client_handling_seconds_bucket/);
    expect(metrics.body).toMatch(/process_cpu_seconds_total/);
    const openapi = await api('GET', '/docs-json');
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/register', '/api/v1/users/me', '/api/v1/admin/users/{id}/roles']));
    expect((await api('GET', '/docs')).status).toBe(200);
  });

  it('answers 503 within the deadline when a service is down, opens the circuit, and recovers', async () => {
    const user = await shopper();
    await harness.platform.kill('user');
    const first = await user.call('GET', '/api/v1/users/me', { token: user.accessToken });
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', message: 'user service is unavailable', requestId: expect.any(String) });
    expect(first.ms).toBeLessThan(1500 + 500);
    let refused = first;
    for (let i = 0; i < 3; i += 1) refused = await user.call('GET', '/api/v1/users/me', { token: user.accessToken });
    // Refused by the open circuit: it says when the next call may go through (CIRCUIT_OPEN_MS is 1.5 s).
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^[12]$/);
    const metrics = await api('GET', '/metrics');
    expect(metrics.body).toMatch(/grpc_client_handled_total\{grpc_service="user",grpc_method="getProfile",grpc_code="CIRCUIT_OPEN"/);
    // Auth is unaffected by the user service being down.
    expect((await user.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(200);

    await harness.platform.start('user');
    const recovered = await until(async () => {
      const response = await user.call('GET', '/api/v1/users/me', { token: user.accessToken });
      return response.status === 200 ? response : undefined;
    });
    expect(recovered.body).toMatchObject({ id: user.id });
  });
});

describe('the embedded default: no Kafka, no Redis', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ kafka: false, redis: false });
  });
  afterAll(async () => {
    await harness?.platform.stop();
    await harness?.dropDatabases();
  });

  it('refuses the old token of a demoted admin within seconds (user.access_changed on the Postgres event log), and logs out everywhere', async () => {
    const admin = await harness.api('192.0.2.19')('POST', '/api/v1/auth/login', { body: { email: harness.platform.adminEmail, password: harness.platform.adminPassword } });
    await demotedAdminCannotComeBack(harness, admin.body.accessToken, '192.0.2.20');
    await logoutEverywhereEndsEverySession(harness, '192.0.2.21');
  });

  it('refuses a token revoked before the gateway started: a starting gateway loads the revocations from auth', async () => {
    const call = harness.api('192.0.2.22');
    const signedIn = async (name: string) => {
      const email = `${uniqueName(name)}@example.com`;
      expect((await call('POST', '/api/v1/auth/register', { body: { email, password: PASSWORD, name } })).status).toBe(201);
      const { accessToken } = (await call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } })).body;
      await until(async () => ((await call('GET', '/api/v1/users/me', { token: accessToken })).status === 200 ? true : undefined), 30_000, 'the profile');
      return { accessToken: accessToken as string, id: claims(accessToken).sub as string };
    };
    const [revoked, untouched] = [await signedIn('Revoked'), await signedIn('Untouched')];
    await harness.platform.kill('gateway');
    // No gateway hears this change: the only one is down, and the next one subscribes at the end of the log.
    const auth = new GrpcDownstream('auth', authV1.AuthServiceService, {
      target: `127.0.0.1:${harness.platform.processes.get('auth')!.grpcPort}`,
      deadlineMs: 5000,
      breaker: { failureThreshold: 100, openMs: 1000 },
    });
    try {
      await auth.call('logoutEverywhere', { userId: revoked.id });
    } finally {
      auth.close();
    }
    await harness.platform.start('gateway');
    expect((await call('GET', '/api/v1/users/me', { token: revoked.accessToken })).body).toMatchObject({ statusCode: 401, message: 'access token has been revoked' });
    expect((await call('GET', '/api/v1/users/me', { token: untouched.accessToken })).status).toBe(200);
  });

  it('delivers user.registered through the Postgres event log and limits rates in memory', async () => {
    const call = harness.api('192.0.2.9');
    const email = `${uniqueName('embedded')}@example.com`;
    expect((await call('POST', '/api/v1/auth/register', { body: { email, password: PASSWORD, name: 'Emb' } })).status).toBe(201);
    const login = await call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    const me = await until(async () => {
      const response = await call('GET', '/api/v1/users/me', { token: login.body.accessToken });
      return response.status === 200 ? response : undefined;
    });
    expect(me.body).toMatchObject({ email, name: 'Emb' });
    expect(harness.platform.processes.get('auth')!.env.EVENTS_DATABASE_URL).toBeDefined();
    expect(harness.platform.processes.get('auth')!.env.KAFKA_BROKERS).toBeUndefined();
    expect((await call('GET', '/health/ready')).body).toEqual({ status: 'ok', checks: {} });
    expect((await call('GET', '/api/v1/users/me', { token: login.body.accessToken })).headers.get('ratelimit-limit')).toBe('600');
  });
});
