import { createLocalJWKSet, errors, type JSONWebKeySet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Principal } from './principal';

export interface JwksVerifierOptions {
  issuer: string;
  audience: string;
  /** Where the current public keys come from (the auth service). */
  fetchJwks(): Promise<JSONWebKeySet>;
  /** Refresh the key set at least this often, to drop keys that were retired. */
  refreshIntervalMs?: number;
  /** An unknown kid triggers a refresh at most this often, so forged kids cannot flood the auth service. */
  unknownKidCooldownMs?: number;
  now?: () => number;
}

const MAX_CACHED_TOKENS = 10_000;

export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/**
 * Verifies access tokens locally against a cached JWKS: no call to auth per request. A token
 * signed by a key we have not seen yet (after a rotation) makes us refetch the set once.
 */
export class JwksVerifier {
  // Verified tokens, so a client's repeated calls cost one signature check per token, not per request.
  private readonly verified = new Map<string, { principal: Principal; expiresAt: number; kid: string }>();
  private keySet?: { getKey: JWTVerifyGetKey; kids: Set<string>; fetchedAt: number };
  private inflight?: Promise<void>;
  private lastForcedRefresh = 0;
  private readonly now: () => number;

  constructor(private readonly options: JwksVerifierOptions) {
    this.now = options.now ?? Date.now;
  }

  async verify(token: string): Promise<Principal> {
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.expiresAt > this.now() && this.keySet?.kids.has(cached.kid)) return cached.principal;
      this.verified.delete(token);
    }
    const kid = readKid(token);
    await this.ensureKeyFor(kid);
    try {
      const { payload } = await jwtVerify(token, this.keySet!.getKey, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ['RS256'],
        clockTolerance: 5,
        currentDate: new Date(this.now()),
      });
      if (typeof payload.sub !== 'string') throw new InvalidTokenError('token has no subject');
      const principal: Principal = {
        id: payload.sub,
        email: typeof payload.email === 'string' ? payload.email : '',
        roles: stringArray(payload.roles),
        permissions: stringArray(payload.perms),
      };
      this.remember(token, principal, kid, (payload.exp ?? 0) * 1000);
      return principal;
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (error instanceof errors.JWTExpired) throw new InvalidTokenError('access token has expired');
      if (error instanceof errors.JOSEError) throw new InvalidTokenError('access token is invalid');
      throw error;
    }
  }

  private remember(token: string, principal: Principal, kid: string, expiresAt: number): void {
    if (this.verified.size >= MAX_CACHED_TOKENS) {
      // Drop the oldest entry (Map keeps insertion order).
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, { principal, expiresAt, kid });
  }

  private async ensureKeyFor(kid: string): Promise<void> {
    const now = this.now();
    const stale = !this.keySet || now - this.keySet.fetchedAt > (this.options.refreshIntervalMs ?? 300_000);
    const unknownKid = this.keySet !== undefined && !this.keySet.kids.has(kid);
    const cooldown = this.options.unknownKidCooldownMs ?? 10_000;
    if (stale || (unknownKid && now - this.lastForcedRefresh >= cooldown)) {
      if (unknownKid) this.lastForcedRefresh = now;
      await this.refresh();
    }
    if (!this.keySet?.kids.has(kid)) throw new InvalidTokenError('access token is signed by an unknown key');
  }

  private refresh(): Promise<void> {
    this.inflight ??= this.options
      .fetchJwks()
      .then((jwks) => {
        this.keySet = {
          getKey: createLocalJWKSet(jwks),
          kids: new Set(jwks.keys.map((key) => key.kid).filter((kid): kid is string => Boolean(kid))),
          fetchedAt: this.now(),
        };
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }
}

function readKid(token: string): string {
  const [header] = token.split('.');
  try {
    const parsed = JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')) as { kid?: unknown; alg?: unknown };
    if (typeof parsed.kid === 'string' && parsed.alg === 'RS256') return parsed.kid;
  } catch {
    // falls through
  }
  throw new InvalidTokenError('access token is malformed');
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
