import type { Provider } from '@nestjs/common';
import { authV1, inventoryV1, orderV1, paymentV1, productV1, userV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import type { ServiceMetrics } from '@shop/observability';
import type { GatewayConfig } from '../config';

export type AuthClient = GrpcDownstream<typeof authV1.AuthServiceService>;
export type UserClient = GrpcDownstream<typeof userV1.UserServiceService>;
export type ProductClient = GrpcDownstream<typeof productV1.ProductServiceService>;
export type InventoryClient = GrpcDownstream<typeof inventoryV1.InventoryServiceService>;
export type OrderClient = GrpcDownstream<typeof orderV1.OrderServiceService>;
export type PaymentClient = GrpcDownstream<typeof paymentV1.PaymentServiceService>;

export const AUTH_CLIENT = Symbol('AUTH_CLIENT');
export const USER_CLIENT = Symbol('USER_CLIENT');
export const PRODUCT_CLIENT = Symbol('PRODUCT_CLIENT');
export const INVENTORY_CLIENT = Symbol('INVENTORY_CLIENT');
export const ORDER_CLIENT = Symbol('ORDER_CLIENT');
export const PAYMENT_CLIENT = Symbol('PAYMENT_CLIENT');

/** One client per downstream, each with its own deadline budget and circuit breaker. */
export interface Downstreams {
  auth: AuthClient;
  user: UserClient;
  product: ProductClient;
  inventory: InventoryClient;
  order: OrderClient;
  payment: PaymentClient;
  providers: Provider[];
  close(): void;
}

export function downstreamClients(config: GatewayConfig, metrics: ServiceMetrics): Downstreams {
  const options = (target: string) => ({
    target,
    deadlineMs: config.GRPC_DEADLINE_MS,
    breaker: { failureThreshold: config.CIRCUIT_FAILURE_THRESHOLD, openMs: config.CIRCUIT_OPEN_MS },
    metrics,
  });
  const auth: AuthClient = new GrpcDownstream('auth', authV1.AuthServiceService, options(config.AUTH_GRPC_URL));
  const user: UserClient = new GrpcDownstream('user', userV1.UserServiceService, options(config.USER_GRPC_URL));
  const product: ProductClient = new GrpcDownstream('product', productV1.ProductServiceService, options(config.PRODUCT_GRPC_URL));
  const inventory: InventoryClient = new GrpcDownstream('inventory', inventoryV1.InventoryServiceService, options(config.INVENTORY_GRPC_URL));
  const order: OrderClient = new GrpcDownstream('order', orderV1.OrderServiceService, options(config.ORDER_GRPC_URL));
  const payment: PaymentClient = new GrpcDownstream('payment', paymentV1.PaymentServiceService, options(config.PAYMENT_GRPC_URL));
  return {
    providers: [
      { provide: AUTH_CLIENT, useValue: auth },
      { provide: USER_CLIENT, useValue: user },
      { provide: PRODUCT_CLIENT, useValue: product },
      { provide: INVENTORY_CLIENT, useValue: inventory },
      { provide: ORDER_CLIENT, useValue: order },
      { provide: PAYMENT_CLIENT, useValue: payment },
    ],
    auth,
    user,
    product,
    inventory,
    order,
    payment,
    close: () => [auth, user, product, inventory, order, payment].forEach((client) => client.close()),
  };
}
