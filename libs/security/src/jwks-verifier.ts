import { createLocalJWKSet, errors, type JSONWebKeySet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Principal } from './principal';

export interface JwksVerifierOptions {
  issuer: string;
  audience: string;
  /** Where the current public keys come from (the auth service). */
  fetchJwks(): Promise<JSONWebKeySet>;
  /** Refresh the key set at least this often, to drop keys that were retired. */
  refreshIntervalMs?: number;
  /** When an unknown kid may fetch the key set again; DEFAULT_KEY_REFETCH_RULE unless given. */
  keyRefetch?: Partial<KeyRefetchRule>;
  now?: () => number;
  /** Waits on the same clock as `now`. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * When a token's kid is not in the cached key set, whether to ask auth for the set again. A new kid
 * appears when auth rotates its key, and the first tokens it signs must be taken at once; a forged
 * kid must not turn each request into a call to auth. Neither bound lets forged kids hold back a
 * real one: the cool-down is per kid, and the interval only delays the next fetch, which every kid
 * waiting for it shares.
 */
export interface KeyRefetchRule {
  /** At most one fetch of the key set this often, whatever kids are asked for. */
  minIntervalMs: number;
  /** A kid that a fetch made after its token arrived did not find is refused without a fetch this long: it is forged. */
  missedKidCooldownMs: number;
}

export const DEFAULT_KEY_REFETCH_RULE: KeyRefetchRule = { minIntervalMs: 1000, missedKidCooldownMs: 10_000 };

export interface KeyFetchHistory {
  /** When the last fetch of the key set started, for any reason. */
  lastFetchAt?: number;
  /** Kids recently looked for and not found, with when the fetch that missed them started. */
  missedAt: ReadonlyMap<string, number>;
}

export type UnknownKidPlan = { action: 'refuse' } | { action: 'fetch'; waitMs: number };

/** What to do about a token whose kid the cached key set lacks. */
export function planForUnknownKid(rule: KeyRefetchRule, history: KeyFetchHistory, kid: string, now: number): UnknownKidPlan {
  const missedAt = history.missedAt.get(kid);
  if (missedAt !== undefined && now - missedAt < rule.missedKidCooldownMs) return { action: 'refuse' };
  const nextFetchAt = history.lastFetchAt === undefined ? now : history.lastFetchAt + rule.minIntervalMs;
  return { action: 'fetch', waitMs: Math.max(0, nextFetchAt - now) };
}

const MAX_CACHED_TOKENS = 10_000;
// Forged kids beyond this many are forgotten oldest first; the fetch interval still bounds them.
const MAX_REMEMBERED_MISSES = 1_000;

export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/**
 * Verifies access tokens locally against a cached JWKS: no call to auth per request. A token
 * signed by a key we have not seen yet (after a rotation) makes us refetch the set, within the
 * bounds of KeyRefetchRule.
 */
export class JwksVerifier {
  // Verified tokens, so a client's repeated calls cost one signature check per token, not per request.
  private readonly verified = new Map<string, { principal: Principal; expiresAt: number; kid: string }>();
  private keySet?: { getKey: JWTVerifyGetKey; kids: Set<string>; fetchedAt: number };
  private inflight?: Promise<void>;
  // The fetch that kids not yet found wait for, until the interval since the last one has passed.
  private nextFetch?: { sought: Set<string>; done: Promise<void> };
  private lastFetchAt?: number;
  private readonly missedAt = new Map<string, number>();
  private readonly rule: KeyRefetchRule;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: JwksVerifierOptions) {
    this.rule = { ...DEFAULT_KEY_REFETCH_RULE, ...options.keyRefetch };
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
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
        issuedAt: typeof payload.iat === 'number' ? payload.iat : 0,
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
    const stale = !this.keySet || this.now() - this.keySet.fetchedAt > (this.options.refreshIntervalMs ?? 300_000);
    if (stale) await this.fetchKeys(new Set([kid]));
    if (!this.keySet?.kids.has(kid) && this.inflight) {
      // A fetch already under way may bring it, at no cost to auth.
      await this.inflight;
    }
    if (!this.keySet?.kids.has(kid)) {
      const plan = planForUnknownKid(this.rule, { lastFetchAt: this.lastFetchAt, missedAt: this.missedAt }, kid, this.now());
      if (plan.action === 'fetch') await this.fetchSoonFor(kid, plan.waitMs);
    }
    if (!this.keySet?.kids.has(kid)) throw new InvalidTokenError('access token is signed by an unknown key');
  }

  /** Every kid asking before the next fetch starts rides on that one fetch. */
  private fetchSoonFor(kid: string, waitMs: number): Promise<void> {
    if (this.nextFetch) {
      this.nextFetch.sought.add(kid);
      return this.nextFetch.done;
    }
    const sought = new Set([kid]);
    const done = (waitMs > 0 ? this.sleep(waitMs) : Promise.resolve()).then(() => {
      this.nextFetch = undefined;
      return this.fetchKeys(sought);
    });
    this.nextFetch = { sought, done };
    return done;
  }

  /** Fetches the key set, or joins the fetch under way; kids it was started for and did not find are remembered as missed. */
  private fetchKeys(sought: ReadonlySet<string>): Promise<void> {
    if (this.inflight) return this.inflight;
    const startedAt = this.now();
    this.lastFetchAt = startedAt;
    this.inflight = this.options
      .fetchJwks()
      .then((jwks) => {
        const kids = new Set(jwks.keys.map((key) => key.kid).filter((kid): kid is string => Boolean(kid)));
        this.keySet = { getKey: createLocalJWKSet(jwks), kids, fetchedAt: this.now() };
        for (const kid of sought) if (!kids.has(kid)) this.rememberMiss(kid, startedAt);
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  private rememberMiss(kid: string, at: number): void {
    this.missedAt.delete(kid);
    if (this.missedAt.size >= MAX_REMEMBERED_MISSES) {
      const oldest = this.missedAt.keys().next().value;
      if (oldest !== undefined) this.missedAt.delete(oldest);
    }
    this.missedAt.set(kid, at);
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
