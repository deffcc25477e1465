import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/contract';
import { BargainingRuleListView, BargainingRuleView, ChatReplyView, ChatSessionCreatedView, ChatSessionView, HandoverListView } from '../docs/views';
import type { chatV1 } from '@shop/contracts';
import { CurrentPrincipal, type Principal, RequirePermissions } from '@shop/security';
import type { FastifyReply } from 'fastify';
import { CHAT_CLIENT, type ChatClient } from '../downstream/downstreams';
import { BargainingRuleDto, ChatMessageDto, HandoverQueryDto } from './chat.dto';

/** The reply as clients see it: products, orders and an offer only when there are some. */
export function toReplyView(reply: chatV1.Reply | undefined) {
  if (!reply) return { text: '' };
  return {
    text: reply.text,
    intent: reply.intent,
    ...(reply.products.length > 0 ? { products: reply.products.map((product) => ({ id: product.id, name: product.name, price: product.price })) } : {}),
    ...(reply.orders.length > 0 ? { orders: reply.orders.map((order) => ({ id: order.id, status: order.status, total: order.total })) } : {}),
    ...(reply.offer ? { offer: { code: reply.offer.code, sku: reply.offer.sku, price: reply.offer.price, listPrice: reply.offer.listPrice, minQuantity: reply.offer.minQuantity, expiresAt: reply.offer.expiresAt } } : {}),
    ...(reply.handover ? { handover: true } : {}),
  };
}

/** A shopper's chat with the assistant; a session is its shopper's only (another shopper gets 404). */
@ApiTags('chat')
@ApiBearerAuth()
@RequirePermissions('orders:place')
@Controller('chat/sessions')
export class ChatController {
  constructor(@Inject(CHAT_CLIENT) private readonly chat: ChatClient) {}

  @Post()
  @ApiCreatedResponse({ type: ChatSessionCreatedView })
  async create(@CurrentPrincipal() principal: Principal) {
    const session = await this.chat.call('createSession', { userId: principal.id });
    return { id: session.id };
  }

  /**
   * Answers { reply: { text, products?, orders?, offer?: { code, sku, price, expiresAt } } }; with
   * `Accept: text/event-stream`, the reply's text as `event: delta` frames, then `event: reply` with
   * the whole reply and `event: done`. (The bridge answers the gateway in one piece: the frames
   * follow one another at once, they are not the model's own tokens as they come.)
   */
  @Post(':id/messages')
  @HttpCode(200)
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ type: ChatReplyView, description: 'With Accept: text/event-stream, `event: delta` frames of the text, then `event: reply` (this object) and `event: done`' })
  @ApiErrors([429, 'Past CHAT_MAX_TURNS_PER_SESSION messages in this session or CHAT_MAX_TURNS_PER_DAY today, or too many requests'])
  async send(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ChatMessageDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const { reply } = await this.chat.call('sendMessage', { userId: principal.id, sessionId: id, text: body.text });
    const view = toReplyView(reply);
    if (!accept?.includes('text/event-stream')) return { reply: view };
    response.hijack();
    const res = response.raw;
    res.writeHead(200, {
      ...(response.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    for (const piece of view.text.match(/\S+\s*/g) ?? []) res.write(`event: delta\ndata: ${JSON.stringify({ text: piece })}\n\n`);
    res.write(`event: reply\ndata: ${JSON.stringify({ reply: view })}\n\n`);
    res.end('event: done\ndata: {}\n\n');
    return undefined;
  }

  @Get(':id')
  @ApiOkResponse({ type: ChatSessionView })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    const session = await this.chat.call('getSession', { userId: principal.id, sessionId: id });
    return { id: session.id, messages: session.messages, createdAt: session.createdAt };
  }
}

/** Admins: the rules that bound every bargaining offer, and the chats handed over to a human. */
@ApiTags('admin')
@ApiBearerAuth()
@RequirePermissions('catalog:write')
@Controller('admin')
export class AdminBargainingController {
  constructor(@Inject(CHAT_CLIENT) private readonly chat: ChatClient) {}

  @Get('bargaining/rules')
  @ApiOkResponse({ type: BargainingRuleListView })
  async list() {
    return { items: (await this.chat.call('listBargainingRules', {})).items };
  }

  @Put('bargaining/rules/products/:productId')
  @ApiOkResponse({ type: BargainingRuleView })
  async putProduct(@CurrentPrincipal() principal: Principal, @Param('productId', new ParseUUIDPipe()) productId: string, @Body() body: BargainingRuleDto) {
    return this.put(principal, 'product', productId, body);
  }

  @Put('bargaining/rules/categories/:categoryId')
  @ApiOkResponse({ type: BargainingRuleView })
  async putCategory(@CurrentPrincipal() principal: Principal, @Param('categoryId', new ParseUUIDPipe()) categoryId: string, @Body() body: BargainingRuleDto) {
    return this.put(principal, 'category', categoryId, body);
  }

  @Delete('bargaining/rules/products/:productId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted (or there was none)' })
  async deleteProduct(@Param('productId', new ParseUUIDPipe()) productId: string) {
    await this.chat.call('deleteBargainingRule', { scope: 'product', targetId: productId });
  }

  @Delete('bargaining/rules/categories/:categoryId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted (or there was none)' })
  async deleteCategory(@Param('categoryId', new ParseUUIDPipe()) categoryId: string) {
    await this.chat.call('deleteBargainingRule', { scope: 'category', targetId: categoryId });
  }

  @Get('chat/handovers')
  @ApiOkResponse({ type: HandoverListView })
  async handovers(@Query() query: HandoverQueryDto) {
    return { items: (await this.chat.call('listHandovers', { limit: query.limit ?? 50 })).items };
  }

  private put(principal: Principal, scope: 'product' | 'category', targetId: string, body: BargainingRuleDto) {
    return this.chat.call('putBargainingRule', { scope, targetId, ...body, updatedBy: principal.id });
  }
}
