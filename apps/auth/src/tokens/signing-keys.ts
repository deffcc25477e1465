import { Inject, Injectable } from '@nestjs/common';
import { exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';
import { randomBytes } from 'node:crypto';
import { AppError } from '@shop/errors';
import { APP_CONFIG } from '@shop/service-kit';
import type { AuthConfig } from '../config';
import { PRISMA, type PrismaClient } from '../prisma';
import { type KeyRotationRule, MAX_RETIRED_KEYS_PUBLISHED, rotationWaitMs } from './key-rotation-rule';
import { isSealed, KeyVault } from './key-vault';

export const SIGNING_ALGORITHM = 'RS256';
// Other replicas see a rotation within this time; the old key still verifies meanwhile.
const ACTIVE_KEY_CACHE_MS = 10_000;
const KEY_INIT_LOCK = 7320;

export interface ActiveKey {
  kid: string;
  privateKey: KeyLike | Uint8Array;
}

export interface PublicJwk {
  kid: string;
  kty: string;
  alg: string;
  use: string;
  n: string;
  e: string;
}

/**
 * Token signing keys kept in the auth database. The newest unretired key signs; a retired key stays
 * published until every token it signed has expired, so rotating logs nobody out.
 */
@Injectable()
export class SigningKeys {
  private active?: { key: ActiveKey; loadedAt: number };
  private readonly vault: KeyVault;
  private readonly rotationRule: KeyRotationRule;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: AuthConfig,
  ) {
    this.vault = new KeyVault(config.SIGNING_KEY_ENCRYPTION_KEY);
    this.rotationRule = { minIntervalMs: config.SIGNING_KEY_MIN_ROTATION_INTERVAL_SECONDS * 1000, maxRetiredPublished: MAX_RETIRED_KEYS_PUBLISHED };
  }

  /**
   * Makes sure a key exists and rotates one older than SIGNING_KEY_ROTATION_DAYS; with an encryption
   * secret, seals keys stored before it was set. Safe to run on every replica.
   */
  async ensureCurrentKey(): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${KEY_INIT_LOCK})`;
      if (this.vault.sealing) {
        for (const row of await tx.signingKey.findMany()) {
          if (isSealed(row.privateJwk)) continue;
          await tx.signingKey.update({ where: { kid: row.kid }, data: { privateJwk: { ...this.vault.seal(row.kid, row.privateJwk as unknown as JWK) } } });
        }
      }
      const newest = await tx.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
      const maxAgeMs = this.config.SIGNING_KEY_ROTATION_DAYS * 24 * 3600 * 1000;
      if (newest && Date.now() - newest.createdAt.getTime() < maxAgeMs) return;
      await this.insertNewKey(tx);
    });
    this.active = undefined;
    // A secret that does not open the key stops start-up here, not at the first login.
    await this.activeKey();
  }

  /** A new signing key on request; refused while the last rotation is more recent than the configured interval. */
  async rotate(): Promise<string> {
    const kid = await this.prisma.$transaction(async (tx) => {
      // Under the lock, so replicas rotating at once see each other's rotation.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${KEY_INIT_LOCK})`;
      // A rotation retires the key before it, so the newest retirement is when the last one happened.
      const lastRetired = await tx.signingKey.findFirst({ where: { retiredAt: { not: null } }, orderBy: { retiredAt: 'desc' }, select: { retiredAt: true } });
      const waitMs = rotationWaitMs(this.rotationRule, lastRetired?.retiredAt?.getTime(), Date.now());
      if (waitMs > 0) {
        const waitSeconds = Math.ceil(waitMs / 1000);
        const intervalSeconds = this.config.SIGNING_KEY_MIN_ROTATION_INTERVAL_SECONDS;
        throw new AppError('rate_limited', `signing keys are rotated at most once per ${intervalSeconds} s; the next rotation is allowed in ${waitSeconds} s`, waitSeconds);
      }
      return this.insertNewKey(tx);
    });
    this.active = undefined;
    return kid;
  }

  async activeKey(): Promise<ActiveKey> {
    if (this.active && Date.now() - this.active.loadedAt < ACTIVE_KEY_CACHE_MS) return this.active.key;
    const row = await this.prisma.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
    if (!row) throw new Error('no signing key; ensureCurrentKey was not run');
    const key = { kid: row.kid, privateKey: await importJWK(this.vault.open(row.kid, row.privateJwk), SIGNING_ALGORITHM) };
    this.active = { key, loadedAt: Date.now() };
    return key;
  }

  /** Keys that may still have signed an unexpired token, newest first: the signing key and at most `maxRetiredPublished` retired ones. */
  async publicKeys(): Promise<PublicJwk[]> {
    const graceMs = (this.config.ACCESS_TOKEN_TTL_SECONDS + 300) * 1000;
    const rows = await this.prisma.signingKey.findMany({
      where: { OR: [{ retiredAt: null }, { retiredAt: { gt: new Date(Date.now() - graceMs) } }] },
      orderBy: { createdAt: 'desc' },
      take: 1 + this.rotationRule.maxRetiredPublished,
    });
    return rows.map((row) => row.publicJwk as unknown as PublicJwk);
  }

  private async insertNewKey(tx: Parameters<Parameters<PrismaClient['$transaction']>[0]>[0]): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { modulusLength: 2048, extractable: true });
    const kid = randomBytes(12).toString('base64url');
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALGORITHM, use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALGORITHM };
    const now = new Date();
    await tx.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: now } });
    await tx.signingKey.create({ data: { kid, algorithm: SIGNING_ALGORITHM, publicJwk, privateJwk: { ...this.vault.seal(kid, privateJwk) }, createdAt: now } });
    return kid;
  }
}
