import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, METRICS } from '@shop/service-kit';
import type { ServiceMetrics } from '@shop/observability';
import type { Histogram } from 'prom-client';
import type { ReviewConfig } from '../config';
import { HIDDEN_FIELDS, REVIEW_STORE, type ReviewStore } from '../store';
import { HeldListsLru, holdsEverythingOf, ProductReviewLists, type SummaryStamp } from './held-lists';

/**
 * Every product's published reviews this replica was asked for, held in memory (see
 * ProductReviewLists) within REVIEW_LISTS_HELD_MB of memory, so that any page, in any order and for
 * any rating, is answered without the database. On FerretDB v1.24, which pushes no sort down to
 * Postgres, a page read from the database fetches and sorts all of the product's reviews in
 * FerretDB's process: 16 s at 16 at once for 10,000. Loading them here is one find by equality on
 * top-level fields (pushed down), once per product and summary for all requests waiting on it.
 *
 * The caller (ReviewsService.listForProduct) asks only while no announcement is owed for the
 * product and with the summary it read after that: lists loaded after that summary was stored hold
 * every change it holds, so a shopper reads their own change. Each replica checks the stored
 * summary on every request, so lists held here are replaced as soon as a newer one is stored, and
 * never answer for an older state than the summary read with them.
 */
@Injectable()
export class HeldReviewLists {
  private readonly lru: HeldListsLru;
  private readonly loading = new Map<string, Promise<ProductReviewLists>>();
  /** Products whose lists were loaded and did not fit, by how many published reviews they had then: not loaded again until that changes. */
  private readonly tooLarge = new Map<string, number>();
  private readonly loadSeconds: Histogram<'outcome'>;

  constructor(
    @Inject(REVIEW_STORE) private readonly store: ReviewStore,
    @Inject(APP_CONFIG) config: ReviewConfig,
    @Inject(METRICS) metrics: ServiceMetrics,
  ) {
    this.lru = new HeldListsLru(config.REVIEW_LISTS_HELD_MB * 1024 * 1024);
    this.loadSeconds = metrics.histogram('shop_review_lists_load_seconds', 'Loads of a product\'s published reviews into memory, by outcome (held, or not_held: too many reviews, or lists of a newer summary held meanwhile)', ['outcome']);
    metrics.gauge('shop_review_lists_held_reviews', 'Reviews held in memory for product lists', [], (gauge) => void gauge.set(this.lru.reviewsHeld));
    metrics.gauge('shop_review_lists_held_bytes', 'Memory the reviews held for product lists take, as estimated (bounded by REVIEW_LISTS_HELD_MB)', [], (gauge) => void gauge.set(this.lru.bytesHeld));
  }

  /** Whether the lists of a product of `published` reviews may be held (0 MB turns holding off). */
  mayHold(productId: string, published: number): boolean {
    return this.lru.mayFit(published) && this.tooLarge.get(productId) !== published;
  }

  /** The product's lists if held and holding every change of the summary `stamp`; nothing is loaded. */
  heldAt(productId: string, stamp: SummaryStamp): ProductReviewLists | undefined {
    const held = this.lru.get(productId);
    return held && holdsEverythingOf(held.stamp, stamp) ? held : undefined;
  }

  /**
   * The product's lists holding every change of the summary `stamp`: those held, else loaded (one
   * load per product and summary, whoever asks meanwhile waits for it). A load reads the reviews
   * after the summary was read, so it holds all it holds, and perhaps changes made since.
   */
  async listsAt(productId: string, stamp: SummaryStamp): Promise<ProductReviewLists> {
    const held = this.heldAt(productId, stamp);
    if (held) return held;
    const key = `${productId}@${stamp.version}:${stamp.storedAt}`;
    let load = this.loading.get(key);
    if (!load) {
      load = this.load(productId, stamp).finally(() => this.loading.delete(key));
      this.loading.set(key, load);
    }
    return load;
  }

  private async load(productId: string, stamp: SummaryStamp): Promise<ProductReviewLists> {
    const timer = this.loadSeconds.startTimer();
    const published = await this.store.reviews.find({ productId, status: 'published' }, { projection: HIDDEN_FIELDS }).toArray();
    const lists = new ProductReviewLists(stamp, published);
    const kept = this.lru.keep(productId, lists);
    if (!kept && lists.bytes > this.lru.maxBytes) this.tooLarge.set(productId, lists.reviews);
    else this.tooLarge.delete(productId);
    timer({ outcome: kept ? 'held' : 'not_held' });
    return lists;
  }
}
