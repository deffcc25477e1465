import type { Provider } from '@nestjs/common';
import { orderV1, userV1 } from '@shop/contracts';
import type { GrpcDownstream } from '@shop/grpc';
import { provideGrpcClient } from '@shop/service-kit';
import type { NotificationConfig } from './config';

export type UserClient = GrpcDownstream<typeof userV1.UserServiceService>;
export type OrderClient = GrpcDownstream<typeof orderV1.OrderServiceService>;

export const USER_CLIENT = Symbol('USER_CLIENT');
export const ORDER_CLIENT = Symbol('ORDER_CLIENT');

/** The services the notification service reads: profiles (who, where, which language) and orders (whose, carts). */
export const downstreamProviders: Provider[] = [
  provideGrpcClient(USER_CLIENT, 'user', userV1.UserServiceService, (config: NotificationConfig) => config.USER_GRPC_URL),
  provideGrpcClient(ORDER_CLIENT, 'order', orderV1.OrderServiceService, (config: NotificationConfig) => config.ORDER_GRPC_URL),
];
