import type { orderV1 } from '@shop/contracts';
import type { Order, OrderItem, OrderStatusHistory, PrismaClient } from '../prisma';

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

interface OrderDetailsRow {
  id: string;
  user_id: string;
  status: string;
  currency: string;
  total_amount: number;
  email: string;
  ship_line1: string;
  ship_line2: string;
  ship_city: string;
  ship_region: string;
  ship_postal_code: string;
  ship_country: string;
  payment_id: string;
  payment_provider: string;
  client_secret: string;
  payment_status: string;
  cancel_reason: string;
  created_at: Date;
  updated_at: Date;
  items: Array<{ sku: string; productId: string; name: string; quantity: number; unitAmount: number; lineAmount: number }>;
  history: Array<{ id: number; status: string; reason: string; at: string }>;
}

/**
 * An order with its items and history in one statement: the order page is what shoppers read most
 * (every few hundred milliseconds while a checkout runs), so it skips the ORM's query building.
 */
export async function findOrderWithDetails(prisma: Pick<PrismaClient, '$queryRaw'>, orderId: string): Promise<OrderWithDetails | null> {
  const rows = await prisma.$queryRaw<OrderDetailsRow[]>`
    SELECT o.id::text AS id, o.user_id, o.status, o.currency, o.total_amount, o.email, o.ship_line1, o.ship_line2, o.ship_city, o.ship_region,
           o.ship_postal_code, o.ship_country, o.payment_id, o.payment_provider, o.client_secret, o.payment_status, o.cancel_reason,
           o.created_at, o.updated_at,
           COALESCE((SELECT json_agg(json_build_object('sku', i.sku, 'productId', i.product_id, 'name', i.name, 'quantity', i.quantity,
                                                       'unitAmount', i.unit_amount, 'lineAmount', i.line_amount) ORDER BY i.sku)
                       FROM order_items i WHERE i.order_id = o.id), '[]') AS items,
           COALESCE((SELECT json_agg(json_build_object('id', h.id, 'status', h.status, 'reason', h.reason, 'at', h.at) ORDER BY h.id)
                       FROM order_status_history h WHERE h.order_id = o.id), '[]') AS history
      FROM orders o WHERE o.id = ${orderId}::uuid`;
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    userId: row.user_id,
    status: row.status,
    currency: row.currency,
    totalAmount: row.total_amount,
    email: row.email,
    shipLine1: row.ship_line1,
    shipLine2: row.ship_line2,
    shipCity: row.ship_city,
    shipRegion: row.ship_region,
    shipPostalCode: row.ship_postal_code,
    shipCountry: row.ship_country,
    paymentId: row.payment_id,
    paymentProvider: row.payment_provider,
    clientSecret: row.client_secret,
    paymentStatus: row.payment_status,
    cancelReason: row.cancel_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    items: row.items.map((item) => ({ orderId: row.id, ...item })),
    history: row.history.map((change) => ({ id: BigInt(change.id), orderId: row.id, status: change.status, reason: change.reason, at: new Date(change.at) })),
  };
}
