import { authV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { JwksVerifier } from '@shop/security';
import { type RunningService, startService } from '@shop/service-kit';
import { createTestDatabase, type TestDatabase, testInfra, uniqueName } from '@shop/testing';
import { Client } from 'pg';
import { AuthModule } from '../src/auth.module';
import { authConfigSchema } from '../src/config';

const SECRET = 'signing-key-secret-for-this-test-only-0123456789';

/** Private signing keys sealed with SIGNING_KEY_ENCRYPTION_KEY: what a copy of the database holds, and what a wrong secret does. */
describe('auth signing keys sealed at rest', () => {
  let db: TestDatabase;
  let pg: Client;
  const running: RunningService[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('auth_keys');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });
  afterAll(async () => {
    await Promise.all(running.map((service) => service.stop().catch(() => undefined)));
    await pg?.end();
    await db?.drop();
  });

  const start = async (secret?: string) => {
    const config = authConfigSchema.parse({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testInfra().kafkaBrokers,
      EVENT_TOPIC_PREFIX: `${uniqueName('keys')}.`,
      HOST: '127.0.0.1',
      GRPC_PORT: '0',
      HTTP_PORT: '0',
      BCRYPT_COST: '4',
      ...(secret ? { SIGNING_KEY_ENCRYPTION_KEY: secret } : {}),
    });
    const service = await startService({ name: 'auth', config, module: AuthModule });
    running.push(service);
    const client = new GrpcDownstream('auth', authV1.AuthServiceService, { target: `127.0.0.1:${service.grpcPort}`, deadlineMs: 5000, breaker: { failureThreshold: 100, openMs: 1000 } });
    return { service, client };
  };
  const storedKeys = async () => (await pg.query<{ kid: string; private_jwk: Record<string, unknown> }>('SELECT kid, private_jwk FROM signing_keys ORDER BY created_at')).rows;

  it('seals keys stored before the secret was set, signs with them, and refuses to start with another secret', async () => {
    // Without a secret (the embedded default) the key is a plain JWK.
    const plain = await start();
    expect((await storedKeys())[0]!.private_jwk).toHaveProperty('d');
    plain.client.close();
    await plain.service.stop();

    // With one, the existing key is sealed at start, and so is every new one.
    const sealed = await start(SECRET);
    const first = await storedKeys();
    expect(first).toHaveLength(1);
    expect(first[0]!.private_jwk).toEqual({ sealed: 'A256GCM', iv: expect.any(String), tag: expect.any(String), data: expect.any(String) });
    const { kid } = await sealed.client.call('rotateSigningKey', {});
    const keys = await storedKeys();
    expect(keys.map((row) => row.kid)).toEqual([first[0]!.kid, kid]);
    for (const row of keys) expect(JSON.stringify(row.private_jwk)).not.toMatch(/"(d|p|q|dp|dq|qi)"/);

    const email = `${uniqueName('sealed')}@example.com`;
    await sealed.client.call('register', { email, password: 'correct-horse-42', name: 'Ada' });
    const tokens = await sealed.client.call('login', { email, password: 'correct-horse-42', source: '198.51.100.9' });
    const verifier = new JwksVerifier({ issuer: 'shop-auth', audience: 'shop', fetchJwks: () => sealed.client.call('getJwks', {}) });
    await expect(verifier.verify(tokens.accessToken)).resolves.toMatchObject({ email });
    expect(JSON.parse(Buffer.from(tokens.accessToken.split('.')[0]!, 'base64url').toString()).kid).toBe(kid);
    sealed.client.close();
    await sealed.service.stop();

    // A copy of the database with another secret, or none, cannot sign: start-up says why.
    await expect(start(`${SECRET}-but-another-one`)).rejects.toThrow(/sealed with another secret/);
    await expect(start()).rejects.toThrow(/set SIGNING_KEY_ENCRYPTION_KEY/);
  });
});
