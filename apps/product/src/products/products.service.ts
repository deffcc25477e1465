import { Inject, Injectable } from '@nestjs/common';
import { createEvent, type ProductSnapshotV1 } from '@shop/contracts';
import { AppError } from '@shop/errors';
import { writeOutbox } from '@shop/messaging';
import type { SqlDatabase } from '@shop/persistence';
import { SQL_DATABASE } from '@shop/service-kit';
import { randomUUID } from 'node:crypto';
import { ProductCache } from '../cache/product-cache';
import { isUniqueViolation, PRISMA, type PrismaClient, type Tx } from '../prisma';
import { type ProductFields, validateProduct, type ValidProduct } from './product-input';
import type { Locale } from '../i18n/locales';
import { PRODUCT_WITH_DETAILS, type ProductWithDetails, toSnapshot } from './product-snapshot';
import { isUuid } from '@shop/validation';

export interface ProductChanges extends Partial<ProductFields> {
  version: number;
}

const IMPORT_BATCH = 200;

/**
 * Products with their variants. Every change bumps the version (a stale version is refused, never
 * silently overwritten) and writes its product.* event to the outbox in the same transaction.
 */
@Injectable()
export class ProductsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly cache: ProductCache,
  ) {}

  async create(input: ProductFields): Promise<ProductSnapshotV1> {
    const product = validateProduct(input);
    return this.withUniqueSkus(() => this.prisma.$transaction((tx) => this.insert(tx, product)));
  }

  /**
   * Many products in few transactions, for demo data and imports: each batch is a handful of
   * set-based statements (its categories checked once, products, categories, variants, outbox),
   * not a round of statements per product.
   */
  async import(inputs: ProductFields[]): Promise<string[]> {
    const products = inputs.map(validateProduct);
    const ids: string[] = [];
    for (let start = 0; start < products.length; start += IMPORT_BATCH) {
      const batch = products.slice(start, start + IMPORT_BATCH);
      const created = await this.withUniqueSkus(() => this.prisma.$transaction((tx) => this.insertMany(tx, batch), { timeout: 60_000 }));
      ids.push(...created.map((p) => p.id));
    }
    return ids;
  }

  async update(id: string, changes: ProductChanges): Promise<ProductSnapshotV1> {
    const current = await this.load(id, true);
    const merged = validateProduct({
      name: changes.name ?? current.name,
      description: changes.description ?? current.description,
      brand: changes.brand ?? current.brand,
      categoryIds: changes.categoryIds ?? current.categoryIds,
      attributes: changes.attributes ?? current.attributes,
      images: changes.images ?? current.images,
      status: changes.status ?? current.status,
      variants: changes.variants ?? current.variants,
    });
    const snapshot = await this.withUniqueSkus(() =>
      this.prisma.$transaction(async (tx) => {
        // Compare-and-set on the version: of two admins who read version 3, only the first write wins.
        const bumped = await tx.product.updateMany({
          where: { id, version: changes.version, deletedAt: null },
          data: {
            name: merged.name,
            description: merged.description,
            brand: merged.brand,
            attributes: merged.attributes,
            images: merged.images,
            status: merged.status,
            version: { increment: 1 },
          },
        });
        if (bumped.count === 0) throw new AppError('conflict', `product was changed since version ${changes.version}; read it again`);
        await this.assertCategoriesExist(tx, merged.categoryIds);
        if (changes.categoryIds) {
          await tx.productCategory.deleteMany({ where: { productId: id } });
          await tx.productCategory.createMany({ data: merged.categoryIds.map((categoryId) => ({ productId: id, categoryId })) });
        }
        if (changes.variants) {
          await tx.variant.deleteMany({ where: { productId: id } });
          await tx.variant.createMany({ data: merged.variants.map((v, position) => ({ id: randomUUID(), productId: id, position, ...v })) });
        }
        const saved = toSnapshot(await tx.product.findUniqueOrThrow({ where: { id }, include: PRODUCT_WITH_DETAILS }));
        await writeOutbox(tx, [createEvent('product.updated', id, { product: saved })]);
        return saved;
      }),
    );
    await this.cache.invalidate(id);
    return snapshot;
  }

  /**
   * A product's name and description in another locale. It is a change of the product: its version
   * goes up and product.updated (carrying every translation) goes out, so the search index, the detail
   * cache and the gateways' copies follow.
   */
  async setTranslation(id: string, locale: Locale, input: { name: string; description: string }): Promise<{ locale: string; name: string; description: string }> {
    const name = input.name.trim();
    const description = input.description.trim();
    if (!name || [...name].length > 200) throw AppError.invalid('name must be 1 to 200 characters');
    if ([...description].length > 10_000) throw AppError.invalid('description must be at most 10000 characters');
    if (!isUuid(id)) throw AppError.notFound('product not found');
    await this.prisma.$transaction(async (tx) => {
      const bumped = await tx.product.updateMany({ where: { id, deletedAt: null }, data: { version: { increment: 1 } } });
      if (bumped.count === 0) throw AppError.notFound('product not found');
      await tx.productTranslation.upsert({ where: { productId_locale: { productId: id, locale } }, create: { productId: id, locale, name, description }, update: { name, description } });
      const saved = toSnapshot(await tx.product.findUniqueOrThrow({ where: { id }, include: PRODUCT_WITH_DETAILS }));
      await writeOutbox(tx, [createEvent('product.updated', id, { product: saved })]);
    });
    await this.cache.invalidate(id);
    return { locale, name, description };
  }

  /** Soft delete: the row stays for orders and history, the product leaves the shop and the index. */
  async remove(id: string, expectedVersion?: number): Promise<void> {
    const current = await this.load(id, true);
    await this.prisma.$transaction(async (tx) => {
      const removed = await tx.product.updateMany({
        where: { id, deletedAt: null, ...(expectedVersion === undefined ? {} : { version: expectedVersion }) },
        data: { deletedAt: new Date(), version: { increment: 1 } },
      });
      if (removed.count === 0) throw new AppError('conflict', `product was changed since version ${expectedVersion}; read it again`);
      await writeOutbox(tx, [createEvent('product.deleted', id, { productId: id, version: current.version + 1 })]);
    });
    await this.cache.invalidate(id);
  }

  /** Published products come through the cache; drafts only with includeDrafts (admins), never cached. */
  async get(id: string, includeDrafts = false): Promise<ProductSnapshotV1> {
    if (includeDrafts) return this.load(id, true);
    const cached = await this.cache.getOrLoad(id, async () => {
      const product = await this.load(id, false).catch((error: unknown) => {
        if (error instanceof AppError && error.kind === 'not_found') return null;
        throw error;
      });
      return product;
    });
    if (!cached) throw AppError.notFound('product not found');
    return cached;
  }

  /** Current name and price of each SKU, for carts; unknown SKUs are left out. */
  /** Prices and whether each SKU may be bought, for carts and checkouts: every cart change asks, so it is one plain statement. */
  async variantsBySku(skus: string[]) {
    if (skus.length > 500) throw AppError.invalid('ask for at most 500 SKUs at a time');
    const rows = await this.db.$queryRaw<
      Array<{ sku: string; product_id: string; name: string; status: string; deleted: boolean; price_amount: number; currency: string; attributes: Record<string, string> }>
    >`
      SELECT v.sku, p.id::text AS product_id, p.name, p.status, p.deleted_at IS NOT NULL AS deleted, v.price_amount, v.currency, v.attributes
        FROM variants v JOIN products p ON p.id = v.product_id
       WHERE v.sku = ANY(${[...new Set(skus)]}::text[])`;
    return rows.map((row) => ({
      sku: row.sku,
      productId: row.product_id,
      productName: row.name,
      price: { amount: row.price_amount, currency: row.currency },
      attributes: row.attributes,
      purchasable: row.status === 'published' && !row.deleted,
    }));
  }

  async list(page: number, limit: number, status?: string): Promise<{ items: ProductSnapshotV1[]; total: number }> {
    if (status && status !== 'draft' && status !== 'published') throw AppError.invalid('status must be "draft" or "published"');
    const where = { deletedAt: null, ...(status ? { status } : {}) };
    const [rows, total] = await Promise.all([
      this.prisma.product.findMany({ where, include: PRODUCT_WITH_DETAILS, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip: (page - 1) * limit, take: limit }),
      this.prisma.product.count({ where }),
    ]);
    return { items: rows.map(toSnapshot), total };
  }

  private async load(id: string, includeDrafts: boolean): Promise<ProductSnapshotV1> {
    const product = isUuid(id)
      ? await this.prisma.product.findFirst({ where: { id, deletedAt: null, ...(includeDrafts ? {} : { status: 'published' }) }, include: PRODUCT_WITH_DETAILS })
      : null;
    if (!product) throw AppError.notFound('product not found');
    return toSnapshot(product);
  }

  private async insert(tx: Tx, product: ValidProduct): Promise<ProductSnapshotV1> {
    await this.assertCategoriesExist(tx, product.categoryIds);
    const id = randomUUID();
    const created = await tx.product.create({
      data: {
        id,
        name: product.name,
        description: product.description,
        brand: product.brand,
        attributes: product.attributes,
        images: product.images,
        status: product.status,
        categories: { create: product.categoryIds.map((categoryId) => ({ categoryId })) },
        variants: { create: product.variants.map((v, position) => ({ id: randomUUID(), position, ...v })) },
      },
      include: PRODUCT_WITH_DETAILS,
    });
    const snapshot = toSnapshot(created);
    await writeOutbox(tx, [createEvent('product.created', id, { product: snapshot })]);
    return snapshot;
  }

  /** Writes several new products and their product.created events in one transaction; answers them as written. */
  private async insertMany(tx: Tx, products: ValidProduct[]): Promise<ProductSnapshotV1[]> {
    await this.assertCategoriesExist(tx, [...new Set(products.flatMap((product) => product.categoryIds))]);
    // One timestamp for the batch, given rather than defaulted, so the snapshots need no read back.
    const now = new Date();
    const written = products.map((product) => {
      const id = randomUUID();
      const { categoryIds, variants, ...fields } = product;
      return { product: { id, ...fields, version: 1, createdAt: now, updatedAt: now }, categoryIds, variants: variants.map((variant, position) => ({ id: randomUUID(), productId: id, position, ...variant })) };
    });
    await tx.product.createMany({ data: written.map((row) => row.product) });
    await tx.productCategory.createMany({ data: written.flatMap((row) => row.categoryIds.map((categoryId) => ({ productId: row.product.id, categoryId }))) });
    await tx.variant.createMany({ data: written.flatMap((row) => row.variants) });
    const rows: ProductWithDetails[] = written.map((row) => ({
      ...row.product,
      deletedAt: null,
      ratingAverage: 0,
      ratingCount: 0,
      ratingVersion: -1n,
      categories: row.categoryIds.map((categoryId) => ({ categoryId })),
      variants: row.variants,
      translations: [],
    }));
    const snapshots = rows.map(toSnapshot);
    await writeOutbox(
      tx,
      snapshots.map((snapshot) => createEvent('product.created', snapshot.id, { product: snapshot })),
    );
    return snapshots;
  }

  private async assertCategoriesExist(tx: Tx, categoryIds: string[]): Promise<void> {
    if (categoryIds.length === 0) return;
    const found = await tx.category.count({ where: { id: { in: categoryIds } } });
    if (found !== categoryIds.length) throw AppError.notFound('categoryIds names an unknown category');
  }

  private async withUniqueSkus<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('already_exists', 'a variant with this sku already exists');
      throw error;
    }
  }
}
