// Loads the demo catalogue into a running platform over gRPC, straight to the product and inventory
// services: categories (parents first), products in batches through ImportProducts, then stock per
// SKU. Running it again on the same databases creates nothing twice.
import { status } from '@grpc/grpc-js';
import type { productV1 } from '@shop/contracts';
import type { InventoryDownstream, ProductDownstream } from './clients';
import { eachLimited, inBatches } from './concurrency';
import { DEFAULT_SEED, type DemoProduct, demoCategories, demoProducts } from './demo-catalog';
import { hashString } from './random';
import { categoryName, DEMO_LOCALES, productTranslation } from './translations';

export const IMPORT_BATCH_SIZE = 500;
// Each import is a long transaction on the product service; two keep it busy without queueing.
const IMPORTS_IN_FLIGHT = 2;
const STOCK_BATCH_SIZE = 500;
const STOCK_BATCHES_IN_FLIGHT = 2;
const STOCK_REASON = 'demo catalogue';
const TRANSLATIONS_IN_FLIGHT = 4;

export interface SeedOptions {
  product: ProductDownstream;
  /** Without it no stock is set. */
  inventory?: InventoryDownstream;
  products: number;
  seed?: number;
  /** On-hand count per SKU; `demoStock` unless given. */
  stockPerSku?: (sku: string) => number;
  log?: (message: string) => void;
}

export interface SeedReport {
  categories: { created: number; reused: number };
  /** `skipped` were there already (their SKUs exist); `published` and `drafts` count the whole catalogue. */
  products: { imported: number; skipped: number; published: number; drafts: number };
  variants: number;
  stock?: { set: number; outOfStock: number; skipped: number };
  /** French and German names set: every category's, and those of the imported products with a common noun. */
  translations: { categories: number; products: number };
  timings: { categoriesMs: number; productsMs: number; stockMs: number; totalMs: number };
}

/** Mostly 10 to 199 units, some nearly sold out, about one SKU in twenty out of stock; the same for a SKU on every run. */
export function demoStock(sku: string): number {
  const h = hashString(sku);
  const bucket = h % 100;
  if (bucket < 5) return 0;
  if (bucket < 15) return 1 + ((h >>> 8) % 5);
  return 10 + ((h >>> 8) % 190);
}

function grpcCode(error: unknown): number | undefined {
  return (error as { code?: number }).code;
}

/** Logs "products 20000/100000 (210/s)" every tenth of the way (at most every 5,000) and at the end. */
function progress(label: string, total: number, log: (message: string) => void): (done: number) => void {
  const started = performance.now();
  let reported = 0;
  return (done) => {
    if (done - reported < Math.min(5000, Math.max(1, total / 10)) && done < total) return;
    reported = done;
    log(`${label} ${done}/${total} (${Math.round(done / ((performance.now() - started) / 1000))}/s)`);
  };
}

export async function seedCatalog(options: SeedOptions): Promise<SeedReport> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();

  const { byKey: categoryIds, ...categoryCounts } = await createCategories(options.product);
  const translations = { categories: await translateCategories(options.product, categoryIds), products: 0 };
  const categoriesMs = performance.now() - started;

  const productsStarted = performance.now();
  const products = { imported: 0, skipped: 0, published: 0, drafts: 0 };
  const skus: string[] = [];
  const reportProducts = progress('products', options.products, log);
  const toInput = (product: DemoProduct): productV1.ProductInput => {
    const { categoryKeys, ...rest } = product;
    return { ...rest, categoryIds: categoryKeys.map((key) => categoryIds.get(key)!) };
  };
  const all = demoProducts({ products: options.products, seed: options.seed ?? DEFAULT_SEED });
  await eachLimited(inBatches(all, IMPORT_BATCH_SIZE), IMPORTS_IN_FLIGHT, async (batch) => {
    for (const product of batch) {
      products[product.status === 'published' ? 'published' : 'drafts'] += 1;
      for (const variant of product.variants) skus.push(variant.sku);
    }
    const outcome = await importBatch(options.product, batch.map(toInput));
    products.imported += outcome.imported;
    products.skipped += outcome.skipped;
    translations.products += await translateProducts(options.product, outcome.ids.map((id, i) => [batch[i]!, id] as const).filter(([, id]) => id !== undefined) as Array<readonly [DemoProduct, string]>);
    reportProducts(products.imported + products.skipped);
  });
  const productsMs = performance.now() - productsStarted;

  const stockStarted = performance.now();
  let stock: SeedReport['stock'];
  if (options.inventory) stock = await setStock(options.inventory, skus, options.stockPerSku ?? demoStock, log);
  const stockMs = performance.now() - stockStarted;

  return {
    categories: categoryCounts,
    products,
    variants: skus.length,
    stock,
    translations,
    timings: { categoriesMs, productsMs, stockMs, totalMs: performance.now() - started },
  };
}

/** One at a time, parents first. A slug that exists already (an earlier seed) is looked up and reused. */
async function createCategories(product: ProductDownstream): Promise<{ byKey: Map<string, string>; created: number; reused: number }> {
  const byKey = new Map<string, string>();
  let existing: Map<string, string> | undefined;
  let created = 0;
  let reused = 0;
  for (const category of demoCategories()) {
    const parentId = category.parentKey ? byKey.get(category.parentKey) : undefined;
    try {
      const made = await product.call('createCategory', { name: category.name, slug: category.slug, parentId });
      byKey.set(category.key, made.id);
      created += 1;
    } catch (error) {
      if (grpcCode(error) !== status.ALREADY_EXISTS) throw error;
      existing ??= new Map((await product.call('listCategories', {})).items.map((c) => [c.slug, c.id]));
      const id = existing.get(category.slug);
      if (!id) throw error;
      byKey.set(category.key, id);
      reused += 1;
    }
  }
  return { byKey, created, reused };
}

/**
 * Imports a batch in one call. If some SKUs exist (the catalogue was seeded before, perhaps only
 * in part), the batch is refused whole, so it is retried product by product, skipping those there.
 */
async function importBatch(product: ProductDownstream, inputs: productV1.ProductInput[]): Promise<{ imported: number; skipped: number; ids: Array<string | undefined> }> {
  try {
    const { ids } = await product.call('importProducts', { products: inputs });
    return { imported: inputs.length, skipped: 0, ids };
  } catch (error) {
    if (grpcCode(error) !== status.ALREADY_EXISTS) throw error;
  }
  let imported = 0;
  let skipped = 0;
  const ids: Array<string | undefined> = [];
  for (const input of inputs) {
    try {
      ids.push((await product.call('importProducts', { products: [input] })).ids[0]);
      imported += 1;
    } catch (error) {
      if (grpcCode(error) !== status.ALREADY_EXISTS) throw error;
      ids.push(undefined);
      skipped += 1;
    }
  }
  return { imported, skipped, ids };
}

/** Every category's French and German name (setting one again changes nothing). */
async function translateCategories(product: ProductDownstream, categoryIds: Map<string, string>): Promise<number> {
  let set = 0;
  const work = demoCategories().flatMap((category) =>
    DEMO_LOCALES.map((locale) => ({ id: categoryIds.get(category.key)!, locale, name: categoryName(category.name, locale) })).filter((item) => item.name),
  );
  await eachLimited(work, TRANSLATIONS_IN_FLIGHT, async ({ id, locale, name }) => {
    await product.call('setCategoryTranslation', { id, locale, name: name! });
    set += 1;
  });
  return set;
}

/** French and German names of the products with a common noun (about one in five). */
async function translateProducts(product: ProductDownstream, imported: Array<readonly [DemoProduct, string]>): Promise<number> {
  let set = 0;
  const work = imported.flatMap(([demo, id]) => DEMO_LOCALES.map((locale) => ({ id, locale, text: productTranslation(demo, locale) })).filter((item) => item.text));
  await eachLimited(work, TRANSLATIONS_IN_FLIGHT, async ({ id, locale, text }) => {
    await product.call('setProductTranslation', { id, locale, ...text! });
    set += 1;
  });
  return set;
}

/**
 * Absolute counts, so running it twice changes nothing, in batches of one transaction each. A batch
 * refused because some SKU has more units reserved than its new count is set one SKU at a time,
 * leaving those SKUs alone.
 */
async function setStock(
  inventory: InventoryDownstream,
  skus: string[],
  stockPerSku: (sku: string) => number,
  log: (message: string) => void,
): Promise<NonNullable<SeedReport['stock']>> {
  const counts = { set: 0, outOfStock: 0, skipped: 0 };
  const reportStock = progress('stock', skus.length, log);
  const setOne = async (sku: string, onHand: number) => {
    try {
      await inventory.call('setStock', { sku, onHand, reason: STOCK_REASON });
      counts.set += 1;
      if (onHand === 0) counts.outOfStock += 1;
    } catch (error) {
      if (grpcCode(error) !== status.FAILED_PRECONDITION) throw error;
      counts.skipped += 1;
    }
  };
  await eachLimited(inBatches(skus, STOCK_BATCH_SIZE), STOCK_BATCHES_IN_FLIGHT, async (batch) => {
    const items = batch.map((sku) => ({ sku, onHand: stockPerSku(sku), reason: STOCK_REASON }));
    try {
      await inventory.call('setStockBatch', { items });
      counts.set += items.length;
      counts.outOfStock += items.filter((item) => item.onHand === 0).length;
    } catch (error) {
      if (grpcCode(error) !== status.FAILED_PRECONDITION) throw error;
      for (const item of items) await setOne(item.sku, item.onHand);
    }
    reportStock(counts.set + counts.skipped);
  });
  return counts;
}
