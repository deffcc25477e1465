import { createEvent } from '@shop/contracts';
import type { InboundMessage } from '@shop/messaging';
import type { Category, PrismaClient } from '../prisma';
import { CategoryCache, findCategory, indexCategories } from './category-cache';

const category = (id: string, slug: string): Category => ({ id, slug, name: slug, parentId: null, path: [id], createdAt: new Date(0), updatedAt: new Date(0) });
const MUGS = category('0b7c3f2e-9a41-4d1e-8c55-2f6a1b3c4d5e', 'mugs');
const SHOES = category('7e2d9c1a-3b4f-4a6e-9d8c-1f2e3a4b5c6d', 'shoes');

/** A Prisma client whose category.findMany answers `trees` in turn (an Error rejects). */
function prismaAnswering(...trees: Array<Category[] | Error>): { prisma: PrismaClient; loads: () => number } {
  let loads = 0;
  const findMany = async () => {
    const tree = trees[Math.min(loads, trees.length - 1)]!;
    loads += 1;
    if (tree instanceof Error) throw tree;
    return tree;
  };
  return { prisma: { category: { findMany } } as unknown as PrismaClient, loads: () => loads };
}

describe('findCategory', () => {
  const index = indexCategories([MUGS, SHOES]);

  it('finds by id in any case, as Postgres compares uuids, and by slug in any case', () => {
    expect(findCategory(index, MUGS.id)).toBe(MUGS);
    expect(findCategory(index, MUGS.id.toUpperCase())).toBe(MUGS);
    expect(findCategory(index, 'Shoes')).toBe(SHOES);
  });

  it('finds nothing for an unknown id or slug, and never a slug by an id-shaped key', () => {
    expect(findCategory(index, 'hats')).toBeUndefined();
    expect(findCategory(index, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });
});

describe('CategoryCache', () => {
  it('loads the tree once for many lookups, and again after an invalidation', async () => {
    const { prisma, loads } = prismaAnswering([MUGS], [MUGS, SHOES]);
    const cache = new CategoryCache(prisma);
    await Promise.all([cache.resolve('mugs'), cache.resolve('mugs'), cache.resolve(MUGS.id)]);
    expect(await cache.resolve('shoes')).toBeUndefined();
    expect(loads()).toBe(1);
    cache.invalidate();
    expect(await cache.resolve('shoes')).toBe(SHOES);
    expect(loads()).toBe(2);
  });

  it('drops its copy on category.changed', async () => {
    const { prisma, loads } = prismaAnswering([MUGS]);
    const cache = new CategoryCache(prisma);
    await cache.resolve('mugs');
    const changed = createEvent('category.changed', SHOES.id, { categoryId: SHOES.id, change: 'created' });
    await cache.consumer().dispatch(changed, {} as InboundMessage);
    await cache.resolve('mugs');
    expect(loads()).toBe(2);
  });

  it('keeps no failed load: the next lookup tries again', async () => {
    const { prisma } = prismaAnswering(new Error('database down'), [MUGS]);
    const cache = new CategoryCache(prisma);
    await expect(cache.resolve('mugs')).rejects.toThrow('database down');
    expect(await cache.resolve('mugs')).toBe(MUGS);
  });
});
