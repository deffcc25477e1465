import { Inject, Injectable } from '@nestjs/common';
import type { authV1 } from '@shop/contracts';
import { AppError } from '@shop/errors';
import { PRISMA, type PrismaClient } from '../prisma';
import { assertRoleManagerLeft, ROLE_CHANGE_LOCK } from '../roles/roles.service';
import { endSessions, holdForAccessChange, isUserId } from './user-access';

export const MAX_LOCK_REASON_LENGTH = 200;

/**
 * An admin locks an account: it can no longer log in or refresh, and every session it has ends at
 * once (refresh tokens revoked, access tokens refused by the gateways within seconds). Unlocking lets
 * it log in again; what the lock ended stays ended.
 */
@Injectable()
export class AccountLocks {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async lock(userId: string, rawReason: string): Promise<authV1.AccountLock> {
    const reason = rawReason.trim();
    if ([...reason].length > MAX_LOCK_REASON_LENGTH) throw AppError.invalid(`reason is longer than ${MAX_LOCK_REASON_LENGTH} characters`);
    await this.prisma.$transaction(async (tx) => {
      // Locking the last unlocked role manager would leave nobody able to unlock anyone.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ROLE_CHANGE_LOCK})`;
      const user = isUserId(userId) ? await holdForAccessChange(tx, userId) : null;
      if (!user) throw AppError.notFound('user not found');
      // Locked already: no session has begun since, nothing more to end.
      if (user.lockedAt) return;
      await tx.user.update({ where: { id: userId }, data: { lockedAt: new Date(), lockReason: reason } });
      await assertRoleManagerLeft(tx);
      await endSessions(tx, userId, 'locked');
    });
    return this.lockOf(userId);
  }

  async unlock(userId: string): Promise<authV1.AccountLock> {
    if (!isUserId(userId)) throw AppError.notFound('user not found');
    const { count } = await this.prisma.user.updateMany({ where: { id: userId }, data: { lockedAt: null, lockReason: '' } });
    if (count === 0) throw AppError.notFound('user not found');
    return this.lockOf(userId);
  }

  private async lockOf(userId: string): Promise<authV1.AccountLock> {
    const user = await this.prisma.user.findUnique({ where: { id: userId }, select: { lockedAt: true, lockReason: true } });
    if (!user) throw AppError.notFound('user not found');
    return { userId, locked: user.lockedAt !== null, lockedAt: user.lockedAt?.toISOString() ?? '', reason: user.lockReason };
  }
}
