import { Injectable } from '@nestjs/common';
import type { chatV1 } from '@shop/contracts';
import type { CallContext, ServiceHandlers } from '@shop/grpc';
import { ChatService } from './chat.service';

/** The ChatService contract, mapped onto ChatService. */
@Injectable()
export class ChatGrpcHandlers implements ServiceHandlers<typeof chatV1.ChatServiceService> {
  constructor(private readonly chat: ChatService) {}

  createSession(request: chatV1.CreateSessionRequest): Promise<chatV1.Session> {
    return this.chat.create(request.userId);
  }

  async sendMessage(request: chatV1.SendMessageRequest): Promise<chatV1.SendMessageResponse> {
    return { reply: await this.chat.send(request) };
  }

  async streamMessage(request: chatV1.SendMessageRequest, _context: CallContext, send: (event: chatV1.ReplyEvent) => void): Promise<void> {
    const reply = await this.chat.send(request, (progress) =>
      send({ event: progress.kind === 'text' ? { $case: 'delta', value: progress.text } : { $case: 'tool', value: progress.name } }),
    );
    send({ event: { $case: 'reply', value: reply } });
  }

  getSession(request: chatV1.GetSessionRequest): Promise<chatV1.Session> {
    return this.chat.get(request.userId, request.sessionId);
  }

  putBargainingRule(request: chatV1.PutBargainingRuleRequest): Promise<chatV1.BargainingRule> {
    return this.chat.putRule(request);
  }

  async listBargainingRules(): Promise<chatV1.ListBargainingRulesResponse> {
    return { items: await this.chat.listRules() };
  }

  async deleteBargainingRule(request: chatV1.DeleteBargainingRuleRequest): Promise<chatV1.DeleteBargainingRuleResponse> {
    await this.chat.deleteRule(request.scope, request.targetId);
    return {};
  }

  async listHandovers(request: chatV1.ListHandoversRequest): Promise<chatV1.ListHandoversResponse> {
    return { items: await this.chat.handovers(request.limit) };
  }
}
