import { AppError } from '@shop/errors';
import type { ProductSnapshotV1 } from '@shop/contracts';

/**
 * The catalogue's languages, each with the Postgres text search configuration that stems its words
 * (Elasticsearch's integ-test build has no language analysers: there the text is folded only).
 */
export const LOCALES = { en: 'english', fr: 'french', de: 'german', es: 'spanish', it: 'italian', nl: 'dutch', pt: 'portuguese' } as const;

export type Locale = keyof typeof LOCALES;

export const SUPPORTED_LOCALES = Object.keys(LOCALES) as Locale[];

/** The supported locale a tag names ("fr", "fr-CA", "FR_ca" are French), or undefined. */
export function supportedLocale(tag: string): Locale | undefined {
  const language = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return Object.prototype.hasOwnProperty.call(LOCALES, language) ? (language as Locale) : undefined;
}

/** A locale to write a translation in: supported and not the default (the product itself holds that text). */
export function translationLocale(tag: string, defaultLocale: Locale): Locale {
  const locale = supportedLocale(tag);
  if (!locale) throw AppError.invalid(`locale must be one of ${SUPPORTED_LOCALES.join(', ')}`);
  if (locale === defaultLocale) throw AppError.invalid(`${locale} is the catalogue's default locale: change the product or category itself`);
  return locale;
}

/** The locale to answer in: the one asked for when supported, else the default. */
export function readLocale(tag: string | undefined, defaultLocale: Locale): Locale {
  return (tag && supportedLocale(tag)) || defaultLocale;
}

/** The product as a shopper reading `locale` sees it: translated name and description where there are, and which language they are in. */
export function localizeProduct(product: ProductSnapshotV1, locale: Locale, defaultLocale: Locale): ProductSnapshotV1 & { locale: string } {
  const translation = locale === defaultLocale ? undefined : product.translations?.[locale];
  const { translations: _translations, ...shown } = product;
  return translation ? { ...shown, name: translation.name, description: translation.description, locale } : { ...shown, locale: defaultLocale };
}
