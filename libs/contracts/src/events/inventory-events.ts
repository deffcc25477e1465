import { z } from 'zod';
import { uuid } from './money';

export const ReservationLineV1 = z.object({ sku: z.string().min(1), quantity: z.number().int().positive() });
export type ReservationLineV1 = z.infer<typeof ReservationLineV1>;

/** inventory.reserved v1: every line of the order is held until expiresAt. */
export const InventoryReservedV1 = z.object({ orderId: uuid, reservationId: z.string(), lines: z.array(ReservationLineV1), expiresAt: z.string() });
export type InventoryReservedV1 = z.infer<typeof InventoryReservedV1>;

/** inventory.rejected v1: not enough stock for some lines; nothing was reserved. */
export const InventoryRejectedV1 = z.object({ orderId: uuid, shortSkus: z.array(z.string()), reason: z.string() });
export type InventoryRejectedV1 = z.infer<typeof InventoryRejectedV1>;

/**
 * inventory.released v1: the units went back to available (cancelled, failed, expired or returned).
 * `lines` (added later, so absent from older events) says which SKUs' availability changed.
 */
export const InventoryReleasedV1 = z.object({ orderId: uuid, reservationId: z.string(), reason: z.string(), lines: z.array(ReservationLineV1).optional() });
export type InventoryReleasedV1 = z.infer<typeof InventoryReleasedV1>;

/** inventory.committed v1: the reserved units were sold and left on hand. */
export const InventoryCommittedV1 = z.object({ orderId: uuid, reservationId: z.string() });
export type InventoryCommittedV1 = z.infer<typeof InventoryCommittedV1>;

/**
 * inventory.stock_changed v1: an admin set or adjusted a SKU's stock (a delivery, a count); its levels
 * after the change. Checkouts move stock through inventory.reserved, committed and released instead.
 */
export const StockChangedV1 = z.object({
  sku: z.string().min(1),
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
});
export type StockChangedV1 = z.infer<typeof StockChangedV1>;
