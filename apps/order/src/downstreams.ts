import type { Provider } from '@nestjs/common';
import { inventoryV1, paymentV1, productV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import type { ServiceMetrics } from '@shop/observability';
import type { OrderConfig } from './config';

export type ProductClient = GrpcDownstream<typeof productV1.ProductServiceService>;
export type InventoryClient = GrpcDownstream<typeof inventoryV1.InventoryServiceService>;
export type PaymentClient = GrpcDownstream<typeof paymentV1.PaymentServiceService>;

export const PRODUCT_CLIENT = Symbol('PRODUCT_CLIENT');
export const INVENTORY_CLIENT = Symbol('INVENTORY_CLIENT');
export const PAYMENT_CLIENT = Symbol('PAYMENT_CLIENT');

/** The services the order service calls, each with its deadline and circuit breaker. */
export interface OrderDownstreams {
  product: ProductClient;
  inventory: InventoryClient;
  payment: PaymentClient;
  providers: Provider[];
  close(): void;
}

export function orderDownstreams(config: OrderConfig, metrics?: ServiceMetrics): OrderDownstreams {
  const options = (target: string) => ({
    target,
    deadlineMs: config.GRPC_DEADLINE_MS,
    breaker: { failureThreshold: config.CIRCUIT_FAILURE_THRESHOLD, openMs: config.CIRCUIT_OPEN_MS },
    metrics,
  });
  const product: ProductClient = new GrpcDownstream('product', productV1.ProductServiceService, options(config.PRODUCT_GRPC_URL));
  const inventory: InventoryClient = new GrpcDownstream('inventory', inventoryV1.InventoryServiceService, options(config.INVENTORY_GRPC_URL));
  const payment: PaymentClient = new GrpcDownstream('payment', paymentV1.PaymentServiceService, options(config.PAYMENT_GRPC_URL));
  return {
    product,
    inventory,
    payment,
    providers: [
      { provide: PRODUCT_CLIENT, useValue: product },
      { provide: INVENTORY_CLIENT, useValue: inventory },
      { provide: PAYMENT_CLIENT, useValue: payment },
    ],
    close: () => [product, inventory, payment].forEach((client) => client.close()),
  };
}
