import { Inject, Injectable } from '@nestjs/common';
import { type AvailabilityLevel, latestLevels, levelsCarried } from '@shop/contracts';
import { EventConsumer, type EventConsumerProvider } from '@shop/messaging';
import type { SqlDatabase } from '@shop/persistence';
import { SQL_DATABASE } from '@shop/service-kit';

export const AVAILABILITY_CONSUMER = 'product-service.availability';

/** The stock events that change what can be bought (a commit takes sold units off hand and off reserved alike). */
const AVAILABILITY_EVENTS = ['inventory.stock_changed', 'inventory.reserved', 'inventory.released'] as const;

/**
 * Inventory's availability of every SKU, kept from its stock events in this service's own table, so
 * a product page is put together here without a call to inventory. Each event carries the levels
 * after it with the stock row's version; a level replaces the one kept only with a higher version
 * (`supersedes`), so events arriving late, out of order (reservations are keyed by order, stock
 * counts by SKU) or twice never take a SKU back, and no inbox is needed. A SKU no event has
 * mentioned has nothing available, as inventory says of a SKU never stocked.
 */
@Injectable()
export class Availability implements EventConsumerProvider {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  consumer(): EventConsumer {
    return new EventConsumer(AVAILABILITY_CONSUMER).onBatchInOrder(AVAILABILITY_EVENTS, (events) => this.apply(events.flatMap(levelsCarried)));
  }

  /** Keeps these levels where they are newer than the ones kept: one statement, rows in SKU order (no deadlock between batches). */
  async apply(levels: AvailabilityLevel[]): Promise<void> {
    const latest = latestLevels(levels).sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    if (latest.length === 0) return;
    await this.db.$executeRaw`
      INSERT INTO sku_availability AS kept (sku, available, version)
      SELECT * FROM unnest(${latest.map((l) => l.sku)}::text[], ${latest.map((l) => l.available)}::int[], ${latest.map((l) => l.version)}::bigint[])
      ON CONFLICT (sku) DO UPDATE SET available = EXCLUDED.available, version = EXCLUDED.version, updated_at = now()
       WHERE kept.version < EXCLUDED.version OR (EXCLUDED.version = 0 AND kept.version = 0)`;
  }

  /** The kept level of each SKU, in the order asked; version 0 and nothing available for a SKU no event has mentioned. */
  async of(skus: string[]): Promise<AvailabilityLevel[]> {
    if (skus.length === 0) return [];
    const rows = await this.db.$queryRaw<Array<{ sku: string; available: number; version: bigint }>>`
      SELECT sku, available, version FROM sku_availability WHERE sku = ANY(${skus}::text[])`;
    const bySku = new Map(rows.map((row) => [row.sku, row]));
    return skus.map((sku) => {
      const row = bySku.get(sku);
      return { sku, available: row?.available ?? 0, version: row ? Number(row.version) : 0 };
    });
  }
}
