import { type IntegrationEvent, inventoryV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { KafkaEventBus } from '@shop/messaging';
import { createLogger } from '@shop/observability';
import { type RunningService, startService } from '@shop/service-kit';
import { createTestDatabase, testInfra } from '@shop/testing';
import { Client } from 'pg';
import { inventoryConfigSchema } from '../src/config';
import { InventoryModule } from '../src/inventory.module';

export type Inventory = GrpcDownstream<typeof inventoryV1.InventoryServiceService>;

/** A message taken off one of the watched topics. */
export interface Received {
  /** The full topic name, the run's prefix included. */
  topic: string;
  event: IntegrationEvent;
  headers: Record<string, string>;
}

export interface InventoryRun {
  /** Prefix of the name of the run's own database. */
  database: string;
  /** Starts the names of the run's topics and consumer groups (ends in a dot). */
  prefix: string;
  /** Full topic names the test reads from the start, prefix included. */
  watch: string[];
  /** Config values over the ones every run shares. */
  settings?: Record<string, string>;
}

export interface InventoryUnderTest {
  service: RunningService;
  inventory: Inventory;
  /** A connection to the service's own database. */
  pg: Client;
  /** The test's own bus. It adds no prefix: topic names given to it carry the run's. */
  bus: KafkaEventBus;
  /** Everything that arrived on the watched topics, in arrival order. */
  received: Received[];
  /** Closes everything started and drops the database. */
  stop(): Promise<void>;
}

/** The inventory service on a fresh database and the run's topics, with a gRPC client, a database connection and a bus that watches `run.watch`. */
export async function startInventory(run: InventoryRun): Promise<InventoryUnderTest> {
  const { prefix } = run;
  const db = await createTestDatabase(run.database);
  let service: RunningService | undefined;
  let inventory: Inventory | undefined;
  let pg: Client | undefined;
  let bus: KafkaEventBus | undefined;
  const stop = async () => {
    inventory?.close();
    await bus?.close();
    await pg?.end();
    await service?.stop();
    await db.drop();
  };
  try {
    const { kafkaBrokers } = testInfra();
    const config = inventoryConfigSchema.parse({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: kafkaBrokers,
      EVENT_GROUP_PREFIX: prefix,
      EVENT_TOPIC_PREFIX: prefix,
      HOST: '127.0.0.1',
      GRPC_PORT: '0',
      HTTP_PORT: '0',
      SWEEP_INTERVAL_MS: '200',
      ...run.settings,
    });
    service = await startService({ name: 'inventory', config, module: InventoryModule });
    inventory = new GrpcDownstream('inventory', inventoryV1.InventoryServiceService, {
      target: `127.0.0.1:${service.grpcPort}`,
      deadlineMs: 30_000,
      breaker: { failureThreshold: 1000, openMs: 1000 },
    });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    bus = new KafkaEventBus({ brokers: kafkaBrokers.split(','), clientId: `${prefix}test`, logger: createLogger('inventory-test-observer', 'silent') });
    const received: Received[] = [];
    await bus.subscribe({
      groupId: `${prefix}test-observer`,
      topics: run.watch,
      handler: async (event, message) => {
        received.push({ topic: message.topic, event, headers: message.headers });
      },
    });
    return { service, inventory, pg, bus, received, stop };
  } catch (error) {
    // The test's afterAll never sees what was started, so nothing else would clean it up.
    await stop();
    throw error;
  }
}

/** The ledger of a SKU adds up to its stock row. */
export async function expectLedgerMatches(pg: Client, sku: string): Promise<void> {
  const { rows } = await pg.query(
    `SELECT s.on_hand, s.reserved,
            (SELECT coalesce(sum(on_hand_delta), 0)::int FROM stock_movements m WHERE m.sku = s.sku) AS ledger_on_hand,
            (SELECT coalesce(sum(reserved_delta), 0)::int FROM stock_movements m WHERE m.sku = s.sku) AS ledger_reserved
       FROM stock_items s WHERE s.sku = $1`,
    [sku],
  );
  expect(rows[0].ledger_on_hand).toBe(rows[0].on_hand);
  expect(rows[0].ledger_reserved).toBe(rows[0].reserved);
}

/** The SKUs whose stock row differs from the sum of their ledger. */
export async function skusOffTheirLedger(pg: Client): Promise<string[]> {
  const { rows } = await pg.query<{ sku: string }>(
    `SELECT s.sku FROM stock_items s
       LEFT JOIN (SELECT sku, sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved FROM stock_movements GROUP BY sku) m ON m.sku = s.sku
      WHERE coalesce(m.on_hand, 0) <> s.on_hand OR coalesce(m.reserved, 0) <> s.reserved`,
  );
  return rows.map((row) => row.sku);
}
