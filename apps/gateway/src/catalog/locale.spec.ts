import { BadRequestException } from '@nestjs/common';
import { acceptedLanguages, negotiateLocale } from './locale';

describe('catalogue locale', () => {
  it('orders Accept-Language by weight, then as given, without q=0 or malformed entries', () => {
    expect(acceptedLanguages('da, en-GB;q=0.8, en;q=0.7')).toEqual(['da', 'en-GB', 'en']);
    expect(acceptedLanguages('de;q=0.5, fr-CH, fr;q=0.9, it;q=0, *;q=0.1')).toEqual(['fr-CH', 'fr', 'de', '*']);
    expect(acceptedLanguages('x!y, ;q=1, en;q=2, nl;q=abc, pt')).toEqual(['pt']);
    expect(acceptedLanguages(undefined)).toEqual([]);
  });

  it('takes ?locale= first, then the best language the catalogue has, then the default', () => {
    expect(negotiateLocale({ locale: 'fr-CA', acceptLanguage: 'de' }, 'en')).toBe('fr');
    expect(negotiateLocale({ locale: 'ja', acceptLanguage: 'de' }, 'en')).toBe('en');
    expect(negotiateLocale({ acceptLanguage: 'ja, de-AT;q=0.9, fr;q=0.8' }, 'en')).toBe('de');
    expect(negotiateLocale({ acceptLanguage: 'fr;q=0.4, de;q=0.6' }, 'en')).toBe('de');
    expect(negotiateLocale({ acceptLanguage: 'ja, *;q=0.5, fr;q=0.4' }, 'en')).toBe('en');
    expect(negotiateLocale({ acceptLanguage: 'ja' }, 'en')).toBe('en');
    expect(negotiateLocale({}, 'de')).toBe('de');
  });

  it('refuses a locale parameter that is no language tag', () => {
    expect(() => negotiateLocale({ locale: 'fr;drop' }, 'en')).toThrow(BadRequestException);
    expect(() => negotiateLocale({ locale: ['fr', 'de'] }, 'en')).toThrow(BadRequestException);
  });
});
