import { Inject, Injectable } from '@nestjs/common';
import { exemptUnderTestAllowance } from '@shop/config';
import { AppError } from '@shop/errors';
import { APP_CONFIG, BatchSweeper } from '@shop/service-kit';
import type { Logger } from 'pino';
import type { AuthConfig } from '../config';
import { PRISMA, type PrismaClient } from '../prisma';
import { FAILURE_WINDOW_SECONDS, lockSecondsAfter, type LockoutPolicy, MAX_LOCK_SECONDS } from './login-lockout';

/**
 * Locks a source out of an account after repeated failed logins from it (see login-lockout.ts).
 * It counts per email whether or not the account exists, so a lock says nothing about existence.
 */
@Injectable()
export class LoginThrottle {
  private readonly policy: LockoutPolicy;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: AuthConfig,
  ) {
    this.policy = {
      maxFailures: config.LOGIN_MAX_FAILURES,
      baseLockSeconds: config.LOGIN_LOCKOUT_SECONDS,
      maxLockSeconds: MAX_LOCK_SECONDS,
      failureWindowSeconds: FAILURE_WINDOW_SECONDS,
    };
  }

  /**
   * Whether logins from this client address are left uncounted: only under the test allowance
   * (RATE_LIMIT_TEST_EXEMPT_LOOPBACK, which needs NODE_ENV=test) and only from loopback, where the
   * contract run's fuzzer is; its failed logins would otherwise lock it out of the accounts it tries,
   * and every later login of theirs would be a 429 that hides the login's logic.
   */
  exempts(clientAddress: string): boolean {
    return exemptUnderTestAllowance(this.config, clientAddress.trim());
  }

  async assertNotLocked(email: string, source: string): Promise<void> {
    const attempt = await this.prisma.loginAttempt.findUnique({ where: { email_source: { email, source } } });
    const lockedFor = attempt?.lockedUntil ? (attempt.lockedUntil.getTime() - Date.now()) / 1000 : 0;
    if (lockedFor > 0) {
      throw new AppError('rate_limited', 'too many failed logins from here; try again later', Math.ceil(lockedFor));
    }
  }

  /**
   * Counts a failure in one statement, so concurrent failures all count, then locks the source for
   * what the count calls for; a lock is only ever lengthened, whichever of two failures writes last.
   */
  async recordFailure(email: string, source: string): Promise<void> {
    const [{ failures }] = await this.prisma.$queryRaw<[{ failures: number }]>`
      INSERT INTO login_attempts AS a (email, source, failures, last_failure_at)
      VALUES (${email}, ${source}, 1, now())
      ON CONFLICT (email, source) DO UPDATE SET
        failures = CASE WHEN a.last_failure_at < now() - make_interval(secs => ${this.policy.failureWindowSeconds}) THEN 1 ELSE a.failures + 1 END,
        last_failure_at = now()
      RETURNING failures`;
    const lockSeconds = lockSecondsAfter(failures, this.policy);
    if (lockSeconds === 0) return;
    await this.prisma.$executeRaw`
      UPDATE login_attempts SET locked_until = GREATEST(locked_until, now() + make_interval(secs => ${lockSeconds}))
       WHERE email = ${email} AND source = ${source}`;
  }

  /** A success from a source forgets that source's failures only: one source cannot clear another's lock. */
  async recordSuccess(email: string, source: string): Promise<void> {
    await this.prisma.loginAttempt.deleteMany({ where: { email, source } });
  }

  /** Deletes up to `limit` attempts that no longer count or lock anything; returns how many. */
  async forgetStale(limit: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM login_attempts WHERE ctid IN (
        SELECT ctid FROM login_attempts
         WHERE last_failure_at < now() - make_interval(secs => ${this.policy.failureWindowSeconds})
           AND (locked_until IS NULL OR locked_until < now())
         LIMIT ${limit})`;
  }
}

/** Attempts are kept per account and source; those that count for nothing any more are deleted now and then. */
export class StaleLoginAttemptsSweeper extends BatchSweeper {
  constructor(throttle: LoginThrottle, logger: Logger) {
    super({ what: 'stale login attempts', intervalMs: 10 * 60_000, batchSize: 1000, logger, processBatch: (limit) => throttle.forgetStale(limit) });
  }
}
