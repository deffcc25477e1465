// Loaded before anything else so HTTP and gRPC are instrumented.
import { startTracing } from '@shop/observability';

startTracing('chatbot-bridge');
