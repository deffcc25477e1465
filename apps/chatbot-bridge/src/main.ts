import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { main } from '@shop/service-kit';
import { ChatModule } from './chat.module';
import { chatConfigSchema } from './config';

main(() => ({ name: 'chatbot-bridge', config: loadConfigOrExit(chatConfigSchema, 'chatbot-bridge'), module: ChatModule }));
