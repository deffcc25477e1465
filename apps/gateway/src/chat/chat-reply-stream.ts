import { Inject, Injectable } from '@nestjs/common';
import type { chatV1 } from '@shop/contracts';
import { LOGGER, toErrorResponse } from '@shop/service-kit';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { CHAT_CLIENT, type ChatClient } from '../downstream/downstreams';
import { toReplyView } from './chat-reply-view';

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * A chat reply as Server-Sent Events, passed on as the bridge streams it: `event: delta` for each
 * piece of the text as the model writes it, `event: tool` for each tool the assistant calls, then
 * `event: reply` with the whole reply (sent once the turn is stored) and `event: done`.
 */
@Injectable()
export class ChatReplyStream {
  constructor(
    @Inject(CHAT_CLIENT) private readonly chat: ChatClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async send(request: chatV1.SendMessageRequest, response: FastifyReply): Promise<void> {
    const events = this.chat.stream('streamMessage', request);
    // Nothing is written before the first event: a refused message (404, 429, 503) is still an
    // ordinary HTTP error.
    let next = await events.next();
    response.hijack();
    const res = response.raw;
    res.writeHead(200, {
      ...(response.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // Proxies (nginx) must pass each frame on at once.
      'x-accel-buffering': 'no',
    });
    let shopperGone = false;
    res.once('close', () => (shopperGone = !res.writableEnded));
    try {
      for (; !next.done && !shopperGone; next = await events.next()) {
        const event = next.value.event;
        if (event?.$case === 'delta') res.write(frame('delta', { text: event.value }));
        else if (event?.$case === 'tool') res.write(frame('tool', { name: event.value }));
        else if (event?.$case === 'reply') res.write(frame('reply', { reply: toReplyView(event.value) }));
      }
      // A shopper who left cancels the call; the bridge still stores the turn.
      if (shopperGone) await events.return();
      else res.write('event: done\ndata: {}\n\n');
    } catch (error) {
      res.write(frame('error', toErrorResponse(error, String(response.request.id), this.logger).body));
    } finally {
      res.end();
    }
  }
}
