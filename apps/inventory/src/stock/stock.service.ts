import { Inject, Injectable } from '@nestjs/common';
import { createEvent } from '@shop/contracts';
import { AppError } from '@shop/errors';
import { writeOutbox } from '@shop/messaging';
import { pageWindow } from '@shop/validation';
import type { SqlDatabase } from '@shop/persistence';
import { SQL_DATABASE } from '@shop/service-kit';
import { PRISMA, type PrismaClient, type StockMovement, type Tx } from '../prisma';
import { ensureStockRow, levelsAfter, lockStock, recordMovements, type StockRow } from './ledger';
import { assertAdjustment, assertSku, cleanReason, deltaForSet, type StockLevel, stockLevel } from './stock-rules';

const MAX_SKUS_PER_QUERY = 500;
const DEFAULT_PAGE_SIZE = 20;

export interface MovementPage {
  items: StockMovement[];
  total: number;
  page: number;
  limit: number;
}

/** Stock counts per SKU as the warehouse sees them: absolute counts, adjustments, and the ledger. */
@Injectable()
export class StockService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
  ) {}

  /** In the order asked, once per SKU; a SKU never stocked has zero of everything. */
  async get(skus: string[]): Promise<StockLevel[]> {
    if (skus.length > MAX_SKUS_PER_QUERY) throw AppError.invalid(`ask for at most ${MAX_SKUS_PER_QUERY} SKUs at a time`);
    const unique = [...new Set(skus.map((sku, index) => assertSku(sku, `skus[${index}]`)))];
    // Asked by every cart and product page: one plain statement.
    const rows = await this.db.$queryRaw<Array<{ sku: string; on_hand: number; reserved: number }>>`
      SELECT sku, on_hand, reserved FROM stock_items WHERE sku = ANY(${unique}::text[])`;
    const bySku = new Map(rows.map((row) => [row.sku, row]));
    return unique.map((sku) => stockLevel(sku, bySku.get(sku)?.on_hand ?? 0, bySku.get(sku)?.reserved ?? 0));
  }

  /** A stock count: on hand becomes `onHand`, the ledger records the difference. */
  async set(sku: string, onHand: number, reason: string): Promise<StockLevel> {
    assertSku(sku);
    const why = cleanReason(reason);
    return this.prisma.$transaction(async (tx) => {
      const current = await this.lockOrCreate(tx, sku);
      const delta = deltaForSet(current, onHand);
      return this.move(tx, sku, 'set', delta, why);
    });
  }

  /** Stock counts for many SKUs in one transaction; all or none. Rows are locked in SKU order, as everywhere. */
  async setMany(items: Array<{ sku: string; onHand: number; reason: string }>): Promise<StockLevel[]> {
    if (items.length > MAX_SKUS_PER_QUERY) throw AppError.invalid(`set at most ${MAX_SKUS_PER_QUERY} SKUs at a time`);
    const wanted = new Map(items.map((item, index) => [assertSku(item.sku, `items[${index}].sku`), item]));
    if (wanted.size !== items.length) throw AppError.invalid('each SKU may appear once');
    const skus = [...wanted.keys()].sort();
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO stock_items (sku) SELECT unnest(${skus}::text[]) ON CONFLICT (sku) DO NOTHING`;
      const current = await lockStock(tx, skus);
      const movements = skus.map((sku) => {
        const item = wanted.get(sku)!;
        return { sku, kind: 'set' as const, onHandDelta: deltaForSet(current.get(sku)!, item.onHand), reservedDelta: 0, reason: cleanReason(item.reason), reference: '' };
      });
      const after = await recordMovements(tx, movements.filter((m) => m.onHandDelta !== 0));
      await writeOutbox(tx, levelsAfter(after, after.keys()).map((level) => createEvent('inventory.stock_changed', level.sku, level)));
      return skus.map((sku) => {
        const row = after.get(sku) ?? current.get(sku)!;
        return stockLevel(sku, row.onHand, row.reserved);
      });
    }, { timeout: 30_000 });
  }

  /** Goods in (positive) or out (negative: damaged, lost); what orders hold cannot be taken away. */
  async adjust(sku: string, delta: number, reason: string): Promise<StockLevel> {
    assertSku(sku);
    const why = cleanReason(reason);
    if (!Number.isInteger(delta) || delta === 0) throw AppError.invalid('delta must be a non-zero whole number');
    return this.prisma.$transaction(async (tx) => {
      const current = await this.lockOrCreate(tx, sku);
      assertAdjustment(current, delta);
      return this.move(tx, sku, 'adjust', delta, why);
    });
  }

  /** The ledger of one SKU, newest first. */
  async movements(sku: string, page: number, limit: number): Promise<MovementPage> {
    assertSku(sku);
    const { page: pageNumber, limit: size } = pageWindow({ page, limit }, { defaultLimit: DEFAULT_PAGE_SIZE });
    const [items, total] = await Promise.all([
      this.prisma.stockMovement.findMany({
        where: { sku },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: (pageNumber - 1) * size,
        take: size,
      }),
      this.prisma.stockMovement.count({ where: { sku } }),
    ]);
    return { items, total, page: pageNumber, limit: size };
  }

  /** Locks the SKU's row, creating an empty one first for a SKU never stocked. */
  private async lockOrCreate(tx: Tx, sku: string): Promise<StockRow> {
    await ensureStockRow(tx, sku);
    const row = (await lockStock(tx, [sku])).get(sku);
    if (!row) throw new Error(`stock row for ${sku} vanished`);
    return row;
  }

  private async move(tx: Tx, sku: string, kind: 'set' | 'adjust', delta: number, reason: string): Promise<StockLevel> {
    const after = await recordMovements(tx, [{ sku, kind, onHandDelta: delta, reservedDelta: 0, reason, reference: '' }]);
    const [level] = levelsAfter(after, [sku]);
    await writeOutbox(tx, [createEvent('inventory.stock_changed', sku, level!)]);
    return stockLevel(sku, level!.onHand, level!.reserved);
  }
}
