import type { MoneyV1 } from './product-events';

export interface OrderLineV1 {
  sku: string;
  quantity: number;
  unitPrice: MoneyV1;
}

/** order.created v1: accepted (PENDING); inventory reserves its lines. */
export interface OrderCreatedV1 {
  orderId: string;
  userId: string;
  lines: OrderLineV1[];
  total: MoneyV1;
  email: string;
}

/** order.confirmed v1: paid; inventory commits the reservation. */
export interface OrderConfirmedV1 {
  orderId: string;
  paymentId: string;
}

/** order.cancelled v1: over for good; inventory releases what it held, payment cancels or refunds. */
export interface OrderCancelledV1 {
  orderId: string;
  reason: string;
}

/** order.status_changed v1: any move in the order's life, for notifications and fulfilment. */
export interface OrderStatusChangedV1 {
  orderId: string;
  userId: string;
  from: string;
  to: string;
  reason: string;
}
