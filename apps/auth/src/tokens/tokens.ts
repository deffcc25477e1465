import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { APP_CONFIG } from '@shop/service-kit';
import type { AuthConfig } from '../config';
import { SIGNING_ALGORITHM, SigningKeys } from './signing-keys';

export interface AccessTokenSubject {
  userId: string;
  email: string;
  roles: string[];
  permissions: string[];
  /** The token's `iat` (seconds): when auth read the access it carries, never before the user's cutoff. */
  issuedAt: number;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** Refresh tokens are looked up by this hash; the token itself is never stored. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

@Injectable()
export class AccessTokens {
  constructor(
    private readonly keys: SigningKeys,
    @Inject(APP_CONFIG) private readonly config: AuthConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.ACCESS_TOKEN_TTL_SECONDS;
  }

  /** A short-lived JWT whose permissions the gateway checks without calling us. */
  async sign(subject: AccessTokenSubject): Promise<string> {
    const key = await this.keys.activeKey();
    return new SignJWT({ email: subject.email, roles: subject.roles, perms: subject.permissions })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setSubject(subject.userId)
      .setIssuer(this.config.JWT_ISSUER)
      .setAudience(this.config.JWT_AUDIENCE)
      .setIssuedAt(subject.issuedAt)
      .setJti(randomUUID())
      .setExpirationTime(subject.issuedAt + this.config.ACCESS_TOKEN_TTL_SECONDS)
      .sign(key.privateKey);
  }
}
