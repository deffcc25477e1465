import { AppError } from '@shop/errors';
import { createHash } from 'node:crypto';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

export interface Address {
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export interface RequestLine {
  sku: string;
  quantity: number;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function assertIdempotencyKey(key: string): string {
  const trimmed = key.trim();
  if (trimmed === '') throw AppError.invalid('idempotency_key is required');
  if (trimmed.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw AppError.invalid(`idempotency_key is longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  return trimmed;
}

export function assertUserId(userId: string): string {
  if (userId.trim() === '') throw AppError.invalid('user_id is required');
  if (userId.length > 128) throw AppError.invalid('user_id is longer than 128 characters');
  return userId;
}

const text = (value: string | undefined, field: string, required: boolean, max = 200): string => {
  const trimmed = (value ?? '').trim().replace(/\s+/g, ' ');
  if (required && trimmed === '') throw AppError.invalid(`shipping_address.${field} is required`);
  if ([...trimmed].length > max) throw AppError.invalid(`shipping_address.${field} is longer than ${max} characters`);
  return trimmed;
};

/** Validates an address and puts it in one canonical form: trimmed, single spaces, country upper case. */
export function normalizeAddress(address: Partial<Address> | undefined): Address {
  if (!address) throw AppError.invalid('shipping_address is required');
  const country = text(address.country, 'country', true, 2).toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw AppError.invalid('shipping_address.country must be a two-letter ISO code');
  return {
    line1: text(address.line1, 'line1', true),
    line2: text(address.line2, 'line2', false),
    city: text(address.city, 'city', true, 100),
    region: text(address.region, 'region', false, 100),
    postalCode: text(address.postalCode, 'postal_code', true, 20),
    country,
  };
}

export function normalizeEmail(email: string): string {
  const trimmed = email.trim().toLowerCase();
  if (!EMAIL_PATTERN.test(trimmed) || trimmed.length > 254) throw AppError.invalid('email must be a valid email address');
  return trimmed;
}

/**
 * sha256 of the canonical checkout request: the normalised address and email, and the cart's lines
 * sorted by SKU. Two requests that mean the same order hash the same, whatever their spacing or line order.
 */
export function requestHash(address: Address, email: string, lines: RequestLine[]): string {
  const canonical = [
    [address.line1, address.line2, address.city, address.region, address.postalCode, address.country],
    email,
    [...lines].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)).map((line) => [line.sku, line.quantity]),
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
