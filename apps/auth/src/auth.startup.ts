import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { LOGGER, ShutdownSequence } from '@shop/service-kit';
import type { Logger } from 'pino';
import { AdminBootstrap } from './admin-bootstrap';
import { SigningKeys } from './tokens/signing-keys';

const KEY_CHECK_INTERVAL_MS = 3600_000;

/**
 * Auth's work before it takes traffic: a current signing key (older keys sealed when a secret is
 * set; a secret that does not open them stops start-up here), then the first admin. Afterwards the
 * key is checked for rotation every hour.
 */
@Injectable()
export class AuthStartup implements OnModuleInit {
  constructor(
    private readonly keys: SigningKeys,
    private readonly admin: AdminBootstrap,
    private readonly shutdown: ShutdownSequence,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.keys.ensureCurrentKey();
    await this.admin.ensureAdmin();
    const rotation = setInterval(() => {
      this.keys.ensureCurrentKey().catch((error: unknown) => this.logger.error({ err: error }, 'signing key rotation failed'));
    }, KEY_CHECK_INTERVAL_MS).unref();
    this.shutdown.add('loops', 'signing key rotation', () => clearInterval(rotation));
  }
}
