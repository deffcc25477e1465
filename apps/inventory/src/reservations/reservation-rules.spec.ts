import { appErrorKind } from '@shop/testing';
import { allocate, assertOrderId, commitAction, MAX_LINES, mergeLines, releaseAction, shortSkus } from './reservation-rules';

describe('mergeLines', () => {
  it('folds duplicate SKUs into one line and sorts by SKU, so rows are locked once and in order', () => {
    expect(
      mergeLines([
        { sku: 'B-2', quantity: 1 },
        { sku: 'A-1', quantity: 2 },
        { sku: 'B-2', quantity: 3 },
      ]),
    ).toEqual([
      { sku: 'A-1', quantity: 2 },
      { sku: 'B-2', quantity: 4 },
    ]);
  });

  it.each([
    ['no lines', []],
    ['too many lines', Array.from({ length: MAX_LINES + 1 }, (_, i) => ({ sku: `S${i}`, quantity: 1 }))],
    ['an empty SKU', [{ sku: '', quantity: 1 }]],
    ['a blank SKU', [{ sku: '   ', quantity: 1 }]],
    ['a SKU over 64 characters', [{ sku: 'x'.repeat(65), quantity: 1 }]],
    ['a zero quantity', [{ sku: 'A', quantity: 0 }]],
    ['a negative quantity', [{ sku: 'A', quantity: -1 }]],
    ['a fractional quantity', [{ sku: 'A', quantity: 1.5 }]],
    ['a quantity over 10000', [{ sku: 'A', quantity: 10_001 }]],
    ['duplicates adding up to over 10000', [{ sku: 'A', quantity: 6000 }, { sku: 'A', quantity: 5000 }]],
  ])('refuses %s as invalid', (_, lines) => {
    expect(appErrorKind(() => mergeLines(lines))).toBe('invalid_argument');
  });

  it('accepts the limits themselves', () => {
    expect(mergeLines([{ sku: 'x'.repeat(64), quantity: 10_000 }])).toHaveLength(1);
    expect(mergeLines(Array.from({ length: MAX_LINES }, (_, i) => ({ sku: `S${i}`, quantity: 1 })))).toHaveLength(MAX_LINES);
  });
});

describe('shortSkus', () => {
  const stock = new Map([
    ['A', { onHand: 5, reserved: 3 }],
    ['B', { onHand: 10, reserved: 0 }],
  ]);

  it('names every line that available stock cannot cover; an unknown SKU has none', () => {
    expect(
      shortSkus(
        [
          { sku: 'A', quantity: 3 },
          { sku: 'B', quantity: 10 },
          { sku: 'C', quantity: 1 },
        ],
        stock,
      ),
    ).toEqual(['A', 'C']);
    expect(shortSkus([{ sku: 'A', quantity: 2 }], stock)).toEqual([]);
  });
});

describe('reservation rules', () => {
  it('needs an order id', () => {
    expect(appErrorKind(() => assertOrderId(''))).toBe('invalid_argument');
    expect(appErrorKind(() => assertOrderId('x'.repeat(129)))).toBe('invalid_argument');
    expect(assertOrderId('order-1')).toBe('order-1');
  });

  it('commits an active reservation once and never one that gave its stock back', () => {
    expect(commitAction('active')).toBe('apply');
    expect(commitAction('committed')).toBe('unchanged');
    expect(appErrorKind(() => commitAction('released'))).toBe('failed_precondition');
    expect(appErrorKind(() => commitAction('expired'))).toBe('failed_precondition');
  });

  it('releases an active reservation once and never a committed one', () => {
    expect(releaseAction('active')).toBe('apply');
    expect(releaseAction('released')).toBe('unchanged');
    expect(releaseAction('expired')).toBe('unchanged');
    expect(appErrorKind(() => releaseAction('committed'))).toBe('failed_precondition');
  });
});

describe('allocate', () => {
  const stock = new Map([
    ['A', { onHand: 3, reserved: 1 }],
    ['B', { onHand: 1, reserved: 0 }],
  ]);

  it('serves orders in the order given, each with every line or none', () => {
    expect(
      allocate(
        [
          { orderId: 'o1', lines: [{ sku: 'A', quantity: 1 }] },
          { orderId: 'o2', lines: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 2 }] },
          { orderId: 'o3', lines: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 1 }] },
          { orderId: 'o4', lines: [{ sku: 'A', quantity: 1 }] },
          { orderId: 'o5', lines: [{ sku: 'C', quantity: 1 }, { sku: 'A', quantity: 1 }] },
        ],
        stock,
      ),
    ).toEqual([
      { orderId: 'o1', kind: 'reserved', lines: [{ sku: 'A', quantity: 1 }] },
      // Rejected whole: its A is not taken from the orders after it.
      { orderId: 'o2', kind: 'rejected', shortSkus: ['B'] },
      { orderId: 'o3', kind: 'reserved', lines: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 1 }] },
      { orderId: 'o4', kind: 'rejected', shortSkus: ['A'] },
      { orderId: 'o5', kind: 'rejected', shortSkus: ['C', 'A'] },
    ]);
  });

  it('leaves the stock it was given as it was', () => {
    allocate([{ orderId: 'o1', lines: [{ sku: 'A', quantity: 2 }] }], stock);
    expect(stock.get('A')).toEqual({ onHand: 3, reserved: 1 });
  });
});
