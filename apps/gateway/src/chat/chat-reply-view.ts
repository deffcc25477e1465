import type { chatV1 } from '@shop/contracts';

/** The reply as clients see it: products, orders and an offer only when there are some. */
export function toReplyView(reply: chatV1.Reply | undefined) {
  if (!reply) return { text: '' };
  return {
    text: reply.text,
    intent: reply.intent,
    ...(reply.products.length > 0 ? { products: reply.products.map((product) => ({ id: product.id, name: product.name, price: product.price })) } : {}),
    ...(reply.orders.length > 0 ? { orders: reply.orders.map((order) => ({ id: order.id, status: order.status, total: order.total })) } : {}),
    ...(reply.offer ? { offer: { code: reply.offer.code, sku: reply.offer.sku, price: reply.offer.price, listPrice: reply.offer.listPrice, minQuantity: reply.offer.minQuantity, expiresAt: reply.offer.expiresAt } } : {}),
    ...(reply.handover ? { handover: true } : {}),
  };
}
