import { Metadata, status } from '@grpc/grpc-js';
import { orderV1, userV1 } from '@shop/contracts';
import { AppError } from '@shop/errors';
import { bindService, type ServiceHandlers, startGrpcServer, stopGrpcServer } from '@shop/grpc';
import { createLogger, ServiceMetrics } from '@shop/observability';

/*
 * What the notification service calls, played by the test: the user service's profiles and the
 * order service's orders and carts, answered from maps the test changes at will.
 */

export interface Profile {
  email: string;
  name: string;
  locale: string;
}

export interface Cart {
  startedAt: string;
  lines: Array<{ sku: string; name: string; quantity: number; unitPrice: { amount: number; currency: string } }>;
}

export interface StandIns {
  /** user id → profile; absent users are NOT_FOUND. */
  readonly profiles: Map<string, Profile>;
  /** order id → owner. */
  readonly orderOwners: Map<string, string>;
  /** user id → an abandoned cart. */
  readonly carts: Map<string, Cart>;
  readonly url: string;
  stop(): Promise<void>;
}

function unimplemented(method: string): Error {
  return Object.assign(new Error(`${method} is not played by this test`), { code: status.UNIMPLEMENTED, details: `${method} is not played by this test`, metadata: new Metadata() });
}

function standIn<D extends object>(service: string, definition: D, played: Partial<ServiceHandlers<D>>): ServiceHandlers<D> {
  const handlers: Record<string, unknown> = {};
  for (const method of Object.keys(definition)) {
    handlers[method] = (played as Record<string, unknown>)[method] ?? (() => Promise.reject(unimplemented(`${service}.${method}`)));
  }
  return handlers as ServiceHandlers<D>;
}

/** The user and order services on one local gRPC port. */
export async function startStandIns(): Promise<StandIns> {
  const profiles = new Map<string, Profile>();
  const orderOwners = new Map<string, string>();
  const carts = new Map<string, Cart>();
  const now = new Date().toISOString();
  const user = standIn('UserService', userV1.UserServiceService, {
    getProfile: async ({ userId }) => {
      const profile = profiles.get(userId);
      if (!profile) throw AppError.notFound('profile not found');
      return { userId, ...profile, phone: '', createdAt: now, updatedAt: now };
    },
  });
  const order = standIn('OrderService', orderV1.OrderServiceService, {
    getOrder: async ({ orderId }) => {
      const userId = orderOwners.get(orderId);
      if (!userId) throw AppError.notFound('order not found');
      return { id: orderId, userId, status: 'CONFIRMED', items: [], history: [], cancelReason: '', createdAt: now, updatedAt: now };
    },
    listAbandonedCarts: async ({ afterUserId, limit }) => ({
      items: [...carts.entries()]
        .filter(([userId]) => userId > afterUserId)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .slice(0, limit)
        .map(([userId, cart]) => ({ userId, startedAt: cart.startedAt, lastChangedAt: cart.startedAt, lines: cart.lines.length })),
    }),
    getCart: async ({ userId }) => {
      const cart = carts.get(userId);
      if (!cart) return { items: [], total: { amount: 0, currency: '' } };
      const items = cart.lines.map((line, i) => ({
        id: `item-${i}`,
        sku: line.sku,
        productId: `product-${line.sku}`,
        name: line.name,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        lineTotal: { amount: line.unitPrice.amount * line.quantity, currency: line.unitPrice.currency },
        available: 10,
      }));
      return { items, total: { amount: items.reduce((sum, item) => sum + item.lineTotal.amount, 0), currency: items[0]?.lineTotal.currency ?? '' } };
    },
  });
  const { server, port } = await startGrpcServer({
    host: '127.0.0.1',
    port: 0,
    services: [bindService('UserService', userV1.UserServiceService, user), bindService('OrderService', orderV1.OrderServiceService, order)],
    logger: createLogger('notification-stand-ins', 'silent'),
    metrics: new ServiceMetrics('notification-stand-ins'),
  });
  return { profiles, orderOwners, carts, url: `127.0.0.1:${port}`, stop: () => stopGrpcServer(server, 1000) };
}
