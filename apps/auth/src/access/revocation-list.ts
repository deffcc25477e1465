import { Inject, Injectable } from '@nestjs/common';
import type { authV1 } from '@shop/contracts';
import { APP_CONFIG } from '@shop/service-kit';
import type { AuthConfig } from '../config';
import { PRISMA, type PrismaClient } from '../prisma';
import { recentRevocations } from './user-access';

/** What a gateway loads when it starts: every cutoff that can still refuse a live access token. */
@Injectable()
export class RevocationList {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: AuthConfig,
  ) {}

  async list(): Promise<authV1.ListAccessRevocationsResponse> {
    const ttl = this.config.ACCESS_TOKEN_TTL_SECONDS;
    const revocations = await recentRevocations(this.prisma, ttl);
    return { revocations: revocations.map(({ userId, notBefore }) => ({ userId, notBefore: notBefore.toISOString() })), accessTokenTtlSeconds: ttl };
  }
}
