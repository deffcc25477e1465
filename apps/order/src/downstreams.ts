import type { Provider } from '@nestjs/common';
import { inventoryV1, productV1 } from '@shop/contracts';
import type { GrpcDownstream } from '@shop/grpc';
import { provideGrpcClient } from '@shop/service-kit';
import type { OrderConfig } from './config';

export type ProductClient = GrpcDownstream<typeof productV1.ProductServiceService>;
export type InventoryClient = GrpcDownstream<typeof inventoryV1.InventoryServiceService>;

export const PRODUCT_CLIENT = Symbol('PRODUCT_CLIENT');
export const INVENTORY_CLIENT = Symbol('INVENTORY_CLIENT');

/** The services the order service calls, each with its deadline and circuit breaker. */
export const downstreamProviders: Provider[] = [
  provideGrpcClient(PRODUCT_CLIENT, 'product', productV1.ProductServiceService, (config: OrderConfig) => config.PRODUCT_GRPC_URL),
  provideGrpcClient(INVENTORY_CLIENT, 'inventory', inventoryV1.InventoryServiceService, (config: OrderConfig) => config.INVENTORY_GRPC_URL),
];
