import { status } from '@grpc/grpc-js';
import { Inject, Injectable } from '@nestjs/common';
import { isServiceError } from '@shop/errors';
import { ORDER_CLIENT, type OrderClient, USER_CLIENT, type UserClient } from '../downstreams';
import type { Recipient } from './notifier';

/** Who a notice is for: profiles from the user service, owners of orders from the order service. */
@Injectable()
export class Recipients {
  constructor(
    @Inject(USER_CLIENT) private readonly users: UserClient,
    @Inject(ORDER_CLIENT) private readonly orders: OrderClient,
  ) {}

  /** The user's profile (address, name, locale); undefined when the user service has none (yet). */
  async profile(userId: string): Promise<Recipient | undefined> {
    try {
      const profile = await this.users.call('getProfile', { userId });
      return { userId, email: profile.email, name: profile.name, locale: profile.locale };
    } catch (error) {
      if (isServiceError(error) && (error.code === status.NOT_FOUND || error.code === status.INVALID_ARGUMENT)) return undefined;
      throw error;
    }
  }

  /** The profile, which must exist by the time an order is told of: its absence is retried. */
  async required(userId: string): Promise<Recipient> {
    const recipient = await this.profile(userId);
    if (!recipient) throw new Error(`no profile for user ${userId} yet`);
    return recipient;
  }

  /** Whose order it is (older order events do not say). */
  async ownerOf(orderId: string): Promise<string> {
    return (await this.orders.call('getOrder', { orderId, userId: '' })).userId;
  }
}
