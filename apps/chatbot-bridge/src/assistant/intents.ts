/**
 * What a shopper's message asks the built-in assistant, in English or French: the status of their
 * orders, a product search with price limits, a bargaining offer, or a human. Pure: keyword rules,
 * no model.
 */
export type Language = 'en' | 'fr';

export type Intent =
  | { kind: 'order_status'; language: Language; orderId?: string }
  | { kind: 'cancel'; language: Language; orderId?: string }
  | { kind: 'search'; language: Language; query: string; minPrice?: number; maxPrice?: number }
  | { kind: 'bargain'; language: Language; sku?: string; price?: number; percent?: number; quantity: number }
  | { kind: 'handover'; language: Language }
  | { kind: 'help'; language: Language };

const FRENCH = /\b(je|j'|bonjour|salut|ma|mes|une|des|commande|commandes|cherche|chercher|trouve|moins|prix|remise|réduction|reduction|rabais|négocier|negocier|humain|conseiller|pour|avec|est|où|combien|voudrais|veux|pouvez|merci)\b/gi;
const ENGLISH = /\b(i|my|the|a|an|order|orders|find|search|show|under|below|discount|deal|human|agent|please|can|want|looking|for|with|is|where|how)\b/gi;

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i;
const SKU = /\b[A-Z0-9]+(?:[-_][A-Z0-9]+)+\b/;
const NUMBER = String.raw`(\d+(?:[.,]\d{1,2})?)`;
const CURRENCY = String.raw`\s*(?:€|eur|euros?|\$|usd|dollars?)?`;

const CANCEL = /\b(cancel|annuler|annule|annulez)\b/i;
const AFFIRMATIVE = /^\s*(yes|yep|yeah|confirm|confirmed|i confirm|sure|oui|je confirme|confirme|confirmé|d'accord)\b/i;

/** Whether a message confirms what the assistant asked to confirm (a cancellation). */
export const isAffirmative = (text: string) => AFFIRMATIVE.test(text.normalize('NFC'));

const HANDOVER = /\b(human|agent|person|someone real|operator|humain|conseiller|conseillère|opérateur|operateur|vendeur|quelqu'un)\b/i;
const BARGAIN = /\b(discount|deal|bargain|haggle|negotiate|cheaper|offer|reduction|réduction|remise|rabais|n[ée]gocier|moins cher|ristourne|promo)\b|%/i;
const ORDER = /\b(orders?|commandes?|delivery|livraison|track|tracking|suivi|shipped|exp[ée]di[ée]e?)\b/i;
const SEARCH = /\b(find|search|looking for|look for|show me|show|do you have|any|cherche|chercher|recherche|trouve|trouver|montre|montrez|avez-vous|vous avez|je voudrais|i want|i need|buy|acheter)\b/i;

const MAX = new RegExp(String.raw`(?:under|below|less than|cheaper than|at most|max(?:imum)?|up to|no more than|moins de|sous|au plus|maximum|jusqu'à|jusqu'a|pas plus de|<)\s*(?:€|\$)?\s*${NUMBER}${CURRENCY}`, 'i');
const MIN = new RegExp(String.raw`(?:over|above|more than|at least|min(?:imum)?|from|plus de|au moins|à partir de|a partir de|>)\s*(?:€|\$)?\s*${NUMBER}${CURRENCY}`, 'i');
const PERCENT = new RegExp(String.raw`${NUMBER}\s*%`);
const PRICE = new RegExp(String.raw`(?:for|at|pay|pour|à|a|payer|offer|propose|offre)\s*(?:€|\$)?\s*${NUMBER}${CURRENCY}|(?:€|\$)\s*${NUMBER}|${NUMBER}\s*(?:€|eur\b|euros?\b|\$|dollars?\b)`, 'i');
const QUANTITY = /\b(\d{1,3})\s*(?:x\b|units?|pieces?|items?|of them|unités?|pièces?|exemplaires?)|\bx\s*(\d{1,3})\b/i;

const STOP = new Set(
  (
    'i me my we a an the some any for to of in on with and or is are do you have please can could would like want need show find search looking look ' +
    'under below less than cheaper at most max maximum up no more over above least min minimum from price priced cost costs euro euros eur usd dollar dollars ' +
    'je j moi un une des de du le la les l pour avec et ou est sont vous avez svp voudrais veux cherche chercher recherche trouve trouver montre montrez ' +
    'moins sous au plus maximum jusqu à a pas prix euro euros coûte coute qui quelque chose'
  ).split(' '),
);

/** Major units written by the shopper ("19.99", "19,99") to minor units. */
const minor = (text: string) => Math.round(Number(text.replace(',', '.')) * 100);

export function detectLanguage(text: string): Language {
  const fr = (text.match(FRENCH) ?? []).length + (/[éèêàçù]/i.test(text) ? 1 : 0);
  const en = (text.match(ENGLISH) ?? []).length;
  return fr > en ? 'fr' : 'en';
}

export function parseIntent(raw: string): Intent {
  const text = raw.normalize('NFC').trim();
  const language = detectLanguage(text);
  if (HANDOVER.test(text)) return { kind: 'handover', language };
  if (CANCEL.test(text) && ORDER.test(text)) {
    const orderId = UUID.exec(text)?.[0];
    return { kind: 'cancel', language, ...(orderId ? { orderId: orderId.toLowerCase() } : {}) };
  }
  if (BARGAIN.test(text)) {
    const percent = PERCENT.exec(text);
    const price = percent ? undefined : PRICE.exec(text.replace(SKU, ' '));
    const quantity = QUANTITY.exec(text);
    const priceText = price?.[1] ?? price?.[2] ?? price?.[3];
    return {
      kind: 'bargain',
      language,
      sku: SKU.exec(text)?.[0],
      ...(percent ? { percent: Number(percent[1]!.replace(',', '.')) } : {}),
      ...(priceText ? { price: minor(priceText) } : {}),
      quantity: quantity ? Number(quantity[1] ?? quantity[2]) : 1,
    };
  }
  if (ORDER.test(text) && !MAX.test(text)) {
    const orderId = UUID.exec(text)?.[0];
    return { kind: 'order_status', language, ...(orderId ? { orderId: orderId.toLowerCase() } : {}) };
  }
  const max = MAX.exec(text);
  const min = MIN.exec(text);
  let rest = text;
  for (const match of [max, min]) if (match) rest = rest.replace(match[0], ' ');
  const words = rest
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .split(/[\s']+/)
    .filter((word) => word.length > 1 && !STOP.has(word) && !/^\d/.test(word));
  if (words.length === 0 && !max && !min && !SEARCH.test(text)) return { kind: 'help', language };
  return {
    kind: 'search',
    language,
    query: words.join(' '),
    ...(max ? { maxPrice: minor(max[1]!) } : {}),
    ...(min ? { minPrice: minor(min[1]!) } : {}),
  };
}
