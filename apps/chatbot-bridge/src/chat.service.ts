import { Inject, Injectable } from '@nestjs/common';
import type { chatV1 } from '@shop/contracts';
import { AppError } from '@shop/errors';
import type { ServiceMetrics } from '@shop/observability';
import { APP_CONFIG, METRICS } from '@shop/service-kit';
import { randomUUID } from 'node:crypto';
import { type Counter, Histogram } from 'prom-client';
import { builtinTurn } from './assistant/builtin-assistant';
import { detectLanguage, isAffirmative } from './assistant/intents';
import { checkRule } from './bargaining/rules';
import type { ChatConfig } from './config';
import { INVENTORY_CLIENT, type InventoryClient, ORDER_CLIENT, type OrderClient, PRODUCT_CLIENT, type ProductClient } from './downstreams';
import { CHAT_STORE, type ChatStore, type RuleDocument, type SessionDocument } from './store';
import { ModelAssistant, ModelUnavailableError, type TurnProgress } from './model/model-assistant';
import { ShopperTools } from './tools/shopper-tools';
import { isUuid } from '@shop/validation';

/** Messages kept per session (older ones are dropped from the document). */
const KEPT_MESSAGES = 200;

const toSession = (session: SessionDocument): chatV1.Session => ({
  id: session._id,
  userId: session.userId,
  messages: session.messages.map((message) => ({ role: message.role, text: message.text, at: message.at.toISOString() })),
  createdAt: session.createdAt.toISOString(),
});

export const toRule = (rule: RuleDocument): chatV1.BargainingRule => ({
  scope: rule.scope,
  targetId: rule.targetId,
  maxDiscountPercent: rule.maxDiscountPercent,
  minQuantity: rule.minQuantity,
  minStock: rule.minStock,
  validForMinutes: rule.validForMinutes,
  maxOffersPerShopper: rule.maxOffersPerShopper,
  updatedAt: rule.updatedAt.toISOString(),
  updatedBy: rule.updatedBy,
});

/** Sessions, turns through the assistant, bargaining rules and handovers. */
@Injectable()
export class ChatService {
  private readonly turns: Counter<'intent'>;
  private readonly offers: Counter<never>;
  private readonly refusals: Counter<'reason'>;
  private readonly model: ModelAssistant | undefined;
  private readonly fallbacks: Counter<never>;
  private readonly stages: Histogram<'stage'>;

  constructor(
    @Inject(CHAT_STORE) private readonly store: ChatStore,
    @Inject(APP_CONFIG) private readonly config: ChatConfig,
    @Inject(PRODUCT_CLIENT) private readonly products: ProductClient,
    @Inject(INVENTORY_CLIENT) private readonly inventory: InventoryClient,
    @Inject(ORDER_CLIENT) private readonly orders: OrderClient,
    @Inject(METRICS) metrics: ServiceMetrics,
  ) {
    this.turns = metrics.counter('shop_chat_turns_total', 'Shopper messages answered, by intent', ['intent']);
    this.offers = metrics.counter('shop_chat_offers_total', 'Bargaining offer codes made', []);
    this.refusals = metrics.counter('shop_chat_refusals_total', 'Messages refused before the assistant, by reason', ['reason']);
    this.fallbacks = metrics.counter('shop_chat_model_fallbacks_total', 'Messages the built-in assistant answered because the model failed', []);
    // Where a turn's time goes: reading the session and counting the day's messages, the assistant
    // (the model and its tool calls), and storing the turn.
    this.stages = new Histogram({
      name: 'shop_chat_turn_stage_seconds',
      help: 'Time of each stage of a shopper message: before_assistant, assistant, store',
      labelNames: ['stage'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.31, 0.32, 0.35, 0.4, 0.5, 1, 2, 5, 10, 30],
      registers: [metrics.registry],
    });
    const modelCalls = metrics.counter('shop_chat_model_calls_total', 'Model calls, by outcome', ['outcome']);
    const modelLatency = new Histogram({ name: 'shop_chat_model_duration_seconds', help: 'Model call latency (retries included)', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [metrics.registry] });
    this.model = config.LLM_BASE_URL
      ? new ModelAssistant(
          {
            baseUrl: config.LLM_BASE_URL,
            apiKey: config.LLM_API_KEY ?? '',
            model: config.LLM_MODEL!,
            timeoutMs: config.LLM_TIMEOUT_MS,
            maxRetries: config.LLM_MAX_RETRIES,
            maxTokensPerReply: config.LLM_MAX_TOKENS,
            maxToolRounds: config.LLM_MAX_TOOL_ROUNDS,
            breaker: { failureThreshold: config.LLM_CIRCUIT_FAILURE_THRESHOLD, openMs: config.LLM_CIRCUIT_OPEN_MS },
          },
          (outcome, seconds) => {
            modelCalls.inc({ outcome });
            if (outcome !== 'circuit_open') modelLatency.observe(seconds);
          },
        )
      : undefined;
  }

  async create(userId: string): Promise<chatV1.Session> {
    if (!isUuid(userId)) throw AppError.invalid('userId must be a user id');
    const now = new Date();
    const session: SessionDocument = { _id: randomUUID(), userId, messages: [], turns: 0, lastProductIds: [], createdAt: now, updatedAt: now };
    await this.store.sessions.insertOne(session);
    return toSession(session);
  }

  /** The shopper's session; someone else's is NOT_FOUND, the same as none. */
  private async owned(userId: string, sessionId: string): Promise<SessionDocument> {
    const session = isUuid(sessionId) ? await this.store.sessions.findOne({ _id: sessionId }) : null;
    if (!session || session.userId !== userId) throw AppError.notFound('chat session not found');
    return session;
  }

  async get(userId: string, sessionId: string): Promise<chatV1.Session> {
    return toSession(await this.owned(userId, sessionId));
  }

  /**
   * One shopper message answered and stored. `progress` sees the reply as it is made: the model's
   * text as it streams, the tools it calls; the built-in assistant's answer in one piece. The reply
   * is returned once the turn is stored.
   */
  async send(request: chatV1.SendMessageRequest, progress: (event: TurnProgress) => void = () => undefined): Promise<chatV1.Reply> {
    const text = request.text.trim();
    if (text === '') throw AppError.invalid('text is required');
    if ([...text].length > this.config.CHAT_MAX_MESSAGE_CHARS) throw AppError.invalid(`text is longer than ${this.config.CHAT_MAX_MESSAGE_CHARS} characters`);
    // The session and the shopper's count for the day together: one round trip less per message (a
    // refused message counts toward the day too).
    const day = `${request.userId}:${new Date().toISOString().slice(0, 10)}`;
    const received = performance.now();
    const [session, usage] = await Promise.all([
      this.owned(request.userId, request.sessionId),
      this.store.usage.findOneAndUpdate({ _id: day }, { $inc: { turns: 1 } }, { upsert: true, returnDocument: 'after' }),
    ]);
    if (session.turns >= this.config.CHAT_MAX_TURNS_PER_SESSION) {
      this.refusals.inc({ reason: 'session_turns' });
      throw new AppError('rate_limited', `a chat session takes at most ${this.config.CHAT_MAX_TURNS_PER_SESSION} messages; start a new one`);
    }
    if ((usage?.turns ?? 1) > this.config.CHAT_MAX_TURNS_PER_DAY) {
      this.refusals.inc({ reason: 'daily_turns' });
      throw new AppError('rate_limited', `at most ${this.config.CHAT_MAX_TURNS_PER_DAY} chat messages a day`, 3600);
    }
    const tools = new ShopperTools(session.userId, session._id, {
      store: this.store,
      products: this.products,
      inventory: this.inventory,
      orders: this.orders,
      signingKey: this.config.OFFER_SIGNING_KEY,
      onOffer: () => this.offers.inc(),
    });
    const asked = new Date();
    if (this.model && (session.tokens ?? 0) >= this.config.LLM_MAX_TOKENS_PER_SESSION) {
      this.refusals.inc({ reason: 'session_tokens' });
      throw new AppError('rate_limited', 'this chat session has used its model budget; start a new one');
    }
    let turn: Awaited<ReturnType<typeof builtinTurn>> & { tokens?: number };
    const assistantStarted = performance.now();
    this.stages.observe({ stage: 'before_assistant' }, (assistantStarted - received) / 1000);
    let streamed = false;
    try {
      // A cancellation is carried out by code, only when the message right after the question confirms it.
      if (session.pendingCancel && isAffirmative(text)) turn = await this.confirmCancel(session.pendingCancel, text, tools);
      else if (this.model) {
        streamed = true;
        turn = await this.model.turn(text, session.messages, tools, progress);
      } else turn = await builtinTurn(text, tools, session.lastProductIds);
    } catch (error) {
      if (!(error instanceof ModelUnavailableError)) throw error;
      // The model is away: the built-in assistant answers, saying so (after whatever the model had
      // streamed before it failed: the reply event's text is the one stored).
      this.fallbacks.inc();
      streamed = false;
      turn = await builtinTurn(text, tools, session.lastProductIds);
    }
    if (!streamed) progress({ kind: 'text', text: turn.reply.text });
    const storeStarted = performance.now();
    this.stages.observe({ stage: 'assistant' }, (storeStarted - assistantStarted) / 1000);
    this.turns.inc({ intent: turn.reply.intent });
    await this.store.sessions.updateOne(
      { _id: session._id },
      {
        $push: { messages: { $each: [{ role: 'user', text, at: asked }, { role: 'assistant', text: turn.reply.text, at: new Date() }], $slice: -KEPT_MESSAGES } },
        $inc: { turns: 1, tokens: turn.tokens ?? 0 },
        $set: { updatedAt: new Date(), pendingCancel: turn.pendingCancel ?? null, ...(turn.shownProductIds ? { lastProductIds: turn.shownProductIds } : {}) },
      },
    );
    this.stages.observe({ stage: 'store' }, (performance.now() - storeStarted) / 1000);
    return turn.reply;
  }

  private async confirmCancel(orderId: string, text: string, tools: ShopperTools): Promise<Awaited<ReturnType<typeof builtinTurn>>> {
    const fr = detectLanguage(text) === 'fr' || /^\s*oui\b/i.test(text);
    const outcome = await tools.cancelOrder(orderId);
    const said = outcome.ok
      ? fr ? `la commande ${orderId} est annulée.` : `order ${orderId} is cancelled.`
      : fr ? `je n'ai pas pu annuler la commande ${orderId} : ${outcome.reason}.` : `I could not cancel order ${orderId}: ${outcome.reason}.`;
    return {
      reply: { text: (fr ? 'Assistant intégré : ' : 'Built-in assistant: ') + said, products: [], orders: outcome.ok ? [outcome.order] : [], intent: 'cancel', handover: false },
    };
  }

  async putRule(request: chatV1.PutBargainingRuleRequest): Promise<chatV1.BargainingRule> {
    const rule = checkRule(request);
    const document: RuleDocument = { _id: `${rule.scope}:${rule.targetId}`, ...rule, updatedBy: request.updatedBy, updatedAt: new Date() };
    await this.store.rules.replaceOne({ _id: document._id }, document, { upsert: true });
    return toRule(document);
  }

  async listRules(): Promise<chatV1.BargainingRule[]> {
    return (await this.store.rules.find({}).sort({ _id: 1 }).limit(1000).toArray()).map(toRule);
  }

  async deleteRule(scope: string, targetId: string): Promise<void> {
    const result = await this.store.rules.deleteOne({ _id: `${scope}:${targetId.trim()}` });
    if (result.deletedCount === 0) throw AppError.notFound('bargaining rule not found');
  }

  async handovers(limit: number): Promise<chatV1.Handover[]> {
    const items = await this.store.handovers.find({}).sort({ createdAt: -1 }).limit(Math.min(Math.max(limit || 50, 1), 200)).toArray();
    return items.map((item) => ({ id: item._id, sessionId: item.sessionId, userId: item.userId, text: item.text, createdAt: item.createdAt.toISOString() }));
  }
}
