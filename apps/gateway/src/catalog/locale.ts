import { BadRequestException } from '@nestjs/common';
import { type CatalogueLocale, catalogueLocale, LANGUAGE_TAG } from '@shop/validation';

/** `?locale=` of catalogue reads, for the OpenAPI document. */
export const LOCALE_QUERY = {
  name: 'locale',
  required: false,
  description: 'A language tag: en, fr, de, es, it, nl or pt are answered in that language (fr-CA as fr); any other in DEFAULT_LOCALE. Else Accept-Language, else DEFAULT_LOCALE',
  schema: { type: 'string' as const, pattern: LANGUAGE_TAG.source, example: 'fr' },
};

interface Preference {
  tag: string;
  q: number;
  order: number;
}

/** Accept-Language's entries with their weights, best first (equal weights in the order given); malformed ones and q=0 left out. */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  const preferences: Preference[] = [];
  header.split(',').forEach((part, order) => {
    const [tag = '', ...params] = part.split(';').map((piece) => piece.trim());
    if (tag !== '*' && !LANGUAGE_TAG.test(tag)) return;
    let q = 1;
    for (const param of params) {
      const match = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i.exec(param);
      if (match) q = Number(match[1]);
      else if (/^q=/i.test(param)) q = -1;
    }
    if (q > 0) preferences.push({ tag, q, order });
  });
  return preferences.sort((a, b) => b.q - a.q || a.order - b.order).map((preference) => preference.tag);
}

/**
 * The locale a catalogue read answers in: `?locale=` when given (400 when it is no language tag),
 * else the best of Accept-Language the catalogue has ("*" takes the default), else the default.
 * A locale the catalogue does not have falls back to the default, as does any text not translated.
 */
export function negotiateLocale(input: { locale?: unknown; acceptLanguage?: string }, fallback: CatalogueLocale): CatalogueLocale {
  if (input.locale !== undefined) {
    if (typeof input.locale !== 'string' || !LANGUAGE_TAG.test(input.locale)) throw new BadRequestException('locale must be a language tag such as fr or fr-CA');
    return catalogueLocale(input.locale) ?? fallback;
  }
  for (const tag of acceptedLanguages(input.acceptLanguage)) {
    if (tag === '*') return fallback;
    const locale = catalogueLocale(tag);
    if (locale) return locale;
  }
  return fallback;
}
