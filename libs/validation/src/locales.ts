/**
 * The languages the catalogue can be translated into and read in (the product service stems each
 * with its Postgres text search configuration). A region (fr-CA) counts as its language.
 */
export const CATALOGUE_LOCALES = ['en', 'fr', 'de', 'es', 'it', 'nl', 'pt'] as const;

export type CatalogueLocale = (typeof CATALOGUE_LOCALES)[number];

/** A BCP 47-looking tag: a language of 2 to 8 letters, then subtags (fr, fr-CA, zh-Hant-TW). */
export const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/;

/** The catalogue locale a tag names, or undefined. */
export function catalogueLocale(tag: string): CatalogueLocale | undefined {
  const language = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (CATALOGUE_LOCALES as readonly string[]).includes(language) ? (language as CatalogueLocale) : undefined;
}
