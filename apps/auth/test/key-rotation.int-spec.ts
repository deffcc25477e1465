import { status } from '@grpc/grpc-js';
import { RETRY_AFTER_METADATA } from '@shop/errors';
import { grpcError, uniqueName } from '@shop/testing';
import { Client } from 'pg';
import { type AuthClient, startAuth } from './auth-under-test';

/** Rotation on request is rate limited, and the JWKS publishes a bounded number of retired keys. */
describe('auth signing key rotation limits', () => {
  let pg: Client;
  let auth: AuthClient;
  let stopAuth: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ pg, auth, stop: stopAuth } = await startAuth('auth_rotation', {
      EVENT_TOPIC_PREFIX: `${uniqueName('rotation')}.`,
      SIGNING_KEY_MIN_ROTATION_INTERVAL_SECONDS: '2',
    }));
  });

  afterAll(async () => {
    await stopAuth?.();
  });

  it('refuses a rotation sooner than SIGNING_KEY_MIN_ROTATION_INTERVAL_SECONDS after the last, saying when to retry', async () => {
    // The key made at start is not a rotation: the first one on request goes through.
    const { kid: first } = await auth.call('rotateSigningKey', {});
    const refused = await grpcError(auth.call('rotateSigningKey', {}));
    expect(refused.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(refused.details).toMatch(/at most once per 2 s; the next rotation is allowed in [12] s/);
    expect(Number(refused.metadata.get(RETRY_AFTER_METADATA)[0])).toBeGreaterThanOrEqual(1);
    expect((await auth.call('getJwks', {})).keys[0]!.kid).toBe(first);

    await new Promise((resolve) => setTimeout(resolve, 2100));
    const { kid: second } = await auth.call('rotateSigningKey', {});
    expect(second).not.toBe(first);
    expect((await pg.query('SELECT count(*)::int AS keys FROM signing_keys')).rows[0].keys).toBe(3);
  });

  it('publishes the signing key and at most five retired ones, newest first', async () => {
    // Retired keys as a storm of rotations would leave them, all within the tokens' lifetime.
    await pg.query(
      `INSERT INTO signing_keys (kid, algorithm, public_jwk, private_jwk, created_at, retired_at)
       SELECT 'storm-' || n, algorithm, public_jwk || jsonb_build_object('kid', 'storm-' || n), private_jwk,
              now() - interval '1 hour' + n * interval '1 second', now() - interval '1 minute' + n * interval '1 second'
       FROM signing_keys, generate_series(1, 8) AS n
       WHERE retired_at IS NULL`,
    );
    const { rows } = await pg.query<{ kid: string }>('SELECT kid FROM signing_keys ORDER BY created_at DESC');
    expect(rows).toHaveLength(11);
    const published = (await auth.call('getJwks', {})).keys.map((key) => key.kid);
    expect(published).toEqual(rows.slice(0, 6).map((row) => row.kid));
  });
});
