import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EventConsumer, type EventConsumerProvider } from '@shop/messaging';
import { AccessRevocations } from '@shop/security';
import { APP_CONFIG, LOGGER } from '@shop/service-kit';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';
import { AUTH_CLIENT, type AuthClient } from '../downstream/downstreams';

/** How soon a replica that could not load the revocations asks again (it refuses every token meanwhile). */
const RETRY_FIRST_LOAD_MS = 1000;

/**
 * Keeps this replica's AccessRevocations, so the AuthGuard refuses a revoked token without asking
 * auth per request: every user.access_changed (a broadcast subscription: every replica hears every
 * one, within a fraction of a second), and auth's list of recent revocations when the gateway starts,
 * since a broadcast subscription starts at the end of the log. The list is read again every
 * ACCESS_REVOCATIONS_SYNC_SECONDS (one small call per replica): that bounds a revocation no event
 * brought, one published while the subscription was not yet live (a new Kafka consumer group takes
 * seconds to join, and then starts at the end) or held back by a bus outage.
 */
@Injectable()
export class AccessChangesConsumer implements EventConsumerProvider, OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly revocations: AccessRevocations,
    @Inject(AUTH_CLIENT) private readonly auth: AuthClient,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  consumer(): EventConsumer {
    return new EventConsumer('gateway.access-revocations', { broadcast: true }).onBatchInOrder(['user.access_changed'], async (events) => {
      for (const { payload } of events) this.revocations.revoke(payload.userId, Date.parse(payload.notBefore));
    });
  }

  /** Before the gateway listens, so its first requests find the revocations loaded (unless auth is away). */
  async onApplicationBootstrap(): Promise<void> {
    await this.sync();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async sync(): Promise<void> {
    try {
      const { revocations, accessTokenTtlSeconds } = await this.auth.call('listAccessRevocations', {});
      this.revocations.load(
        revocations.map(({ userId, notBefore }) => ({ userId, notBeforeMs: Date.parse(notBefore) })),
        accessTokenTtlSeconds,
      );
    } catch (error) {
      if (this.revocations.isLoaded) this.logger.warn({ err: error }, 'could not read access revocations from auth; keeping those known');
      else this.logger.warn({ err: error }, 'could not load access revocations from auth; authenticated requests answer 503 until it can');
    }
    if (this.stopped) return;
    const delayMs = this.revocations.isLoaded ? this.config.ACCESS_REVOCATIONS_SYNC_SECONDS * 1000 : RETRY_FIRST_LOAD_MS;
    this.timer = setTimeout(() => void this.sync(), delayMs).unref();
  }
}
