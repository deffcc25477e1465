import { AppError } from '@shop/errors';
import { assertAdjustment, cleanReason, deltaForSet, MAX_ON_HAND, stockLevel } from './stock-rules';

function kindOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.kind : 'not an AppError';
  }
  return undefined;
}

describe('stock rules', () => {
  it('computes available', () => {
    expect(stockLevel('A', 10, 4)).toEqual({ sku: 'A', onHand: 10, reserved: 4, available: 6 });
  });

  it('sets an absolute count as a delta, never below what is reserved', () => {
    expect(deltaForSet({ onHand: 10, reserved: 4 }, 7)).toBe(-3);
    expect(deltaForSet({ onHand: 10, reserved: 4 }, 4)).toBe(-6);
    expect(deltaForSet({ onHand: 0, reserved: 0 }, 12)).toBe(12);
    expect(kindOf(() => deltaForSet({ onHand: 10, reserved: 4 }, 3))).toBe('failed_precondition');
    expect(kindOf(() => deltaForSet({ onHand: 10, reserved: 0 }, -1))).toBe('invalid_argument');
    expect(kindOf(() => deltaForSet({ onHand: 10, reserved: 0 }, 1.5))).toBe('invalid_argument');
  });

  it('adjusts by a non-zero delta that leaves available at zero or more', () => {
    expect(kindOf(() => assertAdjustment({ onHand: 10, reserved: 4 }, -6))).toBeUndefined();
    expect(kindOf(() => assertAdjustment({ onHand: 10, reserved: 4 }, -7))).toBe('failed_precondition');
    expect(kindOf(() => assertAdjustment({ onHand: 10, reserved: 4 }, 0))).toBe('invalid_argument');
    expect(kindOf(() => assertAdjustment({ onHand: MAX_ON_HAND, reserved: 0 }, 1))).toBe('failed_precondition');
  });

  it('bounds the reason', () => {
    expect(cleanReason('  recount ')).toBe('recount');
    expect(kindOf(() => cleanReason('x'.repeat(201)))).toBe('invalid_argument');
  });
});
