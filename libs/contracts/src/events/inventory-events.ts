import { z } from 'zod';
import { uuid } from './money';

export const ReservationLineV1 = z.object({ sku: z.string().min(1), quantity: z.number().int().positive() });
export type ReservationLineV1 = z.infer<typeof ReservationLineV1>;

/**
 * A SKU's stock right after a change, with the version of its stock row: inventory adds one to it
 * with every change, under the row's lock, so of two levels of one SKU the higher version is the
 * later, whatever order the events arrive in (they are keyed by order or by SKU, on different partitions).
 */
export const StockLevelV1 = z.object({
  sku: z.string().min(1),
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  version: z.number().int().nonnegative(),
});
export type StockLevelV1 = z.infer<typeof StockLevelV1>;

/** `levels` (added later, so absent from older events): the stock of each SKU the event moved, after it. */
const levelsAfter = z.array(StockLevelV1).optional();

/** inventory.reserved v1: every line of the order is held until expiresAt. */
export const InventoryReservedV1 = z.object({ orderId: uuid, reservationId: z.string(), lines: z.array(ReservationLineV1), expiresAt: z.string(), levels: levelsAfter });
export type InventoryReservedV1 = z.infer<typeof InventoryReservedV1>;

/** inventory.rejected v1: not enough stock for some lines; nothing was reserved. */
export const InventoryRejectedV1 = z.object({ orderId: uuid, shortSkus: z.array(z.string()), reason: z.string() });
export type InventoryRejectedV1 = z.infer<typeof InventoryRejectedV1>;

/**
 * inventory.released v1: the units went back to available (cancelled, failed, expired or returned).
 * `lines` (added later, so absent from older events) says which SKUs' availability changed.
 */
export const InventoryReleasedV1 = z.object({ orderId: uuid, reservationId: z.string(), reason: z.string(), lines: z.array(ReservationLineV1).optional(), levels: levelsAfter });
export type InventoryReleasedV1 = z.infer<typeof InventoryReleasedV1>;

/** inventory.committed v1: the reserved units were sold and left on hand. */
export const InventoryCommittedV1 = z.object({ orderId: uuid, reservationId: z.string(), levels: levelsAfter });
export type InventoryCommittedV1 = z.infer<typeof InventoryCommittedV1>;

/**
 * inventory.stock_changed v1: an admin set or adjusted a SKU's stock (a delivery, a count); its levels
 * after the change. Checkouts move stock through inventory.reserved, committed and released instead.
 * `version` (added later, so absent from older events) is the stock row's, as in StockLevelV1.
 */
export const StockChangedV1 = StockLevelV1.extend({ version: z.number().int().nonnegative().optional() });
export type StockChangedV1 = z.infer<typeof StockChangedV1>;
