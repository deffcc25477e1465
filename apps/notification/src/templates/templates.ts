/**
 * What a shopper is told, in their language: a title and a body for the in-app notification, and
 * the same as an email (subject, text and HTML, with a greeting and a sign-off). At least English,
 * French, German and Spanish; any other language gets English. Money is formatted for the shopper's
 * locale from minor units.
 */

export const LANGUAGES = ['en', 'fr', 'de', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

export const NOTIFICATION_TYPES = [
  'account.welcome',
  'order.confirmed',
  'order.cancelled',
  'order.shipped',
  'order.delivered',
  'payment.refunded',
  'cart.abandoned',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** What a notification is about, for preferences: order mails are transactional, marketing is opt-in. */
export type Category = 'orders' | 'account' | 'marketing';

export const CATEGORY: Record<NotificationType, Category> = {
  'account.welcome': 'account',
  'order.confirmed': 'orders',
  'order.cancelled': 'orders',
  'order.shipped': 'orders',
  'order.delivered': 'orders',
  'payment.refunded': 'orders',
  'cart.abandoned': 'marketing',
};

export interface Money {
  amount: number;
  currency: string;
}

/** The facts a notification is made of; each type uses some of them. */
export interface Facts {
  /** The recipient's name, for the greeting; may be empty. */
  name: string;
  orderId?: string;
  total?: Money;
  amount?: Money;
  reason?: string;
  /** A refund of the whole order. */
  full?: boolean;
  /** Lines in an abandoned cart. */
  lines?: number;
}

export interface Rendered {
  language: Language;
  title: string;
  body: string;
  subject: string;
  text: string;
  html: string;
}

/** The language of a profile locale ("de-CH" -> "de"), English when not one we write in. */
export function languageOf(locale: string | undefined): Language {
  const language = (locale ?? '').split(/[-_]/)[0]!.toLowerCase();
  return (LANGUAGES as readonly string[]).includes(language) ? (language as Language) : 'en';
}

/**
 * Money from minor units, as the locale writes it: formatMoney({ amount: 1250, currency: 'EUR' }, 'de')
 * is "12,50 €", in 'en' "€12.50"; currencies without minor units (JPY) are not divided.
 */
export function formatMoney(money: Money, locale: string): string {
  const { format, digits } = currencyFormat(locale, money.currency);
  return format.format(money.amount / 10 ** digits);
}

/** Making an Intl.NumberFormat costs a hundred times using one: one per locale and currency, kept. */
const formats = new Map<string, { format: Intl.NumberFormat; digits: number }>();

function currencyFormat(locale: string, currency: string): { format: Intl.NumberFormat; digits: number } {
  const key = `${locale}|${currency}`;
  let found = formats.get(key);
  if (!found) {
    const tag = Intl.NumberFormat.supportedLocalesOf([locale]).length > 0 ? locale : 'en';
    const format = new Intl.NumberFormat(tag, { style: 'currency', currency });
    found = { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
    // Locales and currencies come from profiles and orders: a handful in practice, bounded anyway.
    if (formats.size >= 1000) formats.clear();
    formats.set(key, found);
  }
  return found;
}

/** "#1A2B3C4D": the first part of an order id, as a shopper would quote it. */
export function orderReference(orderId: string | undefined): string {
  return `#${(orderId ?? '').split('-')[0]!.toUpperCase()}`;
}

interface Phrases {
  greeting(name: string): string;
  signOff: string;
  items(count: number): string;
  texts: { [T in NotificationType]: (facts: Facts, fmt: { money(value: Money | undefined): string; order: string }) => { title: string; body: string } };
}

const pluralRules = new Map(LANGUAGES.map((language) => [language, new Intl.PluralRules(language)]));
const plural = (language: Language, count: number, one: string, other: string) => (pluralRules.get(language)!.select(count) === 'one' ? one : other);

const PHRASES: Record<Language, Phrases> = {
  en: {
    greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
    signOff: 'Thank you for shopping with us.\nThe Shop team',
    items: (count) => `${count} ${plural('en', count, 'item', 'items')}`,
    texts: {
      'account.welcome': () => ({ title: 'Welcome to Shop', body: 'Your account is ready. Browse the catalogue, fill your cart and check out whenever you like.' }),
      'order.confirmed': (f, fmt) => ({
        title: `Order ${fmt.order} confirmed`,
        body: `Thank you! We received your payment of ${fmt.money(f.total)} and are preparing your order.`,
      }),
      'order.cancelled': (f, fmt) => ({
        title: `Order ${fmt.order} cancelled`,
        body: `Your order was cancelled: ${f.reason}. If you were charged, the money is on its way back to you.`,
      }),
      'order.shipped': (_f, fmt) => ({ title: `Order ${fmt.order} shipped`, body: 'Good news: your order is on its way.' }),
      'order.delivered': (_f, fmt) => ({ title: `Order ${fmt.order} delivered`, body: 'Your order was delivered. We hope you enjoy it.' }),
      'payment.refunded': (f, fmt) => ({
        title: `Refund for order ${fmt.order}`,
        body: `${f.full ? `We refunded order ${fmt.order} in full: ${fmt.money(f.amount)}.` : `We refunded ${fmt.money(f.amount)} of order ${fmt.order}.`} It can take a few days to appear on your statement.`,
      }),
      'cart.abandoned': (f, fmt) => ({
        title: 'Your cart is waiting for you',
        body: `You left ${PHRASES.en.items(f.lines ?? 0)} in your cart${f.total ? `, ${fmt.money(f.total)} in all` : ''}. They are still there whenever you are ready.`,
      }),
    },
  },
  fr: {
    greeting: (name) => (name ? `Bonjour ${name},` : 'Bonjour,'),
    signOff: 'Merci de votre confiance.\nL’équipe Shop',
    items: (count) => `${count} ${plural('fr', count, 'article', 'articles')}`,
    texts: {
      'account.welcome': () => ({
        title: 'Bienvenue chez Shop',
        body: 'Votre compte est prêt. Parcourez le catalogue, remplissez votre panier et commandez quand vous le souhaitez.',
      }),
      'order.confirmed': (f, fmt) => ({
        title: `Commande ${fmt.order} confirmée`,
        body: `Merci ! Nous avons bien reçu votre paiement de ${fmt.money(f.total)} et préparons votre commande.`,
      }),
      'order.cancelled': (f, fmt) => ({
        title: `Commande ${fmt.order} annulée`,
        body: `Votre commande a été annulée : ${f.reason}. Si vous avez été débité, le remboursement est en cours.`,
      }),
      'order.shipped': (_f, fmt) => ({ title: `Commande ${fmt.order} expédiée`, body: 'Bonne nouvelle : votre commande est en route.' }),
      'order.delivered': (_f, fmt) => ({ title: `Commande ${fmt.order} livrée`, body: 'Votre commande a été livrée. Nous espérons qu’elle vous plaira.' }),
      'payment.refunded': (f, fmt) => ({
        title: `Remboursement de la commande ${fmt.order}`,
        body: `${f.full ? `Nous avons remboursé l’intégralité de la commande ${fmt.order} : ${fmt.money(f.amount)}.` : `Nous avons remboursé ${fmt.money(f.amount)} sur la commande ${fmt.order}.`} Le montant peut mettre quelques jours à apparaître sur votre relevé.`,
      }),
      'cart.abandoned': (f, fmt) => ({
        title: 'Votre panier vous attend',
        body: `Vous avez laissé ${PHRASES.fr.items(f.lines ?? 0)} dans votre panier${f.total ? `, pour un total de ${fmt.money(f.total)}` : ''}. Ils vous attendent quand vous serez prêt.`,
      }),
    },
  },
  de: {
    greeting: (name) => (name ? `Hallo ${name},` : 'Hallo,'),
    signOff: 'Vielen Dank für Ihren Einkauf.\nIhr Shop-Team',
    items: (count) => `${count} Artikel`,
    texts: {
      'account.welcome': () => ({
        title: 'Willkommen bei Shop',
        body: 'Ihr Konto ist eingerichtet. Stöbern Sie im Katalog, füllen Sie Ihren Warenkorb und bestellen Sie, wann immer Sie möchten.',
      }),
      'order.confirmed': (f, fmt) => ({
        title: `Bestellung ${fmt.order} bestätigt`,
        body: `Vielen Dank! Wir haben Ihre Zahlung über ${fmt.money(f.total)} erhalten und bereiten Ihre Bestellung vor.`,
      }),
      'order.cancelled': (f, fmt) => ({
        title: `Bestellung ${fmt.order} storniert`,
        body: `Ihre Bestellung wurde storniert: ${f.reason}. Falls Sie bereits bezahlt haben, erstatten wir Ihnen den Betrag.`,
      }),
      'order.shipped': (_f, fmt) => ({ title: `Bestellung ${fmt.order} versandt`, body: 'Gute Nachrichten: Ihre Bestellung ist unterwegs.' }),
      'order.delivered': (_f, fmt) => ({ title: `Bestellung ${fmt.order} zugestellt`, body: 'Ihre Bestellung wurde zugestellt. Viel Freude damit!' }),
      'payment.refunded': (f, fmt) => ({
        title: `Erstattung für Bestellung ${fmt.order}`,
        body: `${f.full ? `Wir haben Bestellung ${fmt.order} vollständig erstattet: ${fmt.money(f.amount)}.` : `Wir haben ${fmt.money(f.amount)} für Bestellung ${fmt.order} erstattet.`} Es kann einige Tage dauern, bis der Betrag auf Ihrem Kontoauszug erscheint.`,
      }),
      'cart.abandoned': (f, fmt) => ({
        title: 'Ihr Warenkorb wartet auf Sie',
        body: `Sie haben ${PHRASES.de.items(f.lines ?? 0)} in Ihrem Warenkorb gelassen${f.total ? `, insgesamt ${fmt.money(f.total)}` : ''}. Sie liegen bereit, wann immer Sie möchten.`,
      }),
    },
  },
  es: {
    greeting: (name) => (name ? `Hola, ${name}:` : 'Hola:'),
    signOff: 'Gracias por comprar con nosotros.\nEl equipo de Shop',
    items: (count) => `${count} ${plural('es', count, 'artículo', 'artículos')}`,
    texts: {
      'account.welcome': () => ({ title: 'Te damos la bienvenida a Shop', body: 'Tu cuenta está lista. Explora el catálogo, llena tu carrito y haz tu pedido cuando quieras.' }),
      'order.confirmed': (f, fmt) => ({
        title: `Pedido ${fmt.order} confirmado`,
        body: `¡Gracias! Hemos recibido tu pago de ${fmt.money(f.total)} y estamos preparando tu pedido.`,
      }),
      'order.cancelled': (f, fmt) => ({
        title: `Pedido ${fmt.order} cancelado`,
        body: `Tu pedido ha sido cancelado: ${f.reason}. Si se te cobró, te devolveremos el importe.`,
      }),
      'order.shipped': (_f, fmt) => ({ title: `Pedido ${fmt.order} enviado`, body: 'Buenas noticias: tu pedido está en camino.' }),
      'order.delivered': (_f, fmt) => ({ title: `Pedido ${fmt.order} entregado`, body: 'Tu pedido ha sido entregado. ¡Esperamos que lo disfrutes!' }),
      'payment.refunded': (f, fmt) => ({
        title: `Reembolso del pedido ${fmt.order}`,
        body: `${f.full ? `Hemos reembolsado el pedido ${fmt.order} en su totalidad: ${fmt.money(f.amount)}.` : `Hemos reembolsado ${fmt.money(f.amount)} del pedido ${fmt.order}.`} Puede tardar unos días en aparecer en tu extracto.`,
      }),
      'cart.abandoned': (f, fmt) => ({
        title: 'Tu carrito te espera',
        body: `Dejaste ${PHRASES.es.items(f.lines ?? 0)} en tu carrito${f.total ? `, ${fmt.money(f.total)} en total` : ''}. Siguen ahí cuando quieras.`,
      }),
    },
  },
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
const paragraph = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text).replace(/\n/g, '<br>')}</p>`;

/** The notification of `type` for someone whose profile locale is `locale`. */
export function renderNotification(type: NotificationType, locale: string, facts: Facts): Rendered {
  const language = languageOf(locale);
  // Numbers in the profile's own regional form (de-CH, fr-CA) when its language is one we write in.
  const tag = locale.replace(/_/g, '-');
  const numberLocale = tag.split('-')[0]!.toLowerCase() === language ? tag : language;
  const phrases = PHRASES[language];
  const fmt = { money: (value: Money | undefined) => (value ? formatMoney(value, numberLocale) : ''), order: orderReference(facts.orderId) };
  const { title, body } = phrases.texts[type](facts, fmt);
  const greeting = phrases.greeting(facts.name.trim());
  const text = `${greeting}\n\n${body}\n\n${phrases.signOff}\n`;
  const html = [
    '<!doctype html>',
    `<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>`,
    '<body style="margin:0;background:#f4f4f5;font-family:Helvetica,Arial,sans-serif;color:#18181b;line-height:1.5">',
    '<div style="max-width:560px;margin:0 auto;padding:32px 24px;background:#ffffff">',
    `<h1 style="font-size:20px;margin:0 0 24px">${escapeHtml(title)}</h1>`,
    paragraph(greeting),
    paragraph(body),
    paragraph(phrases.signOff),
    '</div></body></html>',
  ].join('\n');
  return { language, title, body, subject: title, text, html };
}
