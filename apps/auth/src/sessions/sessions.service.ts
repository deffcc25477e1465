import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@shop/errors';
import { APP_CONFIG, LOGGER } from '@shop/service-kit';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AuthConfig } from '../config';
import { LoginThrottle } from '../credentials/login-throttle';
import { normalizeEmail } from '../credentials/email';
import { PasswordHasher } from '../credentials/password-hasher';
import { PRISMA, type PrismaClient } from '../prisma';
import { RolesService } from '../roles/roles.service';
import { AccessTokens, hashRefreshToken, type IssuedTokens, newRefreshToken } from '../tokens/tokens';

const INVALID_CREDENTIALS = 'invalid email or password';
const INVALID_REFRESH = 'refresh token is invalid or expired';

type RefreshOutcome = { kind: 'rotated'; userId: string; email: string; familyId: string } | { kind: 'reused' } | { kind: 'invalid' };

@Injectable()
export class SessionsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: AuthConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly roles: RolesService,
    private readonly accessTokens: AccessTokens,
  ) {}

  /** Same answer and the same bcrypt work whether the email is unknown or the password wrong. */
  async login(rawEmail: string, password: string): Promise<IssuedTokens> {
    let email: string;
    try {
      email = normalizeEmail(rawEmail);
    } catch {
      await this.hasher.verifyAgainstNothing(password);
      throw new AppError('unauthenticated', INVALID_CREDENTIALS);
    }
    await this.throttle.assertNotLocked(email);
    const user = await this.prisma.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
    const valid = user ? await this.hasher.verify(password, user.passwordHash) : await this.hasher.verifyAgainstNothing(password);
    if (!user || !valid) {
      await this.throttle.recordFailure(email);
      throw new AppError('unauthenticated', INVALID_CREDENTIALS);
    }
    await this.throttle.recordSuccess(email);
    return this.issue(user.id, email, randomUUID());
  }

  /**
   * Spends a refresh token and issues its successor. A token presented twice means it leaked:
   * the whole family is revoked, logging out both the thief and the owner.
   */
  async refresh(refreshToken: string): Promise<IssuedTokens> {
    const tokenHash = hashRefreshToken(refreshToken);
    const outcome = await this.prisma.$transaction(async (tx): Promise<RefreshOutcome> => {
      const rows = await tx.$queryRaw<Array<{ id: string; user_id: string; family_id: string; expires_at: Date; used_at: Date | null; revoked_at: Date | null }>>`
        SELECT id, user_id, family_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE token_hash = ${tokenHash} FOR UPDATE`;
      const token = rows[0];
      if (!token) return { kind: 'invalid' };
      if (token.used_at || token.revoked_at) {
        await tx.refreshToken.updateMany({ where: { familyId: token.family_id, revokedAt: null }, data: { revokedAt: new Date() } });
        return { kind: 'reused' };
      }
      if (token.expires_at.getTime() <= Date.now()) return { kind: 'invalid' };
      await tx.refreshToken.update({ where: { id: token.id }, data: { usedAt: new Date() } });
      const user = await tx.user.findUnique({ where: { id: token.user_id }, select: { email: true } });
      if (!user) return { kind: 'invalid' };
      return { kind: 'rotated', userId: token.user_id, email: user.email, familyId: token.family_id };
    });
    if (outcome.kind === 'reused') {
      this.logger.warn('refresh token reuse detected; token family revoked');
      throw new AppError('unauthenticated', 'refresh token was already used; the session has been revoked');
    }
    if (outcome.kind === 'invalid') throw new AppError('unauthenticated', INVALID_REFRESH);
    return this.issue(outcome.userId, outcome.email, outcome.familyId);
  }

  /** Revokes the session the refresh token belongs to. Unknown tokens are ignored: logging out twice is fine. */
  async logout(refreshToken: string): Promise<void> {
    const token = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashRefreshToken(refreshToken) } });
    if (!token) return;
    await this.prisma.refreshToken.updateMany({ where: { familyId: token.familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  private async issue(userId: string, email: string, familyId: string): Promise<IssuedTokens> {
    const access = await this.roles.accessOf(userId);
    const refreshToken = newRefreshToken();
    await this.prisma.refreshToken.create({
      data: {
        id: randomUUID(),
        userId,
        familyId,
        tokenHash: hashRefreshToken(refreshToken),
        expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
      },
    });
    const accessToken = await this.accessTokens.sign({ userId, email, roles: access.roles, permissions: access.permissions });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.accessTokens.ttlSeconds };
  }
}
