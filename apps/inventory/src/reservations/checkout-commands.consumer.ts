import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@shop/errors';
import { EventConsumer } from '@shop/messaging';
import { LOGGER } from '@shop/service-kit';
import type { Logger } from 'pino';
import { ReservationsService } from './reservations.service';

/** The consumer group with which inventory takes the checkout saga's commands. */
export const CHECKOUT_COMMANDS_CONSUMER = 'inventory-service.checkout-commands';

const isKind = (error: unknown, ...kinds: AppError['kind'][]) => error instanceof AppError && kinds.includes(error.kind);

/**
 * Inventory's part of the checkout saga, as the order service commands it: reserve an order's lines
 * (answered by inventory.reserved or inventory.rejected), commit them once paid, release them when
 * the order is over. Every command is idempotent per order, so a redelivery changes nothing.
 * Outcomes that retrying cannot change (nothing held, already committed) are acknowledged, not retried.
 */
@Injectable()
export class CheckoutCommandsConsumer {
  constructor(
    private readonly reservations: ReservationsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  consumer(): EventConsumer {
    return new EventConsumer(CHECKOUT_COMMANDS_CONSUMER)
      // Reserving and committing touch the same few stock rows for every order: many orders per transaction.
      .onBatch('inventory.reserve', async (commands) => {
        await this.reservations.reserveMany(commands.map(({ payload }) => payload));
      })
      .onBatch('inventory.commit', async (commands) => {
        for (const { orderId, problem } of await this.reservations.commitMany(commands.map(({ payload }) => payload.orderId))) {
          // Paid, but the reservation was released or expired first: retrying cannot change that, a person must look.
          this.logger.error({ orderId, problem }, 'a confirmed order could not commit its reservation');
        }
      })
      .on('inventory.release', async ({ payload }) => {
        try {
          await this.reservations.release(payload.orderId, payload.reason);
        } catch (error) {
          // NOT_FOUND: nothing was held. FAILED_PRECONDITION: already sold (committed); a paid order
          // cancelled before shipment gives its units back instead.
          if (!isKind(error, 'not_found', 'failed_precondition')) throw error;
          if (isKind(error, 'failed_precondition')) await this.returnCommitted(payload.orderId, payload.reason);
        }
      });
  }

  private async returnCommitted(orderId: string, reason: string): Promise<void> {
    try {
      await this.reservations.returnCommitted(orderId, reason);
    } catch (error) {
      if (!isKind(error, 'failed_precondition')) throw error;
      this.logger.warn({ err: error, orderId }, 'a cancelled order had nothing to give back');
    }
  }
}
