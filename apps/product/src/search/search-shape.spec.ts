import { searchResult } from './elasticsearch-query';
import { MAX_RESULT_WINDOW, pageWindow, shapeFacets } from './search-shape';
import { foldText, MAX_QUERY_WORDS, queryWords } from './search-text';

describe('search text', () => {
  it('folds case and diacritics, including letters Unicode does not decompose', () => {
    expect(foldText('Crème Brûlée, Straße, Ærø, Łódź')).toBe('creme brulee, strasse, aero, lodz');
  });

  it('splits a query into distinct folded words, whatever the punctuation or Unicode form', () => {
    expect(queryWords(`"Cafe\u0301"  t-shirt; CAFÉ`)).toEqual(['cafe', 't', 'shirt']);
    expect(queryWords(undefined)).toEqual([]);
    expect(queryWords(Array.from({ length: 20 }, (_, i) => `w${i}`).join(' '))).toHaveLength(MAX_QUERY_WORDS);
  });
});

describe('search shape', () => {
  it('serves no items past the result window, and never straddles it', () => {
    expect(pageWindow({ page: 3, limit: 20 })).toEqual({ offset: 40, size: 20 });
    expect(pageWindow({ page: 7, limit: 1500 })).toEqual({ offset: 9000, size: 1000 });
    expect(pageWindow({ page: 10_000, limit: 100 })).toEqual({ offset: MAX_RESULT_WINDOW, size: 0 });
  });

  it('splits attribute pairs into facets by name, keeping values that contain "="', () => {
    const facets = shapeFacets({
      category: [],
      brand: [{ value: '', count: 3 }],
      price: [{ value: '0-1000', count: 0 }],
      attrs: [
        { value: 'size=M', count: 1 },
        { value: 'colour=red', count: 2 },
        { value: 'fit=a=b', count: 1 },
        { value: 'size=L', count: 1 },
      ],
    });
    expect(facets).toEqual({
      category: [],
      brand: [],
      price: [],
      'attr.colour': [{ value: 'red', count: 2 }],
      'attr.fit': [{ value: 'a=b', count: 1 }],
      'attr.size': [
        { value: 'L', count: 1 },
        { value: 'M', count: 1 },
      ],
    });
  });

  it("maps each hit once, with the name of the locale asked for where the index keeps one", () => {
    const source = { id: 'p1', name: 'Mug', brand: 'Acme', price: 1200, currency: 'EUR', image: '', categoryIds: ['c1'], createdAt: '2026-01-02T03:04:05Z', ratingAverage: 4.5, ratingCount: 2 };
    const response = { hits: { total: { value: 2 }, hits: [{ _source: { ...source, localizedNames: { fr: 'Tasse' } } }, { _source: { ...source, id: 'p2', ratingAverage: undefined } }] } };
    const result = searchResult(response as never, 'fr');
    expect(result.items).toEqual([
      { ...source, name: 'Tasse', createdAt: '2026-01-02T03:04:05.000Z' },
      { ...source, id: 'p2', createdAt: '2026-01-02T03:04:05.000Z', ratingAverage: 0 },
    ]);
    expect(searchResult(response as never).items[0]!.name).toBe('Mug');
    expect(result.items[0]).not.toHaveProperty('localizedNames');
  });
});
