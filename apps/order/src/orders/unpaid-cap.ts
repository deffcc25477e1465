import type { RequestLine } from './checkout-request';

/**
 * What one shopper may hold in orders not yet paid (PENDING or AWAITING_PAYMENT). Each such order
 * keeps its stock reserved until it is paid or CHECKOUT_TIMEOUT_SECONDS pass; without a cap, one
 * account placing order after order could keep a product from everyone else without paying.
 */
export interface UnpaidCap {
  /** Unpaid orders at once. */
  maxOrders: number;
  /** Units of one SKU across the unpaid orders. */
  maxUnitsPerSku: number;
}

/** What the shopper holds unpaid now: their unpaid orders, and the units of each SKU in them. */
export interface UnpaidHoldings {
  orders: number;
  unitsBySku: ReadonlyMap<string, number>;
}

/** Why one more order of `lines` would take the shopper past the cap; undefined when it fits. */
export function unpaidCapExceeded(cap: UnpaidCap, held: UnpaidHoldings, lines: readonly RequestLine[]): string | undefined {
  if (held.orders >= cap.maxOrders) {
    return `at most ${cap.maxOrders} unpaid ${cap.maxOrders === 1 ? 'order' : 'orders'} at a time: pay for or cancel one first`;
  }
  const ordered = new Map<string, number>();
  for (const line of lines) ordered.set(line.sku, (ordered.get(line.sku) ?? 0) + line.quantity);
  for (const [sku, quantity] of ordered) {
    const already = held.unitsBySku.get(sku) ?? 0;
    if (already + quantity > cap.maxUnitsPerSku) {
      return `at most ${cap.maxUnitsPerSku} units of ${sku} in unpaid orders at a time (${already} held, ${quantity} ordered): pay for or cancel an order first`;
    }
  }
  return undefined;
}
