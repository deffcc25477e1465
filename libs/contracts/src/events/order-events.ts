import { z } from 'zod';
import { MoneyV1, uuid } from './money';

export const OrderLineV1 = z.object({ sku: z.string().min(1), quantity: z.number().int().positive(), unitPrice: MoneyV1 });
export type OrderLineV1 = z.infer<typeof OrderLineV1>;

/** order.created v1: a shopper placed the order (PENDING); the checkout saga takes it from here. */
export const OrderCreatedV1 = z.object({ orderId: uuid, userId: z.string().min(1), lines: z.array(OrderLineV1), total: MoneyV1, email: z.string() });
export type OrderCreatedV1 = z.infer<typeof OrderCreatedV1>;

/**
 * Who an order belongs to and what it came to, carried by the events a shopper is told about.
 * Added later to order.confirmed and order.cancelled, so absent from their older events.
 */
const OrderOwnerV1 = { userId: z.string().min(1), total: MoneyV1 };

/**
 * order.confirmed v1: paid; the order goes to fulfilment. `items` (the products it holds: who may
 * review what) was added later, so older events lack it.
 */
export const OrderConfirmedV1 = z.object({
  orderId: uuid,
  paymentId: z.string(),
  userId: OrderOwnerV1.userId.optional(),
  total: OrderOwnerV1.total.optional(),
  items: z.array(z.object({ productId: z.string().min(1), sku: z.string().min(1) })).optional(),
});
export type OrderConfirmedV1 = z.infer<typeof OrderConfirmedV1>;

/** order.cancelled v1: over for good, with the reason a shopper is told. */
export const OrderCancelledV1 = z.object({ orderId: uuid, reason: z.string(), userId: OrderOwnerV1.userId.optional(), total: OrderOwnerV1.total.optional() });
export type OrderCancelledV1 = z.infer<typeof OrderCancelledV1>;

/** order.shipped v1: the parcel left the warehouse. */
export const OrderShippedV1 = z.object({ orderId: uuid, ...OrderOwnerV1 });
export type OrderShippedV1 = z.infer<typeof OrderShippedV1>;

/** order.delivered v1: the parcel reached the shopper. */
export const OrderDeliveredV1 = z.object({ orderId: uuid, ...OrderOwnerV1 });
export type OrderDeliveredV1 = z.infer<typeof OrderDeliveredV1>;

/** order.status_changed v1: any move in the order's life, for notifications and fulfilment. */
export const OrderStatusChangedV1 = z.object({ orderId: uuid, userId: z.string(), from: z.string(), to: z.string(), reason: z.string() });
export type OrderStatusChangedV1 = z.infer<typeof OrderStatusChangedV1>;
