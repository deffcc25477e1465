import type { orderV1 } from '@shop/contracts';
import type { Order, OrderItem, OrderStatusHistory } from '../prisma';

export type OrderWithDetails = Order & { items: OrderItem[]; history: OrderStatusHistory[] };

export const WITH_DETAILS = { items: { orderBy: { sku: 'asc' } }, history: { orderBy: { id: 'asc' } } } as const;

/** The contract's Order; the payment's client secret only for its owner. */
export function toOrder(order: OrderWithDetails, options: { withClientSecret: boolean }): orderV1.Order {
  const money = (amount: number) => ({ amount, currency: order.currency });
  return {
    id: order.id,
    userId: order.userId,
    status: order.status,
    items: order.items.map((item) => ({
      sku: item.sku,
      productId: item.productId,
      name: item.name,
      quantity: item.quantity,
      unitPrice: money(item.unitAmount),
      lineTotal: money(item.lineAmount),
    })),
    total: money(order.totalAmount),
    shippingAddress: {
      line1: order.shipLine1,
      line2: order.shipLine2 || undefined,
      city: order.shipCity,
      region: order.shipRegion || undefined,
      postalCode: order.shipPostalCode,
      country: order.shipCountry,
    },
    history: order.history.map((change) => ({ status: change.status, at: change.at.toISOString(), reason: change.reason })),
    payment: order.paymentId
      ? {
          paymentId: order.paymentId,
          provider: order.paymentProvider,
          clientSecret: options.withClientSecret ? order.clientSecret : '',
          status: order.paymentStatus,
        }
      : undefined,
    cancelReason: order.cancelReason,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
