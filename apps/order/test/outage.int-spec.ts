import { orderV1, productV1, inventoryV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { runService, type RunningService } from '@shop/service-kit';
import { createTestDatabase, eventually, type TestDatabase, testInfra, uniqueName, UNREACHABLE_ADDRESS } from '@shop/testing';
import { Client } from 'pg';
import { inventoryConfigSchema } from '../../inventory/src/config';
import { inventoryService } from '../../inventory/src/inventory.service-spec';
import { paymentConfigSchema } from '../../payment/src/config';
import { paymentService } from '../../payment/src/payment.service-spec';
import { productConfigSchema } from '../../product/src/config';
import { productService } from '../../product/src/product.service-spec';
import { orderConfigSchema } from '../src/config';
import { orderService } from '../src/order.service-spec';

const at = (port: number) => ({ target: `127.0.0.1:${port}`, deadlineMs: 30_000, breaker: { failureThreshold: 1000, openMs: 1000 } });

/**
 * The order service loses Kafka, keeps accepting orders, then dies before any event left its
 * outbox. A new process on the same database, with Kafka back, publishes every event and every
 * order completes: nothing accepted is lost.
 */
describe('order service: Kafka unreachable, then the process dies between commit and publish', () => {
  const databases: TestDatabase[] = [];
  const services: RunningService[] = [];
  const run = uniqueName('outage');

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop().catch(() => undefined)));
    await Promise.all(databases.map((db) => db.drop()));
  });

  it('accepts orders without Kafka and completes every one of them after a restart with Kafka back', async () => {
    const { kafkaBrokers } = testInfra();
    const [productDb, inventoryDb, paymentDb, orderDb] = await Promise.all(['out_product', 'out_inventory', 'out_payment', 'out_order'].map((n) => createTestDatabase(n)));
    databases.push(productDb!, inventoryDb!, paymentDb!, orderDb!);
    const common = { NODE_ENV: 'test', LOG_LEVEL: 'silent', KAFKA_BROKERS: kafkaBrokers, EVENT_GROUP_PREFIX: `${run}.`, EVENT_TOPIC_PREFIX: `${run}.`, HOST: '127.0.0.1', GRPC_PORT: '0', HTTP_PORT: '0' };
    const [product, stock, payment] = await Promise.all([
      runService(productService(productConfigSchema.parse({ ...common, DATABASE_URL: productDb!.url }))),
      runService(inventoryService(inventoryConfigSchema.parse({ ...common, DATABASE_URL: inventoryDb!.url }))),
      runService(paymentService(paymentConfigSchema.parse({ ...common, DATABASE_URL: paymentDb!.url, PAYMENT_TEST_AUTO_COMPLETE: 'true' }))),
    ]);
    services.push(product, stock, payment);
    const products = new GrpcDownstream('product', productV1.ProductServiceService, at(product.grpcPort));
    const inventory = new GrpcDownstream('inventory', inventoryV1.InventoryServiceService, at(stock.grpcPort));
    const sku = `${run}-mug`.toUpperCase();
    await products.call('createProduct', {
      product: { name: 'Outage Mug', description: '', brand: '', categoryIds: [], attributes: {}, images: [], status: 'published', variants: [{ sku, price: { amount: 900, currency: 'EUR' }, attributes: {} }] },
    });
    await inventory.call('setStock', { sku, onHand: 10, reason: 'delivery' });

    const orderConfig = (brokers: string) =>
      orderConfigSchema.parse({
        ...common,
        KAFKA_BROKERS: brokers,
        DATABASE_URL: orderDb!.url,
        PRODUCT_GRPC_URL: `127.0.0.1:${product.grpcPort}`,
        INVENTORY_GRPC_URL: `127.0.0.1:${stock.grpcPort}`,
        PAYMENT_GRPC_URL: `127.0.0.1:${payment.grpcPort}`,
        CHECKOUT_TIMEOUT_SECONDS: '120',
        SWEEP_INTERVAL_MS: '200',
      });

    // Kafka is unreachable for this process: it starts anyway and accepts orders into its outbox.
    const cutOff = await runService(orderService(orderConfig(UNREACHABLE_ADDRESS)));
    const ordersCutOff = new GrpcDownstream('order', orderV1.OrderServiceService, at(cutOff.grpcPort));
    const placed: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const userId = `${run}-user-${i}`;
      await ordersCutOff.call('addCartItem', { userId, sku, quantity: 1 });
      const order = await ordersCutOff.call('placeOrder', { userId, idempotencyKey: `${run}-key-${i}`, shippingAddress: { line1: '1 Road', city: 'Leeds', postalCode: 'LS1', country: 'GB' }, email: `${userId}@example.com` });
      expect(order.status).toBe('PENDING');
      placed.push(order.id);
    }
    const pg = new Client({ connectionString: orderDb!.url });
    await pg.connect();
    const unpublished = async () => (await pg.query(`SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL AND topic = 'order.created'`)).rows[0].n;
    expect(await unpublished()).toBe(3);

    // The process dies with its events committed but never published.
    ordersCutOff.close();
    await cutOff.stop();
    expect(await unpublished()).toBe(3);
    expect((await inventory.call('getStock', { skus: [sku] })).levels[0]).toMatchObject({ reserved: 0 });

    // A new process, Kafka back: the relay publishes what the dead one left, and the saga runs.
    const restarted = await runService(orderService(orderConfig(kafkaBrokers)));
    services.push(restarted);
    const orders = new GrpcDownstream('order', orderV1.OrderServiceService, at(restarted.grpcPort));
    try {
      for (const [i, orderId] of placed.entries()) {
        const order = await eventually(async () => {
          const current = await orders.call('getOrder', { orderId, userId: `${run}-user-${i}` });
          return current.status === 'CONFIRMED' ? current : undefined;
        }, 120_000, `order ${orderId} confirmed`);
        expect(order.history.map((h) => h.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED']);
      }
      expect(await unpublished()).toBe(0);
      await eventually(async () => ((await inventory.call('getStock', { skus: [sku] })).levels[0]!.onHand === 7 ? true : undefined), 30_000, 'stock committed');
    } finally {
      orders.close();
      products.close();
      inventory.close();
      await pg.end();
    }
  });
});
