import type { Provider } from '@nestjs/common';
import { authV1, chatV1, inventoryV1, notificationV1, orderV1, paymentV1, productV1, reviewV1, userV1 } from '@shop/contracts';
import type { GrpcDownstream } from '@shop/grpc';
import { provideGrpcClient } from '@shop/service-kit';
import type { GatewayConfig } from '../config';

export type AuthClient = GrpcDownstream<typeof authV1.AuthServiceService>;
export type UserClient = GrpcDownstream<typeof userV1.UserServiceService>;
export type ProductClient = GrpcDownstream<typeof productV1.ProductServiceService>;
export type InventoryClient = GrpcDownstream<typeof inventoryV1.InventoryServiceService>;
export type OrderClient = GrpcDownstream<typeof orderV1.OrderServiceService>;
export type PaymentClient = GrpcDownstream<typeof paymentV1.PaymentServiceService>;
export type NotificationClient = GrpcDownstream<typeof notificationV1.NotificationServiceService>;
export type ReviewClient = GrpcDownstream<typeof reviewV1.ReviewServiceService>;

export type ChatClient = GrpcDownstream<typeof chatV1.ChatServiceService>;

export const AUTH_CLIENT = Symbol('AUTH_CLIENT');
export const USER_CLIENT = Symbol('USER_CLIENT');
export const PRODUCT_CLIENT = Symbol('PRODUCT_CLIENT');
export const INVENTORY_CLIENT = Symbol('INVENTORY_CLIENT');
export const ORDER_CLIENT = Symbol('ORDER_CLIENT');
export const PAYMENT_CLIENT = Symbol('PAYMENT_CLIENT');
export const NOTIFICATION_CLIENT = Symbol('NOTIFICATION_CLIENT');
export const CHAT_CLIENT = Symbol('CHAT_CLIENT');
export const REVIEW_CLIENT = Symbol('REVIEW_CLIENT');

/** One client per downstream, each with its own deadline budget and circuit breaker. */
export const downstreamProviders: Provider[] = [
  provideGrpcClient(AUTH_CLIENT, 'auth', authV1.AuthServiceService, (config: GatewayConfig) => config.AUTH_GRPC_URL),
  provideGrpcClient(USER_CLIENT, 'user', userV1.UserServiceService, (config: GatewayConfig) => config.USER_GRPC_URL),
  provideGrpcClient(PRODUCT_CLIENT, 'product', productV1.ProductServiceService, (config: GatewayConfig) => config.PRODUCT_GRPC_URL),
  provideGrpcClient(INVENTORY_CLIENT, 'inventory', inventoryV1.InventoryServiceService, (config: GatewayConfig) => config.INVENTORY_GRPC_URL),
  provideGrpcClient(ORDER_CLIENT, 'order', orderV1.OrderServiceService, (config: GatewayConfig) => config.ORDER_GRPC_URL),
  provideGrpcClient(PAYMENT_CLIENT, 'payment', paymentV1.PaymentServiceService, (config: GatewayConfig) => config.PAYMENT_GRPC_URL),
  provideGrpcClient(NOTIFICATION_CLIENT, 'notification', notificationV1.NotificationServiceService, (config: GatewayConfig) => config.NOTIFICATION_GRPC_URL),
  provideGrpcClient(CHAT_CLIENT, 'chatbot-bridge', chatV1.ChatServiceService, (config: GatewayConfig) => config.CHAT_GRPC_URL, (config: GatewayConfig) => config.CHAT_GRPC_DEADLINE_MS),
  provideGrpcClient(REVIEW_CLIENT, 'review', reviewV1.ReviewServiceService, (config: GatewayConfig) => config.REVIEW_GRPC_URL),
];
