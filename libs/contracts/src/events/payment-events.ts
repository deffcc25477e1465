import { z } from 'zod';
import { MoneyV1, uuid } from './money';

/**
 * payment.created v1: the provider holds a payment for the order, waiting for the shopper. The
 * client secret lets the shopper's browser confirm this one payment (Stripe.js), nothing more.
 */
export const PaymentCreatedV1 = z.object({
  orderId: uuid,
  paymentId: uuid,
  provider: z.string(),
  status: z.string(),
  clientSecret: z.string(),
  amount: MoneyV1,
});
export type PaymentCreatedV1 = z.infer<typeof PaymentCreatedV1>;

/** payment.succeeded v1: the money is ours. */
export const PaymentSucceededV1 = z.object({ orderId: uuid, paymentId: uuid, amount: MoneyV1 });
export type PaymentSucceededV1 = z.infer<typeof PaymentSucceededV1>;

/** payment.failed v1: the payment cannot complete. */
export const PaymentFailedV1 = z.object({ orderId: uuid, paymentId: uuid, reason: z.string() });
export type PaymentFailedV1 = z.infer<typeof PaymentFailedV1>;

/** payment.refunded v1: money went back, in full or in part. */
export const PaymentRefundedV1 = z.object({ orderId: uuid, paymentId: uuid, amount: MoneyV1, totalRefunded: MoneyV1, full: z.boolean() });
export type PaymentRefundedV1 = z.infer<typeof PaymentRefundedV1>;

/** payment.canceled v1: an unpaid payment was called off. */
export const PaymentCanceledV1 = z.object({ orderId: uuid, paymentId: uuid, reason: z.string() });
export type PaymentCanceledV1 = z.infer<typeof PaymentCanceledV1>;
