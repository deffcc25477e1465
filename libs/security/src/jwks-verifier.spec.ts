import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK, SignJWT } from 'jose';
import { DEFAULT_KEY_REFETCH_RULE, InvalidTokenError, JwksVerifier, planForUnknownKid } from './jwks-verifier';

async function signingKey(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const sign = (claims: Record<string, unknown> = {}, expiresIn = '5m', issuer = 'shop-auth', audience = 'shop') =>
    new SignJWT({ email: 'a@b.c', roles: ['customer'], perms: ['profile:read'], ...claims })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject('0b5f3c3e-1111-4222-8333-944455556666')
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(privateKey);
  return { jwk, sign };
}

describe('JwksVerifier', () => {
  let jwks: JSONWebKeySet;
  let fetches: number;
  let now: number;
  let waited: number;
  const verifier = () =>
    new JwksVerifier({
      issuer: 'shop-auth',
      audience: 'shop',
      fetchJwks: async () => {
        fetches += 1;
        return jwks;
      },
      keyRefetch: { minIntervalMs: 1000, missedKidCooldownMs: 10_000 },
      now: () => now,
      sleep: async (ms) => {
        waited += ms;
        now += ms;
      },
    });

  beforeEach(() => {
    fetches = 0;
    waited = 0;
    now = Date.now();
  });

  it('accepts a valid token and reads the principal, fetching the key set once', async () => {
    const key = await signingKey('k1');
    jwks = { keys: [key.jwk] };
    const v = verifier();
    const principal = await v.verify(await key.sign());
    await v.verify(await key.sign());
    expect(principal).toEqual({ id: '0b5f3c3e-1111-4222-8333-944455556666', email: 'a@b.c', roles: ['customer'], permissions: ['profile:read'], issuedAt: expect.any(Number) });
    expect(fetches).toBe(1);
  });

  it('refuses expired, tampered and wrongly signed tokens', async () => {
    const key = await signingKey('k1');
    const impostor = await signingKey('k1');
    jwks = { keys: [key.jwk] };
    const v = verifier();
    await expect(v.verify(await key.sign({}, '-1m'))).rejects.toThrow('access token has expired');
    const [header, , signature] = (await key.sign()).split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: 'x', perms: ['users:roles:write'], iss: 'shop-auth', aud: 'shop', exp: 9e9 })).toString('base64url');
    await expect(v.verify(`${header}.${forgedPayload}.${signature}`)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(v.verify(await impostor.sign())).rejects.toThrow('access token is invalid');
    await expect(v.verify('not.a.jwt')).rejects.toThrow('access token is malformed');
  });

  it('refuses tokens for another audience or issuer', async () => {
    const key = await signingKey('k1');
    jwks = { keys: [key.jwk] };
    const v = verifier();
    await expect(v.verify(await key.sign({}, '5m', 'someone-else'))).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(v.verify(await key.sign({}, '5m', 'shop-auth', 'another-app'))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('picks up a rotated key on first sight of its kid, so nobody is logged out', async () => {
    const oldKey = await signingKey('old');
    const newKey = await signingKey('new');
    jwks = { keys: [oldKey.jwk] };
    const v = verifier();
    await v.verify(await oldKey.sign());
    jwks = { keys: [newKey.jwk, oldKey.jwk] };
    await expect(v.verify(await newKey.sign())).resolves.toMatchObject({ email: 'a@b.c' });
    await expect(v.verify(await oldKey.sign())).resolves.toMatchObject({ email: 'a@b.c' });
    expect(fetches).toBe(2);
    // The set was fetched a moment ago: the new kid waited out the interval instead of being refused.
    expect(waited).toBe(1000);
  });

  it('remembers a verified token only until it expires', async () => {
    const key = await signingKey('k1');
    jwks = { keys: [key.jwk] };
    const v = verifier();
    const token = await key.sign({}, '60s');
    await v.verify(token);
    await v.verify(token);
    now += 120_000;
    await expect(v.verify(token)).rejects.toThrow('access token has expired');
  });

  it('does not refetch for every forged kid', async () => {
    const key = await signingKey('real');
    const forged = await signingKey('forged');
    jwks = { keys: [key.jwk] };
    const v = verifier();
    await v.verify(await key.sign());
    for (let i = 0; i < 5; i += 1) await expect(v.verify(await forged.sign())).rejects.toThrow('unknown key');
    expect(fetches).toBe(2);
    now += 10_000;
    await expect(v.verify(await forged.sign())).rejects.toThrow('unknown key');
    expect(fetches).toBe(3);
  });

  it('takes a rotated key at once even after a forged kid primed the cool-down', async () => {
    const oldKey = await signingKey('old');
    const newKey = await signingKey('new');
    const forged = await signingKey('forged');
    jwks = { keys: [oldKey.jwk] };
    const v = verifier();
    await v.verify(await oldKey.sign());
    now += 5000;
    await expect(v.verify(await forged.sign())).rejects.toThrow('unknown key');
    expect(fetches).toBe(2);
    now += 2000;
    jwks = { keys: [newKey.jwk, oldKey.jwk] };
    await expect(v.verify(await newKey.sign())).resolves.toMatchObject({ email: 'a@b.c' });
    expect(fetches).toBe(3);
    expect(waited).toBe(0);
    // The forged kid itself stays refused without a call to auth.
    await expect(v.verify(await forged.sign())).rejects.toThrow('unknown key');
    expect(fetches).toBe(3);
  });

  it('lets a stream of forged kids cost auth one fetch a second, and the real kid rides on the next one', async () => {
    const oldKey = await signingKey('old');
    const newKey = await signingKey('new');
    const forged = await signingKey('forged');
    jwks = { keys: [oldKey.jwk] };
    const v = verifier();
    await v.verify(await oldKey.sign());
    const forgedToken = (i: number) => forged.sign({}, '5m').then((token) => token.replace(/^[^.]+/, Buffer.from(JSON.stringify({ alg: 'RS256', kid: `forged-${i}` })).toString('base64url')));
    const started = now;
    for (let i = 0; i < 20; i += 1) {
      now += 100;
      await expect(v.verify(await forgedToken(i))).rejects.toThrow('unknown key');
    }
    // Twenty distinct kids over the seconds they took (waits included): a fetch a second at most.
    expect(fetches - 1).toBeLessThanOrEqual(Math.ceil((now - started) / 1000) + 1);

    // A rotation while forged kids keep coming: they and the real kid share the next fetch.
    jwks = { keys: [newKey.jwk, oldKey.jwk] };
    const tokens = [...(await Promise.all(Array.from({ length: 10 }, (_, i) => forgedToken(100 + i)))), await newKey.sign()];
    const before = fetches;
    const answers = await Promise.allSettled(tokens.map((token) => v.verify(token)));
    expect(answers.slice(0, 10).every((answer) => answer.status === 'rejected')).toBe(true);
    expect(answers[10]).toMatchObject({ status: 'fulfilled', value: { email: 'a@b.c' } });
    expect(fetches - before).toBe(1);
  });
});

describe('planForUnknownKid', () => {
  const rule = DEFAULT_KEY_REFETCH_RULE;

  it('fetches at once when the last fetch is older than the interval', () => {
    expect(planForUnknownKid(rule, { lastFetchAt: 0, missedAt: new Map() }, 'new', 5000)).toEqual({ action: 'fetch', waitMs: 0 });
    expect(planForUnknownKid(rule, { missedAt: new Map() }, 'new', 5000)).toEqual({ action: 'fetch', waitMs: 0 });
  });

  it('waits for the interval, whatever kid the last fetch was for', () => {
    expect(planForUnknownKid(rule, { lastFetchAt: 4700, missedAt: new Map([['forged', 4700]]) }, 'new', 5000)).toEqual({ action: 'fetch', waitMs: 700 });
  });

  it('refuses a kid a fetch missed moments ago, and looks again after the cool-down', () => {
    const history = { lastFetchAt: 0, missedAt: new Map([['forged', 0]]) };
    expect(planForUnknownKid(rule, history, 'forged', 9999)).toEqual({ action: 'refuse' });
    expect(planForUnknownKid(rule, history, 'forged', 10_000)).toEqual({ action: 'fetch', waitMs: 0 });
  });
});

