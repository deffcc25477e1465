import { type AccessChangeReason, createEvent } from '@shop/contracts';
import { writeOutbox } from '@shop/messaging';
import { issuedAtFor, nextNotBefore } from '@shop/security';
import type { PrismaClient, Tx } from '../prisma';
import { isUuid } from '@shop/validation';

/*
 * Every change to what a user's access tokens may carry (their roles, their sessions, a lock) and
 * every issue of their tokens take the user's row lock first: a change waits for the tokens being
 * issued, and those wait for the change. A token therefore carries access read wholly before a
 * change, and is dated before the cutoff the change sets, or wholly after it. Times come from the
 * database's clock, which every auth replica shares.
 */


/** Whether a string can be a user id at all (the database refuses anything else with an error). */
export const isUserId = isUuid;

/** The user's row, locked until the transaction ends, for a change to their access; null for an unknown user. */
export async function holdForAccessChange(tx: Tx, userId: string): Promise<{ lockedAt: Date | null } | null> {
  const rows = await tx.$queryRaw<Array<{ locked_at: Date | null }>>`SELECT locked_at FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
  return rows[0] ? { lockedAt: rows[0].locked_at } : null;
}

/**
 * Revokes the access tokens issued to a user so far, in the caller's transaction and after
 * `holdForAccessChange`: moves their cutoff and writes user.access_changed for the gateways.
 */
export async function revokeAccessTokens(tx: Tx, userId: string, reason: AccessChangeReason): Promise<Date> {
  // Read after the row lock is held (a locking read can compute its columns before it waits): later
  // than every read of access made by a token issued before this change.
  const [row] = await tx.$queryRaw<Array<{ now: Date; access_not_before: Date | null }>>`
    SELECT clock_timestamp() AS now, access_not_before FROM users WHERE id = ${userId}::uuid`;
  if (!row) throw new Error(`user ${userId} vanished while its row was locked`);
  const notBefore = new Date(nextNotBefore(row.now.getTime(), row.access_not_before?.getTime()));
  await tx.$executeRaw`UPDATE users SET access_not_before = ${notBefore}, updated_at = now() WHERE id = ${userId}::uuid`;
  await writeOutbox(tx, [createEvent('user.access_changed', userId, { userId, notBefore: notBefore.toISOString(), reason })]);
  return notBefore;
}

/** Revokes every refresh token of the user and the access tokens issued so far; after `holdForAccessChange`. */
export async function endSessions(tx: Tx, userId: string, reason: 'logged_out_everywhere' | 'locked'): Promise<void> {
  await tx.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  await revokeAccessTokens(tx, userId, reason);
}

export interface TokenHolder {
  userId: string;
  email: string;
  locked: boolean;
  /** The `iat` the tokens issued in this transaction carry. */
  issuedAt: number;
}

/** The user's row, share-locked until the transaction ends, as tokens are issued to them; null for an unknown user. */
export async function holdForIssue(tx: Tx, userId: string): Promise<TokenHolder | null> {
  const rows = await tx.$queryRaw<Array<{ email: string; locked_at: Date | null; access_not_before: Date | null; read_at: Date }>>`
    SELECT email, locked_at, access_not_before, clock_timestamp() AS read_at FROM users WHERE id = ${userId}::uuid FOR SHARE`;
  const row = rows[0];
  if (!row) return null;
  return { userId, email: row.email, locked: row.locked_at !== null, issuedAt: issuedAtFor(row.read_at.getTime(), row.access_not_before?.getTime()) };
}

/** Users whose cutoff is younger than an access token's lifetime (and a margin): every one that still refuses a live token. */
export async function recentRevocations(prisma: Pick<PrismaClient, '$queryRaw'>, accessTokenTtlSeconds: number): Promise<Array<{ userId: string; notBefore: Date }>> {
  const rows = await prisma.$queryRaw<Array<{ id: string; access_not_before: Date }>>`
    SELECT id::text AS id, access_not_before FROM users
     WHERE access_not_before IS NOT NULL AND access_not_before > clock_timestamp() - make_interval(secs => ${accessTokenTtlSeconds + 60})`;
  return rows.map((row) => ({ userId: row.id, notBefore: row.access_not_before }));
}
