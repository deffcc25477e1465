import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';

/** A private JWK as stored when SIGNING_KEY_ENCRYPTION_KEY is set: AES-256-GCM, base64url parts. */
export interface SealedJwk {
  sealed: 'A256GCM';
  iv: string;
  tag: string;
  data: string;
}

export function isSealed(stored: unknown): stored is SealedJwk {
  return typeof stored === 'object' && stored !== null && (stored as SealedJwk).sealed === 'A256GCM';
}

/**
 * Seals private signing keys before they reach the database, so a copy of the auth database (a
 * backup, a replica, a leaked dump) cannot sign tokens without the secret from the environment.
 * The kid is bound as associated data: a sealed key moved onto another row does not open.
 * Without a secret (the embedded default) keys are stored as plain JWKs.
 */
export class KeyVault {
  private readonly key?: Buffer;

  constructor(secret: string | undefined) {
    if (secret) this.key = Buffer.from(hkdfSync('sha256', secret, 'shop-auth', 'signing-key-encryption', 32));
  }

  get sealing(): boolean {
    return this.key !== undefined;
  }

  seal(kid: string, jwk: JWK): JWK | SealedJwk {
    if (!this.key) return jwk;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(kid));
    const data = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final()]);
    return { sealed: 'A256GCM', iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), data: data.toString('base64url') };
  }

  open(kid: string, stored: unknown): JWK {
    if (!isSealed(stored)) return stored as JWK;
    if (!this.key) throw new Error(`signing key ${kid} is encrypted: set SIGNING_KEY_ENCRYPTION_KEY to the secret it was sealed with`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(stored.iv, 'base64url'));
      decipher.setAAD(Buffer.from(kid));
      decipher.setAuthTag(Buffer.from(stored.tag, 'base64url'));
      const plain = Buffer.concat([decipher.update(Buffer.from(stored.data, 'base64url')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as JWK;
    } catch {
      throw new Error(`signing key ${kid} does not open with SIGNING_KEY_ENCRYPTION_KEY: it was sealed with another secret`);
    }
  }
}
