export interface ReservationLineV1 {
  sku: string;
  quantity: number;
}

/** inventory.reserved v1: every line of the order is held until expiresAt. */
export interface InventoryReservedV1 {
  orderId: string;
  reservationId: string;
  lines: ReservationLineV1[];
  expiresAt: string;
}

/** inventory.rejected v1: not enough stock for some lines; nothing was reserved. */
export interface InventoryRejectedV1 {
  orderId: string;
  shortSkus: string[];
  reason: string;
}

/** inventory.released v1: the units went back to available (cancelled, failed or expired). */
export interface InventoryReleasedV1 {
  orderId: string;
  reservationId: string;
  reason: string;
}

/** inventory.committed v1: the reserved units were sold and left on hand. */
export interface InventoryCommittedV1 {
  orderId: string;
  reservationId: string;
}

/**
 * inventory.stock_changed v1: an admin set or adjusted a SKU's stock (a delivery, a count); its levels
 * after the change. Checkouts move stock through inventory.reserved, committed and released instead.
 */
export interface StockChangedV1 {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
}
