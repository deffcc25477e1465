import type { orderV1, paymentV1 } from '@shop/contracts';

export function toCartView(cart: orderV1.Cart) {
  return {
    items: cart.items.map((item) => ({
      id: item.id,
      sku: item.sku,
      productId: item.productId,
      name: item.name,
      quantity: item.quantity,
      unitPrice: item.unitPrice,
      lineTotal: item.lineTotal,
      available: item.available,
    })),
    total: cart.total,
  };
}

/** The order as shoppers and admins see it; the client secret only goes to the order's owner. */
export function toOrderView(order: orderV1.Order, { withClientSecret }: { withClientSecret: boolean }) {
  return {
    id: order.id,
    userId: order.userId,
    status: order.status,
    items: order.items.map((item) => ({ sku: item.sku, productId: item.productId, name: item.name, quantity: item.quantity, unitPrice: item.unitPrice, lineTotal: item.lineTotal })),
    total: order.total,
    shippingAddress: order.shippingAddress,
    history: order.history.map((change) => ({ status: change.status, at: change.at, ...(change.reason ? { reason: change.reason } : {}) })),
    payment: order.payment && {
      id: order.payment.paymentId,
      provider: order.payment.provider,
      status: order.payment.status,
      ...(withClientSecret ? { clientSecret: order.payment.clientSecret } : {}),
    },
    ...(order.cancelReason ? { cancelReason: order.cancelReason } : {}),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

/** A payment as admins see it: amounts and states, never the client secret that confirms it. */
export function toPaymentView(payment: paymentV1.Payment) {
  const { clientSecret: _secret, ...view } = payment;
  return view;
}
