import { type chatV1, signOfferCode } from '@shop/contracts';
import { status } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { decideOffer, type OfferDecision, ruleFor } from '../bargaining/rules';
import type { InventoryClient, OrderClient, ProductClient } from '../downstreams';
import type { ChatStore } from '../store';

export interface ToolDeps {
  store: ChatStore;
  products: ProductClient;
  inventory: InventoryClient;
  orders: OrderClient;
  signingKey: string;
  now?: () => number;
  onOffer?: () => void;
}

export type OfferOutcome =
  | { kind: 'offer'; offer: chatV1.Offer; decision: Extract<OfferDecision, { kind: 'offer' }>; productName: string }
  | { kind: 'refused'; decision: Extract<OfferDecision, { kind: 'refused' }>; productName: string }
  | { kind: 'unknown_product' };

const isNotFound = (error: unknown) => (error as { code?: number }).code === status.NOT_FOUND;

/**
 * What the assistant (built-in or a model) may do, always as the session's shopper: the shopper's id
 * comes from the session, never from the conversation, so nothing said in it reaches another
 * shopper's orders; offers go through the admins' rules (rules.ts) whatever price was asked.
 */
export class ShopperTools {
  constructor(
    private readonly userId: string,
    private readonly sessionId: string,
    private readonly deps: ToolDeps,
  ) {}

  private now() {
    return this.deps.now?.() ?? Date.now();
  }

  async searchProducts(input: { query: string; minPrice?: number; maxPrice?: number; limit?: number }): Promise<chatV1.ProductRef[]> {
    const result = await this.deps.products.call('searchProducts', {
      q: input.query,
      category: '',
      minPrice: input.minPrice,
      maxPrice: input.maxPrice,
      attributes: [],
      sort: input.query ? 'relevance' : 'price_asc',
      page: 1,
      limit: Math.min(input.limit ?? 5, 10),
    });
    return result.items.map((item) => ({ id: item.id, name: item.name, price: item.price ? { amount: item.price.amount, currency: item.price.currency } : undefined, sku: '' }));
  }

  /** A published product with its variants' prices and stock (undefined when there is none). */
  async productDetail(productId: string) {
    try {
      const product = await this.deps.products.call('getProduct', { id: productId, includeDrafts: false });
      const stock = await this.deps.inventory.call('getStock', { skus: product.variants.map((variant) => variant.sku) });
      const available = new Map(stock.levels.map((level) => [level.sku, level.available]));
      return {
        id: product.id,
        name: product.name,
        description: product.description,
        categoryIds: product.categoryIds,
        variants: product.variants.map((variant) => ({ sku: variant.sku, price: variant.price, available: available.get(variant.sku) ?? 0 })),
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async myOrders(limit = 5): Promise<chatV1.OrderRef[]> {
    const result = await this.deps.orders.call('listOrders', { userId: this.userId, status: '', page: 1, limit });
    return result.items.map((order) => ({ id: order.id, status: order.status, total: order.total }));
  }

  /** One of the shopper's orders; another shopper's is the same as none. */
  async myOrder(orderId: string): Promise<chatV1.OrderRef | undefined> {
    try {
      const order = await this.deps.orders.call('getOrder', { orderId, userId: this.userId });
      return { id: order.id, status: order.status, total: order.total };
    } catch (error) {
      if (isNotFound(error) || (error as { code?: number }).code === status.INVALID_ARGUMENT) return undefined;
      throw error;
    }
  }

  /** Cancels one of the shopper's orders (only ever called once the shopper confirmed in a later message). */
  async cancelOrder(orderId: string): Promise<{ ok: true; order: chatV1.OrderRef } | { ok: false; reason: string }> {
    try {
      const order = await this.deps.orders.call('cancelOrder', { orderId, userId: this.userId, reason: 'cancelled by the shopper in chat' });
      return { ok: true, order: { id: order.id, status: order.status, total: order.total } };
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code === status.NOT_FOUND) return { ok: false, reason: 'not_found' };
      if (code === status.FAILED_PRECONDITION) return { ok: false, reason: (error as Error).message.replace(/^\d+ [A-Z_]+: /, '') };
      throw error;
    }
  }

  /** The SKU of a product's first variant, for "a discount on it" after a search. */
  async firstSku(productId: string): Promise<string | undefined> {
    return (await this.productDetail(productId))?.variants[0]?.sku;
  }

  /**
   * Asks for an offer on a SKU: the rule of its product (or category), the stock left, the offers
   * this shopper had under it, then a signed single-use code for the price the rule allows.
   */
  async makeOffer(input: { sku: string; price?: number; percent?: number; quantity: number }): Promise<OfferOutcome> {
    const { items } = await this.deps.products.call('getVariantsBySku', { skus: [input.sku] });
    const variant = items.find((item) => item.sku === input.sku && item.purchasable);
    if (!variant?.price) return { kind: 'unknown_product' };
    const product = await this.productDetail(variant.productId);
    if (!product) return { kind: 'unknown_product' };
    const rules = await this.deps.store.rules.find({ $or: [{ scope: 'product', targetId: product.id }, { scope: 'category', targetId: { $in: product.categoryIds } }] }).toArray();
    const rule = ruleFor(product.id, product.categoryIds, rules);
    const ruleId = rule ? `${rule.scope}:${rule.targetId}` : '';
    const now = this.now();
    const decision = decideOffer(rule, {
      listAmount: variant.price.amount,
      requestedAmount: input.price,
      requestedPercent: input.percent,
      quantity: input.quantity,
      available: product.variants.find((candidate) => candidate.sku === input.sku)?.available ?? 0,
      offersMade: rule ? await this.deps.store.offers.countDocuments({ userId: this.userId, ruleId }) : 0,
      now,
    });
    if (decision.kind === 'refused') return { kind: 'refused', decision, productName: product.name };
    const id = randomUUID();
    const currency = variant.price.currency;
    await this.deps.store.offers.insertOne({
      _id: id,
      userId: this.userId,
      sessionId: this.sessionId,
      sku: input.sku,
      ruleId,
      amount: decision.amount,
      listAmount: variant.price.amount,
      currency,
      quantity: input.quantity,
      expiresAt: new Date(decision.expiresAt),
      createdAt: new Date(now),
    });
    this.deps.onOffer?.();
    const code = signOfferCode(
      { id, userId: this.userId, sku: input.sku, amount: decision.amount, currency, listAmount: variant.price.amount, maxDiscountPercent: rule!.maxDiscountPercent, minQuantity: rule!.minQuantity, expiresAt: decision.expiresAt },
      this.deps.signingKey,
    );
    return {
      kind: 'offer',
      decision,
      productName: product.name,
      offer: {
        code,
        sku: input.sku,
        price: { amount: decision.amount, currency },
        listPrice: { amount: variant.price.amount, currency },
        expiresAt: new Date(decision.expiresAt).toISOString(),
        minQuantity: rule!.minQuantity,
      },
    };
  }

  /** Records that the shopper asked for a human, for support staff to list. */
  async handover(text: string): Promise<void> {
    await this.deps.store.handovers.insertOne({ _id: randomUUID(), sessionId: this.sessionId, userId: this.userId, text, createdAt: new Date(this.now()) });
  }
}
