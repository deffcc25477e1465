import { parseDuration } from '../config';
import { backoffMs } from '../mail/mail-dispatcher';
import { formatMoney, LANGUAGES, languageOf, NOTIFICATION_TYPES, orderReference, renderNotification } from './templates';

const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
const ORDER = '1a2b3c4d-0000-4000-8000-000000000000';

describe('notification templates', () => {
  it('writes in the profile’s language, English for any other', () => {
    expect(['fr', 'fr-CA', 'de_CH', 'ES', 'en-GB', 'pt-BR', '', 'x'].map(languageOf)).toEqual(['fr', 'fr', 'de', 'es', 'en', 'en', 'en', 'en']);
    expect(renderNotification('order.shipped', 'de-AT', { name: 'Ute', orderId: ORDER }).subject).toBe('Bestellung #1A2B3C4D versandt');
    expect(renderNotification('order.shipped', 'ja', { name: 'Aki', orderId: ORDER }).subject).toBe('Order #1A2B3C4D shipped');
  });

  it('formats money from minor units for the locale', () => {
    expect(plain(formatMoney({ amount: 125050, currency: 'EUR' }, 'de'))).toBe('1.250,50 €');
    expect(plain(formatMoney({ amount: 125050, currency: 'EUR' }, 'fr'))).toBe('1 250,50 €');
    expect(formatMoney({ amount: 125050, currency: 'EUR' }, 'en')).toBe('€1,250.50');
    // Swiss German groups thousands with an apostrophe (ICU versions differ on which one).
    expect(plain(formatMoney({ amount: 125050, currency: 'CHF' }, 'de-CH'))).toMatch(/^CHF 1['’]250\.50$/);
    // No minor units in yen.
    expect(formatMoney({ amount: 1500, currency: 'JPY' }, 'en')).toBe('¥1,500');
    expect(orderReference(ORDER)).toBe('#1A2B3C4D');
  });

  it('has every type in every language, as text and escaped HTML', () => {
    for (const language of LANGUAGES) {
      for (const type of NOTIFICATION_TYPES) {
        const rendered = renderNotification(type, language, {
          name: '<Ada & Co>',
          orderId: ORDER,
          total: { amount: 999, currency: 'EUR' },
          amount: { amount: 500, currency: 'EUR' },
          reason: 'out of stock: <MUG>',
          full: false,
          lines: 2,
        });
        expect(rendered.language).toBe(language);
        expect(rendered.title.length).toBeGreaterThan(5);
        expect(rendered.body).not.toMatch(/undefined|NaN|\$\{/);
        expect(rendered.text).toContain(rendered.body);
        expect(rendered.text).toContain('<Ada & Co>');
        expect(rendered.html).toContain(`<html lang="${language}">`);
        expect(rendered.html).toContain('&lt;Ada &amp; Co&gt;');
        expect(rendered.html).not.toContain('<Ada');
        expect(rendered.html).not.toContain('<MUG>');
      }
    }
  });

  it('greets without a name when there is none, and counts cart lines in the language', () => {
    expect(renderNotification('account.welcome', 'es', { name: '' }).text.startsWith('Hola:\n')).toBe(true);
    expect(plain(renderNotification('cart.abandoned', 'fr', { name: 'Léa', lines: 1, total: { amount: 2500, currency: 'EUR' } }).body)).toBe(
      'Vous avez laissé 1 article dans votre panier, pour un total de 25,00 €. Ils vous attendent quand vous serez prêt.',
    );
    expect(renderNotification('cart.abandoned', 'en', { name: '', lines: 3 }).body).toBe('You left 3 items in your cart. They are still there whenever you are ready.');
    expect(plain(renderNotification('payment.refunded', 'de', { name: '', orderId: ORDER, amount: { amount: 4200, currency: 'EUR' }, full: true }).body)).toContain(
      'Wir haben Bestellung #1A2B3C4D vollständig erstattet: 42,00 €.',
    );
  });
});

describe('notification settings', () => {
  it('reads durations', () => {
    expect(['24h', '30m', '90s', '2d', '500ms', '3600', 'soon'].map(parseDuration)).toEqual([86_400_000, 1_800_000, 90_000, 172_800_000, 500, 3_600_000, undefined]);
  });

  it('backs off exponentially up to the maximum', () => {
    const options = { initialBackoffMs: 5000, maxBackoffMs: 60_000 };
    expect([1, 2, 3, 4, 5, 10].map((attempts) => backoffMs(attempts, options))).toEqual([5000, 10_000, 20_000, 40_000, 60_000, 60_000]);
  });
});
