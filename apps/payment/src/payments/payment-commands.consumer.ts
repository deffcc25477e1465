import { Inject, Injectable } from '@nestjs/common';
import { EventConsumer } from '@shop/messaging';
import { LOGGER } from '@shop/service-kit';
import type { Logger } from 'pino';
import { PaymentsService } from './payments.service';

/** The consumer group with which payment takes the checkout saga's commands. */
export const PAYMENT_COMMANDS_CONSUMER = 'payment-service.checkout-commands';

/**
 * Payment's part of the checkout saga, as the order service commands it: create the order's payment
 * (answered by payment.created, then payment.succeeded or payment.failed) and cancel it when the
 * order is over (refunding it if it was paid). Both are idempotent per order.
 */
@Injectable()
export class PaymentCommandsConsumer {
  constructor(
    private readonly payments: PaymentsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  consumer(): EventConsumer {
    // The provider being away (Stripe restarting) is retried for about half a minute; the order's
    // checkout timeout bounds its wait anyway.
    return new EventConsumer(PAYMENT_COMMANDS_CONSUMER, { retry: { maxAttempts: 12, initialBackoffMs: 250, maxBackoffMs: 3000 } })
      .onBatch('payment.create', async (commands) => {
        const requests = commands.map(({ payload }) => ({ orderId: payload.orderId, ...payload.amount, customerEmail: payload.customerEmail }));
        for (const { orderId, problem } of await this.payments.createMany(requests)) {
          // A payment that cannot be made: the order times out; a person must look.
          this.logger.error({ orderId, problem }, 'the payment for an order cannot be created');
        }
      })
      .on('payment.cancel', async ({ payload }) => {
        await this.payments.cancel(payload.orderId, payload.reason);
      });
  }
}
