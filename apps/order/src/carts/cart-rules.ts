import { AppError } from '@shop/errors';

export const MAX_QUANTITY = 100;
/** Distinct SKUs in one cart (inventory reserves at most 100 lines per order). */
export const MAX_CART_LINES = 50;

export interface Money {
  amount: number;
  currency: string;
}

/** What the catalogue says of a SKU now. */
export interface VariantPrice {
  sku: string;
  productId: string;
  productName: string;
  price: Money;
  purchasable: boolean;
}

export interface CartLine {
  id: string;
  sku: string;
  quantity: number;
}

export interface PricedCartLine extends CartLine {
  productId: string;
  name: string;
  unitPrice: Money;
  lineTotal: Money;
  /** Units that can be had now; 0 for a SKU that can no longer be bought. */
  available: number;
}

export interface PricedOrderLine {
  sku: string;
  productId: string;
  name: string;
  quantity: number;
  unitAmount: number;
  lineAmount: number;
}

export function assertQuantity(quantity: number, field = 'quantity'): number {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw AppError.invalid(`${field} must be a whole number from 1 to ${MAX_QUANTITY}`);
  }
  return quantity;
}

export function assertSku(sku: string): string {
  const trimmed = sku.trim();
  if (trimmed === '') throw AppError.invalid('sku is required');
  if (trimmed.length > 64) throw AppError.invalid('sku is longer than 64 characters');
  return trimmed;
}

/** The quantity of a line after adding to it; a line never holds more than MAX_QUANTITY. */
export function addedQuantity(current: number, added: number): number {
  assertQuantity(added);
  // What the line holds already is state, not the request's mistake: 422, as the cart's other caps.
  if (current + added > MAX_QUANTITY) throw new AppError('failed_precondition', `a cart line holds at most ${MAX_QUANTITY} units (it has ${current})`);
  return current + added;
}

/** Minor units times quantity, refusing results JavaScript (or an int column) cannot hold exactly. */
export function lineAmount(unitAmount: number, quantity: number): number {
  const amount = unitAmount * quantity;
  if (!Number.isSafeInteger(amount) || amount > 2_147_483_647) throw new AppError('failed_precondition', 'the amount is too large for one order');
  return amount;
}

/**
 * The cart as it stands now: every line kept (nothing dropped silently), priced at today's price.
 * A line that cannot be bought (unknown SKU, unpublished, or in another currency than the rest)
 * shows 0 available and is left out of the total. The cart's currency is that of its first buyable line.
 */
export function priceCart(
  lines: CartLine[],
  variants: ReadonlyMap<string, VariantPrice>,
  available: ReadonlyMap<string, number>,
): { items: PricedCartLine[]; total: Money } {
  const currency = lines.map((line) => variants.get(line.sku)).find((v) => v?.purchasable)?.price.currency ?? '';
  let total = 0;
  const items = lines.map((line): PricedCartLine => {
    const variant = variants.get(line.sku);
    const unit = variant?.price ?? { amount: 0, currency };
    const buyable = Boolean(variant?.purchasable) && unit.currency === currency;
    const amount = unit.amount * line.quantity;
    if (buyable) total += amount;
    return {
      ...line,
      productId: variant?.productId ?? '',
      name: variant?.productName ?? '',
      unitPrice: { amount: unit.amount, currency: unit.currency },
      lineTotal: { amount, currency: unit.currency },
      available: buyable ? Math.max(0, available.get(line.sku) ?? 0) : 0,
    };
  });
  return { items, total: { amount: total, currency } };
}

/** A new line may join the cart only in the currency the cart already has. */
export function assertSameCurrency(cartCurrencies: string[], added: Money): void {
  const other = cartCurrencies.find((currency) => currency !== added.currency);
  if (other) throw new AppError('failed_precondition', `the cart is in ${other}; a SKU priced in ${added.currency} cannot join it`);
}

/**
 * Prices the cart for an order: every line must still be buyable and in one currency, or the
 * checkout is refused with FAILED_PRECONDITION (the shopper fixes the cart first).
 */
export function priceOrder(lines: Array<{ sku: string; quantity: number }>, variants: ReadonlyMap<string, VariantPrice>): { lines: PricedOrderLine[]; total: Money } {
  if (lines.length === 0) throw new AppError('failed_precondition', 'the cart is empty');
  const gone = lines.filter((line) => !variants.get(line.sku)?.purchasable).map((line) => line.sku);
  if (gone.length > 0) throw new AppError('failed_precondition', `no longer available: ${gone.join(', ')}`);
  const currencies = new Set(lines.map((line) => variants.get(line.sku)!.price.currency));
  if (currencies.size > 1) throw new AppError('failed_precondition', `the cart mixes currencies: ${[...currencies].sort().join(', ')}`);
  const priced = [...lines]
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
    .map((line): PricedOrderLine => {
      const variant = variants.get(line.sku)!;
      return {
        sku: line.sku,
        productId: variant.productId,
        name: variant.productName,
        quantity: line.quantity,
        unitAmount: variant.price.amount,
        lineAmount: lineAmount(variant.price.amount, line.quantity),
      };
    });
  const total = lineAmount(priced.reduce((sum, line) => sum + line.lineAmount, 0), 1);
  return { lines: priced, total: { amount: total, currency: [...currencies][0]! } };
}
