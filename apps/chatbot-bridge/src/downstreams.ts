import type { Provider } from '@nestjs/common';
import { inventoryV1, orderV1, productV1 } from '@shop/contracts';
import type { GrpcDownstream } from '@shop/grpc';
import { provideGrpcClient } from '@shop/service-kit';
import type { ChatConfig } from './config';

export type ProductClient = GrpcDownstream<typeof productV1.ProductServiceService>;
export type InventoryClient = GrpcDownstream<typeof inventoryV1.InventoryServiceService>;
export type OrderClient = GrpcDownstream<typeof orderV1.OrderServiceService>;

export const PRODUCT_CLIENT = Symbol('PRODUCT_CLIENT');
export const INVENTORY_CLIENT = Symbol('INVENTORY_CLIENT');
export const ORDER_CLIENT = Symbol('ORDER_CLIENT');

/** The services the assistant's tools call, each with its deadline and circuit breaker. */
export const downstreamProviders: Provider[] = [
  provideGrpcClient(PRODUCT_CLIENT, 'product', productV1.ProductServiceService, (config: ChatConfig) => config.PRODUCT_GRPC_URL),
  provideGrpcClient(INVENTORY_CLIENT, 'inventory', inventoryV1.InventoryServiceService, (config: ChatConfig) => config.INVENTORY_GRPC_URL),
  provideGrpcClient(ORDER_CLIENT, 'order', orderV1.OrderServiceService, (config: ChatConfig) => config.ORDER_GRPC_URL),
];
