import { AppError } from '@shop/errors';
import { assertSku } from '../stock/stock-rules';

export const MAX_LINES = 100;
export const MAX_QUANTITY = 10_000;
export const MAX_ORDER_ID_LENGTH = 128;

export type ReservationStatus = 'active' | 'committed' | 'released' | 'expired' | 'returned';

export interface Line {
  sku: string;
  quantity: number;
}

export function assertOrderId(orderId: string): string {
  if (orderId.trim() === '') throw AppError.invalid('order_id is required');
  if (orderId.length > MAX_ORDER_ID_LENGTH) throw AppError.invalid(`order_id is longer than ${MAX_ORDER_ID_LENGTH} characters`);
  return orderId;
}

const bySku = (a: Line, b: Line) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0);

/**
 * Validates an order's lines and folds duplicate SKUs into one line each, sorted by SKU: one row
 * per SKU is what gets locked, and a SKU asked for twice must be checked against its total.
 */
export function mergeLines(lines: Line[]): Line[] {
  if (lines.length === 0) throw AppError.invalid('a reservation needs at least one line');
  if (lines.length > MAX_LINES) throw AppError.invalid(`a reservation holds at most ${MAX_LINES} lines`);
  const totals = new Map<string, number>();
  lines.forEach((line, index) => {
    assertSku(line.sku, `lines[${index}].sku`);
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      throw AppError.invalid(`lines[${index}].quantity must be a whole number from 1 to ${MAX_QUANTITY}`);
    }
    totals.set(line.sku, (totals.get(line.sku) ?? 0) + line.quantity);
  });
  const merged = [...totals].map(([sku, quantity]) => ({ sku, quantity })).sort(bySku);
  const tooMany = merged.find((line) => line.quantity > MAX_QUANTITY);
  if (tooMany) throw AppError.invalid(`the lines ask for more than ${MAX_QUANTITY} of ${tooMany.sku}`);
  return merged;
}

/** The SKUs whose available stock (unknown SKUs have none) cannot cover their line, in SKU order. */
export function shortSkus(lines: Line[], stock: ReadonlyMap<string, { onHand: number; reserved: number }>): string[] {
  return lines
    .filter((line) => {
      const item = stock.get(line.sku);
      return !item || item.onHand - item.reserved < line.quantity;
    })
    .map((line) => line.sku);
}

/** What a commit does to a reservation in this status: apply it, or answer with it as it is. */
export function commitAction(status: ReservationStatus): 'apply' | 'unchanged' {
  if (status === 'active') return 'apply';
  if (status === 'committed') return 'unchanged';
  throw new AppError('failed_precondition', `the reservation was ${status} and can no longer be committed`);
}

/** What a release does to a reservation in this status; releasing what was already given back is a no-op. */
export function releaseAction(status: ReservationStatus): 'apply' | 'unchanged' {
  if (status === 'active') return 'apply';
  if (status === 'released' || status === 'expired' || status === 'returned') return 'unchanged';
  throw new AppError('failed_precondition', 'the reservation was committed and can no longer be released');
}

export type Allocation = { orderId: string; kind: 'reserved'; lines: Line[] } | { orderId: string; kind: 'rejected'; shortSkus: string[] };

/**
 * Serves orders from the stock in the order given, each with every line or none: an order whose
 * lines do not all fit what earlier orders left is rejected, naming its short SKUs. `stock` is
 * taken as it stands and not changed; unknown SKUs have none.
 */
export function allocate(orders: Array<{ orderId: string; lines: Line[] }>, stock: ReadonlyMap<string, { onHand: number; reserved: number }>): Allocation[] {
  const left = new Map([...stock].map(([sku, item]) => [sku, { onHand: item.onHand, reserved: item.reserved }]));
  return orders.map(({ orderId, lines }) => {
    const short = shortSkus(lines, left);
    if (short.length > 0) return { orderId, kind: 'rejected', shortSkus: short };
    for (const line of lines) left.get(line.sku)!.reserved += line.quantity;
    return { orderId, kind: 'reserved', lines };
  });
}
