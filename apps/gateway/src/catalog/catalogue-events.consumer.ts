import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type AvailabilityLevel, levelsCarried, type OneOf } from '@shop/contracts';
import { EventConsumer, type EventConsumerProvider } from '@shop/messaging';
import type { AnswerCache } from '../caching/answer-cache';
import { CATALOGUE_CACHE } from '../caching/answer-caches.provider';
import { HeardStockVersions } from './heard-stock-versions';

export const CATALOGUE_EVENTS = [
  'product.created',
  'product.updated',
  'product.deleted',
  'category.changed',
  'inventory.reserved',
  'inventory.released',
  'inventory.stock_changed',
  'review.summary_changed',
] as const;

export type CatalogueEvent = OneOf<(typeof CATALOGUE_EVENTS)[number]>;

/** What a catalogue or stock event makes stale: the tags of the answers to drop. */
export function tagsInvalidatedBy(event: CatalogueEvent): string[] {
  switch (event.type) {
    case 'product.created':
    case 'product.updated':
      return [`product:${event.payload.product.id}`, 'listings'];
    case 'product.deleted':
      return [`product:${event.payload.productId}`, 'listings'];
    case 'category.changed':
      return ['categories', 'listings'];
    case 'inventory.reserved':
      return event.payload.lines.map((line) => `sku:${line.sku}`);
    case 'inventory.released':
      // Older events do not say which SKUs came back: every product page's availability then.
      return event.payload.lines ? event.payload.lines.map((line) => `sku:${line.sku}`) : ['availability'];
    case 'inventory.stock_changed':
      return [`sku:${event.payload.sku}`];
    case 'review.summary_changed':
      // Any change to a product's reviews (a new one, an edit, a vote, moderation) announces its
      // summary; the rating on its page and in listings follows with product.updated.
      return [`reviews:${event.payload.productId}`];
  }
}

/** The stock levels a catalogue event carries (stock events new enough to carry them). */
export function stockLevelsIn(event: CatalogueEvent): AvailabilityLevel[] {
  return event.type === 'inventory.stock_changed' || event.type === 'inventory.reserved' || event.type === 'inventory.released' ? levelsCarried(event) : [];
}

/**
 * How long after a product or category event the product service's own caches and search index may
 * still answer as before it (the detail cache is dropped right after the commit that the event follows).
 */
export const PROJECTION_SETTLE_MS = 1000;

/**
 * Every gateway replica hears every catalogue and stock event and drops what it made stale; a
 * product or category change is dropped once more when the product service's projections have it,
 * and a stock change's versions are remembered until the product service's copy shows them.
 */
@Injectable()
export class CatalogueEventsConsumer implements EventConsumerProvider, OnModuleDestroy {
  private readonly settling = new Set<NodeJS.Timeout>();

  constructor(
    @Inject(CATALOGUE_CACHE) private readonly cache: AnswerCache,
    private readonly stockVersions: HeardStockVersions,
  ) {}

  consumer(): EventConsumer {
    return new EventConsumer('gateway.catalogue-cache', { broadcast: true }).onBatchInOrder(CATALOGUE_EVENTS, async (events) => {
      // Before the pages go: one read again from a copy of availability behind these is then not kept.
      this.stockVersions.heard(events.flatMap(stockLevelsIn));
      this.cache.invalidate(events.flatMap(tagsInvalidatedBy));
      const catalogue = events.filter((event) => !event.type.startsWith('inventory.')).flatMap(tagsInvalidatedBy);
      if (catalogue.length > 0) {
        const timer = setTimeout(() => {
          this.settling.delete(timer);
          this.cache.invalidate(catalogue);
        }, PROJECTION_SETTLE_MS);
        this.settling.add(timer);
      }
    });
  }

  onModuleDestroy(): void {
    for (const timer of this.settling) clearTimeout(timer);
  }
}
