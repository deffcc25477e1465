import type { ProductSnapshotV1 } from '@shop/contracts';
import { localizeProduct, readLocale, supportedLocale, translationLocale } from './locales';

describe('catalogue locales', () => {
  it('reads a language from a tag, region or not', () => {
    expect(supportedLocale('fr')).toBe('fr');
    expect(supportedLocale('fr-CA')).toBe('fr');
    expect(supportedLocale('DE_at')).toBe('de');
    expect(supportedLocale('ja')).toBeUndefined();
    expect(supportedLocale('constructor')).toBeUndefined();
    expect(readLocale('ja', 'en')).toBe('en');
    expect(readLocale(undefined, 'en')).toBe('en');
  });

  it('writes translations in supported locales other than the default', () => {
    expect(translationLocale('de-DE', 'en')).toBe('de');
    expect(() => translationLocale('en-GB', 'en')).toThrow(/default locale/);
    expect(() => translationLocale('xx', 'en')).toThrow(/locale must be one of/);
  });

  it('answers a product in the locale asked for where it is translated, else in the default', () => {
    const product = { id: 'p', name: 'Wool scarf', description: 'Warm', translations: { fr: { name: 'Écharpe en laine', description: 'Chaude' } } } as unknown as ProductSnapshotV1;
    expect(localizeProduct(product, 'fr', 'en')).toMatchObject({ name: 'Écharpe en laine', description: 'Chaude', locale: 'fr' });
    expect(localizeProduct(product, 'de', 'en')).toMatchObject({ name: 'Wool scarf', locale: 'en' });
    expect(localizeProduct(product, 'fr', 'en')).not.toHaveProperty('translations');
  });
});
