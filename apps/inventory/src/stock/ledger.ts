import type { StockLevelV1 } from '@shop/contracts';
import type { SqlClient } from '@shop/persistence';
import { type MovementKind, stockLevel } from './stock-rules';

export interface StockRow {
  sku: string;
  onHand: number;
  reserved: number;
}

/** A stock row as a change left it: with its version, one more than before the change. */
export interface MovedStockRow extends StockRow {
  version: number;
}

export interface Movement {
  sku: string;
  kind: MovementKind;
  onHandDelta: number;
  reservedDelta: number;
  reason: string;
  /** The order id for reservation movements. */
  reference: string;
}

/**
 * Locks the stock rows of these SKUs for the rest of the transaction, always in SKU order and in
 * one statement: two reservations sharing SKUs then queue on the first shared row instead of each
 * holding one the other needs (a deadlock). Every transaction that touches stock locks it here,
 * once, before changing any of it; reservation rows, where needed, are locked before this.
 * SKUs without a row are absent from the result: they have no stock.
 */
export async function lockStock(tx: SqlClient, skus: string[]): Promise<Map<string, StockRow>> {
  // LockRows sits above the Sort in the plan, so rows are locked in the ORDER BY order; the "C"
  // collation makes that order the same in every database, whatever its default collation.
  const rows = await tx.$queryRaw<Array<{ sku: string; on_hand: number; reserved: number }>>`
    SELECT sku, on_hand, reserved FROM stock_items WHERE sku = ANY(${skus}::text[]) ORDER BY sku COLLATE "C" FOR UPDATE`;
  return new Map(rows.map((row) => [row.sku, { sku: row.sku, onHand: row.on_hand, reserved: row.reserved }]));
}

/** Makes sure a stock row exists (with nothing on hand) so it can be locked and set. */
export async function ensureStockRow(tx: SqlClient, sku: string): Promise<void> {
  await tx.$executeRaw`INSERT INTO stock_items (sku) VALUES (${sku}) ON CONFLICT (sku) DO NOTHING`;
}

/**
 * The one way stock changes: applies the movements to their stock rows and writes each to the
 * ledger in the same transaction, so the ledger always adds up to the stock rows. The rows must
 * exist and should be locked already (lockStock); the CHECK constraints refuse anything negative.
 * Returns the new stock of every SKU moved, with its row's new version (one more per call that moves it).
 */
export async function recordMovements(tx: SqlClient, movements: Movement[]): Promise<Map<string, MovedStockRow>> {
  if (movements.length === 0) return new Map();
  const totals = new Map<string, { onHand: number; reserved: number }>();
  for (const movement of movements) {
    const total = totals.get(movement.sku) ?? { onHand: 0, reserved: 0 };
    total.onHand += movement.onHandDelta;
    total.reserved += movement.reservedDelta;
    totals.set(movement.sku, total);
  }
  const skus = [...totals.keys()];
  const updated = await tx.$queryRaw<Array<{ sku: string; on_hand: number; reserved: number; version: bigint }>>`
    UPDATE stock_items AS s
       SET on_hand = s.on_hand + d.on_hand_delta, reserved = s.reserved + d.reserved_delta, version = s.version + 1, updated_at = now()
      FROM unnest(${skus}::text[], ${skus.map((sku) => totals.get(sku)!.onHand)}::int[], ${skus.map((sku) => totals.get(sku)!.reserved)}::int[])
           AS d(sku, on_hand_delta, reserved_delta)
     WHERE s.sku = d.sku
    RETURNING s.sku, s.on_hand, s.reserved, s.version`;
  if (updated.length !== skus.length) {
    const missing = skus.filter((sku) => !updated.some((row) => row.sku === sku));
    throw new Error(`stock rows missing for ${missing.join(', ')}`);
  }
  await tx.$executeRaw`
    INSERT INTO stock_movements (sku, kind, on_hand_delta, reserved_delta, reason, reference)
    SELECT * FROM unnest(
      ${movements.map((m) => m.sku)}::text[], ${movements.map((m) => m.kind)}::text[],
      ${movements.map((m) => m.onHandDelta)}::int[], ${movements.map((m) => m.reservedDelta)}::int[],
      ${movements.map((m) => m.reason)}::text[], ${movements.map((m) => m.reference)}::text[])`;
  return new Map(updated.map((row) => [row.sku, { sku: row.sku, onHand: row.on_hand, reserved: row.reserved, version: Number(row.version) }]));
}

/** The levels after a change of these SKUs, as stock events carry them. */
export function levelsAfter(after: Map<string, MovedStockRow>, skus: Iterable<string>): StockLevelV1[] {
  return [...new Set(skus)].flatMap((sku) => {
    const row = after.get(sku);
    return row ? [{ ...stockLevel(sku, row.onHand, row.reserved), version: row.version }] : [];
  });
}
