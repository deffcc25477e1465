import { type FactoryProvider, Module } from '@nestjs/common';
import { paymentV1 } from '@shop/contracts';
import { HealthController } from '@shop/health';
import { MessagingModule } from '@shop/messaging';
import { APP_CONFIG, LOGGER, MetricsController, providePostgres, providePostgresReadiness, provideGrpcService } from '@shop/service-kit';
import type { Logger } from 'pino';
import type { PaymentConfig } from './config';
import { PaymentGrpcHandlers } from './payment.grpc';
import { PaymentCommandsConsumer } from './payments/payment-commands.consumer';
import { PaymentsService } from './payments/payments.service';
import { createPrismaClient, PRISMA } from './prisma';
import { createPaymentProvider } from './providers/create-provider';
import { PAYMENT_PROVIDER, type PaymentProvider } from './providers/payment-provider';

/** Stripe when STRIPE_SECRET_KEY is set, else the test provider, said loudly: no real money moves. */
const paymentProvider: FactoryProvider<PaymentProvider> = {
  provide: PAYMENT_PROVIDER,
  inject: [APP_CONFIG, LOGGER],
  useFactory: (config: PaymentConfig, logger: Logger) => {
    const provider = createPaymentProvider(config);
    if (provider.name === 'test') {
      logger.warn(
        { autoComplete: config.PAYMENT_TEST_AUTO_COMPLETE },
        'TEST payment provider: no real money moves (set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET for Stripe)',
      );
    } else {
      logger.info({ apiHost: config.STRIPE_API_HOST ?? 'api.stripe.com' }, 'Stripe payment provider');
    }
    return provider;
  },
};

/** The payment service: payments, refunds and webhooks over gRPC, the checkout saga's payment commands, payment.* events through the outbox. */
@Module({
  imports: [MessagingModule.forRoot({ outbox: true, consumers: [PaymentCommandsConsumer] })],
  controllers: [HealthController, MetricsController],
  providers: [
    ...providePostgres(PRISMA, createPrismaClient),
    paymentProvider,
    // Neither the event bus nor Stripe being down makes payment unready: events wait in the
    // outbox, and provider calls fail with UNAVAILABLE for the caller to retry.
    providePostgresReadiness(PRISMA),
    provideGrpcService('PaymentService', paymentV1.PaymentServiceService, PaymentGrpcHandlers),
    PaymentsService,
    PaymentCommandsConsumer,
    PaymentGrpcHandlers,
  ],
})
export class PaymentModule {}
