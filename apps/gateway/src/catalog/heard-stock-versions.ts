import { Injectable } from '@nestjs/common';
import type { AvailabilityLevel } from '@shop/contracts';

/** SKUs remembered at most; past it the longest remembered go first (their pages were dropped when heard). */
const MAX_REMEMBERED_SKUS = 100_000;

/**
 * The newest version of each SKU's stock this gateway has heard in stock events, until the product
 * service shows a level at least that new. A product page is read from the product service, whose copy
 * of availability follows the same events on its own; a page read after an event but from a copy that
 * has not taken it yet is behind, and the gateway does not keep it (it reads again next time), so a
 * kept page is never older than the stock events this gateway has heard.
 */
@Injectable()
export class HeardStockVersions {
  private readonly newest = new Map<string, number>();

  get size(): number {
    return this.newest.size;
  }

  heard(levels: Iterable<AvailabilityLevel>): void {
    for (const { sku, version } of levels) {
      const known = this.newest.get(sku);
      if (known !== undefined && known >= version) continue;
      this.newest.delete(sku);
      this.newest.set(sku, version);
    }
    while (this.newest.size > MAX_REMEMBERED_SKUS) this.newest.delete(this.newest.keys().next().value!);
  }

  /** Whether any of these levels, as the product service showed them, is older than one heard; forgets the SKUs it has caught up with. */
  behind(shown: Iterable<AvailabilityLevel>): boolean {
    let behind = false;
    for (const { sku, version } of shown) {
      const heard = this.newest.get(sku);
      if (heard === undefined) continue;
      if (version < heard) behind = true;
      else this.newest.delete(sku);
    }
    return behind;
  }
}
