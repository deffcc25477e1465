import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@shop/service-kit';
import { compare, hash } from 'bcrypt';
import type { AuthConfig } from '../config';

@Injectable()
export class PasswordHasher {
  private dummyHash?: Promise<string>;

  constructor(@Inject(APP_CONFIG) private readonly config: AuthConfig) {}

  hash(password: string): Promise<string> {
    return hash(password, this.config.BCRYPT_COST);
  }

  verify(password: string, passwordHash: string): Promise<boolean> {
    return compare(password, passwordHash);
  }

  /** Spends the same bcrypt work as a real check, so an unknown email answers as slowly as a known one. */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummyHash ??= hash('timing-equaliser', this.config.BCRYPT_COST);
    await compare(password, await this.dummyHash);
    return false;
  }
}
