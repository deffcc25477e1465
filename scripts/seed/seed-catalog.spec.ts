import { status } from '@grpc/grpc-js';
import type { inventoryV1, productV1 } from '@shop/contracts';
import type { InventoryDownstream, ProductDownstream } from './clients';
import { demoCategories, demoProducts } from './demo-catalog';
import { demoStock, IMPORT_BATCH_SIZE, seedCatalog } from './seed-catalog';

const grpcError = (code: number, message: string) => Object.assign(new Error(message), { code });
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** The product service's contract as the seeder sees it: unique slugs and SKUs, imports all or nothing. */
class FakeProductService {
  readonly categories: productV1.Category[] = [];
  readonly products: productV1.ProductInput[] = [];
  readonly importSizes: number[] = [];
  maxImportsInFlight = 0;
  private inFlight = 0;

  async call(method: string, request: never): Promise<unknown> {
    if (method === 'createCategory') return this.createCategory(request);
    if (method === 'listCategories') return { items: [...this.categories] };
    if (method === 'importProducts') return this.importProducts(request);
    if (method === 'setCategoryTranslation' || method === 'setProductTranslation') return this.translate(method, request);
    throw new Error(`unexpected ${method}`);
  }

  readonly translations = new Map<string, { name: string }>();

  private translate(method: string, request: { id: string; locale: string; name: string }) {
    this.translations.set(`${method}:${request.id}:${request.locale}`, { name: request.name });
    return { locale: request.locale, name: request.name, description: '' };
  }

  private createCategory(request: productV1.CreateCategoryRequest): productV1.Category {
    if (this.categories.some((c) => c.slug === request.slug)) throw grpcError(status.ALREADY_EXISTS, 'slug taken');
    if (request.parentId && !this.categories.some((c) => c.id === request.parentId)) throw grpcError(status.INVALID_ARGUMENT, 'no parent');
    const category = { id: `cat-${this.categories.length}`, name: request.name, slug: request.slug!, parentId: request.parentId, path: [], createdAt: '' };
    this.categories.push(category);
    return category;
  }

  private async importProducts(request: productV1.ImportProductsRequest): Promise<productV1.ImportProductsResponse> {
    this.importSizes.push(request.products.length);
    this.inFlight += 1;
    this.maxImportsInFlight = Math.max(this.maxImportsInFlight, this.inFlight);
    await tick();
    this.inFlight -= 1;
    const taken = new Set(this.products.flatMap((p) => p.variants.map((v) => v.sku)));
    if (request.products.some((p) => p.variants.some((v) => taken.has(v.sku)))) throw grpcError(status.ALREADY_EXISTS, 'sku exists');
    const first = this.products.length;
    this.products.push(...request.products);
    return { ids: request.products.map((_, i) => `p-${first + i}`) };
  }
}

class FakeInventoryService {
  readonly onHand = new Map<string, number>();

  readonly batchSizes: number[] = [];

  async call(method: string, request: inventoryV1.SetStockRequest | inventoryV1.SetStockBatchRequest): Promise<unknown> {
    await tick();
    if (method === 'setStockBatch') {
      const { items } = request as inventoryV1.SetStockBatchRequest;
      this.batchSizes.push(items.length);
      for (const item of items) this.onHand.set(item.sku, item.onHand);
      return { levels: items.map((item) => ({ sku: item.sku, onHand: item.onHand, reserved: 0, available: item.onHand })) };
    }
    if (method !== 'setStock') throw new Error(`unexpected ${method}`);
    const single = request as inventoryV1.SetStockRequest;
    this.onHand.set(single.sku, single.onHand);
    return { sku: single.sku, onHand: single.onHand, reserved: 0, available: single.onHand };
  }
}

const asProduct = (fake: FakeProductService) => fake as unknown as ProductDownstream;
const asInventory = (fake: FakeInventoryService) => fake as unknown as InventoryDownstream;

describe('seedCatalog', () => {
  it('creates the tree parents first, imports in batches of 500 with at most two in flight, and sets stock per SKU', async () => {
    const product = new FakeProductService();
    const inventory = new FakeInventoryService();
    const report = await seedCatalog({ product: asProduct(product), inventory: asInventory(inventory), products: 1800 });

    expect(product.categories.map((c) => c.slug)).toEqual(demoCategories().map((c) => c.slug));
    const idBySlug = new Map(product.categories.map((c) => [c.slug, c.id]));
    for (const category of demoCategories()) {
      expect(product.categories.find((c) => c.slug === category.slug)!.parentId).toBe(category.parentKey && idBySlug.get(category.parentKey));
    }
    expect(product.importSizes).toEqual([IMPORT_BATCH_SIZE, IMPORT_BATCH_SIZE, IMPORT_BATCH_SIZE, 300]);
    expect(product.maxImportsInFlight).toBe(2);
    const ids = new Set(idBySlug.values());
    for (const input of product.products) for (const id of input.categoryIds) expect(ids.has(id)).toBe(true);

    const skus = [...demoProducts({ products: 1800 })].flatMap((p) => p.variants.map((v) => v.sku));
    expect(inventory.onHand.size).toBe(skus.length);
    expect(inventory.batchSizes.every((size) => size <= 500)).toBe(true);
    expect(inventory.batchSizes.reduce((a, b) => a + b, 0)).toBe(skus.length);
    expect(inventory.onHand.get(skus[0]!)).toBe(demoStock(skus[0]!));
    expect(report).toMatchObject({
      categories: { created: demoCategories().length, reused: 0 },
      products: { imported: 1800, skipped: 0 },
      variants: skus.length,
      stock: { set: skus.length, skipped: 0 },
    });
    expect(report.products.published + report.products.drafts).toBe(1800);
    expect(report.stock!.outOfStock).toBeGreaterThan(0);
    expect(report.stock!.outOfStock).toBe([...inventory.onHand.values()].filter((n) => n === 0).length);
  });

  it('names every category and a share of the products in French and German', async () => {
    const product = new FakeProductService();
    const report = await seedCatalog({ product: asProduct(product), products: 400 });
    expect(report.translations.categories).toBe(demoCategories().length * 2);
    expect(report.translations.products).toBeGreaterThan(40);
    expect(report.translations.products).toBeLessThan(400);
    const clothing = product.categories.find((c) => c.slug === demoCategories()[0]!.slug)!;
    expect(product.translations.get(`setCategoryTranslation:${clothing.id}:fr`)).toEqual({ name: 'Vêtements' });
    expect(product.translations.get(`setCategoryTranslation:${clothing.id}:de`)).toEqual({ name: 'Bekleidung' });
    const [key] = [...product.translations.keys()].filter((k) => k.startsWith('setProductTranslation:') && k.endsWith(':fr'));
    const index = Number(key!.split(':')[1]!.slice(2));
    const demo = [...demoProducts({ products: 400 })][index]!;
    expect(product.translations.get(key!)!.name).toMatch(new RegExp(`${demo.brand}$`));
  });

  it('creates nothing twice when run again, and finishes a catalogue an earlier run left half done', async () => {
    const product = new FakeProductService();
    await seedCatalog({ product: asProduct(product), products: 300 });
    const again = await seedCatalog({ product: asProduct(product), products: 800 });

    expect(again.categories).toEqual({ created: 0, reused: demoCategories().length });
    expect(again.products).toMatchObject({ imported: 500, skipped: 300 });
    expect(product.products).toHaveLength(800);
    expect(new Set(product.products.flatMap((p) => p.variants.map((v) => v.sku))).size).toBe(product.products.flatMap((p) => p.variants).length);
    expect(again.stock).toBeUndefined();
  });

  it('stops at an error it cannot explain', async () => {
    const product = new FakeProductService();
    jest.spyOn(product, 'call').mockRejectedValue(grpcError(status.UNAVAILABLE, 'down'));
    await expect(seedCatalog({ product: asProduct(product), products: 10 })).rejects.toThrow('down');
  });
});

describe('demoStock', () => {
  it('gives each SKU the same count every time, a few of them none', () => {
    const skus = [...demoProducts({ products: 2000 })].flatMap((p) => p.variants.map((v) => v.sku));
    const counts = skus.map(demoStock);
    expect(skus.map(demoStock)).toEqual(counts);
    const empty = counts.filter((n) => n === 0).length / counts.length;
    expect(empty).toBeGreaterThan(0.02);
    expect(empty).toBeLessThan(0.1);
    for (const count of counts) expect(Number.isInteger(count) && count >= 0 && count < 200).toBe(true);
  });
});
