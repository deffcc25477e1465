/**
 * How often signing keys may be rotated on request, and how many retired keys the JWKS keeps. Each
 * rotation leaves the old key published until the tokens it signed have expired; unbounded, a script
 * or a fuzzer with an admin token grows the key set that every gateway fetches (it reached 23 keys).
 */
export interface KeyRotationRule {
  /** A rotation is refused until this long after the previous one. */
  minIntervalMs: number;
  /**
   * Retired keys published at most, newest first. At the defaults (a rotation per 5 minutes at most,
   * 15 minutes of token life plus 5 of grace) no unexpired token's key is left out; past it, holders
   * of the oldest tokens get a 401 and refresh.
   */
  maxRetiredPublished: number;
}

export const MAX_RETIRED_KEYS_PUBLISHED = 5;

/** How long until a rotation is allowed: 0 when it is now, or when no key was ever rotated. */
export function rotationWaitMs(rule: KeyRotationRule, lastRotatedAt: number | undefined, now: number): number {
  if (lastRotatedAt === undefined) return 0;
  return Math.max(0, lastRotatedAt + rule.minIntervalMs - now);
}
