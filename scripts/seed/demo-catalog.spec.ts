import { validateProduct } from '../../apps/product/src/products/product-input';
import { CURRENCY, DEFAULT_PRODUCTS, demoCategories, type DemoProduct, demoProducts, generateCatalog } from './demo-catalog';

describe('the demo catalogue', () => {
  const catalog = generateCatalog();
  const byKey = new Map(catalog.categories.map((category) => [category.key, category]));
  const depthOf = (key: string): number => {
    const parent = byKey.get(key)!.parentKey;
    return parent ? depthOf(parent) + 1 : 1;
  };

  it('is the same on every run, and another seed gives another catalogue', () => {
    expect(JSON.stringify(generateCatalog())).toBe(JSON.stringify(catalog));
    const other = generateCatalog({ seed: 7 });
    expect(other.categories).toEqual(catalog.categories);
    expect(JSON.stringify(other.products)).not.toBe(JSON.stringify(catalog.products));
  });

  it('makes product i the same whatever the count, so a small catalogue is the start of a large one', () => {
    expect(generateCatalog({ products: 50 }).products).toEqual(catalog.products.slice(0, 50));
  });

  it('has 2,000 products unless told otherwise', () => {
    expect(catalog.products).toHaveLength(DEFAULT_PRODUCTS);
    expect(DEFAULT_PRODUCTS).toBe(2000);
    expect(generateCatalog({ products: 3 }).products).toHaveLength(3);
  });

  it('has a tree of at least 60 categories, three levels deep, parents listed before their children', () => {
    const { categories } = catalog;
    expect(categories.length).toBeGreaterThanOrEqual(60);
    const roots = categories.filter((c) => !c.parentKey);
    expect(roots.length).toBeGreaterThanOrEqual(8);
    for (const root of roots) {
      const children = categories.filter((c) => c.parentKey === root.key);
      expect(children.length).toBeGreaterThanOrEqual(3);
      expect(children.length).toBeLessThanOrEqual(6);
    }
    expect(categories.filter((c) => depthOf(c.key) === 3).length).toBeGreaterThanOrEqual(10);
    categories.forEach((category, index) => {
      if (category.parentKey) expect(categories.findIndex((c) => c.key === category.parentKey)).toBeLessThan(index);
    });
  });

  it('gives every category a unique slug the product service accepts', () => {
    const slugs = catalog.categories.map((c) => c.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it('puts products only in categories that exist, some in two', () => {
    for (const product of catalog.products) for (const key of product.categoryKeys) expect(byKey.has(key)).toBe(true);
    const inTwo = catalog.products.filter((p) => p.categoryKeys.length === 2).length;
    expect(inTwo).toBeGreaterThan(20);
  });

  it('uses every category with products somewhere below it', () => {
    const used = new Set(catalog.products.flatMap((p) => p.categoryKeys));
    const leaves = catalog.categories.filter((c) => !catalog.categories.some((child) => child.parentKey === c.key));
    for (const leaf of leaves) expect(used.has(leaf.key)).toBe(true);
  });

  it('has unique SKUs and whole, non-negative EUR prices from 5 to 900 euros', () => {
    const variants = catalog.products.flatMap((p) => p.variants);
    expect(new Set(variants.map((v) => v.sku)).size).toBe(variants.length);
    for (const { price } of variants) {
      expect(Number.isInteger(price.amount)).toBe(true);
      expect(price.amount).toBeGreaterThanOrEqual(5_00);
      expect(price.amount).toBeLessThanOrEqual(900_00);
      expect(price.currency).toBe(CURRENCY);
    }
    const amounts = variants.map((v) => v.price.amount);
    expect(amounts.some((a) => a < 10_00)).toBe(true);
    expect(amounts.some((a) => a > 500_00)).toBe(true);
  });

  it('has one to six variants per product and an image per SKU shown', () => {
    for (const product of catalog.products) {
      expect(product.variants.length).toBeGreaterThanOrEqual(1);
      expect(product.variants.length).toBeLessThanOrEqual(6);
      expect(product.images[0]).toBe(`https://images.shop.example/p/${product.variants[0]!.sku}.jpg`);
    }
    const counts = new Set(catalog.products.map((p) => p.variants.length));
    expect([...counts].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps about one product in ten as a draft', () => {
    const drafts = catalog.products.filter((p) => p.status === 'draft').length / catalog.products.length;
    expect(drafts).toBeGreaterThan(0.07);
    expect(drafts).toBeLessThan(0.13);
  });

  it('writes one to three filled-in sentences per description', () => {
    for (const { description } of catalog.products) {
      expect(description).not.toMatch(/[{}]/);
      const sentences = description.split(/(?<=[.!?])\s+/);
      expect(sentences.length).toBeGreaterThanOrEqual(1);
      expect(sentences.length).toBeLessThanOrEqual(3);
      expect(description).toMatch(/^\p{Lu}/u);
    }
  });

  it('has names with diacritics, so accent folding in search matters', () => {
    const names = catalog.products.map((p) => p.name);
    expect(names.some((n) => n.includes('Café'))).toBe(true);
    expect(names.some((n) => n.includes('Crème'))).toBe(true);
    expect(names.filter((n) => n.normalize('NFD') !== n).length).toBeGreaterThan(20);
  });

  it('passes the product service’s own input rules', () => {
    // Any UUID stands in for the category ids the service would have assigned.
    const fakeId = (key: string) => `00000000-0000-4000-8000-${String(catalog.categories.findIndex((c) => c.key === key)).padStart(12, '0')}`;
    const toInput = (p: DemoProduct) => ({ ...p, categoryIds: p.categoryKeys.map(fakeId) });
    for (const product of catalog.products) expect(() => validateProduct(toInput(product))).not.toThrow();
  });

  it('makes 100,000 products within seconds', () => {
    const started = performance.now();
    const skus = new Set<string>();
    let variants = 0;
    for (const product of demoProducts({ products: 100_000 })) {
      for (const variant of product.variants) skus.add(variant.sku);
      variants += product.variants.length;
    }
    const seconds = (performance.now() - started) / 1000;
    expect(skus.size).toBe(variants);
    // A sanity bound for slow CI machines, not a benchmark: it takes about a second here.
    expect(seconds).toBeLessThan(20);
  });

  it('hands out copies of the categories, so a caller cannot change the next catalogue', () => {
    demoCategories()[0]!.name = 'Changed';
    expect(demoCategories()[0]!.name).toBe('Clothing');
  });
});
