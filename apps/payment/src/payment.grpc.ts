import { Injectable } from '@nestjs/common';
import { paymentV1 } from '@shop/contracts';
import type { ServiceHandlers } from '@shop/grpc';
import { PaymentsService } from './payments/payments.service';
import type { Payment, PaymentTransaction } from './prisma';

function toPayment(payment: Payment): paymentV1.Payment {
  return {
    id: payment.id,
    orderId: payment.orderId,
    status: payment.status,
    amount: { amount: payment.amount, currency: payment.currency },
    amountRefunded: { amount: payment.amountRefunded, currency: payment.currency },
    provider: payment.provider,
    providerPaymentId: payment.providerPaymentId ?? '',
    clientSecret: payment.clientSecret,
    failureReason: payment.failureReason,
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}

function toTransaction(transaction: PaymentTransaction): paymentV1.Transaction {
  return {
    id: transaction.id,
    paymentId: transaction.paymentId,
    kind: transaction.kind,
    amount: { amount: transaction.amount, currency: transaction.currency },
    providerReference: transaction.providerReference,
    createdAt: transaction.createdAt.toISOString(),
  };
}

/** The PaymentService contract, mapped onto payments. */
@Injectable()
export class PaymentGrpcHandlers implements ServiceHandlers<typeof paymentV1.PaymentServiceService> {
  constructor(private readonly payments: PaymentsService) {}

  async getPayment(request: paymentV1.GetPaymentRequest): Promise<paymentV1.Payment> {
    return toPayment(await this.payments.get(request.paymentId, request.orderId));
  }

  async refundPayment(request: paymentV1.RefundPaymentRequest): Promise<paymentV1.Payment> {
    return toPayment(await this.payments.refund(request.paymentId, request.amount, request.reason, request.idempotencyKey));
  }

  async handleStripeWebhook(request: paymentV1.HandleStripeWebhookRequest): Promise<paymentV1.HandleStripeWebhookResponse> {
    return this.payments.handleStripeWebhook(Buffer.from(request.payload), request.signature);
  }

  async completeTestPayment(request: paymentV1.CompleteTestPaymentRequest): Promise<paymentV1.Payment> {
    return toPayment(await this.payments.completeTestPayment(request.paymentId, request.outcome));
  }

  async listTransactions(request: paymentV1.ListTransactionsRequest): Promise<paymentV1.ListTransactionsResponse> {
    return { items: (await this.payments.transactions(request.paymentId)).map(toTransaction) };
  }
}
