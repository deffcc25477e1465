import { discountFloor } from '@shop/contracts';
import { AppError } from '@shop/errors';

/** An admin's bargaining rule for one product or every product of a category. */
export interface BargainingRule {
  scope: 'product' | 'category';
  targetId: string;
  /** 0 to 90: the largest discount off the list price any offer may give. */
  maxDiscountPercent: number;
  minQuantity: number;
  /** Units that must remain available after the offer's quantity. */
  minStock: number;
  validForMinutes: number;
  maxOffersPerShopper: number;
}

export const RULE_DEFAULTS = { minQuantity: 1, minStock: 0, validForMinutes: 30, maxOffersPerShopper: 3 } as const;

/** A rule as an admin sent it, checked: INVALID_ARGUMENT naming the field otherwise. Pure. */
export function checkRule(input: { scope: string; targetId: string; maxDiscountPercent: number; minQuantity?: number; minStock?: number; validForMinutes?: number; maxOffersPerShopper?: number }): BargainingRule {
  if (input.scope !== 'product' && input.scope !== 'category') throw AppError.invalid('scope must be "product" or "category"');
  const targetId = input.targetId.trim();
  if (targetId === '' || targetId.length > 64) throw AppError.invalid('targetId must be 1 to 64 characters');
  const int = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) throw AppError.invalid(`${name} must be a whole number from ${min} to ${max}`);
    return value;
  };
  return {
    scope: input.scope,
    targetId,
    maxDiscountPercent: int('maxDiscountPercent', input.maxDiscountPercent, 0, 90),
    minQuantity: int('minQuantity', input.minQuantity ?? RULE_DEFAULTS.minQuantity, 1, 100),
    minStock: int('minStock', input.minStock ?? RULE_DEFAULTS.minStock, 0, 1_000_000),
    validForMinutes: int('validForMinutes', input.validForMinutes ?? RULE_DEFAULTS.validForMinutes, 1, 7 * 24 * 60),
    maxOffersPerShopper: int('maxOffersPerShopper', input.maxOffersPerShopper ?? RULE_DEFAULTS.maxOffersPerShopper, 1, 100),
  };
}

/**
 * The rule that bounds a product: its own, else the strictest (smallest discount) of its
 * categories' rules. Pure.
 */
export function ruleFor(productId: string, categoryIds: readonly string[], rules: readonly BargainingRule[]): BargainingRule | undefined {
  const own = rules.find((rule) => rule.scope === 'product' && rule.targetId === productId);
  if (own) return own;
  return rules
    .filter((rule) => rule.scope === 'category' && categoryIds.includes(rule.targetId))
    .sort((a, b) => a.maxDiscountPercent - b.maxDiscountPercent)[0];
}

export interface OfferRequest {
  listAmount: number;
  /** What the shopper asked for, minor units (absent: the best the rule allows). */
  requestedAmount?: number;
  /** A discount the shopper asked for, in percent (used when no amount was asked). */
  requestedPercent?: number;
  quantity: number;
  /** Units available now. */
  available: number;
  /** Offers this shopper already had under this rule. */
  offersMade: number;
  now: number;
}

export type OfferDecision =
  | { kind: 'offer'; amount: number; discountPercent: number; expiresAt: number; capped: boolean }
  | { kind: 'refused'; reason: 'no_rule' | 'min_quantity' | 'min_stock' | 'too_many_offers'; detail: number };

/**
 * Whether and at what unit price an offer may be made. Whatever was asked, the price is never below
 * the rule's largest discount off the list price (`capped` says it was raised to that floor), nor
 * above the list price. Pure: this is what bounds the model and the built-in assistant alike.
 */
export function decideOffer(rule: BargainingRule | undefined, request: OfferRequest): OfferDecision {
  if (!rule) return { kind: 'refused', reason: 'no_rule', detail: 0 };
  if (request.quantity < rule.minQuantity) return { kind: 'refused', reason: 'min_quantity', detail: rule.minQuantity };
  if (request.available - request.quantity < rule.minStock) return { kind: 'refused', reason: 'min_stock', detail: rule.minStock };
  if (request.offersMade >= rule.maxOffersPerShopper) return { kind: 'refused', reason: 'too_many_offers', detail: rule.maxOffersPerShopper };
  const floor = discountFloor(request.listAmount, rule.maxDiscountPercent);
  const asked =
    request.requestedAmount ??
    (request.requestedPercent !== undefined ? Math.round((request.listAmount * (100 - Math.min(Math.max(request.requestedPercent, 0), 100))) / 100) : floor);
  const amount = Math.min(Math.max(asked, floor), request.listAmount);
  const discountPercent = request.listAmount > 0 ? Math.round(((request.listAmount - amount) * 10_000) / request.listAmount) / 100 : 0;
  return { kind: 'offer', amount, discountPercent, expiresAt: request.now + rule.validForMinutes * 60_000, capped: asked < floor };
}
