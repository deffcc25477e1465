import { Inject, Injectable } from '@nestjs/common';
import { createEvent, type IntegrationEvent } from '@shop/contracts';
import { AppError } from '@shop/errors';
import { writeOutbox } from '@shop/messaging';
import type { ServiceMetrics } from '@shop/observability';
import type { SqlClient, SqlDatabase } from '@shop/persistence';
import { APP_CONFIG, LOGGER, METRICS, SQL_DATABASE } from '@shop/service-kit';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { PaymentConfig } from '../config';
import { type Payment, type PaymentTransaction, PRISMA, type PrismaClient, type Tx } from '../prisma';
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

export interface ReportedOutcome {
  outcome: ProviderOutcome;
  reason: string;
  /** The provider's charge (success) or intent id, for the ledger. */
  reference: string;
  /** Where it came from, for the logs: a webhook event id, "test", "auto-complete". */
  source: string;
}

export interface PaymentRequest {
  orderId: string;
  amount: number;
  currency: string;
  customerEmail: string;
}

/** A payment that cannot be made, and why: retrying cannot change it, a person must look. */
export interface PaymentProblem {
  orderId: string;
  problem: string;
}

/**
 * A payments row as raw SQL reads it (checkout's statements run on `pg`, not Prisma: SqlDatabase).
 * Its columns are named, never `*`: a prepared statement whose columns change under it (a migration
 * during a rolling deploy) fails.
 */
interface PaymentRow {
  id: string;
  order_id: string;
  status: string;
  amount: number;
  currency: string;
  amount_refunded: number;
  provider: string;
  provider_payment_id: string | null;
  client_secret: string;
  failure_reason: string;
  created_at: Date;
  updated_at: Date;
}

function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    orderId: row.order_id,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    amountRefunded: row.amount_refunded,
    provider: row.provider,
    providerPaymentId: row.provider_payment_id,
    clientSecret: row.client_secret,
    failureReason: row.failure_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface WebhookResult {
  eventId: string;
  handled: boolean;
}

/**
 * Payments for orders. Every change of a payment is one transaction holding the payment's row lock:
 * the new status, its ledger row and its payment.* event (keyed by order id) commit together or not
 * at all, and two changes of one payment never interleave. The provider is called outside any
 * transaction, with an idempotency key, before the result is recorded under the lock: a retry does
 * the provider's part once and records it once, and no row stays locked while Stripe answers.
 */
@Injectable()
export class PaymentsService {
  private readonly transitions: Counter<'to'>;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(APP_CONFIG) private readonly config: PaymentConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: ServiceMetrics,
  ) {
    this.transitions = metrics.counter('shop_payment_transitions_total', 'Payment state changes, by new status', ['to']);
  }

  /**
   * The payments of many orders, each made once: asking again for an order changes nothing. The rows
   * come first, then the provider's payments (side by side, outside any transaction; the provider's
   * idempotency key is the order), then in one transaction the provider's ids with payment.created
   * (and, with the test provider completing at once, the success). A call that failed half way is
   * finished by the next one. Returns the orders whose payment cannot be made, and why.
   */
  async createMany(requests: PaymentRequest[]): Promise<PaymentProblem[]> {
    const problems: PaymentProblem[] = [];
    const wanted: Array<{ orderId: string; amount: number; currency: string; email: string }> = [];
    const seen = new Set<string>();
    for (const request of requests) {
      // The first request for an order is its request.
      if (seen.has(request.orderId)) continue;
      seen.add(request.orderId);
      try {
        const money = assertMoney(request.amount, request.currency);
        wanted.push({ orderId: assertOrderId(request.orderId), ...money, email: request.customerEmail.trim().slice(0, 320) });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        problems.push({ orderId: request.orderId, problem: error.message });
      }
    }
    if (wanted.length === 0) return problems;
    await this.db.$executeRaw`
      INSERT INTO payments (id, order_id, amount, currency, provider)
      SELECT id, order_id, amount, currency, ${this.provider.name}
        FROM unnest(${wanted.map(() => randomUUID())}::uuid[], ${wanted.map((order) => order.orderId)}::text[], ${wanted.map((order) => order.amount)}::int[],
                    ${wanted.map((order) => order.currency)}::text[]) AS w(id, order_id, amount, currency)
      ON CONFLICT DO NOTHING`;
    const payments = new Map(
      (
        await this.db.$queryRaw<PaymentRow[]>`
          SELECT id::text AS id, order_id, status, amount, currency, amount_refunded, provider, provider_payment_id, client_secret, failure_reason, created_at, updated_at
            FROM payments WHERE order_id = ANY(${wanted.map((order) => order.orderId)}::text[])`
      ).map((row) => [row.order_id, toPayment(row)]),
    );
    const toCreate: Array<{ payment: Payment; email: string }> = [];
    const toComplete: Payment[] = [];
    for (const order of wanted) {
      const payment = payments.get(order.orderId)!;
      if (payment.amount !== order.amount || payment.currency !== order.currency) {
        problems.push({ orderId: order.orderId, problem: `the order already has a payment of ${payment.amount} ${payment.currency}` });
      } else if (payment.provider !== this.provider.name) {
        problems.push({ orderId: order.orderId, problem: `its payment belongs to the ${payment.provider} provider` });
      } else if (payment.status === 'requires_payment') {
        // Called off before the provider was asked (the order was cancelled) leaves it canceled: nothing to create.
        if (!payment.providerPaymentId) toCreate.push({ payment, email: order.email });
        else toComplete.push(payment);
      }
    }
    const made = await Promise.all(
      toCreate.map(({ payment, email }) =>
        this.provider.createPayment({ orderId: payment.orderId, amount: payment.amount, currency: payment.currency, customerEmail: email }),
      ),
    );
    const autoComplete = this.provider.name === 'test' && this.config.PAYMENT_TEST_AUTO_COMPLETE;
    if (toCreate.length === 0 && (!autoComplete || toComplete.length === 0)) return problems;
    await this.db.$transaction(async (tx) => {
      const locked = await this.lockMany(tx, [...toCreate.map(({ payment }) => payment.id), ...toComplete.map((payment) => payment.id)]);
      // Only the first answer is kept: a concurrent call for the same order may have stored one already.
      const fresh = toCreate.flatMap(({ payment }, index) => (locked.get(payment.id)?.providerPaymentId ? [] : [{ payment, made: made[index]! }]));
      if (fresh.length > 0) {
        await tx.$executeRaw`
          UPDATE payments AS p SET provider_payment_id = d.provider_payment_id, client_secret = d.client_secret, updated_at = now()
            FROM unnest(${fresh.map(({ payment }) => payment.id)}::uuid[], ${fresh.map(({ made }) => made.providerPaymentId)}::text[],
                        ${fresh.map(({ made }) => made.clientSecret)}::text[]) AS d(id, provider_payment_id, client_secret)
           WHERE p.id = d.id`;
      }
      const stored = fresh.map(({ payment, made }) => ({ ...locked.get(payment.id)!, providerPaymentId: made.providerPaymentId, clientSecret: made.clientSecret }));
      await writeOutbox(
        tx,
        stored.map(({ orderId, id: paymentId, provider, status, clientSecret, amount, currency }) =>
          createEvent('payment.created', orderId, { orderId, paymentId, provider, status, clientSecret, amount: { amount, currency } }),
        ),
      );
      if (!autoComplete) return;
      const paying = [...stored, ...toComplete.map((payment) => locked.get(payment.id)!)];
      await this.applyOutcomes(
        tx,
        paying.map((payment) => ({ payment, reported: { outcome: 'succeeded', reason: '', reference: `test_ch_${randomUUID()}`, source: 'auto-complete' } })),
      );
    });
    return problems;
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
    const payment = await this.prisma.payment.findUnique({ where: { id } });
    if (!payment) throw AppError.notFound('payment not found');
    return this.refundPayment(payment, amount, key, why);
  }

  /**
   * The order is over (the saga's payment.cancel): an unpaid payment is called off at the provider,
   * a paid one refunded in full, one that is over stays as it is. Null when the order has no payment.
   */
  async cancel(orderId: string, reason: string): Promise<Payment | null> {
    assertOrderId(orderId);
    const why = cleanReason(reason) || 'canceled';
    const payment = await this.prisma.payment.findUnique({ where: { orderId } });
    if (!payment) return null;
    const action = cancelAction(payment.status as PaymentStatus);
    if (action === 'unchanged') return payment;
    if (action === 'refund_rest') return this.refundPayment(payment, 0, `cancel-${orderId}`, why);
    if (payment.providerPaymentId) await this.provider.cancelPayment(payment.providerPaymentId);
    return this.prisma.$transaction(async (tx) => {
      const locked = (await this.lockById(tx, payment.id))!;
      // It succeeded while the provider was being asked: the command is retried and refunds it.
      if (cancelAction(locked.status as PaymentStatus) === 'refund_rest') throw new AppError('conflict', `payment ${locked.id} succeeded while being cancelled`);
      return this.applyOutcome(tx, locked, { outcome: 'canceled', reason: why, reference: locked.providerPaymentId ?? '', source: 'cancel' });
    });
  }

  /** Refunds at the provider first, outside any transaction; then records the refund under the payment's lock. */
  private async refundPayment(payment: Payment, requested: number, key: string, reason: string): Promise<Payment> {
    const earlier = await this.prisma.paymentTransaction.findUnique({ where: { paymentId_idempotencyKey: { paymentId: payment.id, idempotencyKey: key } } });
    if (earlier) return payment;
    const amount = planRefund({ status: payment.status as PaymentStatus, amount: payment.amount, amountRefunded: payment.amountRefunded }, requested);
    if (!payment.providerPaymentId) throw new Error(`payment ${payment.id} is ${payment.status} without a provider payment`);
    // If recording fails after this, the retry's key finds the same refund at the provider.
    const refund = await this.provider.refund({ providerPaymentId: payment.providerPaymentId, amount, idempotencyKey: `refund-${payment.id}-${key}` });
    return this.prisma.$transaction(async (tx) => {
      const locked = (await this.lockById(tx, payment.id))!;
      const recorded = await tx.paymentTransaction.findUnique({ where: { paymentId_idempotencyKey: { paymentId: payment.id, idempotencyKey: key } } });
      if (recorded) return locked;
      const left = locked.amount - locked.amountRefunded;
      if (amount > left) {
        // Another refund landed meanwhile; the provider gives back no more than was paid, so a person must look.
        this.logger.error({ paymentId: locked.id, amount, left, reference: refund.reference }, 'refund no longer fits the payment; not recorded');
        throw new AppError('failed_precondition', `only ${left} is left to refund`);
      }
      return this.recordRefund(tx, locked, amount, refund.reference, key, reason);
    });
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
    await writeOutbox(tx, [event]);
    this.transitions.inc({ to: status });
    this.logger.info({ paymentId: payment.id, orderId: payment.orderId, amount, totalRefunded, reason }, 'payment refunded');
    return updated;
  }

  /** The state machine applied to a locked payment: the status, its ledger row and its event, together. */
  private async applyOutcome(tx: SqlClient, payment: Payment, reported: ReportedOutcome): Promise<Payment> {
    return (await this.applyOutcomes(tx, [{ payment, reported }]))[0]!;
  }

  /**
   * The state machine applied to locked payments, each with what its provider reported: the new
   * statuses, their ledger rows and their events, in one statement each. Answers the payments as they are now.
   */
  private async applyOutcomes(tx: SqlClient, changes: Array<{ payment: Payment; reported: ReportedOutcome }>): Promise<Payment[]> {
    const now = new Date();
    const applied: Array<{ before: Payment; after: Payment; reported: ReportedOutcome }> = [];
    const answers = changes.map(({ payment, reported }) => {
      const decision = outcomeTransition(payment.status as PaymentStatus, reported.outcome);
      if (decision.action === 'ignore') {
        const level = decision.why === 'stale' ? 'warn' : 'info';
        this.logger[level]({ paymentId: payment.id, status: payment.status, outcome: reported.outcome, source: reported.source }, `payment ${reported.outcome} ignored (${decision.why})`);
        return payment;
      }
      const to = decision.to;
      const failureReason = to === 'failed' ? reported.reason.slice(0, 500) : to === 'succeeded' ? '' : payment.failureReason;
      const after = { ...payment, status: to, failureReason, updatedAt: now };
      applied.push({ before: payment, after, reported });
      return after;
    });
    if (applied.length === 0) return answers;
    await tx.$executeRaw`
      UPDATE payments AS p SET status = d.status, failure_reason = d.failure_reason, updated_at = ${now}
        FROM unnest(${applied.map(({ after }) => after.id)}::uuid[], ${applied.map(({ after }) => after.status)}::text[],
                    ${applied.map(({ after }) => after.failureReason)}::text[]) AS d(id, status, failure_reason)
       WHERE p.id = d.id`;
    const ledgerKind: Partial<Record<string, string>> = { succeeded: 'charge', failed: 'failure', canceled: 'cancel' };
    const ledger = applied.filter(({ after }) => ledgerKind[after.status]);
    if (ledger.length > 0) {
      await tx.$executeRaw`
        INSERT INTO payment_transactions (id, payment_id, kind, amount, currency, provider_reference)
        SELECT * FROM unnest(${ledger.map(() => randomUUID())}::uuid[], ${ledger.map(({ after }) => after.id)}::uuid[],
                             ${ledger.map(({ after }) => ledgerKind[after.status]!)}::text[], ${ledger.map(({ after }) => after.amount)}::int[],
                             ${ledger.map(({ after }) => after.currency)}::text[], ${ledger.map(({ reported }) => reported.reference)}::text[])`;
    }
    const events = applied.flatMap(({ after, reported }): IntegrationEvent[] => {
      const ids = { orderId: after.orderId, paymentId: after.id };
      if (after.status === 'succeeded') return [createEvent('payment.succeeded', after.orderId, { ...ids, amount: { amount: after.amount, currency: after.currency } })];
      if (after.status === 'failed') return [createEvent('payment.failed', after.orderId, { ...ids, reason: after.failureReason })];
      if (after.status === 'canceled') return [createEvent('payment.canceled', after.orderId, { ...ids, reason: reported.reason })];
      return [];
    });
    await writeOutbox(tx, events);
    for (const { before, after, reported } of applied) {
      this.transitions.inc({ to: after.status });
      this.logger.info({ paymentId: after.id, orderId: after.orderId, from: before.status, to: after.status, source: reported.source }, 'payment status changed');
    }
    return answers;
  }


  /** Locks these payments in id order, as every writer of several does. */
  private async lockMany(tx: SqlClient, ids: string[]): Promise<Map<string, Payment>> {
    const rows = await tx.$queryRaw<PaymentRow[]>`
      SELECT id::text AS id, order_id, status, amount, currency, amount_refunded, provider, provider_payment_id, client_secret, failure_reason, created_at, updated_at
        FROM payments WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
    return new Map(rows.map((row) => [row.id, toPayment(row)]));
  }

  private async lockById(tx: SqlClient, id: string): Promise<Payment | null> {
    return (await this.lockMany(tx, [id])).get(id) ?? null;
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
