import { appErrorKind } from '@shop/testing';
import { assertAdjustment, cleanReason, deltaForSet, MAX_ON_HAND, stockLevel } from './stock-rules';

describe('stock rules', () => {
  it('computes available', () => {
    expect(stockLevel('A', 10, 4)).toEqual({ sku: 'A', onHand: 10, reserved: 4, available: 6 });
  });

  it('sets an absolute count as a delta, never below what is reserved', () => {
    expect(deltaForSet({ onHand: 10, reserved: 4 }, 7)).toBe(-3);
    expect(deltaForSet({ onHand: 10, reserved: 4 }, 4)).toBe(-6);
    expect(deltaForSet({ onHand: 0, reserved: 0 }, 12)).toBe(12);
    expect(appErrorKind(() => deltaForSet({ onHand: 10, reserved: 4 }, 3))).toBe('failed_precondition');
    expect(appErrorKind(() => deltaForSet({ onHand: 10, reserved: 0 }, -1))).toBe('invalid_argument');
    expect(appErrorKind(() => deltaForSet({ onHand: 10, reserved: 0 }, 1.5))).toBe('invalid_argument');
  });

  it('adjusts by a non-zero delta that leaves available at zero or more', () => {
    expect(appErrorKind(() => assertAdjustment({ onHand: 10, reserved: 4 }, -6))).toBeUndefined();
    expect(appErrorKind(() => assertAdjustment({ onHand: 10, reserved: 4 }, -7))).toBe('failed_precondition');
    expect(appErrorKind(() => assertAdjustment({ onHand: 10, reserved: 4 }, 0))).toBe('invalid_argument');
    expect(appErrorKind(() => assertAdjustment({ onHand: MAX_ON_HAND, reserved: 0 }, 1))).toBe('failed_precondition');
  });

  it('bounds the reason', () => {
    expect(cleanReason('  recount ')).toBe('recount');
    expect(appErrorKind(() => cleanReason('x'.repeat(201)))).toBe('invalid_argument');
  });
});
