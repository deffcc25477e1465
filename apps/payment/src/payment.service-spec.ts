import { type OrderCancelledV1, paymentV1 } from '@shop/contracts';
import { bindService } from '@shop/grpc';
import { createEventBus, OutboxRelay } from '@shop/messaging';
import type { ServiceSpec } from '@shop/service-kit';
import type { PaymentConfig } from './config';
import { PaymentGrpcHandlers } from './payment.grpc';
import { PaymentModule } from './payment.module';
import { ORDER_CANCELLATIONS_CONSUMER, PaymentsService } from './payments/payments.service';
import { createPrismaClient } from './prisma';
import { createPaymentProvider } from './providers/create-provider';

/** How the payment service boots: its module and provider, its gRPC contract, the outbox relay and the order.cancelled consumer. */
export function paymentService(config: PaymentConfig): ServiceSpec<PaymentConfig> {
  const prisma = createPrismaClient(config.DATABASE_URL);
  const provider = createPaymentProvider(config);
  return {
    name: 'payment',
    config,
    module: (core) => PaymentModule.forRoot(core, prisma, provider),
    grpc: (app) => [bindService('PaymentService', paymentV1.PaymentServiceService, app.get(PaymentGrpcHandlers))],
    async start(app, logger, metrics) {
      if (provider.name === 'test') {
        logger.warn(
          { autoComplete: config.PAYMENT_TEST_AUTO_COMPLETE },
          'TEST payment provider: no real money moves (set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET for Stripe)',
        );
      } else {
        logger.info({ apiHost: config.STRIPE_API_HOST ?? 'api.stripe.com' }, 'Stripe payment provider');
      }
      const bus = createEventBus(config, 'payment', logger, metrics);
      const relay = new OutboxRelay({ databaseUrl: config.DATABASE_URL, bus, logger });
      relay.start();
      const payments = app.get(PaymentsService);
      await bus.subscribe({
        groupId: ORDER_CANCELLATIONS_CONSUMER,
        topics: ['order.cancelled'],
        handler: async (event) => {
          if (event.version !== 1) throw new Error(`order.cancelled v${event.version} is not understood`);
          await payments.onOrderCancelled(event.id, event.payload as OrderCancelledV1);
        },
      });
      // One entry, stopped in this order: the consumer and relay finish before the bus closes, and all before Prisma disconnects.
      return [
        {
          stop: async () => {
            await relay.stop();
            await bus.close();
            await prisma.$disconnect();
          },
        },
      ];
    },
  };
}
