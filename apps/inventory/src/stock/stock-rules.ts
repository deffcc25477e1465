import { AppError } from '@shop/errors';

export const MAX_SKU_LENGTH = 64;
export const MAX_REASON_LENGTH = 200;
/** The stock columns are 32-bit integers; refusing here beats an "integer out of range" from Postgres. */
export const MAX_ON_HAND = 2_147_483_647;

export type MovementKind = 'set' | 'adjust' | 'reserve' | 'release' | 'commit' | 'expire' | 'return';

export interface StockLevel {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
}

export function stockLevel(sku: string, onHand: number, reserved: number): StockLevel {
  return { sku, onHand, reserved, available: onHand - reserved };
}

/** SKUs are taken exactly as given (the catalogue owns their spelling), only bounded. */
export function assertSku(sku: string, name = 'sku'): string {
  if (sku.trim() === '') throw AppError.invalid(`${name} is required`);
  if (sku.length > MAX_SKU_LENGTH) throw AppError.invalid(`${name} is longer than ${MAX_SKU_LENGTH} characters`);
  return sku;
}

export function cleanReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length > MAX_REASON_LENGTH) throw AppError.invalid(`reason is longer than ${MAX_REASON_LENGTH} characters`);
  return trimmed;
}

/** The change to on hand that makes it `onHand`; refuses a count below what orders already hold. */
export function deltaForSet(current: { onHand: number; reserved: number }, onHand: number): number {
  if (!Number.isInteger(onHand) || onHand < 0) throw AppError.invalid('on_hand must be a whole number of at least 0');
  if (onHand < current.reserved) {
    throw new AppError('failed_precondition', `on hand cannot go below the ${current.reserved} units reserved`);
  }
  return onHand - current.onHand;
}

/** Checks an adjustment: it must change something and leave nothing reserved without stock behind it. */
export function assertAdjustment(current: { onHand: number; reserved: number }, delta: number): void {
  if (!Number.isInteger(delta) || delta === 0) throw AppError.invalid('delta must be a non-zero whole number');
  const onHand = current.onHand + delta;
  if (onHand - current.reserved < 0) {
    throw new AppError('failed_precondition', `only ${current.onHand - current.reserved} units are available to remove`);
  }
  if (onHand > MAX_ON_HAND) throw new AppError('failed_precondition', `on hand cannot exceed ${MAX_ON_HAND}`);
}
