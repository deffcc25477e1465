import { AppError } from '@shop/errors';
import { attributeNameProblem, isUuid, MAX_AMOUNT_MINOR_UNITS } from '@shop/validation';

export interface MoneyInput {
  amount: number;
  currency: string;
}

export interface VariantInput {
  sku: string;
  price?: MoneyInput;
  attributes: Record<string, string>;
}

export interface ProductFields {
  name: string;
  description: string;
  brand: string;
  categoryIds: string[];
  attributes: Record<string, string>;
  images: string[];
  status: string;
  variants: VariantInput[];
}

export interface ValidVariant {
  sku: string;
  priceAmount: number;
  currency: string;
  attributes: Record<string, string>;
}

export interface ValidProduct {
  name: string;
  description: string;
  brand: string;
  categoryIds: string[];
  attributes: Record<string, string>;
  images: string[];
  status: 'draft' | 'published';
  variants: ValidVariant[];
}

const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CURRENCY = /^[A-Z]{3}$/;

function attributes(value: Record<string, string>, where: string, problems: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  const entries = Object.entries(value ?? {});
  if (entries.length > 30) problems.push(`${where} has more than 30 attributes`);
  for (const [rawName, rawValue] of entries) {
    const name = rawName.trim().toLowerCase();
    const text = String(rawValue).trim();
    const nameProblem = attributeNameProblem(name);
    if (nameProblem) problems.push(`${where}: ${nameProblem}`);
    else if (!text || [...text].length > 100 || text.includes('=')) problems.push(`${where}: attribute ${name} needs a value of 1 to 100 characters without "="`);
    else result[name] = text;
  }
  return result;
}

/**
 * Checks and normalises a whole product; every problem is reported at once.
 * Money is integer minor units, all variants of a product share one currency.
 */
export function validateProduct(input: ProductFields): ValidProduct {
  const problems: string[] = [];
  const name = (input.name ?? '').trim();
  if (!name || [...name].length > 200) problems.push('name must be 1 to 200 characters');
  const description = (input.description ?? '').trim();
  if ([...description].length > 10_000) problems.push('description must be at most 10000 characters');
  const brand = (input.brand ?? '').trim();
  if ([...brand].length > 100) problems.push('brand must be at most 100 characters');
  const status = input.status || 'draft';
  if (status !== 'draft' && status !== 'published') problems.push('status must be "draft" or "published"');
  const categoryIds = [...new Set(input.categoryIds ?? [])];
  if (categoryIds.length > 10) problems.push('a product is in at most 10 categories');
  if (categoryIds.some((id) => !isUuid(id))) problems.push('categoryIds must be category ids');
  const images = (input.images ?? []).map((url) => url.trim());
  if (images.length > 20) problems.push('at most 20 images');
  for (const url of images) {
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error();
    } catch {
      problems.push(`image "${url.slice(0, 100)}" is not an http(s) URL`);
    }
  }
  const productAttributes = attributes(input.attributes, 'product', problems);
  const variants: ValidVariant[] = [];
  if (!input.variants || input.variants.length === 0) problems.push('a product needs at least one variant');
  if ((input.variants?.length ?? 0) > 100) problems.push('a product has at most 100 variants');
  const skus = new Set<string>();
  for (const [index, variant] of (input.variants ?? []).entries()) {
    const where = `variant ${index + 1}`;
    const sku = (variant.sku ?? '').trim();
    if (!SKU.test(sku)) problems.push(`${where}: sku must be 1 to 64 letters, digits, ".", "_" or "-"`);
    if (skus.has(sku.toUpperCase())) problems.push(`${where}: sku ${sku} appears twice`);
    skus.add(sku.toUpperCase());
    const amount = variant.price?.amount;
    const currency = (variant.price?.currency ?? '').trim().toUpperCase();
    // Prices are 32-bit integers in the catalogue's store (and in orders and payments after it).
    if (!Number.isInteger(amount) || (amount as number) < 0 || (amount as number) > MAX_AMOUNT_MINOR_UNITS) {
      problems.push(`${where}: price.amount must be a whole number of minor units from 0 to ${MAX_AMOUNT_MINOR_UNITS}`);
    }
    if (!CURRENCY.test(currency)) problems.push(`${where}: price.currency must be an ISO 4217 code such as EUR`);
    variants.push({ sku, priceAmount: amount as number, currency, attributes: attributes(variant.attributes, where, problems) });
  }
  if (new Set(variants.map((v) => v.currency)).size > 1) problems.push('all variants of a product must share one currency');
  if (problems.length > 0) throw AppError.invalid(problems.join('; '));
  return { name, description, brand, categoryIds, attributes: productAttributes, images, status: status as ValidProduct['status'], variants };
}
