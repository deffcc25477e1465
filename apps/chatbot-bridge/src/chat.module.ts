import { Module } from '@nestjs/common';
import { chatV1 } from '@shop/contracts';
import { HealthController } from '@shop/health';
import { MetricsController, provideGrpcService } from '@shop/service-kit';
import { ChatGrpcHandlers } from './chat.grpc';
import { ChatService } from './chat.service';
import { downstreamProviders } from './downstreams';
import { chatReadinessProvider, chatStoreProvider } from './store';

/**
 * The chatbot-bridge: shoppers' support and bargaining chat, kept in MongoDB, answered by the
 * built-in assistant from tools that call product, inventory and order as the shopper; offers
 * bounded by admins' rules and handed out as signed single-use codes the order service redeems.
 */
@Module({
  controllers: [HealthController, MetricsController],
  providers: [
    chatStoreProvider,
    chatReadinessProvider,
    ...downstreamProviders,
    provideGrpcService('ChatService', chatV1.ChatServiceService, ChatGrpcHandlers),
    ChatService,
    ChatGrpcHandlers,
  ],
})
export class ChatModule {}
