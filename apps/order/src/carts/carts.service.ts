import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@shop/errors';
import type { SqlClient, SqlDatabase } from '@shop/persistence';
import { SQL_DATABASE } from '@shop/service-kit';
import { randomUUID } from 'node:crypto';
import { INVENTORY_CLIENT, type InventoryClient, PRODUCT_CLIENT, type ProductClient } from '../downstreams';
import { assertUserId } from '../orders/checkout-request';
import { PRISMA, type PrismaClient } from '../prisma';
import {
  addedQuantity,
  assertQuantity,
  assertSameCurrency,
  assertSku,
  type CartLine,
  MAX_CART_LINES,
  type Money,
  type PricedCartLine,
  priceCart,
  type VariantPrice,
} from './cart-rules';
import { isUuid } from '@shop/validation';

export interface AbandonedCart {
  userId: string;
  /** When its oldest line was added. */
  startedAt: Date;
  lastChangedAt: Date;
  lines: number;
}

export interface PricedCart {
  items: PricedCartLine[];
  total: Money;
}



/**
 * One cart per user. It keeps SKUs and quantities only: names, prices and availability are read
 * from product and inventory every time the cart is shown, so it never shows yesterday's price.
 */
@Injectable()
export class CartsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(PRODUCT_CLIENT) private readonly product: ProductClient,
    @Inject(INVENTORY_CLIENT) private readonly inventory: InventoryClient,
  ) {}

  async get(userId: string): Promise<PricedCart> {
    return this.priced(await this.lines(assertUserId(userId)));
  }

  /** The lines with fresh prices and availability; `variants` when the caller has just read them. */
  private async priced(lines: CartLine[], variants?: Map<string, VariantPrice>): Promise<PricedCart> {
    if (lines.length === 0) return { items: [], total: { amount: 0, currency: '' } };
    const skus = lines.map((line) => line.sku);
    const [prices, stock] = await Promise.all([variants ?? this.variants(skus), this.inventory.call('getStock', { skus })]);
    return priceCart(lines, prices, new Map(stock.levels.map((level) => [level.sku, level.available])));
  }

  /** Adds units of a SKU, to its line if the cart has one. Only buyable SKUs in the cart's currency. */
  async add(userId: string, skuIn: string, quantity: number): Promise<PricedCart> {
    assertUserId(userId);
    const sku = assertSku(skuIn);
    assertQuantity(quantity);
    const before = await this.lines(userId);
    const variants = await this.variants([...new Set([sku, ...before.map((line) => line.sku)])]);
    const variant = variants.get(sku);
    if (!variant) throw AppError.notFound(`unknown SKU: ${sku}`);
    if (!variant.purchasable) throw new AppError('failed_precondition', `${sku} cannot be bought`);
    const after = await this.db.$transaction(async (tx): Promise<CartLine[]> => {
      // Creating or touching the cart row locks it: changes to one cart (and its checkout) queue here.
      await tx.$executeRaw`INSERT INTO carts (user_id) VALUES (${userId}) ON CONFLICT (user_id) DO UPDATE SET updated_at = now()`;
      const items = await cartLines(tx, userId);
      const others = items.filter((item) => item.sku !== sku);
      assertSameCurrency(
        others.map((item) => variants.get(item.sku)).filter((v): v is VariantPrice => Boolean(v?.purchasable)).map((v) => v.price.currency),
        variant.price,
      );
      const line = items.find((item) => item.sku === sku);
      if (line) {
        line.quantity = addedQuantity(line.quantity, quantity);
        await tx.$executeRaw`UPDATE cart_items SET quantity = ${line.quantity}, updated_at = now() WHERE id = ${line.id}::uuid`;
        return items;
      }
      if (items.length >= MAX_CART_LINES) throw new AppError('failed_precondition', `a cart holds at most ${MAX_CART_LINES} different SKUs`);
      const added = { id: randomUUID(), sku, quantity };
      await tx.$executeRaw`INSERT INTO cart_items (id, user_id, sku, quantity) VALUES (${added.id}::uuid, ${userId}, ${sku}, ${quantity})`;
      return [...items, added];
    });
    // The prices were read a moment ago, for every SKU the cart held then.
    return this.priced(after, after.every((line) => variants.has(line.sku)) ? variants : undefined);
  }

  async update(userId: string, itemId: string, quantity: number): Promise<PricedCart> {
    assertUserId(userId);
    assertQuantity(quantity);
    const { count } = isUuid(itemId) ? await this.prisma.cartItem.updateMany({ where: { id: itemId, userId }, data: { quantity } }) : { count: 0 };
    if (count === 0) throw AppError.notFound('no such item in the cart');
    return this.get(userId);
  }

  async remove(userId: string, itemId: string): Promise<PricedCart> {
    assertUserId(userId);
    const { count } = isUuid(itemId) ? await this.prisma.cartItem.deleteMany({ where: { id: itemId, userId } }) : { count: 0 };
    if (count === 0) throw AppError.notFound('no such item in the cart');
    return this.get(userId);
  }

  /**
   * Carts with lines that nobody changed for `idleSeconds`, by user id after `afterUserId` (a page
   * of at most `limit`). Placing an order empties the cart, so these are carts no order came from.
   */
  async abandoned(idleSeconds: number, afterUserId: string, limit: number): Promise<AbandonedCart[]> {
    if (!Number.isInteger(idleSeconds) || idleSeconds < 1) throw AppError.invalid('idle_seconds must be at least 1');
    const take = Math.min(Math.max(limit || 100, 1), 500);
    const rows = await this.prisma.$queryRaw<Array<{ user_id: string; started_at: Date; last_changed_at: Date; lines: number }>>`
      SELECT i.user_id, min(i.created_at) AS started_at, greatest(max(i.updated_at), c.updated_at) AS last_changed_at, count(*)::int AS lines
        FROM cart_items i JOIN carts c ON c.user_id = i.user_id
       WHERE i.user_id > ${afterUserId}
       GROUP BY i.user_id, c.updated_at
      HAVING greatest(max(i.updated_at), c.updated_at) < now() - ${idleSeconds}::int * interval '1 second'
       ORDER BY i.user_id
       LIMIT ${take}`;
    return rows.map((row) => ({ userId: row.user_id, startedAt: row.started_at, lastChangedAt: row.last_changed_at, lines: row.lines }));
  }

  /** The catalogue's view of these SKUs now; unknown SKUs are absent from the map. */
  async variants(skus: string[]): Promise<Map<string, VariantPrice>> {
    if (skus.length === 0) return new Map();
    const { items } = await this.product.call('getVariantsBySku', { skus });
    return new Map(
      items.map((item) => [
        item.sku,
        {
          sku: item.sku,
          productId: item.productId,
          productName: item.productName,
          price: { amount: item.price?.amount ?? 0, currency: item.price?.currency ?? '' },
          purchasable: item.purchasable,
        },
      ]),
    );
  }

  private lines(userId: string): Promise<CartLine[]> {
    return cartLines(this.db, userId);
  }
}

/** A cart's lines in the order they were added. */
function cartLines(db: SqlClient, userId: string): Promise<CartLine[]> {
  return db.$queryRaw<CartLine[]>`SELECT id::text AS id, sku, quantity FROM cart_items WHERE user_id = ${userId} ORDER BY created_at, sku`;
}
