import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, METRICS } from '@shop/service-kit';
import type { ServiceMetrics } from '@shop/observability';
import type { Histogram } from 'prom-client';
import type { ReviewConfig } from '../config';
import { REVIEW_STORE, type ReviewStore } from '../store';
import { HeldListsLru, holdsEverythingOf, ProductReviewLists, type SummaryStamp } from './held-lists';

// As the lists answer: no voters (older reviews), nor the flag older builds left.
const LISTED_FIELDS = { voters: 0, summaryPending: 0 } as const;

/**
 * Every product's published reviews this replica was asked for, held in memory (see
 * ProductReviewLists) within REVIEW_LISTS_HELD_MAX reviews, so that any page, in any order and for
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
  private readonly loadSeconds: Histogram<'outcome'>;

  constructor(
    @Inject(REVIEW_STORE) private readonly store: ReviewStore,
    @Inject(APP_CONFIG) config: ReviewConfig,
    @Inject(METRICS) metrics: ServiceMetrics,
  ) {
    this.lru = new HeldListsLru(config.REVIEW_LISTS_HELD_MAX);
    this.loadSeconds = metrics.histogram('shop_review_lists_load_seconds', 'Loads of a product\'s published reviews into memory, by outcome (held, or not_held: too many reviews, or lists of a newer summary held meanwhile)', ['outcome']);
    metrics.gauge('shop_review_lists_held_reviews', 'Reviews held in memory for product lists', [], (gauge) => void gauge.set(this.lru.reviewsHeld));
  }

  /** Whether a product of `published` reviews may have its lists held (0 turns holding off). */
  mayHold(published: number): boolean {
    return this.lru.maxReviews > 0 && published <= this.lru.maxReviews;
  }

  /**
   * The product's lists holding every change of the summary `stamp`: those held, else loaded (one
   * load per product and summary, whoever asks meanwhile waits for it). A load reads the reviews
   * after the summary was read, so it holds all it holds, and perhaps changes made since.
   */
  async listsAt(productId: string, stamp: SummaryStamp): Promise<ProductReviewLists> {
    const held = this.lru.get(productId);
    if (held && holdsEverythingOf(held.stamp, stamp)) return held;
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
    const published = await this.store.reviews.find({ productId, status: 'published' }, { projection: LISTED_FIELDS }).toArray();
    const lists = new ProductReviewLists(stamp, published);
    timer({ outcome: this.lru.keep(productId, lists) ? 'held' : 'not_held' });
    return lists;
  }
}
