import { Inject, Injectable } from '@nestjs/common';
import { createEvent, type OrderCancelledV1 } from '@shop/contracts';
import { AppError } from '@shop/errors';
import { handleOnce, toOutboxRow } from '@shop/messaging';
import type { ServiceMetrics } from '@shop/observability';
import { APP_CONFIG, LOGGER, METRICS } from '@shop/service-kit';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { PaymentConfig } from '../config';
import { isUniqueViolation, type Payment, type PaymentTransaction, PRISMA, type PrismaClient, type Tx } from '../prisma';
import { PAYMENT_PROVIDER, type PaymentProvider } from '../providers/payment-provider';
import {
  assertIdempotencyKey,
  assertMoney,
  assertOrderId,
  assertPaymentId,
  cancelAction,
  cleanReason,
  outcomeTransition,
  type PaymentStatus,
  planRefund,
  type ProviderOutcome,
  statusAfterRefund,
} from './payment-rules';

export const ORDER_CANCELLATIONS_CONSUMER = 'payment-service.order-cancellations';

export interface ReportedOutcome {
  outcome: ProviderOutcome;
  reason: string;
  /** The provider's charge (success) or intent id, for the ledger. */
  reference: string;
  /** Where it came from, for the logs: a webhook event id, "test", "auto-complete". */
  source: string;
}

export interface WebhookResult {
  eventId: string;
  handled: boolean;
}

/**
 * Payments for orders. Every change of a payment is one transaction holding the payment's row lock:
 * the new status, its ledger row and its payment.* event (keyed by order id) commit together or not
 * at all, and two changes of one payment never interleave. Refunds and cancellations call the
 * provider under that lock, before they record, with an idempotency key, so a retry does the
 * provider's part once and records it once.
 */
@Injectable()
export class PaymentsService {
  private readonly transitions: Counter<'to'>;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(APP_CONFIG) private readonly config: PaymentConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: ServiceMetrics,
  ) {
    this.transitions = metrics.counter('shop_payment_transitions_total', 'Payment state changes, by new status', ['to']);
  }

  /**
   * The payment of an order, made once: asking again answers the same payment. The row comes first,
   * then the provider's payment (its idempotency key is the order), so a call that failed half way
   * is finished by the next one.
   */
  async create(orderId: string, amount: number, currency: string, customerEmail: string): Promise<Payment> {
    assertOrderId(orderId);
    const money = assertMoney(amount, currency);
    const email = customerEmail.trim().slice(0, 320);
    let payment = await this.prisma.payment.findUnique({ where: { orderId } });
    if (!payment) {
      try {
        payment = await this.prisma.payment.create({
          data: { id: randomUUID(), orderId, amount: money.amount, currency: money.currency, provider: this.provider.name },
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        payment = await this.prisma.payment.findUniqueOrThrow({ where: { orderId } });
      }
    }
    if (payment.amount !== money.amount || payment.currency !== money.currency) {
      throw new AppError('failed_precondition', `order ${orderId} already has a payment of ${payment.amount} ${payment.currency}`);
    }
    if (payment.providerPaymentId) return payment;
    if (payment.provider !== this.provider.name) {
      throw new AppError('failed_precondition', `the payment of order ${orderId} belongs to the ${payment.provider} provider`);
    }

    const made = await this.provider.createPayment({ orderId, amount: money.amount, currency: money.currency, customerEmail: email });
    // Only the first answer is kept: a concurrent call for the same order may have stored one already.
    await this.prisma.payment.updateMany({
      where: { id: payment.id, providerPaymentId: null },
      data: { providerPaymentId: made.providerPaymentId, clientSecret: made.clientSecret },
    });
    const created = await this.prisma.payment.findUniqueOrThrow({ where: { id: payment.id } });
    if (this.provider.name === 'test' && this.config.PAYMENT_TEST_AUTO_COMPLETE) {
      return this.completeTestPayment(created.id, 'succeeded', 'auto-complete');
    }
    return created;
  }

  async get(paymentId: string, orderId: string): Promise<Payment> {
    if (!paymentId && !orderId) throw AppError.invalid('give payment_id or order_id');
    const payment = paymentId
      ? await this.prisma.payment.findUnique({ where: { id: assertPaymentId(paymentId) } })
      : await this.prisma.payment.findUnique({ where: { orderId: assertOrderId(orderId) } });
    if (!payment || (paymentId && orderId && payment.orderId !== orderId)) throw AppError.notFound('payment not found');
    return payment;
  }

  /** The ledger of one payment, oldest first. */
  async transactions(paymentId: string): Promise<PaymentTransaction[]> {
    const payment = await this.get(paymentId, '');
    return this.prisma.paymentTransaction.findMany({ where: { paymentId: payment.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /** Test provider only: the shopper pays, successfully or not, through the same state machine as a webhook. */
  async completeTestPayment(paymentId: string, outcome: string, source = 'test'): Promise<Payment> {
    const id = assertPaymentId(paymentId);
    if (outcome !== 'succeeded' && outcome !== 'failed') throw AppError.invalid('outcome must be "succeeded" or "failed"');
    return this.prisma.$transaction(async (tx) => {
      const payment = await this.lockById(tx, id);
      if (!payment) throw AppError.notFound('payment not found');
      if (payment.provider !== 'test') throw new AppError('failed_precondition', 'only test payments can be completed by hand; Stripe payments complete through webhooks');
      if (!payment.providerPaymentId) throw new AppError('failed_precondition', 'the payment was not created at the provider yet');
      const decision = outcomeTransition(payment.status as PaymentStatus, outcome);
      if (decision.action === 'ignore' && decision.why === 'stale') {
        throw new AppError('failed_precondition', `a ${payment.status} payment cannot become ${outcome}`);
      }
      const reference = outcome === 'succeeded' ? `test_ch_${randomUUID()}` : payment.providerPaymentId;
      return this.applyOutcome(tx, payment, { outcome, reason: outcome === 'failed' ? 'test payment declined' : '', reference, source });
    });
  }

  /**
   * A Stripe webhook: verified over its raw bytes, applied once per Stripe event id (the webhook
   * inbox row commits with the change it caused), whatever order the events arrive in.
   */
  async handleStripeWebhook(payload: Buffer, signature: string): Promise<WebhookResult> {
    if (!this.provider.verifyWebhook) throw new AppError('failed_precondition', 'Stripe is not configured: this service runs the test provider');
    const event = this.provider.verifyWebhook(payload, signature);
    const outcome = event.outcome;
    const refundAmount = event.refundAmount;
    if (!outcome && refundAmount === null) {
      this.logger.debug({ stripeEventId: event.id, type: event.type }, 'Stripe webhook of a type this service does not act on');
      return { eventId: event.id, handled: false };
    }
    const result = await this.prisma.$transaction(async (tx) => {
      const payment = await this.lockForWebhook(tx, event.providerPaymentId, event.orderId);
      // Not one of ours (another integration on the same Stripe account): acknowledged, so Stripe stops sending it.
      if (!payment) return 'unknown' as const;
      const inserted = await tx.$executeRaw`INSERT INTO webhook_events (id, type) VALUES (${event.id}, ${event.type}) ON CONFLICT DO NOTHING`;
      if (inserted === 0) return 'duplicate' as const;
      if (outcome) await this.applyOutcome(tx, payment, { outcome, reason: event.reason, reference: event.reference, source: event.id });
      else await this.mirrorProviderRefund(tx, payment, refundAmount!, event.reference, event.reason);
      return 'handled' as const;
    });
    if (result === 'unknown') {
      this.logger.warn({ stripeEventId: event.id, type: event.type, providerPaymentId: event.providerPaymentId }, 'Stripe webhook for a payment this service does not know');
    }
    if (result === 'duplicate') this.logger.info({ stripeEventId: event.id, type: event.type }, 'Stripe webhook delivered again, ignored');
    return { eventId: event.id, handled: result === 'handled' };
  }

  /**
   * Admin refund, in full (amount 0) or in part. One refund per (payment, idempotency key): asking
   * again answers the payment as it is, refunding nothing more.
   */
  async refund(paymentId: string, amount: number, reason: string, idempotencyKey: string): Promise<Payment> {
    const id = assertPaymentId(paymentId);
    const key = assertIdempotencyKey(idempotencyKey);
    const why = cleanReason(reason);
    if (!Number.isInteger(amount) || amount < 0) throw AppError.invalid('amount must be a whole number of minor units, 0 for all that is left');
    return this.prisma.$transaction(async (tx) => {
      const payment = await this.lockById(tx, id);
      if (!payment) throw AppError.notFound('payment not found');
      return this.refundLocked(tx, payment, amount, key, why);
    });
  }

  /** Cancels an unpaid payment at the provider, or refunds a paid one in full; a payment that is over stays as it is. */
  async cancel(orderId: string, reason: string): Promise<Payment> {
    assertOrderId(orderId);
    const why = cleanReason(reason) || 'canceled';
    const payment = await this.prisma.$transaction((tx) => this.cancelWithin(tx, orderId, why));
    if (!payment) throw AppError.notFound('no payment for this order');
    return payment;
  }

  /** order.cancelled: the order is over, so is its payment. Once per event; an order without a payment needs nothing. */
  async onOrderCancelled(eventId: string, event: OrderCancelledV1): Promise<boolean> {
    const why = cleanReason(event.reason ?? '').slice(0, 500) || 'order cancelled';
    return handleOnce(this.prisma, ORDER_CANCELLATIONS_CONSUMER, eventId, async (tx) => {
      await this.cancelWithin(tx, event.orderId, why);
    });
  }

  private async cancelWithin(tx: Tx, orderId: string, reason: string): Promise<Payment | null> {
    const payment = await this.lockByOrderId(tx, orderId);
    if (!payment) return null;
    const action = cancelAction(payment.status as PaymentStatus);
    if (action === 'unchanged') return payment;
    if (action === 'refund_rest') return this.refundLocked(tx, payment, 0, `cancel-${orderId}`, reason);
    if (payment.providerPaymentId) await this.provider.cancelPayment(payment.providerPaymentId);
    return this.applyOutcome(tx, payment, { outcome: 'canceled', reason, reference: payment.providerPaymentId ?? '', source: 'cancel' });
  }

  private async refundLocked(tx: Tx, payment: Payment, requested: number, key: string, reason: string): Promise<Payment> {
    const earlier = await tx.paymentTransaction.findUnique({ where: { paymentId_idempotencyKey: { paymentId: payment.id, idempotencyKey: key } } });
    if (earlier) return payment;
    const amount = planRefund({ status: payment.status as PaymentStatus, amount: payment.amount, amountRefunded: payment.amountRefunded }, requested);
    if (!payment.providerPaymentId) throw new Error(`payment ${payment.id} is ${payment.status} without a provider payment`);
    // The provider first: if recording fails after it, the retry's key finds the same refund there.
    const refund = await this.provider.refund({ providerPaymentId: payment.providerPaymentId, amount, idempotencyKey: `refund-${payment.id}-${key}` });
    return this.recordRefund(tx, payment, amount, refund.reference, key, reason);
  }

  /**
   * A refund made at the provider, reported by its webhook: recorded unless the ledger holds it
   * already (our own refunds come back this way too). It can only follow a success; one that
   * arrives first is refused, so the provider delivers it again later.
   */
  private async mirrorProviderRefund(tx: Tx, payment: Payment, amount: number, reference: string, reason: string): Promise<Payment> {
    const status = payment.status as PaymentStatus;
    if (status === 'requires_payment' || status === 'processing') {
      throw new AppError('conflict', `a refund for payment ${payment.id} arrived before its success; deliver it again later`);
    }
    const left = payment.amount - payment.amountRefunded;
    if ((status !== 'succeeded' && status !== 'partially_refunded') || amount > left) {
      // Nothing the provider reports can be taken back here; say so loudly for a person to look at.
      this.logger.error({ paymentId: payment.id, status, amount, left, reference }, 'provider refund does not fit the payment; not recorded');
      return payment;
    }
    return this.recordRefund(tx, payment, amount, reference, `provider-${reference}`, reason);
  }

  /** The refund's ledger row, the payment's new total and status, and payment.refunded: once per provider refund. */
  private async recordRefund(tx: Tx, payment: Payment, amount: number, reference: string, key: string, reason: string): Promise<Payment> {
    const known = await tx.paymentTransaction.findFirst({ where: { paymentId: payment.id, kind: 'refund', providerReference: reference } });
    if (known) return payment;
    const totalRefunded = payment.amountRefunded + amount;
    const status = statusAfterRefund(payment.amount, totalRefunded);
    const updated = await tx.payment.update({ where: { id: payment.id }, data: { status, amountRefunded: totalRefunded } });
    await tx.paymentTransaction.create({
      data: { id: randomUUID(), paymentId: payment.id, kind: 'refund', amount, currency: payment.currency, providerReference: reference, idempotencyKey: key },
    });
    const event = createEvent('payment.refunded', payment.orderId, {
      orderId: payment.orderId,
      paymentId: payment.id,
      amount: { amount, currency: payment.currency },
      totalRefunded: { amount: totalRefunded, currency: payment.currency },
      full: status === 'refunded',
    });
    await tx.outboxEvent.create({ data: toOutboxRow(event) });
    this.transitions.inc({ to: status });
    this.logger.info({ paymentId: payment.id, orderId: payment.orderId, amount, totalRefunded, reason }, 'payment refunded');
    return updated;
  }

  /** The state machine applied to a locked payment: the status, its ledger row and its event, together. */
  private async applyOutcome(tx: Tx, payment: Payment, reported: ReportedOutcome): Promise<Payment> {
    const decision = outcomeTransition(payment.status as PaymentStatus, reported.outcome);
    if (decision.action === 'ignore') {
      const level = decision.why === 'stale' ? 'warn' : 'info';
      this.logger[level]({ paymentId: payment.id, status: payment.status, outcome: reported.outcome, source: reported.source }, `payment ${reported.outcome} ignored (${decision.why})`);
      return payment;
    }
    const to = decision.to;
    const updated = await tx.payment.update({
      where: { id: payment.id },
      data: { status: to, failureReason: to === 'failed' ? reported.reason.slice(0, 500) : to === 'succeeded' ? '' : payment.failureReason },
    });
    const ledgerKind = { succeeded: 'charge', failed: 'failure', canceled: 'cancel' } as const;
    if (to === 'succeeded' || to === 'failed' || to === 'canceled') {
      await tx.paymentTransaction.create({
        data: { id: randomUUID(), paymentId: payment.id, kind: ledgerKind[to], amount: payment.amount, currency: payment.currency, providerReference: reported.reference },
      });
    }
    const ids = { orderId: payment.orderId, paymentId: payment.id };
    const event =
      to === 'succeeded'
        ? createEvent('payment.succeeded', payment.orderId, { ...ids, amount: { amount: payment.amount, currency: payment.currency } })
        : to === 'failed'
          ? createEvent('payment.failed', payment.orderId, { ...ids, reason: updated.failureReason })
          : to === 'canceled'
            ? createEvent('payment.canceled', payment.orderId, { ...ids, reason: reported.reason })
            : undefined;
    if (event) await tx.outboxEvent.create({ data: toOutboxRow(event) });
    this.transitions.inc({ to });
    this.logger.info({ paymentId: payment.id, orderId: payment.orderId, from: payment.status, to, source: reported.source }, 'payment status changed');
    return updated;
  }

  private async lockById(tx: Tx, id: string): Promise<Payment | null> {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM payments WHERE id = ${id}::uuid FOR UPDATE`;
    return rows[0] ? tx.payment.findUniqueOrThrow({ where: { id: rows[0].id } }) : null;
  }

  private async lockByOrderId(tx: Tx, orderId: string): Promise<Payment | null> {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM payments WHERE order_id = ${orderId} FOR UPDATE`;
    return rows[0] ? tx.payment.findUniqueOrThrow({ where: { id: rows[0].id } }) : null;
  }

  /** The payment a webhook is about: by the provider's id, or by the order in its metadata when that payment has no other intent. */
  private async lockForWebhook(tx: Tx, providerPaymentId: string, orderId: string): Promise<Payment | null> {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM payments
       WHERE provider_payment_id = ${providerPaymentId}
          OR (${orderId} <> '' AND order_id = ${orderId} AND (provider_payment_id IS NULL OR provider_payment_id = ${providerPaymentId}))
       LIMIT 1 FOR UPDATE`;
    return rows[0] ? tx.payment.findUniqueOrThrow({ where: { id: rows[0].id } }) : null;
  }
}
