import type { chatV1 } from '@shop/contracts';
import type { ShopperTools } from '../tools/shopper-tools';
import { type Intent, type Language, parseIntent } from './intents';

export interface AssistantTurn {
  reply: chatV1.Reply;
  /** Products shown, remembered for "a discount on it". */
  shownProductIds?: string[];
  /** An order the shopper asked to cancel: cancelled only if their next message confirms. */
  pendingCancel?: string;
}

const money = (value: chatV1.Money | undefined, language: Language) => {
  if (!value) return '?';
  const major = (value.amount / 100).toFixed(2);
  return language === 'fr' ? `${major.replace('.', ',')} ${value.currency}` : `${major} ${value.currency}`;
};

const PREFIX: Record<Language, string> = { en: 'Built-in assistant: ', fr: 'Assistant intégré : ' };

const STATUS_FR: Record<string, string> = {
  PENDING: 'en attente',
  AWAITING_PAYMENT: 'en attente de paiement',
  CONFIRMED: 'confirmée',
  FULFILLING: 'en préparation',
  SHIPPED: 'expédiée',
  DELIVERED: 'livrée',
  CANCELLED: 'annulée',
  REFUNDED: 'remboursée',
};

const reply = (intent: Intent, text: string, extra: Partial<chatV1.Reply> = {}): chatV1.Reply => ({
  text: PREFIX[intent.language] + text,
  products: [],
  orders: [],
  intent: intent.kind,
  handover: false,
  ...extra,
});

/**
 * The assistant used when no model is configured: keyword intents (intents.ts) answered from the
 * same shopper-scoped tools a model would call, in the shopper's language (English or French), and
 * saying it is the built-in assistant.
 */
export async function builtinTurn(text: string, tools: ShopperTools, lastProductIds: readonly string[]): Promise<AssistantTurn> {
  const intent = parseIntent(text);
  const fr = intent.language === 'fr';
  switch (intent.kind) {
    case 'handover': {
      await tools.handover(text);
      return {
        reply: reply(intent, fr ? "j'ai transmis votre demande à un conseiller, qui vous répondra ici." : 'I have passed your request to a member of our support staff, who will answer you here.', { handover: true }),
      };
    }
    case 'cancel': {
      const order = intent.orderId ? await tools.myOrder(intent.orderId) : undefined;
      if (!order) {
        return { reply: reply(intent, fr ? "quelle commande ? Donnez-moi son numéro (vos commandes : « où en est ma commande »)." : 'which order? Give me its number (ask "where is my order" to list them).') };
      }
      return {
        reply: reply(intent, fr ? `voulez-vous vraiment annuler la commande ${order.id} (${STATUS_FR[order.status] ?? order.status}) ? Répondez « oui » pour confirmer.` : `do you really want to cancel order ${order.id} (${order.status})? Reply "yes" to confirm.`, { orders: [order] }),
        pendingCancel: order.id,
      };
    }
    case 'order_status': {
      if (intent.orderId) {
        const order = await tools.myOrder(intent.orderId);
        if (!order) return { reply: reply(intent, fr ? 'je ne trouve pas cette commande parmi les vôtres.' : "I can't find that order among yours.") };
        const status = fr ? (STATUS_FR[order.status] ?? order.status) : order.status;
        return { reply: reply(intent, fr ? `votre commande ${order.id} est ${status}.` : `your order ${order.id} is ${status}.`, { orders: [order] }) };
      }
      const orders = await tools.myOrders();
      if (orders.length === 0) return { reply: reply(intent, fr ? "vous n'avez pas encore de commande." : "you haven't placed any order yet.") };
      const lines = orders.map((order) => `${order.id}: ${fr ? (STATUS_FR[order.status] ?? order.status) : order.status} (${money(order.total, intent.language)})`);
      return { reply: reply(intent, (fr ? 'vos dernières commandes : ' : 'your latest orders: ') + lines.join('; '), { orders }) };
    }
    case 'search': {
      const products = await tools.searchProducts({ query: intent.query, minPrice: intent.minPrice, maxPrice: intent.maxPrice });
      const limit = intent.maxPrice !== undefined ? (fr ? ` à moins de ${money({ amount: intent.maxPrice, currency: '' }, 'fr').trim()}` : ` under ${money({ amount: intent.maxPrice, currency: '' }, 'en').trim()}`) : '';
      if (products.length === 0) {
        return { reply: reply(intent, fr ? `je n'ai rien trouvé pour « ${intent.query} »${limit}.` : `I found nothing for "${intent.query}"${limit}.`), shownProductIds: [] };
      }
      const lines = products.map((product) => `${product.name} (${money(product.price, intent.language)})`);
      return {
        reply: reply(intent, (fr ? `voici ce que j'ai trouvé${limit} : ` : `here is what I found${limit}: `) + lines.join('; '), { products }),
        shownProductIds: products.map((product) => product.id),
      };
    }
    case 'bargain': {
      const sku = intent.sku ?? (lastProductIds[0] ? await tools.firstSku(lastProductIds[0]) : undefined);
      if (!sku) {
        return { reply: reply(intent, fr ? 'sur quel article ? Donnez-moi sa référence (SKU) ou cherchez-le d’abord.' : 'which item? Tell me its SKU, or search for it first.') };
      }
      const outcome = await tools.makeOffer({ sku, price: intent.price, percent: intent.percent, quantity: intent.quantity });
      if (outcome.kind === 'unknown_product') return { reply: reply(intent, fr ? `je ne connais pas l'article ${sku}.` : `I don't know the item ${sku}.`) };
      if (outcome.kind === 'refused') {
        const { reason, detail } = outcome.decision;
        const why = {
          no_rule: fr ? `le prix de ${outcome.productName} n'est pas négociable.` : `the price of ${outcome.productName} is not open to bargaining.`,
          min_quantity: fr ? `une offre sur ${outcome.productName} demande au moins ${detail} unités.` : `an offer on ${outcome.productName} needs at least ${detail} units.`,
          min_stock: fr ? `il ne reste pas assez de stock de ${outcome.productName} pour une remise.` : `there is not enough stock of ${outcome.productName} left for a discount.`,
          too_many_offers: fr ? `vous avez déjà reçu ${detail} offres sur cet article.` : `you have already had ${detail} offers on this item.`,
        }[reason];
        return { reply: reply(intent, why) };
      }
      const { offer, decision } = outcome;
      const price = money(offer.price, intent.language);
      const list = money(offer.listPrice, intent.language);
      const capped = decision.capped ? (fr ? 'Je ne peux pas descendre plus bas. ' : "I can't go lower than that. ") : '';
      const text = fr
        ? `${capped}je vous propose ${outcome.productName} (${offer.sku}) à ${price} au lieu de ${list}, valable jusqu'à ${offer.expiresAt}. Utilisez le code d'offre à la commande.`
        : `${capped}I can offer ${outcome.productName} (${offer.sku}) at ${price} instead of ${list}, valid until ${offer.expiresAt}. Use the offer code at checkout.`;
      return { reply: reply(intent, text, { offer }) };
    }
    case 'help':
      return {
        reply: reply(
          intent,
          fr
            ? 'je peux vous donner le statut de vos commandes, chercher des articles (ex. « tasse à moins de 20 € »), négocier un prix ou vous passer un conseiller.'
            : 'I can tell you the status of your orders, search products (e.g. "mug under 20"), bargain on a price, or hand you over to a human.',
        ),
      };
  }
}
