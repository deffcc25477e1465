import { createEvent } from './integration-event';
import { latestLevels, levelsCarried, supersedes } from './stock-levels';

const ORDER = '3f0c7a52-8d2b-4c1e-9b7a-2d5e6f708192';

describe('supersedes', () => {
  it('takes any level for a SKU nothing is kept for', () => {
    expect(supersedes(undefined, 0)).toBe(true);
    expect(supersedes(undefined, 7)).toBe(true);
  });

  it('takes only a higher version: a late or repeated event never takes a SKU back', () => {
    expect(supersedes(4, 5)).toBe(true);
    expect(supersedes(5, 5)).toBe(false);
    expect(supersedes(5, 4)).toBe(false);
  });

  it('lets a level without a version replace only another without one', () => {
    expect(supersedes(0, 0)).toBe(true);
    expect(supersedes(3, 0)).toBe(false);
    expect(supersedes(0, 1)).toBe(true);
  });
});

describe('latestLevels', () => {
  it('keeps the highest version of each SKU whatever order the levels came in', () => {
    const levels = latestLevels([
      { sku: 'A', available: 5, version: 3 },
      { sku: 'B', available: 1, version: 1 },
      { sku: 'A', available: 9, version: 2 },
      { sku: 'A', available: 4, version: 4 },
      { sku: 'A', available: 4, version: 4 },
    ]);
    expect(levels).toEqual([
      { sku: 'A', available: 4, version: 4 },
      { sku: 'B', available: 1, version: 1 },
    ]);
  });

  it('keeps the last heard of levels without versions', () => {
    expect(latestLevels([{ sku: 'A', available: 5, version: 0 }, { sku: 'A', available: 2, version: 0 }])).toEqual([{ sku: 'A', available: 2, version: 0 }]);
  });
});

describe('levelsCarried', () => {
  it('reads a stock change as one level, version 0 when it has none', () => {
    expect(levelsCarried(createEvent('inventory.stock_changed', 'A', { sku: 'A', onHand: 5, reserved: 1, available: 4, version: 6 }))).toEqual([{ sku: 'A', available: 4, version: 6 }]);
    expect(levelsCarried(createEvent('inventory.stock_changed', 'A', { sku: 'A', onHand: 5, reserved: 1, available: 4 }))).toEqual([{ sku: 'A', available: 4, version: 0 }]);
  });

  it('reads the levels of a reservation event, and none from an older one without them', () => {
    const levels = [{ sku: 'A', onHand: 5, reserved: 2, available: 3, version: 8 }];
    const reserved = createEvent('inventory.reserved', ORDER, { orderId: ORDER, reservationId: 'r', lines: [{ sku: 'A', quantity: 2 }], expiresAt: '2026-01-01T00:00:00Z', levels });
    expect(levelsCarried(reserved)).toEqual([{ sku: 'A', available: 3, version: 8 }]);
    expect(levelsCarried(createEvent('inventory.released', ORDER, { orderId: ORDER, reservationId: 'r', reason: 'cancelled' }))).toEqual([]);
  });
});
