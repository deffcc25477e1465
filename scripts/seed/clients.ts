import { inventoryV1, productV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';

export type ProductDownstream = GrpcDownstream<typeof productV1.ProductServiceService>;
export type InventoryDownstream = GrpcDownstream<typeof inventoryV1.InventoryServiceService>;

// An import of 500 products is one long call; a shop request's 3 s deadline would cut it off.
const SEED_DEADLINE_MS = 120_000;
const breaker = { failureThreshold: 5, openMs: 5000 };

/** gRPC clients for seeding, straight to the services (no gateway, no admin login). */
export function seedClients(productTarget: string, inventoryTarget?: string): { product: ProductDownstream; inventory?: InventoryDownstream; close(): void } {
  const product = new GrpcDownstream('product', productV1.ProductServiceService, { target: productTarget, deadlineMs: SEED_DEADLINE_MS, breaker });
  const inventory = inventoryTarget
    ? new GrpcDownstream('inventory', inventoryV1.InventoryServiceService, { target: inventoryTarget, deadlineMs: SEED_DEADLINE_MS, breaker })
    : undefined;
  return {
    product,
    inventory,
    close: () => {
      product.close();
      inventory?.close();
    },
  };
}
