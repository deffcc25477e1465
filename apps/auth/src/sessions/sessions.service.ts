import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@shop/errors';
import { APP_CONFIG, LOGGER } from '@shop/service-kit';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { endSessions, holdForAccessChange, holdForIssue, isUserId, type TokenHolder } from '../access/user-access';
import type { AuthConfig } from '../config';
import { loginSource } from '../credentials/login-lockout';
import { LoginThrottle } from '../credentials/login-throttle';
import { normalizeEmail } from '../credentials/email';
import { PasswordHasher } from '../credentials/password-hasher';
import { PRISMA, type PrismaClient, type Tx } from '../prisma';
import { RolesService, type UserAccess } from '../roles/roles.service';
import { AccessTokens, hashRefreshToken, type IssuedTokens, newRefreshToken } from '../tokens/tokens';

const INVALID_CREDENTIALS = 'invalid email or password';
const INVALID_REFRESH = 'refresh token is invalid or expired';
export const ACCOUNT_LOCKED = 'this account is locked';

/** What a transaction that issues tokens hands to the signing outside it. */
interface Grant {
  holder: TokenHolder;
  access: UserAccess;
  refreshToken: string;
}

type RefreshOutcome = { kind: 'rotated'; grant: Grant } | { kind: 'reused' } | { kind: 'invalid' };

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

  /**
   * Same answer and the same bcrypt work whether the email is unknown or the password wrong.
   * Failures are counted against the account from `clientAddress` only (login-lockout.ts).
   */
  async login(rawEmail: string, password: string, clientAddress: string): Promise<IssuedTokens> {
    const source = loginSource(clientAddress);
    const counted = !this.throttle.exempts(clientAddress);
    let email: string;
    try {
      email = normalizeEmail(rawEmail);
    } catch {
      await this.hasher.verifyAgainstNothing(password);
      throw new AppError('unauthenticated', INVALID_CREDENTIALS);
    }
    if (counted) await this.throttle.assertNotLocked(email, source);
    const user = await this.prisma.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
    const valid = user ? await this.hasher.verify(password, user.passwordHash) : await this.hasher.verifyAgainstNothing(password);
    if (!user || !valid) {
      if (counted) await this.throttle.recordFailure(email, source);
      throw new AppError('unauthenticated', INVALID_CREDENTIALS);
    }
    await this.throttle.recordSuccess(email, source);
    // Only the holder of the password learns that the account is locked.
    const grant = await this.prisma.$transaction(async (tx) => {
      const holder = await holdForIssue(tx, user.id);
      if (!holder) throw new AppError('unauthenticated', INVALID_CREDENTIALS);
      if (holder.locked) throw new AppError('permission_denied', ACCOUNT_LOCKED);
      return this.grant(tx, holder, randomUUID());
    });
    return this.sign(grant);
  }

  /**
   * Spends a refresh token and issues its successor. A token presented twice means it leaked:
   * the whole family is revoked, logging out both the thief and the owner. A revoked token (logged
   * out, everywhere or not, or its account locked) is just invalid.
   */
  async refresh(refreshToken: string): Promise<IssuedTokens> {
    const tokenHash = hashRefreshToken(refreshToken);
    const outcome = await this.prisma.$transaction(async (tx): Promise<RefreshOutcome> => {
      const owner = await tx.$queryRaw<Array<{ user_id: string }>>`SELECT user_id::text AS user_id FROM refresh_tokens WHERE token_hash = ${tokenHash}`;
      if (!owner[0]) return { kind: 'invalid' };
      // The user's row before the token's, in the order every change to their access takes them.
      const holder = await holdForIssue(tx, owner[0].user_id);
      if (!holder) return { kind: 'invalid' };
      const rows = await tx.$queryRaw<Array<{ id: string; family_id: string; expires_at: Date; used_at: Date | null; revoked_at: Date | null }>>`
        SELECT id, family_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE token_hash = ${tokenHash} FOR UPDATE`;
      const token = rows[0];
      if (!token) return { kind: 'invalid' };
      if (token.used_at) {
        await tx.refreshToken.updateMany({ where: { familyId: token.family_id, revokedAt: null }, data: { revokedAt: new Date() } });
        return { kind: 'reused' };
      }
      if (token.revoked_at || holder.locked || token.expires_at.getTime() <= Date.now()) return { kind: 'invalid' };
      await tx.refreshToken.update({ where: { id: token.id }, data: { usedAt: new Date() } });
      return { kind: 'rotated', grant: await this.grant(tx, holder, token.family_id) };
    });
    if (outcome.kind === 'reused') {
      this.logger.warn('refresh token reuse detected; token family revoked');
      throw new AppError('unauthenticated', 'refresh token was already used; the session has been revoked');
    }
    if (outcome.kind === 'invalid') throw new AppError('unauthenticated', INVALID_REFRESH);
    return this.sign(outcome.grant);
  }

  /** Revokes the session the refresh token belongs to. Unknown tokens are ignored: logging out twice is fine. */
  async logout(refreshToken: string): Promise<void> {
    const token = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashRefreshToken(refreshToken) } });
    if (!token) return;
    await this.prisma.refreshToken.updateMany({ where: { familyId: token.familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  /** Ends every session of the user: refresh tokens revoked, and access tokens issued so far refused by the gateways. */
  async logoutEverywhere(userId: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      if (!isUserId(userId) || !(await holdForAccessChange(tx, userId))) throw AppError.notFound('user not found');
      await endSessions(tx, userId, 'logged_out_everywhere');
    });
  }

  /** The successor or first refresh token and the access the tokens carry, read under the holder's row lock. */
  private async grant(tx: Tx, holder: TokenHolder, familyId: string): Promise<Grant> {
    const refreshToken = newRefreshToken();
    await tx.refreshToken.create({
      data: {
        id: randomUUID(),
        userId: holder.userId,
        familyId,
        tokenHash: hashRefreshToken(refreshToken),
        expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
      },
    });
    return { holder, access: await this.roles.accessOf(holder.userId, tx), refreshToken };
  }

  /** Signing takes CPU, not the database: outside the transaction. */
  private async sign({ holder, access, refreshToken }: Grant): Promise<IssuedTokens> {
    const accessToken = await this.accessTokens.sign({
      userId: holder.userId,
      email: holder.email,
      roles: access.roles,
      permissions: access.permissions,
      issuedAt: holder.issuedAt,
    });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.accessTokens.ttlSeconds };
  }
}
