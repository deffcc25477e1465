import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A bargaining offer code: what the chatbot-bridge agreed with one shopper for one SKU, signed with
 * OFFER_SIGNING_KEY (HMAC-SHA256), which the bridge and the order service share. The order service
 * checks it again at checkout (signature, shopper, SKU, quantity, expiry, and the rule's discount
 * bound against the price of the day) and records its id so it is used once.
 */
export interface OfferTerms {
  /** The offer's id (also the bridge's record of it). */
  id: string;
  userId: string;
  sku: string;
  /** The agreed unit price, minor units. */
  amount: number;
  currency: string;
  /** The list price when the offer was made, minor units. */
  listAmount: number;
  /** The rule's largest discount in percent when the offer was made: the price may not go below it. */
  maxDiscountPercent: number;
  minQuantity: number;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export type OfferCheck = { ok: true; terms: OfferTerms } | { ok: false; reason: string };

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const mac = (key: string, payload: string) => createHmac('sha256', key).update(`shop-offer-v1.${payload}`).digest();

/** The lowest unit price a discount of `percent` allows off `listAmount` (rounded up: never below the rule). */
export function discountFloor(listAmount: number, percent: number): number {
  return Math.ceil((listAmount * (100 - percent)) / 100);
}

export function signOfferCode(terms: OfferTerms, key: string): string {
  const payload = b64(JSON.stringify([1, terms.id, terms.userId, terms.sku, terms.amount, terms.currency, terms.listAmount, terms.maxDiscountPercent, terms.minQuantity, terms.expiresAt]));
  return `${payload}.${b64(mac(key, payload))}`;
}

/** The terms of a code signed with `key`, or why it is refused (forged, malformed, expired). */
export function verifyOfferCode(code: string, key: string, now = Date.now()): OfferCheck {
  const parts = code.trim().split('.');
  if (parts.length !== 2 || code.length > 2000) return { ok: false, reason: 'the offer code is not valid' };
  const [payload, signature] = parts as [string, string];
  const expected = mac(key, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'the offer code is not valid' };
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'the offer code is not valid' };
  }
  if (!Array.isArray(fields) || fields.length !== 10 || fields[0] !== 1) return { ok: false, reason: 'the offer code is not valid' };
  const [, id, userId, sku, amount, currency, listAmount, maxDiscountPercent, minQuantity, expiresAt] = fields as [number, string, string, string, number, string, number, number, number, number];
  const terms: OfferTerms = { id, userId, sku, amount, currency, listAmount, maxDiscountPercent, minQuantity, expiresAt };
  if (expiresAt <= now) return { ok: false, reason: 'the offer code has expired' };
  return { ok: true, terms };
}
