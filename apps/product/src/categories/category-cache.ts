import { Inject, Injectable } from '@nestjs/common';
import { EventConsumer, type EventConsumerProvider } from '@shop/messaging';
import { type Category, PRISMA, type PrismaClient } from '../prisma';
import { isUuid } from '@shop/validation';

export const CATEGORY_CACHE_CONSUMER = 'product-service.category-cache';

/**
 * A safety net only: category.changed drops the copy at once. It bounds what a replica could miss,
 * e.g. a change committed while its broadcast consumer was still joining (it starts at the end).
 */
export const CATEGORY_CACHE_MAX_AGE_MS = 60_000;

/** The whole tree, looked up by id and by (lower-case) slug. */
export interface CategoryIndex {
  byId: ReadonlyMap<string, Category>;
  bySlug: ReadonlyMap<string, Category>;
}

export function indexCategories(categories: Category[]): CategoryIndex {
  return {
    byId: new Map(categories.map((category) => [category.id, category])),
    bySlug: new Map(categories.map((category) => [category.slug, category])),
  };
}

/** A category by id (any case, as Postgres compares uuids) or slug (stored lower-case); undefined when there is none. */
export function findCategory(index: CategoryIndex, idOrSlug: string): Category | undefined {
  return isUuid(idOrSlug) ? index.byId.get(idOrSlug.toLowerCase()) : index.bySlug.get(idOrSlug.toLowerCase());
}

/**
 * The category tree in memory, for the lookup every search by category makes (a Postgres round
 * trip per search was about a tenth of this service's CPU). Every replica hears category.changed
 * (a broadcast consumer) and drops its copy; this process's own category writes drop it right
 * after their commit, so it reads its own writes without waiting for the event.
 */
@Injectable()
export class CategoryCache implements EventConsumerProvider {
  private copy?: { index: Promise<CategoryIndex>; loadedAt: number };

  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  consumer(): EventConsumer {
    return new EventConsumer(CATEGORY_CACHE_CONSUMER, { broadcast: true }).on('category.changed', async () => this.invalidate());
  }

  async resolve(idOrSlug: string): Promise<Category | undefined> {
    return findCategory(await this.current(), idOrSlug);
  }

  /**
   * Forgets the copy. A load already under way is left to the callers that started it (they asked
   * before the change); the next caller loads again.
   */
  invalidate(): void {
    this.copy = undefined;
  }

  private current(): Promise<CategoryIndex> {
    if (this.copy && Date.now() - this.copy.loadedAt < CATEGORY_CACHE_MAX_AGE_MS) return this.copy.index;
    const copy = { index: this.load(), loadedAt: Date.now() };
    this.copy = copy;
    // A failed load is not kept: the next caller tries again.
    copy.index.catch(() => {
      if (this.copy === copy) this.copy = undefined;
    });
    return copy.index;
  }

  private async load(): Promise<CategoryIndex> {
    return indexCategories(await this.prisma.category.findMany());
  }
}
