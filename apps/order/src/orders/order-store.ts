import type { Tx } from '../prisma';
import type { OrderWithDetails } from './order-view';
import type { UnpaidHoldings } from './unpaid-cap';

/*
 * The statements every checkout runs most, in SQL of their own on `pg` (Tx is an SqlDatabase or its
 * transaction): the order page (polled every few hundred milliseconds while a checkout runs), the new
 * order with its lines and first history row, the shopper's unpaid holdings.
 */

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
export async function findOrderWithDetails(db: Tx, orderId: string): Promise<OrderWithDetails | null> {
  const rows = await db.$queryRaw<OrderDetailsRow[]>`
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

export interface NewOrder {
  id: string;
  userId: string;
  currency: string;
  totalAmount: number;
  email: string;
  address: { line1: string; line2: string; city: string; region: string; postalCode: string; country: string };
  lines: Array<{ sku: string; productId: string; name: string; quantity: number; unitAmount: number; lineAmount: number }>;
}

/** Writes a PENDING order, its lines and its first history row in one statement; answers it as read back. */
export async function insertOrder(tx: Tx, order: NewOrder): Promise<OrderWithDetails> {
  const { id, address, lines } = order;
  const [written] = await tx.$queryRaw<Array<{ created_at: Date; history_id: number; at: Date }>>`
    WITH o AS (
      INSERT INTO orders (id, user_id, status, currency, total_amount, email, ship_line1, ship_line2, ship_city, ship_region, ship_postal_code, ship_country)
      VALUES (${id}::uuid, ${order.userId}, 'PENDING', ${order.currency}, ${order.totalAmount}, ${order.email}, ${address.line1}, ${address.line2},
              ${address.city}, ${address.region}, ${address.postalCode}, ${address.country})
      RETURNING created_at
    ), i AS (
      INSERT INTO order_items (order_id, sku, product_id, name, quantity, unit_amount, line_amount)
      SELECT ${id}::uuid, * FROM unnest(${lines.map((l) => l.sku)}::text[], ${lines.map((l) => l.productId)}::text[], ${lines.map((l) => l.name)}::text[],
                                        ${lines.map((l) => l.quantity)}::int[], ${lines.map((l) => l.unitAmount)}::int[], ${lines.map((l) => l.lineAmount)}::int[])
    ), h AS (
      INSERT INTO order_status_history (order_id, status, reason) VALUES (${id}::uuid, 'PENDING', 'order placed') RETURNING id::int AS history_id, at
    )
    SELECT o.created_at, h.history_id, h.at FROM o, h`;
  return {
    id,
    userId: order.userId,
    status: 'PENDING',
    currency: order.currency,
    totalAmount: order.totalAmount,
    email: order.email,
    shipLine1: address.line1,
    shipLine2: address.line2,
    shipCity: address.city,
    shipRegion: address.region,
    shipPostalCode: address.postalCode,
    shipCountry: address.country,
    paymentId: '',
    paymentProvider: '',
    clientSecret: '',
    paymentStatus: '',
    cancelReason: '',
    createdAt: written!.created_at,
    updatedAt: written!.created_at,
    items: [...lines].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)).map((line) => ({ orderId: id, ...line })),
    history: [{ id: BigInt(written!.history_id), orderId: id, status: 'PENDING', reason: 'order placed', at: written!.at }],
  };
}

/**
 * The shopper's unpaid orders (PENDING, AWAITING_PAYMENT: CHECKOUT_STATUSES) and their units of these
 * SKUs, in one statement; the statuses are written out so the partial index orders_unpaid_by_user serves it.
 */
export async function findUnpaidHoldings(tx: Tx, userId: string, skus: string[]): Promise<UnpaidHoldings> {
  const rows = await tx.$queryRaw<Array<{ order_id: string; sku: string | null; quantity: number | null }>>`
    SELECT o.id::text AS order_id, i.sku, i.quantity
      FROM orders o LEFT JOIN order_items i ON i.order_id = o.id AND i.sku = ANY(${skus}::text[])
     WHERE o.user_id = ${userId} AND o.status IN ('PENDING', 'AWAITING_PAYMENT')`;
  const unitsBySku = new Map<string, number>();
  for (const row of rows) if (row.sku !== null && row.quantity !== null) unitsBySku.set(row.sku, (unitsBySku.get(row.sku) ?? 0) + row.quantity);
  return { orders: new Set(rows.map((row) => row.order_id)).size, unitsBySku };
}
