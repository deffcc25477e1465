import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { HEALTH_CHECKS, HealthController } from '@shop/health';
import { postgresHealthCheck } from '@shop/persistence';
import { MetricsController } from '@shop/service-kit';
import { PaymentGrpcHandlers } from './payment.grpc';
import { PaymentsService } from './payments/payments.service';
import { PRISMA, type PrismaClient } from './prisma';
import { PAYMENT_PROVIDER, type PaymentProvider } from './providers/payment-provider';

@Module({})
export class PaymentModule {
  static forRoot(core: Provider[], prisma: PrismaClient, provider: PaymentProvider): DynamicModule {
    return {
      module: PaymentModule,
      controllers: [HealthController, MetricsController],
      providers: [
        ...core,
        { provide: PRISMA, useValue: prisma },
        { provide: PAYMENT_PROVIDER, useValue: provider },
        // Neither the event bus nor Stripe being down makes payment unready: events wait in the
        // outbox, and provider calls fail with UNAVAILABLE for the caller to retry.
        { provide: HEALTH_CHECKS, useValue: [postgresHealthCheck(prisma)] },
        PaymentsService,
        PaymentGrpcHandlers,
      ],
    };
  }
}
