import type { Principal } from './principal';

/*
 * Revoking access tokens without a call to auth per request. Auth keeps, per user, a moment before
 * which the user's access tokens no longer count (`notBefore`), moved when their roles change, when
 * they log out everywhere and when they are locked, and it tells every gateway (user.access_changed);
 * a gateway refuses a token whose `iat` is before it.
 *
 * JWT `iat` counts whole seconds, so both sides round. A change moves the cutoff past the second it
 * happened in, and past the previous cutoff (tokens issued since may carry that as their iat); a token
 * is dated no earlier than the cutoff it was issued under. So a token carrying access that auth read
 * before a change is always refused, and one read after it never is, however close together.
 */

const SECOND_MS = 1000;

/** The cutoff that a change to a user's access at `nowMs` sets, given their previous one. */
export function nextNotBefore(nowMs: number, previousMs?: number | null): number {
  const pastThisSecond = Math.floor(nowMs / SECOND_MS) * SECOND_MS + SECOND_MS;
  return previousMs == null ? pastThisSecond : Math.max(pastThisSecond, previousMs + SECOND_MS);
}

/** The `iat` (seconds) of a token carrying access read at `readAtMs`: never before the user's cutoff. */
export function issuedAtFor(readAtMs: number, notBeforeMs?: number | null): number {
  const read = Math.floor(readAtMs / SECOND_MS);
  return notBeforeMs == null ? read : Math.max(read, Math.ceil(notBeforeMs / SECOND_MS));
}

/** Whether a token issued at `issuedAtSeconds` is revoked by the cutoff `notBeforeMs`. */
export function isRevokedBy(issuedAtSeconds: number, notBeforeMs: number): boolean {
  return issuedAtSeconds * SECOND_MS < notBeforeMs;
}

/** What the gateway knows of a verified token: accepted, revoked, or not yet known (revocations not loaded). */
export type AccessVerdict = 'accepted' | 'revoked' | 'unknown';

/** The longest access-token lifetime auth accepts: how long entries are kept until auth says its own. */
const LONGEST_ACCESS_TOKEN_TTL_SECONDS = 3600;
/** Beyond a token's lifetime: the verifier's clock tolerance and clocks that disagree a little. */
const KEEP_MARGIN_MS = 60_000;

export interface RevokedUser {
  userId: string;
  notBeforeMs: number;
}

/**
 * A gateway's map of users whose earlier access tokens are revoked: loaded from auth when the gateway
 * starts (a broadcast subscription only hears what is published after it), kept current by
 * user.access_changed. An entry is forgotten once every token it could refuse has expired.
 */
export class AccessRevocations {
  private readonly notBefore = new Map<string, number>();
  private loaded = false;
  private keepMs = LONGEST_ACCESS_TOKEN_TTL_SECONDS * SECOND_MS + KEEP_MARGIN_MS;

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a cutoff; an older one than the user's known cutoff changes nothing (events may cross a load). */
  revoke(userId: string, notBeforeMs: number): void {
    if (!Number.isFinite(notBeforeMs) || notBeforeMs + this.keepMs <= this.now()) return;
    if ((this.notBefore.get(userId) ?? -Infinity) < notBeforeMs) this.notBefore.set(userId, notBeforeMs);
  }

  /** Merges auth's list of recent cutoffs; from then on a user missing from the map is known to be unrevoked. */
  load(revoked: Iterable<RevokedUser>, accessTokenTtlSeconds: number): void {
    if (accessTokenTtlSeconds > 0) this.keepMs = accessTokenTtlSeconds * SECOND_MS + KEEP_MARGIN_MS;
    for (const { userId, notBeforeMs } of revoked) this.revoke(userId, notBeforeMs);
    this.loaded = true;
    this.forgetExpired();
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  get size(): number {
    return this.notBefore.size;
  }

  verdict(principal: Pick<Principal, 'id' | 'issuedAt'>): AccessVerdict {
    const notBefore = this.notBefore.get(principal.id);
    if (notBefore !== undefined && isRevokedBy(principal.issuedAt, notBefore)) return 'revoked';
    return this.loaded ? 'accepted' : 'unknown';
  }

  /** Drops cutoffs older than a token's lifetime: every token they refuse has expired. */
  forgetExpired(): void {
    const oldest = this.now() - this.keepMs;
    for (const [userId, notBefore] of this.notBefore) if (notBefore <= oldest) this.notBefore.delete(userId);
  }
}
