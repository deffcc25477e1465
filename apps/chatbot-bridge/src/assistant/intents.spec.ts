import { isAffirmative, parseIntent } from './intents';

describe('intent parsing', () => {
  it('reads order status questions in English and French', () => {
    expect(parseIntent('What is the status of my order?')).toEqual({ kind: 'order_status', language: 'en' });
    expect(parseIntent('Où en est ma commande ?')).toEqual({ kind: 'order_status', language: 'fr' });
    expect(parseIntent('where is order 3F2504E0-4F89-11D3-9A0C-0305E82C3301')).toMatchObject({ kind: 'order_status', orderId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301' });
  });

  it('reads searches with price limits', () => {
    expect(parseIntent('mug under 20')).toEqual({ kind: 'search', language: 'en', query: 'mug', maxPrice: 2000 });
    expect(parseIntent('show me lamps over 10 and below 49.99 €')).toMatchObject({ kind: 'search', query: 'lamps', maxPrice: 4999, minPrice: 1000 });
    expect(parseIntent('je cherche une tasse à moins de 15,50 €')).toEqual({ kind: 'search', language: 'fr', query: 'tasse', maxPrice: 1550 });
    expect(parseIntent('brass desk lamp')).toMatchObject({ kind: 'search', query: 'brass desk lamp' });
  });

  it('reads bargaining with a SKU, a price, a percentage and a quantity', () => {
    expect(parseIntent('Can I get a discount on MUG-42?')).toEqual({ kind: 'bargain', language: 'en', sku: 'MUG-42', quantity: 1 });
    expect(parseIntent('I want 90% off MUG-42')).toMatchObject({ kind: 'bargain', sku: 'MUG-42', percent: 90 });
    expect(parseIntent('would you take 12 € for 2 units of MUG-42, a deal?')).toMatchObject({ kind: 'bargain', price: 1200, quantity: 2 });
    expect(parseIntent('Une remise sur la tasse ? je propose 10 euros')).toMatchObject({ kind: 'bargain', language: 'fr', price: 1000 });
  });

  it('reads cancellations and their confirmation', () => {
    expect(parseIntent('Please cancel my order 3f2504e0-4f89-11d3-9a0c-0305e82c3301')).toEqual({ kind: 'cancel', language: 'en', orderId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301' });
    expect(parseIntent('je veux annuler ma commande')).toEqual({ kind: 'cancel', language: 'fr' });
    expect(isAffirmative('Yes, please')).toBe(true);
    expect(isAffirmative('oui')).toBe(true);
    expect(isAffirmative('no, wait')).toBe(false);
  });

  it('reads handover and falls back to help', () => {
    expect(parseIntent('I want to talk to a human')).toEqual({ kind: 'handover', language: 'en' });
    expect(parseIntent('Je veux parler à un conseiller')).toEqual({ kind: 'handover', language: 'fr' });
    expect(parseIntent('?')).toEqual({ kind: 'help', language: 'en' });
  });
});
