/** The backend services the platform runs, in start order; the gateway comes last. */
export interface BackendService {
  name: string;
  /** The service owns a database (prisma/<name>/). */
  database: boolean;
  /** Env var through which the gateway finds it. */
  gatewayEnv: string;
  /** Shared infrastructure it uses when the platform has it. */
  uses?: Array<'redis' | 'elasticsearch'>;
}

export const BACKEND_SERVICES: BackendService[] = [
  { name: 'auth', database: true, gatewayEnv: 'AUTH_GRPC_URL' },
  { name: 'user', database: true, gatewayEnv: 'USER_GRPC_URL' },
  { name: 'inventory', database: true, gatewayEnv: 'INVENTORY_GRPC_URL' },
  { name: 'product', database: true, gatewayEnv: 'PRODUCT_GRPC_URL', uses: ['redis', 'elasticsearch'] },
];
