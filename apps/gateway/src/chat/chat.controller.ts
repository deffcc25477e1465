import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/contract';
import { BargainingRuleListView, BargainingRuleView, ChatReplyView, ChatSessionCreatedView, ChatSessionView, HandoverListView } from '../docs/views';
import { CurrentPrincipal, type Principal, RequirePermissions } from '@shop/security';
import type { FastifyReply } from 'fastify';
import { CHAT_CLIENT, type ChatClient } from '../downstream/downstreams';
import { BargainingRuleDto, ChatMessageDto, HandoverQueryDto } from './chat.dto';
import { ChatReplyStream } from './chat-reply-stream';
import { toReplyView } from './chat-reply-view';

/** A shopper's chat with the assistant; a session is its shopper's only (another shopper gets 404). */
@ApiTags('chat')
@ApiBearerAuth()
@RequirePermissions('orders:place')
@Controller('chat/sessions')
export class ChatController {
  constructor(
    @Inject(CHAT_CLIENT) private readonly chat: ChatClient,
    private readonly replyStream: ChatReplyStream,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: ChatSessionCreatedView })
  async create(@CurrentPrincipal() principal: Principal) {
    const session = await this.chat.call('createSession', { userId: principal.id });
    return { id: session.id };
  }

  /**
   * Answers { reply: { text, products?, orders?, offer?: { code, sku, price, expiresAt } } }; with
   * `Accept: text/event-stream`, Server-Sent Events as the reply is made (ChatReplyStream).
   */
  @Post(':id/messages')
  @HttpCode(200)
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({
    type: ChatReplyView,
    description:
      "With Accept: text/event-stream, `event: delta` frames of the text as the model writes it ({ text }), `event: tool` for each tool it calls ({ name }), then `event: reply` (this object, once the turn is stored) and `event: done`; a failure after the first frame is `event: error` with the error body",
  })
  @ApiErrors([429, 'Past CHAT_MAX_TURNS_PER_SESSION messages in this session or CHAT_MAX_TURNS_PER_DAY today, or too many requests'])
  async send(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ChatMessageDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const request = { userId: principal.id, sessionId: id, text: body.text };
    if (accept?.includes('text/event-stream')) return this.replyStream.send(request, response);
    const { reply } = await this.chat.call('sendMessage', request);
    return { reply: toReplyView(reply) };
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
