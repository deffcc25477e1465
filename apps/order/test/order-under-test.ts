import { orderV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { type RunningService, startService } from '@shop/service-kit';
import { orderConfigSchema } from '../src/config';
import { OrderModule } from '../src/order.module';
import type { Catalogue } from './checkout-participants';

export type Orders = GrpcDownstream<typeof orderV1.OrderServiceService>;

export function ordersAt(service: RunningService): Orders {
  return new GrpcDownstream('order', orderV1.OrderServiceService, { target: `127.0.0.1:${service.grpcPort}`, deadlineMs: 30_000, breaker: { failureThreshold: 1000, openMs: 1000 } });
}

export interface OrderRun {
  /** Starts the names of the run's topics and consumer groups (ends in a dot). */
  prefix: string;
  /** Plays product and inventory over gRPC. */
  catalogue: Catalogue;
}

/**
 * The order service on the run's topics and consumer groups, calling the catalogue. `settings`
 * add to and override the config every run shares; DATABASE_URL and KAFKA_BROKERS are among them.
 */
export function startOrder(run: OrderRun, settings: Record<string, string>): Promise<RunningService> {
  const config = orderConfigSchema.parse({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    GRPC_PORT: '0',
    HTTP_PORT: '0',
    EVENT_TOPIC_PREFIX: run.prefix,
    EVENT_GROUP_PREFIX: run.prefix,
    PRODUCT_GRPC_URL: run.catalogue.productUrl,
    INVENTORY_GRPC_URL: run.catalogue.inventoryUrl,
    SWEEP_INTERVAL_MS: '200',
    ...settings,
  });
  return startService({ name: 'order', module: OrderModule, config });
}
