import { isISO31661Alpha2 } from 'class-validator';

/** ISO 3166-1 alpha-2 codes, upper case as written (the validator alone would also take "gb"): the list the OpenAPI document gives. */
export const COUNTRIES: readonly string[] = Array.from({ length: 26 * 26 }, (_, index) => String.fromCharCode(65 + Math.floor(index / 26), 65 + (index % 26))).filter((code) =>
  isISO31661Alpha2(code),
);
