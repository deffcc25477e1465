import { outboxBatch } from './outbox-entries';
import { histogramObject, summarise } from './summary-publisher';

describe('outboxBatch', () => {
  it('announces each product once however many entries it has', () => {
    const batch = outboxBatch([
      { _id: 'c1', productId: 'p1', intentId: 'i1' },
      { _id: 'c2', productId: 'p1', intentId: 'i2' },
      { _id: 'c3', productId: 'p2', intentId: 'i3' },
    ]);
    expect(batch.productIds).toEqual(['p1', 'p2']);
  });

  it('settles the entries read and the intents their changes confirm, each once', () => {
    const batch = outboxBatch([
      { _id: 'c1', productId: 'p1', intentId: 'i1' },
      // An intent past its grace whose change came meanwhile: read both, delete both once.
      { _id: 'i1', productId: 'p1' },
      // An intent whose writer died: no change names it.
      { _id: 'i9', productId: 'p3' },
    ]);
    expect(batch.settled.sort()).toEqual(['c1', 'i1', 'i9']);
    expect(batch.productIds.sort()).toEqual(['p1', 'p3']);
  });

  it('asks nothing of an empty batch', () => {
    expect(outboxBatch([])).toEqual({ productIds: [], settled: [] });
  });
});

describe('summarise', () => {
  it('averages per-rating counts to two decimals', () => {
    expect(summarise([1, 0, 0, 1, 1])).toEqual({ count: 3, average: 3.33 });
    expect(summarise([0, 0, 0, 0, 0])).toEqual({ count: 0, average: 0 });
  });

  it('keys the histogram by rating for the event', () => {
    expect(histogramObject([5, 4, 3, 2, 1])).toEqual({ '1': 5, '2': 4, '3': 3, '4': 2, '5': 1 });
  });
});
