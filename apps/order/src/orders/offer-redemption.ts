import { discountFloor, type OfferTerms, verifyOfferCode } from '@shop/contracts';
import { AppError } from '@shop/errors';
import { lineAmount, type PricedOrderLine } from '../carts/cart-rules';

type Priced = { lines: PricedOrderLine[]; total: { amount: number; currency: string } };

/**
 * Checks a bargaining offer code again at checkout and prices its SKU's line at the offer's unit
 * price: the code must carry our signature and be unexpired, name this shopper and a SKU in the
 * cart in at least its minimum quantity, in the cart's currency, and its price may not be below the
 * rule's discount off today's price (nor above today's price: a price that fell since is kept).
 * FAILED_PRECONDITION saying why otherwise. Whether it was used before is the placing transaction's
 * (offer_redemptions). Pure.
 */
export function applyOffer(priced: Priced, code: string, userId: string, signingKey: string | undefined, now = Date.now()): { priced: Priced; terms: OfferTerms; unitAmount: number } {
  if (!signingKey) throw new AppError('failed_precondition', 'offer codes are not accepted here (no OFFER_SIGNING_KEY)');
  const check = verifyOfferCode(code, signingKey, now);
  if (!check.ok) throw new AppError('failed_precondition', check.reason);
  const { terms } = check;
  if (terms.userId !== userId) throw new AppError('failed_precondition', 'the offer code is not valid');
  const line = priced.lines.find((candidate) => candidate.sku === terms.sku);
  if (!line) throw new AppError('failed_precondition', `the offer code is for ${terms.sku}, which is not in the cart`);
  if (line.quantity < terms.minQuantity) throw new AppError('failed_precondition', `the offer needs at least ${terms.minQuantity} of ${terms.sku} in the cart`);
  if (terms.currency !== priced.total.currency) throw new AppError('failed_precondition', 'the offer code is in another currency');
  if (terms.amount < discountFloor(line.unitAmount, terms.maxDiscountPercent)) {
    throw new AppError('failed_precondition', `the offer's price is more than ${terms.maxDiscountPercent}% below today's price of ${terms.sku}`);
  }
  const unitAmount = Math.min(terms.amount, line.unitAmount);
  const lines = priced.lines.map((candidate) =>
    candidate === line ? { ...candidate, unitAmount, lineAmount: lineAmount(unitAmount, candidate.quantity) } : candidate,
  );
  const total = lineAmount(lines.reduce((sum, candidate) => sum + candidate.lineAmount, 0), 1);
  return { priced: { lines, total: { amount: total, currency: priced.total.currency } }, terms, unitAmount };
}
