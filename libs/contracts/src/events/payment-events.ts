import type { MoneyV1 } from './product-events';

/** payment.succeeded v1: the money is ours; the order is confirmed. */
export interface PaymentSucceededV1 {
  orderId: string;
  paymentId: string;
  amount: MoneyV1;
}

/** payment.failed v1: the payment cannot complete; the order is cancelled. */
export interface PaymentFailedV1 {
  orderId: string;
  paymentId: string;
  reason: string;
}

/** payment.refunded v1: money went back, in full or in part. */
export interface PaymentRefundedV1 {
  orderId: string;
  paymentId: string;
  amount: MoneyV1;
  totalRefunded: MoneyV1;
  full: boolean;
}

/** payment.canceled v1: an unpaid payment was called off. */
export interface PaymentCanceledV1 {
  orderId: string;
  paymentId: string;
  reason: string;
}
