/** The backend services the platform runs, in start order; the gateway comes last. */
export interface BackendService {
  name: string;
  /** The service owns a database (prisma/<name>/). */
  database: boolean;
  /** Env var through which the gateway finds it. */
  gatewayEnv: string;
  /** The ports it listens on when they are free (gRPC, HTTP for health and metrics). */
  defaultPorts: { grpc: number; http: number };
  /** Shared infrastructure it uses when the platform has it. */
  uses?: Array<'redis' | 'elasticsearch' | 'mongo'>;
  /** Other services it calls over gRPC; it finds them through the same variables as the gateway. */
  calls?: string[];
}

export const BACKEND_SERVICES: BackendService[] = [
  { name: 'auth', database: true, gatewayEnv: 'AUTH_GRPC_URL', defaultPorts: { grpc: 50051, http: 9101 } },
  { name: 'user', database: true, gatewayEnv: 'USER_GRPC_URL', defaultPorts: { grpc: 50052, http: 9102 } },
  { name: 'inventory', database: true, gatewayEnv: 'INVENTORY_GRPC_URL', defaultPorts: { grpc: 50054, http: 9104 } },
  { name: 'product', database: true, gatewayEnv: 'PRODUCT_GRPC_URL', defaultPorts: { grpc: 50053, http: 9103 }, uses: ['redis', 'elasticsearch'] },
  { name: 'payment', database: true, gatewayEnv: 'PAYMENT_GRPC_URL', defaultPorts: { grpc: 50056, http: 9106 } },
  { name: 'order', database: true, gatewayEnv: 'ORDER_GRPC_URL', defaultPorts: { grpc: 50055, http: 9105 }, calls: ['product', 'inventory', 'payment'] },
  { name: 'notification', database: true, gatewayEnv: 'NOTIFICATION_GRPC_URL', defaultPorts: { grpc: 50057, http: 9107 }, calls: ['user', 'order'] },
  { name: 'review', database: false, gatewayEnv: 'REVIEW_GRPC_URL', defaultPorts: { grpc: 50058, http: 9108 }, uses: ['mongo'] },
  { name: 'chatbot-bridge', database: false, gatewayEnv: 'CHAT_GRPC_URL', defaultPorts: { grpc: 50059, http: 9109 }, uses: ['mongo'], calls: ['product', 'inventory', 'order'] },
];
