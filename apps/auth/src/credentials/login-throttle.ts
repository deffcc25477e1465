import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@shop/errors';
import { APP_CONFIG } from '@shop/service-kit';
import type { AuthConfig } from '../config';
import { PRISMA, type PrismaClient } from '../prisma';

// Failures older than this no longer count towards a lock.
const FAILURE_WINDOW_SECONDS = 15 * 60;
const MAX_LOCK_SECONDS = 15 * 60;

/**
 * Locks an email after repeated failed logins, doubling the lock each further failure.
 * It counts per email whether or not the account exists, so a lock says nothing about existence.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: AuthConfig,
  ) {}

  async assertNotLocked(email: string): Promise<void> {
    const attempt = await this.prisma.loginAttempt.findUnique({ where: { email } });
    const lockedFor = attempt?.lockedUntil ? (attempt.lockedUntil.getTime() - Date.now()) / 1000 : 0;
    if (lockedFor > 0) {
      throw new AppError('rate_limited', 'too many failed logins; try again later', Math.ceil(lockedFor));
    }
  }

  /** Records a failure in one statement, so concurrent failures all count. */
  async recordFailure(email: string): Promise<void> {
    const max = this.config.LOGIN_MAX_FAILURES;
    const base = this.config.LOGIN_LOCKOUT_SECONDS;
    await this.prisma.$executeRaw`
      INSERT INTO login_attempts AS a (email, failures, last_failure_at, locked_until)
      VALUES (${email}, 1, now(), CASE WHEN 1 >= ${max} THEN now() + make_interval(secs => ${base}) END)
      ON CONFLICT (email) DO UPDATE SET
        failures = CASE WHEN a.last_failure_at < now() - make_interval(secs => ${FAILURE_WINDOW_SECONDS}) THEN 1 ELSE a.failures + 1 END,
        last_failure_at = now(),
        locked_until = CASE
          WHEN a.last_failure_at >= now() - make_interval(secs => ${FAILURE_WINDOW_SECONDS}) AND a.failures + 1 >= ${max}
          THEN now() + make_interval(secs => LEAST(${MAX_LOCK_SECONDS}, ${base} * power(2, a.failures + 1 - ${max})))
          ELSE a.locked_until END`;
  }

  async recordSuccess(email: string): Promise<void> {
    await this.prisma.loginAttempt.deleteMany({ where: { email } });
  }
}
