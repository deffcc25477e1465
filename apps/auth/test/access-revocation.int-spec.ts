import { status } from '@grpc/grpc-js';
import { authV1 } from '@shop/contracts';
import { isRevokedBy } from '@shop/security';
import { grpcError, uniqueName } from '@shop/testing';
import { Client } from 'pg';
import { type AuthClient, startAuth } from './auth-under-test';

const PASSWORD = 'correct-horse-42';

const claims = (token: string): { sub: string; iat: number; exp: number; roles: string[]; perms: string[] } =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());

/**
 * A role change, logout everywhere and a lock revoke the access tokens issued so far (a cutoff the
 * gateways hear of by user.access_changed, written to the outbox with the change) and, for the last
 * two, the refresh tokens too.
 */
describe('auth: revoking access', () => {
  let pg: Client;
  let auth: AuthClient;
  let stopAuth: (() => Promise<void>) | undefined;
  const adminEmail = `${uniqueName('admin')}@shop.test`;

  beforeAll(async () => {
    ({ pg, auth, stop: stopAuth } = await startAuth('auth_revoke', {
      EVENT_TOPIC_PREFIX: `${uniqueName('revoke')}.`,
      ACCESS_TOKEN_TTL_SECONDS: '120',
      ADMIN_EMAIL: adminEmail,
      ADMIN_PASSWORD: 'Admin-secret-2026',
    }));
  });

  afterAll(async () => {
    await stopAuth?.();
  });

  const login = (email: string, password = PASSWORD) => auth.call('login', { email, password, source: '192.0.2.10' } as authV1.LoginRequest);

  async function user(name: string): Promise<{ userId: string; email: string }> {
    const email = `${uniqueName(name)}@example.com`;
    const { userId } = await auth.call('register', { email, password: PASSWORD, name });
    return { userId, email };
  }

  /** The user.access_changed events in the outbox for a user, oldest first. */
  const accessChanges = async (userId: string) =>
    (
      await pg.query<{ payload: { payload: { userId: string; notBefore: string; reason: string } } }>(
        `SELECT payload FROM outbox_events WHERE type = 'user.access_changed' AND key = $1 ORDER BY seq`,
        [userId],
      )
    ).rows.map((row) => row.payload.payload);

  const cutoffOf = async (userId: string) =>
    (await pg.query<{ access_not_before: Date | null }>('SELECT access_not_before FROM users WHERE id = $1', [userId])).rows[0]!.access_not_before;

  it('revokes the access tokens issued before a role change, and a refresh brings one with the new roles', async () => {
    const { userId, email } = await user('deputy');
    await auth.call('setUserRoles', { userId, roles: ['admin', 'customer'] });
    const before = await login(email);
    expect(claims(before.accessToken).perms).toContain('users:roles:write');

    await auth.call('setUserRoles', { userId, roles: ['customer'] });
    const cutoff = (await cutoffOf(userId))!;
    const changes = await accessChanges(userId);
    expect(changes.at(-1)).toEqual({ userId, notBefore: cutoff.toISOString(), reason: 'roles_changed' });
    expect(isRevokedBy(claims(before.accessToken).iat, cutoff.getTime())).toBe(true);

    // The refresh token still works, and brings the new roles in a token the cutoff does not refuse.
    const after = await auth.call('refresh', { refreshToken: before.refreshToken });
    expect(claims(after.accessToken).perms).not.toContain('users:roles:write');
    expect(isRevokedBy(claims(after.accessToken).iat, cutoff.getTime())).toBe(false);
    expect(claims(after.accessToken).exp - claims(after.accessToken).iat).toBe(120);

    // Setting the same roles again changes nothing and revokes nothing.
    await auth.call('setUserRoles', { userId, roles: ['customer'] });
    expect(await accessChanges(userId)).toHaveLength(changes.length);
  });

  it('logs out everywhere: refresh tokens refused, access tokens issued so far revoked, a new login fine', async () => {
    const { userId, email } = await user('everywhere');
    const sessions = [await login(email), await login(email)];
    await auth.call('logoutEverywhere', { userId });
    const cutoff = (await cutoffOf(userId))!;
    expect((await accessChanges(userId)).at(-1)).toMatchObject({ reason: 'logged_out_everywhere', notBefore: cutoff.toISOString() });
    for (const session of sessions) {
      expect(isRevokedBy(claims(session.accessToken).iat, cutoff.getTime())).toBe(true);
      const refused = await grpcError(auth.call('refresh', { refreshToken: session.refreshToken }));
      expect(refused.code).toBe(status.UNAUTHENTICATED);
      expect(refused.details).toBe('refresh token is invalid or expired');
    }
    const again = await login(email);
    expect(isRevokedBy(claims(again.accessToken).iat, cutoff.getTime())).toBe(false);
    await expect(auth.call('refresh', { refreshToken: again.refreshToken })).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect((await grpcError(auth.call('logoutEverywhere', { userId: '6c1b7a52-0000-4000-8000-000000000000' }))).code).toBe(status.NOT_FOUND);
    expect((await grpcError(auth.call('logoutEverywhere', { userId: 'not-a-uuid' }))).code).toBe(status.NOT_FOUND);
  });

  it('locks an account: no login (said only to the password holder), no refresh, sessions ended; unlocking lets it log in', async () => {
    const { userId, email } = await user('locked');
    const session = await login(email);
    const lock = await auth.call('lockUser', { userId, reason: '  chargebacks  ' });
    expect(lock).toEqual({ userId, locked: true, lockedAt: expect.stringMatching(/^\d{4}-/), reason: 'chargebacks' });
    const cutoff = (await cutoffOf(userId))!;
    expect(isRevokedBy(claims(session.accessToken).iat, cutoff.getTime())).toBe(true);
    expect((await grpcError(auth.call('refresh', { refreshToken: session.refreshToken }))).code).toBe(status.UNAUTHENTICATED);
    const refused = await grpcError(login(email));
    expect(refused.code).toBe(status.PERMISSION_DENIED);
    expect(refused.details).toBe('this account is locked');
    expect((await grpcError(login(email, 'wrong-password-1'))).code).toBe(status.UNAUTHENTICATED);

    // Locking again is no new change.
    const changes = (await accessChanges(userId)).length;
    expect(await auth.call('lockUser', { userId, reason: 'again' })).toMatchObject({ locked: true, reason: 'chargebacks' });
    expect(await accessChanges(userId)).toHaveLength(changes);

    expect(await auth.call('unlockUser', { userId })).toEqual({ userId, locked: false, lockedAt: '', reason: '' });
    await expect(login(email)).resolves.toMatchObject({ tokenType: 'Bearer' });
    // What the lock ended stays ended.
    expect((await grpcError(auth.call('refresh', { refreshToken: session.refreshToken }))).code).toBe(status.UNAUTHENTICATED);

    expect((await grpcError(auth.call('lockUser', { userId, reason: 'x'.repeat(201) }))).code).toBe(status.INVALID_ARGUMENT);
    expect((await grpcError(auth.call('lockUser', { userId: '6c1b7a52-0000-4000-8000-000000000000', reason: '' }))).code).toBe(status.NOT_FOUND);
  });

  it('will not lock the last unlocked user who can manage roles', async () => {
    const admin = claims((await login(adminEmail, 'Admin-secret-2026')).accessToken).sub;
    const refused = await grpcError(auth.call('lockUser', { userId: admin, reason: '' }));
    expect(refused.code).toBe(status.FAILED_PRECONDITION);
    expect(refused.details).toBe('at least one unlocked user must keep the users:roles:write permission');
    await expect(login(adminEmail, 'Admin-secret-2026')).resolves.toMatchObject({ tokenType: 'Bearer' });
  });

  it('lists the cutoffs younger than an access token lifetime for starting gateways', async () => {
    const { userId } = await user('listed');
    await auth.call('logoutEverywhere', { userId });
    const stale = await user('stale');
    await auth.call('logoutEverywhere', { userId: stale.userId });
    await pg.query(`UPDATE users SET access_not_before = now() - interval '1 hour' WHERE id = $1`, [stale.userId]);
    const list = await auth.call('listAccessRevocations', {});
    expect(list.accessTokenTtlSeconds).toBe(120);
    expect(list.revocations).toContainEqual({ userId, notBefore: (await cutoffOf(userId))!.toISOString() });
    expect(list.revocations.map((revocation) => revocation.userId)).not.toContain(stale.userId);
  });

  it('never leaves a session alive when refreshes race a logout everywhere', async () => {
    const { userId, email } = await user('racing');
    const sessions = await Promise.all(Array.from({ length: 12 }, () => login(email)));
    const refreshes = sessions.map((session) => auth.call('refresh', { refreshToken: session.refreshToken }).catch(() => undefined));
    await auth.call('logoutEverywhere', { userId });
    const issued = (await Promise.all(refreshes)).filter((pair): pair is authV1.TokenPair => pair !== undefined);
    const cutoff = (await cutoffOf(userId))!.getTime();
    // A refresh that won the race was issued before the cutoff, and its successor refresh token was revoked with the rest.
    for (const pair of issued) {
      expect(isRevokedBy(claims(pair.accessToken).iat, cutoff)).toBe(true);
      expect((await grpcError(auth.call('refresh', { refreshToken: pair.refreshToken }))).code).toBe(status.UNAUTHENTICATED);
    }
    expect((await pg.query('SELECT count(*)::int AS alive FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL', [userId])).rows[0].alive).toBe(0);
  });
});
